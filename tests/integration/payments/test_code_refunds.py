"""Refunds of payment-code sales through the provider that charged them, against the
local simulators over real HTTP: WeChat Pay `/secapi/pay/refund` + `/pay/refundquery`
(API v2, signed both ways) and Alipay `alipay.trade.refund` +
`alipay.trade.fastpay.refund.query` (RSA2 both ways), once per refund id, never more
than the order, and a refund whose answer was a system error settled by the query."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from central.payments.config import StoreConfig
from simulators.payment_codes import CodeRefund, CodeSimulator
from tests.integration.payments.conftest import PaymentsHarness
from tests.integration.payments.test_payment_codes import code, sim
from tests.integration.payments.test_refunds import CAKE, TEA, paid_sale, push, refund, refunding

__all__ = ["sim"]


@pytest.fixture
def codes(central_db_url: str, sim: CodeSimulator) -> Iterator[PaymentsHarness]:
    sim.refund_processing, sim.refund_errors = 0, 0
    store = StoreConfig(
        wechat_code=sim.wechat_config(timeout_s=1.0), alipay=sim.alipay_config(timeout_s=1.0)
    )
    yield from refunding(central_db_url, store)


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_a_code_sale_is_refunded_line_by_line_once_each(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    sim.refund_processing = 1  # WeChat: the first query answers PROCESSING
    kiosk = codes.kiosk()
    doc = paid_sale(kiosk, auth_code=code(wallet, "00"))
    otn = doc["tenders"][0]["payment_id"].replace("-", "")
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert (answer["status"], answer["method"]) == ("refunded", f"{wallet}_code")
    number = one_tea["refund_id"].replace("-", "")
    assert sim.refunds[number].amount == TEA
    assert sim.refunded(otn) == TEA
    # Sent again (a lost answer): the provider refunds that number once.
    again = push(kiosk, one_tea).json()["results"][0]
    assert again == answer | {"result": "duplicate"}
    assert sim.refunded(otn) == TEA
    rest = push(kiosk, refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})).json()["results"][0]
    assert rest["status"] == "refunded"
    assert sim.refunded(otn) == 3 * TEA + CAKE
    assert sim.money_taken(otn) == 1  # charged once, no reversal: the refunds gave it back
    calls = ["refund", "refundquery"] if wallet == "wechat" else ["alipay.trade.refund"]
    assert set(calls) <= set(sim.calls)


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_a_refund_answered_with_a_system_error_is_settled_by_the_query(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    kiosk = codes.kiosk()
    doc = paid_sale(kiosk, auth_code=code(wallet, "00"))
    otn = doc["tenders"][0]["payment_id"].replace("-", "")
    sim.refund_errors = 1  # the refund is made, its answer says SYSTEMERROR / 20000
    sim.calls.clear()
    (answer,) = push(kiosk, refund(doc, {2: (1, CAKE)})).json()["results"]
    assert answer["status"] == "refunded"
    assert sim.refunded(otn) == CAKE
    query = "refundquery" if wallet == "wechat" else "alipay.trade.fastpay.refund.query"
    assert query in sim.calls


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_the_provider_refuses_more_than_the_order(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    """The service's own check stops an over-refund first; an order already refunded at
    the provider some other way (its merchant portal) is refused there, finally."""
    kiosk = codes.kiosk()
    doc = paid_sale(kiosk, auth_code=code(wallet, "00"))
    otn = doc["tenders"][0]["payment_id"].replace("-", "")
    sim.refunds["f" * 32] = CodeRefund(otn, 3 * TEA, "from the merchant portal")
    try:
        (answer,) = push(kiosk, refund(doc, {1: (3, 3 * TEA), 2: (1, CAKE)})).json()["results"]
    finally:
        del sim.refunds["f" * 32]
    assert answer["status"] == "failed"
    assert answer["failure"] == (
        "ERROR" if wallet == "wechat" else "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    )
    assert sim.refunded(otn) == 0
