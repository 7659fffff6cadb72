"""Delta pullers: every feed the kiosk holds a copy of (catalog, barcode rules, staff,
its store's rules, promotions, coupons and tiers) and the members erased on request,
from the central service, by one table (`PULLED`).

Each page's items and the cursor that follows them are written in one kiosk
transaction, so a crash mid-pull resumes exactly where it stopped: never a change
skipped, at worst a page applied twice (upserts and deletions are idempotent).
`pull_pages` is that loop for any cursor-paged feed.

A pull from the start (a new kiosk, a re-enrolment, a service database replaced) is
a *full* pull: afterwards the kiosk holds exactly what the service holds. Its first
page carries no tombstones, so what the service deleted before, and what came from
elsewhere (a local CSV import, the demo catalog), would otherwise stay forever.
Mark and sweep: every key a full pull receives is marked (`feed_marks`, page by page
in the page's transaction, so an interrupted full pull resumes with its marks), and
in the transaction of the last page every local key left unmarked is removed exactly
as a tombstone for it would remove it. Until that last page nothing is removed, so an
interrupted full pull never leaves half a catalog behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kiosk.domain.catalog import product_from_wire
from kiosk.domain.codes import Gtin, rcn_rule_from_wire
from kiosk.domain.coupons import coupon_from_wire
from kiosk.domain.errors import UNREADABLE, CodeError
from kiosk.domain.members import TierPolicy
from kiosk.domain.policy import store_rules_from_wire, store_rules_to_wire
from kiosk.domain.promotions import promotion_from_wire
from kiosk.domain.staff import Role, Staff
from kiosk.services.config import (
    CENTRAL_RULES_KEY,
    CENTRAL_STORE_RULES_KEY,
    POLICY_KEY,
    REFUSED_ITEMS_KEY,
    REJECTED_RULES_KEY,
    REJECTED_STORE_RULES_KEY,
    policy_from_settings,
)
from kiosk.store.loyalty import COUPON, PROMOTION, TIERS
from kiosk.store.repositories import StaffRecord
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.errors import ProtocolError
from sync.loyalty_protocol import ERASURES_FEED, LOYALTY_PREFIX
from sync.protocol import ANSWER, API_PREFIX, FeedItem, FeedPage

log = logging.getLogger(__name__)

RULES_KEY = CENTRAL_RULES_KEY
CENTRAL = "central"
"""The origin of staff records from the staff feed."""
DEFAULT_PAGE = 2000


def full_pull_key(cursor_setting: str) -> str:
    """Set while a full pull of the feed behind `cursor_setting` is under way."""
    return f"{cursor_setting}.full"


Applier = Callable[[KioskStore, FeedPage], None]
"""Writes one page of a feed into the store."""


Upsert = tuple[str, dict[str, Any], Any]
"""A readable feed item: its key, its data and what the feed's parser made of it."""
Writer = Callable[[KioskStore, list[Upsert], list[str]], None]
"""Writes a feed page's readable items and its deletions (keys)."""


def _readable(
    feed: str,
    parse: Callable[[dict[str, Any]], object],
    write: Writer,
    *,
    keep_older: bool = False,
) -> Applier:
    """Writes the items of `feed` this kiosk can read, each parsed once; refuses the others.

    A product or an offer a newer service sends (a new kind, a new unit) must not stop
    the feed, nor every sale with it: the item is logged and left out, and the others are
    written. Its older version is removed (a price or an offer the chain has changed is
    not applied as it was; the product is then unknown, a staff call), unless
    `keep_older` (the tier policy: without the chain's, the kiosk's own configured one
    would apply, a different points liability). `kiosk sync status` and the heartbeat
    list it; its data is kept and read again after each pull, so an upgraded kiosk
    applies it, and a newer version or a tombstone from the feed replaces it.
    """

    def apply_readable(store: KioskStore, page: FeedPage) -> None:
        before: dict[str, dict[str, Any]] = store.settings.get(REFUSED_ITEMS_KEY, {})
        held: dict[str, Any] = dict(before.get(feed, {}))
        sent = {item.key for item in page.items}
        # At a pull's last page (and its sweep's, on a full pull: one that still fails
        # changes nothing): an upgraded kiosk may read them now.
        again = [
            FeedItem(key=key, deleted=False, data=entry["data"])
            for key, entry in held.items()
            if key not in sent and not page.more
        ]
        upserts: list[Upsert] = []
        deletions: list[str] = []
        for item in [*again, *page.items]:
            if item.deleted or item.data is None:
                held.pop(item.key, None)
                deletions.append(item.key)
                continue
            try:
                upserts.append((item.key, item.data, parse(item.data)))
            except UNREADABLE as exc:
                why = str(exc) or type(exc).__name__
            else:
                held.pop(item.key, None)
                continue
            held[item.key] = {"reason": why, "data": item.data}
            if item.key in sent:  # a retry refused again was logged (and removed) before
                log.error(
                    "%s item %r from the central service cannot be read by this kiosk's "
                    "version and was left out: %s (upgrade the kiosk)",
                    feed,
                    item.key,
                    why,
                )
                if not keep_older:
                    deletions.append(item.key)
        if held != before.get(feed, {}):
            after = {**before, feed: held}
            store.settings.set(REFUSED_ITEMS_KEY, {name: got for name, got in after.items() if got})
        write(store, upserts, deletions)

    return apply_readable


