"""Coupons: definitions (single item, brand, category, basket; percent or amount; window;
tier-only; per-member limit; stackable or not), the coupons a shopper holds (wallet
entries or printed codes), the checks that can refuse one, and printed-code signatures.

A refused coupon always says why, with a `CouponRefusal` the UI translates.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from kiosk.domain.basket import BASIS_POINTS, Basket, BasketLine, Scope
from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import CouponRejected, OfferError
from kiosk.domain.money import Money
from kiosk.domain.promotions import (
    LIST_SEPARATOR,
    NAME_COLUMNS,
    Application,
    amount_text,
    currency_from_csv,
    names_from_csv,
    names_to_csv,
    offer_kind,
    parse_amount,
    parse_bool,
    parse_count,
    parse_percent,
    parse_when,
    percent_text,
    scope_from_csv,
    scope_from_wire,
    scope_to_csv,
    scope_to_wire,
    split_list,
)

COUPON_RULE_PREFIX = "coupon:"
"""Discounts a coupon gave are named `coupon:<coupon_id>:<code>` (pricing, loyalty, refunds)."""

PRINTED_PREFIX = "CPN:1"  # `CPN:` is what `member_port.is_coupon_code` routes
_SIG_HEX = 16


class CouponKind(enum.StrEnum):
    ITEM = "item"
    BRAND = "brand"
    CATEGORY = "category"
    BASKET = "basket"


class CouponSource(enum.StrEnum):
    WALLET = "wallet"  # downloaded to a member's wallet (campaign, mini program)
    PRINTED = "printed"  # a printed, signed, single-use code


@dataclass(frozen=True, slots=True)
class CouponDefinition:
    coupon_id: str
    name: str
    kind: CouponKind
    currency: str
    scope: Scope = field(default_factory=Scope)
    percent_bp: int = 0
    amount: int = 0
    min_spend: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    tiers: frozenset[str] = frozenset()
    per_member_limit: int = 0
    stackable: bool = False
    member_only: bool = False
    offline_ok: bool = True
    campaign_id: str = ""
    names: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        cid = self.coupon_id
        if not cid or len(cid) > 64 or "." in cid:
            raise OfferError(
                "a coupon needs an id of 1 to 64 characters without dots", say="coupon_id"
            )
        if (self.amount > 0) == (self.percent_bp > 0):
            raise OfferError(f"coupon {cid}: give either an amount or a percent", say="either")
        if not 0 <= self.percent_bp <= BASIS_POINTS or self.amount < 0 or self.min_spend < 0:
            raise OfferError(f"coupon {cid}: amounts and percent out of range", say="ranges")
        if self.per_member_limit < 0:
            raise OfferError(
                f"coupon {cid}: per-member limit must not be negative", say="limit_below_zero"
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise OfferError(f"coupon {cid}: it ends before it starts", say="ends_first")
        wanted = {
            CouponKind.ITEM: bool(self.scope.gtins),
            CouponKind.BRAND: bool(self.scope.brands),
            CouponKind.CATEGORY: bool(self.scope.categories),
            CouponKind.BASKET: True,
        }
        if not wanted[self.kind]:
            raise OfferError(
                f"coupon {cid}: a {self.kind.value} coupon needs its {self.kind}s",
                say="coupon_scope",
                params={"kind": self.kind.value},
            )

    @property
    def needs_member(self) -> bool:
        return self.member_only or bool(self.tiers) or self.per_member_limit > 0


@dataclass(frozen=True, slots=True)
class CouponGrant:
    """One coupon the shopper can use: a wallet entry or a printed code. `code` is the
    single-use key the central service enforces."""

    code: str
    coupon_id: str
    source: CouponSource
    member_id: str | None = None


class CouponRefusal(enum.StrEnum):
    """Why a coupon does not apply. Its own enum: the words overlap with product refusals
    (`expired`) but the shopper is told something else."""

    UNKNOWN_COUPON = "unknown_coupon"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    MEMBER_ONLY = "member_only"
    OTHER_MEMBER = "other_member"
    TIER_ONLY = "tier_only"
    ALREADY_USED = "already_used"
    LIMIT_REACHED = "limit_reached"
    NOT_OFFLINE = "not_offline"
    NO_QUALIFYING_ITEMS = "no_qualifying_items"  # wrong brand, category or item
    BELOW_MINIMUM_SPEND = "below_minimum_spend"
    NOT_COMBINABLE = "not_combinable"  # another non-stackable coupon saves more
    WRONG_CURRENCY = "wrong_currency"


@dataclass(frozen=True, slots=True)
class CouponVerdict:
    """Accepted (with what it saved) or refused (with why) — shown next to the coupon."""

    code: str
    coupon_id: str
    accepted: bool
    reason: CouponRefusal | None = None
    message: str = ""
    saving: Money | None = None
    need_amount: Money | None = None


@dataclass(frozen=True, slots=True)
class CouponUsage:
    """What the kiosk knows about earlier use: codes already redeemed (locally or as the
    central service reported), and how often the member used each coupon definition."""

    used_codes: frozenset[str] = frozenset()
    member_uses: Mapping[str, int] = field(default_factory=dict, hash=False)


def refuse(grant: CouponGrant, reason: CouponRefusal, message: str, **extra: Any) -> CouponVerdict:
    return CouponVerdict(grant.code, grant.coupon_id, False, reason, message, **extra)


def precheck(
    definition: CouponDefinition | None,
    grant: CouponGrant,
    *,
    now: datetime,
    member_id: str | None,
    tier: str | None,
    usage: CouponUsage,
    online: bool,
) -> CouponVerdict | None:
    """The checks that do not depend on the cart; None when the coupon may be tried."""
    if definition is None:
        return refuse(grant, CouponRefusal.UNKNOWN_COUPON, "this coupon is not known here")
    if definition.starts_at is not None and now < definition.starts_at:
        return refuse(
            grant,
            CouponRefusal.NOT_YET_VALID,
            f"valid from {definition.starts_at.date().isoformat()}",
        )
    if definition.ends_at is not None and now >= definition.ends_at:
        return refuse(
            grant, CouponRefusal.EXPIRED, f"expired on {definition.ends_at.date().isoformat()}"
        )
    if grant.member_id is not None and member_id is not None and grant.member_id != member_id:
        return refuse(grant, CouponRefusal.OTHER_MEMBER, "this coupon belongs to another member")
    if (definition.needs_member or grant.source is CouponSource.WALLET) and member_id is None:
        return refuse(grant, CouponRefusal.MEMBER_ONLY, "scan your member code to use this coupon")
    if definition.tiers and (tier is None or tier not in definition.tiers):
        tiers = "/".join(sorted(definition.tiers))
        return refuse(grant, CouponRefusal.TIER_ONLY, f"only for {tiers} members")
    if grant.code in usage.used_codes:
        return refuse(grant, CouponRefusal.ALREADY_USED, "this coupon has already been used")
    limit = definition.per_member_limit
    if limit and usage.member_uses.get(definition.coupon_id, 0) >= limit:
        return refuse(grant, CouponRefusal.LIMIT_REACHED, f"limited to {limit} per member")
    if not online and not definition.offline_ok:
        return refuse(
            grant, CouponRefusal.NOT_OFFLINE, "this coupon needs a connection: try again later"
        )
    return None


def evaluate_coupon(
    definition: CouponDefinition, basket: Basket, lines: list[BasketLine], *, free_only: bool
) -> Application | CouponVerdict:
    """What the coupon saves on `lines` (its scope), or why it cannot apply."""
    if free_only:
        values = {line.index: line.value_of(line.free_units) for line in lines}
    else:
        values = {line.index: line.room for line in lines}
    values = {i: v for i, v in values.items() if v > 0}
    return coupon_outcome(definition, basket, sum(values.values()), tuple(sorted(values)))


def coupon_outcome(
    definition: CouponDefinition, basket: Basket, spend: int, indexes: tuple[int, ...]
) -> Application | CouponVerdict:
    """`evaluate_coupon` once the lines are counted: `spend` on the lines `indexes` (those
    with something left, in line order). Coupons with the same lines share the count.
    A refusal names no code: the caller puts it on its grant."""
    if not indexes:
        return _refused(
            definition,
            CouponRefusal.NO_QUALIFYING_ITEMS,
            f"nothing in the cart matches this coupon ({definition.scope.describe()})",
        )
    if spend < definition.min_spend:
        short = definition.min_spend - spend
        return _refused(
            definition,
            CouponRefusal.BELOW_MINIMUM_SPEND,
            f"spend {basket.money(short).format()} more on {definition.scope.describe()}",
            need_amount=basket.money(short),
        )
    if definition.percent_bp:
        saving = basket.percent(spend, definition.percent_bp)
    else:
        saving = min(definition.amount, spend)
    if saving <= 0:
        return _refused(
            definition, CouponRefusal.NO_QUALIFYING_ITEMS, "this coupon saves nothing on this cart"
        )
    return Application(saving, indexes)


def _refused(
    definition: CouponDefinition, reason: CouponRefusal, message: str, **extra: Any
) -> CouponVerdict:
    return CouponVerdict("", definition.coupon_id, False, reason, message, **extra)


# ------------------------------------------------------------------ printed codes
def _signature(key: bytes, coupon_id: str, serial: str) -> str:
    mac = hmac.new(key, f"coupon:v1:{coupon_id}:{serial}".encode(), hashlib.sha256)
    return mac.hexdigest()[:_SIG_HEX].upper()


def printed_code(key: bytes, coupon_id: str, serial: str) -> str:
    """A printed single-use code the kiosk checks offline: CPN:1.<coupon>.<serial>.<sig>."""
    if "." in serial or not serial:
        raise OfferError("a coupon serial must be non-empty and have no dots")
    return f"{PRINTED_PREFIX}.{coupon_id}.{serial}.{_signature(key, coupon_id, serial)}"


def looks_like_coupon(text: str) -> bool:
    return text.strip().startswith(PRINTED_PREFIX + ".")


def parse_printed_code(key: bytes, text: str) -> CouponGrant:
    """Check a scanned printed code's signature; raises `CouponRejected` if it is forged."""
    parts = text.strip().split(".")
    if len(parts) != 4 or parts[0] != PRINTED_PREFIX:
        raise CouponRejected("this is not a coupon code", reason=Reason.UNKNOWN_COUPON)
    _, coupon_id, serial, sig = parts
    if not hmac.compare_digest(sig.upper(), _signature(key, coupon_id, serial)):
        raise CouponRejected("this coupon code is not genuine", reason=Reason.BAD_SIGNATURE)
    return CouponGrant(text.strip(), coupon_id, CouponSource.PRINTED)


