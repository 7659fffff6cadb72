"""Staff sign-in against a real kiosk database: the PIN keypad's throttle outlives a
restart, a staff badge unlocks it, and the keypad does not tell which staff numbers exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher

from kiosk.domain.errors import NotAllowed, Reason
from kiosk.domain.staff import Role, Staff
from kiosk.services.staff_auth import PIN_THROTTLE_KEY, StaffAuth
from kiosk.store.uow import KioskStore

SUPERVISOR = Staff("1001", "Sam Lee", Role.SUPERVISOR)
ASSOCIATE = Staff("1002", "Ann Wu", Role.ASSOCIATE)
GONE = Staff("1003", "Old Hand", Role.ASSOCIATE, active=False)
NO_PIN = Staff("1004", "Badge Only", Role.ASSOCIATE)
PIN = "2468"
KEY = b"k" * 32


class CountingHasher(PasswordHasher):
    """argon2 at its cheapest, counting the verifications it does."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


class Kiosk:
    """One kiosk's database, opened and closed as the app is started and stopped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.now = 0.0  # the monotonic clock, which starts over at a reboot
        self.hasher = CountingHasher()
        self.store = KioskStore.open(path)
        self.auth = self._auth()

    def _auth(self) -> StaffAuth:
        return StaffAuth(self.store, KEY, monotonic=lambda: self.now, hasher=self.hasher)

    def restart(self, *, reboot: bool = False) -> StaffAuth:
        self.store.close()
        if reboot:
            self.now = 0.0
        self.store = KioskStore.open(self.path)
        self.auth = self._auth()
        return self.auth

    def refused(self, staff_id: str, pin: str) -> Reason:
        with pytest.raises(NotAllowed) as refused:
            self.auth.by_pin(staff_id, pin)
        return refused.value.reason


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path / "kiosk.db")
    k.auth.enrol(SUPERVISOR, PIN, "BADGE-SUP")
    k.auth.enrol(ASSOCIATE, "1357", "BADGE-ASSOC")
    k.auth.enrol(GONE, "8642", "BADGE-GONE")
    k.auth.enrol(NO_PIN, None, "BADGE-NOPIN")
    yield k
    k.store.close()


def lock(kiosk: Kiosk) -> None:
    for i in range(8):
        kiosk.now += 1000
        assert kiosk.refused(SUPERVISOR.staff_id, f"{i:04d}") is Reason.WRONG_PIN
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_LOCKED


@pytest.mark.parametrize("reboot", [False, True])
def test_a_restart_keeps_the_keypad_locked(kiosk: Kiosk, reboot: bool) -> None:
    lock(kiosk)
    kiosk.restart(reboot=reboot)
    kiosk.now += 100_000
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_LOCKED


def test_a_restart_keeps_the_wait_and_the_count(kiosk: Kiosk) -> None:
    for _ in range(3):
        assert kiosk.refused(SUPERVISOR.staff_id, "0000") is Reason.WRONG_PIN
    # Third failure: 5 s to wait. A power cycle starts the monotonic clock over at 0, so
    # the wait left runs again in full: never shorter.
    kiosk.now = 2.0
    kiosk.restart(reboot=True)
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_WAIT
    kiosk.now = 4.9
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_WAIT
    kiosk.now = 5.0
    # The count was kept too: the fourth failure waits 10 s, not the first's nothing.
    assert kiosk.refused(SUPERVISOR.staff_id, "0000") is Reason.WRONG_PIN
    kiosk.now = 14.0
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_WAIT
    kiosk.now = 15.0
    assert kiosk.auth.by_pin(SUPERVISOR.staff_id, PIN) == SUPERVISOR
    # A right PIN starts the count over, and that is kept as well.
    kiosk.restart(reboot=True)
    assert kiosk.refused(SUPERVISOR.staff_id, "0000") is Reason.WRONG_PIN
    assert kiosk.auth.by_pin(SUPERVISOR.staff_id, PIN) == SUPERVISOR


@pytest.mark.parametrize("badge", ["BADGE-SUP", "BADGE-ASSOC"])
def test_any_staff_badge_unlocks_the_keypad_for_good(kiosk: Kiosk, badge: str) -> None:
    # docs/ui.md: "after 8 the keypad locks until a badge is used" (any staff badge).
    lock(kiosk)
    assert kiosk.auth.by_badge(badge).active
    assert kiosk.auth.by_pin(SUPERVISOR.staff_id, PIN) == SUPERVISOR
    kiosk.restart()  # the unlock is kept, not only the lock
    assert kiosk.refused(SUPERVISOR.staff_id, "0000") is Reason.WRONG_PIN  # counted anew
    assert kiosk.auth.by_pin(SUPERVISOR.staff_id, PIN) == SUPERVISOR


@pytest.mark.parametrize("badge", ["BADGE-GONE", "NOT-A-BADGE"])
def test_a_badge_that_does_not_sign_in_does_not_unlock(kiosk: Kiosk, badge: str) -> None:
    lock(kiosk)
    with pytest.raises(NotAllowed) as refused:
        kiosk.auth.by_badge(badge)
    assert refused.value.reason is Reason.UNKNOWN_BADGE
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_LOCKED


@pytest.mark.parametrize(
    "saved",
    [{"failures": "many"}, {"failures": 2, "locked": "no", "wait_s": 0}, [1, 2], "locked"],
)
def test_an_unreadable_saved_throttle_locks_the_keypad(kiosk: Kiosk, saved: object) -> None:
    kiosk.store.settings.set(PIN_THROTTLE_KEY, saved)
    kiosk.restart()
    assert kiosk.refused(SUPERVISOR.staff_id, PIN) is Reason.PIN_LOCKED
    kiosk.auth.by_badge("BADGE-SUP")
    assert kiosk.auth.by_pin(SUPERVISOR.staff_id, PIN) == SUPERVISOR


@pytest.mark.parametrize(
    "staff_id",
    [
        SUPERVISOR.staff_id,  # known, wrong PIN
        "9999",  # unknown
        GONE.staff_id,  # left the store (with its right PIN)
        NO_PIN.staff_id,  # signs in by badge only
    ],
)
def test_every_refused_number_costs_one_argon2_check_and_gets_the_same_answer(
    kiosk: Kiosk, staff_id: str
) -> None:
    kiosk.auth.by_pin(ASSOCIATE.staff_id, "1357")  # the first try, which makes the dummy
    before = kiosk.hasher.verified
    pin = "8642" if staff_id == GONE.staff_id else "0000"
    with pytest.raises(NotAllowed) as refused:
        kiosk.auth.by_pin(staff_id, pin)
    assert kiosk.hasher.verified == before + 1
    assert (refused.value.reason, str(refused.value)) == (
        Reason.WRONG_PIN,
        "wrong staff number or PIN",
    )
    assert kiosk.auth.throttle.failures == 1  # and counts as a wrong guess alike
