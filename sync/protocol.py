"""The wire protocol between kiosk (`sync`) and central service (`central`), version 1.

Both ends import this module, so it depends on neither `requests` nor `fastapi`:
only pydantic (typed, validated models that also give the service its OpenAPI
schema) and the standard library (request signing).

Signing (see docs/protocol.md): every kiosk request carries `X-Kiosk-Key`,
`X-Timestamp` (Unix seconds), `X-Nonce` (random, single use) and `X-Signature`,
the hex HMAC-SHA256, under the kiosk's secret, of `string_to_sign(...)`. The
query is canonicalised (sorted, re-encoded) so proxies that reorder or re-escape
parameters do not break signatures; the body is covered by its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, quote, urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

API_PREFIX = "/v1"
SIGNATURE_SCHEME = "KSIG1"
SIGNATURE_WINDOW_S = 300

HEADER_KEY = "X-Kiosk-Key"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
HEADER_IDEMPOTENCY = "Idempotency-Key"

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Bounds every batch so one request stays small and quick to retry.
MAX_SALES_PER_BATCH = 500
MAX_JOURNAL_PER_BATCH = 2000
MAX_MEMBERS_PER_BATCH = 500
MAX_LEDGER_PER_BATCH = 1000
MAX_FEED_PAGE = 5000

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
HEX64_PATTERN = r"^[0-9a-f]{64}$"
MAX_LEGACY_HASHES = 3
"""A phone's hashes in the forms kiosks made before numbers were kept national
(`kiosk.domain.members.phone_hashes` after its first): as typed, `86…`, `0086…`."""

Feed = Literal["catalog", "rules", "staff", "policies"]
FEEDS: tuple[str, ...] = ("catalog", "rules", "staff", "policies")
"""`policies`: each store's rules (`kiosk.domain.policy.StoreRules`), keyed by store id."""


# ---------------------------------------------------------------- signing


