"""Delta pullers: catalog, barcode rules and staff from the central service.

Each page's items and the cursor that follows them are written in one kiosk
transaction, so a crash mid-pull resumes exactly where it stopped: never a change
skipped, at worst a page applied twice (upserts and deletions are idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from kiosk.domain.catalog import product_from_wire
from kiosk.domain.codes import Gtin
from kiosk.domain.staff import Role, Staff
from kiosk.store.repositories import StaffRecord
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.errors import ProtocolError
from sync.protocol import API_PREFIX, FEEDS, FeedPage

RULES_KEY = "sync.rules"
DEFAULT_PAGE = 2000


def cursor_key(feed: str) -> str:
    return f"sync.cursor.{feed}"


def _apply_catalog(store: KioskStore, page: FeedPage) -> None:
    upserts = [product_from_wire(i.data) for i in page.items if not i.deleted and i.data]
    deletions = [Gtin(i.key) for i in page.items if i.deleted]
    if upserts:
        store.catalog.upsert_many(upserts)
    if deletions:
        store.catalog.delete_many(deletions)


def _apply_rules(store: KioskStore, page: FeedPage) -> None:
    rules: dict[str, Any] = dict(store.settings.get(RULES_KEY, {}))
    for item in page.items:
        if item.deleted:
            rules.pop(item.key, None)
        elif item.data is not None:
            rules[item.key] = item.data
    store.settings.set(RULES_KEY, rules)


def _apply_staff(store: KioskStore, page: FeedPage) -> None:
    for item in page.items:
        if item.deleted or item.data is None:
            existing = store.staff.get(item.key)
            if existing is not None:
                s = existing.staff
                # Deactivated, not deleted: the journal still names them.
                store.staff.upsert(
                    StaffRecord(Staff(s.staff_id, s.name, s.role, False), None, None)
                )
            continue
        d = item.data
        store.staff.upsert(
            StaffRecord(
                Staff(str(d["staff_id"]), str(d["name"]), Role(str(d["role"])), bool(d["active"])),
                d.get("pin_hash"),
                d.get("badge_hash"),
            )
        )


APPLIERS: dict[str, Callable[[KioskStore, FeedPage], None]] = {
    "catalog": _apply_catalog,
    "rules": _apply_rules,
    "staff": _apply_staff,
}


class FeedPuller:
    def __init__(
        self, store: KioskStore, client: CentralClient, page_size: int = DEFAULT_PAGE
    ) -> None:
        self._store = store
        self._client = client
        self._page_size = page_size

    def pull(self, feed: str) -> int:
        """Pull every change since the stored cursor; returns how many items changed."""
        applied = 0
        restarted = False
        while True:
            cursor = str(self._store.settings.get(cursor_key(feed), ""))
            try:
                answer = self._client.call(
                    "GET",
                    f"{API_PREFIX}/feeds/{feed}",
                    query={"cursor": cursor, "limit": self._page_size},
                    raw=True,
                )
            except ProtocolError as exc:
                # 410: the service's database was replaced; start over once.
                if exc.status == 410 and not restarted:
                    restarted = True
                    self._store.settings.set(cursor_key(feed), "")
                    continue
                raise
            try:
                page = (
                    FeedPage.model_validate_json(answer)
                    if isinstance(answer, bytes | str)
                    else FeedPage.model_validate(answer)
                )
            except ValidationError as exc:
                raise ProtocolError(f"the {feed} page is malformed: {exc}") from exc
            with self._store.transaction():
                APPLIERS[feed](self._store, page)
                self._store.settings.set(cursor_key(feed), page.cursor)
            applied += len(page.items)
            if not page.more:
                return applied

    def pull_all(self) -> dict[str, int]:
        return {feed: self.pull(feed) for feed in FEEDS}
