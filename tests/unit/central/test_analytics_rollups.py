"""The rollup arithmetic (`central.analytics.service.Rollups`), without a database: what
ingest adds batch by batch must equal what a rebuild adds in one pass, and every
counted sale lands in exactly one hour and one basket bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from central.analytics.service import BUCKET_ORDER, Rollups, basket_bucket, local_day_hour

GTINS = ("06921168509256", "06933509001015", "06954023001022")

lines = st.lists(
    st.fixed_dictionaries({
        "gtin": st.sampled_from(GTINS),
        "state": st.sampled_from(("active", "active", "voided", "removed")),
        "quantity": st.integers(1, 20),
        "gross_minor": st.integers(0, 100_000),
        "discount_minor": st.integers(0, 500),
    }),
    max_size=6,
)  # fmt: skip
sales = st.lists(
    st.fixed_dictionaries({
        "store_id": st.sampled_from(("S001", "S002")),
        "kiosk_id": st.sampled_from(("k1", "k2")),
        "currency": st.sampled_from(("CNY", "KRW")),
        "status": st.sampled_from(("paid", "paid", "voided")),
        "training": st.booleans(),
        "created_at": st.builds(
            lambda at, hours: at.astimezone(timezone(timedelta(hours=hours))).isoformat(),
            st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1), timezones=st.just(UTC)),
            st.integers(-12, 14),
        ),
        "item_count": st.integers(0, 40),
        "total_minor": st.integers(0, 10**9),
        "lines": lines,
    }),
    max_size=30,
)  # fmt: skip


def rolled(docs: list[dict[str, Any]]) -> Rollups:
    sums = Rollups()
    for doc in docs:
        sums.add(doc)
    return sums


def added(parts: list[Rollups]) -> Rollups:
    """What adding each part to the tables (`n = n + new`) leaves."""
    total = Rollups()
    for part in parts:
        for mine, theirs in ((total.hourly, part.hourly), (total.baskets, part.baskets),
                             (total.products, part.products)):  # fmt: skip
            for key, values in theirs.items():
                row = mine.setdefault(key, [0] * len(values))
                for i, v in enumerate(values):
                    row[i] += v
    return total


@given(sales, st.integers(1, 30))
def test_batches_add_up_to_one_pass(docs: list[dict[str, Any]], size: int) -> None:
    batches = [rolled(docs[i : i + size]) for i in range(0, len(docs), size)]
    assert added(batches) == rolled(docs)


@given(sales)
def test_every_paid_real_sale_counts_once(docs: list[dict[str, Any]]) -> None:
    sums = rolled(docs)
    counted = [d for d in docs if d["status"] == "paid" and not d["training"]]
    for table in (sums.hourly, sums.baskets):
        assert sum(v[0] for v in table.values()) == len(counted)
        assert sum(v[1] for v in table.values()) == sum(d["item_count"] for d in counted)
        assert sum(v[2] for v in table.values()) == sum(d["total_minor"] for d in counted)
    active = [line for d in counted for line in d["lines"] if line["state"] == "active"]
    assert sum(v[0] for v in sums.products.values()) == sum(line["quantity"] for line in active)
    assert sum(v[1] for v in sums.products.values()) == sum(
        line["gross_minor"] - line["discount_minor"] for line in active
    )


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.integers(-12, 14),
)
def test_the_day_and_hour_are_the_kiosks_own(at: datetime, hours: int) -> None:
    local = at.astimezone(timezone(timedelta(hours=hours)))
    day, hour = local_day_hour(local.isoformat())
    assert (day, hour) == (local.date().isoformat(), local.hour)
    assert day == local.isoformat()[:10]  # what the refunds query reads in SQL


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_bigger_baskets_never_fall_in_a_smaller_bucket(a: int, b: int) -> None:
    small, big = sorted((a, b))
    assert BUCKET_ORDER.index(basket_bucket(small)) <= BUCKET_ORDER.index(basket_bucket(big))


def test_bucket_edges() -> None:
    assert [basket_bucket(n) for n in (1, 2, 3, 4, 6, 7, 10, 11, 99)] == [
        "1", "2-3", "2-3", "4-6", "4-6", "7-10", "7-10", "11+", "11+"
    ]  # fmt: skip
