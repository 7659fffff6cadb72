"""Store staff: roles, what each may do, and the PIN attempt limiter.

Credentials (argon2 hashes of PINs, keyed hashes of badge codes) are checked in
`kiosk.services.staff_auth`; the domain only decides what an authenticated person
may do and when a keypad must stop accepting guesses.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kiosk.domain.errors import NotAllowed, Reason


class Permission(enum.StrEnum):
    VOID_LINE = "void_line"
    VOID_SALE = "void_sale"
    APPROVE_AGE = "approve_age"
    CONFIRM_PAYMENT = "confirm_payment"
    VERIFY_EXIT = "verify_exit"
    REPRINT = "reprint"
    VIEW_HEALTH = "view_health"
    LOCK_KIOSK = "lock_kiosk"
    EXIT_KIOSK_MODE = "exit_kiosk_mode"
    OVERRIDE_PRICE = "override_price"
    KEY_ITEM = "key_item"
    SUSPEND_CART = "suspend_cart"
    RESUME_CART = "resume_cart"
    REFUND = "refund"


MIN_PIN_LENGTH = 4


def check_pin(pin: str) -> None:
    """A PIN is digits only (the kiosk's keypad has nothing else) and not too short to
    survive the keypad's throttle; the kiosk and the back office both check it here."""
    if len(pin) < MIN_PIN_LENGTH or not (pin.isascii() and pin.isdigit()):
        raise NotAllowed(f"a PIN is at least {MIN_PIN_LENGTH} digits", reason=Reason.WEAK_PIN)


class Role(enum.StrEnum):
    ASSOCIATE = "associate"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


_ASSOCIATE = frozenset(
    {
        Permission.VOID_LINE,
        Permission.APPROVE_AGE,
        Permission.VERIFY_EXIT,
        Permission.REPRINT,
        Permission.VIEW_HEALTH,
        Permission.KEY_ITEM,
        Permission.SUSPEND_CART,
        Permission.RESUME_CART,
    }
)
_SUPERVISOR = _ASSOCIATE | {
    Permission.VOID_SALE,
    Permission.CONFIRM_PAYMENT,
    Permission.LOCK_KIOSK,
    Permission.OVERRIDE_PRICE,
    Permission.REFUND,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ASSOCIATE: _ASSOCIATE,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.MANAGER: frozenset(Permission),
}


@dataclass(frozen=True, slots=True)
class Staff:
    staff_id: str
    name: str
    role: Role
    active: bool = True

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise NotAllowed(
                f"{self.name} ({self.role}) may not {permission.value.replace('_', ' ')}",
                reason=Reason.PERMISSION_DENIED,
            )


@dataclass(slots=True)
class PinThrottle:
    """Slows PIN guessing: after `free_attempts` failures each further failure doubles the
    wait, up to `lockout_after` failures, which lock the keypad until staff with a badge
    (or the central service) unlock it. Times are seconds from an injected clock. The state
    outlives a restart (`kiosk.services.staff_auth` saves it; `restore` takes it up), or a
    power cycle would give a guesser `lockout_after` more tries.
    """

    free_attempts: int = 3
    base_delay_s: float = 5.0
    lockout_after: int = 8
    failures: int = 0
    blocked_until: float = 0.0
    locked: bool = field(default=False)

    def check(self, now: float) -> None:
        """Raise `NotAllowed` if a PIN may not be tried at `now`."""
        if self.locked:
            raise NotAllowed("PIN entry is locked: use a staff badge", reason=Reason.PIN_LOCKED)
        if now < self.blocked_until:
            wait = int(self.blocked_until - now + 0.999)
            raise NotAllowed(f"too many wrong PINs: try again in {wait} s", reason=Reason.PIN_WAIT)

    def failed(self, now: float) -> None:
        self.failures += 1
        if self.failures >= self.lockout_after:
            self.locked = True
        elif self.failures >= self.free_attempts:
            self.blocked_until = now + self.base_delay_s * 2 ** (self.failures - self.free_attempts)

    def succeeded(self) -> None:
        self.failures = 0
        self.blocked_until = 0.0
        self.locked = False

    @property
    def longest_wait_s(self) -> float:
        """The wait after the last failure before the lock."""
        steps = max(0, self.lockout_after - 1 - self.free_attempts)
        return self.base_delay_s * float(2**steps)

    def wait_left(self, now: float) -> float:
        """Seconds until a PIN may be tried again (0 if it may now, or if locked)."""
        return max(0.0, self.blocked_until - now)

    def restore(self, failures: int, locked: bool, wait_s: float, now: float) -> None:
        """Take up a saved state (`failures`, `locked`, `wait_left` when saved) after a
        restart. The clock that measured the wait may have started over (a monotonic clock
        does at boot), so the wait left runs again in full from `now`: a restart never
        shortens it, and lengthens it at most by `longest_wait_s`."""
        self.failures = max(0, failures)
        self.locked = locked or self.failures >= self.lockout_after
        self.blocked_until = now + min(max(0.0, wait_s), self.longest_wait_s)
