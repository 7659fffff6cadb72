"""Loyalty reports: coupon claims vs redemptions, campaign sales, offline reconciliation
(coupons used twice, negative balances, points the service refused) and members per
tier; JSON rows or CSV."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from central.loyalty.members import canonical, tier_policy
from central.loyalty.offers import definitions
from central.loyalty.tables import coupon_uses, member_ledger, members, redemptions, wallet
from central.sales.tables import conflicts, sales

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "coupons": (
        "coupon_kind", "campaign_id", "claimed", "redeemed", "redeemed_from_wallet",
        "double_uses", "offline_redemptions", "discount_minor", "redemption_rate_bp",
    ),
    "campaigns": ("campaign_id", "name", "sales", "revenue_minor", "discount_minor", "members"),
    "tiers": ("tier", "rank", "members"),
    "reconciliation": (
        "issue", "member_id", "code", "coupon_id", "sale_id", "kiosk_id", "amount_minor",
        "first_sale_id", "first_kiosk_id", "points",
    ),
}  # fmt: skip
"""Each report's CSV columns, in order (the header row even when a report has no rows)."""


def coupon_report(conn: Connection) -> list[dict[str, Any]]:
    """Claims (wallet) vs redemptions, by coupon type and campaign."""
    coupons = {c["coupon_id"]: c for c in definitions(conn, "coupons")}
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def bucket(coupon_id: str, campaign: str | None) -> dict[str, Any]:
        coupon = coupons.get(coupon_id, {})
        kind = str(coupon.get("kind", "unknown"))
        camp = campaign if campaign else str(coupon.get("campaign_id", ""))
        return rows.setdefault(
            (kind, camp),
            {"coupon_kind": kind, "campaign_id": camp, "claimed": 0, "redeemed": 0,
             "redeemed_from_wallet": 0, "double_uses": 0, "offline_redemptions": 0,
             "discount_minor": 0},
        )  # fmt: skip

    for r in conn.execute(
        select(wallet.c.coupon_id, wallet.c.campaign_id, func.count()).group_by(
            wallet.c.coupon_id, wallet.c.campaign_id
        )
    ):
        bucket(r[0], r[1])["claimed"] += int(r[2])
    wallet_codes = {
        r.code: r.campaign_id for r in conn.execute(select(wallet.c.code, wallet.c.campaign_id))
    }
    for r in conn.execute(select(redemptions)):
        b = bucket(r.coupon_id, wallet_codes.get(r.code))
        if r.status == "accepted":
            b["redeemed"] += 1
            b["discount_minor"] += int(r.amount_minor)
            b["redeemed_from_wallet"] += 1 if r.code in wallet_codes else 0
            b["offline_redemptions"] += 1 if r.offline else 0
        else:
            b["double_uses"] += 1
    out = []
    for key in sorted(rows):
        b = rows[key]
        b["redemption_rate_bp"] = (
            b["redeemed_from_wallet"] * 10_000 // b["claimed"] if b["claimed"] else None
        )
        out.append(b)
    return out


def campaign_report(conn: Connection) -> list[dict[str, Any]]:
    """Sales that used a campaign's promotions or coupons: count, revenue, discounts."""
    campaign_of: dict[str, str] = {}
    for p in definitions(conn, "promotions"):
        if p.get("campaign_id"):
            campaign_of[str(p["promotion_id"])] = str(p["campaign_id"])
    coupon_campaign = {
        str(c["coupon_id"]): str(c["campaign_id"])
        for c in definitions(conn, "coupons")
        if c.get("campaign_id")
    }
    names = {str(c["campaign_id"]): str(c.get("name", "")) for c in definitions(conn, "campaigns")}
    totals: dict[str, dict[str, Any]] = {}
    for r in conn.execute(select(sales.c.document).where(sales.c.status == "paid")):
        doc = json.loads(r.document)
        if doc.get("training"):
            continue
        seen: dict[str, int] = {}
        for d in doc.get("discounts", []):
            rule = str(d.get("rule_id", ""))
            campaign = campaign_of.get(rule)
            if rule.startswith("coupon:"):
                campaign = coupon_campaign.get(rule.split(":", 2)[1])
            if campaign:
                seen[campaign] = seen.get(campaign, 0) + int(d.get("amount_minor", 0))
        for campaign, discount in seen.items():
            t = totals.setdefault(
                campaign,
                {"campaign_id": campaign, "name": names.get(campaign, ""), "sales": 0,
                 "revenue_minor": 0, "discount_minor": 0, "members": 0, "_members": set()},
            )  # fmt: skip
            t["sales"] += 1
            t["revenue_minor"] += int(doc.get("total_minor", 0))
            t["discount_minor"] += discount
            if doc.get("member_id"):
                t["_members"].add(doc["member_id"])
    out = []
    for campaign in sorted(totals):
        t = totals[campaign]
        t["members"] = len(t.pop("_members"))
        out.append(t)
    return out


