"""A store's rules for its kiosks, set by the chain and synced down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.codes import RcnRule
from kiosk.domain.money import Rounding, exponent_of
from kiosk.domain.tax import TaxClass, TaxMode


@dataclass(frozen=True, slots=True)
class StorePolicy:
    """Everything pricing and the cart need to know about the store.

    `shopper_may_remove`: whether shoppers may delete their own lines before paying
    (many chains require staff for that, against "scan, remove, pocket" losses).
    """

    store_id: str
    currency: str
    tax_classes: Mapping[str, TaxClass]
    tax_mode: TaxMode = TaxMode.INCLUSIVE
    rounding: Rounding = Rounding.HALF_UP
    rcn_rules: tuple[RcnRule, ...] = ()
    shopper_may_remove: bool = True
    max_quantity_per_line: int = 99
    timezone: str = "Asia/Shanghai"
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        exponent_of(self.currency)
