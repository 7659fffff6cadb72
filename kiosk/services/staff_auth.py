"""Staff sign-in by badge or by staff number and PIN.

PINs are stored only as argon2id hashes. Badge codes are stored as HMAC-SHA256
with the kiosk's key, so a stolen database does not reveal badge numbers and a
badge can be looked up in one indexed query. Wrong PINs slow down and then lock
the keypad (`PinThrottle`); the throttle's state is kept in the settings
(`PIN_THROTTLE_KEY`), so a restart neither unlocks the keypad nor cuts a wait short.
A staff badge that signs in unlocks it.

A staff number that is unknown, inactive or has no PIN costs the same argon2 work
as a wrong PIN (a dummy hash is verified) and gets the same answer, so the keypad
does not tell which staff numbers exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.domain.errors import NotAllowed, Reason
from kiosk.domain.staff import PinThrottle, Staff, check_pin
from kiosk.store.repositories import StaffRecord
from kiosk.store.uow import KioskStore

PIN_THROTTLE_KEY = "pin_throttle"


def badge_hash(key: bytes, code: str) -> str:
    return hmac.new(key, code.strip().encode(), hashlib.sha256).hexdigest()


class StaffAuth:
    def __init__(
        self,
        store: KioskStore,
        badge_key: bytes,
        monotonic: Callable[[], float],
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._badge_key = badge_key
        self._monotonic = monotonic
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self.throttle = PinThrottle()
        self._load_throttle()

    def enrol(self, staff: Staff, pin: str | None, badge: str | None) -> None:
        """Save a staff member locally (the central service's staff pull does the same)."""
        if pin is not None:
            check_pin(pin)
        self._store.staff.upsert(
            StaffRecord(
                staff,
                self._hasher.hash(pin) if pin else None,
                badge_hash(self._badge_key, badge) if badge else None,
            )
        )

    def by_badge(self, code: str) -> Staff:
        """A badge held by active staff signs in and unlocks the PIN keypad (docs/ui.md:
        locked "until a badge is used"): any staff member's, since a badge is a thing in
        the hand of someone standing at the kiosk, and the one locked out needs it most."""
        record = self._store.staff.by_badge_hash(badge_hash(self._badge_key, code))
        if record is None or not record.staff.active:
            raise NotAllowed("this badge is not known at this store", reason=Reason.UNKNOWN_BADGE)
        self._succeeded()
        return record.staff

    def by_pin(self, staff_id: str, pin: str) -> Staff:
        now = self._monotonic()
        self.throttle.check(now)
        dummy = self._dummy()
        record = self._store.staff.get(staff_id.strip())
        usable = record is not None and record.pin_hash is not None and record.staff.active
        # The same argon2 work for every number: an unknown one is checked against the dummy.
        target = record.pin_hash if record is not None and record.pin_hash else dummy
        try:
            ok = self._hasher.verify(target, pin) and usable
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or record is None:
            self.throttle.failed(now)
            self._save_throttle(now)
            raise NotAllowed("wrong staff number or PIN", reason=Reason.WRONG_PIN)
        self._succeeded()
        return record.staff

    def _dummy(self) -> str:
        """A hash no PIN matches, made with this hasher's cost on the first try (whatever
        its number), so every later answer costs the same."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(32))
        return self._dummy_hash

    def _succeeded(self) -> None:
        was_clear = self.throttle.failures == 0 and not self.throttle.locked
        self.throttle.succeeded()
        if not was_clear:
            self._save_throttle(self._monotonic())

    def _save_throttle(self, now: float) -> None:
        throttle = self.throttle
        self._store.settings.set(
            PIN_THROTTLE_KEY,
            {
                "failures": throttle.failures,
                "locked": throttle.locked,
                "wait_s": throttle.wait_left(now),
            },
        )

    def _load_throttle(self) -> None:
        saved: Any = self._store.settings.get(PIN_THROTTLE_KEY)
        if saved is None:
            return
        throttle = self.throttle
        try:
            failures, locked, wait_s = saved["failures"], saved["locked"], saved["wait_s"]
            if not (
                isinstance(failures, int)
                and isinstance(locked, bool)
                and isinstance(wait_s, int | float)
            ):
                raise TypeError(saved)
        except (KeyError, TypeError):
            # Unreadable: fail closed. A badge unlocks the keypad, as after 8 wrong PINs.
            failures, locked, wait_s = throttle.lockout_after, True, 0.0
        throttle.restore(failures, locked, float(wait_s), self._monotonic())
