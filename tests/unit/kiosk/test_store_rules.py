"""The store rules the chain sets centrally (`StoreRules`): their wire form and how they
replace the kiosk's own."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import MAX_MINOR
from kiosk.domain.policy import (
    BASIS_POINTS,
    MAX_QUANTITY_PER_LINE,
    MAX_TRANSFER_VALIDITY_HOURS,
    AuditPolicy,
    StoreRules,
    store_rules_from_wire,
    store_rules_to_wire,
)
from kiosk.services.config import demo_policy

rules = st.builds(
    StoreRules,
    shopper_may_remove=st.booleans(),
    max_quantity_per_line=st.integers(1, MAX_QUANTITY_PER_LINE),
    refund_returns_coupons=st.booleans(),
    transfer_validity_hours=st.integers(1, MAX_TRANSFER_VALIDITY_HOURS),
    exit_audit=st.builds(
        AuditPolicy,
        rate_bp=st.integers(0, BASIS_POINTS),
        over_minor=st.none() | st.integers(0, MAX_MINOR),
    ),
    currency=st.sampled_from(["CNY", "KRW", "USD"]),
)


@given(rules)
def test_rules_survive_the_wire(original: StoreRules) -> None:
    assert store_rules_from_wire(store_rules_to_wire(original)) == original


@given(rules)
def test_rules_replace_their_fields_of_the_kiosk_policy_and_nothing_else(
    chosen: StoreRules,
) -> None:
    own = demo_policy()
    if chosen.currency != own.currency:
        # An amount in won is no amount in fen: another currency's rules do not apply.
        with pytest.raises(ValueError, match=f"for a store in {chosen.currency}"):
            chosen.applied_to(own)
        return
    applied = chosen.applied_to(own)
    assert StoreRules.of(applied) == chosen
    # The store's fiscal setup stays the kiosk's own.
    for name in ("store_id", "currency", "tax_classes", "tax_mode", "rounding", "rcn_rules"):
        assert getattr(applied, name) == getattr(own, name)
    assert applied.timezone == own.timezone
    assert applied.price_override == own.price_override


GOOD: dict[str, Any] = store_rules_to_wire(StoreRules.of(demo_policy()))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"shopper_may_remove": "yes"}, "shopper_may_remove must be true or false"),
        ({"refund_returns_coupons": 1}, "refund_returns_coupons must be true or false"),
        ({"max_quantity_per_line": True}, "max_quantity_per_line must be a whole number"),
        ({"max_quantity_per_line": 0}, "1..999 of one item"),
        ({"max_quantity_per_line": 1000}, "1..999 of one item"),
        ({"transfer_validity_hours": 2.5}, "transfer_validity_hours must be a whole number"),
        ({"transfer_validity_hours": 25}, "1..24 hours"),
        ({"exit_audit_rate_bp": 10_001}, "an audit rate is 0..10000 bp"),
        ({"exit_audit_rate_bp": "500"}, "exit_audit_rate_bp must be a whole number"),
        ({"exit_audit_over_minor": -1}, "an audit amount is 0.."),
        ({"exit_audit_over_minor": MAX_MINOR + 1}, "an audit amount is 0.."),
        ({"currency": "XXX"}, "unknown currency 'XXX'"),
        ({"currency": 156}, "currency must be a currency code"),
    ],
)
def test_a_wrong_field_is_named(change: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=says.replace(".", r"\.")):
        store_rules_from_wire(GOOD | change)


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_every_field_is_required(missing: str) -> None:
    # A rule left out would fall back to something nobody chose.
    with pytest.raises(ValueError, match=missing):
        store_rules_from_wire({k: v for k, v in GOOD.items() if k != missing})


def test_no_audit_amount_is_null_on_the_wire() -> None:
    assert GOOD["exit_audit_over_minor"] is None
    assert store_rules_from_wire(GOOD | {"exit_audit_over_minor": 5000}).exit_audit == (
        AuditPolicy(0, 5000)
    )
