"""The shopper's language: Qt translators for the UI's own strings, babel for money, numbers
and dates, and the font that renders the language's script.

Switching installs another QTranslator; Qt then sends every widget a LanguageChange event,
on which screens re-read their texts (`ui.screens.base.Screen.retranslate`). Catalog names
come from the catalog itself (`Product.name(language)`), not from here.

Translations live in `assets/i18n/kiosk_<lang>.ts` (sources, edited with Qt Linguist or by
hand) and are compiled to `.qm` next to them by `python -m ui.i18n_tools` (committed, so a
fresh clone runs without Qt's tools; a test checks they are complete and current).
"""

from __future__ import annotations

import functools
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal
from PySide6.QtGui import QFont, QGuiApplication

from kiosk.domain.catalog import LANGUAGES
from kiosk.domain.money import Money, exponent_of

DEFAULT_LANGUAGE = "zh_CN"
# Each language's name in itself: a shopper who cannot read the current language must
# still find their own, so these are never translated.
LANGUAGE_NAMES = {"zh_CN": "中文", "ko": "한국어", "en": "English"}
# The CJK font differs per language (Han glyph shapes, Hangul); Latin text is in all of them.
_FONT_FAMILIES = {
    "zh_CN": ["Noto Sans CJK SC", "Noto Sans CJK KR"],
    "ko": ["Noto Sans CJK KR", "Noto Sans CJK SC"],
    "en": ["Noto Sans CJK SC", "Noto Sans CJK KR"],
}
_QT_LOCALES = {"zh_CN": "zh_CN", "ko": "ko_KR", "en": "en_US"}


@functools.lru_cache(maxsize=4096)
def _currency(minor: int, currency: str, language: str) -> str:
    # babel parses the locale name on every call (about 1 ms); a cart re-renders all its
    # amounts at each scan, so formatted amounts are kept: they never change.
    value = Decimal(minor).scaleb(-exponent_of(currency))
    return str(format_currency(value, currency, locale=_babel_locale(language)))


@functools.lru_cache(maxsize=8)
def _babel_locale(language: str) -> Locale:
    return Locale.parse(language)


def qm_path(folder: Path, language: str) -> Path:
    return folder / f"kiosk_{language}.qm"


class Localiser(QObject):
    """Owns the installed translator; formats values for the current language.

    Signals:
        language_changed(str): after the translator is swapped and the font set.
    """

    language_changed = Signal(str)

    def __init__(self, i18n_dir: Path, timezone: str, default: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._dir = i18n_dir
        self._tz = ZoneInfo(timezone)
        self._default = default
        self._language = ""
        self._translator: QTranslator | None = None
        self.set_language(default)

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if language == self._language:
            return
        app = QCoreApplication.instance()
        self.close()
        path = qm_path(self._dir, language)
        if path.exists():  # English is the source language: it has no .qm
            translator = QTranslator(self)
            if not translator.load(str(path)):
                raise RuntimeError(f"cannot load translations {path}")
            QCoreApplication.installTranslator(translator)
            self._translator = translator
        QLocale.setDefault(QLocale(_QT_LOCALES[language]))
        if isinstance(app, QGuiApplication):
            font = QFont(app.font())
            font.setFamilies(_FONT_FAMILIES[language])
            app.setFont(font)
        self._language = language
        self.language_changed.emit(language)

    def close(self) -> None:
        """Uninstall the translator (the app may build another kiosk, as tests do)."""
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None

    def reset(self) -> None:
        """Back to the store's language for the next shopper."""
        self.set_language(self._default)

    # --------------------------------------------------------------- formatting
    def money(self, amount: Money) -> str:
        return _currency(amount.minor, amount.currency, self._language)

    def number(self, value: int | Decimal) -> str:
        return str(format_decimal(value, locale=_babel_locale(self._language)))

    def weight(self, grams: int) -> str:
        value = Decimal(grams).scaleb(-3)
        return f"{format_decimal(value, '#,##0.000', locale=_babel_locale(self._language))} kg"

    def datetime(self, at: datetime) -> str:
        locale = _babel_locale(self._language)
        return str(format_datetime(at, "medium", tzinfo=self._tz, locale=locale))
