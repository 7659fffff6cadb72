"""The shopper's language: Qt translators for the UI's own strings, babel for money, numbers
and dates, and the font that renders the language's script.

Switching installs another QTranslator; Qt then sends every widget a LanguageChange event,
on which screens re-read their texts (`ui.screens.base.Screen.retranslate`). Catalog names
come from the catalog itself (`Product.name(language)`), not from here.

Translations live in `assets/i18n/kiosk_<lang>.ts` (sources, edited with Qt Linguist or by
hand) and are compiled to `.qm` next to them by `python -m tools.i18n` (committed, so a
fresh clone runs without Qt's tools; a test checks they are complete and current).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale, UnknownLocaleError, get_global
from babel.dates import format_datetime, format_time
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)
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


def separator() -> str:
    """Between two parts of one line ("Gold \u22c5 138****5678"), in the language's own way.
    English writes the dot operator: the middle dot (U+00B7) is a full em wide in the
    Chinese face that sets English too, a gap in an English line. Chinese and Korean keep
    their middle dot, as their translated strings do."""
    return QCoreApplication.translate("Separator", " \u22c5 ")


def language_font(language: str, font: QFont) -> QFont:
    """`font` in the families the UI uses for `language`."""
    found = QFont(font)
    found.setFamilies(_FONT_FAMILIES[language])
    return found


_DateTime = datetime  # `Localiser.datetime` hides the type's name inside the class

_QT_LOCALES = {"zh_CN": "zh_CN", "ko": "ko_KR", "en": "en_US"}


@dataclass(frozen=True, slots=True)
class _MoneyStyle:
    """A locale's currency pattern for one currency, read from CLDR (through babel) once.

    Formatting with babel costs about 0.1 ms an amount, and a basket discount spread over
    the lines gives every line a new amount at each scan: 20 lines were 2–3 ms of the UI
    thread's time per scan. Whole minor units need none of babel's rounding, so the pattern
    is applied here directly; `tests/ui/test_i18n.py` checks it against babel itself.
    """

    prefixes: tuple[str, str]  # (positive, negative), currency symbol filled in
    suffixes: tuple[str, str]
    decimal: str
    group: str
    grouping: tuple[int, int]
    digits: int

    def format(self, minor: int) -> str:
        negative = minor < 0
        units, fraction = divmod(abs(minor), 10**self.digits)
        text = self._grouped(str(units))
        if self.digits:
            text += self.decimal + str(fraction).rjust(self.digits, "0")
        return self.prefixes[negative] + text + self.suffixes[negative]

    def _grouped(self, digits: str) -> str:
        primary, secondary = self.grouping
        if len(digits) <= primary:
            return digits
        groups = [digits[-primary:]]
        rest = digits[:-primary]
        while rest:
            groups.append(rest[-secondary:])
            rest = rest[:-secondary]
        return self.group.join(reversed(groups))


@functools.lru_cache(maxsize=16)
def home_symbol(currency: str) -> str | None:
    """The symbol the currency's own country writes: ¥ for CNY, ₩ for KRW, ฿ for THB.

    The kiosk stands in that country: its shelf labels, receipts and the shopper's wallet
    all say ¥, and so do the store's offers ("3 for ¥8"). CLDR's "CN¥" in English and
    Korean tells yuan from yen to someone abroad; here it would only make the amounts on
    the screen disagree with the offers above them. None for a currency with no single
    home (EUR): the language's own symbol then."""
    territory = currency[:2]  # ISO 4217: a national currency's code starts with its country's
    spans = get_global("territory_currencies").get(territory, ())
    if not any(code == currency and until is None for code, _since, until, _tender in spans):
        return None
    try:
        home = Locale.parse(f"und_{territory}")
    except (ValueError, UnknownLocaleError):
        return None
    return str(get_currency_symbol(currency, home))


