"""What the kiosks sent that the service kept aside for people to review (#15.7): the
conflicts (the same id with another body, a sale the checks refused, a coupon used twice,
…) with the document as it arrived, and the kiosks' journal chain breaks and sequence gaps.
The gaps are the sales service's own report (`central.sales.service.integrity_report`,
which the bearer API `/v1/admin/reports/integrity` also serves); a store manager sees
their own stores' kiosks only.

A conflict or a chain issue can be marked as dealt with (who, when, a note; audited in
the same transaction): it leaves the open list for the "dealt with" one, and the item
itself stays as the kiosk sent it. A mark made in error is taken back (reopened, with a
reason, audited with the mark it removes): the item is open again. A gap is not marked: it
closes by itself when the missing sale or entry arrives.

The dealt-with lists page back through older items (`before`, an item id, newest first, as
the audit log pages): an auditor looking for last month's mark finds it, not only a count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Select, Table, and_, func, select

from central.admin.service import Account, Actor, Permission, Role, record, require
from central.admin.tables import integrity_reviews
from central.clock import iso_ms
from central.errors import Forbidden, Invalid, NotFound
from central.kiosks.tables import kiosks
from central.sales import service as sales
from central.sales.tables import conflicts, journal_issues

LIMIT = 100
DEALT_LIMIT = 50
MAX_NOTE = 500
ItemKind = Literal["conflict", "chain"]
KINDS: dict[str, Table] = {"conflict": conflicts, "chain": journal_issues}


@dataclass(frozen=True, slots=True)
class Kiosk:
    kiosk_id: str
    name: str
    store_id: str


@dataclass(frozen=True, slots=True)
class Dealt:
    """Who marked an item as dealt with, when (ISO time) and how."""

    login: str
    at: str
    note: str


@dataclass(frozen=True, slots=True)
class Conflict:
    entity: str
    """What was sent: sale, journal, member, ledger, redemption."""
    entity_id: str
    kiosk: Kiosk
    reason: str
    received_at: str
    document: str
    """As the kiosk sent it, indented for reading."""
    item_id: int = 0
    dealt: Dealt | None = None


@dataclass(frozen=True, slots=True)
class ChainIssue:
    kiosk: Kiosk
    kind: str
    """chain_break, conflict (an entry re-sent with another body) or gap."""
    index: int
    detail: str
    detected_at: str
    item_id: int | None = None
    """None for a gap, which is not marked: it closes by itself."""
    dealt: Dealt | None = None


@dataclass(frozen=True, slots=True)
class Review:
    conflicts: tuple[Conflict, ...]
    issues: tuple[ChainIssue, ...]
    dealt_conflicts: tuple[Conflict, ...] = ()
    dealt_issues: tuple[ChainIssue, ...] = ()
    open_conflict_count: int = 0
    """How many conflicts are open in all: the list holds the newest `LIMIT`."""
    open_chain_count: int = 0
    """The same for chain breaks and conflicting entries (gaps are not counted: they come
    from the sales service's report, which lists the newest `LIMIT` of each kind)."""
    dealt_conflict_count: int = 0
    """How many conflicts were dealt with in all: the list holds a page of `DEALT_LIMIT`."""
    dealt_chain_count: int = 0
    """The same for chain issues."""
    dealt_conflicts_newer: int = 0
    """How many conflicts dealt with are newer than the page shown (0 on the first page)."""
    dealt_chain_newer: int = 0
    """The same for chain issues."""


def _known(conn: Connection, who: Account) -> dict[str, Kiosk]:
    stmt = select(kiosks.c.kiosk_id, kiosks.c.name, kiosks.c.store_id)
    if who.role is Role.STORE_MANAGER:
        stmt = stmt.where(kiosks.c.store_id.in_(sorted(who.stores)))
    return {r.kiosk_id: Kiosk(r.kiosk_id, r.name, r.store_id) for r in conn.execute(stmt)}


def _reviewed(kind: str, table: Table) -> Any:
    return and_(integrity_reviews.c.kind == kind, integrity_reviews.c.item_id == table.c.id)


def _filtered(
    stmt: Select[Any],
    kind: ItemKind,
    scope: list[str] | None,
    *,
    dealt: bool,
    before: int | None = None,
) -> Any:
    """`stmt` over one kind's items joined to their review, open (or dealt with) ones only,
    older than the item `before` if given."""
    table = KINDS[kind]
    stmt = stmt.select_from(table).outerjoin(integrity_reviews, _reviewed(kind, table))
    stmt = stmt.where(
        integrity_reviews.c.item_id.is_not(None) if dealt else integrity_reviews.c.item_id.is_(None)
    )
    if kind == "chain":
        stmt = stmt.where(table.c.kind != "gap")  # gaps are reported as they stand now
    if scope is not None:
        stmt = stmt.where(table.c.kiosk_id.in_(scope))
    if before is not None:
        stmt = stmt.where(table.c.id < before)
    return stmt


def _items(
    conn: Connection,
    kind: ItemKind,
    scope: list[str] | None,
    *,
    dealt: bool,
    limit: int,
    before: int | None = None,
) -> list[Any]:
    """The newest open (or dealt with) items of one kind older than `before`, with their
    review if any."""
    table = KINDS[kind]
    review = integrity_reviews.c
    stmt = _filtered(select(table, review.login, review.at_ms, review.note), kind, scope,
                     dealt=dealt, before=before)  # fmt: skip
    return list(conn.execute(stmt.order_by(table.c.id.desc()).limit(limit)))


def _count(
    conn: Connection,
    kind: ItemKind,
    scope: list[str] | None,
    *,
    dealt: bool,
    before: int | None = None,
) -> int:
    stmt = _filtered(select(func.count()), kind, scope, dealt=dealt, before=before)
    return int(conn.execute(stmt).scalar_one())


def _dealt(r: Any) -> Dealt | None:
    return None if r.login is None else Dealt(r.login, iso_ms(r.at_ms) or "", r.note)


def review(
    conn: Connection,
    who: Account,
    limit: int = LIMIT,
    *,
    conflicts_before: int | None = None,
    chain_before: int | None = None,
) -> Review:
    """The newest `limit` open conflicts and chain issues of the kiosks `who` may see, and
    the newest of those dealt with (older than the items `conflicts_before` and
    `chain_before`, when paging back)."""
    require(who, Permission.REVIEW_INTEGRITY)
    known = _known(conn, who)
    scope = None if who.role is not Role.STORE_MANAGER else sorted(known)

    def kiosk(kiosk_id: str) -> Kiosk:
        # A kiosk row outlives revocation; a missing one is shown by its id.
        return known.get(kiosk_id, Kiosk(kiosk_id, kiosk_id, ""))

    def conflict(r: Any) -> Conflict:
        document = json.dumps(json.loads(r.document), ensure_ascii=False, indent=2, sort_keys=True)
        return Conflict(r.entity, r.entity_id, kiosk(r.kiosk_id), r.reason,
                        iso_ms(r.received_at) or "", document, int(r.id), _dealt(r))  # fmt: skip

    def issue(r: Any) -> ChainIssue:
        return ChainIssue(kiosk(r.kiosk_id), r.kind, int(r.idx), r.detail,
                          iso_ms(r.detected_at) or "", int(r.id), _dealt(r))  # fmt: skip

    def dealt_page(kind: ItemKind, before: int | None) -> list[Any]:
        return _items(conn, kind, scope, dealt=True, limit=DEALT_LIMIT, before=before)

    def older(kind: ItemKind, total: int, before: int | None) -> int:
        # The page and the items after it: the rest of the total is newer than the page.
        return total if before is None else _count(conn, kind, scope, dealt=True, before=before)

    dealt_conflicts = _count(conn, "conflict", scope, dealt=True)
    dealt_chain = _count(conn, "chain", scope, dealt=True)
    gaps = sales.integrity_report(conn, limit, kiosk_ids=scope).sequence_gaps
    return Review(
        tuple(conflict(r) for r in _items(conn, "conflict", scope, dealt=False, limit=limit)),
        (
            *(issue(r) for r in reversed(_items(conn, "chain", scope, dealt=False, limit=limit))),
            *(
                ChainIssue(kiosk(g.kiosk_id), g.kind, g.index, g.detail, g.detected_at)
                for g in gaps
            ),
        ),
        tuple(conflict(r) for r in dealt_page("conflict", conflicts_before)),
        tuple(issue(r) for r in dealt_page("chain", chain_before)),
        _count(conn, "conflict", scope, dealt=False),
        _count(conn, "chain", scope, dealt=False),
        dealt_conflicts,
        dealt_chain,
        dealt_conflicts - older("conflict", dealt_conflicts, conflicts_before),
        dealt_chain - older("chain", dealt_chain, chain_before),
    )


def _item(conn: Connection, who: Account, kind: str, item_id: int) -> Any:
    """The conflict or chain issue `who` may review, or NotFound / Forbidden."""
    require(who, Permission.REVIEW_INTEGRITY)
    table = KINDS.get(kind)
    if table is None:
        raise NotFound(f"no {kind!r} items to review", reason="not_found")
    row = conn.execute(select(table).where(table.c.id == item_id)).first()
    if row is None or (kind == "chain" and row.kind == "gap"):
        raise NotFound(f"no {kind} {item_id} to review", reason="not_found")
    store = conn.execute(
        select(kiosks.c.store_id).where(kiosks.c.kiosk_id == row.kiosk_id)
    ).scalar_one_or_none()
    if who.role is Role.STORE_MANAGER and store not in who.stores:
        raise Forbidden("this item is another store's kiosk's", reason="forbidden")
    return row


def _note(note: str, what: str) -> str:
    note = note.strip()
    if not 0 < len(note) <= MAX_NOTE:
        raise Invalid(f"say {what}, in 1 to {MAX_NOTE} characters", reason="bad_note")
    return note


def _audited(kind: str, row: Any) -> dict[str, Any]:
    """What the audit log keeps of the item a mark is about."""
    what = (
        {"entity": row.entity, "entity_id": row.entity_id, "reason": row.reason}
        if kind == "conflict"
        else {"kind": row.kind, "index": int(row.idx), "detail": row.detail}
    )
    return what | {"kiosk_id": row.kiosk_id}


def _review(conn: Connection, kind: str, item_id: int) -> Any:
    return conn.execute(
        select(integrity_reviews).where(
            integrity_reviews.c.kind == kind, integrity_reviews.c.item_id == item_id
        )
    ).first()


def mark_dealt(
    conn: Connection, who: Account, actor: Actor, kind: str, item_id: int, note: str, now_ms: int
) -> None:
    """Mark a conflict or chain issue of a kiosk `who` may see as dealt with, audited."""
    row = _item(conn, who, kind, item_id)
    note = _note(note, "what was done")
    done = _review(conn, kind, item_id)
    if done is not None:
        raise Invalid(f"already marked as dealt with by {done.login}", reason="already_dealt")
    conn.execute(
        integrity_reviews.insert().values(
            kind=kind, item_id=item_id, login=actor.login, at_ms=now_ms, note=note
        )
    )
    record(conn, actor, "integrity.dealt", f"{kind} {item_id}", _audited(kind, row),
           {"dealt_with": True, "note": note}, now_ms)  # fmt: skip


def reopen(
    conn: Connection, who: Account, actor: Actor, kind: str, item_id: int, why: str, now_ms: int
) -> None:
    """Take back a "dealt with" mark made in error: the item is open again, audited with the
    mark it removes."""
    row = _item(conn, who, kind, item_id)
    why = _note(why, "why it is reopened")
    done = _review(conn, kind, item_id)
    if done is None:
        raise Invalid("not marked as dealt with", reason="not_dealt")
    conn.execute(
        integrity_reviews.delete().where(
            integrity_reviews.c.kind == kind, integrity_reviews.c.item_id == item_id
        )
    )
    mark = {"dealt_with": True, "by": done.login, "at": iso_ms(done.at_ms), "note": done.note}
    record(conn, actor, "integrity.reopened", f"{kind} {item_id}", _audited(kind, row) | mark,
           {"dealt_with": False, "why": why}, now_ms)  # fmt: skip
