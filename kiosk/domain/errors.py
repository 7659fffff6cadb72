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
├── ScaleError              the kiosk's scale is not answering, or answers nonsense
├── RefundRefused           a refund the sale does not allow (kiosk.domain.refund)
├── JournalError            the hash chain is broken
└── StoreError              the local database cannot do what was asked (kiosk.store)

Every error carries `reason` (a `Reason`: a stable code the UI translates) and a
message in English for logs and the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Reason(StrEnum):
    """Every code the kiosk core uses to tell people what happened: refusals and notices.

    The UI has a text for each in three languages (`ui/reasons.py`; a test iterates this
    enum), except the codes it lists as generic: data and programming faults nobody at
    the kiosk can act on. Values are stable: they are journaled and sent in sync data.
    """

    ERROR = "error"

    # Codes and catalog
    INVALID_CODE = "invalid_code"
    CHECK_DIGIT = "check_digit"
    BAD_PRICE_LABEL = "bad_price_label"
    CATALOG = "catalog"
    UNKNOWN_PRODUCT = "unknown_product"
    PRICE_QUERY = "price_query"
    EMPTY_CATALOG = "empty_catalog"
    INVALID_QR = "invalid_qr"
    EMVCO = "emvco"

    # Money
    MONEY = "money"
    AMOUNT_FORMAT = "amount_format"
    AMOUNT_RANGE = "amount_range"
    CURRENCY = "currency"

    # The cart
    CART = "cart"
    REFUSED = "refused"
    NOT_SELLABLE = "not_sellable"
    RECALLED = "recalled"
    EXPIRED = "expired"
    NEEDS_WEIGHT = "needs_weight"
    NOT_BY_WEIGHT = "not_by_weight"
    DUPLICATE_SERIAL = "duplicate_serial"
    QUANTITY_LIMIT = "quantity_limit"
    FIXED_QUANTITY = "fixed_quantity"
    LINE_INACTIVE = "line_inactive"
    NO_SUCH_LINE = "no_such_line"
    SELECT_LINE = "select_line"
    EMPTY_CART = "empty_cart"
    SALE_VOIDED = "sale_voided"
    CART_FROZEN = "cart_frozen"
    STAFF_NEEDED = "staff_needed"
    APPROVAL_NEEDED = "approval_needed"
    NOTHING_TO_APPROVE = "nothing_to_approve"
    AGE_CHECK_PENDING = "age_check_pending"
    KIOSK_LOCKED = "kiosk_locked"
    CAMERA_LOST = "camera_lost"
    SCALE_UNAVAILABLE = "scale_unavailable"
    WEIGHT_NOT_STABLE = "weight_not_stable"
    ASSISTANCE_CALLED = "assistance_called"

    # Staff
    NOT_ALLOWED = "not_allowed"
    PERMISSION_DENIED = "permission_denied"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_BADGE = "unknown_badge"
    WRONG_PIN = "wrong_pin"
    WEAK_PIN = "weak_pin"
    PIN_WAIT = "pin_wait"
    PIN_LOCKED = "pin_locked"
    STAFF_WHILE_PAYING = "staff_while_paying"
    NEEDS_SUPERVISOR = "needs_supervisor"
    NEEDS_MANAGER = "needs_manager"
    OVERRIDE_OUT_OF_BOUNDS = "override_out_of_bounds"
    PRICE_OVERRIDDEN = "price_overridden"
    ITEM_KEYED = "item_keyed"

    # Alerts (kiosk.domain.alerts)
    ASSISTANCE_WITHDRAWN = "assistance_withdrawn"
    PRICE_QUERY_CALLED = "price_query_called"
    ALERT_CLOSED = "alert_closed"
    ALERT_ALREADY_ACKNOWLEDGED = "alert_already_acknowledged"
    ALERT_NEEDS_STAFF = "alert_needs_staff"
    NO_SUCH_ALERT = "no_such_alert"

    # Paying
    PAYMENT = "payment"
    NOTHING_TO_PAY = "nothing_to_pay"
    NOT_PAYING = "not_paying"
    AMOUNT_MISMATCH = "amount_mismatch"
    PAYMENT_MISMATCH = "payment_mismatch"
    PAYMENT_STATE = "payment_state"
    PROVIDER_FAILED = "provider_failed"
    PAYMENT_UNAVAILABLE = "payment_unavailable"
    CENTRAL_UNREACHABLE = "central_unreachable"
    PAYMENT_OFFLINE = "payment_offline"
    PAYMENT_EXPIRED = "payment_expired"
    PAYMENT_NOT_FOUND = "payment_not_found"
    PAYMENT_CODE_NO_ITEMS = "payment_code_no_items"
    PAYMENT_CODE_BUSY = "payment_code_busy"
    PAYMENT_CODE_CONFIRM = "payment_code_confirm"
    PAYMENT_CODE_EXPIRED = "payment_code_expired"
    PAYMENT_CODE_INVALID = "payment_code_invalid"
    PAYMENT_CODE_INSUFFICIENT_FUNDS = "payment_code_insufficient_funds"
    PAYMENT_CODE_USER_CANCELLED = "payment_code_user_cancelled"
    PAYMENT_CODE_NOT_CONFIRMED = "payment_code_not_confirmed"
    PAYMENT_CODE_DECLINED = "payment_code_declined"
    NO_PAYMENT_OPEN = "no_payment_open"
    PAYMENT_STILL_OPEN = "payment_still_open"
    """A wallet payment may still complete: nothing may close or void its cart until the
    provider has answered."""

    # Receipts and exit codes
    PRINTER = "printer"
    PRINTER_OFFLINE = "printer_offline"
    PRINTER_FAILED = "printer_failed"
    PRINTER_NO_PAPER = "printer_no_paper"
    RECEIPT_PRINTED = "receipt_printed"
    EXIT_CODE_HELD = "exit_code_held"
    """A scan while the last shopper's exit pass is held on the done screen."""
    EXIT_AUDIT_WAIT = "exit_audit_wait"
    """The sale was picked for a bag check: the shopper waits for staff, then gets the pass."""
    REPRINTED = "reprinted"
    NOTHING_TO_REPRINT = "nothing_to_reprint"
    E_RECEIPT_UNAVAILABLE = "e_receipt_unavailable"
    EXIT_CODE_INVALID = "exit_code_invalid"
    EXIT_CODE_FOREIGN = "exit_code_foreign"
    EXIT_VALID = "exit_valid"
    EXIT_VALID_AUDIT = "exit_valid_audit"
    EXIT_FORGED = "exit_forged"
    EXIT_EXPIRED = "exit_expired"
    EXIT_ALREADY_USED = "exit_already_used"
    EXIT_UNKNOWN_KIOSK = "exit_unknown_kiosk"
    EXIT_TRAINING = "exit_training"
    EXIT_FROM_THE_FUTURE = "exit_from_the_future"
    REFUND_NOT_REFUNDABLE = "refund_not_refundable"
    REFUND_OVER_PAID = "refund_over_paid"
    REFUND_UNKNOWN_SALE = "refund_unknown_sale"
    REFUNDED = "refunded"
    REFUND_PENDING = "refund_pending"

    # Suspending a cart and resuming it at another kiosk (kiosk.domain.transfer)
    CART_SUSPENDED = "cart_suspended"
    CART_RESUMED = "cart_resumed"
    CART_NOT_EMPTY = "cart_not_empty"
    TRANSFER_INVALID = "transfer_invalid"
    TRANSFER_FORGED = "transfer_forged"
    TRANSFER_EXPIRED = "transfer_expired"
    TRANSFER_USED = "transfer_used"
    TRANSFER_OTHER_STORE = "transfer_other_store"
    TRANSFER_UNKNOWN_KIOSK = "transfer_unknown_kiosk"
    TRANSFER_PRICE_CHANGED = "transfer_price_changed"
    TRANSFER_ITEM_DROPPED = "transfer_item_dropped"
    TRANSFER_COUPON_DROPPED = "transfer_coupon_dropped"
    TRANSFER_MEMBER_UNKNOWN = "transfer_member_unknown"
    TRANSFER_NUMBER_UNKNOWN = "transfer_number_unknown"
    TRANSFER_NUMBER_OFFLINE = "transfer_number_offline"

    # Group-buy pickup (`kiosk.services.pickups`)
    PICKUP_HANDED_OUT = "pickup_handed_out"
    PICKUP_COLLECTED = "pickup_collected"
    """The order was collected already: staff are called (a code used twice)."""
    PICKUP_NOT_READY = "pickup_not_ready"
    PICKUP_INVALID = "pickup_invalid"
    """Unreadable, or not signed by the store's key."""
    PICKUP_EXPIRED = "pickup_expired"
    PICKUP_OTHER_STORE = "pickup_other_store"

    # Members, coupons and points
    LOYALTY = "loyalty"
    NO_LOYALTY = "no_loyalty"
    BAD_OFFER = "bad_offer"
    BAD_TIERS = "bad_tiers"
    MEMBER = "member"
    OFFLINE = "offline"
    UNKNOWN_MEMBER = "unknown_member"
    MEMBER_ERASED = "member_erased"
    """The member asked for their data to be erased: their card no longer works."""
    BAD_MEMBER_CODE = "bad_member_code"
    MEMBER_CODE_EXPIRED = "member_code_expired"
    BAD_PHONE = "bad_phone"
    CONSENT_REQUIRED = "consent_required"
    MEMBER_LOOKING_UP = "member_looking_up"
    MEMBER_ADDED = "member_added"
    MEMBER_SIGNED_UP = "member_signed_up"
    MEMBER_ON_PRODUCT_SCREEN = "member_on_product_screen"
    MEMBER_ONLY = "member_only"
    COUPON_REJECTED = "coupon_rejected"
    UNKNOWN_COUPON = "unknown_coupon"
    BAD_SIGNATURE = "bad_signature"
    ALREADY_IN_CART = "already_in_cart"
    COUPON_ADDED = "coupon_added"
    COUPON_REMOVED = "coupon_removed"
    POINTS = "points"
    POINTS_OVER_LIMIT = "points_over_limit"

    # The kiosk's own data
    NOT_INITIALISED = "not_initialised"
    JOURNAL_BROKEN = "journal_broken"
    STORE = "store"
    DB_ERROR = "db_error"
    DB_LOCKED = "db_locked"
    DB_READ_ONLY = "db_read_only"
    DB_CORRUPT = "db_corrupt"
    DB_CANNOT_OPEN = "db_cannot_open"
    DB_TOO_NEW = "db_too_new"
    DISK_FULL = "disk_full"