def _refused_keys(feed: str, store: KioskStore) -> set[str]:
    """Keys of `feed` refused here: a full pull's sweep sends a tombstone for those the
    service no longer holds, so an upgrade does not bring back what the chain deleted."""
    return set(store.settings.get(REFUSED_ITEMS_KEY, {}).get(feed, {}))


def _write_catalog(store: KioskStore, upserts: list[Upsert], deletions: list[str]) -> None:
    if upserts:
        store.catalog.upsert_many([product for _, _, product in upserts])
    if deletions:
        store.catalog.delete_many([Gtin(key) for key in deletions])


def _apply_rules(store: KioskStore, page: FeedPage) -> None:
    """Keep the central barcode rules that parse; log and record the others.

    A rule the kiosk cannot read is refused, not half-applied: the kiosk keeps the last
    valid version of that rule (or none), so a bad edit centrally cannot stop the tills
    reading scale labels. `kiosk sync status` lists what was refused and why.
    """
    rules: dict[str, Any] = dict(store.settings.get(RULES_KEY, {}))
    rejected: dict[str, str] = dict(store.settings.get(REJECTED_RULES_KEY, {}))
    for item in page.items:
        if item.deleted or item.data is None:
            rules.pop(item.key, None)
            rejected.pop(item.key, None)
            continue
        try:
            rcn_rule_from_wire(item.data)
        except CodeError as exc:
            log.error(
                "barcode rule %r from the central service is invalid and was not applied: %s "
                "(this kiosk keeps %s)",
                item.key,
                exc,
                "its previous version" if item.key in rules else "reading labels without it",
            )
            rejected[item.key] = str(exc)
            continue
        rules[item.key] = item.data
        rejected.pop(item.key, None)
    by_prefix: dict[str, list[str]] = {}
    for rule_id, data in sorted(rules.items()):
        by_prefix.setdefault(str(data["prefix"]), []).append(rule_id)
    for prefix, ids in by_prefix.items():
        if len(ids) > 1:
            log.error(
                "barcode rules %s from the central service all claim prefix %s: "
                "labels are read by %s until the chain keeps only one",
                ", ".join(ids),
                prefix,
                ids[0],
            )
    store.settings.set(RULES_KEY, rules)
    store.settings.set(REJECTED_RULES_KEY, rejected)


def _rule_keys(store: KioskStore) -> set[str]:
    return set(store.settings.get(RULES_KEY, {})) | set(store.settings.get(REJECTED_RULES_KEY, {}))


