"""Sounds for a scan, an error and a payment: short WAVs played with QSoundEffect.

QtMultimedia is imported only when a real player is built, so tests and machines without
audio use `SilentPlayer` and never load the multimedia backends (which log warnings where
there is no sound server). The WAVs are made by `python -m tools.make_sounds`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QUrl

from kiosk.services.session import Sound

__all__ = ["QtSoundPlayer", "SilentPlayer", "Sound", "SoundPlayer"]


class SoundPlayer(Protocol):
    def play(self, sound: Sound) -> None: ...


class SilentPlayer:
    """Remembers what it was asked to play (tests assert on it) and plays nothing."""

    def __init__(self) -> None:
        self.played: list[Sound] = []

    def play(self, sound: Sound) -> None:
        self.played.append(sound)


class QtSoundPlayer(QObject):
    def __init__(self, folder: Path, volume: float = 0.8) -> None:
        super().__init__()
        from PySide6.QtMultimedia import QSoundEffect

        self._effects: dict[Sound, QSoundEffect] = {}
        for sound in Sound:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(folder / f"{sound.value}.wav")))
            effect.setVolume(volume)
            self._effects[sound] = effect

    def play(self, sound: Sound) -> None:
        self._effects[sound].play()