# ------------------------------------------------------------------ wire and CSV
def coupon_to_wire(definition: CouponDefinition) -> dict[str, Any]:
    d = definition
    return {
        "coupon_id": d.coupon_id,
        "name": d.name,
        "names": dict(d.names),
        "kind": d.kind.value,
        "currency": d.currency,
        "scope": scope_to_wire(d.scope),
        "percent_bp": d.percent_bp,
        "amount_minor": d.amount,
        "min_spend_minor": d.min_spend,
        "starts_at": d.starts_at.isoformat() if d.starts_at else None,
        "ends_at": d.ends_at.isoformat() if d.ends_at else None,
        "tiers": sorted(d.tiers),
        "per_member_limit": d.per_member_limit,
        "stackable": d.stackable,
        "member_only": d.member_only,
        "offline_ok": d.offline_ok,
        "campaign_id": d.campaign_id,
    }


def coupon_from_wire(data: Mapping[str, Any]) -> CouponDefinition:
    try:
        return CouponDefinition(
            coupon_id=str(data["coupon_id"]),
            name=str(data.get("name", "")) or str(data["coupon_id"]),
            names={str(k): str(v) for k, v in dict(data.get("names") or {}).items()},
            kind=offer_kind(CouponKind, data["kind"]),
            currency=str(data["currency"]),
            scope=scope_from_wire(data.get("scope")),
            percent_bp=int(data.get("percent_bp", 0)),
            amount=int(data.get("amount_minor", 0)),
            min_spend=int(data.get("min_spend_minor", 0)),
            starts_at=parse_when(data.get("starts_at")),
            ends_at=parse_when(data.get("ends_at")),
            tiers=frozenset(map(str, data.get("tiers", ()))),
            per_member_limit=int(data.get("per_member_limit", 0)),
            stackable=bool(data.get("stackable", False)),
            member_only=bool(data.get("member_only", False)),
            offline_ok=bool(data.get("offline_ok", True)),
            campaign_id=str(data.get("campaign_id") or ""),
        )
    except OfferError:
        raise
    except (AttributeError, KeyError, OverflowError, TypeError, ValueError) as exc:
        raise OfferError(f"coupon {data.get('coupon_id')!r}: {exc}") from exc


