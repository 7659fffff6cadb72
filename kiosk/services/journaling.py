"""Appending to the kiosk's journal: the entry and its outbox row, in the caller's unit of
work (every use case journals its action in the transaction that makes it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.journal import JournalEntry, next_entry
from kiosk.store.uow import KioskStore


def append_journal(
    store: KioskStore, now: datetime, kind: str, actor: str, payload: dict[str, Any]
) -> JournalEntry:
    with store.transaction():
        entry = next_entry(store.journal.last(), kind, now.isoformat(), actor, payload)
        store.journal.append(entry)
        store.outbox.add("journal", str(entry.index), entry.to_wire(), now)
    return entry