def _apply_store_rules(store: KioskStore, page: FeedPage) -> None:
    """Keep the chain's rules for this kiosk's store (the feed holds every store's).

    Rules the kiosk cannot read or apply (another currency's) are refused as a whole, as
    a barcode rule is: the kiosk keeps the last rules it took (or its own), logs the error
    and records it for `kiosk sync status`. A tombstone gives the store back the kiosk's
    own rules; so does enrolling in another store (the rules held were the old store's).
    """
    stored = store.settings.get(POLICY_KEY)
    if stored is None:
        return  # no store set up on this kiosk: no store's rules to keep
    own = policy_from_settings(stored)
    held = store.settings.get(CENTRAL_STORE_RULES_KEY)
    if held and held.get("store_id") != own.store_id:
        store.settings.set(CENTRAL_STORE_RULES_KEY, None)
        store.settings.set(REJECTED_STORE_RULES_KEY, None)
    for item in page.items:
        if item.key != own.store_id:
            continue
        if item.deleted or item.data is None:
            store.settings.set(CENTRAL_STORE_RULES_KEY, None)
            store.settings.set(REJECTED_STORE_RULES_KEY, None)
            continue
        try:
            rules = store_rules_from_wire(item.data)
            rules.applied_to(own)
        except ValueError as exc:
            log.error(
                "the store rules for %s from the central service are invalid and were not "
                "applied: %s (this kiosk keeps %s)",
                own.store_id,
                exc,
                "the last ones it took"
                if store.settings.get(CENTRAL_STORE_RULES_KEY)
                else "its own",
            )
            store.settings.set(REJECTED_STORE_RULES_KEY, str(exc))
            continue
        store.settings.set(
            CENTRAL_STORE_RULES_KEY, {"store_id": own.store_id, **store_rules_to_wire(rules)}
        )
        store.settings.set(REJECTED_STORE_RULES_KEY, None)


def _store_rules_keys(store: KioskStore) -> set[str]:
    held = store.settings.get(CENTRAL_STORE_RULES_KEY)
    return {str(held["store_id"])} if held else set()


def _apply_staff(store: KioskStore, page: FeedPage) -> None:
    for item in page.items:
        if item.deleted or item.data is None:
            existing = store.staff.get(item.key)
            if existing is not None:
                s = existing.staff
                # Deactivated, not deleted: the journal still names them.
                store.staff.upsert(
                    StaffRecord(Staff(s.staff_id, s.name, s.role, False), None, None),
                    origin=CENTRAL,
                )
            continue
        d = item.data
        store.staff.upsert(
            StaffRecord(
                Staff(str(d["staff_id"]), str(d["name"]), Role(str(d["role"])), bool(d["active"])),
                d.get("pin_hash"),
                d.get("badge_hash"),
            ),
            origin=CENTRAL,
        )


def _write_offers(kind: str) -> Writer:
    """Offers are kept as the feed sent them (wire form), read when the engine is built."""

    def write(store: KioskStore, upserts: list[Upsert], deletions: list[str]) -> None:
        if upserts:
            store.loyalty.put_offers(kind, [(key, data) for key, data, _ in upserts])
        if deletions:
            store.loyalty.delete_offers(kind, deletions)

    return write