def canonical_query(query: str) -> str:
    """Sorted by name, uniformly escaped query string: the form the signature covers. A
    repeated name keeps its values' order, which may mean something (`legacy_phone_hash`
    in order of preference): sorting them too would let it change under the signature."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0])
    return urlencode(pairs, quote_via=quote)


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def string_to_sign(
    method: str, path: str, query: str, body: bytes, timestamp: str, nonce: str, key_id: str
) -> bytes:
    parts = (
        SIGNATURE_SCHEME,
        method.upper(),
        path,
        canonical_query(query),
        body_digest(body),
        timestamp,
        nonce,
        key_id,
    )
    return "\n".join(parts).encode()


def sign(
    secret: bytes,
    method: str,
    path: str,
    query: str,
    body: bytes,
    timestamp: str,
    nonce: str,
    key_id: str,
) -> str:
    message = string_to_sign(method, path, query, body, timestamp, nonce, key_id)
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def decode_secret(text: str) -> bytes:
    """Kiosk secrets travel and rest as unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_secret(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# ---------------------------------------------------------------- models


STORE_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"


ANSWER: Mapping[str, bool] = MappingProxyType({"answer": True})
"""The validation context for what the service answers a kiosk (`Model.model_validate(data,
context=ANSWER)`): a field the kiosk's model does not know, which a newer service added, is
dropped rather than refused, in the answer and in every wire model inside it (a free-form
`dict[str, Any]` payload is passed whole). The service is upgraded before its kiosks, so
an answer may be newer than the kiosk reading it; a request the service reads is never
newer than the service, and stays strict. Types stay strict too: a new value of a
`Literal` (an order status, say) still needs the kiosks upgraded before it is sent."""


class WireModel(BaseModel):
    """Strict: "5" is not 5. What a kiosk sends is stored verbatim, so it must already have
    the right types rather than be coerced on the way in.

    Its fields are JSON's own types (strings, integers, booleans, lists, string-keyed
    objects, other wire models) under their own names: the check below sees the decoded
    data, so a type JSON would have to convert (a datetime, a UUID, a tuple) or an alias
    would not survive it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _newer_fields(cls, data: Any, info: ValidationInfo) -> Any:
        lenient = isinstance(info.context, Mapping) and info.context.get("answer")
        if lenient and isinstance(data, dict) and cls.model_config.get("extra") == "forbid":
            return {name: value for name, value in data.items() if name in cls.model_fields}
        return data


class Problem(BaseModel):
    """RFC 9457 problem document. `reason` is a stable machine code; `errors` lists
    validation failures."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    reason: str = ""
    errors: list[dict[str, Any]] = Field(default_factory=list)


class EnrollRequest(WireModel):
    code: str = Field(min_length=8, max_length=64)
    name: str = Field(default="", max_length=100)
    app_version: str = Field(default="", max_length=50)


class EnrollResponse(WireModel):
    kiosk_id: str
    store_id: str
    key_id: str
    secret: str
    member_phone_key: str
    staff_badge_key: str
    server_time: int


class SaleDocument(BaseModel):
    """The sale as `kiosk.domain.sale.Sale.to_wire()` writes it (version 1).

    Only the fields the service indexes are typed; the rest travels as-is and is
    stored verbatim, so the body the kiosk hashed is the body the service keeps.
    """

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    version: Literal[1]
    sale_id: str = Field(pattern=UUID_PATTERN)
    kiosk_id: str = Field(min_length=1, max_length=64)
    store_id: str = Field(min_length=1, max_length=64)
    sequence: int = Field(ge=1, le=2**53)
    created_at: str = Field(min_length=1, max_length=64)
    # When the shopper's first item went in; absent from older kiosks' sales.
    first_scan_at: str | None = Field(default=None, max_length=64)
    status: Literal["paid", "voided"]
    training: bool = False
    currency: str = Field(min_length=3, max_length=3)
    total_minor: int = Field(ge=-(2**53), le=2**53)
    item_count: int = Field(ge=0, le=2**31)
    lines: list[dict[str, Any]] = Field(max_length=1000)


class SaleBatch(WireModel):
    sales: list[SaleDocument] = Field(min_length=1, max_length=MAX_SALES_PER_BATCH)


ItemResult = Literal["stored", "duplicate", "conflict"]


class SaleResult(WireModel):
    sale_id: str
    result: ItemResult
    detail: str = ""


class SaleBatchResult(WireModel):
    results: list[SaleResult]


class JournalEntryWire(WireModel):
    """`kiosk.domain.journal.JournalEntry.to_wire()`."""

    index: int = Field(ge=1, le=2**53)
    kind: str = Field(min_length=1, max_length=64)
    at: str = Field(max_length=64)
    actor: str = Field(max_length=128)
    payload: dict[str, Any]
    prev_hash: str = Field(pattern=HEX64_PATTERN)
    hash: str = Field(pattern=HEX64_PATTERN)


class JournalBatch(WireModel):
    entries: list[JournalEntryWire] = Field(min_length=1, max_length=MAX_JOURNAL_PER_BATCH)


class JournalIssue(WireModel):
    kiosk_id: str
    kind: Literal["gap", "chain_break", "conflict"]
    index: int
    detail: str
    detected_at: str = ""


class JournalBatchResult(WireModel):
    stored: int
    duplicate: int
    issues: list[JournalIssue]


class FeedItem(WireModel):
    """One change: `data` is the item's wire form, or None for a tombstone."""

    key: str
    deleted: bool
    data: dict[str, Any] | None


class FeedPage(WireModel):
    feed: str
    items: list[FeedItem]
    cursor: str
    more: bool


class Consent(WireModel):
    terms_version: str = Field(min_length=1, max_length=32)
    marketing: bool = False
    given_at: str = Field(max_length=64)


class MemberSignUp(WireModel):
    """Made on the kiosk: `member_id` (UUIDv7) is the idempotency key."""

    member_id: str = Field(pattern=UUID_PATTERN)
    phone_hash: str = Field(pattern=HEX64_PATTERN)
    # The same phone's hashes as kiosks made them before 2026-12 (absent from older
    # kiosks): a member stored under one of them is this phone's member, not a new one.
    legacy_phone_hashes: list[Annotated[str, Field(pattern=HEX64_PATTERN)]] = Field(
        default_factory=list, max_length=MAX_LEGACY_HASHES
    )
    consent: Consent
    store_id: str = Field(min_length=1, max_length=64)
    created_at: str = Field(max_length=64)


class MemberBatch(WireModel):
    members: list[MemberSignUp] = Field(min_length=1, max_length=MAX_MEMBERS_PER_BATCH)


class Member(WireModel):
    member_id: str
    member_code: str
    phone_hash: str
    tier: str
    points: int
    consent: Consent
    created_at: str


class MemberResult(WireModel):
    member_id: str
    result: ItemResult
    member_code: str = ""
    detail: str = ""


class MemberBatchResult(WireModel):
    results: list[MemberResult]


class LedgerEvent(WireModel):
    """Append-only: points earned or spent, coupon issued or used. `event_id` is the key."""

    event_id: str = Field(pattern=UUID_PATTERN)
    member_id: str = Field(pattern=UUID_PATTERN)
    kind: str = Field(min_length=1, max_length=32)
    points: int = Field(ge=-(10**9), le=10**9)
    sale_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    at: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict)


