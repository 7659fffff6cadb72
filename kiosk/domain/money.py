"""Money in integer minor units, and the one place where rounding happens.

Amounts never pass through floats: a price is `Money(minor=1299, currency="CNY")`
for ¥12.99. Anything that divides (per-kg prices, percentages, tax) goes through
`divide`, which rounds by a named `Rounding` rule, so every rounding decision in
the kiosk can be found by searching for it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import total_ordering

from kiosk.domain.errors import MoneyError, Reason

# ISO 4217 minor-unit exponents for the currencies a chain in the region uses.
# Unknown codes are refused rather than guessed, since a wrong exponent is a
# hundredfold pricing error.
CURRENCY_EXPONENT: dict[str, int] = {
    "CNY": 2,
    "HKD": 2,
    "TWD": 2,
    "KRW": 0,
    "JPY": 0,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "SGD": 2,
    "MYR": 2,
    "THB": 2,
    "BRL": 2,
    "VND": 0,
    "KHR": 2,
}

# Far above any till total, far below where int64 columns in SQLite/PostgreSQL overflow.
MAX_MINOR = 10**15

AMOUNT_FORMAT = r"[0-9]+(\.[0-9]+)?"
"""The one written form of an amount (catalog and offer CSV files, EMVCo tag 54)."""
_AMOUNT = re.compile(AMOUNT_FORMAT, re.ASCII)
# Enough for MAX_MINOR in any currency; longer is refused before `int()` sees it.
_MAX_WHOLE_DIGITS = 16


class Rounding(enum.Enum):
    """How a fractional minor unit is resolved. Retail in CN/KR rounds half up."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"


