"""WeChat Pay v3 refunds through the simulator: `POST /v3/refund/domestic/refunds`
(signed both ways), PROCESSING then SUCCESS by query, once per out_refund_no."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from central.payments.config import PaymentsConfig, StoreConfig
from simulators.wechat_pay import WeChatSimulator
from tests.integration.payments.conftest import PaymentsHarness, start_payments
from tests.integration.payments.test_refunds import CAKE, TEA, paid_sale, push, refund
from tests.integration.payments.test_wechat_pay import sim  # the fixture

__all__ = ["sim"]


@pytest.fixture
def wechat(central_db_url: str, sim: WeChatSimulator) -> Iterator[PaymentsHarness]:
    sim.delay_s = 0
    store = StoreConfig(default_provider="wechat", wechat=sim.config(timeout_s=1.0))
    config = PaymentsConfig(
        default_store=store, poll_interval_s=0.02, refund_poll_s=0.01, refund_wait_s=5
    )
    harness, stop = start_payments(central_db_url, config)
    try:
        yield harness
    finally:
        stop()


def test_a_line_refunded_through_wechat_pay_once(
    wechat: PaymentsHarness,
    sim: WeChatSimulator,
) -> None:
    sim.refund_processing = 2  # the create and the first query answer PROCESSING
    kiosk = wechat.kiosk()
    doc = paid_sale(wechat, kiosk, provider="wechat", sim=sim)
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert (answer["status"], answer["method"]) == ("refunded", "wechat")
    otn = doc["tenders"][0]["payment_id"].replace("-", "")
    [(out_refund_no, sent)] = [
        (k, r) for k, r in sim.refunds.items() if r["request"]["out_trade_no"] == otn
    ]
    assert out_refund_no == one_tea["refund_id"].replace("-", "")
    assert sent["request"]["amount"] == {"refund": TEA, "total": 3 * TEA + CAKE, "currency": "CNY"}
    assert answer["provider_ref"] == sent["doc"]["refund_id"]
    # Sent again (a lost answer): WeChat answers the same refund; nothing more goes back.
    again = push(kiosk, one_tea).json()["results"][0]
    assert again == answer | {"result": "duplicate"}
    assert sum(1 for r in sim.refunds.values() if r["request"]["out_trade_no"] == otn) == 1
    rest = push(kiosk, refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})).json()["results"][0]
    assert rest["status"] == "refunded"
    refunded = sum(
        r["doc"]["amount"]["refund"]
        for r in sim.refunds.values()
        if r["request"]["out_trade_no"] == otn
    )
    assert refunded == 3 * TEA + CAKE
