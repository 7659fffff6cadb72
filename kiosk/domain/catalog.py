"""Catalog entries: what the store sells, at what price, under which rules."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.codes import Gtin
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
