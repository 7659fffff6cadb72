"""The core's refusal `reason` codes in the shopper's (or staff member's) words.

The core raises `KioskError`s with stable `reason` codes and English messages meant for
logs; people at the kiosk read these instead, in their language. Each text says what
happened and what to do next. Strings are literal so `pyside6-lupdate` finds them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

# Lambdas, so each text is translated when it is shown, in the language chosen by then.
_REASONS: dict[str, Callable[[], str]] = {
    "unknown_product": lambda: QCoreApplication.translate(
        "Reason", "We don't know this product. Please put it aside and ask a member of staff."
    ),
    "invalid_code": lambda: QCoreApplication.translate(
        "Reason", "This is not a product barcode. Please scan the barcode on the product."
    ),
    "check_digit": lambda: QCoreApplication.translate(
        "Reason", "The barcode could not be read correctly. Please scan it again."
    ),
    "recalled": lambda: QCoreApplication.translate(
        "Reason", "This product has been recalled and cannot be sold. Please hand it to staff."
    ),
    "not_sellable": lambda: QCoreApplication.translate(
        "Reason", "This product is not for sale here. Please ask a member of staff."
    ),
    "expired": lambda: QCoreApplication.translate(
        "Reason", "This item is past its date and cannot be sold. Please hand it to staff."
    ),
    "needs_weight": lambda: QCoreApplication.translate(
        "Reason", "This item is sold by weight. Please weigh it and scan the scale's label."
    ),
    "duplicate_serial": lambda: QCoreApplication.translate(
        "Reason", "This exact item is already in your cart."
    ),
    "quantity_limit": lambda: QCoreApplication.translate(
        "Reason", "You have reached the most of this item one sale can hold."
    ),
    "fixed_quantity": lambda: QCoreApplication.translate(
        "Reason", "Weighed or labelled items are one line per label: scan each label."
    ),
    "staff_needed": lambda: QCoreApplication.translate(
        "Reason", "A member of staff needs to take items off. Help is on the way."
    ),
    "line_inactive": lambda: QCoreApplication.translate(
        "Reason", "That item is no longer in the cart."
    ),
    "no_such_line": lambda: QCoreApplication.translate(
        "Reason", "That item is no longer in the cart."
    ),
    "sale_voided": lambda: QCoreApplication.translate("Reason", "This sale was cancelled."),
    "cart_frozen": lambda: QCoreApplication.translate(
        "Reason", "You are paying now. Cancel the payment to change your items."
    ),
    "reason_required": lambda: QCoreApplication.translate("Reason", "Please choose a reason."),
    "nothing_to_approve": lambda: QCoreApplication.translate(
        "Reason", "Nothing in the cart needs an age check."
    ),
    "empty_cart": lambda: QCoreApplication.translate(
        "Reason", "Your cart is empty. Scan an item first."
    ),
    "approval_needed": lambda: QCoreApplication.translate(
        "Reason", "A member of staff must check your age first. Help is on the way."
    ),
    "permission_denied": lambda: QCoreApplication.translate(
        "Reason", "Your role does not allow this. Please ask a supervisor."
    ),
    "unknown_badge": lambda: QCoreApplication.translate(
        "Reason", "This staff badge is not known at this store."
    ),
    "wrong_pin": lambda: QCoreApplication.translate("Reason", "Wrong staff number or PIN."),
    "pin_wait": lambda: QCoreApplication.translate(
        "Reason", "Too many wrong PINs. Please wait before trying again."
    ),
    "pin_locked": lambda: QCoreApplication.translate(
        "Reason", "PIN entry is locked. Please sign in with a staff badge."
    ),
    "not_paying": lambda: QCoreApplication.translate(
        "Reason", "No payment is in progress for this cart."
    ),
    "amount_mismatch": lambda: QCoreApplication.translate(
        "Reason", "The payment does not match the total. Please ask a member of staff."
    ),
    "payment_unavailable": lambda: QCoreApplication.translate(
        "Reason",
        "Payment is not available right now. Your items are kept: try again, "
        "or a member of staff can take your payment.",
    ),
    "central_unreachable": lambda: QCoreApplication.translate(
        "Reason",
        "The payment service cannot be reached. Your items are kept: try again, "
        "or a member of staff can take your payment.",
    ),
    "payment_offline": lambda: QCoreApplication.translate(
        "Reason",
        "The kiosk is offline. Pay with the store's code on screen; a member of staff is "
        "coming to confirm your payment.",
    ),
    "payment_expired": lambda: QCoreApplication.translate(
        "Reason", "The payment code expired. Your items are kept: tap Pay to try again."
    ),
    "payment_not_found": lambda: QCoreApplication.translate(
        "Reason",
        "The payment did not reach the payment service, so nothing was charged. Your items "
        "are kept: pay again.",
    ),
    "payment_code_no_items": lambda: QCoreApplication.translate(
        "Reason", "That is a payment code. Scan your items first, then show it to pay."
    ),
    "payment_code_busy": lambda: QCoreApplication.translate(
        "Reason", "Your payment is already being charged. Please wait for it to finish."
    ),
    "payment_code_confirm": lambda: QCoreApplication.translate(
        "Reason", "Please confirm the payment on your phone."
    ),
    "payment_code_expired": lambda: QCoreApplication.translate(
        "Reason",
        "Your payment code has expired. You were not charged: refresh the code in your "
        "wallet and show it again.",
    ),
    "payment_code_invalid": lambda: QCoreApplication.translate(
        "Reason",
        "That payment code was not accepted. You were not charged: open a fresh code in "
        "your wallet and show it again.",
    ),
    "payment_code_insufficient_funds": lambda: QCoreApplication.translate(
        "Reason",
        "Not enough money on that payment method. You were not charged: choose another "
        "card in your wallet and show the code again, or pay by QR.",
    ),
    "payment_code_user_cancelled": lambda: QCoreApplication.translate(
        "Reason",
        "The payment was cancelled on your phone. You were not charged: show the code "
        "again to pay.",
    ),
    "payment_code_not_confirmed": lambda: QCoreApplication.translate(
        "Reason",
        "The payment was not confirmed in time and has been cancelled: you were not "
        "charged. Show your code again to pay.",
    ),
    "payment_code_declined": lambda: QCoreApplication.translate(
        "Reason",
        "The payment was declined. You were not charged: try another way to pay, or a "
        "member of staff is coming to help.",
    ),
    "unknown_member": lambda: QCoreApplication.translate(
        "Reason", "We could not find this membership. You can sign up in one step."
    ),
    "bad_phone": lambda: QCoreApplication.translate(
        "Reason", "Please enter a phone number of 7 to 15 digits."
    ),
    "consent_required": lambda: QCoreApplication.translate(
        "Reason", "Please tick the box to agree to the member terms first."
    ),
    "member_on_product_screen": lambda: QCoreApplication.translate(
        "Reason", "Membership card recognised: member prices now apply."
    ),
    # Coupons (`ui.offers.coupon_reason`: the engine's refusal codes, prefixed).
    "coupon_added": lambda: QCoreApplication.translate(
        "Reason", "Coupon accepted: the saving is taken off your total."
    ),
    "coupon_removed": lambda: QCoreApplication.translate(
        "Reason", "Coupon taken off. You can scan it again later."
    ),
    "coupon_unknown_coupon": lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid at this store. Please keep it."
    ),
    "coupon_bad_signature": lambda: QCoreApplication.translate(
        "Reason", "This coupon code is not genuine. Please ask a member of staff."
    ),
    "coupon_expired": lambda: QCoreApplication.translate(
        "Reason", "This coupon has expired and cannot be used."
    ),
    "coupon_not_yet_valid": lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid yet. Please keep it for later."
    ),
    "coupon_member_only": lambda: QCoreApplication.translate(
        "Reason", "This coupon is for members. Scan your member code and it applies."
    ),
    "coupon_other_member": lambda: QCoreApplication.translate(
        "Reason", "This coupon belongs to another member."
    ),
    "coupon_tier_only": lambda: QCoreApplication.translate(
        "Reason", "This coupon is only for members of a higher level."
    ),
    "coupon_already_used": lambda: QCoreApplication.translate(
        "Reason", "This coupon has already been used."
    ),
    "coupon_limit_reached": lambda: QCoreApplication.translate(
        "Reason", "You have already used this coupon as often as it allows."
    ),
    "coupon_not_offline": lambda: QCoreApplication.translate(
        "Reason",
        "This coupon needs the store's system, which cannot be reached now. Please keep it.",
    ),
    "coupon_wrong_currency": lambda: QCoreApplication.translate(
        "Reason", "This coupon is for another currency and cannot be used here."
    ),
    "coupon_no_qualifying_items": lambda: QCoreApplication.translate(
        "Reason",
        "Nothing in your cart matches this coupon (brand or product). "
        "It stays ready and applies when you add a matching item.",
    ),
    "coupon_below_minimum_spend": lambda: QCoreApplication.translate(
        "Reason",
        "Minimum spend not reached yet. The coupon stays ready and applies once you reach it.",
    ),
    "coupon_not_combinable": lambda: QCoreApplication.translate(
        "Reason", "Only one coupon of this kind per purchase: the one that saves most applies."
    ),
    "coupon_already_in_cart": lambda: QCoreApplication.translate(
        "Reason", "This coupon is already in your cart."
    ),
    "coupon_coupon_rejected": lambda: QCoreApplication.translate(
        "Reason", "This coupon cannot be used for this purchase. Please keep it."
    ),
    "printer": lambda: QCoreApplication.translate(
        "Reason",
        "The printer is not working. Your exit code stays on the screen: show it at the exit.",
    ),
    "printer_offline": lambda: QCoreApplication.translate(
        "Reason",
        "The printer is not connected. Your exit code stays on the screen: show it at the exit.",
    ),
    "printer_failed": lambda: QCoreApplication.translate(
        "Reason", "The printer stopped while printing. Please ask a member of staff."
    ),
    "printer_no_paper": lambda: QCoreApplication.translate(
        "Reason", "The printer is out of paper. A member of staff has been told."
    ),
    "bad_price_label": lambda: QCoreApplication.translate(
        "Reason", "This price label cannot be read. Please ask a member of staff."
    ),
    "payment_mismatch": lambda: QCoreApplication.translate(
        "Reason", "The payment does not match the total. Please ask a member of staff."
    ),
    "payment_state": lambda: QCoreApplication.translate(
        "Reason", "This payment has already ended. Please tap Pay again."
    ),
    "refused": lambda: QCoreApplication.translate(
        "Reason", "This item cannot be sold here. Please ask a member of staff."
    ),
    "not_allowed": lambda: QCoreApplication.translate(
        "Reason", "That is not allowed here. Please ask a member of staff."
    ),
    "cart": lambda: QCoreApplication.translate(
        "Reason", "That cannot be done with this cart. Please ask a member of staff."
    ),
    "exit_code_invalid": lambda: QCoreApplication.translate(
        "Reason", "This exit code cannot be read. Ask the shopper for the receipt."
    ),
    "weak_pin": lambda: QCoreApplication.translate("Reason", "A PIN is at least 4 digits."),
    "nothing_to_pay": lambda: QCoreApplication.translate("Reason", "There is nothing to pay."),
    "camera_lost": lambda: QCoreApplication.translate(
        "Reason",
        "The camera is not working. Your items are kept: use the hand scanner or ask staff.",
    ),
    "staff_while_paying": lambda: QCoreApplication.translate(
        "Reason", "Staff mode opened. The shopper's payment stays open."
    ),
    "kiosk_locked": lambda: QCoreApplication.translate(
        "Reason", "This checkout is closed. Please use another checkout."
    ),
    "age_check_pending": lambda: QCoreApplication.translate(
        "Reason", "This item needs an age check. A member of staff is on the way."
    ),
    "assistance_called": lambda: QCoreApplication.translate(
        "Reason", "A member of staff has been called and will be with you shortly."
    ),
    "member_looking_up": lambda: QCoreApplication.translate(
        "Reason", "Looking up your membership…"
    ),
    "member_added": lambda: QCoreApplication.translate(
        "Reason", "Welcome back! Member prices now apply."
    ),
    "member_signed_up": lambda: QCoreApplication.translate(
        "Reason", "Welcome! You are now a member and member prices apply."
    ),
    "receipt_printed": lambda: QCoreApplication.translate(
        "Reason", "Your receipt is printing. Please take it."
    ),
    "exit_valid": lambda: QCoreApplication.translate(
        "Reason", "Exit code valid: this sale was paid. Let the shopper through."
    ),
    "exit_valid_audit": lambda: QCoreApplication.translate(
        "Reason", "Exit code valid. This sale was picked for a bag check."
    ),
    "exit_forged": lambda: QCoreApplication.translate(
        "Reason", "Exit code NOT valid: its signature does not match. Check the receipt."
    ),
    "exit_expired": lambda: QCoreApplication.translate(
        "Reason", "Exit code too old: check the receipt and the items."
    ),
    "exit_already_used": lambda: QCoreApplication.translate(
        "Reason", "Exit code already used once: check the receipt and the items."
    ),
    "exit_unknown_kiosk": lambda: QCoreApplication.translate(
        "Reason", "Exit code from a kiosk this one does not know: check the receipt."
    ),
    "exit_training": lambda: QCoreApplication.translate(
        "Reason", "Exit code from a training sale: nothing was paid."
    ),
    "exit_from_the_future": lambda: QCoreApplication.translate(
        "Reason", "Exit code has an impossible time: check the receipt."
    ),
    "exit_exit_code_invalid": lambda: QCoreApplication.translate(
        "Reason", "This exit code cannot be read. Ask the shopper for the receipt."
    ),
    "exit_exit_code_foreign": lambda: QCoreApplication.translate(
        "Reason", "This is not one of our exit codes."
    ),
    "nothing_to_reprint": lambda: QCoreApplication.translate(
        "Reason", "There is no receipt to reprint yet."
    ),
    "select_line": lambda: QCoreApplication.translate("Reason", "Select a line first."),
    "reprinted": lambda: QCoreApplication.translate("Reason", "The last receipt was reprinted."),
    "member": lambda: QCoreApplication.translate(
        "Reason", "Your membership could not be used. Please ask a member of staff."
    ),
    "bad_member_code": lambda: QCoreApplication.translate(
        "Reason", "This member code cannot be read. Please show the code in your app again."
    ),
    "member_code_expired": lambda: QCoreApplication.translate(
        "Reason", "Your member code has expired. Please refresh it in the app."
    ),
    "member_only": lambda: QCoreApplication.translate(
        "Reason", "Please scan your member code first to use this."
    ),
    "unknown_coupon": lambda: QCoreApplication.translate(
        "Reason", "This coupon is not valid here. Please keep it."
    ),
    "bad_signature": lambda: QCoreApplication.translate(
        "Reason", "This coupon is not genuine. Please ask a member of staff."
    ),
    "already_in_cart": lambda: QCoreApplication.translate(
        "Reason", "This coupon is already in your cart."
    ),
    "points": lambda: QCoreApplication.translate("Reason", "Your points cannot be used right now."),
    "points_over_limit": lambda: QCoreApplication.translate(
        "Reason", "That is more points than you can spend on this purchase."
    ),
    "offline": lambda: QCoreApplication.translate(
        "Reason", "The store's system cannot be reached right now. You can still pay."
    ),
    "payment": lambda: QCoreApplication.translate(
        "Reason", "The payment did not go through. Your items are kept: please try again."
    ),
    "exit_code_foreign": lambda: QCoreApplication.translate(
        "Reason", "This is not one of our exit codes."
    ),
    "coupon_rejected": lambda: QCoreApplication.translate(
        "Reason", "This coupon cannot be used for this purchase. Please keep it."
    ),
    "loyalty": lambda: QCoreApplication.translate(
        "Reason", "Member benefits are not available right now. You can still pay."
    ),
    "store": lambda: QCoreApplication.translate(
        "Reason", "The checkout could not save that. Please try again or ask a member of staff."
    ),
}


def reason_text(reason: str) -> str:
    """The message for `reason`; an unlisted code still gets a safe, translated answer."""
    found = _REASONS.get(reason)
    if found is not None:
        return found()
    return QCoreApplication.translate(
        "Reason", "Something went wrong. Please ask a member of staff."
    )


def known_reasons() -> frozenset[str]:
    return frozenset(_REASONS)
