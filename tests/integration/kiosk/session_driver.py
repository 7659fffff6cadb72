"""Driving a `ShopperSession` without Qt, the way `ui.session` does: slow calls (`Task`)
run at once and timers are remembered until a test fires them, so a test reads as the
journey it checks. Used by the session tests here; the demo store's fixtures are in this
folder's `conftest.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core import KioskCore, build_core
from demo.payment import DemoPaymentProvider
from kiosk.domain.alerts import AlertReason
from kiosk.domain.errors import KioskError
from kiosk.domain.ids import IdFactory
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.payment_port import PaymentOutcome, PaymentResult
from kiosk.services.session import (
    AlertsShown,
    Event,
    Level,
    Said,
    Screen,
    ScreenShown,
    Task,
    Timer,
    TimerSet,
)
from kiosk.services.shopper import ShopperSession
from tests.helpers import FixedClock


@dataclass
class Driver:
    """Runs a session's intents the way `ui.session` does, minus Qt: tasks at once, timers
    remembered until a test fires them."""

    session: ShopperSession
    core: KioskCore
    wallet: DemoPaymentProvider
    seen: list[Event] = field(default_factory=list)
    timers: dict[Timer, float] = field(default_factory=dict)

    def do(self, intent: Callable[[ShopperSession], list[Event]]) -> list[Event]:
        start = len(self.seen)
        self._take(intent(self.session))
        return self.seen[start:]

    def _take(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, Task):
                self._take(self._answer(event))
                continue
            if isinstance(event, TimerSet):
                if event.seconds is None:
                    self.timers.pop(event.timer, None)
                else:
                    self.timers[event.timer] = event.seconds
            self.seen.append(event)

    @staticmethod
    def _answer(task: Task[Any]) -> list[Event]:
        try:
            result = task.run()
        except KioskError as exc:
            return task.failed(exc)
        return task.done(result)

    def scan(self, code: str, symbology: Symbology = Symbology.EAN13) -> list[Event]:
        event = ScanEvent(code, symbology, ScanSource.CAMERA, 0.0)
        return self.do(lambda s: s.scan(event))

    def fire(self, timer: Timer) -> list[Event]:
        assert timer in self.timers, f"{timer} is not armed"
        del self.timers[timer]
        return self.do(lambda s: s.timer_fired(timer))

    def paid(self) -> list[Event]:
        view = self.session.payment
        assert view is not None
        result = PaymentResult(view.payment_id, PaymentOutcome.PAID, reference="wx-1")
        return self.do(lambda s: s.payment_result(result))


def said(events: list[Event]) -> list[tuple[str, Level]]:
    return [(e.notice.reason, e.notice.level) for e in events if isinstance(e, Said)]


def reasons(events: list[Event]) -> list[AlertReason]:
    """The reasons of the open alerts the last `AlertsShown` in `events` showed."""
    shown = [e.alerts for e in events if isinstance(e, AlertsShown)]
    assert shown, "no AlertsShown event"
    return [a.reason for a in shown[-1]]


def screens(events: list[Event]) -> list[Screen]:
    return [e.screen for e in events if isinstance(e, ScreenShown)]


@contextmanager
def running(home: Path, clock: FixedClock | None = None) -> Iterator[Driver]:
    """A kiosk built on `home` and opened, closed at the end: twice on one folder is a
    restart (what a killed process comes back to)."""
    clock = clock or FixedClock()
    wallet = DemoPaymentProvider(clock, IdFactory(), ttl_s=120)
    core = build_core(home, clock=clock, monotonic=lambda: 0.0, payments=wallet)
    driver = Driver(ShopperSession(core), core, wallet)
    driver.do(ShopperSession.open)
    try:
        yield driver
    finally:
        core.close()
