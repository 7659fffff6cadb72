"""The catalog CSV format, read by the kiosk (`kiosk catalog import`) and the central
service alike: every bad row reported by number.

Columns (header row required, order free; docs/catalog-csv.md describes each):
    gtin, name_en, name_zh_CN, name_ko, brand, category, tax_class, price, currency,
    unit, age_min, sellable, recalled, recalled_lots, deposit, extra_gtins, plu, picture
`gtin`, at least one name, `tax_class`, `price` and `currency` are required.
Prices are decimal strings in major units ("12.99"); lists are `|`-separated.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kiosk.domain.catalog import LANGUAGES, Plu, Product, Unit, parse_picture, parse_plu
from kiosk.domain.codes import Gtin, normalize_gtin
from kiosk.domain.errors import CatalogError, KioskError
from kiosk.domain.money import Money
from kiosk.domain.spreadsheet import SpreadsheetRows

REQUIRED = ("gtin", "tax_class", "price", "currency")
KNOWN = (
    "gtin", "name_en", "name_zh_CN", "name_ko", "brand", "category", "tax_class", "price",
    "currency", "unit", "age_min", "sellable", "recalled", "recalled_lots", "deposit",
    "extra_gtins", "plu", "picture",
)  # fmt: skip
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as a spreadsheet numbers it, header = 1 (`SpreadsheetRows`)
    error: KioskError  # what is wrong with it, with its words (`KioskError.say`)

    @property
    def message(self) -> str:
        return self.error.message

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(slots=True)
class ParseResult:
    products: list[Product] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    row_of: dict[Gtin, int] = field(default_factory=dict)  # each product's row


def _flag(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CatalogError(
        f"{column} must be 1/0, true/false or yes/no, got {value!r}",
        say="yes_no",
        params={"column": column, "value": value},
    )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def product_from_row(row: Mapping[str, str], tax_classes: Collection[str] | None) -> Product:
    """One row of the format (column → text) as a product; raises `KioskError`. The
    back office checks a product edited in its form with this too."""

    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    currency = get("currency").upper()
    names = {lang: get(f"name_{lang}") for lang in LANGUAGES if get(f"name_{lang}")}
    tax_class = get("tax_class")
    if tax_classes is not None and tax_class not in tax_classes:
        known = ", ".join(sorted(tax_classes))
        raise CatalogError(
            f"tax class {tax_class!r} is not one of the store's ({known})",
            say="tax_class",
            params={"value": tax_class, "known": known},
        )
    try:
        unit = Unit(get("unit") or "each")
    except ValueError:
        raise CatalogError(
            f"unit must be 'each' or 'kg', got {get('unit')!r}",
            say="unit",
            params={"value": get("unit")},
        ) from None
    age = get("age_min") or "0"
    if not (age.isascii() and age.isdigit()) or len(age) > 3:
        raise CatalogError(
            f"age_min must be a whole number, got {age!r}",
            say="whole_number",
            params={"column": "age_min", "value": age},
        )
    deposit = get("deposit")
    plu, picture = get("plu"), get("picture")
    return Product(
        gtin=normalize_gtin(get("gtin")),
        names=names,
        brand=get("brand"),
        category=get("category"),
        tax_class=tax_class,
        price=Money.parse(get("price"), currency),
        unit=unit,
        age_min=int(age),
        sellable=_flag(get("sellable") or "1", "sellable"),
        recalled=_flag(get("recalled"), "recalled"),
        recalled_lots=frozenset(_split(get("recalled_lots"))),
        deposit=Money.parse(deposit, currency) if deposit else None,
        extra_gtins=tuple(normalize_gtin(code) for code in _split(get("extra_gtins"))),
        plu=parse_plu(plu) if plu else None,
        picture=parse_picture(picture) if picture else None,
    )


def product_to_row(product: Product) -> dict[str, str]:
    """A product as a row of the format: `product_from_row` reads it back unchanged."""
    return {
        "gtin": product.gtin,
        **{f"name_{lang}": product.names.get(lang, "") for lang in LANGUAGES},
        "brand": product.brand,
        "category": product.category,
        "tax_class": product.tax_class,
        "price": product.price.plain(),
        "currency": product.price.currency,
        "unit": product.unit.value,
        "age_min": str(product.age_min),
        "sellable": "1" if product.sellable else "0",
        "recalled": "1" if product.recalled else "0",
        "recalled_lots": "|".join(sorted(product.recalled_lots)),
        "deposit": product.deposit.plain() if product.deposit else "",
        "extra_gtins": "|".join(product.extra_gtins),
        "plu": product.plu or "",
        "picture": product.picture or "",
    }


def _rows(text: TextIO) -> Iterator[tuple[int, dict[str, str]]]:
    rows = SpreadsheetRows(text, CatalogError)
    header = rows.header
    missing = [c for c in REQUIRED if c not in header]
    if not any(f"name_{lang}" in header for lang in LANGUAGES):
        missing.append("name_en (or name_zh_CN / name_ko)")
    if missing:
        columns = ", ".join(missing)
        raise CatalogError(
            f"the header lacks required columns: {columns}",
            say="missing_columns",
            params={"columns": columns},
        )
    unknown = [c for c in header if c not in KNOWN]
    if unknown:
        columns = ", ".join(unknown)
        raise CatalogError(
            f"unknown columns (check spelling): {columns}",
            say="unknown_columns",
            params={"columns": columns},
        )
    yield from rows


def parse_catalog_csv(
    path: Path,
    tax_classes: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParseResult:
    """Read and validate every row of the file at `path` (see `read_catalog`)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return read_catalog(handle, tax_classes, progress)
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{path} is not UTF-8 text (byte {exc.start}): save it as 'CSV UTF-8' and retry"
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot read {path}: {exc.strerror}") from None