def _apply_erasures(store: KioskStore, page: FeedPage) -> None:
    store.loyalty.forget_members(i.key for i in page.items if not i.deleted)


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed the kiosk keeps a copy of: where it is, where its cursor is kept, how a
    page is written, and what the kiosk holds of it (for the sweep after a full pull;
    None for a feed of instructions, such as the erasures, which has nothing to sweep)."""

    path: str
    cursor: str
    apply: Applier
    local_keys: Callable[[KioskStore], set[str]] | None


def cursor_key(feed: str) -> str:
    return f"sync.cursor.{feed}"


def loyalty_cursor_key(feed: str) -> str:
    return f"sync.cursor.loyalty.{feed}"


# Staff are "removed" as their tombstone removes them: deactivated (the journal still
# names them); only the chain's are swept, not staff enrolled on the kiosk itself.
PULLED: dict[str, Feed] = {
    # First: nothing depends on it, and a feed that keeps failing further down (a product
    # this kiosk's version cannot read) must not hold an erasure back.
    ERASURES_FEED: Feed(
        f"{LOYALTY_PREFIX}/feeds/{ERASURES_FEED}",
        loyalty_cursor_key(ERASURES_FEED),
        _apply_erasures,
        None,
    ),
    "catalog": Feed(
        f"{API_PREFIX}/feeds/catalog",
        cursor_key("catalog"),
        _readable("catalog", product_from_wire, _write_catalog),
        lambda store: set(store.catalog.gtins()) | _refused_keys("catalog", store),
    ),
    "rules": Feed(f"{API_PREFIX}/feeds/rules", cursor_key("rules"), _apply_rules, _rule_keys),
    "staff": Feed(
        f"{API_PREFIX}/feeds/staff",
        cursor_key("staff"),
        _apply_staff,
        lambda store: store.staff.active_ids(CENTRAL),
    ),
    "policies": Feed(
        f"{API_PREFIX}/feeds/policies",
        cursor_key("policies"),
        _apply_store_rules,
        _store_rules_keys,
    ),
    **{
        feed: Feed(
            f"{LOYALTY_PREFIX}/feeds/{feed}",
            loyalty_cursor_key(feed),
            _readable(feed, parse, _write_offers(kind), keep_older=kind == TIERS),
            lambda store, kind=kind, feed=feed: (  # type: ignore[misc]
                store.loyalty.offer_ids(kind) | _refused_keys(feed, store)
            ),
        )
        for feed, kind, parse in (
            ("promotions", PROMOTION, promotion_from_wire),
            ("coupons", COUPON, coupon_from_wire),
            ("tiers", TIERS, lambda data: TierPolicy.from_wire(data["tiers"])),
        )
    },
}
"""Pulled in this order: the catalog before the offers that name its products."""


def pull_pages(
    store: KioskStore,
    client: CentralClient,
    path: str,
    cursor_setting: str,
    apply: Callable[[FeedPage], None],
    *,
    page_size: int = DEFAULT_PAGE,
    local_keys: Callable[[], set[str]] | None = None,
) -> int:
    """Pull every page of the feed at `path` after the cursor stored in the setting
    `cursor_setting`; returns how many items changed (sweeps included).

    `apply` writes one page into the store; it runs in the same transaction that stores
    the cursor after the page. With `local_keys` (the keys the kiosk holds of this
    feed), a pull from the start is a full pull that sweeps, in the last page's
    transaction, every local key the service did not send, through `apply` as a
    tombstone (see the module docstring). An expired cursor (410: the service's database
    was replaced) starts the pull over once from the beginning, as a full pull.
    """
    applied = 0
    restarted = False
    marking = full_pull_key(cursor_setting)
    while True:
        cursor = str(store.settings.get(cursor_setting, ""))
        try:
            answer = client.call(
                "GET", path, query={"cursor": cursor, "limit": page_size}, raw=True
            )
        except ProtocolError as exc:
            if exc.status == 410 and not restarted:
                restarted = True
                store.settings.set(cursor_setting, "")
                continue
            raise
        try:
            page = (
                FeedPage.model_validate_json(answer, context=ANSWER)
                if isinstance(answer, bytes | str)
                else FeedPage.model_validate(answer, context=ANSWER)
            )
        except ValidationError as exc:
            raise ProtocolError(f"the page from {path} is malformed: {exc}") from exc
        with store.transaction():
            full = local_keys is not None and (not cursor or bool(store.settings.get(marking)))
            if full and not cursor:
                # A new full pull: marks of an earlier, abandoned one mean nothing now.
                store.feed_marks.clear(cursor_setting)
                store.settings.set(marking, True)
            apply(page)
            applied += len(page.items)
            if full and local_keys is not None:
                store.feed_marks.mark(cursor_setting, (i.key for i in page.items if not i.deleted))
                if not page.more:
                    stale = sorted(local_keys() - store.feed_marks.marked(cursor_setting))
                    if stale:
                        tombstones = [
                            FeedItem(key=k, deleted=True, data=None) for k in sorted(stale)
                        ]
                        apply(page.model_copy(update={"items": tombstones}))
                        log.info("full pull of %s removed %d local items", path, len(stale))
                    applied += len(stale)
                    store.feed_marks.clear(cursor_setting)
                    store.settings.set(marking, False)
            store.settings.set(cursor_setting, page.cursor)
        if not page.more:
            return applied


class FeedPuller:
    def __init__(
        self, store: KioskStore, client: CentralClient, page_size: int = DEFAULT_PAGE
    ) -> None:
        self._store = store
        self._client = client
        self._page_size = page_size

    def pull(self, feed: str) -> int:
        """Pull every change since the stored cursor; returns how many items changed."""
        spec = PULLED[feed]
        held = spec.local_keys
        return pull_pages(
            self._store,
            self._client,
            spec.path,
            spec.cursor,
            lambda page: spec.apply(self._store, page),
            page_size=self._page_size,
            local_keys=None if held is None else lambda: held(self._store),
        )

    def pull_all(self) -> dict[str, int]:
        return {feed: self.pull(feed) for feed in PULLED}
