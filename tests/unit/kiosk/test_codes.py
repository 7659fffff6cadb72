from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.codes import (
    RcnRule,
    RcnValue,
    check_digit,
    display_gtin,
    expand_upce,
    has_valid_check_digit,
    is_restricted_circulation,
    normalize_gtin,
    parse_product_code,
    rcn_rule_from_wire,
    rcn_rule_to_wire,
)
from kiosk.domain.errors import CheckDigitError, CodeError

RULES = (
    RcnRule("20", 5, RcnValue.PRICE, 5, 2),
    RcnRule("21", 4, RcnValue.PRICE, 5, 2, verifier=True),
    RcnRule("22", 5, RcnValue.WEIGHT, 5, 3),
)


@pytest.mark.parametrize(
    ("code", "gtin14"),
    [
        ("4006381333931", "04006381333931"),  # EAN-13 (GS1's own example)
        ("036602301467", "00036602301467"),  # UPC-A equals EAN-13 with a leading 0
        ("96385074", "00000096385074"),  # EAN-8
        ("10614141000019", "10614141000019"),  # GTIN-14 with indicator digit
    ],
)
def test_normalises_every_gtin_length_to_14(code: str, gtin14: str) -> None:
    assert normalize_gtin(code) == gtin14


@pytest.mark.parametrize(
    ("digits", "upca_body"),
    [
        ("123456", "01234500006"),  # last digit 5-9: manufacturer 5 digits, item = last
        ("425261", "04210000526"),  # last 0-2: the Wikipedia example 04252614 -> 042100005264
        ("123453", "01230000045"),  # last 3
        ("123454", "01234000005"),  # last 4
    ],
)
def test_upce_expansion(digits: str, upca_body: str) -> None:
    check = str(check_digit(upca_body))
    assert expand_upce("0" + digits + check) == upca_body + check
    assert normalize_gtin("0" + digits + check, upce=True) == "00" + upca_body + check


def test_upce_with_a_wrong_check_digit() -> None:
    with pytest.raises(CheckDigitError):
        expand_upce("04252615")


@pytest.mark.parametrize("bad", ["4006381333932", "036602301468", "96385075"])
def test_wrong_check_digit_is_named(bad: str) -> None:
    with pytest.raises(CheckDigitError, match="check digit"):
        normalize_gtin(bad)


@pytest.mark.parametrize(
    "bad", ["", "12345", "abc", "40063813339311", "４００６３８１３３３９３１"]
)
def test_not_a_gtin(bad: str) -> None:
    with pytest.raises(CodeError):
        normalize_gtin(bad)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_body_with_its_check_digit_is_valid_and_every_single_digit_error_is_caught(
    body: str,
) -> None:
    code = body + str(check_digit(body))
    assert normalize_gtin(code) == "0" + code
    for i in range(13):
        for d in "0123456789":
            if d != code[i]:
                assert not has_valid_check_digit(code[:i] + d + code[i + 1 :])


@given(st.text(alphabet="0123456789", min_size=13, max_size=13).map(lambda b: b + "0"))
def test_normalising_is_idempotent(candidate: str) -> None:
    body = candidate[:13]
    gtin = normalize_gtin(body + str(check_digit(body)))
    assert normalize_gtin(gtin) == gtin


@given(st.text(max_size=60))
def test_arbitrary_text_gives_a_code_or_a_code_error(text: str) -> None:
    try:
        result = parse_product_code(text, rcn_rules=RULES)
    except CodeError:
        return
    assert has_valid_check_digit(result.gtin)


def test_gs1_element_string_from_the_general_specifications() -> None:
    code = parse_product_code("(01)09501101530003(17)140704(10)AB-123")
    assert code.gtin == "09501101530003"
    assert code.expiry == date(2014, 7, 4)
    assert code.lot == "AB-123"


def test_gs1_128_with_aim_prefix_fnc1_weight_and_price() -> None:
    code = parse_product_code("]C1010950110153000317261231\x1d10LOT7\x1d3103001250")
    assert (code.gtin, code.lot, code.weight_g) == ("09501101530003", "LOT7", 1250)
    priced = parse_product_code("0109501101530003" + "3922" + "1999")
    assert (priced.price_minor, priced.price_decimals) == (1999, 2)


