"""Languages: complete translations, compiled files current, every screen switching, the
core's refusal codes translated, money and names per language, reset for the next shopper."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.core import Locale
from babel.numbers import format_currency, get_currency_symbol
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel

from demo.store import DEMO_BADGE, DemoStore
from kiosk.domain.catalog import LANGUAGES
from kiosk.domain.coupons import CouponRefusal
from kiosk.domain.errors import Reason
from kiosk.domain.money import CURRENCY_EXPONENT, Money, exponent_of
from tests.helpers import REPO
from tests.ui.conftest import Kit, shown
from tools import i18n as i18n_tools
from ui import i18n
from ui.reasons import GENERIC, known_coupon_reasons, known_reasons, reason_text
from ui.widgets.common import PHONE_MASK, mask_while_typing
from ui.window import all_screens

TS_FILES = [REPO / "assets" / "i18n" / f"kiosk_{lang}.ts" for lang in i18n_tools.TRANSLATED]


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()  # noqa: S314 - our own file
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m)
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.stem)
def test_translations_are_complete(ts: Path) -> None:
    for context, source, message in messages(ts):
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), (
            context,
            source,
        )
        assert (translation.text or "").strip(), (context, source)
        # Placeholders and icons survive translation.
        assert set(re.findall(r"%\d", source)) == set(re.findall(r"%\d", translation.text or ""))


def test_korean_never_hedges_a_particle_after_a_placeholder() -> None:
    """ "¥91.29을(를)": the particle after a name or an amount depends on how it is read,
    which a translation cannot know; the sentence is built so that none follows."""
    [korean] = [ts for ts in TS_FILES if ts.stem.endswith("_ko")]
    hedged = re.compile(
        r"(을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|\(으\)로|와\(과\)|과\(와\))"
    )
    for context, source, message in messages(korean):
        assert not hedged.search(message.findtext("translation") or ""), (context, source)


def translated(lang: str) -> dict[tuple[str, str], str]:
    [ts] = [ts for ts in TS_FILES if ts.stem.endswith(f"_{lang}")]
    return {(c, s): m.findtext("translation") or "" for c, s, m in messages(ts)}


# The kiosk's own payment QR: 收款码 (the code that receives money); 付款码 is the one the
# shopper's wallet shows, and a shopper told to scan a 付款码 looks for it in their phone.
KIOSK_QR = [
    ("PaymentScreen", "Code valid for %1"),
    ("PaymentScreen", "Preparing the QR code to scan…"),
    ("PaymentScreen", "Scan this code with your wallet app"),
    ("Reason", "The payment code expired. Your items are kept: tap Pay to try again."),
    ("Reason", "The kiosk is offline. Pay with the store's code on screen; a member of staff "
     "is coming to confirm your payment."),
    ("PaymentScreen", "Scan the store's code with WeChat or Alipay and type in %1"),
]  # fmt: skip


@pytest.mark.parametrize("key", KIOSK_QR, ids=lambda k: k[1][:30])
def test_chinese_calls_the_kiosks_qr_a_receiving_code(key: tuple[str, str]) -> None:
    text = translated("zh_CN")[key]
    assert "收款码" in text, text
    assert "付款码" not in text, text


@pytest.mark.parametrize("key", KIOSK_QR, ids=lambda k: k[1][:30])
def test_korean_calls_the_kiosks_qr_a_qr_code(key: tuple[str, str]) -> None:
    # 결제 코드 is the barcode the shopper's wallet shows; the kiosk's is a QR code.
    text = translated("ko")[key]
    assert "QR 코드" in text, text
    assert "결제 코드" not in text, text


def test_chinese_prompt_tells_the_two_codes_apart() -> None:
    prompt = translated("zh_CN")[
        ("Prompt", "To pay, scan the QR code on the screen with your phone, or show your "
         "payment code to the camera.")
    ]  # fmt: skip
    assert prompt.index("收款码") < prompt.index("付款码"), prompt


# One thing, one word: where the English names it, the translation uses that word and never
# a second one for it (the exit code is what the guard asks for by name).
TERMS = [
    ("zh_CN", r"exit (code|pass)", "离店码", ("出口码", "出口凭证")),
    ("zh_CN", r"pickup code", "提货码", ("取货码",)),
    ("zh_CN", r"\bstaff\b", "店员", ("工作人员", "员工已")),
    ("ko", r"exit (code|pass)", "출구 코드", ("통과 코드",)),
    ("ko", r"pickup code", "수령 코드", ("픽업",)),
    ("ko", r"member of staff|\bstaff\b", "직원", ("스태프", "점원")),
]


@pytest.mark.parametrize(("lang", "english", "word", "others"), TERMS)
def test_one_word_for_one_thing(lang: str, english: str, word: str, others: tuple[str]) -> None:
    for (context, source), text in translated(lang).items():
        assert not any(other in text for other in others), (context, source, text)
        # A staff badge and staff number have their own words (员工卡, 工号).
        if re.search(english, source, re.IGNORECASE) and not re.search(
            r"badge|staff number|PIN|staff mode|staff %1", source, re.IGNORECASE
        ):
            assert word in text, (context, source, text)


# Word for word from the English, and read so by a native speaker.
MACHINE_LIKE = [
    ("zh_CN", "商场", "a mall: the kiosk's store is 本店 / 门店"),
    ("zh_CN", "我们不认识", "'we don't know' the product: 未找到"),
    ("zh_CN", "不被允许", "a passive Chinese avoids: 无法进行"),
    ("zh_CN", "未被接受", "a passive Chinese avoids: 无法使用"),
    ("ko", "우리 매장", "'our store' from the kiosk: 이 매장"),
    ("ko", "가는 중", "staff are coming to the shopper, not going: 오는 중"),
]


@pytest.mark.parametrize(("lang", "phrase", "why"), MACHINE_LIKE, ids=lambda v: str(v)[:12])
def test_no_word_for_word_phrases(lang: str, phrase: str, why: str) -> None:
    for key, text in translated(lang).items():
        assert phrase not in text, (key, text, why)


@pytest.mark.parametrize(("lang", "back"), [("zh_CN", "◀ 返回"), ("ko", "◀ 돌아가기")])
def test_a_button_that_only_goes_back_says_so(lang: str, back: str) -> None:
    """A "Cancel" on a panel that cancels nothing (it closes and shows the screen before)
    reads 返回 / 돌아가기: 取消 / 취소 would make staff fear they undid something."""
    goes_back = [key for key in translated(lang) if key[1] in ("◀ Cancel", "◀ Back")]
    assert len(goes_back) >= 5
    for key in goes_back:
        assert translated(lang)[key] == back, key


def test_korean_clear_key_reads_naturally() -> None:
    assert translated("ko")[("Keypad", "Clear")] == "전체 삭제"


def test_english_uses_straight_quotes() -> None:
    # English is set in Noto Sans CJK SC, whose curly quotes are full width ("“Member
    # code”" read as if spaced out); its straight quotes are proportional.
    curly = re.compile("[\u201c\u201d\u2018\u2019]")
    for context, source, _message in messages(TS_FILES[0]):
        assert not curly.search(source), (context, source)


def test_english_separates_a_line_s_parts_with_a_narrow_dot(kit: Kit) -> None:
    # The middle dot is a full em wide in Noto Sans CJK SC: "Sale 1 · 5:56" read as a gap.
    for context, source, _message in messages(TS_FILES[0]):
        assert "\u00b7" not in source, (context, source)
    kit.kiosk.localiser.set_language("en")
    metrics = QFontMetrics(i18n.language_font("en", QFont()))
    assert metrics.horizontalAdvance(i18n.separator().strip()) < metrics.horizontalAdvance("8")
    for language in ("zh_CN", "ko"):  # their own middle dot, as in their translated strings
        kit.kiosk.localiser.set_language(language)
        assert i18n.separator() == " \u00b7 "


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_phone_typed_in_reads_as_one_number_in_every_font(kit: Kit, language: str) -> None:
    metrics = QFontMetrics(i18n.language_font(language, QFont()))
    digit = metrics.horizontalAdvance("8")
    assert mask_while_typing("13812345678") == "138" + PHONE_MASK * 8
    assert metrics.horizontalAdvance(PHONE_MASK) <= digit, "a full-width mask spreads it out"


def test_every_string_in_the_code_is_in_the_ts_files(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [i18n_tools.tool("pyside6-lupdate"), *i18n_tools.sources(), "-ts", str(fresh),
         "-silent"],
        cwd=REPO,
        check=True,
    )  # fmt: skip
    wanted = {(c, s) for c, s, _ in messages(fresh)}
    for ts in TS_FILES:
        assert wanted == {(c, s) for c, s, _ in messages(ts)}, "run: python -m tools.i18n"


def test_compiled_translations_are_current(tmp_path: Path) -> None:
    for qm in i18n_tools.release(tmp_path):
        committed = REPO / "assets" / "i18n" / qm.name
        assert committed.read_bytes() == qm.read_bytes(), "run: python -m tools.i18n"


def test_every_reason_has_words_or_is_generic() -> None:
    """The enums are the list: a new `Reason` or `CouponRefusal` without a text fails here."""
    missing = sorted(set(Reason) - GENERIC - known_reasons())
    assert not missing, f"add these to ui/reasons.py (or to GENERIC): {missing}"
    assert not GENERIC & known_reasons(), "a generic reason has its own text"
    coupon_missing = sorted(set(CouponRefusal) - known_coupon_reasons())
    assert not coupon_missing, f"add these coupon texts to ui/reasons.py: {coupon_missing}"


def test_a_coupon_refusal_has_its_own_words(kit: Kit) -> None:
    kit.kiosk.localiser.set_language("en")
    coupon = reason_text(CouponRefusal.EXPIRED, coupon=True)
    assert coupon != reason_text(Reason.EXPIRED)
    assert "coupon" in coupon


def test_reason_texts_follow_the_language(kit: Kit) -> None:
    localiser = kit.kiosk.localiser
    texts = {}
    for lang in ("en", "zh_CN", "ko"):
        localiser.set_language(lang)
        texts[lang] = {reason: reason_text(reason) for reason in known_reasons()}
        texts[lang] |= {
            ("coupon", reason): reason_text(reason, coupon=True)
            for reason in known_coupon_reasons()
        }
    for key in texts["en"]:
        assert len({texts[lang][key] for lang in texts}) == 3, key


def visible_texts(kit: Kit) -> list[str]:
    window = kit.kiosk.window
    widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
    return [w.text() for w in widgets if w.isVisibleTo(window) and w.text()]


def english_sources() -> set[str]:
    return {source for _, source, _ in messages(TS_FILES[0]) if re.search(r"[A-Za-z]{3}", source)}


def test_language_switch_on_every_screen(kit: Kit, demo: DemoStore) -> None:
    """Every screen, in each language: no English source text left on show."""
    session, window = kit.kiosk.session, kit.kiosk.window
    sources = english_sources()
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.adult)
    session.call_assistance()
    seen = set()
    for name in all_screens():
        if name == "staff":
            kit.scan(DEMO_BADGE)
        elif name == "staff_login":
            session.request_staff_login()
        else:
            session.screen = type(session.screen)(name)
            session.screen_changed.emit(name)
        seen.add(shown(window))
        for lang in ("zh_CN", "ko"):
            session.set_language(lang)
            leftover = [t for t in visible_texts(kit) if t in sources]
            assert not leftover, (name, lang, leftover)
        session.set_language("en")
        assert any(t in sources for t in visible_texts(kit)), name
        session.staff_sign_out()
        window.close_staff_login()
    assert seen == set(all_screens())


def test_names_money_and_dates_per_language(kit: Kit, demo: DemoStore) -> None:
    localiser = kit.kiosk.localiser
    kit.scan_product(demo.fixed[0])
    model = kit.kiosk.window.screens["scanning"].model  # type: ignore[attr-defined]
    amount = Money(123450, "CNY")
    # The store's own symbol in every language, as on its shelves and in its offers.
    expected = {"zh_CN": "¥1,234.50", "ko": "¥1,234.50", "en": "¥1,234.50"}
    # 17:30 in the store (UTC+8): the day period in the language's own words, no seconds.
    evening = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)
    at = {
        "zh_CN": "2026年11月23日 17:30",
        "ko": "2026. 11. 23. 오후 5:30",
        "en": "Nov 23, 2026, 5:30\u202fPM",
    }
    for lang in ("zh_CN", "ko", "en"):
        kit.kiosk.session.set_language(lang)
        assert model.line_at(0).name == demo.fixed[0].name(lang)
        assert localiser.money(amount) == expected[lang]
        assert localiser.datetime(evening) == at[lang]
    assert localiser.weight(734) == "0.734 kg"
    # A time today (the health table's last sync) as a clock says it: no seconds.
    moments = {"ko": "오후 5:30", "zh_CN": "17:30", "en": "5:30\u202fPM"}
    for lang, moment in moments.items():
        kit.kiosk.session.set_language(lang)
        assert localiser.moment(evening, evening) == moment


@settings(max_examples=400, deadline=None)
@given(
    minor=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from(sorted(CURRENCY_EXPONENT)),
    language=st.sampled_from([*LANGUAGES, "de_DE", "fr_FR", "hi_IN", "ar_EG"]),
)
def test_money_is_formatted_as_babel_formats_it(minor: int, currency: str, language: str) -> None:
    # The kiosk's own application of the CLDR pattern must never differ from babel's, but
    # for the symbol: the one of the currency's home country where it has one.
    value = Decimal(minor).scaleb(-exponent_of(currency))
    locale = Locale.parse(language)
    expected = format_currency(value, currency, locale=locale)
    home = i18n.home_symbol(currency)
    if home is not None:
        expected = expected.replace(get_currency_symbol(currency, locale), home)
    assert i18n._currency(minor, currency, language) == expected


def test_the_kiosk_languages_never_need_babel_per_amount() -> None:
    for language in LANGUAGES:
        for currency in CURRENCY_EXPONENT:
            assert i18n._money_style(currency, language) is not None, (language, currency)


def test_next_shopper_gets_the_store_language(kit: Kit) -> None:
    kit.kiosk.session.set_language("ko")
    assert kit.kiosk.window.brand_tag.text() == "셀프 계산대"
    kit.kiosk.session.next_shopper()
    assert kit.kiosk.localiser.language == "zh_CN"
    assert kit.kiosk.window.brand_tag.text() == "自助收银"


def test_next_shopper_gets_normal_text_and_contrast(kit: Kit) -> None:
    window = kit.kiosk.window
    window.set_accessibility(high_contrast=True, large_text=True)
    assert (window.theme.high_contrast, window.theme.large_text) == (True, True)
    kit.kiosk.session.next_shopper()
    assert (window.theme.high_contrast, window.theme.large_text) == (False, False)
    assert not window.text_button.isChecked()
    assert not window.contrast_button.isChecked()


def test_i18n_tool_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tools.i18n", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "lrelease" in result.stdout