COUPON_CSV_COLUMNS = [
    "coupon_id",
    "name",
    *NAME_COLUMNS,
    "kind",
    "currency",
    "gtins",
    "brands",
    "categories",
    "exclude_gtins",
    "percent",
    "amount",
    "min_spend",
    "starts_at",
    "ends_at",
    "tiers",
    "per_member_limit",
    "stackable",
    "member_only",
    "offline_ok",
    "campaign_id",
]


def coupon_from_csv(row: Mapping[str, str], tz: tzinfo = UTC) -> CouponDefinition:
    cid = (row.get("coupon_id") or "").strip()
    try:
        currency = currency_from_csv(row.get("currency"))
        return CouponDefinition(
            coupon_id=cid,
            name=(row.get("name") or "").strip() or cid,
            names=names_from_csv(row),
            kind=offer_kind(CouponKind, (row.get("kind") or "").strip()),
            currency=currency,
            scope=scope_from_csv(row),
            percent_bp=parse_percent(row.get("percent"), "percent"),
            amount=parse_amount(row.get("amount"), currency, "amount"),
            min_spend=parse_amount(row.get("min_spend"), currency, "min_spend"),
            starts_at=parse_when(row.get("starts_at"), tz),
            ends_at=parse_when(row.get("ends_at"), tz, end=True),
            tiers=split_list(row.get("tiers")),
            per_member_limit=parse_count(row.get("per_member_limit"), "per_member_limit"),
            stackable=parse_bool(row.get("stackable"), "stackable"),
            member_only=parse_bool(row.get("member_only"), "member_only"),
            offline_ok=parse_bool(row.get("offline_ok"), "offline_ok", default=True),
            campaign_id=(row.get("campaign_id") or "").strip(),
        )
    except OfferError:
        raise
    except ValueError as exc:
        raise OfferError(f"coupon {cid!r}: {exc}") from exc


def coupon_to_csv(definition: CouponDefinition) -> dict[str, str]:
    """A coupon as a row of the coupons CSV: `coupon_from_csv` reads it back unchanged."""
    d = definition
    return {
        "coupon_id": d.coupon_id,
        "name": d.name,
        **names_to_csv(d.names),
        "kind": d.kind.value,
        "currency": d.currency,
        **scope_to_csv(d.scope),
        "percent": percent_text(d.percent_bp),
        "amount": amount_text(d.amount, d.currency),
        "min_spend": amount_text(d.min_spend, d.currency),
        "starts_at": d.starts_at.isoformat() if d.starts_at else "",
        "ends_at": d.ends_at.isoformat() if d.ends_at else "",
        "tiers": LIST_SEPARATOR.join(sorted(d.tiers)),
        "per_member_limit": str(d.per_member_limit or ""),
        "stackable": "1" if d.stackable else "0",
        "member_only": "1" if d.member_only else "0",
        "offline_ok": "1" if d.offline_ok else "0",
        "campaign_id": d.campaign_id,
    }
