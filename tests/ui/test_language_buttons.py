"""The language buttons and the staff entry stay put when the language changes (issue #16):
a shopper looking for their own language must not see the row move under the finger."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from kiosk.domain.catalog import LANGUAGES
from tests.ui.conftest import Kit


def geometry(kit: Kit) -> list[QRect]:
    window = kit.kiosk.window
    QApplication.processEvents()  # the language's font and texts, laid out
    window.layout().activate()
    return [
        QRect(b.mapTo(window, b.rect().topLeft()), b.size())
        for b in (*window.language_buttons.buttons(), window.staff_button)
    ]


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large_text"])
def test_language_buttons_keep_their_geometry_in_every_language(kit: Kit, large_text: bool) -> None:
    kit.kiosk.window.set_accessibility(high_contrast=False, large_text=large_text)
    seen = {}
    for language in LANGUAGES:
        kit.kiosk.session.set_language(language)
        seen[language] = geometry(kit)
    assert seen["zh_CN"] == seen["ko"] == seen["en"]


def test_language_buttons_keep_their_place_when_help_is_coming(kit: Kit) -> None:
    before = geometry(kit)
    text = kit.kiosk.window.help_button.text()
    kit.kiosk.session.call_assistance()
    assert kit.kiosk.window.help_button.text() != text
    assert geometry(kit) == before


def test_the_staff_entry_looks_the_same_in_every_language(kit: Kit) -> None:
    # Its dots were the middle dot character: an em wide in the Chinese face, narrow in the
    # Korean one. Now they are drawn.
    window = kit.kiosk.window
    seen = {}
    for language in LANGUAGES:
        kit.kiosk.session.set_language(language)
        QApplication.processEvents()
        seen[language] = window.staff_button.grab().toImage()
    assert window.staff_button.text() == ""
    assert window.staff_button.accessibleName()  # a screen reader still names it
    assert seen["zh_CN"] == seen["ko"] == seen["en"]
    assert not seen["en"].isNull()
