"""Repositories over the loyalty tables (store migration 3): cached offers, the member
cache, wallet coupons, the local points ledger, coupon redemptions made here, and the
loyalty side of the cart in progress (member, coupons, points), saved on every change.

Phone numbers never reach this database: members are keyed by the keyed phone hash,
and only the masked form (`138****5678`) is kept for the screen.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from kiosk.domain.coupons import CouponDefinition, coupon_from_wire, coupon_to_wire
from kiosk.domain.errors import UNREADABLE
from kiosk.domain.ledger import LedgerEvent
from kiosk.domain.promotions import Promotion, promotion_from_wire, promotion_to_wire
from kiosk.store.database import Store

PROMOTION = "promotion"
COUPON = "coupon"
TIERS = "tiers"

log = logging.getLogger(__name__)
_T = TypeVar("_T")


_MEMBER_SQL = {
    column: "SELECT member_id, member_code, phone_hash, tier, origin, data, cached_at "
    "FROM loyalty_members WHERE " + column + " = ?"
    for column in ("member_id", "member_code", "phone_hash")
}


def _parsed_offers(
    kind: str, stored: Iterable[dict[str, Any]], parse: Callable[[Any], _T]
) -> list[_T]:
    """The stored offers this version reads. One an older version took and this one
    refuses (a check added since) is left out and logged: every sale would fail with it."""
    read = []
    for data in stored:
        try:
            read.append(parse(data))
        except UNREADABLE as exc:
            offer = data.get(f"{kind}_id")
            log.error("stored %s %r cannot be read and is not applied: %s", kind, offer, exc)
    return read


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class CachedMember:
    member_id: str
    member_code: str
    phone_hash: str | None
    tier: str
    origin: str  # "kiosk": signed up here, not yet confirmed; "central": looked up
    data: dict[str, Any]  # masked_phone, points (central balance at lookup), consent…
    cached_at: str


@dataclass(frozen=True, slots=True)
class WalletEntry:
    code: str
    member_id: str | None
    coupon_id: str
    state: str  # "available" | "used"
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Redemption:
    redemption_id: str
    code: str
    coupon_id: str
    member_id: str | None
    sale_id: str
    at: str
    data: dict[str, Any]


class LoyaltyRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _conn(self) -> Any:
        return self._store.db.conn

    # ------------------------------------------------------------ offers
    def put_offers(self, kind: str, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        with self._store.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO loyalty_offers (kind, offer_id, data) VALUES (?,?,?)",
                [(kind, key, _dump(data)) for key, data in items],
            )
            self._bump()

    def delete_offers(self, kind: str, keys: Iterable[str]) -> None:
        with self._store.transaction():
            self._conn.executemany(
                "DELETE FROM loyalty_offers WHERE kind = ? AND offer_id = ?",
                [(kind, key) for key in keys],
            )
            self._bump()

    def offer_ids(self, kind: str) -> set[str]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT offer_id FROM loyalty_offers WHERE kind = ?", (kind,)
            ).fetchall()
        return {r[0] for r in rows}

    def _bump(self) -> None:
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES ('loyalty.offers', 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1"
        )

    def offers_version(self) -> int:
        with self._store.errors():
            row = self._conn.execute(
                "SELECT value FROM counters WHERE name = 'loyalty.offers'"
            ).fetchone()
        return int(row[0]) if row else 0

    def raw_offers(self, kind: str) -> list[dict[str, Any]]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT data FROM loyalty_offers WHERE kind = ? ORDER BY offer_id", (kind,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def save_promotions(self, promotions: Iterable[Promotion]) -> None:
        self.put_offers(PROMOTION, ((p.promotion_id, promotion_to_wire(p)) for p in promotions))

    def save_coupons(self, coupons: Iterable[CouponDefinition]) -> None:
        self.put_offers(COUPON, ((c.coupon_id, coupon_to_wire(c)) for c in coupons))

    def promotions(self) -> list[Promotion]:
        return _parsed_offers(PROMOTION, self.raw_offers(PROMOTION), promotion_from_wire)

    def coupons(self) -> list[CouponDefinition]:
        return _parsed_offers(COUPON, self.raw_offers(COUPON), coupon_from_wire)

    # ------------------------------------------------------------ members
    def put_member(self, member: CachedMember) -> None:
        """Cache a member; never one erased (`forget_members`): a lookup answered before
        the erasure was pulled must not write them back."""
        with self._store.transaction():
            if self.erased(member.member_id):
                return
            if member.phone_hash is not None:
                # One phone, one member: a merge done centrally replaces the local one.
                self._conn.execute(
                    "DELETE FROM loyalty_members WHERE phone_hash = ? AND member_id != ?",
                    (member.phone_hash, member.member_id),
                )
            self._conn.execute(
                "INSERT OR REPLACE INTO loyalty_members (member_id, member_code, phone_hash, "
                "tier, origin, data, cached_at) VALUES (?,?,?,?,?,?,?)",
                (
                    member.member_id,
                    member.member_code,
                    member.phone_hash,
                    member.tier,
                    member.origin,
                    _dump(member.data),
                    member.cached_at,
                ),
            )

    def _member(self, where: str, value: str) -> CachedMember | None:
        with self._store.errors():
            row = self._conn.execute(_MEMBER_SQL[where], (value,)).fetchone()
        if row is None:
            return None
        return CachedMember(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6])

    def member(self, member_id: str) -> CachedMember | None:
        return self._member("member_id", member_id)

    def member_by_code(self, code: str) -> CachedMember | None:
        return self._member("member_code", code)

    def member_by_phone_hash(self, digest: str) -> CachedMember | None:
        return self._member("phone_hash", digest)

    def forget_members(self, member_ids: Iterable[str]) -> None:
        """Members erased on request: what identified them here goes (the cached member:
        code, phone hash, masked phone; their wallet; the phone hash in the sign-up this
        kiosk sent), and their ids are kept so that their member QR is refused (`erased`).
        The ledger and the redemptions made here stay, as the central books keep theirs:
        under an id that leads to nobody."""
        ids = [(member_id,) for member_id in member_ids]
        with self._store.transaction():
            self._conn.executemany("DELETE FROM loyalty_members WHERE member_id = ?", ids)
            self._conn.executemany("DELETE FROM loyalty_wallet WHERE member_id = ?", ids)
            # A sign-up not sent yet is left to be sent: the service did not know that id
            # when it erased, so this erasure is not about it.
            self._conn.executemany(
                "UPDATE outbox SET payload = json_set(payload, '$.phone_hash', 'erased') "
                "WHERE kind = 'member' AND key = ? AND sent_at IS NOT NULL",
                ids,
            )
            self._conn.executemany(
                "INSERT OR IGNORE INTO loyalty_erased (member_id) VALUES (?)", ids
            )

    def erased(self, member_id: str) -> bool:
        with self._store.errors():
            row = self._conn.execute(
                "SELECT 1 FROM loyalty_erased WHERE member_id = ?", (member_id,)
            ).fetchone()
        return row is not None

    def tier_counts(self) -> dict[str, int]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT tier, count(*) FROM loyalty_members GROUP BY tier"
            ).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    # ------------------------------------------------------------ wallet
    def replace_wallet(self, member_id: str, entries: Iterable[WalletEntry]) -> None:
        """The member's wallet as the central service just listed it (used ones drop out);
        codes used here but not yet acknowledged stay marked used. Nothing for a member
        erased (as `put_member`)."""
        with self._store.transaction():
            if self.erased(member_id):
                return
            used_here = {
                r[0]
                for r in self._conn.execute(
                    "SELECT code FROM loyalty_redemptions "
                    "WHERE member_id = ? AND returned_by IS NULL",
                    (member_id,),
                )
            }
            self._conn.execute("DELETE FROM loyalty_wallet WHERE member_id = ?", (member_id,))
            self._conn.executemany(
                "INSERT OR REPLACE INTO loyalty_wallet (code, member_id, coupon_id, state, data) "
                "VALUES (?,?,?,?,?)",
                [
                    (
                        e.code,
                        member_id,
                        e.coupon_id,
                        "used" if e.code in used_here else e.state,
                        _dump(e.data),
                    )
                    for e in entries
                ],
            )

    def wallet(self, member_id: str) -> list[WalletEntry]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT code, member_id, coupon_id, state, data FROM loyalty_wallet "
                "WHERE member_id = ? ORDER BY coupon_id, code",
                (member_id,),
            ).fetchall()
        return [WalletEntry(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    # ------------------------------------------------------------ ledger
    def append_event(self, event: LedgerEvent) -> bool:
        """Store a ledger event once (by its id); False if it was already there."""
        with self._store.transaction():
            cursor = self._conn.execute(
                "INSERT OR IGNORE INTO loyalty_ledger (event_id, member_id, kind, points, "
                "sale_id, at, data) VALUES (?,?,?,?,?,?,?)",
                (
                    event.event_id,
                    event.member_id,
                    event.kind.value,
                    event.points,
                    event.sale_id,
                    event.at,
                    _dump(dict(event.data)),
                ),
            )
            return bool(cursor.rowcount)

    def events(self, member_id: str) -> list[LedgerEvent]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT event_id, member_id, kind, points, sale_id, at, data FROM loyalty_ledger "
                "WHERE member_id = ? ORDER BY event_id",
                (member_id,),
            ).fetchall()
        return [
            LedgerEvent.from_wire(
                {
                    "event_id": r[0],
                    "member_id": r[1],
                    "kind": r[2],
                    "points": r[3],
                    "sale_id": r[4],
                    "at": r[5],
                    "data": json.loads(r[6]),
                }
            )
            for r in rows
        ]

    def ledger_mark(self, member_id: str) -> dict[str, Any]:
        """What the central balance cannot include yet, as of now: taken when the balance
        is looked up. UUIDv7 ids are time-ordered, so `last` splits later events off."""
        with self._store.errors():
            last = self._conn.execute(
                "SELECT max(event_id) FROM loyalty_ledger WHERE member_id = ?", (member_id,)
            ).fetchone()[0]
            unsent = [
                r[0]
                for r in self._conn.execute(
                    "SELECT l.event_id FROM loyalty_ledger l JOIN outbox o "
                    "ON o.kind = 'ledger' AND o.key = l.event_id "
                    "WHERE l.member_id = ? AND o.sent_at IS NULL",
                    (member_id,),
                )
            ]
        return {"last": last or "", "unsent": unsent}

    def local_points(self, member_id: str, mark: dict[str, Any]) -> int:
        """Points booked here that the central balance looked up at `mark` did not show."""
        unsent = list(mark.get("unsent", []))
        marks = ",".join("?" * len(unsent)) or "NULL"
        with self._store.errors():
            sql = (
                "SELECT coalesce(sum(points), 0) FROM loyalty_ledger WHERE member_id = ? "  # noqa: S608
                f"AND (event_id > ? OR event_id IN ({marks}))"
            )
            row = self._conn.execute(
                sql, [member_id, str(mark.get("last", "")), *unsent]
            ).fetchone()
        return int(row[0])

    # ------------------------------------------------------------ redemptions
    def booked(self, sale_id: str) -> bool:
        """Whether points or coupon uses were already written for this sale."""
        row = self._conn.execute(
            "SELECT 1 FROM loyalty_ledger WHERE sale_id = ? "
            "UNION ALL SELECT 1 FROM loyalty_redemptions WHERE sale_id = ? LIMIT 1",
            (sale_id, sale_id),
        ).fetchone()
        return row is not None

    def add_redemption(self, r: Redemption) -> None:
        with self._store.transaction():
            self._conn.execute(
                "INSERT INTO loyalty_redemptions (redemption_id, code, coupon_id, member_id, "
                "sale_id, at, data) VALUES (?,?,?,?,?,?,?)",
                (r.redemption_id, r.code, r.coupon_id, r.member_id, r.sale_id, r.at, _dump(r.data)),
            )
            self._conn.execute("UPDATE loyalty_wallet SET state = 'used' WHERE code = ?", (r.code,))

    def used_codes(self, codes: Iterable[str]) -> frozenset[str]:
        wanted = list(codes)
        if not wanted:
            return frozenset()
        marks = ",".join("?" * len(wanted))
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT code FROM loyalty_redemptions "  # noqa: S608
                f"WHERE code IN ({marks}) AND returned_by IS NULL "
                f"UNION SELECT code FROM loyalty_wallet WHERE state = 'used' AND code IN ({marks})",
                wanted + wanted,
            ).fetchall()
        return frozenset(r[0] for r in rows)

    def member_uses(self, member_id: str, looked_up_at: str = "") -> dict[str, int]:
        """What to add to the central count of the member's coupon uses (taken at
        `looked_up_at`): uses made here that it cannot include (made after it, or not
        delivered yet), less uses it did include that a refund made here after it gave
        back (negative then)."""
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT r.coupon_id, sum(CASE WHEN r.returned_by IS NULL THEN 1 ELSE -1 END) "
                "FROM loyalty_redemptions r "
                "LEFT JOIN outbox o ON o.kind = 'coupon_redemption' AND o.key = r.redemption_id "
                "LEFT JOIN refunds f ON f.refund_id = r.returned_by "
                "WHERE r.member_id = ? AND CASE WHEN r.returned_by IS NULL "
                "THEN r.at > ? OR o.sent_at IS NULL OR o.sent_at > ? "
                "ELSE r.at <= ? AND o.sent_at <= ? AND f.created_at > ? END "
                "GROUP BY r.coupon_id",
                (member_id, *[looked_up_at] * 5),
            ).fetchall()
        return {r[0]: int(r[1]) for r in rows if r[1]}

    def return_coupons(self, sale_id: str, codes: Iterable[str], refund_id: str) -> list[str]:
        """The sale's standing redemptions of `codes` are given back by `refund_id` (it
        freed them): the codes may be redeemed here again and the cached wallet shows them
        available. A code stays with the first refund that returned it. Which codes this
        refund returned."""
        wanted = list(codes)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        with self._store.transaction():
            returned = [
                r[0]
                for r in self._conn.execute(
                    "SELECT code FROM loyalty_redemptions WHERE sale_id = ? "  # noqa: S608
                    f"AND returned_by IS NULL AND code IN ({marks}) ORDER BY code",
                    [sale_id, *wanted],
                )
            ]
            self._mark(returned, sale_id, refund_id, "available")
        return returned

    def undo_return(self, refund_id: str) -> None:
        """The refund was refused centrally, so its coupons stand used again; except a code
        redeemed here since: that use stands, and the double use is reported at sync."""
        with self._store.transaction():
            rows = self._conn.execute(
                "SELECT code, sale_id FROM loyalty_redemptions r WHERE returned_by = ? "
                "AND NOT EXISTS (SELECT 1 FROM loyalty_redemptions s "
                "WHERE s.code = r.code AND s.returned_by IS NULL)",
                (refund_id,),
            ).fetchall()
            for code, sale_id in rows:
                self._mark([code], sale_id, None, "used")

    def _mark(self, codes: list[str], sale_id: str, refund_id: str | None, state: str) -> None:
        for code in codes:
            self._conn.execute(
                "UPDATE loyalty_redemptions SET returned_by = ? WHERE sale_id = ? AND code = ?",
                (refund_id, sale_id, code),
            )
            self._conn.execute("UPDATE loyalty_wallet SET state = ? WHERE code = ?", (state, code))

    def redemptions(self, limit: int = 1000) -> list[Redemption]:
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT redemption_id, code, coupon_id, member_id, sale_id, at, data "
                "FROM loyalty_redemptions ORDER BY redemption_id LIMIT ?",
                (limit,),
            ).fetchall()
        return [Redemption(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    # ------------------------------------------------------------ the cart's loyalty state
    def save_session(self, cart_id: str, data: dict[str, Any]) -> None:
        with self._store.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO loyalty_cart (cart_id, data) VALUES (?, ?)",
                (cart_id, _dump(data)),
            )

    def session(self, cart_id: str) -> dict[str, Any] | None:
        with self._store.errors():
            row = self._conn.execute(
                "SELECT data FROM loyalty_cart WHERE cart_id = ?", (cart_id,)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def delete_session(self, cart_id: str) -> None:
        with self._store.transaction():
            self._conn.execute("DELETE FROM loyalty_cart WHERE cart_id = ?", (cart_id,))

    def delete_stale_sessions(self, keep: str) -> int:
        """Forget the loyalty state of carts that were abandoned (neither `keep`, the cart
        in progress, nor a sale)."""
        with self._store.transaction():
            cursor = self._conn.execute(
                "DELETE FROM loyalty_cart WHERE cart_id != ? "
                "AND cart_id NOT IN (SELECT sale_id FROM sales)",
                (keep,),
            )
            return int(cursor.rowcount)

    def sessions_of_finished_sales(self) -> list[str]:
        """Carts that became sales but whose loyalty side was not booked (a crash between)."""
        with self._store.errors():
            rows = self._conn.execute(
                "SELECT c.cart_id FROM loyalty_cart c JOIN sales s ON s.sale_id = c.cart_id "
                "ORDER BY c.cart_id"
            ).fetchall()
        return [r[0] for r in rows]
