"""Weighing a loose item on the kiosk's scale, without Qt: the session's intents with the
scale's readings fed in as its thread would, on the demo store (`session_driver`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.store import DemoStore, scale_label
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import Reason, ScaleError
from kiosk.domain.pricing import weighed_price
from kiosk.domain.scale import ScaleReading, ScaleState, ZeroResult
from kiosk.services.session import Event, Level, Played, Screen, Sound, Timer
from kiosk.services.setup import SCALE_PORT_KEY, database_path
from kiosk.services.weighing import (
    ScaleAsked,
    ScaleCommand,
    WeighingShown,
    WeighingView,
    WeighStage,
)
from kiosk.store.uow import KioskStore
from tests.integration.kiosk.session_driver import Driver, running, said, screens

EMPTY = ScaleReading(ScaleState.STABLE, 0)


@pytest.fixture
def scale_drive(demo_home: Path) -> Iterator[Driver]:
    store = KioskStore.open(database_path(demo_home))
    store.settings.set(SCALE_PORT_KEY, "/dev/ttyUSB0")
    store.close()
    with running(demo_home) as driver:
        yield driver


def views(events: list[Event]) -> list[WeighingView | None]:
    return [e.view for e in events if isinstance(e, WeighingShown)]


def asked(events: list[Event]) -> list[ScaleCommand]:
    return [e.command for e in events if isinstance(e, ScaleAsked)]


def read(drive: Driver, state: ScaleState, grams: int | None = None) -> list[Event]:
    reading = ScaleReading(state, grams)
    return drive.do(lambda s: s.scale_read(reading))


def weigh(drive: Driver, demo: DemoStore) -> list[Event]:
    code = display_gtin(demo.weighed.gtin)
    return drive.do(lambda s: s.weigh(code))


def test_weigh_confirm_adds_a_line_at_the_price_that_was_shown(
    scale_drive: Driver, demo: DemoStore
) -> None:
    drive = scale_drive
    events = weigh(drive, demo)
    assert screens(events) == [Screen.WEIGHING]
    assert asked(events) == [ScaleCommand.START]
    [view] = views(events)
    assert view is not None
    assert view.stage is WeighStage.PLACE
    assert view.product == demo.weighed
    read(drive, ScaleState.STABLE, 0)  # the platform is empty
    moving = views(read(drive, ScaleState.MOVING, 1262))
    assert [(v.stage, v.grams, v.price) for v in moving if v] == [
        (WeighStage.HOLD_STILL, 1262, None)
    ]
    # Confirming while it moves adds nothing.
    assert said(drive.do(lambda s: s.confirm_weight())) == [
        (Reason.WEIGHT_NOT_STABLE, Level.WARNING)
    ]
    [ready] = views(read(drive, ScaleState.STABLE, 1257))
    assert ready is not None
    assert ready.stage is WeighStage.READY
    price = weighed_price(demo.weighed.price, 1257, drive.core.setup.policy.rounding)
    assert ready.price == price
    assert price.minor > 0
    events = drive.do(lambda s: s.confirm_weight())
    assert screens(events) == [Screen.SCANNING]
    assert asked(events) == [ScaleCommand.STOP]
    assert views(events) == [None]
    assert Played(Sound.SCAN) in events
    state = drive.session.state
    [line] = state.cart.active_lines
    assert line.weight_g == 1257
    assert line.gtin == demo.weighed.gtin
    [priced] = state.priced.lines
    assert priced.gross == price  # the cart charges exactly what the screen showed
    # A weighed line is the shopper's to remove, like any other.
    drive.do(lambda s: s.remove_line(line.line_no))
    assert drive.session.state.cart.is_empty


def test_goods_already_on_the_scale_must_come_off_first(
    scale_drive: Driver, demo: DemoStore
) -> None:
    drive = scale_drive
    weigh(drive, demo)
    events = read(drive, ScaleState.STABLE, 800)
    assert asked(events) == []  # goods are never zeroed away
    [view] = views(events)
    assert view is not None
    assert view.stage is WeighStage.CLEAR
    assert said(drive.do(lambda s: s.confirm_weight())) == [
        (Reason.WEIGHT_NOT_STABLE, Level.WARNING)
    ]
    read(drive, ScaleState.STABLE, 0)
    [view] = views(read(drive, ScaleState.STABLE, 800))
    assert view is not None
    assert view.stage is WeighStage.READY


def test_drift_and_weights_below_zero_are_zeroed_never_goods(
    scale_drive: Driver, demo: DemoStore
) -> None:
    drive = scale_drive
    weigh(drive, demo)
    assert asked(read(drive, ScaleState.STABLE, 4)) == [ScaleCommand.ZERO]
    assert asked(read(drive, ScaleState.STABLE, 4)) == []  # once, until it answers
    drive.do(lambda s: s.scale_zeroed(ZeroResult.DONE))
    read(drive, ScaleState.STABLE, 0)
    assert asked(read(drive, ScaleState.UNDER_ZERO)) == [ScaleCommand.ZERO]
    drive.do(lambda s: s.scale_zeroed(ZeroResult.DONE))
    [view] = views(read(drive, ScaleState.STABLE, 300))
    assert view is not None
    assert view.stage is WeighStage.READY


def test_over_capacity_shows_no_weight_and_no_price(scale_drive: Driver, demo: DemoStore) -> None:
    drive = scale_drive
    weigh(drive, demo)
    read(drive, ScaleState.STABLE, 0)
    [view] = views(read(drive, ScaleState.OVER_CAPACITY))
    assert view is not None
    assert view.stage is WeighStage.OVER_CAPACITY
    assert view.price is None
    drive.do(lambda s: s.confirm_weight())
    assert drive.session.state.cart.is_empty


def test_a_failing_scale_sends_the_shopper_to_the_counter_and_adds_nothing(
    scale_drive: Driver, demo: DemoStore
) -> None:
    drive = scale_drive
    weigh(drive, demo)
    read(drive, ScaleState.STABLE, 0)
    read(drive, ScaleState.STABLE, 640)
    error = ScaleError("the scale on /dev/ttyUSB0 did not answer 'SI' in time")
    events = drive.do(lambda s: s.scale_failed(error))
    assert screens(events) == [Screen.SCANNING]
    assert asked(events) == [ScaleCommand.STOP]
    assert said(events) == [(Reason.SCALE_UNAVAILABLE, Level.ERROR)]
    assert drive.session.state.cart.is_empty  # never a weight it did not confirm
    # Readings still on their way are ignored.
    assert read(drive, ScaleState.STABLE, 640) == []


def test_scanning_the_loose_items_own_code_weighs_it(scale_drive: Driver, demo: DemoStore) -> None:
    events = scale_drive.scan(display_gtin(demo.weighed.gtin))
    assert screens(events) == [Screen.WEIGHING]
    assert asked(events) == [ScaleCommand.START]


def test_a_scale_label_scanned_while_weighing_ends_the_weighing_and_sells_the_label(
    scale_drive: Driver, demo: DemoStore
) -> None:
    drive = scale_drive
    weigh(drive, demo)
    events = drive.scan(scale_label(demo.weighed, 734))
    assert asked(events) == [ScaleCommand.STOP]
    assert screens(events) == [Screen.SCANNING]
    [line] = drive.session.state.cart.active_lines
    assert line.weight_g == 734


def test_cancel_and_idle_end_the_weighing(scale_drive: Driver, demo: DemoStore) -> None:
    drive = scale_drive
    weigh(drive, demo)
    events = drive.do(lambda s: s.cancel_weighing())
    assert screens(events) == [Screen.SCANNING]
    assert asked(events) == [ScaleCommand.STOP]
    weigh(drive, demo)
    assert Timer.IDLE in drive.timers  # a shopper who walked away from the scale
    events = drive.fire(Timer.IDLE)
    assert screens(events) == [Screen.ATTRACT]
    assert asked(events) == [ScaleCommand.STOP]
    assert drive.session.weighing is None


def test_without_a_scale_a_loose_item_goes_to_the_weighing_counter(
    drive: Driver, demo: DemoStore
) -> None:
    events = weigh(drive, demo)
    assert said(events) == [(Reason.NEEDS_WEIGHT, Level.ERROR)]
    assert screens(events) == []
    assert drive.session.state.cart.is_empty  # never a 0 kg line
    events = drive.scan(display_gtin(demo.weighed.gtin))
    assert said(events) == [(Reason.NEEDS_WEIGHT, Level.ERROR)]


def test_only_loose_goods_are_weighed(scale_drive: Driver, demo: DemoStore) -> None:
    code = display_gtin(demo.fixed[0].gtin)
    events = scale_drive.do(lambda s: s.weigh(code))
    assert said(events) == [(Reason.NOT_BY_WEIGHT, Level.ERROR)]
    assert screens(events) == []
    assert scale_drive.session.weighing is None
