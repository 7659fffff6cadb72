"""Staff price overrides re-checked by the service, and the report of overrides and voids
by staff member (#13.5) over HTTP and from the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from central.cli import main as central_cli
from sync.client import Credential
from sync.protocol import encode_secret
from tests.integration.central.test_central_sales import push, sale
from tests.integration.conftest import TEST_SECRET, CentralHarness

AT = "2026-12-04T10:00:00+08:00"


def action(staff_id: str, reason: str, amount: int = 0) -> dict[str, Any]:
    return {"staff_id": staff_id, "at": AT, "reason": reason, "amount_minor": amount}


def overridden(cred: Credential, sequence: int, price: int, shelf: int) -> dict[str, Any]:
    """Two of an item at `price` instead of `shelf`, overridden by supervisor 1001."""
    doc = sale(cred, sequence, total=2 * price)
    doc["lines"][0] |= {
        "quantity": 2,
        "unit_price_minor": price,
        "override": {"unit_price_minor": price, "shelf_price_minor": shelf,
                     **action("1001", "damaged packaging")},
    }  # fmt: skip
    doc["item_count"] = 2
    return doc


def with_void(cred: Credential, sequence: int, staff_id: str, amount: int) -> dict[str, Any]:
    doc = sale(cred, sequence, total=500)
    voided = {"line_no": 2, "gtin": "06935412001014", "state": "voided", "quantity": 1,
              "weight_g": None, "unit_price_minor": None, "gross_minor": 0,
              "discount_minor": 0, "deposit_minor": 0, "tax_class": None, "override": None,
              "void": action(staff_id, "shopper changed mind", amount)}  # fmt: skip
    doc["lines"].append(voided)
    return doc


def voided(cred: Credential, sequence: int, void: dict[str, Any]) -> dict[str, Any]:
    """A whole sale voided: its line voided with the sale's own action, no amounts."""
    doc = sale(cred, sequence, total=0) | {"status": "voided", "void": void, "taxes": [],
                                           "subtotal_minor": 0, "item_count": 0}  # fmt: skip
    doc["lines"][0] |= {"state": "voided", "gross_minor": 0, "unit_price_minor": None,
                        "void": void}  # fmt: skip
    return doc


def test_an_override_outside_the_chains_bounds_is_kept_for_review(central: CentralHarness) -> None:
    cred = central.enrol()
    results = push(central, cred, [overridden(cred, 1, 1200, 1650), overridden(cred, 2, 800, 1650)])
    assert [r["result"] for r in results] == ["stored", "conflict"]
    assert results[1]["detail"].startswith("override: line 1: 800 is outside")
    [kept] = central.op("GET", "/v1/admin/conflicts").json()
    assert kept["reason"] == "override"


def test_overrides_and_voids_are_reported_by_staff_member(central: CentralHarness) -> None:
    cred = central.enrol()
    voided_sale = voided(cred, 4, action("1001", "shopper left", 1250))
    # Voided by the kiosk itself (nobody answered "still there?"): listed as "kiosk".
    idle = voided(cred, 6, action("kiosk", "idle_timeout", 700))
    batch = [
        overridden(cred, 1, 1200, 1650),  # 2 x 4.50 given off
        with_void(cred, 2, "2002", 890),
        with_void(cred, 3, "1001", 300),
        voided_sale,
        sale(cred, 5) | {"training": True, "void": action("1001", "training", 99)},
        idle,
    ]
    assert [r["result"] for r in push(central, cred, batch)] == ["stored"] * 6
    rows = central.op("GET", "/v1/admin/reports/staff").json()
    zero = dict.fromkeys(("overrides", "override_minor", "line_voids", "line_void_minor",
                          "sale_voids", "sale_void_minor"), 0)  # fmt: skip
    where = {"store_id": cred.store_id, "currency": "CNY"}
    assert rows == [
        where | zero | {"staff_id": "1001", "overrides": 1, "override_minor": 900,
                        "line_voids": 1, "line_void_minor": 300,
                        "sale_voids": 1, "sale_void_minor": 1250},
        where | zero | {"staff_id": "2002", "line_voids": 1, "line_void_minor": 890},
        where | zero | {"staff_id": "kiosk", "sale_voids": 1, "sale_void_minor": 700},
    ]  # fmt: skip
    csv = central.op("GET", "/v1/admin/reports/staff?format=csv").text.splitlines()
    assert csv[0] == ",".join(rows[0])
    assert csv[1:] == [",".join(str(v) for v in row.values()) for row in rows]
    cli = CliRunner().invoke(
        central_cli,
        ["report", "staff", "--json", "--db", central.db_url],
        env={"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
    )
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output) == rows
