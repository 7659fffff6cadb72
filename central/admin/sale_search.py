"""Finding a sale in the console (by number, day, kiosk or member) and showing it whole:
lines, discounts, taxes, tenders, the refunds made against it, and whether its kiosk's
journal chain has breaks or gaps. Store managers see their own stores' sales only.

Times are the kiosk's own `created_at` (what the receipt shows), compared as ISO text by
day: a kiosk writes its time with its offset, so a day is the store's day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select

from central.admin.service import Account, Permission, Role, require
from central.clock import console_day
from central.errors import Forbidden, Invalid, NotFound
from central.keys import member_phone_key
from central.kiosks.tables import kiosks
from central.loyalty import members as loyalty
from central.loyalty.tables import member_aliases
from central.sales.tables import conflicts, journal, journal_issues, refunds, sales
from kiosk.domain.money import Money

LIMIT = 50


@dataclass(frozen=True, slots=True)
class SaleQuery:
    number: str = ""
    """A kiosk's sale number (its gap-free sequence) or the start of a sale id."""
    kiosk_id: str = ""
    day_from: str = ""
    day_to: str = ""
    member_code: str = ""

    @property
    def empty(self) -> bool:
        return not any((self.number, self.kiosk_id, self.day_from, self.day_to, self.member_code))


@dataclass(frozen=True, slots=True)
class SaleRow:
    sale_id: str
    sequence: int
    kiosk_id: str
    kiosk_name: str
    store_id: str
    created_at: str
    status: str
    training: bool
    total: Money
    item_count: int


@dataclass(frozen=True, slots=True)
class RefundRow:
    refund_id: str
    method: str
    amount: Money
    status: str
    created_ms: int


@dataclass(frozen=True, slots=True)
class SaleDetail:
    row: SaleRow
    document: dict[str, Any]
    refunds: tuple[RefundRow, ...]
    chain_issues: int
    """Breaks and conflicts recorded for the sale's kiosk (gaps close by themselves)."""
    conflicts: int
    """Copies of this sale that arrived with another body, kept for review."""
    entry: JournalLink | None = None
    """The kiosk's journal entry of this sale; None until it arrives."""


@dataclass(frozen=True, slots=True)
class JournalLink:
    """The sale's own entry in its kiosk's hash-chained journal, as the service holds it."""

    index: int
    digest_matches: bool
    """The entry's digest is the SHA-256 of the sale's document as stored."""
    missing_before: int
    """Entries before it not (yet) received: the chain to it cannot be checked whole."""
    issues_before: int
    """Breaks and conflicts recorded at or before it."""

    @property
    def whole(self) -> bool:
        return self.digest_matches and not self.missing_before and not self.issues_before


_SEQUENCE_DIGITS = 18
"""A kiosk's sale numbers fit a BIGINT; longer digit strings are no sale number."""


def _day(text: str, what: str) -> str:
    try:
        return console_day(text).isoformat()
    except ValueError as exc:
        raise Invalid(
            f"{what}: {exc} (a date such as 2026-11-23)",
            reason="bad_date",
            say="bad_date",
            params={"value": text},
        ) from None


def _columns() -> Any:
    return select(
        sales.c.sale_id,
        sales.c.sequence,
        sales.c.kiosk_id,
        func.coalesce(kiosks.c.name, sales.c.kiosk_id).label("kiosk_name"),
        sales.c.store_id,
        sales.c.created_at,
        sales.c.status,
        sales.c.training,
        sales.c.currency,
        sales.c.total_minor,
        sales.c.item_count,
    ).outerjoin(kiosks, kiosks.c.kiosk_id == sales.c.kiosk_id)


def _row(r: Any) -> SaleRow:
    return SaleRow(
        r.sale_id,
        int(r.sequence),
        r.kiosk_id,
        r.kiosk_name,
        r.store_id,
        r.created_at,
        r.status,
        bool(r.training),
        Money(int(r.total_minor), r.currency),
        int(r.item_count),
    )


