"""`kiosk price` end to end through the CLI entry point: a basket as JSON in, the priced
cart as JSON out, against given CSVs or the kiosk's own data (docs/pricing.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from app.cli import main
from kiosk.services.loyalty_import import import_offers
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore
from tests.helpers import REPO

DEMO = REPO / "assets" / "demo"
WATER, JUICE, RICE = "6935412001014", "6935412001038", "6948906001018"


def price(home: Path, basket: dict[str, Any], *args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(
        main, ["--home", str(home), "price", "-", *args], input=json.dumps(basket)
    )
    if result.exit_code != 0:
        return result.exit_code, result.output
    return 0, json.loads(result.output)


def demo_csvs() -> list[str]:
    return [
        "--catalog", str(DEMO / "catalog.csv"),
        "--promotions", str(DEMO / "promotions.csv"),
        "--coupons", str(DEMO / "coupons.csv"),
    ]  # fmt: skip


def test_a_campaign_priced_from_csvs_before_it_starts(tmp_path: Path) -> None:
    basket = {
        "items": [{"code": WATER, "quantity": 3}, {"code": RICE, "quantity": 3}],
        "member": {"id": "m-1", "tier": "royal"},
        "coupons": ["welcome-10"],
        "at": "2026-12-01T10:00:00+08:00",
    }
    code, out = price(tmp_path / "k", basket, *demo_csvs())
    assert code == 0, out
    assert out["version"] == 1
    assert out["currency"] == "CNY"
    # 3 waters ¥2.00, 3 for 2: ¥4.00; 3 rice at the royal price ¥35.90: ¥107.70;
    # 满100减10 on ¥111.70: ¥10; welcome ¥10 off from ¥50 (stackable 0, the only coupon).
    by_rule = {d["rule_id"]: d["amount"] for d in out["discounts"]}
    assert by_rule["nongfu-3for2"] == 200
    assert by_rule["rice-royal"] == 3 * (3990 - 3590)
    assert by_rule["manjian-100-10"] == 1000
    assert by_rule["coupon:welcome-10:query:welcome-10"] == 1000
    assert out["subtotal"] == 600 + 3 * 3990
    assert out["total"] == 400 + 3 * 3590 - 1000 - 1000
    assert sum(line["amount"] for line in out["lines"]) == out["total"]
    assert sum(t["gross"] for t in out["taxes"]) == out["total"]
    assert out["points"] == {"earned": 2 * (out["total"] // 100), "used": 0}  # royal: ×2
    assert [c["accepted"] for c in out["coupons"]] == [True]
    assert out["refused"] == []


def test_refusals_and_hints_are_in_the_answer(tmp_path: Path) -> None:
    basket = {
        "items": [{"code": WATER, "quantity": 2}, {"code": "6901234567891"}],
        "coupons": ["welcome-10"],
        "at": "2026-12-01T10:00:00+08:00",
    }
    code, out = price(tmp_path / "k", basket, *demo_csvs())
    assert code == 0, out
    assert [r["reason"] for r in out["refused"]] == ["check_digit"]
    assert out["total"] == 400
    hint = next(h for h in out["hints"] if h["rule_id"] == "nongfu-3for2")
    assert (hint["kind"], hint["need_units"], hint["saving"]) == ("add_items", 1, 200)
    verdict = out["coupons"][0]
    assert (verdict["accepted"], verdict["reason"], verdict["need_amount"]) == (
        False,
        "member_only",
        None,
    )


def test_the_kiosks_own_data(tmp_path: Path) -> None:
    home = tmp_path / "k"
    runner = CliRunner()
    assert runner.invoke(main, ["--home", str(home), "init"]).exit_code == 0
    imported = runner.invoke(
        main, ["--home", str(home), "catalog", "import", str(DEMO / "catalog.csv")]
    )
    assert imported.exit_code == 0, imported.output
    store = KioskStore.open(database_path(home))
    try:
        import_offers(store, DEMO / "promotions.csv", "promotions")
    finally:
        store.close()
    code, out = price(home, {"items": [{"code": WATER, "quantity": 3}]})
    assert code == 0, out
    assert out["total"] == 400
    assert [d["rule_id"] for d in out["discounts"]] == ["nongfu-3for2"]


def test_a_bad_basket_is_a_plain_error(tmp_path: Path) -> None:
    code, out = price(tmp_path / "k", {"items": [{"code": WATER, "quantity": -1}]}, *demo_csvs())
    assert code == 2
    assert "quantity must be a whole number" in out
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path), "price", "-", *demo_csvs()], input="{not json"
    )
    assert result.exit_code == 2
    assert "not JSON" in result.output
