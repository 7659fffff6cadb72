"""A group-buy pickup code scanned at a kiosk (the demo store, driven without Qt): the
order is handed out and queued for the central service, the shopper goes on shopping;
the same code again, a forged one or one for an order not ready here calls staff."""

from __future__ import annotations

import uuid
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.domain.alerts import AlertReason
from kiosk.domain.errors import Reason
from kiosk.domain.pickup_code import PickupPass, encode
from kiosk.domain.scan import Symbology
from kiosk.services.pickups import PICKUP_KEY_KEY, PICKUP_KIND, READY_ORDERS_KEY
from kiosk.services.session import Level, Said
from sync.groupbuy_protocol import OrderLineView, OrderView
from tests.integration.kiosk.session_driver import Driver, reasons, said

WATER = "06935412001014"


def _ready(drive: Driver, key: Ed25519PrivateKey, quantity: int = 3) -> tuple[str, str]:
    """(code, order id) of a ready order of the kiosk's store, as sync leaves it."""
    store_id = drive.core.setup.identity.store_id
    order_id = str(uuid.uuid4())
    order = OrderView(
        order_id=order_id, campaign_id=str(uuid.uuid4()), store_id=store_id, buyer="李女士",
        status="ready", currency="CNY", paid_minor=3 * 3290, final_minor=3 * 3290,
        lines=[OrderLineView(gtin=WATER, names={"en": "Water"}, quantity=quantity,
                             unit_minor=3290, final_unit_minor=3290, collected=0)],
        refunds=[], payment_status="paid",
    )  # fmt: skip
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    settings = drive.core.store.settings
    settings.set(PICKUP_KEY_KEY, {"store_id": store_id, "public_key": public})
    settings.set(READY_ORDERS_KEY, [*settings.get(READY_ORDERS_KEY, []), order.model_dump()])
    pickup = PickupPass(store_id, order_id, quantity, drive.core.clock.now() + timedelta(days=1))
    return encode(pickup, key.sign(pickup.signed_bytes())), order_id


def test_a_pickup_code_hands_the_order_out_and_the_shopper_carries_on(drive: Driver) -> None:
    code, order_id = _ready(drive, Ed25519PrivateKey.generate())
    events = drive.scan(code, Symbology.QR)
    assert said(events) == [(Reason.PICKUP_HANDED_OUT, Level.SUCCESS)]
    notice = next(e.notice for e in events if isinstance(e, Said))
    assert notice.args == ("李女士", "3")
    (row,) = drive.core.store.outbox.pending(10, PICKUP_KIND)
    assert row.payload["lines"] == {WATER: 3}
    # The shopper goes on buying; the same code again calls staff, hands out nothing.
    drive.scan("6935412001014")
    assert drive.session.state.cart.lines
    # The pickup names the cart it happened in, the sale's id once paid: the report's
    # extra basket spend (docs/group-buy.md).
    assert row.payload["sale_id"] == drive.session.state.cart.cart_id
    again = drive.scan(code, Symbology.QR)
    assert said(again)[0] == (Reason.PICKUP_COLLECTED, Level.ERROR)
    assert reasons(again) == [AlertReason.SHOPPER_CALL]
    assert len(drive.core.store.outbox.pending(10, PICKUP_KIND)) == 1
    assert order_id in drive.core.store.settings.get("groupbuy.handed_out")


def test_codes_that_hand_nothing_out_call_staff(drive: Driver) -> None:
    _ready(drive, Ed25519PrivateKey.generate())
    stranger = Ed25519PrivateKey.generate()
    store_id = drive.core.setup.identity.store_id
    unknown = PickupPass(store_id, str(uuid.uuid4()), 1, drive.core.clock.now())
    forged = encode(unknown, stranger.sign(unknown.signed_bytes()))
    events = drive.scan(forged, Symbology.QR)
    assert said(events)[0] == (Reason.PICKUP_INVALID, Level.ERROR)
    assert reasons(events) == [AlertReason.SHOPPER_CALL]
    key = Ed25519PrivateKey.generate()
    _ready(drive, key)  # the store's key is now `key`
    not_ready = encode(unknown, key.sign(unknown.signed_bytes()))
    assert said(drive.scan(not_ready, Symbology.QR))[0] == (Reason.PICKUP_NOT_READY, Level.ERROR)
    assert drive.core.store.outbox.pending(10, PICKUP_KIND) == []
