"""The analytics reports, each a list of flat rows (JSON, or CSV as they stand), each
filtered by store, kiosk and a period of local days.

Sales figures read the rollups (`central.analytics.tables`), so their cost follows the
number of kiosk-hours and product-days in the period, not the number of sales; the
other reports read tables that grow with members, coupons and alerts, far fewer than
sales. Figures are per currency where they are amounts; rates are basis points
(1/100 of a percent), rounded half up once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Table, case, func, select
from sqlalchemy.sql.elements import KeyedColumnElement

from central.analytics.service import BUCKET_ORDER
from central.analytics.tables import baskets_daily, products_daily, sales_hourly
from central.attendant.tables import attendant_alerts
from central.errors import Invalid
from central.feeds.tables import feed_items
from central.loyalty.members import tier_policy
from central.loyalty.offers import definitions
from central.loyalty.tables import (
    issue_counters,
    member_tier_moves,
    members,
    redemptions,
    wallet,
)
from central.sales.tables import refunds, sales
from kiosk.domain.catalog import Product, product_from_wire
from kiosk.domain.errors import KioskError
from kiosk.domain.money import divide
from kiosk.domain.promotions import YEARS, Promotion, in_years, promotion_from_wire

ReportName = Literal[
    "sales-by-hour",
    "sales-by-day",
    "baskets",
    "coupon-funnel",
    "promotion-effect",
    "tiers",
    "tier-moves",
    "kiosk-use",
]
Row = dict[str, Any]
BASIS_POINTS = 10_000


@dataclass(frozen=True)
class Filters:
    """Which sales a report covers; None is "all". Days are the stores' local days,
    `since` and `until` both included."""

    store_id: str | None = None
    kiosk_id: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        for day in (self.since, self.until):
            if day is not None and not in_years(day):
                # The calendar's ends leave no room for the day after a period's end, nor
                # for the days before a promotion: a 500, not a refusal, before.
                raise Invalid(
                    f"{day} is not between the years {YEARS[0]} and {YEARS[1]}",
                    reason="bad_period",
                )
        if self.since and self.until and self.since > self.until:
            raise Invalid(
                f"the period starts ({self.since}) after it ends ({self.until}): swap them",
                reason="bad_period",
            )

    def where(
        self,
        day: ColumnElement[Any],
        store: KeyedColumnElement[Any] | None = None,
        kiosk: KeyedColumnElement[Any] | None = None,
    ) -> list[ColumnElement[bool]]:
        """Conditions on a table's day (an ISO date string), store and kiosk columns."""
        found: list[ColumnElement[bool]] = []
        if self.store_id is not None and store is not None:
            found.append(store == self.store_id)
        if self.kiosk_id is not None and kiosk is not None:
            found.append(kiosk == self.kiosk_id)
        if self.since is not None:
            found.append(day >= self.since.isoformat())
        if self.until is not None:
            found.append(day <= self.until.isoformat())
        return found

    def on(self, rollup: Table) -> list[ColumnElement[bool]]:
        """`where` for a rollup table (`day`, `store_id`, and `kiosk_id` if it has one)."""
        return self.where(rollup.c.day, rollup.c.store_id, rollup.c.get("kiosk_id"))


def _day_of(iso_time: ColumnElement[Any]) -> ColumnElement[Any]:
    """The local day of an ISO 8601 time as the kiosk wrote it ("2026-12-01T09:15…")."""
    return func.substr(iso_time, 1, 10)


def _rate_bp(part: int, whole: int) -> int | None:
    return divide(part * BASIS_POINTS, whole) if whole else None


def _sums(table: Table, *names: str) -> list[Any]:
    return [func.sum(table.c[n]).label(n) for n in names]


def _ints(row: Any, *names: str) -> Row:
    # PostgreSQL's SUM of BIGINT is NUMERIC (a Decimal): the figures are whole numbers.
    return {n: int(getattr(row, n) or 0) for n in names}


# ---------------------------------------------------------------- sales


