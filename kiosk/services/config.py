"""The store policy as stored in settings, and the chain's barcode and store rules synced
over it.

The kiosk's own policy (`store_policy`, from `kiosk init`/enrolment) is the base. The
central `rules` feed carries the chain's scale-label (RCN) rules; `sync.pullers` keeps
the valid ones in the setting `CENTRAL_RULES_KEY` (invalid ones are logged and left
out). Once the kiosk holds any central rule, the central set replaces the local rules
as a whole: a chain that changes its label layout must not find an old local rule for
a prefix it dropped still reading labels on some till. With no central rule (a
stand-alone kiosk, or a chain that manages none) the local rules apply.

The central `policies` feed carries each store's rules (`StoreRules`: removals, the most
of one item, coupons back on refunds, transfer validity, exit audits); the puller keeps
this kiosk's store's in `CENTRAL_STORE_RULES_KEY`, and they replace the kiosk's own
fields of the same names, until the chain withdraws them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kiosk.domain.codes import RcnRule, RcnValue, rcn_rule_from_wire, rcn_rule_to_wire
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Rounding
from kiosk.domain.policy import AuditPolicy, StorePolicy, store_rules_from_wire
from kiosk.domain.tax import TaxClass, TaxMode
from kiosk.store.repositories import SettingsRepository

POLICY_KEY = "store_policy"
CENTRAL_RULES_KEY = "sync.rules"
"""rule_id → wire form of each valid barcode rule pulled from the central service."""
REJECTED_RULES_KEY = "sync.rules.rejected"
"""rule_id → why the kiosk refused the central rule (shown by `kiosk sync status`)."""
CENTRAL_STORE_RULES_KEY = "sync.store_rules"
"""The chain's rules for this kiosk's store from the central `policies` feed (wire form,
checked by the puller); absent while the chain sets none."""
REFUSED_ITEMS_KEY = "sync.refused"
"""feed → key → {"reason", "data"}: products and offers from the central service this
kiosk's version cannot read (`sync.pullers`), kept to be read again after an upgrade."""
REJECTED_STORE_RULES_KEY = "sync.store_rules.rejected"
"""Why the kiosk refused the chain's newest rules for its store (`kiosk sync status`);
absent when it took them."""


def policy_to_settings(policy: StorePolicy) -> dict[str, Any]:
    return {
        "store_id": policy.store_id,
        "currency": policy.currency,
        "tax_mode": policy.tax_mode.value,
        "rounding": policy.rounding.value,
        "tax_classes": {
            c.code: {"rate_bp": c.rate_bp, "label": c.label} for c in policy.tax_classes.values()
        },
        "rcn_rules": [rcn_rule_to_wire(r) for r in policy.rcn_rules],
        "shopper_may_remove": policy.shopper_may_remove,
        "refund_returns_coupons": policy.refund_returns_coupons,
        "transfer_validity_hours": policy.transfer_validity_hours,
        "exit_audit_rate_bp": policy.exit_audit.rate_bp,
        "exit_audit_over_minor": policy.exit_audit.over_minor,
        "max_quantity_per_line": policy.max_quantity_per_line,
        "timezone": policy.timezone,
    }


def policy_from_settings(data: Mapping[str, Any]) -> StorePolicy:
    over = data.get("exit_audit_over_minor")
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
        refund_returns_coupons=bool(data.get("refund_returns_coupons", False)),
        transfer_validity_hours=int(data.get("transfer_validity_hours", 2)),
        exit_audit=AuditPolicy(
            int(data.get("exit_audit_rate_bp", 0)), None if over is None else int(over)
        ),
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


def central_rcn_rules(stored: Mapping[str, Any] | None) -> tuple[RcnRule, ...]:
    """The central rules the kiosk holds, one per prefix, in a stable order.

    The puller stores only rules that parse, so a failure here means a damaged
    setting: such a rule is skipped rather than stopping the till. Two rules for one
    prefix (the puller logs it) resolve to the one with the smaller rule_id, so every
    kiosk of the chain reads the same labels the same way.
    """
    rules: dict[str, RcnRule] = {}
    for _, data in sorted((stored or {}).items()):
        try:
            rule = rcn_rule_from_wire(data)
        except KioskError:
            continue
        rules.setdefault(rule.prefix, rule)
    return tuple(rules[p] for p in sorted(rules))


def with_central_rules(policy: StorePolicy, stored: Mapping[str, Any] | None) -> StorePolicy:
    """`policy` with the central barcode rules in place of its own, when there are any."""
    central = central_rcn_rules(stored)
    return dataclasses.replace(policy, rcn_rules=central) if central else policy


def with_central(policy: StorePolicy, settings: SettingsRepository) -> StorePolicy:
    """The kiosk's own `policy` as the chain sets it: the chain's barcode rules and its
    rules for the store (`StoreRules`) in place of the kiosk's, where it holds any."""
    policy = with_central_rules(policy, settings.get(CENTRAL_RULES_KEY))
    stored = settings.get(CENTRAL_STORE_RULES_KEY)
    # Rules held for another store (the kiosk was enrolled again elsewhere, and has not
    # pulled since) are not this store's.
    if not stored or stored.get("store_id") != policy.store_id:
        return policy
    try:
        return store_rules_from_wire(stored).applied_to(policy)
    except ValueError:
        # The puller stores only rules that apply: a damaged setting keeps the kiosk's own
        # rather than stopping the till.
        return policy