class LedgerBatch(WireModel):
    events: list[LedgerEvent] = Field(min_length=1, max_length=MAX_LEDGER_PER_BATCH)


class LedgerResult(WireModel):
    event_id: str
    result: ItemResult
    detail: str = ""


class LedgerBatchResult(WireModel):
    results: list[LedgerResult]


MAX_ERRORS = 50
"""The most problem lines a heartbeat carries."""


class Heartbeat(WireModel):
    app_version: str = Field(max_length=50)
    queue_depth: int = Field(ge=0, le=2**31)
    oldest_unsent_at: str | None = Field(default=None, max_length=64)
    last_sync_at: str | None = Field(default=None, max_length=64)
    connectivity: str = Field(default="", max_length=16)
    camera_fps: float | None = Field(default=None, ge=0, le=1000)
    errors: list[str] = Field(default_factory=list, max_length=MAX_ERRORS)
    conflicts: int = Field(default=0, ge=0, le=2**31)


class HeartbeatAck(WireModel):
    server_time: int


class KioskStatus(WireModel):
    kiosk_id: str
    store_id: str
    name: str
    revoked: bool
    enrolled_at: str
    last_seen_at: str | None
    heartbeat: Heartbeat | None


class Fleet(WireModel):
    kiosks: list[KioskStatus]


class EnrolmentCodeRequest(WireModel):
    store_id: str = Field(min_length=1, max_length=64, pattern=STORE_ID_PATTERN)
    ttl_hours: int = Field(default=72, ge=1, le=24 * 30)


class EnrolmentCode(WireModel):
    code: str
    store_id: str
    expires_at: str


class SalesTotal(WireModel):
    """Paid sales of one kiosk: `total_minor` gross, less the money refunded on them
    (`refund_minor`, refunds that reached the shopper) gives `net_minor`."""

    store_id: str
    kiosk_id: str
    currency: str
    training: bool
    count: int
    total_minor: int
    refund_count: int
    refund_minor: int
    net_minor: int


class SalesReport(WireModel):
    count: int
    totals: list[SalesTotal]
    conflicts: int


class IntegrityReport(WireModel):
    issues: list[JournalIssue]
    sequence_gaps: list[JournalIssue]


class FeedUpsert(WireModel):
    """Operator write to a feed: items keyed by their natural key, tombstones by `delete`."""

    items: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_FEED_PAGE)
    delete: list[str] = Field(default_factory=list, max_length=MAX_FEED_PAGE)


class FeedUpsertResult(WireModel):
    changed: int