def sales_by_hour(conn: Connection, f: Filters) -> list[Row]:
    """Sales, items and revenue by local hour of the day (0-23), per currency."""
    t = sales_hourly
    rows = conn.execute(
        select(t.c.currency, t.c.hour, *_sums(t, "sales", "items", "revenue_minor"))
        .where(*f.on(t))
        .group_by(t.c.currency, t.c.hour)
        .order_by(t.c.currency, t.c.hour)
    )
    return [
        {"currency": r.currency, "hour": int(r.hour), **_ints(r, "sales", "items", "revenue_minor")}
        for r in rows
    ]


def sales_by_day(conn: Connection, f: Filters) -> list[Row]:
    """Sales, items and revenue by local day; refunds of those days' sales netted out."""
    t = sales_hourly
    rows = conn.execute(
        select(t.c.day, t.c.currency, *_sums(t, "sales", "items", "revenue_minor"))
        .where(*f.on(t))
        .group_by(t.c.day, t.c.currency)
        .order_by(t.c.day, t.c.currency)
    ).all()
    sale_day = _day_of(sales.c.created_at)
    refunded = {
        (r.day, r.currency): (int(r.n), int(r.amount or 0))
        for r in conn.execute(
            select(
                sale_day.label("day"),
                sales.c.currency,
                func.count().label("n"),
                func.sum(refunds.c.amount_minor).label("amount"),
            )
            .select_from(refunds.join(sales, refunds.c.sale_id == sales.c.sale_id))
            .where(
                refunds.c.status == "refunded",
                sales.c.status == "paid",
                sales.c.training.is_(False),
                *f.where(sale_day, sales.c.store_id, sales.c.kiosk_id),
            )
            .group_by(sale_day, sales.c.currency)
        )
    }
    out = []
    for r in rows:
        figures = _ints(r, "sales", "items", "revenue_minor")
        n, amount = refunded.get((r.day, r.currency), (0, 0))
        out.append(
            {"day": r.day, "currency": r.currency, **figures, "refunds": n, "refund_minor": amount,
             "net_minor": figures["revenue_minor"] - amount}
        )  # fmt: skip
    return out


def baskets(conn: Connection, f: Filters) -> list[Row]:
    """Sales by basket size (items), with their average value, per currency; then "all"."""
    t = baskets_daily
    found = {
        (r.currency, r.bucket): _ints(r, "sales", "items", "revenue_minor")
        for r in conn.execute(
            select(t.c.currency, t.c.bucket, *_sums(t, "sales", "items", "revenue_minor"))
            .where(*f.on(t))
            .group_by(t.c.currency, t.c.bucket)
        )
    }
    out = []
    for currency in sorted({c for c, _ in found}):
        everything = {"sales": 0, "items": 0, "revenue_minor": 0}
        for bucket in (*BUCKET_ORDER, "all"):
            figures = everything if bucket == "all" else found.get((currency, bucket))
            if figures is None:
                continue
            if bucket != "all":
                everything = {k: everything[k] + v for k, v in figures.items()}
            out.append(
                {"currency": currency, "bucket": bucket, **figures,
                 "average_items_x100": divide(figures["items"] * 100, figures["sales"]),
                 "average_value_minor": divide(figures["revenue_minor"], figures["sales"])}
            )  # fmt: skip
    return out


# ---------------------------------------------------------------- coupons


def _day_ms(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp() * 1000)


