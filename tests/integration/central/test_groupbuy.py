"""Group-buy through the real service on loopback: a tiered campaign, buyers who prepay
in the sandbox wallet, the cut-off and its refunds, the pick list, ready and its
webhook, pickup by signed code (all, part, twice), the unclaimed, the report."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

import requests
from sqlalchemy import select

from central.groupbuy.service import PICK_LIST_COLUMNS
from central.groupbuy.tables import groupbuy_refunds
from tests.integration.central.groupbuy_support import (
    HOUR,
    JUICE,
    WATER,
    Receiver,
    campaign_body,
    iso,
    join,
    join_and_pay,
    new_campaign,
    order,
    pay,
    payments,
    receiver,
)
from tests.integration.payments.conftest import PaymentsHarness, problem

__all__ = ["payments", "receiver"]  # fixtures


def _cut_off(payments: PaymentsHarness, campaign: dict[str, Any]) -> dict[str, Any]:
    answer = payments.op("POST", f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/cut-off")
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _pickup(payments: PaymentsHarness, code: str, lines: dict[str, int] | None = None,
            pickup_id: str | None = None) -> requests.Response:  # fmt: skip
    body = {"pickup_id": pickup_id or str(uuid.uuid4()), "code": code, "lines": lines}
    return payments.op("POST", "/v1/ops/groupbuy/pickups", json=body)


def test_tiers_cut_off_refunds_pick_list_ready_pickup_unclaimed_and_report(
    payments: PaymentsHarness, receiver: Receiver
) -> None:
    campaign = new_campaign(payments, webhook_url=receiver.url)
    cid = campaign["campaign_id"]
    assert campaign["items"][0]["price_minor"] == 3990
    # Seven buyers pay one case each: the first three at ¥39.90, then ¥35.90, then ¥32.90.
    buyers = [join_and_pay(payments, campaign, f"1380000{n:04d}") for n in range(7)]
    assert [b["paid_minor"] for b in buyers] == [3990] * 3 + [3590] * 3 + [3290]
    # An eighth joins, pays and cancels before the cut-off: refunded in full.
    leaver = join_and_pay(payments, campaign, "13800009999", quantity=2)
    cancel = requests.post(
        f"{payments.url}/v1/groupbuy/orders/{leaver['order_id']}/cancel",
        headers={"X-Order-Token": leaver["token"]}, timeout=30,
    )  # fmt: skip
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["status"] == "cancelled"
    assert cancel.json()["refunds"] == [
        {"kind": "cancel", "amount_minor": 2 * 3290, "status": "refunded"}
    ]
    # A ninth never pays: the cut-off closes the order, its stock is free again.
    unpaid = join(payments, campaign, "13900000000", [{"gtin": JUICE, "quantity": 4}])
    assert unpaid.status_code == 201
    public = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}").json()
    assert public["buyers"] == 7
    assert public["items"][0]["level"] == 2
    assert public["items"][1]["left"] == 0  # held by the unpaid order
    problem(payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off"), 422, "groupbuy_not_yet")

    payments.clock.advance(HOUR + 1)
    first = _cut_off(payments, campaign)
    assert first == {
        "campaign_id": cid, "buyers": 7, "orders": 7, "expired": 1, "refunds": 6,
        "refunded_minor": 3 * 700 + 3 * 300, "unsent": 0,
    }  # fmt: skip
    assert _cut_off(payments, campaign) == first  # again: nothing more is refunded
    mine = order(payments, buyers[0])
    assert mine["final_minor"] == 3290
    assert mine["refunds"] == [{"kind": "difference", "amount_minor": 700, "status": "refunded"}]
    problem(
        join(payments, campaign, "13700000000", [{"gtin": WATER, "quantity": 1}]),
        422,
        "groupbuy_closed",
    )

    # The pick list, frozen: seven bags of one case.
    listed = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}/pick-list.csv")
    rows = list(csv.DictReader(io.StringIO(listed.text)))
    assert len(rows) == 7
    assert list(rows[0]) == list(PICK_LIST_COLUMNS)
    assert {r["quantity"] for r in rows} == {"1"}
    page = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}/pick-list")
    assert "农夫山泉" in page.text
    assert page.text.count("☐") == 7

    # Ready: the buyers see it, the webhook fires after the answer.
    ready = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={})
    assert ready.json() == {"ready": 7}
    assert receiver.got.wait(timeout=30)
    hook = json.loads(receiver.bodies[0])
    assert hook["event"] == "orders.ready"
    assert len(hook["order_ids"]) == 7
    code = order(payments, buyers[0])["pickup_code"]
    assert code.startswith("PU1.")

    # Pickup: the buyer collects all; a second use of the code is flagged, a forged one refused.
    assert _pickup(payments, code).json()["order"]["status"] == "collected"
    again = _pickup(payments, code).json()
    assert again["result"] == "over"
    forged = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
    problem(_pickup(payments, forged), 422, "pickup_code")

    # After the window, the orders nobody collected are refunded at the final price.
    payments.clock.advance(26 * HOUR)
    left = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/unclaimed").json()
    assert left["refunded"] == 6
    assert left["left"] == []
    assert order(payments, buyers[1])["refunds"][-1] == {
        "kind": "unclaimed", "amount_minor": 3290, "status": "refunded"
    }  # fmt: skip

    report = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}/report").json()
    assert report["buyers"] == 7
    assert report["units"] == 7
    assert report["levels"] == {WATER: 2, JUICE: 0}
    assert report["revenue_minor"] == 3290  # one collected case; the rest went back
    assert report["commission_minor"] == 165  # 5 % of ¥32.90, half up
    assert report["pickup_rate"] == round(1 / 7, 4)
    assert report["double_pickups"] == 1
    assert report["refunds"]["difference"] == {"count": 6, "amount_minor": 3000}


def test_part_pickup_then_the_rest_and_a_resent_pickup_counts_once(
    payments: PaymentsHarness,
) -> None:
    campaign = new_campaign(payments, unclaimed_policy="keep", keep_days=2)
    cid = campaign["campaign_id"]
    buyer = join_and_pay(payments, campaign, "13600000000", quantity=2)
    payments.clock.advance(HOUR + 1)
    _cut_off(payments, campaign)
    payments.op(
        "POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={"order_ids": [buyer["order_id"]]}
    )
    code = order(payments, buyer)["pickup_code"]
    half = str(uuid.uuid4())
    first = _pickup(payments, code, {WATER: 1}, half).json()
    assert first["result"] == "stored"
    assert first["order"]["status"] == "partly_collected"
    assert _pickup(payments, code, {WATER: 1}, half).json()["result"] == "duplicate"
    assert _pickup(payments, code, {WATER: 2}).json()["result"] == "over"
    # Past the window the rest is kept two more days, then collected.
    payments.clock.advance(26 * HOUR)
    kept = payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/unclaimed").json()
    assert kept["kept"] == 1
    assert kept["left"][0]["status"] == "kept"
    rest = _pickup(payments, code).json()
    assert rest["order"]["status"] == "collected"
    assert rest["order"]["lines"][0]["collected"] == 2


def test_every_call_authenticates_and_the_service_checks_the_numbers(
    payments: PaymentsHarness,
) -> None:
    campaign = new_campaign(payments)
    cid = campaign["campaign_id"]
    assert (
        requests.get(f"{payments.url}/v1/groupbuy/campaigns/{cid}", timeout=30).status_code == 401
    )
    bad_share = f"{payments.url}/v1/groupbuy/campaigns/{cid}/public?s=nope"
    problem(requests.get(bad_share, timeout=30), 404, "campaign_not_found")
    view = join(payments, campaign, "13500000000", [{"gtin": WATER, "quantity": 1}]).json()
    wrong = requests.get(
        f"{payments.url}/v1/groupbuy/orders/{view['order_id']}",
        headers={"X-Order-Token": "0" * 32}, timeout=30,
    )  # fmt: skip
    problem(wrong, 404, "order_not_found")
    problem(join(payments, campaign, "13500000000", [{"gtin": WATER, "quantity": 3}]),
            422, "groupbuy_limit")  # fmt: skip
    problem(join(payments, campaign, "13500000001", [{"gtin": JUICE, "quantity": 5}]),
            422, "groupbuy_stock")  # fmt: skip
    problem(join(payments, campaign, "13500000002", [{"gtin": "6901028075015", "quantity": 1}]),
            422, "groupbuy_items")  # fmt: skip
    # A re-sent join is the same order; the same id from another phone is refused.
    again = join(payments, campaign, "13500000000", [{"gtin": WATER, "quantity": 1}],
                 order_id=view["order_id"])  # fmt: skip
    assert again.status_code == 201
    assert again.json()["pay_url"] == view["pay_url"]
    problem(join(payments, campaign, "13500000009", [{"gtin": WATER, "quantity": 1}],
                 order_id=view["order_id"]), 422, "groupbuy_exists")  # fmt: skip
    # Tiers that do not get cheaper, or a product not in the catalog, are refused.
    bad = {"gtin": WATER, "price_minor": 3990, "per_person": 1, "stock": 5,
           "tiers": [{"min_buyers": 3, "price_minor": 3990}]}  # fmt: skip
    body = {**_campaign_body(campaign), "campaign_id": str(uuid.uuid4()), "items": [bad]}
    problem(payments.op("POST", "/v1/groupbuy/campaigns", json=body), 422, "groupbuy_price")
    pay(view["pay_url"])
    assert order(payments, view)["status"] == "paid"


def test_a_pickup_window_ending_past_a_year_is_refused_and_its_year_named(
    payments: PaymentsHarness,
) -> None:
    # 2206 for 2026: past 2106, where the pickup code's `valid until` ends, every paid
    # order's view would fail; refused with the campaign instead.
    typo = campaign_body(payments, pickup_until="2206-06-01T18:00:00+08:00")
    body = problem(payments.op("POST", "/v1/groupbuy/campaigns", json=typo), 422,
                   "groupbuy_times")  # fmt: skip
    assert "within 365 days" in body["detail"]
    assert "2206-06-01T18:00:00+08:00" in body["detail"]
    late = campaign_body(payments, pickup_until=iso(payments, 366 * 24 * HOUR))
    problem(payments.op("POST", "/v1/groupbuy/campaigns", json=late), 422, "groupbuy_times")
    # A season's campaign, kept a month more, is fine and its orders show their code.
    season = new_campaign(payments, pickup_until=iso(payments, 364 * 24 * HOUR),
                          unclaimed_policy="keep", keep_days=30)  # fmt: skip
    assert order(payments, join_and_pay(payments, season, "13500000100"))["pickup_code"]


def _campaign_body(view: dict[str, Any]) -> dict[str, Any]:
    keys = ("store_id", "leader", "title", "currency", "commission_bp", "unclaimed_policy")
    return {
        **{k: view[k] for k in keys},
        "cutoff_at": view["cutoff_at"], "pickup_from": view["pickup_from"],
        "pickup_until": view["pickup_until"],
    }  # fmt: skip


def test_a_kiosk_gets_the_stores_key_and_ready_orders_and_picks_up_only_its_stores(
    payments: PaymentsHarness,
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from kiosk.domain.pickup_code import split

    campaign = new_campaign(payments)
    buyer = join_and_pay(payments, campaign, "13400000000")
    payments.clock.advance(HOUR + 1)
    _cut_off(payments, campaign)
    payments.op("POST", f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/ready", json={})
    kiosk = payments.kiosk("S001")
    key = kiosk.request("GET", "/v1/kiosk/pickup-key").json()
    code = order(payments, buyer)["pickup_code"]
    data, signature = split(code)
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"])).verify(signature, data)
    ready = kiosk.request("GET", "/v1/groupbuy/ready-orders").json()
    assert [o["order_id"] for o in ready] == [buyer["order_id"]]
    # Kiosks read ready orders strictly: fields they do not use stay out, so an older
    # kiosk's sync round does not fail on them (the after-sales window's, since 0019).
    assert all(set(line) == set(_KIOSK_LINE) for o in ready for line in o["lines"])
    elsewhere = payments.kiosk("S002")
    assert elsewhere.request("GET", "/v1/groupbuy/ready-orders").json() == []
    body = {"pickup_id": str(uuid.uuid4()), "code": code, "lines": None}
    problem(elsewhere.request("POST", "/v1/groupbuy/pickups", body), 403, "pickup_store")
    answer = kiosk.request("POST", "/v1/groupbuy/pickups", body)
    assert answer.json()["result"] == "stored", answer.text
    with payments.harness.engine.begin() as conn:
        assert conn.execute(select(groupbuy_refunds)).all() == []


_KIOSK_LINE = ("gtin", "names", "quantity", "unit_minor", "final_unit_minor", "collected")
"""The order line as kiosks have read it since group-buy pickups began."""
