from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.domain.errors import MoneyError
from kiosk.domain.money import CURRENCY_EXPONENT, MAX_MINOR, Money, Rounding, allocate, divide
from tests.helpers import PARSER_EXAMPLES

amounts = st.integers(min_value=-(10**12), max_value=10**12)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.99", "CNY", 1299),
        ("1200", "KRW", 1200),
        ("0.5", "CNY", 50),
        ("3", "USD", 300),
        ("0.07", "CNY", 7),
        ("1000.00", "EUR", 100000),
        ("007.10", "CNY", 710),
    ],
)
def test_parse_is_exact(text: str, currency: str, minor: int) -> None:
    assert Money.parse(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency", "reason"),
    [
        ("1.234", "CNY", "amount_format"),
        ("12.5", "KRW", "amount_format"),
        ("abc", "CNY", "amount_format"),
        ("", "CNY", "amount_format"),
        ("1.00", "XYZ", "currency"),
        # Issue #12.10: each of these used to be read as some amount.
        ("12,80", "CNY", "amount_format"),  # was ¥1,280.00
        ("1,200", "KRW", "amount_format"),
        ("1_000", "CNY", "amount_format"),
        ("-3", "USD", "amount_format"),
        ("+5", "CNY", "amount_format"),
        ("\u0661\u0662", "CNY", "amount_format"),  # Arabic-Indic digits
        ("\uff11\uff12", "CNY", "amount_format"),  # full-width digits
        (" 12.80", "CNY", "amount_format"),
        ("12.80\n", "CNY", "amount_format"),
        ("12.", "CNY", "amount_format"),
        (".07", "CNY", "amount_format"),
        ("1.2.3", "CNY", "amount_format"),
        ("1e3", "CNY", "amount_format"),
        ("9" * 17, "CNY", "amount_range"),
        ("9" * 5000, "CNY", "amount_range"),  # not int()'s own ValueError
    ],
)
def test_parse_refuses_what_it_cannot_represent(text: str, currency: str, reason: str) -> None:
    with pytest.raises(MoneyError) as info:
        Money.parse(text, currency)
    assert info.value.reason == reason


def test_floats_and_bools_are_not_money() -> None:
    with pytest.raises(MoneyError):
        Money(12.5, "CNY")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money(True, "CNY")


def test_currencies_do_not_mix() -> None:
    with pytest.raises(MoneyError):
        Money(1, "CNY") + Money(1, "KRW")


def test_amounts_beyond_range_are_refused() -> None:
    with pytest.raises(MoneyError):
        Money(MAX_MINOR + 1, "CNY")


@pytest.mark.parametrize(
    ("n", "d", "rule", "expected"),
    [
        (5, 2, Rounding.HALF_UP, 3),
        (5, 2, Rounding.HALF_EVEN, 2),
        (7, 2, Rounding.HALF_EVEN, 4),
        (-5, 2, Rounding.HALF_UP, -3),
        (5, 2, Rounding.DOWN, 2),
        (14, 10, Rounding.HALF_UP, 1),
        (15, 10, Rounding.HALF_UP, 2),
        (16, 10, Rounding.DOWN, 1),
        (9, -2, Rounding.HALF_UP, -5),
    ],
)
def test_divide_rounds_by_the_named_rule(n: int, d: int, rule: Rounding, expected: int) -> None:
    assert divide(n, d, rule) == expected


@given(amounts, st.integers(min_value=1, max_value=10**6), st.sampled_from(list(Rounding)))
def test_divide_is_within_one_unit_of_the_true_quotient(n: int, d: int, rule: Rounding) -> None:
    q = divide(n, d, rule)
    assert abs(q * d - n) <= d  # |q - n/d| <= 1
    if rule is not Rounding.DOWN:
        assert 2 * abs(q * d - n) <= d  # nearest


@given(amounts, amounts, amounts)
def test_addition_is_associative_and_subtraction_undoes_it(a: int, b: int, c: int) -> None:
    x, y, z = Money(a, "CNY"), Money(b, "CNY"), Money(c, "CNY")
    assert (x + y) + z == x + (y + z)
    assert (x + y) - y == x


@given(st.integers(min_value=0, max_value=MAX_MINOR), st.sampled_from(["CNY", "KRW", "USD"]))
def test_plain_parses_back(minor: int, currency: str) -> None:
    m = Money(minor, currency)
    assert Money.parse(m.plain(), currency) == m


def test_the_display_form_is_not_an_input_format() -> None:
    with pytest.raises(MoneyError):
        Money.parse(Money(128000, "CNY").format().split()[0], "CNY")  # "1,280.00"


@given(st.text(max_size=40), st.sampled_from(sorted(CURRENCY_EXPONENT)))
@example("0.", "JPY")  # the test itself once failed here (no decimals: no pattern for them)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_parse_accepts_exactly_the_documented_format(text: str, currency: str) -> None:
    exponent = CURRENCY_EXPONENT[currency]
    whole, dot, frac = text.partition(".")
    # A currency without decimals (JPY, KRW) takes no '.' at all; `{1,0}` is no pattern.
    documented = re.fullmatch("[0-9]+", whole) is not None and (
        not dot or (exponent > 0 and re.fullmatch(f"[0-9]{{1,{exponent}}}", frac) is not None)
    )
    in_range = documented and (
        len(whole.lstrip("0")) <= 16
        and int(whole) * 10**exponent + int(frac.ljust(exponent, "0") or 0) <= MAX_MINOR
    )
    try:
        parsed = Money.parse(text, currency)
    except MoneyError:
        assert not in_range
    else:
        assert in_range
        assert parsed.minor == int(whole) * 10**exponent + int(frac.ljust(exponent, "0") or 0)


@given(st.from_regex(r"[0-9]{1,20}(\.[0-9]{1,2})?", fullmatch=True))
def test_documented_amounts_parse_or_are_out_of_range(text: str) -> None:
    whole, _, frac = text.partition(".")
    minor = int(whole) * 100 + int(frac.ljust(2, "0"))
    if minor > MAX_MINOR:
        with pytest.raises(MoneyError, match="out of range"):
            Money.parse(text, "CNY")
    else:
        assert Money.parse(text, "CNY").minor == minor


@given(amounts, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50))
def test_allocate_adds_up_and_is_proportional(total: int, weights: list[int]) -> None:
    parts = allocate(Money(total, "CNY"), weights)
    assert sum(p.minor for p in parts) == total
    if sum(weights):
        for part, w in zip(parts, weights, strict=True):
            exact = total * w / sum(weights)
            assert abs(part.minor - exact) < 1 + 1e-9