def divide(numerator: int, denominator: int, rule: Rounding = Rounding.HALF_UP) -> int:
    """Integer division rounded by `rule` (symmetric for negative values)."""
    if denominator == 0:
        raise MoneyError("division by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if rule is Rounding.DOWN or remainder == 0:
        return sign * quotient
    twice = 2 * remainder
    if (
        twice > denominator
        or (twice == denominator and rule is Rounding.HALF_UP)
        or (twice == denominator and quotient % 2 == 1)
    ):
        quotient += 1
    return sign * quotient


def exponent_of(currency: str) -> int:
    try:
        return CURRENCY_EXPONENT[currency]
    except KeyError:
        raise MoneyError(
            f"unknown currency {currency!r}",
            reason=Reason.CURRENCY,
            say="currency_unknown",
            params={"value": currency},
        ) from None


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency in minor units (fen, won, cents)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:  # bool and float are refused on purpose
            raise MoneyError(f"money must be an integer number of minor units, got {self.minor!r}")
        if self.currency not in CURRENCY_EXPONENT:
            exponent_of(self.currency)  # raises, with the one wording
        if abs(self.minor) > MAX_MINOR:
            raise MoneyError(f"amount {self.minor} is out of range", reason=Reason.AMOUNT_RANGE)

    @classmethod
    def _valid(cls, minor: int, currency: str) -> Money:
        """Internal fast path: `Money(minor, currency)` without `__post_init__`'s checks.

        Only for values the caller *derived* from validated `Money` and knows are valid:
        an `int` no larger in size than a validated amount, in a currency already checked
        (the pricing core and the offers engine build one per discount and per line, on
        every scan). Everything else goes through the strict constructor.
        """
        money = object.__new__(cls)
        _SET_MINOR(money, minor)
        _SET_CURRENCY(money, currency)
        return money

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse an amount in the one format the kiosk's files and payloads use.

        `AMOUNT_FORMAT`: ASCII digits, optionally one '.' and at most the currency's
        decimals ("12.80", "12", "0.5"). Nothing else is guessed at: a grouping mark, a
        decimal comma, a sign, blanks or other scripts' digits are refused, since
        "12,80" read leniently is ¥1,280.00. No format the kiosk reads has a meaningful
        negative amount (refunds and adjustments are computed, never typed), so there
        is no sign to parse.
        """
        exponent = exponent_of(currency)
        if not isinstance(text, str) or _AMOUNT.fullmatch(text) is None:
            raise MoneyError(
                f"{text!r} is not an amount: write digits with one '.' (e.g. 12.80)",
                reason=Reason.AMOUNT_FORMAT,
                say="not_amount",
                params={"value": text},
            )
        whole, _, frac = text.partition(".")
        if len(frac) > exponent:
            message = f"{text!r} has more decimals than {currency} allows ({exponent})"
            if not exponent:  # the won, the yen: said so, not "at most 0 decimals"
                raise MoneyError(
                    message,
                    reason=Reason.AMOUNT_FORMAT,
                    say="no_decimals",
                    params={"value": text, "currency": currency},
                )
            raise MoneyError(
                message,
                reason=Reason.AMOUNT_FORMAT,
                say="decimals",
                params={"value": text, "currency": currency, "most": exponent},
            )
        if len(whole.lstrip("0")) > _MAX_WHOLE_DIGITS:
            raise MoneyError(
                f"amount {text!r} is out of range",
                reason=Reason.AMOUNT_RANGE,
                say="amount_range",
                params={"value": text},
            )
        return cls(int(whole) * 10**exponent + int(frac.ljust(exponent, "0") or "0"), currency)

    def plain(self) -> str:
        """The amount in `AMOUNT_FORMAT` (what `parse` reads back); only for amounts ≥ 0."""
        exponent = exponent_of(self.currency)
        if self.minor < 0:
            raise MoneyError("a negative amount has no plain form")
        if exponent == 0:
            return str(self.minor)
        whole, frac = divmod(self.minor, 10**exponent)
        return f"{whole}.{frac:0{exponent}d}"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def times(self, count: int) -> Money:
        return Money(self.minor * count, self.currency)

    def fraction(self, numerator: int, denominator: int, rule: Rounding) -> Money:
        """self × numerator / denominator, rounded once by `rule`."""
        return Money(divide(self.minor * numerator, denominator, rule), self.currency)

    def is_zero(self) -> bool:
        return self.minor == 0

    def format(self) -> str:
        """A locale-neutral rendering for logs and the CLI; the UI formats per locale."""
        exponent = exponent_of(self.currency)
        sign = "-" if self.minor < 0 else ""
        whole, frac = divmod(abs(self.minor), 10**exponent)
        body = f"{whole:,}" + (f".{frac:0{exponent}d}" if exponent else "")
        return f"{sign}{body} {self.currency}"

    def __str__(self) -> str:
        return self.format()


# The slots' own setters, for `Money._valid`: what `object.__setattr__` finds by name
# on every call (about twice as slow).
_SET_MINOR = Money.__dict__["minor"].__set__
_SET_CURRENCY = Money.__dict__["currency"].__set__


def allocate_minor(total: int, weights: list[int]) -> list[int]:
    """Split `total` minor units in proportion to `weights` so the parts add up exactly.

    Largest-remainder method, ties to the earlier weight (deterministic): used to spread
    a discount over lines so each line's tax base is right and the parts never drift
    from the whole by a fen. Plain integers, because pricing calls it per discount.
    """
    if not weights:
        return []
    if min(weights) < 0:
        raise MoneyError("allocation weights must not be negative")
    if len(weights) == 1:
        return [total]  # all of it, whatever the (non-negative) weight
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [total] + [0] * (len(weights) - 1)
    amount = -total if total < 0 else total
    floors = [amount * w // weight_sum for w in weights]
    short = amount - sum(floors)
    if short:
        remainders = [amount * w % weight_sum for w in weights]
        # Stable even when reversed: equal remainders keep the earlier weight first.
        ranked = sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)
        for i in ranked[:short]:
            floors[i] += 1
    return [-part for part in floors] if total < 0 else floors


def allocate(total: Money, weights: list[int]) -> list[Money]:
    """`allocate_minor` for `Money`."""
    return [Money(part, total.currency) for part in allocate_minor(total.minor, weights)]
