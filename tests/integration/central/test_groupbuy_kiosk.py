"""Group-buy pickup at kiosks, against the real service on loopback: the kiosks pull
their store's key and ready orders, check pickup codes and hand orders out offline, and
their outbox relay reports each pickup once; an order handed out on two kiosks while
both were offline is refused on the first kiosk's second scan and reported as a conflict
for the second kiosk, never stored twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.errors import Reason
from kiosk.services.pickups import (
    PICKUP_KEY_KEY,
    PICKUP_KIND,
    PickupCheck,
    PickupCounter,
    PickupRefused,
)
from kiosk.store.uow import KioskStore
from sync.relay import CONFLICTS_KEY
from sync.worker import sync_round
from tests.integration.central.groupbuy_support import (
    HOUR,
    WATER,
    join_and_pay,
    new_campaign,
    order,
    payments,
)
from tests.integration.payments.conftest import PaymentsHarness

__all__ = ["payments"]  # fixture


def _kiosk(payments: PaymentsHarness, tmp_path: Path, name: str, store_id: str = "S001") -> Any:
    credential = payments.harness.enrol(store_id, name=name)
    store = KioskStore.open(tmp_path / f"{name}.db")
    # The kiosk's clock is the service's test clock, moved past the cut-off with it.
    client = payments.harness.client(credential, clock=lambda: payments.clock() / 1000)
    return client, store


def _ready_orders(payments: PaymentsHarness, quantities: list[int]) -> list[dict[str, Any]]:
    campaign = new_campaign(payments)
    buyers = [
        join_and_pay(payments, campaign, f"1330000{n:04d}", quantity)
        for n, quantity in enumerate(quantities)
    ]
    payments.clock.advance(HOUR + 1)
    cid = campaign["campaign_id"]
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").status_code == 200
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={}).status_code == 200
    return [{**order(payments, buyer), "token": buyer["token"]} for buyer in buyers]


def _now(payments: PaymentsHarness) -> datetime:
    return datetime.fromtimestamp(payments.clock() / 1000, UTC)


def test_two_kiosks_offline_hand_out_one_order_and_the_double_is_flagged(
    payments: PaymentsHarness, tmp_path: Path
) -> None:
    (mine,) = _ready_orders(payments, [2])
    (client_a, store_a), (client_b, store_b) = (
        _kiosk(payments, tmp_path, "a"), _kiosk(payments, tmp_path, "b"),
    )  # fmt: skip
    for client, store in ((client_a, store_a), (client_b, store_b)):
        sync_round(store, client)
    # From here both kiosks are offline: nothing is synced until the end.
    a, b = PickupCounter(store_a), PickupCounter(store_b)
    now = _now(payments)
    seen = a.verify(mine["pickup_code"], now)
    assert seen.check is PickupCheck.VALID
    assert [(line.gtin, line.quantity, line.left) for line in seen.lines] == [(WATER, 2, 2)]
    after = a.hand_out(seen, now)
    assert after.check is PickupCheck.COLLECTED  # a second scan here is refused and flagged
    with pytest.raises(PickupRefused):
        a.hand_out(after, now)
    elsewhere = b.verify(mine["pickup_code"], now)
    assert elsewhere.check is PickupCheck.VALID  # kiosk B cannot know, offline
    b.hand_out(elsewhere, now, {WATER: 2})

    assert sync_round(store_a, client_a).relay.sent == 1
    second = sync_round(store_b, client_b).relay
    assert second.conflicts == 1
    assert second.sent == 0
    (flag,) = store_b.settings.get(CONFLICTS_KEY)
    assert flag["kind"] == "groupbuy_pickup"
    assert "collected already" in flag["detail"]
    assert order(payments, mine)["status"] == "collected"
    report = payments.op("GET", f"/v1/groupbuy/campaigns/{mine['campaign_id']}/report").json()
    assert report["double_pickups"] == 1
    # After the next pull kiosk B knows too.
    assert b.verify(mine["pickup_code"], now).check is PickupCheck.NOT_READY
    store_a.close()
    store_b.close()


def test_half_now_half_later_on_two_kiosks_and_the_codes_a_kiosk_refuses(
    payments: PaymentsHarness, tmp_path: Path
) -> None:
    mine, other = _ready_orders(payments, [2, 1])
    client_a, store_a = _kiosk(payments, tmp_path, "a")
    client_b, store_b = _kiosk(payments, tmp_path, "b")
    sync_round(store_a, client_a)
    now = _now(payments)
    a = PickupCounter(store_a)
    half = a.hand_out(a.verify(mine["pickup_code"], now), now, {WATER: 1})
    assert half.check is PickupCheck.VALID
    assert half.lines[0].left == 1
    sync_round(store_a, client_a)
    assert order(payments, mine)["status"] == "partly_collected"
    sync_round(store_b, client_b)
    b = PickupCounter(store_b)
    rest = b.verify(mine["pickup_code"], now)
    assert rest.lines[0].left == 1
    b.hand_out(rest, now)
    sync_round(store_b, client_b)
    assert order(payments, mine)["status"] == "collected"

    code = other["pickup_code"]
    forged = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
    assert b.verify(forged, now).check is PickupCheck.FORGED
    assert b.verify("PU1.NOTACODE", now).check is PickupCheck.UNREADABLE
    late = datetime.fromtimestamp(payments.clock() / 1000 + 30 * 3600, UTC)
    assert b.verify(code, late).check is PickupCheck.EXPIRED
    client_c, store_c = _kiosk(payments, tmp_path, "c", store_id="S002")
    assert PickupCounter(store_c).verify(code, now).check is PickupCheck.NO_KEY
    sync_round(store_c, client_c)
    assert store_c.settings.get(PICKUP_KEY_KEY)["store_id"] == "S002"
    assert PickupCounter(store_c).verify(code, now).check is PickupCheck.OTHER_STORE
    for store in (store_a, store_b, store_c):
        store.close()


def test_collect_checks_again_what_a_sync_round_since_the_scan_says(
    payments: PaymentsHarness, tmp_path: Path
) -> None:
    (mine,) = _ready_orders(payments, [2])
    client_a, store_a = _kiosk(payments, tmp_path, "a")
    client_b, store_b = _kiosk(payments, tmp_path, "b")
    sync_round(store_a, client_a)
    sync_round(store_b, client_b)
    now = _now(payments)
    a, b = PickupCounter(store_a), PickupCounter(store_b)
    # Kiosk A's pickup screen opens on both units; meanwhile staff hand one out at kiosk B,
    # and A's next sync round brings that in before the shopper taps Collect.
    shown = a.verify(mine["pickup_code"], now)
    assert [line.left for line in shown.lines] == [2]
    b.hand_out(b.verify(mine["pickup_code"], now), now, {WATER: 1})
    sync_round(store_b, client_b)
    sync_round(store_a, client_a)
    with pytest.raises(PickupRefused) as part:
        a.hand_out(shown, now, {WATER: 2})
    assert part.value.reason is Reason.PICKUP_COLLECTED
    assert [line.left for line in part.value.verdict.lines] == [1]
    # Then the rest at B: the order leaves the ready list A pulls.
    b.hand_out(b.verify(mine["pickup_code"], now), now)
    sync_round(store_b, client_b)
    sync_round(store_a, client_a)
    with pytest.raises(PickupRefused) as gone:
        a.hand_out(shown, now)
    assert gone.value.verdict.check is PickupCheck.NOT_READY
    assert gone.value.reason is Reason.PICKUP_NOT_READY
    assert store_a.outbox.pending(10, PICKUP_KIND) == []  # A handed nothing out
    assert sync_round(store_a, client_a).relay.sent == 0
    report = payments.op("GET", f"/v1/groupbuy/campaigns/{mine['campaign_id']}/report").json()
    assert report["double_pickups"] == 0
    store_a.close()
    store_b.close()
