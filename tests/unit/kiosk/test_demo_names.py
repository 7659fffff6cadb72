"""The demo data a shopper reads: one name per brand in each language (a promotion must not
call a brand something else than the products on the same screen), and no Chinese inside
English or Korean names."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[3] / "assets" / "demo"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _brand_words() -> dict[str, dict[str, str]]:
    """Each brand's word in each language: the first word of most of its products' names."""
    words: dict[str, dict[str, Counter[str]]] = {}
    for row in _rows("catalog.csv"):
        if not row["brand"]:
            continue
        for lang in ("zh_CN", "ko"):
            counts = words.setdefault(row["brand"], {}).setdefault(lang, Counter())
            counts[row[f"name_{lang}"].split(" ")[0]] += 1
    return {
        brand: {lang: c.most_common(1)[0][0] for lang, c in by.items()}
        for brand, by in words.items()
    }


OFFERS = [(kind, row) for kind in ("promotions.csv", "coupons.csv") for row in _rows(kind)]


@pytest.mark.parametrize(("kind", "row"), OFFERS, ids=[f"{k}:{r['name_en']}" for k, r in OFFERS])
def test_an_offer_names_a_brand_as_its_products_do(kind: str, row: dict[str, str]) -> None:
    words = _brand_words()
    named = [brand for brand in words if brand in row["name_en"]]
    for brand in named:
        for lang, word in words[brand].items():
            assert word in row[f"name_{lang}"], (
                f"{kind} {row['name_en']!r}: {brand} is {word!r} in the catalog, "
                f"not in {row[f'name_{lang}']!r}"
            )
    assert not HAN.search(row["name_en"]), "Chinese inside an English name"
    assert not HAN.search(row["name_ko"]), "Chinese inside a Korean name"


def test_the_brands_are_known() -> None:
    words = _brand_words()
    assert words["Nongfu Spring"] == {"zh_CN": "农夫山泉", "ko": "농푸산취안"}
    assert any("Nongfu Spring" in row["name_en"] for _, row in OFFERS)


def test_every_campaign_a_demo_offer_names_is_in_the_demo() -> None:
    """The console's rule (an offer names an existing campaign): the demo's offers named
    `spring-2027`, which the demo never made, so the console could not find it."""
    campaigns = {row["campaign_id"] for row in _rows("campaigns.csv")}
    named = {
        row["campaign_id"]
        for name in ("promotions.csv", "coupons.csv")
        for row in _rows(name)
        if row["campaign_id"]
    }
    assert named
    assert named <= campaigns
