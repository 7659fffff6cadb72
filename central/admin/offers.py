"""Promotions, coupons and seasonal campaigns in the console: list, create, edit, schedule
and end them, each change audited with its before and after.

A form is a row of the kiosk's own CSV format (docs/loyalty.md), read by the same parsers
an import uses (`central.loyalty.offers.CSV_PARSERS`: `kiosk.domain.promotions`,
`.coupons`), then stored through the loyalty feeds' validators: what the console accepts,
every kiosk can read, and a value an import would refuse ("2,50", "yes please") is
refused here with the same words.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from central.admin.service import Actor, record
from central.errors import Invalid, NotFound
from central.feeds import service as feeds
from central.loyalty import offers as loyalty
from central.loyalty.members import tier_policy
from kiosk.domain.catalog import Product, product_from_wire
from kiosk.domain.codes import Gtin, normalize_gtin
from kiosk.domain.coupons import COUPON_CSV_COLUMNS, coupon_from_wire, coupon_to_csv
from kiosk.domain.errors import CodeError, KioskError
from kiosk.domain.money import CURRENCY_EXPONENT
from kiosk.domain.policy import StorePolicy
from kiosk.domain.price_query import Offers, price_query
from kiosk.domain.promotions import (
    PROMOTION_CSV_COLUMNS,
    parse_when,
    promotion_from_wire,
    promotion_to_csv,
)
from kiosk.domain.tax import TaxClass, TaxMode

UTC_OFFSET = "utc_offset"
"""The form's store-local offset for typed dates (`2026-12-24`), as an import reads it."""
DEFAULT_OFFSET = "+08:00"
NEW_FORM = {UTC_OFFSET: DEFAULT_OFFSET, "currency": "CNY", "priority": "100"}
"""A new offer's form: the CSV's defaults, shown."""


class Feed(enum.StrEnum):
    PROMOTIONS = "promotions"
    COUPONS = "coupons"

    @property
    def key(self) -> str:
        return "promotion_id" if self is Feed.PROMOTIONS else "coupon_id"

    @property
    def columns(self) -> list[str]:
        columns = PROMOTION_CSV_COLUMNS if self is Feed.PROMOTIONS else COUPON_CSV_COLUMNS
        return [*columns, UTC_OFFSET]

    @property
    def noun(self) -> str:
        return "promotion" if self is Feed.PROMOTIONS else "coupon"


_TO_ROW: dict[Feed, Callable[[Mapping[str, Any]], dict[str, str]]] = {
    Feed.PROMOTIONS: lambda data: promotion_to_csv(promotion_from_wire(data)),
    Feed.COUPONS: lambda data: coupon_to_csv(coupon_from_wire(data)),
}

CAMPAIGN_FIELDS = ("campaign_id", "name", "season", "starts_at", "ends_at", UTC_OFFSET)


