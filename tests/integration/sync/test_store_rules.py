"""A store's rules set centrally (the `policies` feed) reach its kiosks between sales."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from kiosk.domain.policy import AuditPolicy, StoreRules
from kiosk.services.config import CENTRAL_STORE_RULES_KEY
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from sync.operations import status_dict, sync_now
from tests.integration.conftest import CentralHarness
from tests.integration.sync.conftest import new_checkout, pay, put_items, store_unchecked

STRICT = {
    "store_id": "S001",
    "shopper_may_remove": False,
    "max_quantity_per_line": 12,
    "refund_returns_coupons": True,
    "transfer_validity_hours": 4,
    "exit_audit_rate_bp": 10_000,
    "exit_audit_over_minor": 50_000,
    "currency": "CNY",
}
CHOSEN = StoreRules(False, 12, True, 4, AuditPolicy(10_000, 50_000), "CNY")


def test_rules_set_centrally_apply_from_the_next_sale_and_withdrawn_give_the_kiosks_own_back(
    central: CentralHarness,
    synced_kiosk: tuple[KioskStore, KioskStore],
    demo_products: list[dict[str, Any]],
) -> None:
    store, sync_store = synced_kiosk
    gtin = str(demo_products[0]["gtin"])
    checkout = new_checkout(store)
    own = StoreRules.of(checkout.policy)
    assert own != CHOSEN
    checkout.scan(gtin)

    # Another store's rules are in the same feed: this kiosk keeps only its own store's.
    put_items(
        central, "policies", STRICT, STRICT | {"store_id": "S002", "max_quantity_per_line": 3}
    )
    assert sync_now(sync_store).pulled["policies"] == 2
    # The sale in progress goes on by the rules it started with, to its end: its bag check
    # (the session's, once it is paid) is decided by them, not by the 100 % pulled meanwhile.
    assert StoreRules.of(checkout.policy) == own
    pay(checkout)
    assert StoreRules.of(checkout.policy) == own
    # The next sale takes them up with its first item; nothing else of the policy changes.
    checkout.scan(gtin)
    assert StoreRules.of(checkout.policy) == CHOSEN
    assert checkout.policy == CHOSEN.applied_to(load_setup(store).policy)
    assert StoreRules.of(new_checkout(store).policy) == CHOSEN  # a restart too
    pay(checkout)

    # The chain withdraws them: the kiosk's own apply again, from the next sale.
    answer = central.op("PUT", "/v1/admin/feeds/policies", json={"delete": ["S001"]})
    assert answer.json() == {"changed": 1}
    sync_now(sync_store)
    checkout.scan(gtin)
    assert StoreRules.of(checkout.policy) == own


def test_a_kiosk_enrolled_in_another_store_drops_the_old_stores_rules(
    central: CentralHarness, synced_kiosk: tuple[KioskStore, KioskStore]
) -> None:
    store, sync_store = synced_kiosk
    put_items(central, "policies", STRICT)
    sync_now(sync_store)
    assert StoreRules.of(new_checkout(store).policy) == CHOSEN
    enroll(store, central.url, central.enrolment_code("S002"), name="till 1")
    # At once (before any pull): the rules it holds are S001's, not its store's.
    moved = new_checkout(store).policy
    assert moved.store_id == "S002"
    assert StoreRules.of(moved) != CHOSEN
    # S001 still has rules centrally; the full pull after enrolling does not bring them back.
    sync_now(sync_store)
    assert store.settings.get(CENTRAL_STORE_RULES_KEY) is None
    put_items(central, "policies", STRICT | {"store_id": "S002", "max_quantity_per_line": 7})
    sync_now(sync_store)
    assert new_checkout(store).policy.max_quantity_per_line == 7


def test_the_service_refuses_rules_it_cannot_read(central: CentralHarness) -> None:
    for bad in (
        STRICT | {"exit_audit_rate_bp": 20_000},
        STRICT | {"store_id": "not a store"},
        {k: v for k, v in STRICT.items() if k != "shopper_may_remove"},
    ):
        answer = central.op("PUT", "/v1/admin/feeds/policies", json={"items": [bad]})
        assert answer.status_code == 422, answer.text
        assert answer.json()["reason"] == "bad_policy"
    # Operators only.
    anonymous = central.session.put(
        central.url + "/v1/admin/feeds/policies", json={"items": [STRICT]}, timeout=30
    )
    assert anonymous.status_code == 401


def test_rules_the_kiosk_cannot_read_are_refused_and_it_keeps_the_last_it_took(
    central: CentralHarness,
    synced_kiosk: tuple[KioskStore, KioskStore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, sync_store = synced_kiosk
    put_items(central, "policies", STRICT)
    sync_now(sync_store)
    store_unchecked(central, "policies", STRICT | {"transfer_validity_hours": 48})
    with caplog.at_level(logging.ERROR, logger="sync.pullers"):
        assert sync_now(sync_store).pulled["policies"] == 1
    [record] = caplog.records
    assert "S001" in record.getMessage()
    assert "keeps the last ones it took" in record.getMessage()
    assert "1..24 hours" in status_dict(store)["rejected_store_rules"]
    assert StoreRules.of(new_checkout(store).policy) == CHOSEN

    # Rules for a store in won: an amount in won is no amount in fen.
    put_items(central, "policies", STRICT | {"currency": "KRW"})
    sync_now(sync_store)
    assert "for a store in KRW, this one is in CNY" in status_dict(store)["rejected_store_rules"]
    assert StoreRules.of(new_checkout(store).policy) == CHOSEN

    # Fixed centrally: taken, and nothing is refused any more.
    put_items(central, "policies", STRICT | {"transfer_validity_hours": 8})
    sync_now(sync_store)
    assert status_dict(store)["rejected_store_rules"] is None
    assert new_checkout(store).policy.transfer_validity_hours == 8