def test_gs1_digital_link() -> None:
    code = parse_product_code("https://id.gs1.org/01/09506000134352/10/ABC123?17=261231&21=S1")
    assert (code.gtin, code.lot, code.serial) == ("09506000134352", "ABC123", "S1")
    assert code.expiry == date(2026, 12, 31)


@pytest.mark.parametrize(
    "bad", ["]C1(00)106141411234567897", "https://example.com/x", "]Q1hello", "0012345"]
)
def test_gs1_without_a_product_is_refused(bad: str) -> None:
    with pytest.raises(CodeError):
        parse_product_code(bad)


def test_scale_label_with_price() -> None:
    body = "201234501299"
    code = parse_product_code(body + str(check_digit(body)), rcn_rules=RULES)
    assert code.price_minor == 1299
    assert code.gtin == "02012345000001"  # the catalog key: value digits zeroed


def test_scale_label_with_weight_in_grams() -> None:
    body = "221234500734"
    code = parse_product_code(body + str(check_digit(body)), rcn_rules=RULES)
    assert code.weight_g == 734
    assert display_gtin(code.gtin) == "2212345000005"


def test_price_verifier_digit_is_checked() -> None:
    # GS1 GenSpecs 7.9.3 example: the 5-digit price 14685 has verifier digit 6.
    good = "2112346" + "14685"
    code = parse_product_code(good + str(check_digit(good)), rcn_rules=RULES)
    assert code.price_minor == 14685
    bad = "2112345" + "14685"
    with pytest.raises(CheckDigitError, match="verifier"):
        parse_product_code(bad + str(check_digit(bad)), rcn_rules=RULES)


def test_rcn_without_a_store_rule_is_a_plain_gtin() -> None:
    body = "251234501299"
    gtin = normalize_gtin(body + str(check_digit(body)))
    assert is_restricted_circulation(gtin)
    assert parse_product_code(gtin[1:], rcn_rules=RULES).gtin == gtin


def test_rcn_rule_must_describe_thirteen_digits() -> None:
    with pytest.raises(CodeError, match="13"):
        RcnRule("20", 6, RcnValue.PRICE, 5, 2)
    with pytest.raises(CodeError, match="restricted"):
        RcnRule("30", 5, RcnValue.PRICE, 5, 2)


@st.composite
def rcn_rules(draw: st.DrawFn) -> RcnRule:
    prefix = draw(st.sampled_from(["02", *(f"2{d}" for d in range(10))]))
    verifier = draw(st.booleans())
    value_digits = draw(st.sampled_from([4, 5]) if verifier else st.integers(1, 9))
    value = draw(st.sampled_from(RcnValue))
    top = min(3, value_digits) if value is RcnValue.WEIGHT else value_digits
    return RcnRule(
        prefix,
        10 - value_digits - int(verifier),
        value,
        value_digits,
        draw(st.integers(0, top)),
        verifier,
    )


@given(rcn_rules())
def test_rcn_rule_wire_round_trip(rule: RcnRule) -> None:
    assert rcn_rule_from_wire(rcn_rule_to_wire(rule)) == rule


WIRE_RULE = {"prefix": "20", "item_digits": 5, "value": "price", "value_digits": 5, "decimals": 2}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"item_digits": "5"}, "'item_digits' must be a int"),
        ({"item_digits": True}, "'item_digits' must be a int"),
        ({"decimals": None}, "'decimals' must be a int"),
        ({"value": "volume"}, "'price' or 'weight'"),
        ({"verifier": 1}, "true or false"),
        ({"item_digits": 4}, "12 digits"),
        ({"item_digits": 0, "value_digits": 10}, "needs item and value digits"),
        ({"decimals": 6}, "6 decimals"),
        ({"prefix": "69"}, "not a restricted-circulation prefix"),
    ],
)
def test_rcn_rule_from_wire_is_strict(change: dict[str, object], message: str) -> None:
    with pytest.raises(CodeError, match=message):
        rcn_rule_from_wire(WIRE_RULE | change)


def test_rcn_rule_from_wire_needs_an_object() -> None:
    with pytest.raises(CodeError, match="object"):
        rcn_rule_from_wire(["20"])  # type: ignore[arg-type]
