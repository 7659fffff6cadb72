"""Sales and journal ingestion: stored once, duplicates answered alike, conflicts kept."""

from __future__ import annotations

import uuid
from typing import Any

from central.sales.tables import sales as sales_table
from kiosk.domain.ids import IdFactory
from kiosk.domain.journal import JournalEntry, entry_hash, next_entry
from sync.client import Credential
from tests.integration.conftest import CentralHarness

IDS = IdFactory()


def sale(cred: Credential, sequence: int, total: int = 1250, **extra: Any) -> dict[str, Any]:
    """A sale of one item at `total`, tax included, whose arithmetic adds up."""
    return {
        "version": 1,
        "sale_id": IDS.new(),
        "kiosk_id": cred.kiosk_id,
        "store_id": cred.store_id,
        "sequence": sequence,
        "created_at": "2026-11-23T10:00:00+08:00",
        "status": "paid",
        "training": False,
        "currency": "CNY",
        "member_id": None,
        "lines": [
            {
                "line_no": 1,
                "gtin": "06935412001014",
                "state": "active",
                "quantity": 1,
                "weight_g": None,
                "unit_price_minor": total,
                "gross_minor": total,
                "discount_minor": 0,
                "deposit_minor": 0,
                "tax_class": "standard",
            }
        ],
        "discounts": [],
        "taxes": [
            {
                "tax_class": "standard",
                "rate_bp": 0,
                "net_minor": total,
                "tax_minor": 0,
                "gross_minor": total,
            }
        ],
        "subtotal_minor": total,
        "discount_minor": 0,
        "deposit_minor": 0,
        "tax_minor": 0,
        "total_minor": total,
        "item_count": 1,
        "tenders": [],
        "void": None,
    } | extra


