"""The serial driver (`scale.serial_scale`) against the MT-SICS simulator on a real
pseudo-terminal: real serial I/O through pyserial, the scripted platform on the far side."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from kiosk.domain.errors import ScaleError
from kiosk.domain.scale import ScaleReading, ScaleState, ZeroResult
from scale.serial_scale import SerialScale, SerialSettings
from simulators.scale import CAPACITY_G, ScaleSimulator

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

FAST = SerialSettings(timeout_s=0.3)


@pytest.fixture
def simulator() -> Iterator[ScaleSimulator]:
    with ScaleSimulator(settle_answers=2) as simulator:
        yield simulator


@pytest.fixture
def scale(simulator: ScaleSimulator) -> Iterator[SerialScale]:
    with SerialScale(simulator.port, FAST) as scale:
        yield scale


def test_goods_placed_move_then_settle_to_their_weight(
    simulator: ScaleSimulator, scale: SerialScale
) -> None:
    assert scale.weight() == ScaleReading(ScaleState.STABLE, 0)
    simulator.place(1250)
    first, second, third = scale.weight(), scale.weight(), scale.weight()
    assert first.state is ScaleState.MOVING
    assert first.grams != 1250
    assert second.state is ScaleState.MOVING
    assert third == ScaleReading(ScaleState.STABLE, 1250)
    assert third.sellable
    assert simulator.commands == ["SI"] * 4


def test_over_capacity_and_under_zero_carry_no_weight(
    simulator: ScaleSimulator, scale: SerialScale
) -> None:
    simulator.settle_answers = 0
    simulator.place(CAPACITY_G + 1)
    assert scale.weight() == ScaleReading(ScaleState.OVER_CAPACITY)
    simulator.place(150)
    assert scale.zero() is ZeroResult.DONE  # zeroed with 150 g on it (within ±2 %)
    simulator.remove()
    assert scale.weight() == ScaleReading(ScaleState.STABLE, -150)
    simulator.place(-500)  # (as if a 500 g plate was lifted off a scale zeroed with it)
    assert scale.weight() == ScaleReading(ScaleState.UNDER_ZERO)


def test_zero_only_on_a_nearly_empty_platform_and_it_clears_the_tare(
    simulator: ScaleSimulator, scale: SerialScale
) -> None:
    simulator.settle_answers = 0
    simulator.place(2000)
    assert scale.zero() is ZeroResult.OUT_OF_RANGE
    simulator.place(40)  # a paper bag
    assert scale.tare() == 40
    simulator.place(540)
    assert scale.weight() == ScaleReading(ScaleState.STABLE, 500)  # net of the bag
    simulator.remove()
    assert scale.zero() is ZeroResult.DONE
    simulator.place(540)
    assert scale.weight() == ScaleReading(ScaleState.STABLE, 540)  # the tare is gone


def test_a_silent_scale_times_out(simulator: ScaleSimulator, scale: SerialScale) -> None:
    simulator.silent = True
    with pytest.raises(ScaleError, match="did not answer"):
        scale.weight()
    simulator.silent = False
    assert scale.weight().state is ScaleState.STABLE  # the late answer was not kept


def test_a_pulled_cable_is_a_scale_error(simulator: ScaleSimulator, scale: SerialScale) -> None:
    simulator.unplug()
    with pytest.raises(ScaleError):
        scale.weight()


def test_a_port_that_is_not_there_is_a_scale_error() -> None:
    with pytest.raises(ScaleError, match="cannot open"):
        SerialScale("/dev/no-such-scale", FAST)
