"""`python -m demo` runs the scripted journey on the real demo catalog, through the kiosk's
screens offscreen (no display here) or as text (`--text`)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from click.testing import CliRunner

from central.embedded import start_demo
from demo.__main__ import main
from demo.screens import DEMO_AUDIT_OVER_MINOR
from demo.store import DEMO_MANAGER, demo_console_account
from kiosk.domain.journal import verify_chain
from kiosk.domain.money import Money
from kiosk.store.uow import KioskStore
from tests.integration.central.test_admin import Console


@pytest.mark.parametrize("mode", [[], ["--text"]], ids=["screens", "text"])
def test_demo_journey(tmp_path: Path, mode: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "demo"
    args = ["--out", str(out), "--lang", "zh_CN", "--one-language", *mode]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "201 products imported" in result.output
    assert "wrong check digit" in result.output
    assert "not in our catalog" in result.output
    assert "recalled" in result.output
    assert "hash chain intact" in result.output
    # goods without a barcode (#16): the baguette picked by its picture, in the paid sale
    assert "x 2, picked by its picture" in result.output
    store = KioskStore.open(out / "kiosk.db")
    sales = store.sales.recent()
    paid = sorted((s for s in sales if s.status == "paid"), key=lambda s: s.document["sequence"])
    sale = paid[0]
    assert sale.document["tenders"][0]["amount_minor"] == sale.total_minor
    voided = [line for line in sale.document["lines"] if line["state"] == "voided"]
    assert voided[0]["void"]["reason"] == "shopper changed mind"
    entries = store.journal.entries()
    assert verify_chain(entries) == len(entries)
    kinds = [entry.kind for entry in entries]
    # The text journey journals only the sale's own actions; the screens add staff sign-ins
    # and the kiosk being paused and reopened.
    assert [k for k in kinds if k in ("age_approved", "line_voided", "sale_paid")][:3] == [
        "age_approved",
        "line_voided",
        "sale_paid",
    ]
    if not mode:
        assert {"staff_signed_in", "kiosk_locked", "kiosk_unlocked"} <= set(kinds)
        # Paid through the embedded central service's sandbox pay page, then synced.
        assert sale.document["tenders"][0]["method"] == "sandbox"
        assert "presses Pay: paid" in result.output
        assert "synced: 0 records still waiting" in result.output
        # A second shopper pays by WeChat payment code (the simulator), no tap on Pay.
        assert paid[1].document["tenders"][0]["method"] == "wechat_code"
        assert "by wechat_code" in result.output
        assert (out / "screens" / "payment_code_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "picker_pg_zh_CN.png").stat().st_size > 10_000
        # A third meets the payment service unreachable: the static QR, then walks away.
        assert (out / "screens" / "payment_offline_zh_CN.png").stat().st_size > 10_000
        assert "central service holds 4 sale(s)" in result.output
        every = Money(sum(p.total_minor for p in paid), "CNY")
        assert every.format() in result.output.split("holds")[-1]
        # The last shopper's sale is over the demo store's audit amount: a bag check first.
        assert paid[3].total_minor > DEMO_AUDIT_OVER_MINOR
        assert "exit_audit_selected" in kinds
        assert "staff checked the bag and signed out" in result.output
        assert (out / "screens" / "done_audit_zh_CN.png").stat().st_size > 10_000
        assert "screenshots" in result.output
        # A loose item weighed on the simulated scale (a pty) is on the first sale.
        assert "weighed on the kiosk's scale: 1257 g" in result.output
        assert any(line.get("weight_g") == 1257 for line in sale.document["lines"])
        assert (out / "screens" / "weighing_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "payment_zh_CN.png").stat().st_size > 10_000
        # Then a royal member shops promoted goods with a coupon and walks away unpaid.
        assert (out / "screens" / "scanning_offers_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "member_wallet_zh_CN.png").stat().st_size > 10_000
        # Her data erased at HQ, her member QR is refused.
        assert "member QR of an erased member: member_erased" in result.output
        assert (out / "screens" / "member_closed_zh_CN.png").stat().st_size > 10_000
        # A neighbour collects a group-buy order, buys two items; the code again calls staff.
        assert "3 buyers reached the tier" in result.output
        assert "collected; the shopper goes on with two more items" in result.output
        assert "the same code again: collected already" in result.output
        assert paid[2].document["item_count"] == 2
        assert (out / "screens" / "pickup_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "pickup_problem_zh_CN.png").stat().st_size > 10_000
        assert sorted(s.status for s in sales) == ["paid"] * 4 + ["voided"] * 2
    else:
        assert len(sales) == 1
        assert len(paid) == 1
    store.close()


def test_the_demo_console_account_signs_in_with_the_password_shown(tmp_path: Path) -> None:
    # `python -m demo --console` (and the window demo) print it for the console at /admin/.
    handle = start_demo(tmp_path / "central")
    try:
        before = demo_console_account(handle)
        shown = demo_console_account(handle)  # a second run of the demo: a new password
        browser = Console(cast(Any, SimpleNamespace(url=handle.url)))
        assert browser.sign_in(DEMO_MANAGER, before).status_code == 401
        assert browser.sign_in(DEMO_MANAGER, shown).status_code == 303
        assert "/admin/reports" in browser.get("/admin/").text
    finally:
        handle.stop()
