"""The tamper-evident journal: every sale and staff action, hash-chained.

Each entry's hash covers its index, kind, time, actor, payload and the previous
entry's hash, in canonical JSON. Changing, removing or reordering any entry breaks
every hash after it, which the kiosk and the central service both check with
`verify_chain`. The central service imports this module so both ends hash alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.domain.errors import JournalError

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> bytes:
    """Byte-stable JSON: sorted keys, no spaces, UTF-8. Used for every hash and signature."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(
    index: int, kind: str, at: str, actor: str, payload: Mapping[str, Any], prev_hash: str
) -> str:
    body = {
        "index": index,
        "kind": kind,
        "at": at,
        "actor": actor,
        "payload": payload,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """`at` is the device's ISO-8601 time: recorded for people, never trusted for order."""

    index: int
    kind: str
    at: str
    actor: str
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str

    def to_wire(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "at": self.at,
            "actor": self.actor,
            "payload": dict(self.payload),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> JournalEntry:
        return cls(
            index=int(data["index"]),
            kind=str(data["kind"]),
            at=str(data["at"]),
            actor=str(data["actor"]),
            payload=dict(data["payload"]),
            prev_hash=str(data["prev_hash"]),
            hash=str(data["hash"]),
        )


def next_entry(
    previous: JournalEntry | None, kind: str, at: str, actor: str, payload: Mapping[str, Any]
) -> JournalEntry:
    index = previous.index + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS_HASH
    return JournalEntry(
        index,
        kind,
        at,
        actor,
        payload,
        prev_hash,
        entry_hash(index, kind, at, actor, payload, prev_hash),
    )


def verify_chain(entries: Iterable[JournalEntry], previous: JournalEntry | None = None) -> int:
    """Check hashes and links; return how many entries were checked.

    `previous` is the last entry already trusted (None to start from genesis).
    """
    expected_index = previous.index + 1 if previous else 1
    expected_prev = previous.hash if previous else GENESIS_HASH
    count = 0
    for entry in entries:
        if entry.index != expected_index:
            raise JournalError(f"journal gap: expected entry {expected_index}, found {entry.index}")
        if entry.prev_hash != expected_prev:
            raise JournalError(f"journal entry {entry.index} does not follow the one before it")
        recomputed = entry_hash(
            entry.index, entry.kind, entry.at, entry.actor, entry.payload, entry.prev_hash
        )
        if recomputed != entry.hash:
            raise JournalError(f"journal entry {entry.index} was altered")
        expected_index, expected_prev = entry.index + 1, entry.hash
        count += 1
    return count
