"""The store policy as stored in settings (and later synced from the central service)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.domain.codes import RcnRule, RcnValue
from kiosk.domain.money import Rounding
from kiosk.domain.policy import StorePolicy
from kiosk.domain.tax import TaxClass, TaxMode

POLICY_KEY = "store_policy"


def policy_to_settings(policy: StorePolicy) -> dict[str, Any]:
    return {
        "store_id": policy.store_id,
        "currency": policy.currency,
        "tax_mode": policy.tax_mode.value,
        "rounding": policy.rounding.value,
        "tax_classes": {
            c.code: {"rate_bp": c.rate_bp, "label": c.label} for c in policy.tax_classes.values()
        },
        "rcn_rules": [
            {
                "prefix": r.prefix,
                "item_digits": r.item_digits,
                "value": r.value.value,
                "value_digits": r.value_digits,
                "decimals": r.decimals,
                "verifier": r.verifier,
            }
            for r in policy.rcn_rules
        ],
        "shopper_may_remove": policy.shopper_may_remove,
        "max_quantity_per_line": policy.max_quantity_per_line,
        "timezone": policy.timezone,
    }


def policy_from_settings(data: Mapping[str, Any]) -> StorePolicy:
    return StorePolicy(
        store_id=str(data["store_id"]),
        currency=str(data["currency"]),
        tax_mode=TaxMode(data.get("tax_mode", "inclusive")),
        rounding=Rounding(data.get("rounding", "half_up")),
        tax_classes={
            code: TaxClass(code, int(c["rate_bp"]), str(c.get("label", "")))
            for code, c in dict(data["tax_classes"]).items()
        },
        rcn_rules=tuple(
            RcnRule(
                prefix=str(r["prefix"]),
                item_digits=int(r["item_digits"]),
                value=RcnValue(r["value"]),
                value_digits=int(r["value_digits"]),
                decimals=int(r["decimals"]),
                verifier=bool(r.get("verifier", False)),
            )
            for r in data.get("rcn_rules", ())
        ),
        shopper_may_remove=bool(data.get("shopper_may_remove", True)),
        max_quantity_per_line=int(data.get("max_quantity_per_line", 99)),
        timezone=str(data.get("timezone", "Asia/Shanghai")),
    )


def demo_policy(store_id: str = "S001") -> StorePolicy:
    """A Chinese hypermarket: prices include VAT (13 % standard, 9 % basic foods);
    scale labels 20xxxxx carry a price, 22xxxxx a weight in grams."""
    return StorePolicy(
        store_id=store_id,
        currency="CNY",
        tax_classes={
            "standard": TaxClass("standard", 1300, "VAT 13%"),
            "reduced": TaxClass("reduced", 900, "VAT 9%"),
            "zero": TaxClass("zero", 0, "VAT 0%"),
        },
        rcn_rules=(
            RcnRule("20", 5, RcnValue.PRICE, 5, 2),
            RcnRule("21", 4, RcnValue.PRICE, 5, 2, verifier=True),
            RcnRule("22", 5, RcnValue.WEIGHT, 5, 3),
        ),
    )
