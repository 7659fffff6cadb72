"""Wire models of community group-buy (issue #17), version 1: the leader's and the
store's calls (operator token), the shopper's (share signature or order token) and the
kiosk's (signed like every kiosk request). See docs/group-buy.md for the model.

    POST /v1/groupbuy/campaigns                    NewCampaign  -> CampaignView  (operator)
    GET  /v1/groupbuy/campaigns/{id}                            -> CampaignView  (operator)
    POST /v1/groupbuy/campaigns/{id}/cut-off                    -> CutOffResult  (operator)
    GET  /v1/groupbuy/campaigns/{id}/pick-list[.csv]            -> HTML | CSV    (operator)
    POST /v1/groupbuy/campaigns/{id}/ready         ReadyOrders  -> ReadyResult   (operator)
    POST /v1/groupbuy/campaigns/{id}/unclaimed                  -> UnclaimedResult (operator)
    GET  /v1/groupbuy/campaigns/{id}/report                     -> CampaignReport (operator)
    GET  /v1/groupbuy/campaigns/{id}/public?s=SHARE             -> CampaignView  (shopper)
    POST /v1/groupbuy/campaigns/{id}/orders?s=SHARE JoinCampaign -> OrderView    (shopper)
    GET  /v1/groupbuy/orders/{id}                  X-Order-Token -> OrderView    (shopper)
    POST /v1/groupbuy/orders/{id}/cancel           X-Order-Token -> OrderView    (shopper)
    GET  /v1/kiosk/pickup-key                                   -> PickupKey     (kiosk)
    GET  /v1/groupbuy/ready-orders                              -> list[OrderView] (kiosk)
    POST /v1/groupbuy/pickups                      Pickup       -> PickupResult  (kiosk)
    POST /v1/groupbuy/pickups/batch                PickupBatch  -> PickupBatchResult (relay)
    POST /v1/ops/groupbuy/pickups                  Pickup       -> PickupResult  (operator)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sync.payment_protocol import PROVIDER_PATTERN, UUID_PATTERN

HEADER_ORDER_TOKEN = "X-Order-Token"  # noqa: S105  # a header's name, not a secret
_GTIN = r"^[0-9]{8,14}$"
_TEXT = r"^[^\x00-\x1f\x7f]*$"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})$"

OrderStatus = Literal[
    "pending", "paid", "ready", "partly_collected", "collected", "cancelled", "expired",
    "unclaimed", "kept",
]  # fmt: skip
CampaignStatus = Literal["open", "cut_off", "closed"]
RefundKind = Literal["difference", "cancel", "unclaimed"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class TierWire(_Wire):
    min_buyers: int = Field(ge=2, le=1_000_000)
    price_minor: int = Field(gt=0, le=10**10)


class NewItem(_Wire):
    gtin: str = Field(pattern=_GTIN)
    price_minor: int = Field(gt=0, le=10**10)
    tiers: list[TierWire] = Field(default_factory=list, max_length=8)
    per_person: int = Field(ge=1, le=999)
    stock: int = Field(ge=1, le=1_000_000)


class NewCampaign(_Wire):
    """A group-buy as the leader or the store sets it up. Times are ISO 8601 with a zone."""

    campaign_id: str = Field(pattern=UUID_PATTERN)
    store_id: str = Field(min_length=1, max_length=64, pattern=_TEXT)
    leader: str = Field(min_length=1, max_length=128, pattern=_TEXT)
    title: str = Field(min_length=1, max_length=200, pattern=_TEXT)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    cutoff_at: str = Field(pattern=_ISO)
    pickup_from: str = Field(pattern=_ISO)
    pickup_until: str = Field(pattern=_ISO)
    commission_bp: int = Field(ge=0, le=5000)
    unclaimed_policy: Literal["refund", "keep"] = "refund"
    keep_days: int = Field(default=0, ge=0, le=30)
    webhook_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    items: list[NewItem] = Field(min_length=1, max_length=50)


class ItemView(_Wire):
    gtin: str
    names: dict[str, str]
    base_minor: int
    price_minor: int
    """The price in force now (the tier reached so far)."""
    level: int
    tiers: list[TierWire]
    next_tier: TierWire | None
    per_person: int
    stock: int
    left: int


class CampaignView(_Wire):
    campaign_id: str
    store_id: str
    leader: str
    title: str
    currency: str
    cutoff_at: str
    pickup_from: str
    pickup_until: str
    status: CampaignStatus
    buyers: int
    commission_bp: int
    unclaimed_policy: Literal["refund", "keep"]
    keep_days: int
    items: list[ItemView]
    share_url: str | None = None
    """The leader's link to post in the chat group (operator views only)."""