def coupon_funnel(conn: Connection, f: Filters) -> list[Row]:
    """Coupons by kind (and the currency of their discount): issued (serials handed out,
    printed or pushed to wallets; all time), claimed into wallets and redeemed (in the
    period), and the rates between.

    The store and kiosk filters apply to redemptions only: a wallet belongs to a
    member, not to a store. Wallet claims are dated in UTC days (the service's clock),
    redemptions in the kiosk's local day."""
    coupons = definitions(conn, "coupons")
    kind_of = {
        str(c["coupon_id"]): (str(c.get("kind", "unknown")), str(c.get("currency", "")))
        for c in coupons
    }
    kinds: dict[tuple[str, str], Row] = {}

    def bucket(coupon_id: str) -> Row:
        kind, currency = kind_of.get(coupon_id, ("unknown", ""))
        return kinds.setdefault(
            (kind, currency),
            {"kind": kind, "currency": currency, "issued": 0, "claimed": 0, "redeemed": 0,
             "redeemed_from_wallet": 0, "discount_minor": 0},
        )  # fmt: skip

    for r in conn.execute(select(issue_counters.c.coupon_id, issue_counters.c.value)):
        bucket(r.coupon_id)["issued"] += int(r.value)
    claimed_when = []
    if f.since is not None:
        claimed_when.append(wallet.c.issued_at >= _day_ms(f.since))
    if f.until is not None:
        claimed_when.append(wallet.c.issued_at < _day_ms(f.until + timedelta(days=1)))
    for r in conn.execute(
        select(wallet.c.coupon_id, func.count().label("n"))
        .where(*claimed_when)
        .group_by(wallet.c.coupon_id)
    ):
        bucket(r.coupon_id)["claimed"] += int(r.n)
    for r in conn.execute(
        select(
            redemptions.c.coupon_id,
            func.count().label("n"),
            func.count(wallet.c.code).label("from_wallet"),
            func.sum(redemptions.c.amount_minor).label("discount"),
        )
        .select_from(redemptions.outerjoin(wallet, wallet.c.code == redemptions.c.code))
        .where(
            redemptions.c.status == "accepted",
            *f.where(_day_of(redemptions.c.at), redemptions.c.store_id, redemptions.c.kiosk_id),
        )
        .group_by(redemptions.c.coupon_id)
    ):
        b = bucket(r.coupon_id)
        b["redeemed"] += int(r.n)
        b["redeemed_from_wallet"] += int(r.from_wallet)
        b["discount_minor"] += int(r.discount or 0)
    return [
        kinds[k]
        | {
            "claim_rate_bp": _rate_bp(kinds[k]["claimed"], kinds[k]["issued"]),
            "redemption_rate_bp": _rate_bp(kinds[k]["redeemed_from_wallet"], kinds[k]["claimed"]),
        }
        for k in sorted(kinds)
    ]


# ---------------------------------------------------------------- promotions


def _promoted_gtins(promo: Promotion, catalog: Callable[[], Iterable[Product]]) -> set[str] | None:
    """The GTINs a promotion covers (what it discounts and what it rewards); None: all."""
    scopes = [promo.scope, *([promo.reward_scope] if promo.reward_scope else [])]
    if any(s.everything for s in scopes):
        return None
    gtins: set[str] = set()
    for scope in scopes:
        gtins |= scope.gtins - scope.exclude_gtins
        if scope.brands or scope.categories:
            gtins |= {
                code
                for p in catalog()
                if scope.matches(p.gtin, p)
                for code in (p.gtin, *p.extra_gtins)
            }
    return gtins


def _catalog(conn: Connection) -> Callable[[], list[Product]]:
    """The catalog, read once and only if a promotion names brands or categories."""
    loaded: list[Product] = []

    def products() -> list[Product]:
        if not loaded:
            loaded.extend(
                product_from_wire(json.loads(r.data))
                for r in conn.execute(
                    select(feed_items.c.data).where(
                        feed_items.c.feed == "catalog", feed_items.c.deleted.is_(False)
                    )
                )
            )
        return loaded

    return products


def _last_day(promo: Promotion) -> date | None:
    # `ends_at` is the first moment it no longer applies.
    return (promo.ends_at - timedelta(microseconds=1)).date() if promo.ends_at else None


