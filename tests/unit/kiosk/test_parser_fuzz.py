"""Hypothesis over the kiosk's parsers of scanned or typed text (issue #12.8) and of the
feed items another version of the service sends: whatever arrives, each fails only with
its documented error class, never with a crash.

Money, the CSV readers and EMVCo have their own properties (test_money, test_csv_formats,
test_emvco), at the same `PARSER_EXAMPLES` per property.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.catalog import product_from_wire, product_to_wire
from kiosk.domain.codes import RcnRule, RcnValue, normalize_gtin, parse_product_code
from kiosk.domain.coupons import (
    coupon_from_wire,
    coupon_to_wire,
    parse_printed_code,
    printed_code,
)
from kiosk.domain.errors import UNREADABLE, CodeError
from kiosk.domain.loyalty_errors import CouponRejected, MemberError
from kiosk.domain.members import TierPolicy, carrefour_tiers, member_qr, parse_member_qr
from kiosk.domain.promotions import promotion_from_wire, promotion_to_wire
from tests.helpers import PARSER_EXAMPLES, make_product
from tests.unit.kiosk.loyalty_data import COUPONS, PROMOTIONS

KEY = b"k" * 32
RULES = (
    RcnRule("22", 5, RcnValue.WEIGHT, 5, 3),
    RcnRule("23", 4, RcnValue.PRICE, 5, 2, verifier=True),
)

_digits = st.text(alphabet="0123456789", min_size=1, max_size=20)
_gs1 = st.lists(
    st.sampled_from(["01", "10", "17", "21", "3103", "3922", "00", "8200", "(01)", "(17)"]).flatmap(
        lambda ai: st.tuples(st.just(ai), st.text(alphabet="0123456789ABCabc-/", max_size=16))
    ),
    min_size=1,
    max_size=5,
).map(
    lambda parts: "".join(
        ai + value + ("\x1d" if i % 2 else "") for i, (ai, value) in enumerate(parts)
    )
)
_link = st.tuples(
    st.sampled_from(["https://id.gs1.org/01/", "https://x.example/01/", "http://a/"]),
    st.text(max_size=30),
).map("".join)
_codes = st.one_of(
    st.text(max_size=80),
    _digits,
    _gs1,
    _gs1.map(lambda s: "]C1" + s),
    _link,
    st.from_regex(r"2[23][0-9]{11}", fullmatch=True),
)


@given(_codes, st.booleans())
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_product_codes_fail_only_with_code_errors(text: str, upce: bool) -> None:
    try:
        code = parse_product_code(text, upce=upce, rcn_rules=RULES)
    except CodeError:
        return
    assert len(code.gtin) == 14
    assert code.gtin.isdigit()
    assert code.weight_g is None or code.weight_g >= 0


@given(st.one_of(st.text(max_size=20), _digits), st.booleans())
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_gtins_normalise_or_fail_with_code_errors(text: str, upce: bool) -> None:
    try:
        gtin = normalize_gtin(text, upce=upce)
    except CodeError:
        return
    assert len(gtin) == 14


_member_like = st.one_of(
    st.text(max_size=80),
    st.tuples(
        st.sampled_from(["MBR:1", "mbr:1", "MBR:2", ""]),
        st.text(alphabet="0123456789ABCDEFabcdef-", max_size=34),
        st.text(alphabet="0123456789-+ ", max_size=12),
        st.text(alphabet="0123456789ABCDEF", max_size=22),
    ).map(".".join),
)


@given(_member_like)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_member_codes_fail_only_with_member_errors(text: str) -> None:
    with pytest.raises(MemberError):
        parse_member_qr(KEY, text, now_s=1_800_000_000)  # forged: no valid tag


def test_a_genuine_member_code_still_reads() -> None:
    member_id = "01890a5d-ac96-774b-bcce-b302099a8057"
    assert parse_member_qr(KEY, member_qr(KEY, member_id), 0).member_id == member_id


@given(
    st.one_of(
        st.text(max_size=80),
        st.tuples(
            st.sampled_from(["CPN:1", "cpn:1", "CPN:2"]),
            st.text(max_size=20),
            st.text(max_size=12),
            st.text(alphabet="0123456789ABCDEF", max_size=20),
        ).map(".".join),
    )
)
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_coupon_codes_fail_only_with_coupon_rejections(text: str) -> None:
    with pytest.raises(CouponRejected):
        parse_printed_code(KEY, text)


def test_a_genuine_coupon_code_still_reads() -> None:
    code = printed_code(KEY, "welcome-10", "P00000001")
    assert parse_printed_code(KEY, code).coupon_id == "welcome-10"


# Feed items from another version of the service: any field of a genuine item replaced by
# any JSON value. A kiosk refuses the item alone (`sync.pullers`) only if its parser fails
# with one of `UNREADABLE`; anything else stopped the feed, and every sale with it.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8,
)  # fmt: skip
_FEED_ITEMS = {
    "promotion": (promotion_to_wire(PROMOTIONS[0]), promotion_from_wire),
    "coupon": (coupon_to_wire(COUPONS[0]), coupon_from_wire),
    "product": (product_to_wire(make_product(1)), product_from_wire),
    "tier": (carrefour_tiers().to_wire()[1], lambda d: TierPolicy.from_wire([d])),
}


@pytest.mark.parametrize("kind", sorted(_FEED_ITEMS))
@given(data=st.data())
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_feed_items_fail_only_as_unreadable(kind: str, data: st.DataObject) -> None:
    genuine, parse = _FEED_ITEMS[kind]
    field = data.draw(st.sampled_from(sorted(genuine)))
    with contextlib.suppress(*UNREADABLE):
        parse({**genuine, field: data.draw(_json)})
