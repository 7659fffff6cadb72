from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import JournalError, NotAllowed, Reason
from kiosk.domain.journal import JournalEntry, next_entry, verify_chain
from kiosk.domain.staff import Permission, PinThrottle, Role, Staff, check_pin


def chain(n: int) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    for i in range(n):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                "sale_paid",
                f"2026-11-23T10:00:{i:02d}",
                "kiosk",
                {"n": i},
            )
        )
    return entries


def test_a_chain_verifies_and_resumes_from_a_trusted_entry() -> None:
    entries = chain(5)
    assert verify_chain(entries) == 5
    assert verify_chain(entries[3:], previous=entries[2]) == 2


@given(st.integers(min_value=0, max_value=4), st.sampled_from(["kind", "at", "actor", "payload"]))
def test_changing_any_field_of_any_entry_is_detected(index: int, field: str) -> None:
    entries = chain(5)
    value = {"n": 99} if field == "payload" else "tampered"
    entries[index] = replace(entries[index], **{field: value})
    with pytest.raises(JournalError, match="altered"):
        verify_chain(entries)


def test_removed_and_reordered_entries_are_detected() -> None:
    entries = chain(4)
    with pytest.raises(JournalError, match="gap"):
        verify_chain(entries[:1] + entries[2:])
    with pytest.raises(JournalError):
        verify_chain([entries[1], entries[0]])


def test_wire_round_trip() -> None:
    entry = chain(1)[0]
    assert JournalEntry.from_wire(entry.to_wire()) == entry


def test_roles_grant_what_they_should() -> None:
    associate = Staff("1", "Ann", Role.ASSOCIATE)
    assert associate.can(Permission.VOID_LINE)
    assert not associate.can(Permission.VOID_SALE)
    assert Staff("2", "Mo", Role.MANAGER).can(Permission.EXIT_KIOSK_MODE)
    assert not Staff("3", "Ex", Role.MANAGER, active=False).can(Permission.VOID_LINE)
    with pytest.raises(NotAllowed, match="may not void sale"):
        associate.require(Permission.VOID_SALE)


def test_pin_throttle_slows_then_locks() -> None:
    throttle = PinThrottle(free_attempts=3, base_delay_s=5, lockout_after=5)
    for _ in range(2):
        throttle.check(0)
        throttle.failed(0)
    throttle.check(0)
    throttle.failed(0)  # third failure: wait 5 s
    with pytest.raises(NotAllowed, match="4 s"):
        throttle.check(1)
    throttle.check(5)
    throttle.failed(5)  # fourth: wait 10 s
    with pytest.raises(NotAllowed):
        throttle.check(14)
    throttle.check(15)
    throttle.failed(15)  # fifth: locked
    with pytest.raises(NotAllowed) as info:
        throttle.check(10_000)
    assert info.value.reason == "pin_locked"
    throttle.succeeded()
    throttle.check(10_000)


def test_a_restored_throttle_waits_its_wait_again_in_full_and_stays_locked() -> None:
    throttle = PinThrottle()
    for _ in range(3):
        throttle.failed(100)
    saved = (throttle.failures, throttle.locked, throttle.wait_left(102))
    assert saved == (3, False, 3.0)
    again = PinThrottle()
    again.restore(*saved, now=0)  # a reboot: the clock starts over, the wait runs again
    with pytest.raises(NotAllowed, match="3 s"):
        again.check(0)
    again.check(3)
    # Never more than the longest wait, never less than none; enough failures lock.
    again.restore(5, False, 1e9, now=0)
    assert again.wait_left(0) == again.longest_wait_s == 80
    again.restore(5, False, -5, now=0)
    again.check(0)
    again.restore(8, False, 0, now=0)
    assert again.locked


@pytest.mark.parametrize("pin", ["123", "12a4", "１２３４", "٣٣٣٣", "", "12 34"])
def test_a_pin_is_four_or_more_ascii_digits(pin: str) -> None:
    # The back office and the kiosk check PINs with this one rule.
    with pytest.raises(NotAllowed) as refused:
        check_pin(pin)
    assert refused.value.reason is Reason.WEAK_PIN


def test_good_pins_pass() -> None:
    check_pin("0000")
    check_pin("8642097531")
