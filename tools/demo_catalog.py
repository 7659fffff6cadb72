"""Write the demo catalog (assets/demo/catalog.csv) from its source table,
tools/demo_catalog_source.csv: one row per product, in catalog order.

The source holds what a person decides (names, brand, company prefix or scale PLU, price,
tax class, the few special cases); this adds what follows from it: item references
numbered from 101 in row order within each company prefix, GS1 check digits
(`kiosk.domain.codes.check_digit`), GTIN-14s of trade units (`case_indicators`, an
indicator digit before the item's 12 digits), old codes, and the age limit of alcohol and
tobacco. Weighed goods carry the store's scale item number instead of a prefix:
restricted-circulation number "22" + item + "00000" + check, the scale label putting the
weight where the zeros are. Loose produce also has its IFPS PLU (the sticker's number)
and a picture (`tools.product_pictures` draws them) for the shopper's item picker.

Usage: python -m tools.demo_catalog [OUTPUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from kiosk.domain.catalog_csv import KNOWN
from kiosk.domain.codes import check_digit

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).with_name("demo_catalog_source.csv")
OUTPUT = ROOT / "assets" / "demo" / "catalog.csv"
AGE_RESTRICTED = {"alcohol": 18, "tobacco": 18}
FIRST_REF = 101


def _with_check(body: str) -> str:
    return body + str(check_digit(body))


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def build(source: Path = SOURCE) -> list[list[str]]:
    """The catalog rows (columns `catalog_csv.KNOWN`) for the products in `source`."""
    rows: list[list[str]] = []
    next_ref: dict[str, int] = {}
    prefix_of: dict[str, str] = {}
    with source.open(encoding="utf-8", newline="") as handle:
        for item in csv.DictReader(handle):
            if item["scale_item"]:
                gtin = _with_check(f"22{int(item['scale_item']):05d}00000")
            else:
                prefix = item["prefix"]
                if prefix_of.setdefault(item["brand"], prefix) != prefix:
                    raise ValueError(f"{item['brand']} has two company prefixes")
                ref = next_ref.get(prefix, FIRST_REF)
                next_ref[prefix] = ref + 1
                gtin = _with_check(f"{prefix}{ref:0{12 - len(prefix)}d}")
            extra = [_with_check(i + gtin[:12]) for i in _split(item["case_indicators"])]
            extra += [_with_check(body) for body in _split(item["old_codes"])]
            rows.append(
                [
                    gtin,
                    item["name_en"],
                    item["name_zh_CN"],
                    item["name_ko"],
                    item["brand"],
                    item["category"],
                    item["tax_class"],
                    item["price"],
                    "CNY",
                    item["unit"],
                    str(AGE_RESTRICTED.get(item["category"], 0)),
                    item["sellable"] or "1",
                    item["recalled"] or "0",
                    item["recalled_lots"],
                    item["deposit"],
                    "|".join(extra),
                    item["plu"],
                    item["picture"],
                ]
            )
    codes = [row[0] for row in rows] + [c for row in rows for c in _split(row[15])]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate GTINs")
    return rows


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUTPUT
    rows = build()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(KNOWN)
        writer.writerows(rows)
    print(f"wrote {len(rows)} products to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
