"""A refund's points and coupons follow the money: booked once the acquirer has refunded
(its answer, its query or its callback), never for a refund it fails, so a failed refund
leaves the member as they were and the supervisor's retry books once.

The money goes through the EMVCo acquirer simulator over real HTTP, on both databases.
What the sale booked for its member (points earned, a coupon used on the cake) is written
straight into the central tables: how it gets there is `test_loyalty_central`'s and
`test_refunds_kiosk`'s business."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from central.loyalty.tables import coupon_uses, member_ledger, redemptions
from central.payments.providers.base import bill_number
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from simulators.emvco_acquirer import AcquirerSimulator
from tests.integration.payments.conftest import Kiosk, PaymentsHarness
from tests.integration.payments.test_emvco_refunds import _pay, acquirer, emvco
from tests.integration.payments.test_refunds import CAKE, TEA, paid_sale, push, refund

__all__ = ["acquirer", "emvco"]

IDS = IdFactory()
EARNED = 350  # one point a yuan
COUPON = "cake-1-off"
WHOLE = {1: (3, 3 * TEA), 2: (1, CAKE)}


def member_sale(
    harness: PaymentsHarness, kiosk: Kiosk, acquirer: AcquirerSimulator
) -> tuple[dict[str, Any], str, str]:
    """A member's sale paid through the acquirer, with its points earned and a coupon
    used on the cake, as the service holds them: the sale, the member, the code."""
    member, code = IDS.new(), "CK" + IDS.new()[-12:].upper()
    discount = {"rule_id": f"coupon:{COUPON}:{code}", "line_nos": [2], "amount_minor": 0}
    doc = paid_sale(
        kiosk,
        provider="emvco:acq",
        pay=_pay(harness, acquirer),
        extra={"member_id": member, "discounts": [discount]},
    )
    now, at = harness.clock(), "2026-12-04T10:00:00+08:00"
    redemption = IDS.new()
    with harness.harness.engine.begin() as conn:
        conn.execute(
            insert(member_ledger).values(
                event_id=IDS.new(), member_id=member, kind="earn", points=EARNED,
                sale_id=doc["sale_id"], at=at, data="{}", kiosk_id=doc["kiosk_id"],
                store_id=doc["store_id"], received_at=now, body_hash="e" * 64,
            )
        )  # fmt: skip
        conn.execute(
            insert(redemptions).values(
                redemption_id=redemption, code=code, coupon_id=COUPON, member_id=member,
                sale_id=doc["sale_id"], store_id=doc["store_id"], kiosk_id=doc["kiosk_id"],
                at=at, amount_minor=100, currency="CNY", source="wallet", offline=False,
                status="accepted", received_at=now, body_hash="r" * 64,
            )
        )  # fmt: skip
        conn.execute(insert(coupon_uses).values(code=code, redemption_id=redemption, used_at=now))
    return doc, member, code


def loyalty(harness: PaymentsHarness, member: str, code: str) -> tuple[int, str, list[str]]:
    """The member's balance, the coupon's redemption status, and the refunds the ledger's
    refund adjustments name (one per booking), sorted."""
    with harness.harness.engine.begin() as conn:
        balance = conn.execute(
            select(func.coalesce(func.sum(member_ledger.c.points), 0)).where(
                member_ledger.c.member_id == member
            )
        ).scalar_one()
        status = conn.execute(
            select(redemptions.c.status).where(redemptions.c.code == code)
        ).scalar_one()
        adjustments = conn.execute(
            select(member_ledger.c.data).where(
                member_ledger.c.member_id == member, member_ledger.c.kind == "adjust"
            )
        ).scalars()
        booked = sorted(json.loads(data)["refund_id"] for data in adjustments)
    return int(balance), str(status), booked


def whole(doc: dict[str, Any], code: str) -> dict[str, Any]:
    """The whole sale back: every point it earned, and the cake's coupon."""
    return refund(doc, WHOLE, points_taken_back=EARNED, coupons_returned=[code])


