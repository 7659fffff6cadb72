"""Alerts' legal transitions (`kiosk.domain.alerts`), by example and under hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.alerts import (
    OPEN_STATES,
    SHOPPER,
    Alert,
    AlertError,
    AlertReason,
    AlertState,
)
from kiosk.domain.money import Money

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def raised(reason: AlertReason = AlertReason.AGE_CHECK, **kwargs: object) -> Alert:
    return Alert("a-1", "K1", reason, T0, **kwargs)  # type: ignore[arg-type]


def test_acknowledged_then_cleared_keeps_who_and_when() -> None:
    alert = raised(line_no=3)
    coming = alert.acknowledge("1001", T0 + timedelta(seconds=40))
    done = coming.clear("1002", T0 + timedelta(seconds=95))
    assert (coming.state, coming.acknowledged_by, coming.version) == (
        AlertState.ACKNOWLEDGED,
        "1001",
        2,
    )
    assert (done.state, done.closed_by, done.closed_at, done.version) == (
        AlertState.CLEARED,
        "1002",
        T0 + timedelta(seconds=95),
        3,
    )
    assert done.acknowledged_by == "1001"  # the history stays on the value
    assert not done.is_open


def test_a_second_attendant_cannot_acknowledge_the_same_alert() -> None:
    coming = raised().acknowledge("1001", T0)
    with pytest.raises(AlertError) as info:
        coming.acknowledge("1002", T0)
    assert info.value.reason == "alert_already_acknowledged"


def test_staff_may_clear_without_acknowledging_first() -> None:
    assert raised().clear("1001", T0).state is AlertState.CLEARED


def test_the_shopper_withdraws_only_their_own_call() -> None:
    call = raised(AlertReason.SHOPPER_CALL)
    assert call.withdraw(T0).state is AlertState.WITHDRAWN
    assert call.withdraw(T0).closed_by == SHOPPER
    with pytest.raises(AlertError) as info:
        raised(AlertReason.RECALLED_ITEM).withdraw(T0)
    assert info.value.reason == "alert_needs_staff"


def test_a_closed_alert_changes_no_more() -> None:
    done = raised().clear("1001", T0)
    for change in (
        lambda: done.clear("1001", T0),
        lambda: done.acknowledge("1001", T0),
        lambda: done.withdraw(T0),
    ):
        with pytest.raises(AlertError) as info:
            change()
        assert info.value.reason == "alert_closed"


def test_the_wire_form_round_trips_with_its_amount() -> None:
    alert = raised(AlertReason.ATTENDED_PAYMENT, amount=Money(1250, "CNY")).acknowledge("9", T0)
    assert Alert.from_wire(alert.to_wire()) == alert
    assert alert.to_wire()["amount_minor"] == 1250


def test_the_wire_form_keeps_the_item_it_is_about() -> None:
    alert = raised(AlertReason.RECALLED_ITEM, gtin="06935412001014")
    assert Alert.from_wire(alert.to_wire()) == alert
    # An alert stored before alerts named their item reads as one about no item.
    older = {k: v for k, v in alert.to_wire().items() if k != "gtin"}
    assert Alert.from_wire(older).gtin is None


Step = tuple[str, str]
steps = st.lists(
    st.tuples(st.sampled_from(["acknowledge", "clear", "withdraw"]), st.sampled_from(["1", "2"])),
    max_size=8,
)


@given(st.sampled_from(AlertReason), steps)
def test_any_sequence_of_changes_follows_the_state_machine(
    reason: AlertReason, changes: list[Step]
) -> None:
    """Whatever is tried in whatever order: each accepted change moves one legal step and
    counts one version; a refused one changes nothing; closed is final; a withdrawal is
    only ever the shopper's own call; and the wire form always round-trips."""
    alert = raised(reason)
    for i, (change, staff) in enumerate(changes):
        at = T0 + timedelta(seconds=i)
        before = alert
        try:
            if change == "acknowledge":
                alert = alert.acknowledge(staff, at)
            elif change == "clear":
                alert = alert.clear(staff, at)
            else:
                alert = alert.withdraw(at)
        except AlertError:
            assert alert == before
            continue
        assert before.state in OPEN_STATES
        assert alert.version == before.version + 1
        assert (before.state, alert.state) in {
            (AlertState.RAISED, AlertState.ACKNOWLEDGED),
            (AlertState.RAISED, AlertState.CLEARED),
            (AlertState.ACKNOWLEDGED, AlertState.CLEARED),
            (AlertState.RAISED, AlertState.WITHDRAWN),
            (AlertState.ACKNOWLEDGED, AlertState.WITHDRAWN),
        }
        if alert.state is AlertState.WITHDRAWN:
            assert reason is AlertReason.SHOPPER_CALL
        assert Alert.from_wire(alert.to_wire()) == alert
