"""WeChat Pay Native (API v3) against the local simulator: signatures both ways,
encrypted callbacks, query when no callback comes, close on expiry, slow providers."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from central.payments.config import PaymentsConfig, StoreConfig
from simulators.wechat_pay import SimOrder, WeChatSimulator
from tests.integration.payments.conftest import (
    Kiosk,
    PaymentsHarness,
    new_payment,
    problem,
    start_payments,
)


@pytest.fixture(scope="module")
def sim() -> Iterator[WeChatSimulator]:
    simulator = WeChatSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def wechat(central_db_url: str, sim: WeChatSimulator) -> Iterator[PaymentsHarness]:
    sim.delay_s = 0
    store = StoreConfig(default_provider="wechat", wechat=sim.config(timeout_s=1.0))
    config = PaymentsConfig(default_store=store, poll_interval_s=0.02)
    harness, stop = start_payments(central_db_url, config)
    try:
        yield harness
    finally:
        stop()


def _otn(view: dict[str, Any]) -> str:
    return str(view["payment_id"]).replace("-", "")


def _status(kiosk: Kiosk, view: dict[str, Any], wait: float = 0) -> dict[str, Any]:
    suffix = f"?wait={wait}" if wait else ""
    answer = kiosk.request("GET", f"/v1/payments/{view['payment_id']}{suffix}")
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_order_is_signed_and_paid_through_the_callback(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create(description="Demo Market 3 items").json()
    assert view["provider"] == "wechat"
    assert view["qr_payload"].startswith("weixin://wxpay/bizpayurl?pr=")
    order = sim.orders[_otn(view)].request
    assert order["amount"] == {"total": 2350, "currency": "CNY"}
    assert order["notify_url"] == wechat.url + "/v1/providers/wechat/notify"
    assert order["description"] == "Demo Market 3 items"
    assert order["time_expire"].endswith("+00:00")
    started = time.monotonic()
    answer = sim.pay(_otn(view))
    assert answer is not None
    assert time.monotonic() - started < 5, "WeChat wants an answer within 5 s"
    assert answer.status_code == 200
    assert answer.json()["code"] == "SUCCESS"
    paid = _status(kiosk, view, wait=5)
    assert paid["status"] == "paid"
    assert paid["provider_ref"] == sim.orders[_otn(view)].transaction_id
    # WeChat re-sends callbacks until it hears SUCCESS: a duplicate, and the very same
    # request replayed, are both harmless.
    headers, body = sim.notification(_otn(view))
    assert sim.send(_otn(view), headers, body).json()["code"] == "SUCCESS"
    assert sim.send(_otn(view), headers, body).json()["code"] == "SUCCESS"
    assert _status(kiosk, view) == paid
    assert wechat.op("GET", "/v1/ops/payments/flags").json() == []


def test_bad_callbacks_are_refused_and_never_pay(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    otn = _otn(view)
    sim.pay(otn, notify=False)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases: list[tuple[str, dict[str, str], bytes, int]] = []
    cases.append(("forged", *sim.notification(otn, signer=stranger), 401))
    old = str(int(time.time()) - 3600)
    cases.append(("replayed old", *sim.notification(otn, timestamp=old), 401))
    cases.append(("wrong APIv3 key", *sim.notification(otn, apiv3_key=b"k" * 32), 400))
    cases.append(("wrong amount", *sim.notification(otn, total=1), 400))
    cases.append(("wrong currency", *sim.notification(otn, currency="USD"), 400))
    headers, body = sim.notification(otn)
    cases.append(("tampered body", headers, body.replace(b"TRANSACTION", b"TRANSACTIOM"), 401))
    cases.append(("unknown serial", {**headers, "Wechatpay-Serial": "PUB_KEY_ID_0"}, body, 401))
    cases.append(("unsigned", {"Content-Type": "application/json"}, body, 401))
    for name, h, b, status in cases:
        answer = sim.send(otn, h, b)
        assert answer.status_code == status, (name, answer.text)
        assert answer.json()["code"] == "FAIL", name
        assert _status(kiosk, view)["status"] == "shown", f"{name} must not pay"
    flags = wechat.op("GET", "/v1/ops/payments/flags").json()
    assert sorted((f["kind"], f["amount_minor"], f["currency"]) for f in flags) == [
        ("mismatch", 1, "CNY"),
        ("mismatch", 2350, "USD"),
    ]
    # An order this service never made (same merchant, other system).
    stray = uuid.uuid4().hex
    sim.orders[stray] = SimOrder(
        {**sim.orders[otn].request, "out_trade_no": stray}, "weixin://x", "SUCCESS", "4200", ""
    )
    sim.orders[stray].success_time = "2026-11-23T13:00:00+08:00"
    answer = sim.send(stray, *sim.notification(stray))
    assert answer.status_code == 404
    assert wechat.op("GET", "/v1/ops/payments/flags").json()[0]["kind"] == "unknown_order"
    # The genuine callback still pays.
    assert sim.send(otn, *sim.notification(otn)).json()["code"] == "SUCCESS"
    assert _status(kiosk, view)["status"] == "paid"


def test_query_finds_a_payment_whose_callback_never_came(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    sim.pay(_otn(view), notify=False)
    assert _status(kiosk, view)["status"] == "shown", "no query before the first delay"
    wechat.clock.advance(9)
    paid = _status(kiosk, view, wait=3)
    assert paid["status"] == "paid"
    assert paid["late"] is False


def test_expired_order_is_closed_at_wechat(wechat: PaymentsHarness, sim: WeChatSimulator) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    wechat.clock.advance(121)
    assert _status(kiosk, view, wait=3)["status"] == "expired"
    assert sim.orders[_otn(view)].state == "CLOSED"


def test_cancel_of_an_order_paid_meanwhile_answers_paid(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    sim.pay(_otn(view), notify=False)
    answer = kiosk.request("POST", f"/v1/payments/{view['payment_id']}/cancel")
    assert answer.json()["status"] == "paid"
    other = kiosk.create().json()
    cancelled = kiosk.request("POST", f"/v1/payments/{other['payment_id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert sim.orders[_otn(other)].state == "CLOSED"


def test_slow_provider_on_create_is_retried_with_the_same_order(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    body = new_payment()
    sim.delay_s = 1.5
    problem(kiosk.request("POST", "/v1/payments", body), 503, "provider_unavailable")
    time.sleep(1.6)  # let the simulator finish the answer nobody waits for any more
    sim.delay_s = 0
    first = kiosk.request("POST", "/v1/payments", body).json()
    assert first["status"] == "shown"
    assert first["qr_payload"] == sim.orders[body["payment_id"].replace("-", "")].code_url


def test_slow_provider_at_expiry_then_late_money_is_kept(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    sim.delay_s = 1.5
    wechat.clock.advance(121)
    expired = _status(kiosk, view)
    assert expired["status"] == "expired", "the kiosk gets an answer even if WeChat is slow"
    time.sleep(1.6)
    sim.delay_s = 0
    assert sim.orders[_otn(view)].state == "NOTPAY", "not closed at WeChat yet"
    # The shopper paid in that moment; the callback arrives: late, but kept.
    assert sim.pay(_otn(view)) is not None
    late = _status(kiosk, view)
    assert late["status"] == "paid"
    assert late["late"] is True


def test_sweep_retries_a_close_that_did_not_get_through(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    sim.delay_s = 1.5
    wechat.clock.advance(121)
    assert _status(kiosk, view)["status"] == "expired"
    time.sleep(1.6)
    sim.delay_s = 0
    wechat.clock.advance(10)
    assert wechat.op("POST", "/v1/ops/payments/sweep").json() == {"checked": 1}
    assert sim.orders[_otn(view)].state == "CLOSED"
    assert wechat.op("POST", "/v1/ops/payments/sweep").json() == {"checked": 0}


def test_answers_not_signed_by_the_platform_are_not_believed(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    real = sim.platform_key
    sim.platform_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        problem(kiosk.create(), 503, "provider_unavailable")
    finally:
        sim.platform_key = real


def test_requests_not_signed_by_the_merchant_are_refused_by_wechat(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    other = WeChatSimulator(merchant_serial=sim.merchant_serial)
    config = replace(sim.config(), private_key_pem=other.config().private_key_pem)
    store = StoreConfig(default_provider="wechat", wechat=config)
    wechat.reconfigure(PaymentsConfig(default_store=store))
    kiosk = wechat.kiosk()
    answer = kiosk.create()
    problem(answer, 502, "provider_refused")
    assert "SIGN_ERROR" in answer.json()["detail"]
    assert sim.refused_requests[-1] == "signature does not verify"


def test_sandbox_and_wechat_side_by_side(wechat: PaymentsHarness, sim: WeChatSimulator) -> None:
    store = StoreConfig(default_provider="sandbox", wechat=sim.config())
    wechat.reconfigure(PaymentsConfig(default_store=store, poll_interval_s=0.02))
    kiosk = wechat.kiosk()
    assert kiosk.create().json()["provider"] == "sandbox"
    assert kiosk.create(provider="wechat").json()["provider"] == "wechat"


def test_a_query_answer_for_another_amount_is_flagged_not_paid(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()
    sim.orders[_otn(view)].request["amount"]["total"] = 1  # WeChat says 0.01 was paid
    sim.pay(_otn(view), notify=False)
    wechat.clock.advance(9)
    failed = _status(kiosk, view, wait=1)
    assert failed["status"] == "failed", "no payment is marked paid without proof"
    assert "staff must review" in failed["failure"]
    flags = wechat.op("GET", "/v1/ops/payments/flags").json()
    assert [(f["kind"], f["amount_minor"]) for f in flags] == [("mismatch", 1)]


def test_cancel_of_an_order_wechat_never_saw(wechat: PaymentsHarness, sim: WeChatSimulator) -> None:
    kiosk = wechat.kiosk()
    body = new_payment()
    sim.delay_s = 1.5
    problem(kiosk.request("POST", "/v1/payments", body), 503, "provider_unavailable")
    time.sleep(1.6)
    sim.delay_s = 0
    sim.orders.pop(body["payment_id"].replace("-", ""), None)  # as if it never arrived
    answer = kiosk.request("POST", f"/v1/payments/{body['payment_id']}/cancel").json()
    assert answer["status"] == "cancelled"
    wechat.clock.advance(30)
    assert wechat.op("POST", "/v1/ops/payments/sweep").json() == {"checked": 0}
