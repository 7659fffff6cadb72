"""The kiosk core's errors: one root, each a plain-words reason the UI can show.

KioskError
├── MoneyError              currencies mixed, amount out of range
├── CodeError               a scanned or typed code is not a valid product code
│   └── CheckDigitError     the digits are there but the check digit is wrong
├── CatalogError            catalog data is inconsistent (bad row, unknown tax class)
├── CartError               an action the cart refuses
│   ├── ItemRefused         unknown, not for sale, recalled, expired
│   ├── CartFrozen          the cart is being paid and cannot change
│   └── NotAllowed          the policy or the actor's permissions forbid it
├── JournalError            the hash chain is broken
└── StoreError              the local database cannot do what was asked (kiosk.store)

Every error carries `reason` (a stable machine code the UI translates) and a
message in English for logs and the CLI.
"""

from __future__ import annotations


class KioskError(Exception):
    """Root of everything the kiosk core raises on purpose."""

    reason: str = "error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason

    @property
    def message(self) -> str:
        return str(self)


class MoneyError(KioskError):
    reason = "money"


class CodeError(KioskError):
    reason = "invalid_code"


class CheckDigitError(CodeError):
    reason = "check_digit"


class CatalogError(KioskError):
    reason = "catalog"


class CartError(KioskError):
    reason = "cart"


class ItemRefused(CartError):
    """A code was read but the item may not be sold; `reason` says why."""

    reason = "refused"


class CartFrozen(CartError):
    reason = "cart_frozen"


class NotAllowed(CartError):
    reason = "not_allowed"


class JournalError(KioskError):
    reason = "journal_broken"


class StoreError(KioskError):
    reason = "store"
