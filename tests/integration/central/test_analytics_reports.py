"""The analytics reports on a real central service (SQLite and PostgreSQL): sales pushed by
enrolled kiosks over HTTP, read back at `/v1/ops/reports/analytics/<name>` with the
operator's token, filtered by store, kiosk and period, as JSON and CSV."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, update

from central.analytics.reports import COLUMNS, REPORTS
from central.analytics.service import rebuild
from central.attendant.tables import attendant_alerts
from central.feeds import service as feeds
from central.loyalty.tables import member_tier_moves, members, wallet
from central.sales.tables import refunds, sales
from sync.client import Credential
from sync.protocol import decode_secret
from tests.integration.central.test_analytics_rollups import CHIPS, WATER, basket
from tests.integration.central.test_central_feeds_members import signup
from tests.integration.central.test_central_sales import push
from tests.integration.central.test_loyalty_central import Kiosk
from tests.integration.conftest import CentralHarness

PATH = "/v1/ops/reports/analytics/"


def report(central: CentralHarness, name: str, **query: str) -> list[dict[str, Any]]:
    """The report's rows as JSON, each checked to have the report's declared columns, which
    its CSV's header row is."""
    answer = central.op("GET", PATH + name, params=query)
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()
    assert all(list(row) == list(COLUMNS[name]) for row in rows), rows
    csv = central.op("GET", PATH + name, params=query | {"format": "csv"}).text.splitlines()
    assert csv[0] == ",".join(COLUMNS[name])
    assert len(csv) == 1 + len(rows)
    return rows


