"""A ready group-buy order in a kiosk's settings, as `sync.worker.pull_pickups` leaves it,
and its signed pickup code: for the session, UI and legibility tests, without the service
(the end-to-end test uses the real one)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.domain.pickup_code import PickupPass, encode
from kiosk.services.pickups import PICKUP_KEY_KEY, READY_ORDERS_KEY
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore
from sync.groupbuy_protocol import OrderLineView, OrderView

WATER = "06935412001014"
JUICE = "06935412001038"
LINES = (
    (WATER, "Nongfu Spring 550ml", "农夫山泉 550ml", "농부산취안 550ml"),
    (JUICE, "Nongfu Spring NFC Orange Juice 300ml", "农夫山泉 NFC橙汁 300ml",
     "농부산취안 NFC 오렌지주스 300ml"),
)  # fmt: skip


def ready_order(
    store: KioskStore,
    key: Ed25519PrivateKey,
    now: datetime,
    quantities: Sequence[int] = (3, 1),
    *,
    code_store: str | None = None,
    valid_for: timedelta = timedelta(days=1),
    buyer: str = "李**",
    lines: Sequence[tuple[str, str, str, str]] = LINES,
) -> tuple[str, str]:
    """(pickup code, order id) of a ready order of the kiosk's store, the store's key set to
    `key`; the order has `quantities` of `lines` (gtin, English, Chinese and Korean name). The code
    names `code_store` (another store's code) when given."""
    store_id = load_setup(store).identity.store_id
    order_id = str(uuid.uuid4())
    views = [
        OrderLineView(gtin=gtin, names={"en": en, "zh_CN": zh, "ko": ko}, quantity=n,
                      unit_minor=3290, final_unit_minor=3290, collected=0)
        for (gtin, en, zh, ko), n in zip(lines, quantities, strict=True)
    ]  # fmt: skip
    order = OrderView(
        order_id=order_id, campaign_id=str(uuid.uuid4()), store_id=store_id, buyer=buyer,
        status="ready", currency="CNY", paid_minor=0, final_minor=0, lines=views,
        refunds=[], payment_status="paid",
    )  # fmt: skip
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    store.settings.set(PICKUP_KEY_KEY, {"store_id": store_id, "public_key": public})
    ready = store.settings.get(READY_ORDERS_KEY, [])
    store.settings.set(READY_ORDERS_KEY, [*ready, order.model_dump()])
    pickup = PickupPass(code_store or store_id, order_id, sum(quantities), now + valid_for)
    return encode(pickup, key.sign(pickup.signed_bytes())), order_id
