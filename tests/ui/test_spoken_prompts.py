"""Spoken prompts on the real window (issue #16): off until the shopper taps the
loudspeaker, then each main step is said in the shopper's language; the next shopper starts
with them off again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from demo.store import DemoStore
from kiosk.services.session import Prompt
from tests.ui.conftest import Kit


def test_speech_is_switched_on_by_the_shopper_and_off_for_the_next(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    window, session = kit.kiosk.window, kit.kiosk.session
    assert window.speech_button.isVisible()  # the prompts are there to say
    kit.scan_product(demo.fixed[0])
    assert kit.sounds.spoken == []  # nobody asked for speech
    qtbot.mouseClick(window.speech_button, Qt.MouseButton.LeftButton)
    kit.scan_product(demo.fixed[1])
    session.set_language("ko")
    kit.scan_product(demo.fixed[2])
    assert kit.sounds.spoken == [(Prompt.ITEM_ADDED, "zh_CN"), (Prompt.ITEM_ADDED, "ko")]
    session.abandon()  # the cart is given up: the next shopper
    assert not window.speech_button.isChecked()
    assert not session.speech
    session.start()
    assert kit.sounds.spoken[-1] == (Prompt.ITEM_ADDED, "ko")  # said nothing more