def find(
    conn: Connection, who: Account, query: SaleQuery, secret: bytes, limit: int = LIMIT
) -> list[SaleRow]:
    """The newest sales matching every field given (a store manager's stores only)."""
    require(who, Permission.VIEW_SALES)
    stmt = _columns()
    if who.role is Role.STORE_MANAGER:
        stmt = stmt.where(sales.c.store_id.in_(sorted(who.stores)))
    number = query.number.strip()
    if number.isascii() and number.isdigit():
        if len(number) > _SEQUENCE_DIGITS:  # past a BIGINT: no sale has it
            raise Invalid(
                f"no kiosk numbers a sale {number}",
                reason="bad_number",
                say="sale_number",
                params={"value": number},
            )
        stmt = stmt.where(sales.c.sequence == int(number))
    elif number:
        stmt = stmt.where(sales.c.sale_id.startswith(number.lower(), autoescape=True))
    if query.kiosk_id:
        stmt = stmt.where(sales.c.kiosk_id == query.kiosk_id)
    if query.day_from:
        stmt = stmt.where(sales.c.created_at >= _day(query.day_from, "from"))
    if query.day_to:
        after = date.fromisoformat(_day(query.day_to, "to")) + timedelta(days=1)
        stmt = stmt.where(sales.c.created_at < after.isoformat())
    if query.member_code:
        code = query.member_code.strip()
        if not code.upper().startswith("M"):
            # A phone number would sit in the address of this GET form: members are found
            # by phone on the Members page, by a POST.
            raise Invalid("give a member code here (find a member by phone on the Members page)",
                          reason="bad_member", say="member_code_here")  # fmt: skip
        member_id = loyalty.find(conn, member_phone_key(secret), code)
        aliases = select(member_aliases.c.member_id).where(
            member_aliases.c.canonical_id == member_id
        )
        ids = [member_id, *conn.execute(aliases).scalars()]
        # A sale names its member inside its document only; member ids are UUIDs.
        stmt = stmt.where(or_(*(sales.c.document.contains(i) for i in ids)))
    rows = conn.execute(stmt.order_by(sales.c.created_at.desc()).limit(limit))
    return [_row(r) for r in rows]


def detail(conn: Connection, who: Account, sale_id: str) -> SaleDetail:
    require(who, Permission.VIEW_SALES)
    found = conn.execute(
        _columns()
        .add_columns(sales.c.document, sales.c.body_hash)
        .where(sales.c.sale_id == sale_id.lower())
    ).first()
    if found is None:
        raise NotFound(f"no sale {sale_id}", reason="not_found")
    if not who.runs(found.store_id):
        raise Forbidden("this sale is another store's", reason="forbidden")
    refund_rows = conn.execute(
        select(refunds).where(refunds.c.sale_id == found.sale_id).order_by(refunds.c.created_at)
    ).all()
    issues = conn.execute(
        select(func.count())
        .select_from(journal_issues)
        .where(journal_issues.c.kiosk_id == found.kiosk_id, journal_issues.c.kind != "gap")
    ).scalar_one()
    copies = conn.execute(
        select(func.count())
        .select_from(conflicts)
        .where(conflicts.c.entity == "sale", conflicts.c.entity_id == found.sale_id)
    ).scalar_one()
    return SaleDetail(
        _row(found),
        json.loads(found.document),
        tuple(
            RefundRow(
                r.refund_id,
                r.method,
                Money(int(r.amount_minor), r.currency),
                r.status,
                int(r.created_at),
            )
            for r in refund_rows
        ),
        int(issues),
        int(copies),
        _journal_link(conn, found.kiosk_id, found.sale_id, found.body_hash),
    )


def _journal_link(
    conn: Connection, kiosk_id: str, sale_id: str, body_hash: str
) -> JournalLink | None:
    """The sale's journal entry (`sale_paid` or `sale_voided`, naming the sale and the
    digest of its document) and the state of the kiosk's chain up to it."""
    entries = conn.execute(
        select(journal.c.idx, journal.c.payload).where(
            journal.c.kiosk_id == kiosk_id,
            journal.c.kind.in_(("sale_paid", "sale_voided")),
            journal.c.payload.contains(sale_id),
        )
    ).all()
    found = [(int(e.idx), json.loads(e.payload)) for e in entries]
    mine = [(idx, payload) for idx, payload in found if payload.get("sale_id") == sale_id]
    if not mine:
        return None
    index, payload = mine[0]
    held = conn.execute(
        select(func.count())
        .select_from(journal)
        .where(journal.c.kiosk_id == kiosk_id, journal.c.idx <= index)
    ).scalar_one()
    issues = conn.execute(
        select(func.count())
        .select_from(journal_issues)
        .where(
            journal_issues.c.kiosk_id == kiosk_id,
            journal_issues.c.kind != "gap",
            journal_issues.c.idx <= index,
        )
    ).scalar_one()
    return JournalLink(index, payload.get("digest") == body_hash, index - int(held), int(issues))


def kiosk_choices(conn: Connection, who: Account) -> list[tuple[str, str]]:
    """(kiosk id, "name · store") of the kiosks whose sales `who` may see."""
    stmt = select(kiosks.c.kiosk_id, kiosks.c.name, kiosks.c.store_id).order_by(
        kiosks.c.store_id, kiosks.c.name
    )
    if who.role is Role.STORE_MANAGER:
        stmt = stmt.where(kiosks.c.store_id.in_(sorted(who.stores)))
    return [(r.kiosk_id, f"{r.name} · {r.store_id}") for r in conn.execute(stmt)]