def test_a_refund_the_acquirer_fails_books_nothing_and_its_retry_books_once(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    kiosk = emvco.kiosk()
    doc, member, code = member_sale(emvco, kiosk, acquirer)
    before = loyalty(emvco, member, code)
    assert before == (EARNED, "accepted", [])
    bill = bill_number(doc["tenders"][0]["payment_id"])
    acquirer.paid[bill] = Money(TEA, "CNY")  # its books say 10.00: it fails the refund
    try:
        first = whole(doc, code)
        (failed,) = push(kiosk, first).json()["results"]
        assert (failed["status"], failed["failure"]) == ("failed", "exceeds_paid")
        assert loyalty(emvco, member, code) == before
        (again,) = push(kiosk, first).json()["results"]  # the relay sends it again
        assert (again["result"], again["status"]) == ("duplicate", "failed")
        assert loyalty(emvco, member, code) == before
    finally:
        acquirer.paid[bill] = Money(3 * TEA + CAKE, "CNY")
    # The supervisor tries again, a new refund: the money, the points and the coupon
    # come back once.
    retry = whole(doc, code)
    (refunded,) = push(kiosk, retry).json()["results"]
    assert refunded["status"] == "refunded"
    push(kiosk, retry)
    assert loyalty(emvco, member, code) == (0, "returned", [retry["refund_id"]])
    kept = [c for c in emvco.op("GET", "/v1/admin/conflicts").json() if c["entity"] == "refund"]
    assert kept == []


@pytest.mark.parametrize("learnt_by", ["callback", "query"])
def test_a_refund_the_acquirer_fails_later_books_nothing(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator, learnt_by: str
) -> None:
    """The acquirer takes the refund, answers `processing`, then fails it: told by its
    callback, or by its answer to the query the kiosk's re-sent refund makes."""
    emvco.reconfigure(replace(emvco.runtime.config, refund_wait_s=0))
    acquirer.refund_processing = 10**6
    kiosk = emvco.kiosk()
    doc, member, code = member_sale(emvco, kiosk, acquirer)
    before = loyalty(emvco, member, code)
    first = whole(doc, code)
    (answer,) = push(kiosk, first).json()["results"]
    assert answer["status"] == "processing"
    assert loyalty(emvco, member, code) == before  # not until the money is back
    number = first["refund_id"].replace("-", "")
    callback = acquirer.fail_refund(number, notify=learnt_by == "callback")
    if callback is not None:
        assert callback.status_code == 200, callback.text
    (settled,) = push(kiosk, first).json()["results"]
    assert (settled["status"], settled["failure"]) == ("failed", "account_closed")
    assert loyalty(emvco, member, code) == before

    retry = whole(doc, code)
    assert push(kiosk, retry).json()["results"][0]["status"] == "processing"
    acquirer.finish_refund(retry["refund_id"].replace("-", ""), notify=learnt_by == "callback")
    for _ in range(2):  # asks the acquirer; the second changes nothing
        assert push(kiosk, retry).json()["results"][0]["status"] == "refunded"
    assert loyalty(emvco, member, code) == (0, "returned", [retry["refund_id"]])


def test_partial_refunds_add_up_whatever_fails_in_between(
    emvco: PaymentsHarness, acquirer: AcquirerSimulator
) -> None:
    """A tea still `processing` when the cake is refunded, then failed: the points follow
    the money that went back, so the sale refunded whole takes back exactly what it
    earned."""
    emvco.reconfigure(replace(emvco.runtime.config, refund_wait_s=0))
    kiosk = emvco.kiosk()
    doc, member, code = member_sale(emvco, kiosk, acquirer)
    acquirer.refund_processing = 10**6
    tea = refund(doc, {1: (1, TEA)}, points_taken_back=100)
    assert push(kiosk, tea).json()["results"][0]["status"] == "processing"
    acquirer.refund_processing = 0
    cake = refund(doc, {2: (1, CAKE)}, points_taken_back=50, coupons_returned=[code])
    assert push(kiosk, cake).json()["results"][0]["status"] == "refunded"
    assert loyalty(emvco, member, code) == (EARNED - 50, "returned", [cake["refund_id"]])
    acquirer.fail_refund(tea["refund_id"].replace("-", ""))
    rest = refund(doc, {1: (3, 3 * TEA)}, points_taken_back=EARNED - 50)
    assert push(kiosk, rest).json()["results"][0]["status"] == "refunded"
    balance, _, booked = loyalty(emvco, member, code)
    assert (balance, booked) == (0, sorted([cake["refund_id"], rest["refund_id"]]))