def reconciliation_report(conn: Connection) -> list[dict[str, Any]]:
    """What offline acceptance let through: coupons used twice, negative balances."""
    rows: list[dict[str, Any]] = []
    first = {
        r.code: (r.sale_id, r.kiosk_id)
        for r in conn.execute(
            select(coupon_uses.c.code, redemptions.c.sale_id, redemptions.c.kiosk_id).join(
                redemptions, redemptions.c.redemption_id == coupon_uses.c.redemption_id
            )
        )
    }
    for r in conn.execute(
        select(redemptions)
        .where(redemptions.c.status == "double_use")
        .order_by(redemptions.c.redemption_id)
    ):
        sale, kiosk = first.get(r.code, ("", ""))
        rows.append({"issue": "coupon_used_twice", "member_id": r.member_id or "", "code": r.code,
                     "coupon_id": r.coupon_id, "sale_id": r.sale_id, "kiosk_id": r.kiosk_id,
                     "amount_minor": int(r.amount_minor), "first_sale_id": sale,
                     "first_kiosk_id": kiosk, "points": 0})  # fmt: skip
    balances: dict[str, int] = {}
    for r in conn.execute(
        select(member_ledger.c.member_id, func.sum(member_ledger.c.points)).group_by(
            member_ledger.c.member_id
        )
    ):
        mid = canonical(conn, str(r[0]))
        balances[mid] = balances.get(mid, 0) + int(r[1])
    for mid, points in sorted(balances.items()):
        if points < 0:
            rows.append({"issue": "negative_balance", "member_id": mid, "code": "", "coupon_id": "",
                         "sale_id": "", "kiosk_id": "", "amount_minor": 0, "first_sale_id": "",
                         "first_kiosk_id": "", "points": points})  # fmt: skip
    # Points a kiosk booked that the service refused (an offline spend over the balance,
    # points for a sale it does not hold, …): the shopper may have had them at the till.
    for r in conn.execute(
        select(conflicts.c.kiosk_id, conflicts.c.document)
        .where(conflicts.c.entity == "ledger", conflicts.c.reason != "body_differs")
        .order_by(conflicts.c.id)
    ):
        event = json.loads(r.document)
        rows.append({"issue": "points_refused", "member_id": str(event.get("member_id", "")),
                     "code": "", "coupon_id": "", "sale_id": str(event.get("sale_id") or ""),
                     "kiosk_id": r.kiosk_id, "amount_minor": 0, "first_sale_id": "",
                     "first_kiosk_id": "", "points": int(event.get("points", 0))})  # fmt: skip
    return rows


def tier_report(conn: Connection) -> list[dict[str, Any]]:
    policy = tier_policy(conn)
    counts = {
        r[0]: int(r[1])
        for r in conn.execute(select(members.c.tier, func.count()).group_by(members.c.tier))
    }
    rows = [
        {"tier": r.tier, "rank": r.rank, "members": counts.pop(r.tier, 0)}
        for r in sorted(policy.rules, key=lambda r: r.rank)
    ]
    rows += [{"tier": t, "rank": None, "members": n} for t, n in sorted(counts.items())]
    return rows