def push(
    central: CentralHarness, cred: Credential, sales: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    answer = central.client(cred).call("POST", "/v1/sales/batch", body={"sales": sales})
    results: list[dict[str, Any]] = answer["results"]
    return results


def test_batch_is_stored_once_and_resend_answers_duplicate(central: CentralHarness) -> None:
    cred = central.enrol()
    batch = [sale(cred, n, total=100 * n) for n in range(1, 6)]
    assert [r["result"] for r in push(central, cred, batch)] == ["stored"] * 5
    assert [r["result"] for r in push(central, cred, batch)] == ["duplicate"] * 5
    # A partly new batch: old ones duplicate, new ones stored, in the order sent.
    more = [*batch[3:], sale(cred, 6, total=600)]
    assert [r["result"] for r in push(central, cred, more)] == ["duplicate", "duplicate", "stored"]
    report = central.op("GET", "/v1/admin/reports/sales").json()
    assert report["count"] == 6
    assert report["totals"] == [
        {"store_id": "S001", "kiosk_id": cred.kiosk_id, "currency": "CNY", "training": False,
         "count": 6, "total_minor": 2100, "refund_count": 0, "refund_minor": 0,
         "net_minor": 2100}
    ]  # fmt: skip


def test_same_id_with_other_body_is_a_conflict_kept_for_review(central: CentralHarness) -> None:
    cred = central.enrol()
    original = sale(cred, 1, total=500)
    push(central, cred, [original])
    altered = original | {"total_minor": 1}
    [result] = push(central, cred, [altered])
    assert result["result"] == "conflict"
    assert result["detail"].startswith("body_differs")
    # The stored sale is untouched; the conflicting body is kept once, however often re-sent.
    push(central, cred, [altered])
    assert central.op("GET", "/v1/admin/reports/sales").json()["totals"][0]["total_minor"] == 500
    conflicts = central.op("GET", "/v1/admin/conflicts").json()
    assert len(conflicts) == 1
    assert conflicts[0]["document"]["total_minor"] == 1
    assert conflicts[0]["reason"] == "body_differs"


def test_reused_sequence_and_foreign_kiosk_are_conflicts(central: CentralHarness) -> None:
    cred, other = central.enrol(), central.enrol()
    push(central, cred, [sale(cred, 1)])
    [reused] = push(central, cred, [sale(cred, 1)])
    assert reused["result"] == "conflict"
    assert reused["detail"].startswith("sequence_reused")
    [foreign] = push(central, cred, [sale(other, 1)])
    assert foreign["result"] == "conflict"
    assert foreign["detail"].startswith("kiosk_mismatch")
    assert central.op("GET", "/v1/admin/reports/sales").json()["count"] == 1


def test_duplicate_within_one_batch(central: CentralHarness) -> None:
    cred = central.enrol()
    one = sale(cred, 1)
    results = push(central, cred, [one, one])
    assert [r["result"] for r in results] == ["stored", "duplicate"]


def test_sequence_gaps_are_reported(central: CentralHarness) -> None:
    cred = central.enrol()
    push(central, cred, [sale(cred, n) for n in (1, 2, 5, 9)])
    gaps = central.op("GET", "/v1/admin/reports/integrity").json()["sequence_gaps"]
    assert [g["detail"] for g in gaps] == ["sales 3..4 missing", "sales 6..8 missing"]
    push(central, cred, [sale(cred, n) for n in (3, 4, 6, 7, 8)])
    assert central.op("GET", "/v1/admin/reports/integrity").json()["sequence_gaps"] == []


def chain(count: int, start: JournalEntry | None = None) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    previous = start
    for n in range(count):
        previous = next_entry(previous, "sale_paid", "2026-11-23T10:00:00", "kiosk", {"n": n})
        entries.append(previous)
    return entries


def push_journal(
    central: CentralHarness, cred: Credential, entries: list[JournalEntry]
) -> dict[str, Any]:
    body = {"entries": [e.to_wire() for e in entries]}
    result: dict[str, Any] = central.client(cred).call("POST", "/v1/journal/batch", body=body)
    return result


def test_journal_chain_is_verified_and_deduplicated(central: CentralHarness) -> None:
    cred = central.enrol()
    entries = chain(10)
    first = push_journal(central, cred, entries[:6])
    assert (first["stored"], first["duplicate"], first["issues"]) == (6, 0, [])
    second = push_journal(central, cred, entries[4:])
    assert (second["stored"], second["duplicate"], second["issues"]) == (4, 2, [])
    report = central.op("GET", "/v1/admin/reports/integrity").json()
    assert report == {"issues": [], "sequence_gaps": []}


def test_altered_entry_breaks_the_chain(central: CentralHarness) -> None:
    cred = central.enrol()
    entries = chain(5)
    bad = entries[2]
    forged = JournalEntry(
        bad.index, bad.kind, bad.at, bad.actor, {"n": 999}, bad.prev_hash, bad.hash
    )
    result = push_journal(central, cred, [*entries[:2], forged, *entries[3:]])
    kinds = [(i["kind"], i["index"]) for i in result["issues"]]
    assert kinds == [("chain_break", 3)]
    issues = central.op("GET", "/v1/admin/reports/integrity").json()["issues"]
    assert [(i["kind"], i["index"]) for i in issues] == [("chain_break", 3)]


def test_relinked_entry_and_out_of_order_arrival(central: CentralHarness) -> None:
    cred = central.enrol()
    entries = chain(6)
    # Entries 4..6 first: a gap is reported, then closed when 1..3 arrive.
    early = push_journal(central, cred, entries[3:])
    assert [(i["kind"], i["index"]) for i in early["issues"]] == [("gap", 4)]
    gaps = central.op("GET", "/v1/admin/reports/integrity").json()["sequence_gaps"]
    assert [g["detail"] for g in gaps] == ["journal entries 1..3 missing"]
    late = push_journal(central, cred, entries[:3])
    assert late["issues"] == []
    assert central.op("GET", "/v1/admin/reports/integrity").json()["sequence_gaps"] == []
    # An entry that hashes correctly but links to the wrong predecessor is a break too.
    rogue_prev = "f" * 64
    e7 = JournalEntry(
        7, "x", "t", "a", {}, rogue_prev, entry_hash(7, "x", "t", "a", {}, rogue_prev)
    )
    result = push_journal(central, cred, [e7])
    assert [(i["kind"], i["index"]) for i in result["issues"]] == [("chain_break", 7)]


def test_different_entry_at_same_index_is_a_conflict(central: CentralHarness) -> None:
    cred = central.enrol()
    entries = chain(2)
    push_journal(central, cred, entries)
    other = next_entry(entries[0], "staff_login", "t", "s1", {})
    result = push_journal(central, cred, [other])
    assert [(i["kind"], i["index"]) for i in result["issues"]] == [("conflict", 2)]


def test_sales_of_two_kiosks_are_reported_apart(central: CentralHarness) -> None:
    a, b = central.enrol("S001"), central.enrol("S002")
    push(central, a, [sale(a, 1, total=300)])
    push(central, b, [sale(b, 1, total=700), sale(b, 2, total=50, training=True)])
    totals = central.op("GET", "/v1/admin/reports/sales").json()["totals"]
    got = {(t["store_id"], t["training"]): (t["count"], t["total_minor"]) for t in totals}
    assert got == {("S001", False): (1, 300), ("S002", False): (1, 700), ("S002", True): (1, 50)}
    assert uuid.UUID(a.kiosk_id) != uuid.UUID(b.kiosk_id)


def test_same_id_twice_in_one_batch_with_other_bodies_is_a_conflict(
    central: CentralHarness,
) -> None:
    cred = central.enrol()
    first = sale(cred, 1, total=500)
    second = first | {"created_at": "2026-11-23T10:00:01+08:00"}
    results = push(central, cred, [first, second])
    assert [r["result"] for r in results] == ["stored", "conflict"]
    assert results[1]["detail"].startswith("body_differs")
    [kept] = central.op("GET", "/v1/admin/conflicts").json()
    assert kept["document"]["created_at"] == second["created_at"]


def test_sales_that_do_not_add_up_or_name_another_store_are_refused_and_kept(
    central: CentralHarness,
) -> None:
    cred = central.enrol("S001")
    bad = {
        "store_mismatch": sale(cred, 1) | {"store_id": "S002"},
        "arithmetic": sale(cred, 2) | {"total_minor": 1, "item_count": 1},
        "currency": sale(cred, 3) | {"currency": "XXX"},
        "bounds": sale(cred, 4, total=-100),
    }
    results = push(central, cred, list(bad.values()))
    assert [r["result"] for r in results] == ["conflict"] * 4
    assert [r["detail"].split(":")[0] for r in results] == list(bad)
    assert central.op("GET", "/v1/admin/reports/sales").json()["count"] == 0
    kept = {c["reason"] for c in central.op("GET", "/v1/admin/conflicts").json()}
    assert kept == set(bad)


def _without(doc: dict[str, Any], key: str) -> dict[str, Any]:
    doc["lines"][0].pop(key)
    return doc


def test_a_sale_the_reports_cannot_count_is_a_conflict_not_a_lost_batch(
    central: CentralHarness,
) -> None:
    """A line without its code, with a code the reports cannot key, or without `weight_g`
    failed deep in storing (a 500 for the whole batch, retried by the kiosk forever)."""
    cred = central.enrol("S001")
    good = sale(cred, 1)
    odd = [
        _without(sale(cred, 2), "gtin"),
        sale(cred, 3) | {"lines": [sale(cred, 3)["lines"][0] | {"gtin": "9" * 33}]},
        sale(cred, 4) | {"lines": [sale(cred, 4)["lines"][0] | {"gtin": 6935412001014}]},
    ]
    results = push(central, cred, [good, *odd, _without(sale(cred, 5), "weight_g")])
    assert [r["result"] for r in results] == [
        "stored",
        "conflict",
        "conflict",
        "conflict",
        "stored",
    ]
    assert {r["detail"].split(":")[0] for r in results[1:4]} == {"shape"}
    assert central.op("GET", "/v1/admin/reports/sales").json()["count"] == 2


def test_sales_report_is_exact_past_where_sqlite_sum_overflows(central: CentralHarness) -> None:
    # Rows as an older service stored them, unchecked: 1,030 sales of 2**53 overflow int64.
    cred = central.enrol()
    rows = [
        {"sale_id": str(uuid.uuid4()), "kiosk_id": cred.kiosk_id, "store_id": "S001",
         "sequence": n, "status": "paid", "training": False, "currency": "CNY",
         "total_minor": 2**53, "item_count": 1, "created_at": "2026-11-23T10:00:00+08:00",
         "received_at": 0, "body_hash": "0" * 64, "document": "{}"}
        for n in range(1, 1031)
    ]  # fmt: skip
    with central.engine.begin() as conn:
        conn.execute(sales_table.insert(), rows)
    answer = central.op("GET", "/v1/admin/reports/sales")
    assert answer.status_code == 200, answer.text
    assert answer.json()["totals"][0]["total_minor"] == 1030 * 2**53
