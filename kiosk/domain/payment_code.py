"""Payment codes (付款码): the code a shopper's wallet shows for the kiosk to charge.

WeChat Pay's payment code is 18 digits starting 10–15; Alipay's is 16–24 digits
starting 25–30 (the providers' documented `auth_code` formats). The two ranges do not
overlap, and neither can be a product: a GTIN is at most 14 digits, and an all-digit
GS1 element string of these lengths that starts with one of these prefixes names no
GTIN (10 and 25x/30 are variable-length AIs that swallow the rest; 11–15 are 6-digit
dates, too short to leave room for `01` and 14 digits). Member and coupon codes carry
letters. So a scan is a payment code before anything else is looked at, and a payment
code is never looked up in the catalog.

The code itself is a short-lived bearer credential for the shopper's money: it is
passed to the central service and never stored or logged whole (`masked`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

_DIGITS = frozenset("0123456789")


class Wallet(enum.StrEnum):
    WECHAT = "wechat"
    ALIPAY = "alipay"


@dataclass(frozen=True, slots=True)
class PaymentCode:
    text: str
    wallet: Wallet

    @property
    def masked(self) -> str:
        """Enough to tell codes apart in a log, not enough to charge one."""
        return f"{self.text[:4]}…{self.text[-4:]}"

    def __repr__(self) -> str:
        return f"PaymentCode({self.masked!r}, {self.wallet.value})"


def parse_payment_code(text: str) -> PaymentCode | None:
    """The payment code `text` is, or None if it is not one (then it may be anything
    else: a product, a member code, a coupon)."""
    code = text.strip()
    if not code or not set(code) <= _DIGITS:
        return None
    prefix = int(code[:2])
    if len(code) == 18 and 10 <= prefix <= 15:
        return PaymentCode(code, Wallet.WECHAT)
    if 16 <= len(code) <= 24 and 25 <= prefix <= 30:
        return PaymentCode(code, Wallet.ALIPAY)
    return None


def is_payment_code(text: str) -> bool:
    return parse_payment_code(text) is not None
