"""The spoken prompts are recorded by espeak-ng from the UI's texts and translations: one
playable WAV per language and step, each language in its own words."""

from __future__ import annotations

import wave
from pathlib import Path

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.domain.catalog import LANGUAGES
from kiosk.services.session import Prompt
from tools.make_prompts import I18N, main, speech_input
from ui.i18n import qm_path
from ui.prompts import prompt_text


def seconds(path: Path) -> float:
    with wave.open(str(path)) as recording:
        assert recording.getnchannels() == 1
        return recording.getnframes() / recording.getframerate()


# `qapp`: the tool makes a bare QCoreApplication when none is there, which would then stand
# in the way of the QApplication later tests in this process need.
def test_every_prompt_is_recorded_in_every_language(qapp: QApplication, tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    lengths = {
        (language, prompt): seconds(tmp_path / language / f"{prompt.value}.wav")
        for language in LANGUAGES
        for prompt in Prompt
    }
    assert all(s > 0.5 for s in lengths.values()), lengths  # speech, not an empty file
    # The longest text is the longest recording in every language: the words were read.
    for language in LANGUAGES:
        assert max(Prompt, key=lambda p: lengths[language, p]) is Prompt.WELCOME
    # Short and at a natural pace: the Mandarin welcome once took 17 s, read as English
    # letters and digits; a shopper waiting for the next step will not listen that long.
    assert all(s < 10 for s in lengths.values()), lengths
    assert lengths["zh_CN", Prompt.WELCOME] < 8, lengths


def test_mandarin_is_spoken_from_pinyin_with_its_pauses() -> None:
    assert speech_input("zh_CN", "欢迎光临。请稍候，谢谢！") == (
        "huan1 ying2 guang1 lin2. qing3 shao1 hou4, xie4 xie4!"
    )
    assert speech_input("ko", "어서 오세요.") == "어서 오세요."


def test_the_texts_come_from_the_translations(qapp: QApplication) -> None:
    english = prompt_text(Prompt.HELP)
    translator = QTranslator()
    assert translator.load(str(qm_path(I18N, "zh_CN")))
    qapp.installTranslator(translator)
    try:
        assert prompt_text(Prompt.HELP) == "店员马上就到，请稍候。"
    finally:
        qapp.removeTranslator(translator)
    assert prompt_text(Prompt.HELP) == english
