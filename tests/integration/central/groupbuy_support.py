"""What the group-buy tests share: the service with payments on loopback (SQLite and
PostgreSQL), the demo catalog, a tiered campaign, buyers who join and pay in the
sandbox wallet, and a webhook receiver on loopback."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from tests.integration.payments.conftest import PaymentsHarness, start_payments

WATER = "06935412001014"  # the demo catalog's Nongfu Spring 550ml
JUICE = "06935412001038"
HOUR = 3600


WEBHOOK_SECRET = b"test webhook secret, S001 only"


@pytest.fixture
def payments(central_db_url: str, demo_products: list[dict[str, Any]]) -> Iterator[PaymentsHarness]:
    harness, stop = start_payments(central_db_url)
    # What CENTRAL_GROUPBUY_WEBHOOK_SECRETS='{"S001": "…"}' gives a deployment.
    central = harness.app.state.central
    central.settings = replace(central.settings, webhook_secrets={"S001": (WEBHOOK_SECRET,)})
    harness.harness.load_catalog(demo_products)
    try:
        yield harness
    finally:
        stop()


def iso(payments: PaymentsHarness, seconds_from_now: float) -> str:
    ms = payments.clock() + int(seconds_from_now * 1000)
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def new_campaign(payments: PaymentsHarness, **overrides: Any) -> dict[str, Any]:
    """¥39.90 a case of water, ¥35.90 from 3 buyers, ¥32.90 from 6; juice untiered."""
    answer = payments.op(
        "POST", "/v1/groupbuy/campaigns", json=campaign_body(payments, **overrides)
    )
    assert answer.status_code == 201, answer.text
    view: dict[str, Any] = answer.json()
    return view


def campaign_body(payments: PaymentsHarness, **overrides: Any) -> dict[str, Any]:
    """What `new_campaign` sends."""
    body: dict[str, Any] = {
        "campaign_id": str(uuid.uuid4()),
        "store_id": "S001",
        "leader": "Wang (building 3)",
        "title": "Building 3 water run",
        "currency": "CNY",
        "cutoff_at": iso(payments, HOUR),
        "pickup_from": iso(payments, 2 * HOUR),
        "pickup_until": iso(payments, 26 * HOUR),
        "commission_bp": 500,
        "unclaimed_policy": "refund",
        "items": [
            {"gtin": WATER, "price_minor": 3990, "per_person": 3, "stock": 40,
             "tiers": [{"min_buyers": 3, "price_minor": 3590},
                       {"min_buyers": 6, "price_minor": 3290}]},
            {"gtin": JUICE, "price_minor": 600, "per_person": 5, "stock": 4},
        ],
    }  # fmt: skip
    return body | overrides


def share_sig(campaign: dict[str, Any]) -> str:
    return str(parse_qs(urlparse(str(campaign["share_url"])).query)["s"][0])


def join(
    payments: PaymentsHarness,
    campaign: dict[str, Any],
    phone: str,
    lines: list[dict[str, Any]],
    order_id: str | None = None,
) -> requests.Response:
    body = {"order_id": order_id or str(uuid.uuid4()), "buyer": f"buyer {phone[-4:]}",
            "phone": phone, "lines": lines}  # fmt: skip
    path = f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/orders?s={share_sig(campaign)}"
    return requests.post(payments.url + path, json=body, timeout=30)


def pay(pay_url: str) -> None:
    """What the shopper's phone does in the sandbox wallet: press Pay."""
    parsed = urlparse(pay_url)
    token = parse_qs(parsed.query)["t"][0]
    answer = requests.post(
        f"{parsed.scheme}://{parsed.netloc}{parsed.path}",
        data={"t": token, "action": "pay"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def order(payments: PaymentsHarness, view: dict[str, Any]) -> dict[str, Any]:
    answer = requests.get(
        f"{payments.url}/v1/groupbuy/orders/{view['order_id']}",
        headers={"X-Order-Token": view["token"]},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def join_and_pay(
    payments: PaymentsHarness, campaign: dict[str, Any], phone: str, quantity: int = 1
) -> dict[str, Any]:
    answer = join(payments, campaign, phone, [{"gtin": WATER, "quantity": quantity}])
    assert answer.status_code == 201, answer.text
    view: dict[str, Any] = answer.json()
    pay(view["pay_url"])
    paid = order(payments, view)
    assert paid["status"] == "paid", paid
    return {**paid, "token": view["token"]}


@dataclass
class Receiver:
    """A webhook endpoint on loopback: keeps each body it gets, and its headers."""

    url: str
    bodies: list[bytes] = field(default_factory=list)
    got: threading.Event = field(default_factory=threading.Event)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received: list[bytes] = []
    headers: list[dict[str, str]] = []
    got = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            headers.append(dict(self.headers.items()))
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()
            got.set()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        yield Receiver(url, received, got, headers)
    finally:
        server.shutdown()
        server.server_close()