class KioskError(Exception):
    """Root of everything the kiosk core raises on purpose.

    A validator whose detail an operator reads (an offer's or a catalog row's field, an
    amount, a product number) also names its words: `say`, a stable key, and `params`, the
    values they need (another such error among them is its detail, worded in turn). The
    central console holds those words in its other languages
    (`central.admin.refusals`); the message stays the English for logs and the API.
    """

    reason: Reason = Reason.ERROR

    def __init__(
        self,
        message: str,
        *,
        reason: Reason | None = None,
        say: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        self.say = say
        self.params: Mapping[str, object] = params or {}

    @property
    def message(self) -> str:
        return str(self)


class MoneyError(KioskError):
    reason = Reason.MONEY


class CodeError(KioskError):
    reason = Reason.INVALID_CODE


class CheckDigitError(CodeError):
    reason = Reason.CHECK_DIGIT


class CatalogError(KioskError):
    reason = Reason.CATALOG


class CartError(KioskError):
    reason = Reason.CART


class ItemRefused(CartError):
    """A code was read but the item may not be sold; `reason` says why, `gtin` which item
    (when known), so the shopper is told which one to put aside."""

    reason = Reason.REFUSED

    def __init__(self, message: str, *, reason: Reason | None = None, gtin: str = "") -> None:
        super().__init__(message, reason=reason)
        self.gtin = gtin


class CartFrozen(CartError):
    reason = Reason.CART_FROZEN


class NotAllowed(CartError):
    reason = Reason.NOT_ALLOWED


class ScaleError(KioskError):
    """The scale timed out, went away or sent what its protocol does not allow: the
    shopper is told to use the weighing counter, never sold a guessed weight."""

    reason = Reason.SCALE_UNAVAILABLE


class JournalError(KioskError):
    reason = Reason.JOURNAL_BROKEN


class StoreError(KioskError):
    reason = Reason.STORE


UNREADABLE = (KioskError, AttributeError, KeyError, OverflowError, TypeError, ValueError)
"""What a `*_from_wire` parser raises on data it cannot read: its own checks, or a field
missing, of the wrong shape (a list for an object: AttributeError) or type, or a number
beyond an integer (JSON's Infinity). Data another version wrote (a feed item) may be any of
them (`tests/unit/kiosk/test_parser_fuzz.py`)."""