def promotion_effect(conn: Connection, f: Filters) -> list[Row]:
    """Units and revenue of each promotion's items while it ran against the same number of
    days just before it started, per currency. A promotion still running counts up to
    the period's end (or the latest day with sales); one without a start has no "before".
    Store filter only: the product rollup is per store (the kiosk filter does not apply)."""
    t = products_daily
    latest = conn.execute(select(func.max(t.c.day)).where(*f.on(t))).scalar()
    if latest is None:
        return []
    horizon = min(date.fromisoformat(latest), f.until or date.max)
    catalog = _catalog(conn)
    out: list[Row] = []
    for data in definitions(conn, "promotions"):
        try:
            promo = promotion_from_wire(data)
        except KioskError:
            # One stored offer an older service let through (a start in the year 1) must
            # not take the chain's reports down: the kiosks refuse it the same way.
            continue
        if promo.starts_at is None:
            continue
        first = promo.starts_at.date()
        last = min(_last_day(promo) or horizon, horizon)
        if last < first or (f.since and last < f.since):
            continue
        length = (last - first).days + 1
        before = first - timedelta(days=length)
        gtins = _promoted_gtins(promo, catalog)
        excluded = promo.scope.exclude_gtins
        when = case((t.c.day >= first.isoformat(), "during"), else_="before")
        scoped = Filters(f.store_id, None, before, last)
        conditions = scoped.on(t)
        if gtins is not None:
            conditions.append(t.c.gtin.in_(sorted(gtins)))
        elif excluded:
            conditions.append(t.c.gtin.not_in(sorted(excluded)))
        # (units, revenue) by currency and span; the promotion's own currency at least.
        figures: dict[str, dict[str, tuple[int, int]]] = {promo.currency: {}}
        for r in conn.execute(
            select(t.c.currency, when.label("span"), *_sums(t, "units", "revenue_minor"))
            .where(*conditions)
            .group_by(t.c.currency, when)
        ):
            figures.setdefault(r.currency, {})[r.span] = (int(r.units), int(r.revenue_minor))
        for currency in sorted(figures):
            units_before, revenue_before = figures[currency].get("before", (0, 0))
            units_during, revenue_during = figures[currency].get("during", (0, 0))
            out.append(
                {"promotion_id": promo.promotion_id, "name": promo.name, "currency": currency,
                 "first_day": first.isoformat(), "last_day": last.isoformat(), "days": length,
                 "units_before": units_before, "units_during": units_during,
                 "revenue_before_minor": revenue_before, "revenue_during_minor": revenue_during,
                 "units_change_bp": _rate_bp(units_during - units_before, units_before)}
            )  # fmt: skip
    return out


# ---------------------------------------------------------------- members and kiosks


def tiers(conn: Connection, f: Filters) -> list[Row]:
    """Members by tier, lowest first: those who signed up at the store or kiosk in the
    period (without filters: every member)."""
    ranks = {r.tier: r.rank for r in tier_policy(conn).rules}
    counts = {
        r.tier: int(r.n)
        for r in conn.execute(
            select(members.c.tier, func.count().label("n"))
            .where(*f.where(_day_of(members.c.created_at), members.c.store_id, members.c.kiosk_id))
            .group_by(members.c.tier)
        )
    }
    names = sorted(ranks.keys() | counts.keys(), key=lambda t: (ranks.get(t, len(ranks)), t))
    return [{"tier": t, "rank": ranks.get(t), "members": counts.get(t, 0)} for t in names]


def tier_moves(conn: Connection, f: Filters) -> list[Row]:
    """Members who moved from one tier to another in the period, per move (from → to),
    lowest tiers first; store and kiosk are where the member signed up. Moves are dated
    by the service's clock, in UTC days (like wallet claims); kept since #15."""
    ranks = {r.tier: r.rank for r in tier_policy(conn).rules}
    m = member_tier_moves
    when = []
    if f.since is not None:
        when.append(m.c.at_ms >= _day_ms(f.since))
    if f.until is not None:
        when.append(m.c.at_ms < _day_ms(f.until + timedelta(days=1)))
    if f.store_id is not None:
        when.append(m.c.store_id == f.store_id)
    if f.kiosk_id is not None:
        when.append(m.c.kiosk_id == f.kiosk_id)
    found = conn.execute(
        select(m.c.from_tier, m.c.to_tier, func.count().label("n"))
        .where(*when)
        .group_by(m.c.from_tier, m.c.to_tier)
    ).all()

    def rank(tier: str) -> tuple[int, str]:
        return ranks.get(tier, len(ranks)), tier

    return [
        {"from_tier": r.from_tier, "to_tier": r.to_tier, "members": int(r.n)}
        for r in sorted(found, key=lambda r: (rank(r.from_tier), rank(r.to_tier)))
    ]