# "tiers" lists every tier of the policy, with no members too.
@pytest.mark.parametrize("name", [name for name in REPORTS if name != "tiers"])
def test_a_report_with_no_rows_is_its_header_row(central: CentralHarness, name: str) -> None:
    # A spreadsheet or a loader reads an empty file as no table at all (it was 0 bytes).
    assert report(central, name) == []
    csv = central.op("GET", PATH + name, params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text == ",".join(COLUMNS[name]) + "\n"


@pytest.fixture
def chain(central: CentralHarness) -> tuple[Credential, Credential, Credential]:
    """Two kiosks at S001 and one at S002, with a few days of sales."""
    a, b, c = central.enrol(), central.enrol(), central.enrol("S002")
    push(central, a, [
        basket(a, 1, "2026-12-01T09:10:00+08:00", [(WATER, 2, 200)]),
        basket(a, 2, "2026-12-02T09:40:00+08:00", [(WATER, 1, 200), (CHIPS, 1, 750)]),
        basket(a, 3, "2026-12-03T09:05:00+08:00", [(WATER, 3, 180), (CHIPS, 2, 750)]),
        basket(a, 4, "2026-12-04T17:30:00+08:00", [(WATER, 4, 180), (CHIPS, 8, 700)]),
    ])  # fmt: skip
    push(central, b, [
        basket(b, 1, "2026-12-03T17:45:00+08:00", [(CHIPS, 3, 750)]),
        basket(b, 2, "2026-12-03T17:50:00+08:00", [(CHIPS, 1, 750)], status="voided"),
    ])  # fmt: skip
    push(central, c, [basket(c, 1, "2026-12-04T12:00:00+09:00", [(WATER, 1, 300)])])
    return a, b, c


def test_sales_by_hour_and_day_filtered_with_refunds_netted(
    central: CentralHarness, chain: tuple[Credential, Credential, Credential]
) -> None:
    a, b, _ = chain
    assert report(central, "sales-by-hour", store_id="S001") == [
        {"currency": "CNY", "hour": 9, "sales": 3, "items": 9, "revenue_minor": 400 + 950 + 2040},
        {"currency": "CNY", "hour": 17, "sales": 2, "items": 15, "revenue_minor": 6320 + 2250},
    ]
    assert report(central, "sales-by-hour", kiosk_id=b.kiosk_id) == [
        {"currency": "CNY", "hour": 17, "sales": 1, "items": 3, "revenue_minor": 2250},
    ]
    [sale_of_dec_2] = [s for s in central_sales(central) if s[1] == 2 and s[0] == a.kiosk_id]
    with central.engine.begin() as conn:  # a refund as `central.refunds` records one
        conn.execute(insert(refunds).values(
            refund_id=str(uuid.uuid4()), sale_id=sale_of_dec_2[2], kiosk_id=a.kiosk_id,
            store_id="S001", method="cash", amount_minor=750, currency="CNY",
            status="refunded", body_hash="0" * 64, document="{}", created_at=0, updated_at=0,
        ))  # fmt: skip
    period = {"from": "2026-12-02", "to": "2026-12-03"}
    days = report(central, "sales-by-day", store_id="S001", **period)
    assert days == [
        {"day": "2026-12-02", "currency": "CNY", "sales": 1, "items": 2, "revenue_minor": 950,
         "refunds": 1, "refund_minor": 750, "net_minor": 200},
        {"day": "2026-12-03", "currency": "CNY", "sales": 2, "items": 8, "revenue_minor": 4290,
         "refunds": 0, "refund_minor": 0, "net_minor": 4290},
    ]  # fmt: skip
    csv = central.op("GET", PATH + "sales-by-day", params={"format": "csv", "from": "2026-12-04"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == [
        "day,currency,sales,items,revenue_minor,refunds,refund_minor,net_minor",
        "2026-12-04,CNY,2,13,6620,0,0,6620",
    ]


def central_sales(central: CentralHarness) -> list[tuple[str, int, str]]:
    with central.engine.connect() as conn:
        rows = conn.execute(sales.select()).all()
    return [(r.kiosk_id, r.sequence, r.sale_id) for r in rows]


def test_baskets_by_size_with_average_value(
    central: CentralHarness, chain: tuple[Credential, Credential, Credential]
) -> None:
    rows = report(central, "baskets", store_id="S001")
    assert [(r["bucket"], r["sales"], r["items"], r["revenue_minor"]) for r in rows] == [
        ("2-3", 3, 7, 3600),
        ("4-6", 1, 5, 2040),
        ("11+", 1, 12, 6320),
        ("all", 5, 24, 11960),
    ]
    assert rows[0]["average_value_minor"] == 1200
    assert rows[-1]["average_items_x100"] == 480  # 24 items / 5 sales
    assert rows[-1]["average_value_minor"] == 2392


def test_kiosk_use_with_help_calls_per_100_sales(
    central: CentralHarness, chain: tuple[Credential, Credential, Credential]
) -> None:
    a, b, c = chain
    with central.engine.begin() as conn:
        for n, reason in enumerate(("shopper_call", "age_check", "shopper_call")):
            conn.execute(insert(attendant_alerts).values(
                alert_id=str(uuid.uuid4()), kiosk_id=a.kiosk_id, store_id="S001", reason=reason,
                state="closed", version=1, raised_at=f"2026-12-0{n + 1}T09:00:00+08:00",
                received_ms=0, updated_ms=0,
            ))  # fmt: skip
    rows = report(central, "kiosk-use", store_id="S001")
    assert {r["kiosk_id"]: r for r in rows}[a.kiosk_id] | {"kiosk_id": "a"} == {
        "store_id": "S001", "kiosk_id": "a", "currency": "CNY", "sales": 4, "hours_used": 4,
        "sales_per_hour_x100": 100, "timed_sales": 0, "average_scan_to_pay_s": None,
        "alerts": 3, "help_calls": 2,
        "alerts_per_100_sales_x100": 7500, "help_calls_per_100_sales_x100": 5000,
    }  # fmt: skip
    assert [r["kiosk_id"] for r in rows] == sorted([a.kiosk_id, b.kiosk_id])
    # The period filters the alerts too.
    [one] = report(central, "kiosk-use", kiosk_id=a.kiosk_id, to="2026-12-01")
    assert (one["sales"], one["alerts"], one["help_calls"]) == (1, 1, 1)
    assert report(central, "kiosk-use", store_id="S002")[0]["kiosk_id"] == c.kiosk_id


def test_promotion_effect_compares_the_same_number_of_days_before(
    central: CentralHarness,
    chain: tuple[Credential, Credential, Credential],
    demo_products: list[dict[str, Any]],
) -> None:
    central.load_catalog(demo_products)  # the brand promotion's items come from the catalog
    promotions = [
        {"promotion_id": "water-days", "name": "Water days", "kind": "percent_off",
         "currency": "CNY", "scope": {"gtins": [WATER]}, "percent_bp": 1000,
         "starts_at": "2026-12-03T00:00:00+08:00", "ends_at": "2026-12-05T00:00:00+08:00"},
        {"promotion_id": "lays-week", "name": "Lay's week", "kind": "percent_off",
         "currency": "CNY", "scope": {"brands": ["Lay's"]}, "percent_bp": 500,
         "starts_at": "2026-12-04T00:00:00+08:00"},
    ]  # fmt: skip
    answer = central.op("PUT", "/v1/loyalty/admin/offers/promotions", json={"items": promotions})
    assert answer.status_code == 200, answer.text
    rows = {r["promotion_id"]: r for r in report(central, "promotion-effect", store_id="S001")}
    assert rows["water-days"] | {"name": ""} == {
        "promotion_id": "water-days", "name": "", "currency": "CNY",
        "first_day": "2026-12-03", "last_day": "2026-12-04", "days": 2,
        "units_before": 3, "units_during": 7, "revenue_before_minor": 600,
        "revenue_during_minor": 3 * 180 + 4 * 180, "units_change_bp": 13333,
    }  # fmt: skip
    # One promotion an older service stored with a start no calendar arithmetic survives
    # (the year 1): the report leaves it out instead of failing for the whole chain.
    with central.engine.begin() as conn:
        older = {"promotions": lambda item: (item["promotion_id"], item)}  # no year check
        feeds.write(conn, "promotions", [
            {**promotions[0], "promotion_id": "year-one", "starts_at": "0001-01-01T00:00:00+08:00",
             "ends_at": "0001-01-02T00:00:00+08:00"}], [], validators=older)  # fmt: skip
    rows = {r["promotion_id"]: r for r in report(central, "promotion-effect", store_id="S001")}
    assert "year-one" not in rows
    assert rows["water-days"]["units_during"] == 7
    # Still running: up to the latest day with sales, against as many days before it.
    lays = rows["lays-week"]
    assert (lays["first_day"], lays["last_day"], lays["days"]) == ("2026-12-04", "2026-12-04", 1)
    assert (lays["units_before"], lays["units_during"]) == (2 + 3, 8)
    assert (lays["revenue_before_minor"], lays["revenue_during_minor"]) == (1500 + 2250, 5600)


def test_members_by_tier(central: CentralHarness) -> None:
    cred = central.enrol()
    key = decode_secret(cred.member_phone_key)
    sign_ups = [signup("S001", key, f"+86 139 0000 000{n}") for n in range(3)]
    for n, member in enumerate(sign_ups):
        member["created_at"] = f"2026-12-0{n + 1}T10:00:00+08:00"
    central.client(cred).call("POST", "/v1/members/batch", body={"members": sign_ups})
    with central.engine.begin() as conn:  # as a tier recompute would move one
        moved = members.c.member_id == sign_ups[2]["member_id"]
        conn.execute(update(members).where(moved).values(tier="royal"))
    assert report(central, "tiers") == [
        {"tier": "general", "rank": 0, "members": 0},
        {"tier": "royal", "rank": 1, "members": 1},
        {"tier": "basic", "rank": None, "members": 2},
    ]
    assert report(central, "tiers", to="2026-12-01")[-1]["members"] == 1
    assert all(r["members"] == 0 for r in report(central, "tiers", store_id="S002"))


def test_coupon_funnel_by_kind_from_a_kiosk_sale(central: CentralHarness, tmp_path: Path) -> None:
    kiosk = Kiosk(central, tmp_path / "k", "kiosk")
    try:
        central.load_offers()
        kiosk.pull()
        member = kiosk.members.sign_up("13912345678", consent=True)
        kiosk.sync()
        for coupon in ("yili-5-off-30", "welcome-10"):
            issued = central.op(
                "POST", "/v1/loyalty/admin/wallet/issue",
                json={"coupon_id": coupon, "member_ids": [member.member_id]},
            )  # fmt: skip
            assert issued.status_code == 200, issued.text
        printed = central.op(
            "POST", "/v1/loyalty/admin/coupons/print", json={"coupon_id": "juice-half", "count": 3}
        )  # fmt: skip
        assert printed.status_code == 200, printed.text
        code = issued_code(central, "yili-5-off-30")
        kiosk.members.by_qr(kiosk.members.card_qr(member.member_id))
        kiosk.checkout.set_member(member.member_id)
        kiosk.checkout.scan("6954023001022")  # Yili milk 16-pack
        assert kiosk.checkout.add_coupon(code).verdict.accepted
        sale = kiosk.sell()
        kiosk.sync()
    finally:
        kiosk.close()
    rows = {r["kind"]: r for r in report(central, "coupon-funnel")}
    assert rows["brand"] == {
        "kind": "brand", "currency": "CNY", "issued": 1, "claimed": 1, "redeemed": 1,
        "redeemed_from_wallet": 1, "discount_minor": 500, "claim_rate_bp": 10000,
        "redemption_rate_bp": 10000,
    }  # fmt: skip
    assert (rows["basket"]["claimed"], rows["basket"]["redeemed"]) == (1, 0)
    assert rows["basket"]["redemption_rate_bp"] == 0
    assert (rows["item"]["issued"], rows["item"]["claimed"], rows["item"]["claim_rate_bp"]) == (
        3, 0, 0,
    )  # fmt: skip
    assert report(central, "coupon-funnel", store_id="S002")[0]["redeemed"] == 0
    # The kiosk's sale is in the sales reports too (rolled up at ingest).
    day, hour = sale.created_at.date().isoformat(), sale.created_at.hour
    [by_hour] = report(central, "sales-by-hour", **{"from": day, "to": day})
    assert (by_hour["hour"], by_hour["revenue_minor"]) == (hour, sale.priced.total.minor)


def issued_code(central: CentralHarness, coupon_id: str) -> str:
    with central.engine.connect() as conn:
        return str(conn.execute(wallet.select().where(wallet.c.coupon_id == coupon_id)).one().code)


def test_bad_filters_are_refused_with_what_to_do(central: CentralHarness) -> None:
    swapped = central.op("GET", PATH + "baskets", params={"from": "2026-12-05", "to": "2026-12-01"})
    assert swapped.status_code == 422
    assert "swap them" in swapped.json()["detail"]
    assert central.op("GET", PATH + "no-such-report").status_code == 422
    assert central.op("GET", PATH + "baskets", params={"from": "yesterday"}).status_code == 422
    # The calendar's end: the day after it does not exist (a 500 before).
    far = central.op("GET", PATH + "sales-by-day", params={"to": "9999-12-31"})
    assert far.status_code == 422
    assert "between the years 2000 and 2999" in far.json()["detail"]
    unauthenticated = central.session.get(central.url + PATH + "baskets", timeout=30)
    assert unauthenticated.status_code == 401


def test_kiosk_use_times_first_scan_to_paid_where_the_kiosk_sent_it(
    central: CentralHarness,
) -> None:
    cred = central.enrol()
    paid = "2026-12-01T10:{:02d}:00+08:00"
    batch = [
        basket(cred, 1, paid.format(2), [(WATER, 1, 200)],
               first_scan_at="2026-12-01T10:00:30+08:00"),  # 90 s
        basket(cred, 2, paid.format(10), [(WATER, 1, 200)],
               first_scan_at="2026-12-01T03:07:30+01:00"),  # 150 s, the same moment elsewhere
        basket(cred, 3, paid.format(20), [(WATER, 1, 200)]),  # an older kiosk: not timed
        # The kiosk's clock stepped back during the sale: stored, but no duration to trust.
        basket(cred, 4, paid.format(30), [(WATER, 1, 200)],
               first_scan_at="2026-12-01T10:31:00+08:00"),
        basket(cred, 5, paid.format(40), [(WATER, 1, 200)], first_scan_at="soon"),
    ]  # fmt: skip
    results = push(central, cred, batch)
    assert [r["result"] for r in results] == ["stored"] * 4 + ["conflict"]
    assert results[4]["detail"].startswith("time: first_scan_at 'soon'")
    [row] = report(central, "kiosk-use")
    assert (row["sales"], row["timed_sales"], row["average_scan_to_pay_s"]) == (4, 2, 120)
    # The rebuild reads the same from the stored documents.
    with central.engine.begin() as conn:
        rebuild(conn)
    assert report(central, "kiosk-use") == [row]
    assert report(central, "kiosk-use", to="2026-11-30") == []


def test_kiosk_use_of_sales_without_first_scan_times_has_no_average(
    central: CentralHarness, chain: tuple[Credential, Credential, Credential]
) -> None:
    rows = report(central, "kiosk-use")
    assert {(r["timed_sales"], r["average_scan_to_pay_s"]) for r in rows} == {(0, None)}


def test_tier_moves_by_period_store_and_kiosk(central: CentralHarness) -> None:
    day_ms = 86_400_000
    dec_1 = 1_796_083_200_000  # 2026-12-01T00:00:00Z
    with central.engine.begin() as conn:  # as `recompute_tiers` records them
        conn.execute(insert(member_tier_moves), [
            {"member_id": str(uuid.uuid4()), "store_id": store, "kiosk_id": kiosk,
             "from_tier": moved[0], "to_tier": moved[1], "at_ms": dec_1 + day * day_ms + 3600}
            for store, kiosk, moved, day in (
                ("S001", "K1", ("general", "royal"), 0),
                ("S001", "K2", ("general", "royal"), 1),
                ("S002", "K3", ("general", "royal"), 1),
                ("S001", "K1", ("basic", "general"), 2),
            )
        ])  # fmt: skip
    assert report(central, "tier-moves") == [
        {"from_tier": "general", "to_tier": "royal", "members": 3},
        {"from_tier": "basic", "to_tier": "general", "members": 1},  # not in the policy: last
    ]
    assert report(central, "tier-moves", store_id="S001", **{"from": "2026-12-02"}) == [
        {"from_tier": "general", "to_tier": "royal", "members": 1},
        {"from_tier": "basic", "to_tier": "general", "members": 1},
    ]
    assert report(central, "tier-moves", kiosk_id="K1", to="2026-12-01") == [
        {"from_tier": "general", "to_tier": "royal", "members": 1},
    ]
    csv = central.op("GET", PATH + "tier-moves", params={"format": "csv", "store_id": "S002"})
    assert csv.text.splitlines() == ["from_tier,to_tier,members", "general,royal,1"]
