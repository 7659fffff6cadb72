"""Refunds of EMVCo QR sales through the acquirer that took the money (the local
acquirer simulator over real HTTP, HMAC-signed both ways): once per refund id, never
more than the bill, `processing` asked about until refunded; a scheme without a refund
endpoint is refunded in cash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from central.payments.config import EmvcoScheme, StoreConfig
from central.payments.providers.base import bill_number
from kiosk.domain.emvco import promptpay_account
from kiosk.domain.money import Money
from simulators.emvco_acquirer import AcquirerSimulator
from tests.integration.payments.conftest import PaymentsHarness, problem
from tests.integration.payments.test_refunds import CAKE, TEA, paid_sale, push, refund, refunding

# A scheme in yuan with the acquirer's own merchant template (the tests' sales are CNY).
SCHEME = EmvcoScheme("acq", "26", promptpay_account("0812345678"), "CNY", "CN", b"")


@pytest.fixture(scope="module")
def acquirer() -> Iterator[AcquirerSimulator]:
    simulator = AcquirerSimulator(secret=b"acquirer-shared-secret")
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def emvco(central_db_url: str, acquirer: AcquirerSimulator) -> Iterator[PaymentsHarness]:
    acquirer.refund_processing = 0
    scheme = replace(SCHEME, secret=acquirer.secret, refund_url=acquirer.refund_url, timeout_s=2.0)
    store = StoreConfig(default_provider="emvco:acq", emvco={"acq": scheme})
    yield from refunding(central_db_url, store)


def _pay(emvco: PaymentsHarness, acquirer: AcquirerSimulator) -> Any:
    def pay(payment: dict[str, Any]) -> None:
        notify = f"{emvco.url}/v1/providers/emvco/acq/notify"
        amount = Money(payment["amount_minor"], payment["currency"])
        answer = acquirer.pay(notify, bill_number(payment["payment_id"]), amount)
        assert answer.status_code == 200, answer.text

    return pay


def test_an_emvco_sale_is_refunded_through_its_acquirer_once(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    acquirer.refund_processing = 2  # the POST and the first query answer processing
    kiosk = emvco.kiosk()
    doc = paid_sale(kiosk, provider="emvco:acq", pay=_pay(emvco, acquirer))
    bill = bill_number(doc["tenders"][0]["payment_id"])
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert (answer["status"], answer["method"]) == ("refunded", "emvco:acq")
    made = acquirer.refunds[one_tea["refund_id"].replace("-", "")]
    assert made["request"]["amount"] == "10.00"
    assert answer["provider_ref"] == made["answer"]["reference"]
    again = push(kiosk, one_tea).json()["results"][0]
    assert again == answer | {"result": "duplicate"}
    rest = push(kiosk, refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})).json()["results"][0]
    assert rest["status"] == "refunded"
    assert acquirer.refunded(bill) == 3 * TEA + CAKE
    assert len([r for r in acquirer.refunds.values() if r["request"]["bill_number"] == bill]) == 2
    assert acquirer.refused_requests == []


def test_the_acquirer_refuses_what_it_was_not_paid(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    kiosk = emvco.kiosk()
    doc = paid_sale(kiosk, provider="emvco:acq", pay=_pay(emvco, acquirer))
    bill = bill_number(doc["tenders"][0]["payment_id"])
    acquirer.paid[bill] = Money(TEA, "CNY")  # the acquirer's books say: paid 10.00 only
    try:
        (answer,) = push(
            kiosk,
            refund(doc, {2: (1, CAKE)}),
        ).json()["results"]
        assert answer["status"] == "refunded"
        (over,) = push(kiosk, refund(doc, {1: (1, TEA)})).json()["results"]
    finally:
        acquirer.paid[bill] = Money(3 * TEA + CAKE, "CNY")
    assert (over["status"], over["failure"]) == ("failed", "exceeds_paid")


def test_a_scheme_without_a_refund_endpoint_is_refunded_in_cash(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    kiosk = emvco.kiosk()
    doc = paid_sale(kiosk, provider="emvco:acq", pay=_pay(emvco, acquirer))
    store = StoreConfig(
        default_provider="emvco:acq", emvco={"acq": replace(SCHEME, secret=acquirer.secret)}
    )
    emvco.reconfigure(replace(emvco.runtime.config, default_store=store))
    problem(push(kiosk, refund(doc, {1: (1, TEA)})), 422, "refund_not_refundable")
    (cash,) = push(kiosk, refund(doc, {1: (1, TEA)}, method="cash")).json()["results"]
    assert (cash["status"], cash["method"]) == ("refunded", "cash")