def kiosk_use(conn: Connection, f: Filters) -> list[Row]:
    """Per kiosk (and currency, like every sales figure): sales, the hours it sold in,
    sales per such hour, the average time from first scan to paid (over the sales whose
    kiosk sent their first scan time: `timed_sales`), and alerts raised (all, and
    shoppers' calls for help) per 100 sales. An hourly rollup row is one kiosk-hour in
    one currency, so counting rows counts hours in one pass (a store prices in one
    currency; a kiosk that sold in two would show a row for each, with its alerts on
    both)."""
    t = sales_hourly
    group = (t.c.store_id, t.c.kiosk_id, t.c.currency)
    used = conn.execute(
        select(
            *group, *_sums(t, "sales", "timed_sales", "scan_to_pay_s"), func.count().label("hours")
        )
        .where(*f.on(t))
        .group_by(*group)
        .order_by(*group)
    ).all()
    a = attendant_alerts
    alerts = {
        (r.store_id, r.kiosk_id): (int(r.n), int(r.calls or 0))
        for r in conn.execute(
            select(
                a.c.store_id,
                a.c.kiosk_id,
                func.count().label("n"),
                func.sum(case((a.c.reason == "shopper_call", 1), else_=0)).label("calls"),
            )
            .where(*f.where(_day_of(a.c.raised_at), a.c.store_id, a.c.kiosk_id))
            .group_by(a.c.store_id, a.c.kiosk_id)
        )
    }
    out = []
    for r in used:
        n_sales, n_hours = int(r.sales), int(r.hours)
        timed, seconds = int(r.timed_sales or 0), int(r.scan_to_pay_s or 0)
        n_alerts, calls = alerts.get((r.store_id, r.kiosk_id), (0, 0))
        out.append(
            {"store_id": r.store_id, "kiosk_id": r.kiosk_id, "currency": r.currency,
             "sales": n_sales,
             "hours_used": n_hours, "sales_per_hour_x100": divide(n_sales * 100, n_hours),
             "timed_sales": timed,
             "average_scan_to_pay_s": divide(seconds, timed) if timed else None,
             "alerts": n_alerts, "help_calls": calls,
             "alerts_per_100_sales_x100": divide(n_alerts * 10_000, n_sales) if n_sales else None,
             "help_calls_per_100_sales_x100": divide(calls * 10_000, n_sales) if n_sales else None}
        )  # fmt: skip
    return out


COLUMNS: Mapping[str, tuple[str, ...]] = {
    "sales-by-hour": ("currency", "hour", "sales", "items", "revenue_minor"),
    "sales-by-day": (
        "day", "currency", "sales", "items", "revenue_minor", "refunds", "refund_minor",
        "net_minor",
    ),
    "baskets": (
        "currency", "bucket", "sales", "items", "revenue_minor", "average_items_x100",
        "average_value_minor",
    ),
    "coupon-funnel": (
        "kind", "currency", "issued", "claimed", "redeemed", "redeemed_from_wallet",
        "discount_minor", "claim_rate_bp", "redemption_rate_bp",
    ),
    "promotion-effect": (
        "promotion_id", "name", "currency", "first_day", "last_day", "days", "units_before",
        "units_during", "revenue_before_minor", "revenue_during_minor", "units_change_bp",
    ),
    "tiers": ("tier", "rank", "members"),
    "tier-moves": ("from_tier", "to_tier", "members"),
    "kiosk-use": (
        "store_id", "kiosk_id", "currency", "sales", "hours_used", "sales_per_hour_x100",
        "timed_sales", "average_scan_to_pay_s", "alerts", "help_calls",
        "alerts_per_100_sales_x100", "help_calls_per_100_sales_x100",
    ),
}  # fmt: skip
"""Each report's CSV columns, in order (the header row even when a report has no rows)."""

REPORTS: Mapping[str, Callable[[Connection, Filters], list[Row]]] = {
    "sales-by-hour": sales_by_hour,
    "sales-by-day": sales_by_day,
    "baskets": baskets,
    "coupon-funnel": coupon_funnel,
    "promotion-effect": promotion_effect,
    "tiers": tiers,
    "tier-moves": tier_moves,
    "kiosk-use": kiosk_use,
}
