"""The core's `Reason` and `CouponRefusal` codes in the shopper's (or staff member's) words.

The core raises `KioskError`s with a `Reason` and English messages meant for logs, and
says notices by `Reason`; people at the kiosk read these instead, in their language. Each
text says what happened and what to do next. Strings are literal so `pyside6-lupdate`
finds them. Every code has a text except the `GENERIC` ones (a test holds both enums to it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from kiosk.domain.coupons import CouponRefusal
from kiosk.domain.errors import Reason

# Data and programming faults nobody at the kiosk can act on, and the `kiosk` commands' own
# codes (staff at a terminal, never the UI): the generic "ask a member of staff".
GENERIC = frozenset(
    {
        Reason.ERROR, Reason.CATALOG, Reason.PRICE_QUERY, Reason.INVALID_QR, Reason.EMVCO,
        Reason.EMPTY_CATALOG, Reason.MONEY, Reason.AMOUNT_FORMAT, Reason.AMOUNT_RANGE,
        Reason.CURRENCY, Reason.NO_LOYALTY, Reason.BAD_OFFER, Reason.BAD_TIERS,
        Reason.NOT_INITIALISED, Reason.JOURNAL_BROKEN, Reason.DB_ERROR, Reason.DB_LOCKED,
        Reason.DB_READ_ONLY, Reason.DB_CORRUPT, Reason.DB_CANNOT_OPEN, Reason.DB_TOO_NEW,
        Reason.DISK_FULL, Reason.E_RECEIPT_UNAVAILABLE,
    }
)  # fmt: skip

# Lambdas, so each text is translated when it is shown, in the language chosen by then.
_REASONS: dict[Reason, Callable[[], str]] = {
    Reason.UNKNOWN_PRODUCT: lambda: QCoreApplication.translate(
        "Reason", "We don't know this product. Please put it aside: a member of staff is coming."
    ),
    Reason.INVALID_CODE: lambda: QCoreApplication.translate(
        "Reason", "This is not a product barcode. Please scan the barcode on the product."
    ),
    Reason.CHECK_DIGIT: lambda: QCoreApplication.translate(
        "Reason", "The barcode could not be read correctly. Please scan it again."
    ),
    Reason.RECALLED: lambda: QCoreApplication.translate(
        "Reason",
        "This product has been recalled and cannot be sold. A member of staff is coming for it.",
    ),
    Reason.NOT_SELLABLE: lambda: QCoreApplication.translate(
        "Reason", "This product is not for sale here. A member of staff is coming for it."
    ),
    Reason.EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "This item is past its date and cannot be sold. A member of staff is coming."
    ),
    Reason.NEEDS_WEIGHT: lambda: QCoreApplication.translate(
        "Reason",
        "This item is sold by weight. Please have it weighed at the weighing counter and "
        "scan the label, or ask a member of staff.",
    ),
    Reason.NOT_BY_WEIGHT: lambda: QCoreApplication.translate(
        "Reason", "This item is sold by the piece, not by weight. Please scan its barcode."
    ),
    Reason.SCALE_UNAVAILABLE: lambda: QCoreApplication.translate(
        "Reason",
        "The scale is not working right now. Please have the item weighed at the weighing "
        "counter, or ask a member of staff.",
    ),
    Reason.WEIGHT_NOT_STABLE: lambda: QCoreApplication.translate(
        "Reason", "The weight is still changing. Please keep the item still on the scale."
    ),
    Reason.DUPLICATE_SERIAL: lambda: QCoreApplication.translate(
        "Reason", "This exact item is already in your cart."
    ),
    Reason.QUANTITY_LIMIT: lambda: QCoreApplication.translate(
        "Reason", "You have reached the most of this item one sale can hold."
    ),
    Reason.FIXED_QUANTITY: lambda: QCoreApplication.translate(
        "Reason", "Weighed or labelled items are one line per label: scan each label."
    ),
    Reason.STAFF_NEEDED: lambda: QCoreApplication.translate(
        "Reason", "A member of staff needs to take items off. Help is on the way."
    ),
    Reason.LINE_INACTIVE: lambda: QCoreApplication.translate(
        "Reason", "That item is no longer in the cart."
    ),
    Reason.NO_SUCH_LINE: lambda: QCoreApplication.translate(
        "Reason", "That item is no longer in the cart."
    ),
    Reason.SALE_VOIDED: lambda: QCoreApplication.translate("Reason", "This sale was cancelled."),
    Reason.CART_FROZEN: lambda: QCoreApplication.translate(
        "Reason", "You are paying now. Cancel the payment to change your items."
    ),
    Reason.REASON_REQUIRED: lambda: QCoreApplication.translate("Reason", "Please choose a reason."),
    Reason.NOTHING_TO_APPROVE: lambda: QCoreApplication.translate(
        "Reason", "Nothing in the cart needs an age check."
    ),
    Reason.EMPTY_CART: lambda: QCoreApplication.translate(
        "Reason", "Your cart is empty. Scan an item first."
    ),
    Reason.APPROVAL_NEEDED: lambda: QCoreApplication.translate(
        "Reason", "A member of staff must check your age first. Help is on the way."
    ),
    Reason.PERMISSION_DENIED: lambda: QCoreApplication.translate(
        "Reason", "Your role does not allow this. Please ask a supervisor."
    ),
    Reason.UNKNOWN_BADGE: lambda: QCoreApplication.translate(
        "Reason", "This staff badge is not known at this store."
    ),
    Reason.WRONG_PIN: lambda: QCoreApplication.translate("Reason", "Wrong staff number or PIN."),
    Reason.PIN_WAIT: lambda: QCoreApplication.translate(
        "Reason", "Too many wrong PINs. Please wait before trying again."
    ),
    Reason.PIN_LOCKED: lambda: QCoreApplication.translate(
        "Reason", "PIN entry is locked. Please sign in with a staff badge."
    ),
    Reason.NOT_PAYING: lambda: QCoreApplication.translate(
        "Reason", "No payment is in progress for this cart."
    ),
    Reason.AMOUNT_MISMATCH: lambda: QCoreApplication.translate(
        "Reason", "The payment does not match the total. Please ask a member of staff."
    ),
    Reason.PAYMENT_UNAVAILABLE: lambda: QCoreApplication.translate(
        "Reason",
        "Payment is not available right now. Your items are kept: try again, "
        "or a member of staff can take your payment.",
    ),
    Reason.CENTRAL_UNREACHABLE: lambda: QCoreApplication.translate(
        "Reason",
        "The payment service cannot be reached. Your items are kept: try again, "
        "or a member of staff can take your payment.",
    ),
    Reason.PAYMENT_OFFLINE: lambda: QCoreApplication.translate(
        "Reason",
        "The kiosk is offline. Pay with the store's code on screen; a member of staff is "
        "coming to confirm your payment.",
    ),
    Reason.PAYMENT_EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "The payment code expired. Your items are kept: tap Pay to try again."
    ),
    Reason.PAYMENT_NOT_FOUND: lambda: QCoreApplication.translate(
        "Reason",
        "The payment did not reach the payment service, so nothing was charged. Your items "
        "are kept: pay again.",
    ),
    Reason.PAYMENT_CODE_NO_ITEMS: lambda: QCoreApplication.translate(
        "Reason", "That is a payment code. Scan your items first, then show it to pay."
    ),
    Reason.PAYMENT_CODE_BUSY: lambda: QCoreApplication.translate(
        "Reason", "Your payment is already being charged. Please wait for it to finish."
    ),
    Reason.PAYMENT_CODE_CONFIRM: lambda: QCoreApplication.translate(
        "Reason", "Please confirm the payment on your phone."
    ),
    Reason.PAYMENT_CODE_EXPIRED: lambda: QCoreApplication.translate(
        "Reason",
        "Your payment code has expired. You were not charged: refresh the code in your "
        "wallet and show it again.",
    ),
    Reason.PAYMENT_CODE_INVALID: lambda: QCoreApplication.translate(
        "Reason",
        "That payment code was not accepted. You were not charged: open a fresh code in "
        "your wallet and show it again.",
    ),
    Reason.PAYMENT_CODE_INSUFFICIENT_FUNDS: lambda: QCoreApplication.translate(
        "Reason",
        "Not enough money on that payment method. You were not charged: choose another "
        "card in your wallet and show the code again, or pay by QR.",
    ),
    Reason.PAYMENT_CODE_USER_CANCELLED: lambda: QCoreApplication.translate(
        "Reason",
        "The payment was cancelled on your phone. You were not charged: show the code "
        "again to pay.",
    ),
    Reason.PAYMENT_CODE_NOT_CONFIRMED: lambda: QCoreApplication.translate(
        "Reason",
        "The payment was not confirmed in time and has been cancelled: you were not "
        "charged. Show your code again to pay.",
    ),
    Reason.PAYMENT_CODE_DECLINED: lambda: QCoreApplication.translate(
        "Reason",
        "The payment was declined. You were not charged: try another way to pay, or a "
        "member of staff is coming to help.",
    ),
    Reason.UNKNOWN_MEMBER: lambda: QCoreApplication.translate(
        "Reason", "We could not find this membership. You can sign up in one step."
    ),
    Reason.MEMBER_ERASED: lambda: QCoreApplication.translate(
        "Reason",
        "This membership was closed at the member's request. You can shop without it, or "
        "sign up again with your phone.",
    ),
    Reason.BAD_PHONE: lambda: QCoreApplication.translate(
        "Reason", "Please enter a phone number of 7 to 15 digits."
    ),
    Reason.CONSENT_REQUIRED: lambda: QCoreApplication.translate(
        "Reason", "Please tick the box to agree to the member terms first."
    ),
    Reason.MEMBER_ON_PRODUCT_SCREEN: lambda: QCoreApplication.translate(
        "Reason", "Membership card recognised: member prices now apply."
    ),
    Reason.COUPON_ADDED: lambda: QCoreApplication.translate(
        "Reason", "Coupon accepted: the saving is taken off your total."
    ),
    Reason.COUPON_REMOVED: lambda: QCoreApplication.translate(
        "Reason", "Coupon taken off. You can scan it again later."
    ),
    Reason.PRINTER: lambda: QCoreApplication.translate(
        "Reason",
        "The printer is not working. Your exit code stays on the screen: show it at the exit.",
    ),
    Reason.PRINTER_OFFLINE: lambda: QCoreApplication.translate(
        "Reason",
        "The printer is not connected. Your exit code stays on the screen: show it at the exit.",
    ),
    Reason.PRINTER_FAILED: lambda: QCoreApplication.translate(
        "Reason", "The printer stopped while printing. Please ask a member of staff."
    ),
    Reason.PRINTER_NO_PAPER: lambda: QCoreApplication.translate(
        "Reason", "The printer is out of paper. A member of staff has been told."
    ),
    Reason.EXIT_CODE_HELD: lambda: QCoreApplication.translate(
        "Reason",
        "The last shopper's exit code is still on the screen. Staff are on their way: "
        "please wait a moment.",
    ),
    Reason.EXIT_AUDIT_WAIT: lambda: QCoreApplication.translate(
        "Reason",
        "A member of staff will check your bag: please wait here. "
        "Your exit code appears once they have.",
    ),
    Reason.BAD_PRICE_LABEL: lambda: QCoreApplication.translate(
        "Reason", "This price label cannot be read. Please ask a member of staff."
    ),
    Reason.PAYMENT_MISMATCH: lambda: QCoreApplication.translate(
        "Reason", "The payment does not match the total. Please ask a member of staff."
    ),
    Reason.PAYMENT_STATE: lambda: QCoreApplication.translate(
        "Reason", "This payment has already ended. Please tap Pay again."
    ),
    Reason.REFUSED: lambda: QCoreApplication.translate(
        "Reason", "This item cannot be sold here. Please ask a member of staff."
    ),
    Reason.NOT_ALLOWED: lambda: QCoreApplication.translate(
        "Reason", "That is not allowed here. Please ask a member of staff."
    ),
    Reason.CART: lambda: QCoreApplication.translate(
        "Reason", "That cannot be done with this cart. Please ask a member of staff."
    ),
    Reason.EXIT_CODE_INVALID: lambda: QCoreApplication.translate(
        "Reason", "This exit code cannot be read. Ask the shopper for the receipt."
    ),
    Reason.WEAK_PIN: lambda: QCoreApplication.translate("Reason", "A PIN is at least 4 digits."),
    Reason.NOTHING_TO_PAY: lambda: QCoreApplication.translate("Reason", "There is nothing to pay."),
    Reason.CAMERA_LOST: lambda: QCoreApplication.translate(
        "Reason",
        "The camera is not working. Your items are kept: use the hand scanner or ask staff.",
    ),
    Reason.STAFF_WHILE_PAYING: lambda: QCoreApplication.translate(
        "Reason", "Staff mode opened. The shopper's payment stays open."
    ),
    Reason.KIOSK_LOCKED: lambda: QCoreApplication.translate(
        "Reason", "This checkout is closed. Please use another checkout."
    ),
    Reason.AGE_CHECK_PENDING: lambda: QCoreApplication.translate(
        "Reason", "This item needs an age check. A member of staff is on the way."
    ),
    Reason.ASSISTANCE_CALLED: lambda: QCoreApplication.translate(
        "Reason", "A member of staff has been called and will be with you shortly."
    ),
    Reason.PRICE_QUERY_CALLED: lambda: QCoreApplication.translate(
        "Reason", "A member of staff is coming to check the price of %1."
    ),
    Reason.MEMBER_LOOKING_UP: lambda: QCoreApplication.translate(
        "Reason", "Looking up your membership…"
    ),
    Reason.MEMBER_ADDED: lambda: QCoreApplication.translate(
        "Reason", "Welcome back! Member prices now apply."
    ),
    Reason.MEMBER_SIGNED_UP: lambda: QCoreApplication.translate(
        "Reason", "Welcome! You are now a member and member prices apply."
    ),
    Reason.RECEIPT_PRINTED: lambda: QCoreApplication.translate(
        "Reason", "Your receipt is printing. Please take it."
    ),
    Reason.EXIT_VALID: lambda: QCoreApplication.translate(
        "Reason", "Exit code valid: this sale was paid. Let the shopper through."
    ),
    Reason.EXIT_VALID_AUDIT: lambda: QCoreApplication.translate(
        "Reason", "Exit code valid. This sale was picked for a bag check."
    ),
    Reason.EXIT_FORGED: lambda: QCoreApplication.translate(
        "Reason", "Exit code NOT valid: its signature does not match. Check the receipt."
    ),
    Reason.EXIT_EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "Exit code too old: check the receipt and the items."
    ),
    Reason.EXIT_ALREADY_USED: lambda: QCoreApplication.translate(
        "Reason", "Exit code already used once: check the receipt and the items."
    ),
    Reason.EXIT_UNKNOWN_KIOSK: lambda: QCoreApplication.translate(
        "Reason", "Exit code from a kiosk this one does not know: check the receipt."
    ),
    Reason.EXIT_TRAINING: lambda: QCoreApplication.translate(
        "Reason", "Exit code from a training sale: nothing was paid."
    ),
    Reason.CART_SUSPENDED: lambda: QCoreApplication.translate(
        "Reason", "Cart suspended. Hand over the code: it resumes the cart at any kiosk."
    ),
    Reason.CART_RESUMED: lambda: QCoreApplication.translate(
        "Reason", "Your cart from kiosk %1 is back. Carry on scanning or pay."
    ),
    Reason.CART_NOT_EMPTY: lambda: QCoreApplication.translate(
        "Reason", "This kiosk has a cart of its own: pay or void it first, then scan the code."
    ),
    Reason.TRANSFER_INVALID: lambda: QCoreApplication.translate(
        "Reason", "This transfer code cannot be read. Please ask a member of staff."
    ),
    Reason.TRANSFER_FORGED: lambda: QCoreApplication.translate(
        "Reason", "This transfer code is NOT valid: its signature does not match."
    ),
    Reason.TRANSFER_EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "This transfer code has expired. Please scan the items again."
    ),
    Reason.TRANSFER_USED: lambda: QCoreApplication.translate(
        "Reason", "This transfer code was already used at kiosk %1 at %2."
    ),
    Reason.TRANSFER_OTHER_STORE: lambda: QCoreApplication.translate(
        "Reason", "This transfer code is from another store."
    ),
    Reason.TRANSFER_NUMBER_UNKNOWN: lambda: QCoreApplication.translate(
        "Reason", "No suspended cart of this store has the number %1. Check the slip."
    ),
    Reason.TRANSFER_NUMBER_OFFLINE: lambda: QCoreApplication.translate(
        "Reason",
        "The number cannot be looked up while the kiosk is offline: scan the QR code on the slip.",
    ),
    Reason.TRANSFER_UNKNOWN_KIOSK: lambda: QCoreApplication.translate(
        "Reason", "This transfer code is from a kiosk this one does not know yet. Ask staff."
    ),
    Reason.TRANSFER_PRICE_CHANGED: lambda: QCoreApplication.translate(
        "Reason", "The price of %1 changed from %2 to %3: the current price applies."
    ),
    Reason.TRANSFER_ITEM_DROPPED: lambda: QCoreApplication.translate(
        "Reason", "%1 was not added back: it can no longer be sold. Please hand it to staff."
    ),
    Reason.TRANSFER_COUPON_DROPPED: lambda: QCoreApplication.translate(
        "Reason", "Coupon %1 no longer applies and was not added back."
    ),
    Reason.TRANSFER_MEMBER_UNKNOWN: lambda: QCoreApplication.translate(
        "Reason", "Your membership could not be restored here: scan your member code again."
    ),
    Reason.PICKUP_HANDED_OUT: lambda: QCoreApplication.translate(
        "Reason",
        "Group-buy order %1 collected. Items: %2. Scan anything else you would like to buy.",
    ),
    Reason.PICKUP_COLLECTED: lambda: QCoreApplication.translate(
        "Reason", "This group-buy order was already collected. Staff are on their way."
    ),
    Reason.PICKUP_NOT_READY: lambda: QCoreApplication.translate(
        "Reason", "This group-buy order is not ready here yet. Staff are on their way."
    ),
    Reason.PICKUP_INVALID: lambda: QCoreApplication.translate(
        "Reason", "This pickup code cannot be used here. Staff are on their way."
    ),
    Reason.PICKUP_EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "This pickup code has expired. Staff are on their way."
    ),
    Reason.PICKUP_OTHER_STORE: lambda: QCoreApplication.translate(
        "Reason", "This order is to be collected at another store. Staff are on their way."
    ),
    Reason.EXIT_FROM_THE_FUTURE: lambda: QCoreApplication.translate(
        "Reason", "Exit code has an impossible time: check the receipt."
    ),
    Reason.REFUND_NOT_REFUNDABLE: lambda: QCoreApplication.translate(
        "Reason", "This sale cannot be refunded here: it was not paid, or it is a training sale."
    ),
    Reason.REFUND_OVER_PAID: lambda: QCoreApplication.translate(
        "Reason", "That is more than is left to refund on this sale."
    ),
    Reason.REFUND_UNKNOWN_SALE: lambda: QCoreApplication.translate(
        "Reason", "No sale of this kiosk found: scan the receipt's exit code or e-receipt QR."
    ),
    Reason.REFUNDED: lambda: QCoreApplication.translate(
        "Reason", "Refunded to the original payment. The refund receipt is printing."
    ),
    Reason.REFUND_PENDING: lambda: QCoreApplication.translate(
        "Reason", "Refund recorded: the money goes back as soon as the kiosk is online."
    ),
    Reason.NOTHING_TO_REPRINT: lambda: QCoreApplication.translate(
        "Reason", "There is no receipt to reprint yet."
    ),
    Reason.SELECT_LINE: lambda: QCoreApplication.translate("Reason", "Select a line first."),
    Reason.ASSISTANCE_WITHDRAWN: lambda: QCoreApplication.translate(
        "Reason", "Your call for help is cancelled."
    ),
    Reason.NO_PAYMENT_OPEN: lambda: QCoreApplication.translate(
        "Reason", "No payment is open: the shopper taps Pay first."
    ),
    Reason.PAYMENT_STILL_OPEN: lambda: QCoreApplication.translate(
        "Reason",
        "A wallet payment is still open. Please wait for its answer: if it was paid, the "
        "sale completes; if not, the items come back.",
    ),
    Reason.NEEDS_SUPERVISOR: lambda: QCoreApplication.translate(
        "Reason", "This needs a supervisor."
    ),
    Reason.NEEDS_MANAGER: lambda: QCoreApplication.translate("Reason", "This needs a manager."),
    Reason.OVERRIDE_OUT_OF_BOUNDS: lambda: QCoreApplication.translate(
        "Reason", "That price is outside what the store allows for this item."
    ),
    Reason.PRICE_OVERRIDDEN: lambda: QCoreApplication.translate(
        "Reason", "Price changed by staff."
    ),
    Reason.ITEM_KEYED: lambda: QCoreApplication.translate("Reason", "Item added by staff."),
    Reason.ALERT_CLOSED: lambda: QCoreApplication.translate(
        "Reason", "This call has already been dealt with."
    ),
    Reason.ALERT_ALREADY_ACKNOWLEDGED: lambda: QCoreApplication.translate(
        "Reason", "Another member of staff is already on the way."
    ),
    Reason.ALERT_NEEDS_STAFF: lambda: QCoreApplication.translate(
        "Reason", "Only staff can close this call."
    ),
    Reason.NO_SUCH_ALERT: lambda: QCoreApplication.translate(
        "Reason", "This call is not known at this kiosk."
    ),
    Reason.REPRINTED: lambda: QCoreApplication.translate(
        "Reason", "The last receipt was reprinted."
    ),
    Reason.MEMBER: lambda: QCoreApplication.translate(
        "Reason", "Your membership could not be used. Please ask a member of staff."
    ),
    Reason.BAD_MEMBER_CODE: lambda: QCoreApplication.translate(
        "Reason", "This member code cannot be read. Please show the code in your app again."
    ),
    Reason.MEMBER_CODE_EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "Your member code has expired. Please refresh it in the app."
    ),
    Reason.MEMBER_ONLY: lambda: QCoreApplication.translate(
        "Reason", "Please scan your member code first to use this."
    ),
    Reason.UNKNOWN_COUPON: lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid here. Please keep it."
    ),
    Reason.BAD_SIGNATURE: lambda: QCoreApplication.translate(
        "Reason", "This coupon is not genuine. Please ask a member of staff."
    ),
    Reason.ALREADY_IN_CART: lambda: QCoreApplication.translate(
        "Reason", "This coupon is already in your cart."
    ),
    Reason.POINTS: lambda: QCoreApplication.translate(
        "Reason", "Your points cannot be used right now."
    ),
    Reason.POINTS_OVER_LIMIT: lambda: QCoreApplication.translate(
        "Reason", "That is more points than you can spend on this purchase."
    ),
    Reason.OFFLINE: lambda: QCoreApplication.translate(
        "Reason", "The store's system cannot be reached right now. You can still pay."
    ),
    Reason.PAYMENT: lambda: QCoreApplication.translate(
        "Reason", "The payment did not go through. Your items are kept: please try again."
    ),
    Reason.EXIT_CODE_FOREIGN: lambda: QCoreApplication.translate(
        "Reason", "This is not one of our exit codes."
    ),
    Reason.COUPON_REJECTED: lambda: QCoreApplication.translate(
        "Reason", "This coupon cannot be used for this purchase. Please keep it."
    ),
    Reason.LOYALTY: lambda: QCoreApplication.translate(
        "Reason", "Member benefits are not available right now. You can still pay."
    ),
    Reason.STORE: lambda: QCoreApplication.translate(
        "Reason", "The checkout could not save that. Please try again or ask a member of staff."
    ),
    Reason.PROVIDER_FAILED: lambda: QCoreApplication.translate(
        "Reason", "The payment did not go through. Your items are kept: please try again."
    ),
}

# A coupon's refusal: its own words (a coupon that `expired` is not a product past its date).
_COUPON_REASONS: dict[CouponRefusal | Reason, Callable[[], str]] = {
    CouponRefusal.UNKNOWN_COUPON: lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid at this store. Please keep it."
    ),
    CouponRefusal.BAD_SIGNATURE: lambda: QCoreApplication.translate(
        "Reason", "This coupon code is not genuine. Please ask a member of staff."
    ),
    CouponRefusal.EXPIRED: lambda: QCoreApplication.translate(
        "Reason", "This coupon has expired and cannot be used."
    ),
    CouponRefusal.NOT_YET_VALID: lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid yet. Please keep it for later."
    ),
    CouponRefusal.MEMBER_ONLY: lambda: QCoreApplication.translate(
        "Reason", "This coupon is for members. Scan your member code and it applies."
    ),
    CouponRefusal.OTHER_MEMBER: lambda: QCoreApplication.translate(
        "Reason", "This coupon belongs to another member."
    ),
    CouponRefusal.TIER_ONLY: lambda: QCoreApplication.translate(
        "Reason", "This coupon is only for members of a higher level."
    ),
    CouponRefusal.ALREADY_USED: lambda: QCoreApplication.translate(
        "Reason", "This coupon has already been used."
    ),
    CouponRefusal.LIMIT_REACHED: lambda: QCoreApplication.translate(
        "Reason", "You have already used this coupon as often as it allows."
    ),
    CouponRefusal.NOT_OFFLINE: lambda: QCoreApplication.translate(
        "Reason",
        "This coupon needs the store's system, which cannot be reached now. Please keep it.",
    ),
    CouponRefusal.WRONG_CURRENCY: lambda: QCoreApplication.translate(
        "Reason", "This coupon is for another currency and cannot be used here."
    ),
    CouponRefusal.NO_QUALIFYING_ITEMS: lambda: QCoreApplication.translate(
        "Reason",
        "Nothing in your cart matches this coupon (brand or product). "
        "It stays ready and applies when you add a matching item.",
    ),
    CouponRefusal.BELOW_MINIMUM_SPEND: lambda: QCoreApplication.translate(
        "Reason",
        "Minimum spend not reached yet. The coupon stays ready and applies once you reach it.",
    ),
    CouponRefusal.NOT_COMBINABLE: lambda: QCoreApplication.translate(
        "Reason", "Only one coupon of this kind per purchase: the one that saves most applies."
    ),
    Reason.ALREADY_IN_CART: lambda: QCoreApplication.translate(
        "Reason", "This coupon is already in your cart."
    ),
    Reason.COUPON_REJECTED: lambda: QCoreApplication.translate(
        "Reason", "This coupon cannot be used for this purchase. Please keep it."
    ),
}

# The same refusals naming the item (%1: its name, or the code scanned when the catalog
# has none), so the shopper puts the right one aside (`Session.refused` names it).
_NAMED_ITEM: dict[Reason, Callable[[], str]] = {
    Reason.UNKNOWN_PRODUCT: lambda: QCoreApplication.translate(
        "Reason",
        "We don't know the product with barcode %1. Please put it aside: "
        "a member of staff is coming.",
    ),
    Reason.RECALLED: lambda: QCoreApplication.translate(
        "Reason",
        "%1 has been recalled and cannot be sold. Please put it aside: "
        "a member of staff is coming for it.",
    ),
    Reason.NOT_SELLABLE: lambda: QCoreApplication.translate(
        "Reason",
        "%1 is not for sale here. Please put it aside: a member of staff is coming for it.",
    ),
    Reason.EXPIRED: lambda: QCoreApplication.translate(
        "Reason",
        "%1 is past its date and cannot be sold. Please put it aside: a member of staff is coming.",
    ),
}


def reason_text(
    reason: Reason | CouponRefusal, *, coupon: bool = False, args: tuple[str, ...] = ()
) -> str:
    """The message for `reason` (`coupon`: about a coupon), with `args` in place of %1, %2,
    …; a generic one still gets a safe, translated answer."""
    found = _COUPON_REASONS.get(reason) if coupon else None
    if found is None and args and isinstance(reason, Reason):
        found = _NAMED_ITEM.get(reason)
    if found is None and isinstance(reason, Reason):
        found = _REASONS.get(reason)
    if found is not None:
        text = found()
        # Highest first, so %1 never eats the start of %10.
        for n in range(len(args), 0, -1):
            text = text.replace(f"%{n}", args[n - 1])
        return text
    return QCoreApplication.translate(
        "Reason", "Something went wrong. Please ask a member of staff."
    )


def known_reasons() -> frozenset[Reason]:
    return frozenset(_REASONS)


def known_coupon_reasons() -> frozenset[CouponRefusal | Reason]:
    return frozenset(_COUPON_REASONS)