class JoinLine(_Wire):
    gtin: str = Field(pattern=_GTIN)
    quantity: int = Field(ge=1, le=999)


class JoinCampaign(_Wire):
    """`order_id` is made by the shopper's page: a re-sent join is the same order."""

    order_id: str = Field(pattern=UUID_PATTERN)
    buyer: str = Field(min_length=1, max_length=64, pattern=_TEXT)
    phone: str = Field(pattern=r"^\+?[0-9]{5,20}$")
    lines: list[JoinLine] = Field(min_length=1, max_length=50)
    provider: str | None = Field(default=None, pattern=PROVIDER_PATTERN)


class OrderLineView(_Wire):
    gtin: str
    names: dict[str, str]
    quantity: int
    unit_minor: int
    final_unit_minor: int | None
    collected: int


class RefundView(_Wire):
    kind: RefundKind
    amount_minor: int
    status: Literal["pending", "processing", "refunded", "failed"]


class OrderView(_Wire):
    order_id: str
    campaign_id: str
    store_id: str
    buyer: str
    status: OrderStatus
    currency: str
    paid_minor: int
    final_minor: int | None
    lines: list[OrderLineView]
    refunds: list[RefundView]
    payment_status: str
    pay_url: str | None = None
    """Where the shopper pays while the order is pending (the provider's QR payload)."""
    pickup_code: str | None = None
    token: str | None = None
    """The order's secret, given once, to the shopper who made it."""


class CutOffResult(_Wire):
    campaign_id: str
    buyers: int
    orders: int
    expired: int
    refunds: int
    refunded_minor: int
    unsent: int
    """Refunds recorded but not confirmed by the provider yet: run the cut-off again."""


class ReadyOrders(_Wire):
    """None: every order of the pick list."""

    order_ids: list[str] | None = Field(default=None, max_length=10_000)


class ReadyResult(_Wire):
    ready: int


class Pickup(_Wire):
    """Hand out an order, all of it (`lines` None) or these units per product."""

    pickup_id: str = Field(pattern=UUID_PATTERN)
    code: str = Field(min_length=4, max_length=512)
    lines: dict[str, int] | None = None


class PickupResult(_Wire):
    result: Literal["stored", "duplicate", "over"]
    order: OrderView
    detail: str | None = None


MAX_PICKUPS_PER_BATCH = 200


class PickupBatch(_Wire):
    """A kiosk's outbox rows of kind `groupbuy_pickup` (`kiosk.services.pickups`)."""

    pickups: list[Pickup] = Field(min_length=1, max_length=MAX_PICKUPS_PER_BATCH)


class PickupBatchItem(_Wire):
    """`conflict`: not handed out as reported (collected elsewhere first, not ready, …);
    the kiosk keeps it for staff with the detail."""

    pickup_id: str
    result: Literal["stored", "duplicate", "conflict"]
    detail: str | None = None


class PickupBatchResult(_Wire):
    results: list[PickupBatchItem]


class PickupKey(_Wire):
    store_id: str
    public_key: str


class UnclaimedResult(_Wire):
    refunded: int
    kept: int
    left: list[OrderView]


class RefundTotals(_Wire):
    count: int
    amount_minor: int


class CampaignReport(_Wire):
    campaign_id: str
    status: CampaignStatus
    currency: str
    buyers: int
    units: int
    revenue_minor: int
    levels: dict[str, int]
    """Per product: the tier reached (0 the group price)."""
    orders_by_status: dict[str, int]
    pickup_rate: float | None
    median_pickup_s: int | None
    refunds: dict[str, RefundTotals]
    double_pickups: int
    commission_bp: int
    commission_minor: int
