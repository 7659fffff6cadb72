"""Finding goods without a barcode: the shopper types part of a name in any of the kiosk's
languages, its pinyin (`pingguo`) or pinyin initials (`pg` for 苹果), Korean initial
consonants (`ㅅㄱ` for 사과), or the PLU on the sticker (`4131`).

Pinyin comes from `pypinyin` (a pure dictionary look-up, like `biip` a parsing library
with no I/O) when the catalog is written (`pinyin_syllables`, stored with the product);
`LookupEntry.build` derives the rest once when the picker's list is loaded, so a
keystroke is only string comparisons over a few hundred entries.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from kiosk.domain.catalog import Product

# Hangul syllables are composed arithmetically (Unicode 3.12): 21 vowels x 28 finals each.
_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3
_PER_INITIAL = 21 * 28
# The 19 initial consonants, as the compatibility jamo a Korean keyboard types.
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"

EXACT_PLU, AT_START, AT_WORD, INSIDE = 0, 1, 2, 3
"""Match tiers, best first: the PLU itself; the start of a name (or its pinyin, initials);
the start of a later word (or syllable); anywhere inside a name."""


# NFKC turns a typed ㅅ into the conjoining ᄉ (U+1109): turn it back, in the same order.
_CONJOINING_INITIALS = str.maketrans(
    dict(zip(map(chr, range(0x1100, 0x1113)), CHOSEONG, strict=True))
)


def normalize(text: str) -> str:
    """Case, width (full-width Ａ, ４) and spaces do not matter to a search."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).translate(_CONJOINING_INITIALS)


def pinyin_syllables(name: str) -> tuple[str, ...]:
    """The toneless pinyin of each Han character of `name` (pypinyin reads whole words, so
    heteronyms follow their usual reading); other letters and digits pass as they are,
    punctuation and spaces drop out. Empty for a name without Han characters."""
    if not any(_is_han(ch) for ch in name):
        return ()
    # pypinyin passes each run of other characters through whole ("NFC", " 300ml").
    words = (normalize(word) for part in lazy_pinyin(name) for word in part.split())
    return tuple(word for word in words if word.isalnum())


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def choseong(ch: str) -> str:
    """The initial consonant of a Hangul syllable as a compatibility jamo; else `ch`."""
    code = ord(ch)
    if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
        return CHOSEONG[(code - _SYLLABLE_FIRST) // _PER_INITIAL]
    return ch


@dataclass(frozen=True, slots=True)
class _Text:
    """One searchable spelling of a name: spaces removed, with where each word began."""

    text: str
    starts: frozenset[int]
    initials: str
    """`text` with each Hangul syllable as its initial consonant: a query typed only in
    initials is a plain string search here (comparing syllable by syllable is 4x slower)."""

    @classmethod
    def of(cls, words: Iterable[str]) -> _Text:
        text, starts = "", set()
        for word in words:
            if word:
                starts.add(len(text))
                text += word
        return cls(text, frozenset(starts), "".join(map(choseong, text)))

    def tier(self, query: str, *, jamo: bool = False) -> int | None:
        """The best tier at which `query` occurs in this text, or None."""
        best: int | None = None
        text = self.text
        if jamo and all(ch in CHOSEONG for ch in query):
            text, jamo = self.initials, False
        found: Iterator[int]
        if jamo:  # syllables and initials mixed: compare position by position
            found = (at for at in range(len(text) - len(query) + 1) if _matches_at(query, text, at))
        else:
            found = _occurrences(query, text)
        for at in found:
            tier = AT_START if at == 0 else AT_WORD if at in self.starts else INSIDE
            if best is None or tier < best:
                best = tier
            if best == AT_START:
                break
        return best


def _occurrences(query: str, text: str) -> Iterator[int]:
    at = text.find(query)
    while at >= 0:
        yield at
        at = text.find(query, at + 1)


def _matches_at(query: str, text: str, at: int) -> bool:
    # A typed initial consonant stands for any syllable that starts with it.
    return all(
        q == t or (q in CHOSEONG and choseong(t) == q)
        for q, t in zip(query, text[at : at + len(query)], strict=True)
    )


@dataclass(frozen=True, slots=True)
class LookupEntry:
    """A product the picker lists, with every spelling a search compares against."""

    product: Product
    names: tuple[_Text, ...]
    pinyin: tuple[_Text, ...]
    initials: tuple[str, ...]

    @classmethod
    def build(cls, product: Product, pinyin: Sequence[Sequence[str]] = ()) -> LookupEntry:
        """`pinyin`: `pinyin_syllables` of each Chinese name, as the catalog stored them."""
        names = tuple(
            _Text.of(normalize(word) for word in name.split()) for name in product.names.values()
        )
        return cls(
            product=product,
            names=names,
            pinyin=tuple(_Text.of(syllables) for syllables in pinyin if syllables),
            initials=tuple("".join(s[0] for s in syllables) for syllables in pinyin if syllables),
        )

    def tier(self, query: str) -> int | None:
        """How well `query` (already `normalize`d, not empty) names this product, or None."""
        tiers: list[int] = []
        plu = self.product.plu
        if plu is not None and query.isdigit():
            if plu == query:
                return EXACT_PLU
            if plu.startswith(query):
                tiers.append(AT_START)
        jamo = any(ch in CHOSEONG for ch in query)
        tiers += [t for name in self.names if (t := name.tier(query, jamo=jamo)) is not None]
        if query.isascii() and query.isalpha():
            # Pinyin only from a syllable's start: `o` is no search for 苹果 (ping-guo).
            tiers += [t for spelt in self.pinyin if (t := spelt.tier(query)) in (AT_START, AT_WORD)]
            for initials in self.initials:
                at = initials.find(query)
                if at >= 0:
                    tiers.append(AT_START if at == 0 else AT_WORD)
        return min(tiers, default=None)


def search(query: str, entries: Iterable[LookupEntry], language: str) -> list[LookupEntry]:
    """The entries `query` matches, best first: by tier, then shorter names (the plain
    item before its variants), then by name in `language`. An empty query lists them all
    in the order given (the store's: by category, then code), the same in every language."""
    wanted = normalize(query)
    if not wanted:
        return list(entries)
    ranked: list[tuple[int, int, str, LookupEntry]] = []
    for entry in entries:
        tier = entry.tier(wanted)
        if tier is not None:
            name = entry.product.name(language)
            ranked.append((tier, len(name), name.casefold(), entry))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked]
