"""Sales and journal ingestion: each sale stored once, conflicts kept, chains checked.

Idempotency is the database's job, not the process's: `sales.sale_id` is the primary
key and `(kiosk_id, sequence)` is unique, and rows go in with ON CONFLICT DO NOTHING,
so two replicas receiving the same batch at once still store each sale once. A sale
is compared with what is stored by the SHA-256 of its canonical JSON: equal means a
re-send ("duplicate", answered as the first time), different means a "conflict",
kept in `conflicts` for a person to review and never merged; so is a second copy of
a sale in the same batch with another body. A sale that fails the service's own
checks (`central.sales.checks`: arithmetic, currency, bounds, the kiosk's own store)
is not stored either: it is answered `conflict` and kept the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from sqlalchemy import Connection, String, bindparam, func, select, text

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import insert_ignore
from central.sales.checks import check_sale
from central.sales.tables import conflicts, journal, journal_issues, refunds, sales
from kiosk.domain.errors import JournalError
from kiosk.domain.journal import JournalEntry, canonical_json, verify_chain
from kiosk.domain.policy import OverrideBounds
from sync.protocol import (
    IntegrityReport,
    JournalBatchResult,
    JournalIssue,
    SaleResult,
    SalesReport,
    SalesTotal,
)


def body_hash(document: Any) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def record_conflict(
    conn: Connection,
    entity: str,
    entity_id: str,
    kiosk_id: str,
    reason: str,
    digest: str,
    document: Any,
    now_ms: int,
) -> None:
    conn.execute(
        insert_ignore(conn, conflicts).values(
            entity=entity,
            entity_id=entity_id,
            kiosk_id=kiosk_id,
            reason=reason,
            body_hash=digest,
            document=json.dumps(document, ensure_ascii=False),
            received_at=now_ms,
        )
    )


# Told of the sales a batch stored, in the transaction that stored them (the analytics
# rollups): injected by the composition root, since the features it serves sit above sales.
SalesStored = Callable[[Connection, Sequence[Mapping[str, Any]]], None]


def ingest_sales(
    conn: Connection,
    kiosk: AuthedKiosk,
    documents: Sequence[dict[str, Any]],
    now_ms: int,
    *,
    bounds: OverrideBounds,
    on_stored: SalesStored | None = None,
) -> list[SaleResult]:
    """Store a batch of sale wire documents (already schema-checked); one result per sale.
    `bounds`: the chain's price override bounds, which every override must keep;
    `on_stored` is handed the documents of the sales this call inserted, and only those."""
    # The canonical JSON is both what is hashed and what is stored: one serialisation.
    texts = [canonical_json(d).decode() for d in documents]
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    ids = list(dict.fromkeys(str(d["sale_id"]) for d in documents))
    before = _stored_hashes(conn, ids)
    rows: dict[str, dict[str, Any]] = {}
    fresh: dict[str, dict[str, Any]] = {}
    refused = {i: check_sale(doc, kiosk, bounds) for i, doc in enumerate(documents)}
    for i, (doc, body, digest) in enumerate(zip(documents, texts, digests, strict=True)):
        sale_id = str(doc["sale_id"])
        if sale_id in before or sale_id in rows or refused[i]:
            continue
        fresh[sale_id] = doc
        rows[sale_id] = {
            "sale_id": sale_id,
            "kiosk_id": doc["kiosk_id"],
            "store_id": doc["store_id"],
            "sequence": doc["sequence"],
            "status": doc["status"],
            "training": bool(doc.get("training", False)),
            "currency": doc["currency"],
            "total_minor": doc["total_minor"],
            "item_count": doc["item_count"],
            "created_at": doc["created_at"],
            "received_at": now_ms,
            "body_hash": digest,
            "document": body,
        }
    inserted = _insert_new(conn, list(rows.values())) if rows else set()
    if on_stored is not None and inserted:
        on_stored(conn, [doc for sale_id, doc in fresh.items() if sale_id in inserted])
    # Rows neither stored before nor inserted now: another replica stored them a moment
    # ago, or their kiosk sequence already belongs to another sale.
    unexplained = [i for i in rows if i not in inserted]
    after = _stored_hashes(conn, unexplained) if unexplained else {}
    results: list[SaleResult] = []
    answered: set[str] = set()
    for i, (doc, digest) in enumerate(zip(documents, digests, strict=True)):
        sale_id = str(doc["sale_id"])
        stored = before.get(sale_id) or after.get(sale_id)
        if sale_id in inserted:
            # What this batch stored: a second copy with another body is a conflict.
            stored = rows[sale_id]["body_hash"]
        reason = detail = ""
        refusal = refused[i]
        if stored is not None and stored != digest:
            reason = "body_differs"
            detail = "a different sale with this id is already stored"
        elif stored is None and refusal is not None:
            reason, detail = refusal.reason, refusal.detail
        elif stored is None:
            reason = "sequence_reused"
            detail = f"kiosk sequence {doc['sequence']} already belongs to another sale"
        if reason:
            record_conflict(conn, "sale", sale_id, kiosk.kiosk_id, reason, digest, doc, now_ms)
            results.append(
                SaleResult(sale_id=sale_id, result="conflict", detail=f"{reason}: {detail}")
            )
        elif sale_id in inserted and sale_id not in answered:
            results.append(SaleResult(sale_id=sale_id, result="stored"))
        else:
            results.append(SaleResult(sale_id=sale_id, result="duplicate"))
        answered.add(sale_id)
    return results


_SALE_COLUMNS = (
    "sale_id", "kiosk_id", "store_id", "sequence", "status", "training", "currency",
    "total_minor", "item_count", "created_at", "received_at", "body_hash", "document",
)  # fmt: skip
_COLUMN_LIST = ", ".join(_SALE_COLUMNS)


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert what is not stored yet (ON CONFLICT skips the rest); the ids inserted."""
    if conn.dialect.name == "postgresql":
        return _insert_new_pg(conn, rows)
    stmt = insert_ignore(conn, sales).returning(sales.c.sale_id)
    return {r.sale_id for r in conn.execute(stmt, rows)}


