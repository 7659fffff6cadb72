"""The scale's MT-SICS answers (`kiosk.domain.scale`) and the price of a weighed item: the
answers printed in Mettler Toledo's MT-SICS manuals, then hypothesis over any text and over
near-valid answers (only `ScaleError` may come out), and the price against its definition."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.errors import ScaleError
from kiosk.domain.money import Money, Rounding, divide
from kiosk.domain.pricing import weighed_price
from kiosk.domain.scale import (
    Command,
    ScaleReading,
    ScaleState,
    ZeroResult,
    command_line,
    parse_tare,
    parse_weight,
    parse_zero,
    weight_answer,
)
from tests.helpers import PARSER_EXAMPLES


@pytest.mark.parametrize(
    ("answer", "reading"),
    [
        # The manual's own example: "S S     100.00 g", the current stable weight.
        ("S S     100.00 g\r\n", ScaleReading(ScaleState.STABLE, 100)),
        ("S D      0.125 kg\r\n", ScaleReading(ScaleState.MOVING, 125)),
        ("S S      1.250 kg\r\n", ScaleReading(ScaleState.STABLE, 1250)),
        ("S S     -0.012 kg\r\n", ScaleReading(ScaleState.STABLE, -12)),
        # Finer than a gram: the fraction is never charged.
        ("S S     0.4569 kg\r\n", ScaleReading(ScaleState.STABLE, 456)),
        ("S S      99.99 g\r\n", ScaleReading(ScaleState.STABLE, 99)),
        ("S +\r\n", ScaleReading(ScaleState.OVER_CAPACITY)),
        ("S -\r\n", ScaleReading(ScaleState.UNDER_ZERO)),
        ("S I\r\n", ScaleReading(ScaleState.BUSY)),
    ],
)
def test_weight_answers_from_the_manual(answer: str, reading: ScaleReading) -> None:
    assert parse_weight(answer) == reading


@pytest.mark.parametrize(
    "answer",
    [
        "ES\r\n",  # syntax error: the scale did not know the command
        "ET\r\n",
        "EL\r\n",
        "S S      1.000 lb\r\n",  # a unit the kiosk does not sell by
        "S S\r\n",  # stable, but no weight
        "S X      1.000 kg\r\n",
        "S + 1.000 kg\r\n",
        "Z A\r\n",  # an answer to another command
        "S S      1,000 kg\r\n",
        "S S   1.000.0 kg\r\n",
        "S S   \x001.000 kg\r\n",
        "",
        "S D " + "9" * 80 + " kg\r\n",
    ],
)
def test_what_is_not_a_weight_answer_is_a_scale_error(answer: str) -> None:
    with pytest.raises(ScaleError):
        parse_weight(answer)


def test_zero_and_tare_answers() -> None:
    assert parse_zero("Z A\r\n") is ZeroResult.DONE
    assert parse_zero("Z +\r\n") is ZeroResult.OUT_OF_RANGE
    assert parse_zero("Z -\r\n") is ZeroResult.OUT_OF_RANGE
    assert parse_zero("Z I\r\n") is ZeroResult.BUSY
    assert parse_tare("T S      0.020 kg\r\n") == 20
    assert parse_tare("T +\r\n") is None
    assert parse_tare("T I\r\n") is None
    with pytest.raises(ScaleError):
        parse_zero("Z S      0.000 kg\r\n")
    with pytest.raises(ScaleError):
        parse_tare("T S\r\n")


def test_commands_are_upper_case_lines_ended_by_cr_lf() -> None:
    assert command_line(Command.WEIGHT_NOW) == b"SI\r\n"
    assert command_line(Command.ZERO) == b"Z\r\n"


_weighing = st.builds(
    ScaleReading,
    st.sampled_from([ScaleState.STABLE, ScaleState.MOVING]),
    st.integers(-(10**8), 10**8),
)
_no_weight = st.builds(
    ScaleReading,
    st.sampled_from([ScaleState.OVER_CAPACITY, ScaleState.UNDER_ZERO, ScaleState.BUSY]),
)


@settings(max_examples=PARSER_EXAMPLES)
@given(_weighing | _no_weight)
def test_every_reading_survives_the_wire(reading: ScaleReading) -> None:
    assert parse_weight(weight_answer(reading)) == reading


_PARSERS = (parse_weight, parse_zero, parse_tare)


@settings(max_examples=PARSER_EXAMPLES)
@given(st.text(max_size=80), st.sampled_from(_PARSERS))
def test_any_text_is_an_answer_or_a_scale_error(text: str, parse: object) -> None:
    assert callable(parse)
    with contextlib.suppress(ScaleError):
        parse(text)


_answers = st.sampled_from(
    ["S S      1.250 kg\r\n", "S D     100.00 g\r\n", "S +\r\n", "Z A\r\n", "T S  0.020 kg\r\n"]
)
_edits = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.sampled_from(["delete", "insert", "replace"]),
        st.sampled_from(list(" SDZTIAE+-.0123456789kgl\r\n\x00é")),
    ),
    min_size=1,
    max_size=4,
)


def _edit(text: str, edits: list[tuple[int, str, str]]) -> str:
    for at, how, char in edits:
        at = min(at, len(text))
        if how == "delete":
            text = text[:at] + text[at + 1 :]
        elif how == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text


@settings(max_examples=PARSER_EXAMPLES)
@given(_answers, _edits, st.sampled_from(_PARSERS))
def test_near_valid_answers_parse_or_fail_with_a_scale_error(
    answer: str, edits: list[tuple[int, str, str]], parse: object
) -> None:
    assert callable(parse)
    text = _edit(answer, edits)
    try:
        result = parse(text)
    except ScaleError:
        return
    if isinstance(result, ScaleReading) and result.grams is not None:
        assert abs(result.grams) < 10**13  # a weight, never an unbounded number


@pytest.mark.parametrize(
    ("reading", "sellable"),
    [
        (ScaleReading(ScaleState.STABLE, 125), True),
        (ScaleReading(ScaleState.STABLE, 0), False),  # never a 0 kg line
        (ScaleReading(ScaleState.STABLE, -5), False),
        (ScaleReading(ScaleState.MOVING, 125), False),  # "hold still"
        (ScaleReading(ScaleState.OVER_CAPACITY), False),
    ],
)
def test_only_a_stable_positive_weight_is_sellable(reading: ScaleReading, sellable: bool) -> None:
    assert reading.sellable is sellable


def test_the_price_of_a_weighed_item_rounds_once_by_the_store_rule() -> None:
    per_kg = Money(1280, "CNY")  # ¥12.80/kg
    assert weighed_price(per_kg, 1250, Rounding.HALF_UP) == Money(1600, "CNY")
    assert weighed_price(per_kg, 457, Rounding.HALF_UP) == Money(585, "CNY")  # 584.96
    assert weighed_price(per_kg, 457, Rounding.DOWN) == Money(584, "CNY")


@settings(max_examples=PARSER_EXAMPLES)
@given(
    st.integers(0, 10**6),
    st.integers(1, 10**6),
    st.sampled_from(list(Rounding)),
)
def test_weighed_price_is_weight_times_price_per_kg_within_half_a_minor_unit(
    per_kg: int, grams: int, rounding: Rounding
) -> None:
    price = weighed_price(Money(per_kg, "CNY"), grams, rounding)
    assert price.minor == divide(per_kg * grams, 1000, rounding)
    slack = 1000 if rounding is Rounding.DOWN else 500
    assert abs(price.minor * 1000 - per_kg * grams) <= slack
    if rounding is Rounding.DOWN:
        assert price.minor * 1000 <= per_kg * grams  # never above the exact price
