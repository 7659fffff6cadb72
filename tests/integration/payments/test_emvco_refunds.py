"""Refunds of EMVCo QR sales through the acquirer that took the money (the local
acquirer simulator over real HTTP, HMAC-signed both ways): once per refund id, never
more than the bill, `processing` asked about until refunded; the acquirer's refund
callback settles a refund the service stopped asking about, exactly once however it
races the service's own query; a scheme without a refund endpoint is refunded in cash."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from central.payments.config import EmvcoScheme, StoreConfig
from central.payments.providers.base import bill_number
from kiosk.domain.emvco import promptpay_account
from kiosk.domain.money import Money
from simulators.emvco_acquirer import AcquirerSimulator
from tests.integration.payments.conftest import Kiosk, PaymentsHarness, problem
from tests.integration.payments.test_refunds import (
    CAKE,
    TEA,
    learnt_settled,
    paid_sale,
    processing_refund,
    push,
    refund,
    refunding,
)
from tests.integration.payments.test_wechat_refunds import row, settlements

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


def acquirer_processing(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> tuple[Kiosk, dict[str, Any], str]:
    """A kiosk, and its refund of one tea the acquirer has taken and is still at."""
    kiosk = emvco.kiosk()
    acquirer.refund_processing = 10**6  # it answers processing until it is done
    one_tea, refund_id = processing_refund(emvco, kiosk, "emvco:acq", pay=_pay(emvco, acquirer))
    return kiosk, one_tea, refund_id


def test_the_acquirers_callback_settles_a_refund_the_service_stopped_asking_about(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    kiosk, one_tea, refund_id = acquirer_processing(emvco, acquirer)
    assert acquirer.refunds[refund_id]["request"]["notify_url"] == (
        emvco.url + "/v1/providers/emvco/acq/refund-notify"
    )
    answer = acquirer.finish_refund(refund_id)  # the money is back: the acquirer calls
    assert answer is not None
    assert (answer.status_code, answer.json()) == (200, {"result": "accepted"})
    stored = row(emvco, one_tea["refund_id"])
    assert (stored.status, stored.provider_ref) == (
        "refunded",
        acquirer.refunds[refund_id]["answer"]["reference"],
    )
    learnt_settled(emvco, kiosk, one_tea)
    assert acquirer.refunded(acquirer.refunds[refund_id]["request"]["bill_number"]) == TEA


def test_the_sweep_settles_refunds_whose_callback_never_came(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    """The acquirer finished one refund and failed another without calling back: only
    the sweep learns it (they stayed `processing` for good, their points never booked)."""
    kiosk, one_tea, refund_id = acquirer_processing(emvco, acquirer)
    _, failing, failing_id = acquirer_processing(emvco, acquirer)
    assert emvco.op("POST", "/v1/ops/refunds/sweep").json() == {"checked": 2}
    assert row(emvco, one_tea["refund_id"]).status == "processing"  # still at the acquirer
    acquirer.finish_refund(refund_id, notify=False)
    acquirer.fail_refund(failing_id, notify=False)
    assert emvco.op("POST", "/v1/ops/refunds/sweep").json() == {"checked": 2}
    assert row(emvco, one_tea["refund_id"]).status == "refunded"
    assert (row(emvco, failing["refund_id"]).status, row(emvco, failing["refund_id"]).failure) == (
        "failed",
        "account_closed",
    )
    assert emvco.op("POST", "/v1/ops/refunds/sweep").json() == {"checked": 0}
    (again,) = push(kiosk, one_tea).json()["results"]
    assert (again["result"], again["status"]) == ("duplicate", "refunded")
    totals = emvco.op("GET", "/v1/admin/reports/sales").json()["totals"]
    assert sum(t["refund_minor"] for t in totals) == TEA


def test_the_callback_and_the_query_race_and_settle_once(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    """The refund is done at the acquirer; its callbacks (each freshly signed, one of
    them twice: the replay guard) and the kiosk's re-sent pushes (each asking the
    acquirer, which now answers refunded) arrive all at once. One UPDATE settles it."""
    changed = settlements(emvco.app.state.central.engine)
    kiosk, one_tea, refund_id = acquirer_processing(emvco, acquirer)
    acquirer.finish_refund(refund_id, notify=False)
    changed.clear()  # the push that recorded it `processing` changed nothing yet
    callbacks = [acquirer.refund_notification(refund_id) for _ in range(4)]
    callbacks.append(callbacks[0])
    answers: list[int] = []

    def call_back(headers: dict[str, str], body: bytes) -> None:
        answers.append(acquirer.send_refund(refund_id, headers, body).status_code)

    threads = [threading.Thread(target=call_back, args=c) for c in callbacks] + [
        threading.Thread(target=push, args=(kiosk, one_tea)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [200] * 5  # every callback acknowledged, the replay harmlessly
    assert sum(changed) == 1
    after = row(emvco, one_tea["refund_id"])
    assert after.status == "refunded"
    assert acquirer.refunded(acquirer.refunds[refund_id]["request"]["bill_number"]) == TEA


def test_refund_callbacks_that_fail_the_checks_change_nothing(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    _, one_tea, refund_id = acquirer_processing(emvco, acquirer)
    acquirer.finish_refund(refund_id, notify=False)
    # Signed with another secret: refused, as an unsigned one would be.
    forged = acquirer.refund_notification(refund_id, secret=b"not the acquirer")
    assert acquirer.send_refund(refund_id, *forged).status_code == 401
    # Signed by the acquirer, but for another amount: refused and flagged for review.
    wrong = acquirer.refund_notification(refund_id, amount="10.01")
    answer = acquirer.send_refund(refund_id, *wrong)
    assert (answer.status_code, answer.json()["result"]) == (400, "refused")
    flags = emvco.op("GET", "/v1/ops/payments/flags").json()
    assert [f["kind"] for f in flags] == ["refund_mismatch"]
    assert row(emvco, one_tea["refund_id"]).status == "processing"
    # The right callback, sent after those, settles it.
    assert acquirer.send_refund(refund_id).status_code == 200
    assert row(emvco, one_tea["refund_id"]).status == "refunded"