def _insert_new_pg(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    # COPY into a per-connection staging table, then one INSERT … SELECT … ON CONFLICT:
    # several times faster than row-by-row INSERTs, and the unique keys still decide.
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS sales_incoming "
            "(LIKE sales INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cur.copy(f"COPY sales_incoming ({_COLUMN_LIST}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in _SALE_COLUMNS))
        cur.execute(
            f"INSERT INTO sales ({_COLUMN_LIST}) SELECT {_COLUMN_LIST} FROM sales_incoming "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING sale_id"
        )
        inserted = {str(r[0]) for r in cur.fetchall()}
        cur.execute("DELETE FROM sales_incoming")
    return inserted


def _stored_hashes(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    return {
        r.sale_id: r.body_hash
        for r in conn.execute(
            select(sales.c.sale_id, sales.c.body_hash).where(sales.c.sale_id.in_(ids))
        )
    }


def _issue(
    conn: Connection,
    kiosk_id: str,
    kind: Literal["gap", "chain_break", "conflict"],
    index: int,
    detail: str,
    now_ms: int,
) -> JournalIssue:
    conn.execute(
        insert_ignore(conn, journal_issues).values(
            kiosk_id=kiosk_id, kind=kind, idx=index, detail=detail, detected_at=now_ms
        )
    )
    return JournalIssue(
        kiosk_id=kiosk_id, kind=kind, index=index, detail=detail, detected_at=iso_ms(now_ms) or ""
    )


def _entry(row: Any) -> JournalEntry:
    return JournalEntry(
        row.idx, row.kind, row.at, row.actor, json.loads(row.payload), row.prev_hash, row.hash
    )


def ingest_journal(
    conn: Connection, kiosk: AuthedKiosk, entries: Sequence[JournalEntry], now_ms: int
) -> JournalBatchResult:
    """Store journal entries once each and check each new one against the one before it."""
    ordered = sorted({e.index: e for e in entries}.values(), key=lambda e: e.index)
    indexes = [e.index for e in ordered]
    existing = {
        r.idx: r.hash
        for r in conn.execute(
            select(journal.c.idx, journal.c.hash).where(
                journal.c.kiosk_id == kiosk.kiosk_id, journal.c.idx.in_(indexes)
            )
        )
    }
    issues: list[JournalIssue] = []
    fresh: list[JournalEntry] = []
    duplicate = 0
    for entry in ordered:
        if entry.index in existing:
            if existing[entry.index] == entry.hash:
                duplicate += 1
            else:
                digest = body_hash(entry.to_wire())
                record_conflict(
                    conn,
                    "journal",
                    f"{kiosk.kiosk_id}:{entry.index}",
                    kiosk.kiosk_id,
                    "entry_differs",
                    digest,
                    entry.to_wire(),
                    now_ms,
                )
                issues.append(
                    _issue(
                        conn,
                        kiosk.kiosk_id,
                        "conflict",
                        entry.index,
                        "a different entry with this index is already stored",
                        now_ms,
                    )
                )
        else:
            fresh.append(entry)
    if not fresh:
        return JournalBatchResult(stored=0, duplicate=duplicate, issues=issues)
    previous_row = conn.execute(
        select(journal).where(
            journal.c.kiosk_id == kiosk.kiosk_id, journal.c.idx == fresh[0].index - 1
        )
    ).first()
    previous = _entry(previous_row) if previous_row is not None else None
    for entry in fresh:
        expected = previous.index + 1 if previous else 1
        if entry.index != expected:
            issues.append(
                _issue(
                    conn,
                    kiosk.kiosk_id,
                    "gap",
                    entry.index,
                    f"entry {entry.index} arrived but entry {entry.index - 1} is missing",
                    now_ms,
                )
            )
            previous = None
            check_from = JournalEntry(entry.index - 1, "", "", "", {}, "", entry.prev_hash)
        else:
            check_from = previous  # type: ignore[assignment]
        try:
            verify_chain([entry], previous=check_from)
        except JournalError as exc:
            issues.append(
                _issue(conn, kiosk.kiosk_id, "chain_break", entry.index, str(exc), now_ms)
            )
        previous = entry
    conn.execute(
        insert_ignore(conn, journal),
        [
            {
                "kiosk_id": kiosk.kiosk_id,
                "idx": e.index,
                "kind": e.kind,
                "at": e.at,
                "actor": e.actor,
                "payload": json.dumps(dict(e.payload), ensure_ascii=False),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "received_at": now_ms,
            }
            for e in fresh
        ],
    )
    # The entry after this batch may already be here (sent out of order): check the link.
    after_row = conn.execute(
        select(journal).where(
            journal.c.kiosk_id == kiosk.kiosk_id, journal.c.idx == fresh[-1].index + 1
        )
    ).first()
    if after_row is not None and after_row.prev_hash != fresh[-1].hash:
        issues.append(
            _issue(
                conn,
                kiosk.kiosk_id,
                "chain_break",
                after_row.idx,
                f"journal entry {after_row.idx} does not follow the one before it",
                now_ms,
            )
        )
    return JournalBatchResult(stored=len(fresh), duplicate=duplicate, issues=issues)


# SQLite's SUM of int64 fails on overflow (and the report with it); summed in two parts,
# each sale adds at most 2**32 to either, so a group of 2**31 sales at the largest
# total the checks allow still sums exactly. (PostgreSQL's SUM is exact anyway.)
_SPLIT = 2**32


def _exact_sum(column: Any) -> tuple[Any, Any]:
    return (
        func.coalesce(func.sum(column.op("/")(_SPLIT)), 0).label("high"),
        func.coalesce(func.sum(column.op("%")(_SPLIT)), 0).label("low"),
    )


_GROUP = (sales.c.store_id, sales.c.kiosk_id, sales.c.currency, sales.c.training)


def sales_report(conn: Connection) -> SalesReport:
    """Paid sales by kiosk: gross, the refunds made on them (by the kiosk that sold,
    wherever the refund was made), and net."""
    rows = conn.execute(
        select(*_GROUP, func.count().label("n"), *_exact_sum(sales.c.total_minor))
        .where(sales.c.status == "paid")
        .group_by(*_GROUP)
        .order_by(*_GROUP)
    ).all()
    refunded = {
        tuple(r[:4]): (int(r.n), int(r.high) * _SPLIT + int(r.low))
        for r in conn.execute(
            select(*_GROUP, func.count().label("n"), *_exact_sum(refunds.c.amount_minor))
            .select_from(refunds.join(sales, refunds.c.sale_id == sales.c.sale_id))
            .where(refunds.c.status == "refunded")
            .group_by(*_GROUP)
        ).all()
    }
    count = int(conn.execute(select(func.count()).select_from(sales)).scalar_one())
    n_conflicts = int(conn.execute(select(func.count()).select_from(conflicts)).scalar_one())
    totals = []
    for r in rows:
        gross = int(r.high) * _SPLIT + int(r.low)
        n_refunds, refund_minor = refunded.get(tuple(r[:4]), (0, 0))
        totals.append(
            SalesTotal(
                store_id=r.store_id,
                kiosk_id=r.kiosk_id,
                currency=r.currency,
                training=bool(r.training),
                count=int(r.n),
                total_minor=gross,
                refund_count=n_refunds,
                refund_minor=refund_minor,
                net_minor=gross - refund_minor,
            )
        )
    return SalesReport(count=count, totals=totals, conflicts=n_conflicts)


_GAPS_SQL = """
SELECT kiosk_id, prev_value, value FROM (
    SELECT kiosk_id, {col} AS value,
           COALESCE(LAG({col}) OVER (PARTITION BY kiosk_id ORDER BY {col}), 0) AS prev_value
    FROM {table}{where}
) AS ordered WHERE value - prev_value > 1 ORDER BY kiosk_id, value
"""


def integrity_report(
    conn: Connection, limit: int = 1000, kiosk_ids: Sequence[str] | None = None
) -> IntegrityReport:
    """Chain breaks and conflicts as recorded, plus the gaps as they stand now (a gap
    closes by itself when the missing sale or entry arrives). `kiosk_ids`: only these
    kiosks' (a store manager's), else every kiosk's."""
    stmt = select(journal_issues).where(journal_issues.c.kind != "gap")
    if kiosk_ids is not None:
        stmt = stmt.where(journal_issues.c.kiosk_id.in_(kiosk_ids))
    issue_rows = conn.execute(stmt.order_by(journal_issues.c.id).limit(limit)).all()
    issues = [
        JournalIssue(
            kiosk_id=r.kiosk_id,
            kind=r.kind,
            index=r.idx,
            detail=r.detail,
            detected_at=iso_ms(r.detected_at) or "",
        )
        for r in issue_rows
    ]
    gaps: list[JournalIssue] = []
    for table, col, what in (("journal", "idx", "journal entries"), ("sales", "sequence", "sales")):
        where = "" if kiosk_ids is None else " WHERE kiosk_id IN :kiosk_ids"
        gap_sql = text(_GAPS_SQL.format(col=col, table=table, where=where) + f" LIMIT {int(limit)}")
        if kiosk_ids is not None:
            # Typed, or PostgreSQL compares an empty list's NULL integer with the text ids.
            ids = bindparam("kiosk_ids", list(kiosk_ids), expanding=True, type_=String())
            gap_sql = gap_sql.bindparams(ids)
        for r in conn.execute(gap_sql):
            first, last = int(r.prev_value) + 1, int(r.value) - 1
            span = f"{first}" if first == last else f"{first}..{last}"
            gaps.append(
                JournalIssue(
                    kiosk_id=r.kiosk_id, kind="gap", index=first, detail=f"{what} {span} missing"
                )
            )
    return IntegrityReport(issues=issues, sequence_gaps=gaps)


def list_conflicts(
    conn: Connection, limit: int = 100, kiosk_ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The newest conflicts kept for review (`kiosk_ids`: only these kiosks')."""
    stmt = select(conflicts)
    if kiosk_ids is not None:
        stmt = stmt.where(conflicts.c.kiosk_id.in_(kiosk_ids))
    rows = conn.execute(stmt.order_by(conflicts.c.id.desc()).limit(limit)).all()
    return [
        {
            "entity": r.entity,
            "entity_id": r.entity_id,
            "kiosk_id": r.kiosk_id,
            "reason": r.reason,
            "received_at": iso_ms(r.received_at),
            "document": json.loads(r.document),
        }
        for r in rows
    ]


GRAMS_PER_KG = 1000


STAFF_COLUMNS = (
    "store_id", "staff_id", "currency", "overrides", "override_minor", "line_voids",
    "line_void_minor", "sale_voids", "sale_void_minor",
)  # fmt: skip
"""The staff report's columns, in order (its CSV's header row even when it has no rows)."""


def staff_report(conn: Connection) -> list[dict[str, Any]]:
    """Price overrides and voids by staff member, store and currency, from the stored
    sale documents (training sales left out). One row per (store, staff, currency):

    - `overrides`, `override_minor`: lines whose price staff changed, and what the
      shopper was charged less than the shelf price (more would be negative);
    - `line_voids`, `line_void_minor`: lines taken off a sale, at the price shown then;
    - `sale_voids`, `sale_void_minor`: whole sales voided, at their total then.

    Read from the documents rather than kept in a table of its own: the documents are
    what the kiosk signed and the checks passed, and a store's sales of a reporting
    period are few enough to read (the LIKE skips those no staff member touched).
    """
    rows = conn.execute(
        select(sales.c.store_id, sales.c.currency, sales.c.document).where(
            sales.c.training.is_(False), sales.c.document.like('%"staff_id"%')
        )
    ).all()
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(row: Any, staff_id: str, kind: str, amount: int) -> None:
        key = (row.store_id, staff_id, row.currency)
        entry = totals.setdefault(
            key,
            {
                "store_id": row.store_id,
                "staff_id": staff_id,
                "currency": row.currency,
                **dict.fromkeys(STAFF_COLUMNS[3:], 0),
            },
        )
        entry[f"{kind}s"] += 1
        entry[f"{kind}_minor"] += amount

    for row in rows:
        doc = json.loads(row.document)
        sale_void = doc.get("void")
        if sale_void:
            add(row, sale_void["staff_id"], "sale_void", sale_void.get("amount_minor", 0))
        for line in doc["lines"]:
            void, override = line.get("void"), line.get("override")
            if void and void != sale_void:
                add(row, void["staff_id"], "line_void", void.get("amount_minor", 0))
            if override and line["state"] == "active":
                add(row, override["staff_id"], "override", _given_off(line, override))
    return [totals[key] for key in sorted(totals)]


def _given_off(line: dict[str, Any], override: dict[str, Any]) -> int:
    """What the line would have cost at the shelf price, less what it cost."""
    shelf = override["shelf_price_minor"]
    weight = line["weight_g"]
    if weight is None or line["gross_minor"] == line["unit_price_minor"]:  # counted, labelled
        at_shelf = shelf * line["quantity"]
    else:  # weighed: per kg, rounded half up (the report's rule, not the store's)
        at_shelf = (shelf * weight + GRAMS_PER_KG // 2) // GRAMS_PER_KG
    return int(at_shelf - line["gross_minor"])
