"""The demo store for the kiosk's integration tests: seeded once per module, copied per
test, and a driven session on the copy (`session_driver`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.store import DemoStore, seed_demo_store
from tests.helpers import REPO
from tests.integration.kiosk.session_driver import Driver, running


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoStore]:
    home = tmp_path_factory.mktemp("seed") / "home"
    return home, seed_demo_store(home, REPO / "assets")


@pytest.fixture
def demo(seeded: tuple[Path, DemoStore]) -> DemoStore:
    return seeded[1]


@pytest.fixture
def demo_home(tmp_path: Path, seeded: tuple[Path, DemoStore]) -> Path:
    target = tmp_path / "home"
    shutil.copytree(seeded[0], target)
    return target


@pytest.fixture
def drive(demo_home: Path) -> Iterator[Driver]:
    with running(demo_home) as driver:
        yield driver
