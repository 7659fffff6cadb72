"""Scale-label (RCN) rules set centrally reach the running checkout between sales."""

from __future__ import annotations

import logging

import pytest

from kiosk.domain.codes import RcnRule, RcnValue, check_digit
from kiosk.store.uow import KioskStore
from sync.operations import status_dict, sync_now
from tests.integration.conftest import CentralHarness
from tests.integration.sync.conftest import new_checkout, pay, put_items, store_unchecked

# 1.250 on a Fuji apple label (item 10001, 12.80 per kg in the demo catalog).
APPLES = "221000101250" + str(check_digit("221000101250"))
PRICE_LABELS = {
    "rule_id": "scale-22",
    "prefix": "22",
    "item_digits": 5,
    "value": "price",
    "value_digits": 5,
    "decimals": 2,
    "verifier": False,
}


def test_a_rule_changed_centrally_reads_the_next_sales_labels(
    central: CentralHarness, synced_kiosk: tuple[KioskStore, KioskStore]
) -> None:
    store, sync_store = synced_kiosk
    checkout = new_checkout(store)
    # The kiosk's own rules: 22 labels carry a weight in grams.
    first = checkout.scan(APPLES)
    assert first.cart.lines[0].weight_g == 1250
    assert first.priced.lines[0].gross.minor == 1600  # 1.25 kg at 12.80

    # The chain's scales now print the price instead; the sync thread pulls the rule.
    put_items(central, "rules", PRICE_LABELS)
    assert sync_now(sync_store).pulled["rules"] == 1

    # The sale in progress goes on by the rules it started with: no line changes.
    second = checkout.scan(APPLES)
    assert [line.weight_g for line in second.cart.lines] == [1250, 1250]
    assert second.priced.total.minor == 3200
    pay(checkout)

    # The next sale reads the label by the chain's rule: 12.50, no weight.
    third = checkout.scan(APPLES)
    assert third.cart.lines[0].weight_g is None
    assert third.priced.total.minor == 1250
    # Central rules replace the local set as a whole (no stray local 20/21 rules).
    assert checkout.policy.rcn_rules == (RcnRule("22", 5, RcnValue.PRICE, 5, 2),)
    # A restarted kiosk reads it the same way.
    pay(checkout)
    checkout = new_checkout(store)
    assert checkout.scan(APPLES).priced.total.minor == 1250

    # The chain withdraws its rules: the kiosk's own apply again, from the next sale.
    answer = central.op("PUT", "/v1/admin/feeds/rules", json={"delete": ["scale-22"]})
    assert answer.json() == {"changed": 1}
    sync_now(sync_store)
    pay(checkout)
    assert checkout.scan(APPLES).cart.lines[0].weight_g == 1250


def test_an_invalid_central_rule_is_refused_and_logged_and_the_kiosk_keeps_selling(
    central: CentralHarness,
    synced_kiosk: tuple[KioskStore, KioskStore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, sync_store = synced_kiosk
    put_items(central, "rules", PRICE_LABELS)
    sync_now(sync_store)
    checkout = new_checkout(store)
    assert checkout.scan(APPLES).priced.total.minor == 1250
    pay(checkout)

    # A broken edit of the same rule (13 digits no more) and a new rule that is no RCN.
    store_unchecked(
        central,
        "rules",
        PRICE_LABELS | {"value_digits": 4},
        PRICE_LABELS | {"rule_id": "ean", "prefix": "69"},
    )
    with caplog.at_level(logging.ERROR, logger="sync.pullers"):
        assert sync_now(sync_store).pulled["rules"] == 2
    refused = {r.getMessage().split(" ")[2] for r in caplog.records}
    assert refused == {"'scale-22'", "'ean'"}
    assert "was not applied" in caplog.records[0].getMessage()
    status = status_dict(store)
    assert set(status["rejected_rules"]) == {"scale-22", "ean"}
    assert "describes 12 digits" in status["rejected_rules"]["scale-22"]

    # The last valid version of scale-22 still reads the labels.
    assert checkout.scan(APPLES).priced.total.minor == 1250
    pay(checkout)

    # The operator fixes the rule and drops the other: nothing is refused any more.
    put_items(central, "rules", PRICE_LABELS | {"decimals": 1})
    central.op("PUT", "/v1/admin/feeds/rules", json={"delete": ["ean"]})
    sync_now(sync_store)
    assert status_dict(store)["rejected_rules"] == {}
    assert checkout.scan(APPLES).priced.total.minor == 12500
