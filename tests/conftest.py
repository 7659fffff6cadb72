"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.policy import StorePolicy
from kiosk.services.config import demo_policy
from kiosk.store.uow import KioskStore
from tests.helpers import FixedClock

# Qt's offscreen platform unless told otherwise: the same pixels with or without a display,
# and a bare `pytest` on a headless machine does not abort creating the application.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def policy() -> StorePolicy:
    return demo_policy()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KioskStore]:
    s = KioskStore.open(tmp_path / "kiosk.db")
    yield s
    s.close()
