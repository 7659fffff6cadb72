"""Wire models of the loyalty API (`/v1/loyalty/...`), shared by the kiosk (`sync.loyalty`)
and the central service (`central.loyalty`), like `sync.protocol`: pydantic and the
standard library only.

Definitions (promotions, coupons, tiers) travel as the kiosk core's own JSON forms
(`kiosk.domain.promotions.promotion_to_wire`, `kiosk.domain.coupons.coupon_to_wire`,
`kiosk.domain.members.TierPolicy.to_wire`) inside ordinary `FeedPage`s; campaigns as
`{campaign_id, name, starts_at, ends_at, season}`. See docs/loyalty.md.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sync.protocol import API_PREFIX, WireModel

PREFIX = "/loyalty"
LOYALTY_PREFIX = API_PREFIX + PREFIX
LOYALTY_FEEDS = ("promotions", "coupons", "campaigns", "tiers")
ERASURES_FEED = "erasures"
"""The ids of members erased on request, for the kiosks that may have cached them: each
item's key is a member id, its data `{"member_id": ...}`; never deleted."""
MAX_REDEMPTIONS_PER_BATCH = 1000
REDEMPTION_KIND = "coupon_redemption"  # the kiosk's outbox kind


_Model = WireModel


class DefinitionsUpsert(_Model):
    items: list[dict[str, Any]] = Field(default_factory=list, max_length=5000)
    delete: list[str] = Field(default_factory=list, max_length=5000)


class DefinitionsResult(_Model):
    changed: int


class ImportResult(_Model):
    imported: int
    changed: int


class WalletCoupon(_Model):
    code: str
    coupon_id: str
    state: str
    campaign_id: str = ""


class LoyaltyMember(_Model):
    member_id: str
    member_code: str
    phone_hash: str
    tier: str
    points: int
    wallet: list[WalletCoupon]
    coupon_uses: dict[str, int]
    merged_ids: list[str] = Field(default_factory=list)


class RedemptionIn(_Model):
    redemption_id: str = Field(pattern=r"^[0-9a-fA-F-]{36}$")
    code: str = Field(min_length=1, max_length=128)
    coupon_id: str = Field(min_length=1, max_length=64)
    member_id: str | None = Field(default=None, max_length=36)
    sale_id: str = Field(min_length=1, max_length=36)
    store_id: str = Field(min_length=1, max_length=64)
    at: str = Field(max_length=64)
    amount_minor: int = Field(ge=0, le=10**12)
    currency: str = Field(min_length=3, max_length=3)
    source: str = Field(max_length=16)
    offline: bool = False


class RedemptionBatch(_Model):
    redemptions: list[RedemptionIn] = Field(min_length=1, max_length=MAX_REDEMPTIONS_PER_BATCH)


class RedemptionResult(_Model):
    redemption_id: str
    result: str  # stored | duplicate | conflict
    detail: str = ""


class RedemptionBatchResult(_Model):
    results: list[RedemptionResult]


class IssueRequest(_Model):
    coupon_id: str
    member_ids: list[str] = Field(default_factory=list, max_length=100_000)
    tier: str | None = None
    campaign_id: str = ""
    channel: str = Field(default="campaign", max_length=32)


class IssueResult(_Model):
    issued: int
    codes: list[str]


class PrintRequest(_Model):
    coupon_id: str
    count: int = Field(ge=1, le=10_000)


class LedgerLine(_Model):
    event_id: str
    member_id: str
    kind: str
    points: int
    sale_id: str | None
    at: str


class Adjustment(_Model):
    points: int = Field(ge=-(10**9), le=10**9)
    reason: str = Field(min_length=1, max_length=200)


class ExpireRequest(_Model):
    earned_before: str = Field(min_length=10, max_length=64)


class MemberLedger(_Model):
    member_id: str
    balance: int
    events: list[LedgerLine]
