"""Payment codes (付款码): recognised by their documented shape, never a product, never
a member or coupon code, and never mistaken the other way round."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.codes import RcnRule, RcnValue, check_digit, parse_product_code
from kiosk.domain.coupons import printed_code
from kiosk.domain.errors import CodeError
from kiosk.domain.members import member_qr
from kiosk.domain.payment_code import Wallet, is_payment_code, parse_payment_code
from tests.helpers import PARSER_EXAMPLES

RULES = (
    RcnRule("22", 5, RcnValue.WEIGHT, 5, 3),
    RcnRule("23", 4, RcnValue.PRICE, 5, 2, verifier=True),
)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


wechat_codes = st.tuples(st.integers(10, 15), _digits(16)).map(lambda t: f"{t[0]}{t[1]}")
alipay_codes = st.tuples(st.integers(25, 30), st.integers(14, 22)).flatmap(
    lambda t: _digits(t[1]).map(lambda rest: f"{t[0]}{rest}")
)


def _with_check(body: str) -> str:
    return body + str(check_digit(body))


gtins = st.sampled_from([7, 11, 12, 13]).flatmap(_digits).map(_with_check)
gs1_with_gtin = st.tuples(
    gtins.map(lambda g: g.zfill(14)), st.sampled_from(["", "10", "21", "17261231"]), _digits(6)
).map(lambda t: f"01{t[0]}{t[1]}" + (t[2] if t[1] in ("10", "21") else ""))


@given(wechat_codes, st.sampled_from(["", " ", "\n", "\t "]))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_a_wechat_code_is_a_payment_code_and_never_a_product(code: str, pad: str) -> None:
    found = parse_payment_code(pad + code + pad)
    assert found is not None
    assert (found.wallet, found.text) == (Wallet.WECHAT, code)
    with pytest.raises(CodeError):
        parse_product_code(code, rcn_rules=RULES)


@given(alipay_codes)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_an_alipay_code_is_a_payment_code_and_never_a_product(code: str) -> None:
    found = parse_payment_code(code)
    assert found is not None
    assert (found.wallet, found.text) == (Wallet.ALIPAY, code)
    with pytest.raises(CodeError):
        parse_product_code(code, rcn_rules=RULES)


@given(st.one_of(gtins, gs1_with_gtin, gs1_with_gtin.map(lambda s: "]C1" + s)))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_a_product_code_is_never_a_payment_code(text: str) -> None:
    assert len(parse_product_code(text).gtin) == 14  # a product indeed
    assert not is_payment_code(text)


@given(st.uuids(version=4), st.text(alphabet="0123456789ABCDEF", min_size=1, max_size=12))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_member_and_coupon_codes_are_never_payment_codes(member: object, serial: str) -> None:
    assert not is_payment_code(member_qr(b"k" * 32, str(member)))
    assert not is_payment_code(printed_code(b"k" * 32, "welcome-10", serial))


near_misses = st.one_of(
    st.tuples(st.integers(10, 15), st.sampled_from([14, 15, 17, 18, 22])).flatmap(
        lambda t: _digits(t[1]).map(lambda rest: f"{t[0]}{rest}")
    ),  # WeChat prefix, not 18 digits
    st.tuples(st.integers(25, 30), st.sampled_from([12, 13, 23, 24])).flatmap(
        lambda t: _digits(t[1]).map(lambda rest: f"{t[0]}{rest}")
    ),  # Alipay prefix, not 16-24 digits
    st.tuples(
        st.one_of(st.integers(0, 9), st.integers(16, 24), st.integers(31, 99)),
        st.integers(14, 22),
    ).flatmap(lambda t: _digits(t[1]).map(lambda rest: f"{t[0]:02d}{rest}")),  # other prefix
    st.tuples(wechat_codes, st.integers(1, 16), st.sampled_from(["A", "-", " ", "٣", "\x1d"])).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]
    ),  # one character that is not an ASCII digit
)


@given(near_misses)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_near_misses_are_not_payment_codes(text: str) -> None:
    assert parse_payment_code(text) is None


@given(st.text(max_size=40))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_any_text_is_a_well_formed_payment_code_or_none(text: str) -> None:
    found = parse_payment_code(text)
    if found is not None:
        assert found.text == text.strip()
        assert found.text.isascii()
        assert found.text.isdigit()


def test_the_providers_documented_examples() -> None:
    # WeChat's micropay example auth_code, and Alipay's bar_code example.
    assert parse_payment_code("120061098828009406") == parse_payment_code(" 120061098828009406")
    assert parse_payment_code("120061098828009406").wallet is Wallet.WECHAT  # type: ignore[union-attr]
    assert parse_payment_code("28763443825664394").wallet is Wallet.ALIPAY  # type: ignore[union-attr]


def test_a_payment_code_never_shows_whole_in_logs() -> None:
    code = parse_payment_code("134567890123456789")
    assert code is not None
    assert "567890123456" not in code.masked
    assert "567890123456" not in repr(code)