@functools.lru_cache(maxsize=64)
def _money_style(currency: str, language: str) -> _MoneyStyle | None:
    """None when the pattern is one this shortcut does not cover (babel formats those)."""
    locale = _babel_locale(language)
    pattern = locale.currency_formats["standard"]
    digits = exponent_of(currency)
    if get_currency_precision(currency) != digits or pattern.int_prec[0] != 1:
        return None
    if any("¤¤" in part or "'" in part for part in (*pattern.prefix, *pattern.suffix)):
        return None
    symbol = home_symbol(currency) or get_currency_symbol(currency, locale)
    return _MoneyStyle(
        prefixes=(pattern.prefix[0].replace("¤", symbol), pattern.prefix[1].replace("¤", symbol)),
        suffixes=(pattern.suffix[0].replace("¤", symbol), pattern.suffix[1].replace("¤", symbol)),
        decimal=get_decimal_symbol(locale),
        group=get_group_symbol(locale),
        grouping=(pattern.grouping[0], pattern.grouping[1]),
        digits=digits,
    )


def _currency(minor: int, currency: str, language: str) -> str:
    style = _money_style(currency, language)
    if style is not None:
        return style.format(minor)
    value = Decimal(minor).scaleb(-exponent_of(currency))
    return str(format_currency(value, currency, locale=_babel_locale(language)))


@functools.lru_cache(maxsize=8)
def _babel_locale(language: str) -> Locale:
    return Locale.parse(language)


@dataclass(frozen=True, slots=True)
class _Patterns:
    time: str  # to the minute: "오후 5:30:05" reads as a machine's log, not a clock
    short: str  # short date and time
    medium_date_short_time: str


_PERIOD = re.compile(r"(?<![a'])a(?!a)")


@functools.lru_cache(maxsize=8)
def _patterns(language: str) -> _Patterns:
    """CLDR's patterns, with the day period in the language's own words: Korean has no
    abbreviated 오전/오후, and babel then falls back to the root's Latin "AM/PM"."""
    locale = _babel_locale(language)

    def own(pattern: str) -> str:
        return _PERIOD.sub("aaaa", pattern)

    def joined(width: str, date: str, time: str) -> str:
        return str(locale.datetime_formats[width]).replace("{1}", date).replace("{0}", time)

    short_time = own(locale.time_formats["short"].pattern)
    return _Patterns(
        time=short_time,
        short=joined("short", locale.date_formats["short"].pattern, short_time),
        medium_date_short_time=joined("medium", locale.date_formats["medium"].pattern, short_time),
    )


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
            app.setFont(language_font(language, app.font()))
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

    def counted(self, count: int, one: str, many: str, placeholder: str = "%1") -> str:
        """`one` (the text for a single item) or `many` with `placeholder` the count: English
        says "1 item" but "2 items"; Chinese and Korean translate both alike."""
        return one if count == 1 else many.replace(placeholder, self.number(count))

    def per_kg(self, price: Money) -> str:
        """A price per kilogram, as a scale label prints it in every language ("¥12.80/kg"):
        the picker, the scale and the cart line say it the same way."""
        return f"{self.money(price)}/kg"

    def datetime(self, at: datetime) -> str:
        """Date and time to the minute, as a receipt says it."""
        locale = _babel_locale(self._language)
        pattern = _patterns(self._language).medium_date_short_time
        return str(format_datetime(at, pattern, tzinfo=self._tz, locale=locale))

    def moment(self, at: _DateTime, now: _DateTime) -> str:
        """`at` as briefly as it can be told apart: the time alone when it is today in the
        store, else the short date and time (a narrow table cell holds it)."""
        locale = _babel_locale(self._language)
        patterns = _patterns(self._language)
        if at.astimezone(self._tz).date() == now.astimezone(self._tz).date():
            return str(format_time(at, patterns.time, tzinfo=self._tz, locale=locale))
        return str(format_datetime(at, patterns.short, tzinfo=self._tz, locale=locale))
