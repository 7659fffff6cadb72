"""The store policy: its settings, and the chain's barcode rules over the kiosk's own."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.domain.codes import RcnRule, RcnValue
from kiosk.domain.policy import AuditPolicy
from kiosk.services.config import (
    central_rcn_rules,
    demo_policy,
    policy_from_settings,
    policy_to_settings,
    with_central_rules,
)

RULE = {"prefix": "22", "item_digits": 5, "value": "price", "value_digits": 5, "decimals": 2}


def test_without_central_rules_the_local_ones_apply() -> None:
    local = demo_policy()
    assert with_central_rules(local, None) is local
    assert with_central_rules(local, {}) is local


def test_central_rules_replace_the_local_set_as_a_whole() -> None:
    policy = with_central_rules(demo_policy(), {"r22": RULE})
    assert policy.rcn_rules == (RcnRule("22", 5, RcnValue.PRICE, 5, 2),)
    assert policy.tax_classes == demo_policy().tax_classes


def test_one_rule_per_prefix_the_smaller_rule_id_wins_and_damaged_ones_are_skipped() -> None:
    stored = {
        "b": RULE | {"decimals": 1},
        "a": RULE,
        "c": RULE | {"prefix": "20"},
        "damaged": RULE | {"item_digits": "five"},
    }
    assert central_rcn_rules(stored) == (
        RcnRule("20", 5, RcnValue.PRICE, 5, 2),
        RcnRule("22", 5, RcnValue.PRICE, 5, 2),
    )


def test_the_transfer_validity_survives_the_settings_and_is_bounded() -> None:
    policy = dataclasses.replace(demo_policy(), transfer_validity_hours=6)
    assert policy_from_settings(policy_to_settings(policy)).transfer_validity_hours == 6
    assert policy_from_settings(policy_to_settings(demo_policy())).transfer_validity_hours == 2
    for hours in (0, 25):
        with pytest.raises(ValueError, match="validity"):
            dataclasses.replace(demo_policy(), transfer_validity_hours=hours)


def test_the_exit_audit_policy_survives_the_settings() -> None:
    policy = dataclasses.replace(demo_policy(), exit_audit=AuditPolicy(250, over_minor=100_000))
    assert policy_from_settings(policy_to_settings(policy)).exit_audit == AuditPolicy(250, 100_000)
    assert policy_from_settings(policy_to_settings(demo_policy())).exit_audit == AuditPolicy()