class State(enum.StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class OfferRow:
    key: str
    name: str
    kind: str
    campaign_id: str
    starts_at: str | None
    ends_at: str | None
    state: State


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def state_of(data: Mapping[str, Any], now_ms: int) -> State:
    now = _moment(now_ms)
    starts, ends = parse_when(data.get("starts_at")), parse_when(data.get("ends_at"))
    if ends is not None and ends <= now:
        return State.ENDED
    if starts is not None and starts > now:
        return State.SCHEDULED
    return State.RUNNING


def offer_rows(conn: Connection, feed: Feed, now_ms: int) -> list[OfferRow]:
    return [
        OfferRow(
            d[feed.key],
            d.get("name", ""),
            d["kind"],
            d.get("campaign_id", ""),
            d.get("starts_at"),
            d.get("ends_at"),
            state_of(d, now_ms),
        )
        for d in loyalty.definitions(conn, feed.value)
    ]


def offer(conn: Connection, feed: Feed, key: str) -> dict[str, Any]:
    """The stored (wire) form of one promotion or coupon; NotFound if there is none."""
    return loyalty.definition(conn, feed.value, key)


def offer_form(feed: Feed, data: Mapping[str, Any]) -> dict[str, str]:
    """A stored offer as the form shows it: its CSV row (times with their offset).

    One stored in a currency the kiosks do not know (before it was checked, 2026-12) never
    applied, and in what unit its amounts were meant is not known: they are left blank, for
    the operator to type again with the currency (`stored_currency` says so).
    """
    currency = str(data.get("currency", ""))
    if currency in CURRENCY_EXPONENT:
        return {**_TO_ROW[feed](data), UTC_OFFSET: DEFAULT_OFFSET}
    # Laid out in a known currency only to be written as a row; the amounts go.
    row = _TO_ROW[feed]({**data, "currency": "CNY"})
    blank = dict.fromkeys((c for c in _AMOUNT_COLUMNS if c in row), "")
    return {**row, **blank, "currency": currency, UTC_OFFSET: DEFAULT_OFFSET}


_AMOUNT_COLUMNS = ("amount", "threshold", "min_spend")


def stored_currency(feed: Feed, data: Mapping[str, Any]) -> Invalid | None:
    """Why a stored offer's form shows no amounts, if it does not (`offer_form`)."""
    currency = str(data.get("currency", ""))
    if currency in CURRENCY_EXPONENT:
        return None
    amounts = ", ".join(
        f"{name}={data[name]}"
        for name in ("amount_minor", "threshold_minor", "min_spend_minor")
        if data.get(name)
    )
    return Invalid(
        f"this {feed.noun}'s currency {currency!r} is not one the kiosks know, so it has never "
        f"applied: type its currency and amounts again (stored: {amounts or 'none'})",
        reason="bad_offer",
        say="stored_currency",
        params={"value": currency, "stored": amounts or "—"},
    )


def _parsed(feed: Feed, row: Mapping[str, str]) -> dict[str, Any]:
    fields = {c: str(row.get(c, "")).strip() for c in feed.columns}
    try:
        return loyalty.CSV_PARSERS[feed.value](fields)
    except (KioskError, ValueError) as exc:
        raise Invalid.of(exc, "bad_offer") from None


def save_offer(
    conn: Connection,
    actor: Actor,
    feed: Feed,
    row: Mapping[str, str],
    now_ms: int,
    *,
    key: str | None = None,
) -> str:
    """Create (`key` None) or change a promotion or coupon from its form; kiosks get it
    with their next offers pull. Returns its id."""
    if key is not None:
        row = {**row, feed.key: key}  # an edit keeps its id: the kiosks key it by id
    data = _parsed(feed, row)
    made = str(data[feed.key])
    before = _before(conn, feed.value, feed.noun, made, key)
    if data.get("campaign_id") != (before or {}).get("campaign_id"):
        _check_campaign(conn, data.get("campaign_id") or "")
    loyalty.write_definitions(conn, feed.value, [data], [])
    after = offer(conn, feed, made)
    action = "create" if before is None else "update"
    record(conn, actor, f"{feed.noun}.{action}", made, before, after, now_ms)
    return made


def _before(
    conn: Connection, feed: str, noun: str, made: str, key: str | None
) -> dict[str, Any] | None:
    """What an edit changes (None for a new one): a new one may not take a used id, and
    an edit needs something to edit."""
    try:
        before = loyalty.definition(conn, feed, made) if made else None
    except NotFound:
        before = None
    if key is None and before is not None:
        raise Invalid(f"the {noun} id {made!r} is taken", reason="offer_taken")
    if key is not None and before is None:
        raise NotFound(f"no {noun} {key!r}", reason="not_found")
    return before


def _check_campaign(conn: Connection, campaign_id: str) -> None:
    # The kiosks do not need the campaign; the reports group by it, so a typo would
    # quietly start a campaign of its own.
    if campaign_id and campaign_id not in {c["campaign_id"] for c in campaigns(conn)}:
        raise Invalid(
            f"there is no campaign {campaign_id!r}: create it on the Campaigns page first",
            reason="no_campaign",
        )


def end_offer(conn: Connection, actor: Actor, feed: Feed, key: str, now_ms: int) -> State:
    """End a running promotion or coupon now, or withdraw one that has not started (an
    end before its start would be refused, and it never ran). Returns what it was."""
    before = offer(conn, feed, key)
    state = state_of(before, now_ms)
    if state is State.ENDED:
        raise Invalid(f"{feed.noun} {key!r} has already ended", reason="ended")
    if state is State.SCHEDULED:
        loyalty.write_definitions(conn, feed.value, [], [key])
        record(conn, actor, f"{feed.noun}.withdraw", key, before, None, now_ms)
        return state
    ended = {**before, "ends_at": _moment(now_ms).isoformat()}
    loyalty.write_definitions(conn, feed.value, [ended], [])
    record(conn, actor, f"{feed.noun}.end", key, before, offer(conn, feed, key), now_ms)
    return state


# ------------------------------------------------------------------ campaigns
def campaigns(conn: Connection) -> list[dict[str, Any]]:
    return loyalty.definitions(conn, "campaigns")


def campaign(conn: Connection, campaign_id: str) -> dict[str, Any]:
    return loyalty.definition(conn, "campaigns", campaign_id)


def campaign_form(data: Mapping[str, Any]) -> dict[str, str]:
    """A stored campaign's fields (its times carry their offset; typed dates get the one
    shown)."""
    return {f: str(data.get(f) or "") for f in CAMPAIGN_FIELDS} | {UTC_OFFSET: DEFAULT_OFFSET}


NEW_CAMPAIGN = {UTC_OFFSET: DEFAULT_OFFSET}
"""A new campaign's form: typed dates are the store's local days, as an offer's are."""


def save_campaign(
    conn: Connection,
    actor: Actor,
    row: Mapping[str, str],
    now_ms: int,
    *,
    key: str | None = None,
) -> str:
    """A seasonal campaign: a named period that promotions and coupons name by
    `campaign_id` (the campaigns feed's own check, `central.loyalty.offers`)."""
    fields = {f: str(row.get(f, "")).strip() for f in CAMPAIGN_FIELDS}
    if key is not None:
        fields["campaign_id"] = key
    made = fields["campaign_id"]
    before = _before(conn, "campaigns", "campaign", made, key)
    try:
        typed = loyalty.campaign_from_row(fields)
    except KioskError as exc:
        raise Invalid.of(exc, "bad_offer", f"campaign {made}: {exc}") from None
    _, checked = loyalty.VALIDATORS["campaigns"](typed)
    starts, ends = parse_when(checked["starts_at"]), parse_when(checked["ends_at"])
    if starts is not None and ends is not None and ends <= starts:
        raise Invalid(
            f"campaign {made}: it ends before it starts", reason="bad_offer", say="ends_first"
        )
    loyalty.write_definitions(conn, "campaigns", [checked], [])
    after = campaign(conn, made)
    action = "create" if before is None else "update"
    record(conn, actor, f"campaign.{action}", made, before, after, now_ms)
    return made


def campaign_offers(conn: Connection, campaign_id: str, now_ms: int) -> dict[Feed, list[OfferRow]]:
    """The promotions and coupons that name the campaign."""
    return {
        feed: [r for r in offer_rows(conn, feed, now_ms) if r.campaign_id == campaign_id]
        for feed in Feed
    }


# ------------------------------------------------------------------ pricing preview
PREVIEW_LINES = 5
PREVIEW_MAX_QUANTITY = 99
"""The preview form's most of one line (its field's `max`)."""


@dataclass(frozen=True, slots=True)
class Basket:
    """A sample basket as the preview form gives it: (GTIN, quantity) lines, a member
    tier, a coupon, and the moment to price at (blank: now)."""

    items: tuple[tuple[str, int], ...]
    tier: str = ""
    coupon_id: str = ""
    at: str = ""


def tier_names(conn: Connection) -> list[str]:
    """The chain's member tiers, lowest first (the `tiers` feed, else the default)."""
    return [rule.tier for rule in sorted(tier_policy(conn).rules, key=lambda r: r.rank)]


def offer_names(conn: Connection, rule_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """The names by language of the offers behind discount rules (a promotion's rule is
    its id, a coupon's `coupon:<id>:<code>`), for those still stored: a sale and the
    preview carry the offer's base name, and a page in Chinese or Korean reads better with
    the offer's own name in that language."""
    found: dict[str, dict[str, str]] = {}
    for rule in set(rule_ids):
        parts = rule.split(":")
        feed, key = (
            ("coupons", parts[1])
            if parts[0] == "coupon" and len(parts) > 2
            else ("promotions", rule)
        )
        try:
            data = loyalty.definition(conn, feed, key)
        except NotFound:
            continue  # withdrawn since: the sale's own words stand
        found[rule] = {k: str(v) for k, v in (data.get("names") or {}).items() if v}
    return found


def preview(conn: Connection, basket: Basket, now_ms: int, language: str) -> dict[str, Any]:
    """Price `basket` with the kiosks' own code (`kiosk.domain.price_query`, which the
    checkout's pricing is) against the catalog and the offers as stored now.

    The central service keeps no store's tax rates, so every tax class prices at 0 %
    with prices including tax: the discounts and the total are the kiosk's wherever
    prices include tax (taxes on top would be added to this total).
    """
    if not basket.items:
        raise Invalid("pick at least one item", reason="empty_basket")
    if basket.tier and basket.tier not in tier_names(conn):
        # Priced as a member of a tier that does not exist, it earned points all the same.
        raise Invalid(f"tier: there is no member tier {basket.tier!r}", reason="bad_tier")
    products: dict[Gtin, Product] = {}
    for text, _ in basket.items:
        try:
            gtin = normalize_gtin(text)
        except CodeError:
            continue  # refused by the query, with the checkout's words
        data = feeds.item(conn, "catalog", gtin)
        if data is not None:
            products[gtin] = product_from_wire(data)
    currency = next((p.price.currency for p in products.values()), "CNY")
    policy = StorePolicy(
        store_id="preview",
        currency=currency,
        tax_classes={p.tax_class: TaxClass(p.tax_class, 0) for p in products.values()},
        tax_mode=TaxMode.INCLUSIVE,
    )
    offers = Offers(
        products,
        tuple(promotion_from_wire(d) for d in loyalty.definitions(conn, "promotions")),
        tuple(coupon_from_wire(d) for d in loyalty.definitions(conn, "coupons")),
        policy,
        tier_policy(conn),
    )
    request: dict[str, Any] = {
        "items": [{"code": code, "quantity": quantity} for code, quantity in basket.items],
        "coupons": [basket.coupon_id] if basket.coupon_id else [],
        "language": language,
    }
    if basket.tier:
        request["member"] = {"tier": basket.tier}
    if basket.at:
        request["at"] = basket.at
    try:
        return price_query(request, offers, _moment(now_ms))
    except KioskError as exc:
        raise Invalid.of(exc, "bad_basket") from None
