"""Wire models of suspended carts (kiosk -> central), version 1.

    POST /v1/transfers/batch    TransferBatch -> TransferResults   (the outbox relay)
    POST /v1/transfers/claim    ResumeClaim   -> ClaimAnswer       (an online kiosk, first)
    GET  /v1/transfers/number/{number}        -> TransferCode      (a slip's printed number)
    GET  /v1/ops/reports/transfers            -> TransferReportView (operator)

A kiosk reports each cart it suspends and each transfer code it resumes
(`kiosk.services.transfers.transfer_report`, outbox kind `transfer`, keyed
`<cart_id>:<event>`). The service keeps one suspension and one resume per cart id: the
same report again is a duplicate; a second resume of a cart already resumed elsewhere
(two kiosks that were both offline) is a conflict, kept as a double-resume row for the
report and answered to the kiosk, never stored as a second resume.

A kiosk that can reach the service claims the cart before resuming it: the claim is the
cart's resume (its report follows through the outbox and completes it), so a code already
resumed elsewhere is refused at the second kiosk instead of flagged after both sold it.
A suspension's report carries its code, so a kiosk that cannot scan the slip's QR finds
the code by the number printed under it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.payment_protocol import UUID_PATTERN
from sync.protocol import WireModel

TRANSFER_PREFIX = "/v1/transfers"
MAX_TRANSFERS_PER_BATCH = 200
_ID = r"^[A-Za-z0-9._:-]{1,64}$"


_Wire = WireModel


class DroppedLineWire(_Wire):
    gtin: str = Field(pattern=r"^[0-9]{14}$")
    reason: str = Field(pattern=r"^[a-z_]{1,32}$")


class PriceChangeWire(_Wire):
    gtin: str = Field(pattern=r"^[0-9]{14}$")
    was_minor: int = Field(ge=0, le=10**12)
    now_minor: int = Field(ge=0, le=10**12)


class TransferReport(_Wire):
    """A suspension (at `kiosk_id`, which is `from_kiosk_id`) or a resume (at `kiosk_id`)."""

    cart_id: str = Field(pattern=UUID_PATTERN)
    event: Literal["suspended", "resumed"]
    kiosk_id: str = Field(pattern=_ID)
    store_id: str = Field(pattern=_ID)
    from_kiosk_id: str = Field(pattern=_ID)
    number: str = Field(pattern=r"^[0-9]{10}$")
    at: str = Field(max_length=40)
    staff_id: str = Field(min_length=1, max_length=128)
    expires_at: str = Field(max_length=40)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    # suspended
    code: str | None = Field(default=None, max_length=16_000, pattern=r"^TR1\.[0-9A-Z $%*+./:-]+$")
    reason: str | None = Field(default=None, max_length=200)
    item_count: int | None = Field(default=None, ge=0, le=100_000)
    total_minor: int | None = Field(default=None, ge=0, le=10**12)
    # resumed
    cart: str | None = Field(default=None, pattern=UUID_PATTERN)
    lines: int | None = Field(default=None, ge=0, le=100_000)
    dropped: list[DroppedLineWire] = Field(default_factory=list, max_length=500)
    price_changed: list[PriceChangeWire] = Field(default_factory=list, max_length=500)

    @property
    def key(self) -> str:
        return f"{self.cart_id.lower()}:{self.event}"


class TransferBatch(_Wire):
    transfers: list[TransferReport] = Field(min_length=1, max_length=MAX_TRANSFERS_PER_BATCH)


class ResumeClaim(_Wire):
    """ "This kiosk is about to resume this cart": granted unless another kiosk has."""

    cart_id: str = Field(pattern=UUID_PATTERN)
    from_kiosk_id: str = Field(pattern=_ID)
    at: str = Field(max_length=40)
    staff_id: str = Field(min_length=1, max_length=128)


class ClaimAnswer(_Wire):
    granted: bool
    kiosk_id: str
    """Who holds the cart's resume: the asking kiosk when granted."""
    at: str


class TransferCode(_Wire):
    code: str


class TransferResult(_Wire):
    transfer_key: str
    result: Literal["stored", "duplicate", "conflict"]
    detail: str | None = None


class TransferResults(_Wire):
    results: list[TransferResult]


class DoubleResume(_Wire):
    cart_id: str
    store_id: str
    first_kiosk_id: str
    first_at: str
    kiosk_id: str
    at: str
    staff_id: str


class TransferReportView(_Wire):
    suspended: int
    resumed: int
    open: int
    """Suspended and not resumed (yet, or ever: expired codes stay here)."""
    double_resumes: list[DoubleResume]
