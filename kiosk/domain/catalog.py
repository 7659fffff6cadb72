"""Catalog entries: what the store sells, at what price, under which rules."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NewType

from kiosk.domain.codes import Gtin, normalize_gtin
from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money

# The kiosk's languages, in Qt locale names; catalog names are keyed the same way.
LANGUAGES = ("zh_CN", "ko", "en")
FALLBACK_LANGUAGE = "en"

Plu = NewType("Plu", str)
"""An IFPS price look-up number, the sticker on loose produce: 4 digits 3000-4999 for
conventional produce, 9 before them for organic, and IFPS's new 83000-84999 series."""

PICTURES_FOLDER = "assets/products"
"""Where the kiosk finds the picture files the catalog names (relative to its install).
The catalog carries a file name, not the image: pictures ship with the kiosk's assets
like its sounds, so a catalog pull never moves image bytes."""

_PICTURE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.(png|jpg|svg)")


def parse_plu(text: str) -> Plu:
    """A valid IFPS PLU (raises `CatalogError` saying why not)."""
    plu = text.strip()
    if not (plu.isascii() and plu.isdigit() and len(plu) in (4, 5)):
        raise CatalogError(
            f"plu must be 4 or 5 digits, got {text!r}", say="plu", params={"value": text}
        )
    if len(plu) == 5 and plu[0] not in "89":
        raise CatalogError(
            f"plu of 5 digits must start with 9 (organic) or 8, got {text!r}",
            say="plu",
            params={"value": text},
        )
    if not 3000 <= int(plu[-4:]) <= 4999:
        raise CatalogError(
            f"plu must be an IFPS PLU, 3000-4999 (9 or 8 before it), got {text!r}",
            say="plu",
            params={"value": text},
        )
    return Plu(plu)


def parse_picture(text: str) -> str:
    """A picture's file name in `PICTURES_FOLDER`: lower-case letters, digits, `-` and `_`,
    then .png, .jpg or .svg; never a path, so a catalog cannot point outside the folder."""
    name = text.strip()
    if not _PICTURE.fullmatch(name):
        raise CatalogError(
            f"picture must be a file name like 'fuji-apples.png' (a-z, 0-9, - and _; "
            f".png, .jpg or .svg), got {text!r}",
            say="picture",
            params={"value": text},
        )
    return name


class Unit(enum.StrEnum):
    EACH = "each"
    KG = "kg"


@dataclass(frozen=True, slots=True)
class Product:
    """One sellable item. `price` is per unit: per piece, or per kilogram for `Unit.KG`.

    `recalled_lots` lets a recall target some batches only (read from GS1 AI 10);
    `recalled` withdraws the whole product.
    """

    gtin: Gtin
    names: Mapping[str, str]
    brand: str
    category: str
    tax_class: str
    price: Money
    unit: Unit = Unit.EACH
    age_min: int = 0
    sellable: bool = True
    recalled: bool = False
    recalled_lots: frozenset[str] = frozenset()
    deposit: Money | None = None
    extra_gtins: tuple[Gtin, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    plu: Plu | None = None
    picture: str | None = None
    """A file name in `PICTURES_FOLDER`."""

    def __post_init__(self) -> None:
        if not self.names:
            raise CatalogError(f"product {self.gtin} has no name", say="no_name")
        if self.price.minor < 0:
            raise CatalogError(f"product {self.gtin} has a negative price", say="price_below_zero")
        if self.deposit is not None and (
            self.deposit.currency != self.price.currency or self.deposit.minor < 0
        ):
            raise CatalogError(f"product {self.gtin} has an invalid deposit", say="deposit")
        if not 0 <= self.age_min <= 25:
            raise CatalogError(
                f"product {self.gtin} has an implausible minimum age {self.age_min}",
                say="age",
                params={"value": self.age_min},
            )
        if self.plu is not None:
            parse_plu(self.plu)
        if self.picture is not None:
            parse_picture(self.picture)

    def name(self, language: str) -> str:
        """The name in `language`, else English, else any name the catalog has."""
        return (
            self.names.get(language)
            or self.names.get(FALLBACK_LANGUAGE)
            or next(iter(self.names.values()))
        )

    @property
    def age_restricted(self) -> bool:
        return self.age_min > 0

    @property
    def looked_up(self) -> bool:
        """Sold without a barcode of its own (a PLU sticker, or a picture to pick it by):
        the shopper's item picker lists it. Barcoded goods are scanned, not picked."""
        return self.plu is not None or self.picture is not None


def product_to_wire(product: Product) -> dict[str, Any]:
    """The product as plain JSON types: the catalog's CSV, store and wire share this shape.

    `plu` and `picture` appear only when set, so the documents of the many products without
    them stay as they were (an unchanged document is no change in the central feed)."""
    wire: dict[str, Any] = {
        "gtin": product.gtin,
        "names": dict(product.names),
        "brand": product.brand,
        "category": product.category,
        "tax_class": product.tax_class,
        "price_minor": product.price.minor,
        "currency": product.price.currency,
        "unit": product.unit.value,
        "age_min": product.age_min,
        "sellable": product.sellable,
        "recalled": product.recalled,
        "recalled_lots": sorted(product.recalled_lots),
        "deposit_minor": product.deposit.minor if product.deposit else None,
        "extra_gtins": list(product.extra_gtins),
        "attributes": dict(product.attributes),
    }
    if product.plu is not None:
        wire["plu"] = product.plu
    if product.picture is not None:
        wire["picture"] = product.picture
    return wire


def product_from_wire(data: Mapping[str, Any]) -> Product:
    """Inverse of `product_to_wire`; validates GTINs and amounts (raises KioskError)."""
    currency = str(data["currency"])
    deposit = data.get("deposit_minor")
    try:
        unit = Unit(data.get("unit", "each"))
    except ValueError:
        raise CatalogError(f"unit must be 'each' or 'kg', got {data.get('unit')!r}") from None
    return Product(
        gtin=normalize_gtin(str(data["gtin"])),
        names={str(k): str(v) for k, v in dict(data["names"]).items() if v},
        brand=str(data.get("brand", "")),
        category=str(data.get("category", "")),
        tax_class=str(data["tax_class"]),
        price=Money(_as_int(data["price_minor"], "price_minor"), currency),
        unit=unit,
        age_min=_as_int(data.get("age_min", 0), "age_min"),
        sellable=bool(data.get("sellable", True)),
        recalled=bool(data.get("recalled", False)),
        recalled_lots=frozenset(str(lot) for lot in data.get("recalled_lots", ())),
        deposit=Money(_as_int(deposit, "deposit_minor"), currency) if deposit else None,
        extra_gtins=tuple(normalize_gtin(str(g)) for g in data.get("extra_gtins", ())),
        attributes={str(k): str(v) for k, v in dict(data.get("attributes", {})).items()},
        plu=parse_plu(str(data["plu"])) if data.get("plu") else None,
        picture=parse_picture(str(data["picture"])) if data.get("picture") else None,
    )


def _as_int(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogError(f"{field_name} must be a whole number of minor units, got {value!r}")
    return value
