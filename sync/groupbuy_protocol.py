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
    PUT  /v1/groupbuy/orders/{id}/review           Review       -> OrderView     (shopper)
    POST /v1/groupbuy/orders/{id}/problems         NewProblem   -> OrderView     (shopper)
    GET  /v1/groupbuy/problems?status=open&store=S              -> list[ProblemView] (operator)
    POST /v1/groupbuy/problems/{id}/resolve        Resolve      -> ProblemView   (operator)
    GET  /v1/groupbuy/problems/{id}/photo                       -> image/jpeg    (operator)

Webhook deliveries (`orders.ready`) carry `X-Groupbuy-Timestamp` (Unix seconds) and
`X-Groupbuy-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the store's
webhook secret (one such entry per secret, comma-separated, while one is rotated), and
`X-Groupbuy-Delivery` (the same on every attempt);
docs/group-buy.md says how a receiver checks them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Literal, get_args

from pydantic import Field

from sync.payment_protocol import PROVIDER_PATTERN, UUID_PATTERN
from sync.protocol import WireModel

HEADER_ORDER_TOKEN = "X-Order-Token"  # noqa: S105  # a header's name, not a secret
_GTIN = r"^[0-9]{8,14}$"
_TEXT = r"^[^\x00-\x1f\x7f]*$"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})$"

OrderStatus = Literal[
    "pending", "paid", "ready", "partly_collected", "collected", "cancelled", "expired",
    "unclaimed", "kept",
]  # fmt: skip
CampaignStatus = Literal["open", "cut_off", "closed"]
RefundKind = Literal["difference", "cancel", "unclaimed", "problem"]
ProblemReason = Literal["damaged", "missing", "wrong_item", "quality", "other"]
PROBLEM_REASONS: tuple[ProblemReason, ...] = get_args(ProblemReason)
ProblemStatus = Literal["open", "refunded", "rejected"]
HEADER_WEBHOOK_TIMESTAMP = "X-Groupbuy-Timestamp"
HEADER_WEBHOOK_SIGNATURE = "X-Groupbuy-Signature"
HEADER_WEBHOOK_DELIVERY = "X-Groupbuy-Delivery"
"""The delivery's id: the same on every attempt, so a receiver can drop repeats."""


_Wire = WireModel


class TierWire(_Wire):
    min_buyers: int = Field(ge=2, le=1_000_000)
    price_minor: int = Field(gt=0, le=10**10)


class NewItem(_Wire):
    gtin: str = Field(pattern=_GTIN)
    price_minor: int = Field(gt=0, le=10**10)
    tiers: list[TierWire] = Field(default_factory=list, max_length=8)
    per_person: int = Field(ge=1, le=999)
    stock: int = Field(ge=1, le=1_000_000)


AFTER_SALES_HOURS = 48
"""A new campaign's after-sales window: fresh goods' problems show within a day or two."""


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
    after_sales_hours: int = Field(default=AFTER_SALES_HOURS, ge=1, le=720)
    """How long after a product is collected a problem with it may be reported."""
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
    after_sales_hours: int | None = None
    """None: a campaign made before the limit existed takes problem reports any time."""
    share_url: str | None = None
    """The leader's link to post in the chat group (operator views only)."""
    leader_url: str | None = None
    """The leader's own page: their campaigns and commission (operator views only)."""
    ratings: int = 0
    rating_avg: float | None = None
    """The buyers' stars, 1 to 5, averaged to two decimals (None before the first)."""


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
    report_until: str | None = None
    """Until when a problem with what was collected may be reported: the product's last
    pickup and the campaign's `after_sales_hours` (None: nothing collected, or no limit)."""
    may_report: bool = False


class RefundView(_Wire):
    kind: RefundKind
    amount_minor: int
    status: Literal["pending", "processing", "refunded", "failed"]


class Review(_Wire):
    """Stars and an optional text, once something of the order was collected; sending
    again changes the order's one review."""

    stars: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=500, pattern=r"^[^\x00-\x09\x0b-\x1f\x7f]*$")


class ReviewView(_Wire):
    stars: int
    text: str
    at: str


class NewProblem(_Wire):
    """A buyer's after-sales report on collected units of one line. `problem_id` is made
    by the buyer's page: a re-sent report is the same problem."""

    problem_id: str = Field(pattern=UUID_PATTERN)
    gtin: str = Field(pattern=_GTIN)
    quantity: int = Field(ge=1, le=999)
    reason: ProblemReason
    note: str = Field(default="", max_length=500, pattern=r"^[^\x00-\x09\x0b-\x1f\x7f]*$")


class ProblemView(_Wire):
    problem_id: str
    order_id: str
    campaign_id: str
    store_id: str
    buyer: str
    gtin: str
    names: dict[str, str]
    quantity: int
    reason: ProblemReason
    note: str
    status: ProblemStatus
    currency: str
    refundable_minor: int
    """What a refund would give back: the units at the line's final price."""
    amount_minor: int | None
    """Refunded (status `refunded`)."""
    answer: str | None
    created_at: str
    resolved_at: str | None
    resolved_by: str | None
    photo: bool = False
    """The buyer attached a photo: `GET /v1/groupbuy/problems/{id}/photo` (operator)."""


class Resolve(_Wire):
    """The store's decision: refund the reported units, or reject with a reason."""

    action: Literal["refund", "reject"]
    answer: str = Field(default="", max_length=500, pattern=_TEXT)


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
    review: ReviewView | None = None
    problems: list[ProblemView] = Field(default_factory=list)


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
    sale_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    """The kiosk's sale in progress (its cart's id): what the shopper bought besides."""


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
    ratings: int = 0
    rating_avg: float | None = None
    problems: dict[str, int] = Field(default_factory=dict)
    """Problems reported, by reason."""
    problems_open: int = 0
    problems_refunded_minor: int = 0
    collectors_who_shopped: int = 0
    """Orders collected at a kiosk in a session that ended in a sale."""
    extra_sales: int = 0
    extra_spend_minor: int = 0
    """What those shoppers paid at the kiosk besides their order (the sales' totals)."""


WEBHOOK_TOLERANCE_S = 300
MAX_WEBHOOK_SIGNATURES = 8
"""More signatures than this in one header is not a rotation: refused."""
_MAX_SIGNATURE_HEADER = MAX_WEBHOOK_SIGNATURES * 80
"""A longer header is refused before it is split (an entry is 67 characters)."""
_MAX_STAMP_DIGITS = 12


def verify_webhook(
    secret: bytes,
    headers: Mapping[str, str],
    body: bytes,
    now_s: int,
    tolerance_s: int = WEBHOOK_TOLERANCE_S,
) -> bool:
    """What a receiver of group-buy webhooks does (docs/group-buy.md): one of the header's
    `v1=` signatures (one per secret the service holds for the store: two while a secret
    is rotated) is the HMAC-SHA256 of "<timestamp>.<body>" under the receiver's secret,
    compared in constant time, and the timestamp is recent (an old delivery replayed is
    refused). Entries of another version are passed over."""
    found = {k.lower(): v for k, v in headers.items()}
    stamp = found.get(HEADER_WEBHOOK_TIMESTAMP.lower(), "")
    header = found.get(HEADER_WEBHOOK_SIGNATURE.lower(), "")
    # ASCII digits of a sane length only: int() of thousands of digits raises, and
    # str.isdigit() also takes other scripts' digits.
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= _MAX_STAMP_DIGITS):
        return False
    if abs(now_s - int(stamp)) > tolerance_s or len(header) > _MAX_SIGNATURE_HEADER:
        return False
    given = header.split(",")
    if len(given) > MAX_WEBHOOK_SIGNATURES:
        return False
    mac = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    expected = f"v1={mac}".encode()
    # Every entry is compared, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(expected, entry.strip().encode()) for entry in given]
    return any(matches)
