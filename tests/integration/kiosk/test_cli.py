"""The `kiosk` command end to end on a real data folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from click.testing import CliRunner

from app.cli import main
from app.core import KioskCore, build_core
from demo.store import demo_static_qr
from kiosk.domain.codes import check_digit
from kiosk.domain.emvco import decode
from kiosk.domain.money import Money
from tests.helpers import gtin13

T = TypeVar("T")

TEA = gtin13("690123456780")[1:]
APPLES = gtin13("220001200000")[1:]
CSV = (
    "gtin,name_en,name_zh_CN,name_ko,tax_class,price,currency,unit\n"
    f"{TEA},Jasmine tea,茉莉花茶,재스민차,standard,3.50,CNY,each\n"
    f"{APPLES},Fuji apples,富士苹果,후지 사과,reduced,12.80,CNY,kg\n"
)


def setting(home: Path, read: Callable[[KioskCore], T]) -> T:
    """What a kiosk built on `home` reads from its settings (a new core, as at start-up)."""
    core = build_core(home)
    try:
        return read(core)
    finally:
        core.close()


def run(home: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args], input=input)
    return result.exit_code, result.output


def test_import_then_show(tmp_path: Path) -> None:
    home = tmp_path / "k"
    assert run(home, "init")[0] == 0
    csv = tmp_path / "c.csv"
    csv.write_text(CSV, encoding="utf-8")
    code, out = run(home, "catalog", "import", str(csv))
    assert code == 0, out
    assert "imported 2 products" in out
    code, out = run(home, "catalog", "show", TEA, "--lang", "zh_CN")
    assert code == 0
    assert "茉莉花茶" in out
    assert "3.50 CNY" in out
    label = "2200012" + "00734"
    label += str(check_digit(label))
    code, out = run(home, "catalog", "show", label)
    assert code == 0
    assert "Fuji apples" in out
    assert "734 g" in out


def test_bad_rows_exit_non_zero_and_list_rows(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    csv = tmp_path / "c.csv"
    csv.write_text(CSV + "6901234567891,Typo,,,standard,1.00,CNY,each\n", encoding="utf-8")
    code, out = run(home, "catalog", "import", str(csv))
    assert code == 1
    assert "row 4:" in out
    assert "nothing imported" in out


def test_commands_explain_a_kiosk_that_is_not_set_up(tmp_path: Path) -> None:
    code, out = run(tmp_path / "empty", "catalog", "show", TEA)
    assert code == 2
    assert "kiosk enroll" in out


def test_unknown_and_invalid_codes_are_plain_errors(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    code, out = run(home, "catalog", "show", TEA)
    assert (code, "not in the catalog" in out) == (2, True)
    code, out = run(home, "catalog", "show", "6901234567891")
    assert (code, "check digit" in out) == (2, True)


def test_staff_add_hashes_the_pin(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    code, out = run(
        home, "staff", "add", "1001", "Li Na", "--role", "supervisor", input="2468\n2468\n"
    )
    assert code == 0, out
    db = (home / "kiosk.db").read_bytes()
    assert b"$argon2id$" in db


def test_doctor_reports_each_check(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    code, out = run(
        home,
        "doctor",
        "--camera",
        "/dev/video-missing",
        "--central",
        "http://127.0.0.1:9",
        "--printer",
        str(tmp_path / "lp0"),
    )
    assert "[ok  ] database" in out
    assert "[FAIL] camera: /dev/video-missing does not exist" in out
    assert "[FAIL] central" in out
    assert "fix:" in out
    # Fail closed: neither enrolled nor a static QR, so it cannot take money.
    assert "[FAIL] payments: no payment service and no static QR" in out
    assert code != 0

    assert run(home, "static-qr", demo_static_qr("S001"))[0] == 0
    code, out = run(home, "doctor", "--camera", "/dev/video-missing")
    assert "[ok  ] payments: not enrolled: the store's static QR only" in out
    assert code == 0  # camera, central and printer are optional for a kiosk to sell


def test_static_qr_refuses_a_qr_with_an_amount_or_another_currency(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    static = demo_static_qr("S001")
    qr = decode(static)
    with_amount = replace(qr, amount=Money(100, qr.currency)).encode()
    code, out = run(home, "static-qr", with_amount)
    assert code != 0
    assert "carries no amount" in out
    code, out = run(home, "static-qr", replace(qr, currency="USD").encode())
    assert code != 0
    assert "the store sells in CNY" in out
    code, out = run(home, "static-qr", static[:-1] + ("0" if static[-1] != "0" else "1"))
    assert code != 0
    assert "CRC" in out


def test_doctor_fails_without_a_database(tmp_path: Path) -> None:
    code, out = run(tmp_path / "none", "doctor", "--camera", "/dev/none")
    assert code == 1
    assert "kiosk init" in out


def test_sync_commands_on_a_damaged_database_say_so_without_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "k"
    home.mkdir()
    (home / "kiosk.db").write_bytes(b"this is not a database" * 100)
    for args in (("sync", "status"), ("sync", "now"), ("doctor", "--camera", "/dev/none")):
        result = CliRunner().invoke(main, ["--home", str(home), *args])
        assert result.exit_code != 0, args
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert "Traceback" not in result.output


def test_payment_method_is_a_store_setting_the_core_reads(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    assert setting(home, lambda core: core.payment_method) == "qr"  # the default
    code, out = run(home, "payment-method", "code")
    assert code == 0
    assert "payment code" in out
    assert setting(home, lambda core: core.payment_method) == "code"
    assert run(home, "payment-method", "cash")[0] != 0  # only qr or code


def test_the_scale_port_is_a_kiosk_setting_the_core_reads(tmp_path: Path) -> None:
    home = tmp_path / "k"
    run(home, "init")
    # No scale: loose goods go to the weighing counter.
    assert setting(home, lambda core: core.scale_port) is None
    assert run(home, "scale", "/dev/ttyUSB0")[0] == 0
    assert setting(home, lambda core: core.scale_port) == "/dev/ttyUSB0"
    code, out = run(home, "scale", "none")
    assert code == 0
    assert "weighing counter" in out
    assert setting(home, lambda core: core.scale_port) is None


def test_the_bag_offered_before_payment_is_a_catalog_product_the_core_reads(
    tmp_path: Path,
) -> None:
    home = tmp_path / "k"
    run(home, "init")
    assert setting(home, lambda core: core.bag) is None  # no bag offered
    code, out = run(home, "bag", TEA)
    assert code == 2
    assert "not in the catalog" in out
    csv = tmp_path / "c.csv"
    csv.write_text(CSV, encoding="utf-8")
    run(home, "catalog", "import", str(csv))
    assert run(home, "bag", APPLES)[0] == 2  # sold by weight: not a bag
    code, out = run(home, "bag", TEA)
    assert code == 0
    assert "Jasmine tea" in out
    assert setting(home, lambda core: core.bag) == "0" + TEA
    assert run(home, "bag", "none")[0] == 0
    assert setting(home, lambda core: core.bag) is None


def test_doctor_asks_the_scale_for_a_weight(tmp_path: Path) -> None:
    from simulators.scale import ScaleSimulator

    home = tmp_path / "k"
    run(home, "init")
    assert "[ok  ] scale: no scale" in run(home, "doctor", "--camera", "/dev/none")[1]
    with ScaleSimulator() as scale:
        run(home, "scale", scale.port)
        scale.settle_answers = 0
        scale.place(250)
        out = run(home, "doctor", "--camera", "/dev/none")[1]
        assert f"[ok  ] scale: {scale.port} answers: stable 250 g" in out
        scale.silent = True
        out = run(home, "doctor", "--camera", "/dev/none")[1]
        assert "[FAIL] scale: the scale on" in out
        assert "did not answer" in out


def test_pickup_from_shelf_or_staff_is_a_setting_the_pickup_counter_reads(
    tmp_path: Path,
) -> None:
    home = tmp_path / "k"
    run(home, "init")
    assert setting(home, lambda core: core.pickups.from_staff()) is False
    assert run(home, "pickup-from", "staff")[0] == 0
    assert setting(home, lambda core: core.pickups.from_staff()) is True
    assert run(home, "pickup-from", "counter")[0] == 2  # not a choice
    assert run(home, "pickup-from", "shelf")[0] == 0
    assert setting(home, lambda core: core.pickups.from_staff()) is False