def read_catalog(
    handle: TextIO,
    tax_classes: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParseResult:
    """Read and validate every row; collects row errors instead of stopping at the first.

    Raises `CatalogError` only for what spoils the whole file (header, CSV syntax).
    """
    result = ParseResult()
    seen: dict[Gtin, int] = {}
    plus: dict[Plu, int] = {}  # a PLU typed at the kiosk must name one product
    for line, row in _rows(handle):
        result.rows += 1
        if progress is not None and result.rows % 1000 == 0:
            progress(result.rows)
        if None in row:  # DictReader files surplus fields under None
            more = CatalogError("more fields than the header has", say="more_fields")
            result.errors.append(RowError(line, more))
            continue
        try:
            product = product_from_row(row, tax_classes)
        except KioskError as exc:
            result.errors.append(RowError(line, exc))
            continue
        codes = (product.gtin, *product.extra_gtins)
        clash = next((seen[c] for c in codes if c in seen), None)
        if clash is not None:
            used = CatalogError(
                f"GTIN already used on row {clash}", say="gtin_used", params={"row": clash}
            )
            result.errors.append(RowError(line, used))
            continue
        if product.plu is not None and product.plu in plus:
            first = plus[product.plu]
            used = CatalogError(
                f"plu already used on row {first}", say="plu_used", params={"row": first}
            )
            result.errors.append(RowError(line, used))
            continue
        seen.update(dict.fromkeys(codes, line))
        if product.plu is not None:
            plus[product.plu] = line
        result.products.append(product)
        result.row_of[product.gtin] = line
    return result


def catalog_clashes(
    incoming: Collection[Product], catalog: Iterable[Product]
) -> dict[Gtin, CatalogError]:
    """What each incoming product claims that another product of the catalog keeps: a
    code (its GTIN or an extra code: another's GTIN or extra code) or its PLU.

    `read_catalog` checks this within a file; this checks the incoming products against
    the catalog as it will be once they replace their own versions. So a product brought
    again with its own codes clashes with nothing, and a code (or PLU) moves from one
    product to another when both come in together, the old holder without it; a code the
    catalog keeps elsewhere is refused, naming its holder. At a kiosk an extra code is
    looked up in a table keyed by the code, written insert-or-replace: two holders would
    have the last one written win, so a case of water could ring up as apples.
    Returns the first clash of each incoming product that has one, by its GTIN.
    """
    replaced = {p.gtin for p in incoming}
    gtins: set[Gtin] = set()  # the other products' GTINs
    extras: dict[Gtin, Gtin] = {}  # another product's extra code -> that product
    plus: dict[Plu, Gtin] = {}
    for kept in catalog:
        if kept.gtin in replaced:
            continue
        gtins.add(kept.gtin)
        extras.update(dict.fromkeys(kept.extra_gtins, kept.gtin))
        if kept.plu is not None:
            plus[kept.plu] = kept.gtin
    found: dict[Gtin, CatalogError] = {}
    for product in incoming:
        codes = (product.gtin, *product.extra_gtins)
        clashes = [*(_code_clash(c, gtins, extras) for c in codes), _plu_clash(product.plu, plus)]
        first = next((clash for clash in clashes if clash is not None), None)
        if first is not None:
            found[product.gtin] = first
    return found


def _code_clash(
    code: Gtin, gtins: Collection[Gtin], extras: Mapping[Gtin, Gtin]
) -> CatalogError | None:
    if code in gtins:  # only an extra code can be: a product's own GTIN replaces it
        return CatalogError(
            f"{code} is another product's GTIN; a code names one product",
            say="code_is_gtin",
            params={"code": code},
        )
    if code in extras:
        return CatalogError(
            f"{code} is already an extra code of product {extras[code]}; remove it there first",
            say="code_taken",
            params={"code": code, "gtin": extras[code]},
        )
    return None


def _plu_clash(plu: Plu | None, plus: Mapping[Plu, Gtin]) -> CatalogError | None:
    if plu is None or plu not in plus:
        return None
    return CatalogError(
        f"plu {plu} is already used by {plus[plu]}; clear it there first",
        say="plu_taken",
        params={"plu": plu, "gtin": plus[plu]},
    )
