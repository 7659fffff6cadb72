"""Sounds for a scan, an error and a payment, and the spoken prompts: WAVs played with
QSoundEffect.

QtMultimedia is imported only when a real player is built, so tests and machines without
audio use `SilentPlayer` and never load the multimedia backends (which log warnings where
there is no sound server). The beeps are made by `python -m tools.make_sounds`; the
prompts, one WAV per language and `Prompt` in `<prompts>/<language>/`, are recorded at
build time by `python -m tools.make_prompts` (espeak-ng), so a kiosk built without them has
no speech to offer (`can_speak`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl

from kiosk.domain.catalog import LANGUAGES
from kiosk.services.session import Prompt, Sound

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

__all__ = ["Prompt", "QtSoundPlayer", "SilentPlayer", "Sound", "SoundPlayer"]


class SoundPlayer(Protocol):
    @property
    def can_speak(self) -> bool: ...

    def play(self, sound: Sound) -> None: ...

    def speak(self, prompt: Prompt, language: str) -> None: ...


class SilentPlayer:
    """Remembers what it was asked to play and say (tests assert on it), plays nothing."""

    can_speak = True

    def __init__(self) -> None:
        self.played: list[Sound] = []
        self.spoken: list[tuple[Prompt, str]] = []

    def play(self, sound: Sound) -> None:
        self.played.append(sound)

    def speak(self, prompt: Prompt, language: str) -> None:
        self.spoken.append((prompt, language))


class QtSoundPlayer(QObject):
    def __init__(self, folder: Path, prompts: Path, volume: float = 0.8) -> None:
        super().__init__()
        self._volume = volume
        self._effects = {sound: self._effect(folder / f"{sound.value}.wav") for sound in Sound}
        self._prompts = {
            (prompt, language): self._effect(path)
            for language in LANGUAGES
            for prompt in Prompt
            if (path := prompts / language / f"{prompt.value}.wav").exists()
        }
        self._speaking: QSoundEffect | None = None

    def _effect(self, path: Path) -> QSoundEffect:
        from PySide6.QtMultimedia import QSoundEffect

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(self._volume)
        return effect

    @property
    def can_speak(self) -> bool:
        return len(self._prompts) == len(Prompt) * len(LANGUAGES)

    def play(self, sound: Sound) -> None:
        self._effects[sound].play()

    def speak(self, prompt: Prompt, language: str) -> None:
        """Say `prompt`, cutting short the one still being said (the newer step counts)."""
        effect = self._prompts.get((prompt, language))
        if effect is None:
            return
        if self._speaking is not None:
            self._speaking.stop()
        self._speaking = effect
        effect.play()
