from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentError, PaymentMismatch, PaymentSession, PaymentStatus

T0 = datetime(2026, 11, 23, 10, tzinfo=UTC)
AMOUNT = Money(2450, "CNY")


def shown() -> PaymentSession:
    session = PaymentSession("pay-1", "sale-1", AMOUNT, "sandbox", T0)
    return session.shown("https://pay/x", T0 + timedelta(minutes=2))


def test_happy_path_and_duplicate_notify_is_harmless() -> None:
    paid = shown().paid(AMOUNT, "wx-42", T0 + timedelta(seconds=30), order_id="pay-1")
    assert paid.status is PaymentStatus.PAID
    assert not paid.late
    assert paid.paid(AMOUNT, "wx-42", T0 + timedelta(seconds=31)) == paid


def test_wrong_amount_or_order_is_refused() -> None:
    with pytest.raises(PaymentMismatch, match="QR was for"):
        shown().paid(Money(2449, "CNY"), "wx", T0)
    with pytest.raises(PaymentMismatch, match="order"):
        shown().paid(AMOUNT, "wx", T0, order_id="pay-2")
    with pytest.raises(PaymentMismatch, match="QR was for"):
        shown().paid(Money(2450, "KRW"), "wx", T0)


def test_a_second_different_proof_for_a_paid_session_is_flagged() -> None:
    paid = shown().paid(AMOUNT, "wx-1", T0)
    with pytest.raises(PaymentMismatch, match="already paid"):
        paid.paid(AMOUNT, "wx-2", T0)


def test_expiry_only_after_the_deadline() -> None:
    with pytest.raises(PaymentError):
        shown().expire(T0 + timedelta(seconds=119))
    assert shown().expire(T0 + timedelta(minutes=2)).status is PaymentStatus.EXPIRED


@pytest.mark.parametrize("end", ["expire", "cancel"])
def test_money_taken_after_expiry_or_cancel_is_kept_as_a_late_payment(end: str) -> None:
    session = shown()
    closed = session.expire(T0 + timedelta(minutes=3)) if end == "expire" else session.cancel()
    late = closed.paid(AMOUNT, "wx-9", T0 + timedelta(minutes=3))
    assert late.status is PaymentStatus.PAID
    assert late.late


def test_terminal_states_do_not_move_back() -> None:
    paid = shown().paid(AMOUNT, "wx", T0)
    for action in (paid.cancel, lambda: paid.fail("x"), lambda: paid.expire(T0 + timedelta(1))):
        with pytest.raises(PaymentError):
            action()
    failed = shown().fail("provider down")
    with pytest.raises(PaymentError):
        failed.paid(AMOUNT, "wx", T0)


def test_wire_round_trip() -> None:
    session = shown().paid(AMOUNT, "wx", T0, attended_by="1001")
    assert PaymentSession.from_wire(session.to_wire()) == session
