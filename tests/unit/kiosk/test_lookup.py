"""The item picker's search: names in three languages, pinyin and its initials, Korean
initial consonants and PLUs, ranked; never a crash on whatever is typed."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.catalog import Plu, Product
from kiosk.domain.lookup import (
    AT_START,
    CHOSEONG,
    EXACT_PLU,
    LookupEntry,
    choseong,
    normalize,
    pinyin_syllables,
    search,
)
from tests.helpers import PARSER_EXAMPLES, make_product


def _entry(n: int, names: dict[str, str], plu: str | None = None) -> LookupEntry:
    product = replace(make_product(n), names=names, plu=Plu(plu) if plu else None)
    return LookupEntry.build(product, [pinyin_syllables(name) for name in names.values()])


APPLES = _entry(1, {"en": "Fuji Apples", "zh_CN": "红富士苹果", "ko": "후지 사과"}, "4131")
BANANAS = _entry(2, {"en": "Bananas", "zh_CN": "香蕉", "ko": "바나나"}, "4011")
PEARS = _entry(3, {"en": "Dangshan Pears", "zh_CN": "砀山酥梨", "ko": "당산 배"})
ORGANIC = _entry(4, {"en": "Organic Bananas", "zh_CN": "有机香蕉", "ko": "유기농 바나나"}, "94011")
ENTRIES = [APPLES, BANANAS, PEARS, ORGANIC]


def _found(query: str, language: str = "en") -> list[str]:
    return [e.product.name("en") for e in search(query, ENTRIES, language)]


def test_pinyin_initials_and_full_pinyin_find_the_chinese_name() -> None:
    assert _found("pg") == ["Fuji Apples"]
    assert _found("pingguo") == ["Fuji Apples"]
    assert _found("PingGuo") == ["Fuji Apples"]  # case does not matter
    assert _found("hfs") == ["Fuji Apples"]
    assert _found("xiangjiao") == ["Bananas", "Organic Bananas"]


def test_names_in_each_language() -> None:
    assert _found("苹果") == ["Fuji Apples"]
    assert _found("사과") == ["Fuji Apples"]
    assert _found("apple") == ["Fuji Apples"]
    assert _found("ＡＰＰＬＥ") == ["Fuji Apples"]  # full-width letters from a CJK keyboard


def test_korean_initial_consonants() -> None:
    assert _found("ㅅㄱ") == ["Fuji Apples"]
    assert _found("ㅂㄴㄴ") == ["Bananas", "Organic Bananas"]
    assert _found("바ㄴ") == ["Bananas", "Organic Bananas"]  # syllables and initials mixed


def test_plu_exact_first_then_prefixes() -> None:
    assert _found("4011") == ["Bananas"]
    assert _found("94011") == ["Organic Bananas"]
    assert _found("4") == ["Bananas", "Fuji Apples"]  # both PLUs start with 4; shorter first


def test_the_start_of_a_name_ranks_before_a_later_word() -> None:
    assert _found("banana") == ["Bananas", "Organic Bananas"]
    assert _found("ban") == ["Bananas", "Organic Bananas"]
    assert _found("nanas") == ["Bananas", "Organic Bananas"]  # inside a word: shorter first


def test_pinyin_matches_from_a_syllable_start_only() -> None:
    assert _found("guo") == ["Fuji Apples"]  # ping-guo
    assert _found("o") == ["Organic Bananas"]  # not the o inside xiang-jiao or ping-guo


def test_an_empty_query_lists_everything_in_the_stores_order_in_every_language() -> None:
    assert _found("  ") == ["Fuji Apples", "Bananas", "Dangshan Pears", "Organic Bananas"]
    assert search("", ENTRIES, "ko") == ENTRIES


def test_choseong_of_every_syllable() -> None:
    assert choseong("가") == "ㄱ"
    assert choseong("힣") == "ㅎ"
    assert choseong("a") == "a"


def test_pinyin_keeps_latin_and_digits_as_words() -> None:
    assert pinyin_syllables("农夫山泉 NFC橙汁 300ml") == (
        "nong", "fu", "shan", "quan", "nfc", "cheng", "zhi", "300ml",
    )  # fmt: skip
    assert pinyin_syllables("Fuji Apples") == ()


# ------------------------------------------------------------------ properties
_HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_HAN = st.sampled_from("苹果香蕉橙梨葡萄西红柿黄瓜土豆白菜猪肉牛鸡鱼虾米面包")
_WORDS = st.lists(
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8), min_size=1, max_size=4
)


def _named(en: list[str], zh: str, ko: str) -> LookupEntry:
    return _entry(9, {"en": " ".join(en), "zh_CN": zh, "ko": ko})


# pypinyin loads its dictionaries on first use: no per-example deadline on a busy machine.
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
@given(
    en=_WORDS,
    zh=st.text(_HAN, min_size=1, max_size=6),
    ko=st.text(_HANGUL, min_size=1, max_size=6),
    data=st.data(),
)
def test_every_piece_of_a_name_finds_it(
    en: list[str], zh: str, ko: str, data: st.DataObject
) -> None:
    """Any stretch of any name, its pinyin from any syllable, any stretch of its initials
    and the initial consonants of any stretch of its Korean name find the product."""
    entry = _named(en, zh, ko)

    def stretch(text: str) -> str:
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        return text[start:end]

    syllables = pinyin_syllables(zh)
    first = data.draw(st.integers(0, len(syllables) - 1))
    initials = "".join(s[0] for s in syllables)
    piece = stretch(ko)
    queries = [
        stretch(normalize(" ".join(en))) if normalize(" ".join(en)) else zh,
        stretch(zh),
        "".join(syllables[first:]),
        stretch(initials),
        "".join(choseong(ch) for ch in piece),
        piece,
    ]
    for query in queries:
        assert search(query, [entry], "en") == [entry], query


# pypinyin loads its dictionaries on first use: no per-example deadline on a busy machine.
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
@given(
    query=st.text(max_size=12),
    plus=st.lists(st.sampled_from(["4011", "94011", "4131", "3000", "84999"]), unique=True),
)
def test_any_text_gives_a_ranked_subset_and_an_exact_plu_comes_first(
    query: str, plus: list[str]
) -> None:
    entries = [
        _entry(10 + i, {"en": f"Item {plu}", "zh_CN": "苹果", "ko": "사과"}, plu)
        for i, plu in enumerate(plus)
    ]
    entries.append(PEARS)
    found = search(query, entries, "zh_CN")
    assert len({id(e) for e in found}) == len(found)
    assert all(any(e is f for e in entries) for f in found)
    tiers = [f.tier(normalize(query)) if normalize(query) else 3 for f in found]
    assert tiers == sorted(tiers)  # type: ignore[type-var]
    if normalize(query) in plus:
        assert found[0].product.plu == normalize(query)
        assert found[0].tier(normalize(query)) == EXACT_PLU


@settings(deadline=None)
@given(hangul=st.text(_HANGUL, min_size=1, max_size=4))
def test_a_query_of_initial_consonants_matches_only_syllables_with_them(hangul: str) -> None:
    entry = _named(["x"], "苹果", hangul)
    initials = "".join(choseong(ch) for ch in hangul)
    assert entry.tier(initials) == AT_START
    other = next(c for c in CHOSEONG if c != initials[0])
    assert entry.tier(other + initials[1:]) is None


def test_a_product_without_pinyin_stored_is_still_found_by_its_names() -> None:
    product: Product = APPLES.product
    bare = LookupEntry.build(product)
    assert search("苹果", [bare], "en") == [bare]
    assert search("pg", [bare], "en") == []
