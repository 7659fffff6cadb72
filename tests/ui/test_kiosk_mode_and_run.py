"""Kiosk mode keeps shoppers in the app; `kiosk run` restarts a crashed UI into its cart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.supervisor import child_command, supervise
from tests.ui.conftest import ASSETS
from tools.make_prompts import main as make_prompts
from ui.kiosk_mode import KioskGuard, blocks, enter_kiosk_mode
from ui.sounds import Prompt, QtSoundPlayer, Sound


def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, k, modifiers)


def test_shortcuts_that_leave_the_app_are_swallowed(qtbot: QtBot) -> None:
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    assert blocks(key(Qt.Key.Key_F4, alt))
    assert blocks(key(Qt.Key.Key_Q, ctrl))
    assert blocks(key(Qt.Key.Key_W, ctrl))
    assert blocks(key(Qt.Key.Key_Escape))
    assert blocks(key(Qt.Key.Key_F11))
    assert not blocks(key(Qt.Key.Key_5))
    assert not blocks(key(Qt.Key.Key_Return))


def test_kiosk_window_is_full_screen_and_refuses_to_close(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    guard = enter_kiosk_mode(window, hide_cursor=False)
    assert isinstance(guard, KioskGuard)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    qtbot.waitUntil(window.isVisible)
    assert window.isFullScreen()
    window.close()
    assert window.isVisible()
    guard.allow_close = True
    window.close()
    assert not window.isVisible()


def test_supervisor_restarts_after_crashes_and_stops_on_a_clean_exit() -> None:
    statuses = iter([-11, 1, 0])
    runs: list[Sequence[str]] = []
    sleeps: list[float] = []
    status = supervise(
        ["kiosk-ui"],
        run=lambda cmd: runs.append(cmd) or next(statuses),
        sleep=sleeps.append,
        monotonic=lambda: 0.0,
        log=lambda _text: None,
    )
    assert status == 0
    assert len(runs) == 3
    assert sleeps == [1.0, 2.0]  # backing off


def test_child_command_carries_the_options(tmp_path: Path) -> None:
    command = child_command(tmp_path, "/dev/video2", "tcp://printer", "ko", windowed=True)
    assert command[1:3] == ["-m", "ui.run"]
    assert "/dev/video2" in command
    assert "--windowed" in command


# What the multimedia backend logs depends on the machine's audio stack (none here): only a
# crash-level message fails this test.
@pytest.mark.qt_log_level_fail("CRITICAL")
def test_real_sound_player_loads_the_sounds(qtbot: QtBot, tmp_path: Path) -> None:
    player = QtSoundPlayer(ASSETS / "sounds", tmp_path / "not recorded")
    for sound in Sound:
        assert (ASSETS / "sounds" / f"{sound.value}.wav").stat().st_size > 1000
        player.play(sound)  # no audio device here: must not raise
    assert not player.can_speak  # no prompts: the kiosk offers no speech
    player.speak(Prompt.WELCOME, "en")  # and saying one does nothing


@pytest.mark.qt_log_level_fail("CRITICAL")
def test_real_sound_player_speaks_the_recorded_prompts(qtbot: QtBot, tmp_path: Path) -> None:
    make_prompts(["--out", str(tmp_path)])
    player = QtSoundPlayer(ASSETS / "sounds", tmp_path)
    assert player.can_speak
    for prompt in Prompt:
        player.speak(prompt, "ko")  # each cuts the last short; no audio device: no raise
