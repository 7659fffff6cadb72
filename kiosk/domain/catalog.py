"""Catalog entries: what the store sells, at what price, under which rules."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.codes import Gtin, normalize_gtin
from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money

# The kiosk's languages, in Qt locale names; catalog names are keyed the same way.
LANGUAGES = ("zh_CN", "ko", "en")
FALLBACK_LANGUAGE = "en"


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

    def __post_init__(self) -> None:
        if not self.names:
            raise CatalogError(f"product {self.gtin} has no name")
        if self.price.minor < 0:
            raise CatalogError(f"product {self.gtin} has a negative price")
        if self.deposit is not None and (
            self.deposit.currency != self.price.currency or self.deposit.minor < 0
        ):
            raise CatalogError(f"product {self.gtin} has an invalid deposit")
        if not 0 <= self.age_min <= 25:
            raise CatalogError(f"product {self.gtin} has an implausible minimum age {self.age_min}")

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


def product_to_wire(product: Product) -> dict[str, Any]:
    """The product as plain JSON types: the catalog's CSV, store and wire share this shape."""
    return {
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
    )


def _as_int(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogError(f"{field_name} must be a whole number of minor units, got {value!r}")
    return value
