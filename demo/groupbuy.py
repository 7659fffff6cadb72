"""The demo's group-buy: a leader's tiered campaign on the demo central service, three
neighbours who order and pay in the sandbox wallet, the cut-off (the tier reached lowers
the price, the difference is refunded) and the store marking the orders ready, so a
shopper can collect one at the kiosk with its pickup code (docs/group-buy.md).

The demo service runs on the real clock and refuses a cut-off before its time, so the
campaign's cut-off is two seconds after it is made, and the script waits for it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests

from central.embedded import EmbeddedCentral
from central.kiosks import service as kiosks
from demo.store import pay_on_the_phone

WATER = "06935412001014"  # Nongfu Spring 550ml in the demo catalog
JUICE = "06935412001038"
CUTOFF_S = 2.0
TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class ReadyOrder:
    """A buyer's order, ready at the store: what the buyer's phone shows."""

    order_id: str
    buyer: str
    pickup_code: str
    paid_minor: int
    final_minor: int


def ready_group_buy(central: EmbeddedCentral) -> list[ReadyOrder]:
    """A campaign with three buyers, cut off and ready for pickup at store S001; the
    first buyer's order has water and juice, the others water."""
    with central.app.state.central.tx() as conn:
        token = kiosks.add_operator(conn, "demo leader", int(time.time() * 1000))
    op = requests.Session()
    op.headers["Authorization"] = f"Bearer {token}"
    now = datetime.now(UTC)
    cutoff = now + timedelta(seconds=CUTOFF_S)
    body: dict[str, Any] = {
        "campaign_id": str(uuid.uuid4()), "store_id": "S001", "leader": "王姐（3号楼）",
        "title": "3号楼 农夫山泉团购", "currency": "CNY",
        "cutoff_at": cutoff.isoformat(), "pickup_from": cutoff.isoformat(),
        "pickup_until": (now + timedelta(days=2)).isoformat(),
        "commission_bp": 500, "unclaimed_policy": "refund",
        "items": [
            {"gtin": WATER, "price_minor": 300, "per_person": 12, "stock": 200,
             "tiers": [{"min_buyers": 3, "price_minor": 250}]},
            {"gtin": JUICE, "price_minor": 600, "per_person": 4, "stock": 40},
        ],
    }  # fmt: skip
    campaign = _ok(op.post(f"{central.url}/v1/groupbuy/campaigns", json=body, timeout=TIMEOUT_S))
    signature = parse_qs(urlparse(str(campaign["share_url"])).query)["s"][0]
    cid = campaign["campaign_id"]
    buyers = (
        ("李**", "13800000001", [{"gtin": WATER, "quantity": 3}, {"gtin": JUICE, "quantity": 1}]),
        ("张**", "13800000002", [{"gtin": WATER, "quantity": 6}]),
        ("赵**", "13800000003", [{"gtin": WATER, "quantity": 2}]),
    )
    tokens: list[tuple[str, str]] = []
    for buyer, phone, lines in buyers:
        join = {"order_id": str(uuid.uuid4()), "buyer": buyer, "phone": phone, "lines": lines}
        view = _ok(
            requests.post(
                f"{central.url}/v1/groupbuy/campaigns/{cid}/orders?s={signature}",
                json=join,
                timeout=TIMEOUT_S,
            )
        )
        pay_on_the_phone(str(view["pay_url"]))
        tokens.append((view["order_id"], view["token"]))
    time.sleep(max(0.0, (cutoff - datetime.now(UTC)).total_seconds()) + 0.1)  # the demo's clock
    _ok(op.post(f"{central.url}/v1/groupbuy/campaigns/{cid}/cut-off", timeout=TIMEOUT_S))
    _ok(op.post(f"{central.url}/v1/groupbuy/campaigns/{cid}/ready", json={}, timeout=TIMEOUT_S))
    orders = []
    for order_id, order_token in tokens:
        view = _ok(
            requests.get(
                f"{central.url}/v1/groupbuy/orders/{order_id}",
                headers={"X-Order-Token": order_token},
                timeout=TIMEOUT_S,
            )
        )
        orders.append(
            ReadyOrder(
                order_id,
                view["buyer"],
                str(view["pickup_code"]),
                int(view["paid_minor"]),
                int(view["final_minor"]),
            )
        )
    return orders


def _ok(answer: requests.Response) -> dict[str, Any]:
    if not answer.ok:
        raise RuntimeError(
            f"{answer.request.method} {answer.url}: {answer.status_code} {answer.text}"
        )
    result: dict[str, Any] = answer.json()
    return result
