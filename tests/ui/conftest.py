"""Kiosk UI fixtures: a demo store copied per test, the kiosk built by the real composition
root with a hand-moved clock, silent sounds and short idle timings. The recorded camera is
`benchmarks.ui`'s (the benchmark drives the same one)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from benchmarks.ui import RecordedSource, recorded_frames
from demo.payment import DemoPaymentProvider
from demo.store import DemoStore, seed_demo_store
from kiosk.domain.catalog import Product
from kiosk.domain.codes import display_gtin
from kiosk.domain.ids import IdFactory
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.session import Timings
from scanner.sources import FrameSource
from tests.helpers import REPO, FixedClock
from ui.bootstrap import KioskApp, UiConfig, build_kiosk
from ui.sounds import SilentPlayer
from ui.window import MainWindow

ASSETS = REPO / "assets"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoStore]:
    """The demo store, made once; each test gets its own copy of the database."""
    home = tmp_path_factory.mktemp("seed") / "home"
    return home, seed_demo_store(home, ASSETS)


@pytest.fixture
def demo(seeded: tuple[Path, DemoStore]) -> DemoStore:
    return seeded[1]


@pytest.fixture
def home(tmp_path: Path, seeded: tuple[Path, DemoStore]) -> Path:
    target = tmp_path / "home"
    shutil.copytree(seeded[0], target)
    return target


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Kit:
    """A built kiosk and the fakes that drive it."""

    kiosk: KioskApp
    clock: FixedClock
    monotonic: Monotonic
    payments: DemoPaymentProvider
    sounds: SilentPlayer
    home: Path

    def scan(self, text: str, symbology: Symbology = Symbology.UNKNOWN) -> None:
        self.kiosk.session.scan(ScanEvent(text, symbology, ScanSource.CAMERA, 0.0))

    def scan_product(self, product: Product) -> None:
        self.scan(display_gtin(product.gtin), Symbology.EAN13)


KitFactory = Callable[..., Kit]


def shown(window: MainWindow) -> str:
    """The page on show once the window has had its turn: it switches pages on the next
    turn of the event loop after the session's screen changes."""
    QApplication.processEvents()
    return window.current


@pytest.fixture
def make_kit(qtbot: QtBot, home: Path) -> Iterator[KitFactory]:
    built: list[KioskApp] = []

    def make(
        timings: Timings | None = None,
        source_factory: Callable[[], FrameSource] | None = None,
        **config: object,
    ) -> Kit:
        clock = FixedClock()
        monotonic = Monotonic()
        payments = DemoPaymentProvider(clock, IdFactory(), ttl_s=120)
        sounds = SilentPlayer()
        # Inline unless a test asks for the core thread: most tests read the core between steps.
        config.setdefault("core_thread", False)
        ui_config = UiConfig(
            home=home,
            assets=ASSETS,
            sounds=False,
            sync=False,
            timings=timings or Timings(idle_s=3600, still_there_s=3600, done_s=3600),
            **config,  # type: ignore[arg-type]
        )
        kiosk = build_kiosk(
            ui_config,
            clock=clock,
            monotonic=monotonic,
            sounds=sounds,
            payments=payments,
            source_factory=source_factory,
        )
        kiosk.window.show()
        kiosk.start()
        built.append(kiosk)
        return Kit(kiosk, clock, monotonic, payments, sounds, home)

    # The kiosk owns its window (shutdown deletes it), so it is not handed to qtbot.
    yield make
    for kiosk in built:
        kiosk.shutdown()


@pytest.fixture
def kit(make_kit: KitFactory) -> Kit:
    return make_kit()


__all__ = ["ASSETS", "Kit", "KitFactory", "RecordedSource", "recorded_frames", "shown"]
