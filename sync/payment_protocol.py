"""Wire models of the payment, exit-code and e-receipt API (kiosk ⇄ central), version 1.

Like `sync.protocol`, both ends import this module, so it depends on pydantic and the
standard library only. Requests are signed exactly like every other kiosk request
(see `sync.protocol.sign`); see docs/payments.md for the flow.

    POST /v1/payments                      CreatePayment   -> PaymentView
    GET  /v1/payments/{id}?wait=SECONDS    (long-poll)     -> PaymentView
    POST /v1/payments/{id}/cancel                          -> PaymentView
    POST /v1/payments/code                 ChargeCode      -> PaymentView
    PUT  /v1/kiosk/exit-key                ExitKey         -> ExitKeyView
    POST /v1/exit-codes/verify             ExitCodeCheck   -> ExitCodeVerdict
    POST /v1/sales/{sale_id}/receipt-link  ReceiptLinkRequest -> ReceiptLink
    POST /v1/refunds/batch                 RefundBatch     -> RefundBatchResult
    GET  /v1/refunds/{refund_id}/receipt-link?lang=     -> RefundReceiptLink
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.protocol import WireModel

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
PROVIDER_PATTERN = r"^[a-z][a-z0-9_]{0,31}(:[a-z][a-z0-9_]{0,31})?$"
# A long-poll never holds a request longer than this (load balancers cut at 30 s or more).
MAX_WAIT_S = 25

PaymentStatusName = Literal["created", "shown", "paid", "expired", "cancelled", "failed"]


_Wire = WireModel


class CreatePayment(_Wire):
    """`payment_id` is a UUIDv7 made by the kiosk: the idempotency key of the payment."""

    payment_id: str = Field(pattern=UUID_PATTERN)
    sale_id: str = Field(pattern=UUID_PATTERN)
    amount_minor: int = Field(gt=0, le=10**12)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    # "sandbox", "wechat", "emvco:pix", "emvco:promptpay"…; None: the store's default.
    provider: str | None = Field(default=None, pattern=PROVIDER_PATTERN)
    description: str = Field(default="", max_length=127, pattern=r"^[^\x00-\x1f\x7f]*$")


class ChargeCode(_Wire):
    """Charge the payment code (付款码) the shopper showed. `payment_id` is the
    idempotency key: re-sending the same body never charges twice; a second code needs
    a new payment id. The wallet (WeChat Pay, Alipay) follows from the code's digits."""

    payment_id: str = Field(pattern=UUID_PATTERN)
    sale_id: str = Field(pattern=UUID_PATTERN)
    amount_minor: int = Field(gt=0, le=10**12)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    auth_code: str = Field(pattern=r"^[0-9]{16,24}$")
    description: str = Field(default="", max_length=127, pattern=r"^[^\x00-\x1f\x7f]*$")


class PaymentView(_Wire):
    """What the kiosk shows and decides on. `late` marks money that arrived after the
    kiosk gave up (expired or cancelled): the sale must still be completed."""

    payment_id: str
    sale_id: str
    status: PaymentStatusName
    amount_minor: int
    currency: str
    provider: str
    qr_payload: str | None
    expires_at: str | None
    provider_ref: str | None = None
    paid_at: str | None = None
    late: bool = False
    failure: str | None = None


class PaymentFlag(_Wire):
    """A callback or report that was refused and needs a person to look at it."""

    id: int
    payment_id: str | None
    provider: str
    kind: str
    detail: str
    reference: str | None
    amount_minor: int | None
    currency: str | None
    created_at: str


class ExitKey(_Wire):
    public_key: str = Field(pattern=r"^[0-9a-f]{64}$", description="raw Ed25519 key, hex")


class StoreKeys(_Wire):
    """The keys in force of the caller's store's kiosks: what each kiosk needs to check
    the others' signed codes offline (a suspended cart's transfer code)."""

    keys: dict[str, str]
    """Kiosk id -> raw Ed25519 public key, hex."""


class ExitKeyView(_Wire):
    kiosk_id: str
    store_id: str
    public_key: str
    registered_at: str
    # "pending": a changed key waits for an operator's approval before codes verify.
    status: Literal["active", "pending"] = "active"


class ExitCodeCheck(_Wire):
    code: str = Field(min_length=4, max_length=1024)


ExitReason = Literal[
    "valid",
    "already_used",
    "forged",
    "unknown_kiosk",
    "expired",
    "from_the_future",
    "training",
    "exit_code_invalid",
    "exit_code_foreign",
    "revoked",
]


class ExitCodeVerdict(_Wire):
    """`ok` means: let the shopper through. `audit`: staff look in the bag."""

    ok: bool
    reason: ExitReason
    sale_id: str | None = None
    kiosk_id: str | None = None
    total_minor: int | None = None
    currency: str | None = None
    item_count: int | None = None
    paid_at: str | None = None
    audit: bool = False
    attended: bool = False
    first_used_at: str | None = None
    times_seen: int = 0
    # False: the service has not received this sale (yet); a gate may look closer.
    sale_known: bool | None = None


class ExitCodeUse(_Wire):
    sale_id: str
    kiosk_id: str
    first_used_at: str
    first_used_by: str
    uses: int


class ExitCodeReuse(_Wire):
    sale_id: str
    kiosk_id: str
    first_used_at: str
    first_used_by: str
    reused_at: str
    reused_by: str


class ReceiptLinkRequest(_Wire):
    # The receipt's exit code, so the e-receipt can show it (checked against the
    # kiosk's registered key before it is stored).
    exit_code: str | None = Field(default=None, max_length=1024)
    lang: Literal["en", "zh", "ko"] | None = None


class ReceiptLink(_Wire):
    sale_id: str
    url: str
    expires_at: str | None


# ---------------------------------------------------------------- refunds
MAX_REFUNDS_PER_BATCH = 20
RefundStatusName = Literal["processing", "refunded", "failed"]


class RefundLineWire(_Wire):
    line_no: int = Field(ge=1, le=10_000)
    quantity: int = Field(ge=1, le=100_000)
    amount_minor: int = Field(ge=0, le=10**12)


class RefundDocument(_Wire):
    """A refund a supervisor made at a kiosk (`kiosk.domain.refund`), as its outbox row.
    `refund_id` (UUIDv7) is the idempotency key: the same refund re-sent refunds once.
    `method`: `original` (back to the sale's tender through its provider) or `cash`
    (the sale was paid offline or attended, or staff gave cash)."""

    refund_id: str = Field(pattern=UUID_PATTERN)
    sale_id: str = Field(pattern=UUID_PATTERN)
    kiosk_id: str = Field(min_length=1, max_length=64)
    store_id: str = Field(min_length=1, max_length=64)
    created_at: str = Field(min_length=10, max_length=40)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    amount_minor: int = Field(ge=0, le=10**12)
    lines: list[RefundLineWire] = Field(min_length=1, max_length=500)
    method: Literal["original", "cash"]
    staff_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    points_taken_back: int = Field(ge=0, le=10**12)
    points_returned: int = Field(ge=0, le=10**12)
    coupons_returned: list[str] = Field(default_factory=list, max_length=50)


class RefundBatch(_Wire):
    refunds: list[RefundDocument] = Field(min_length=1, max_length=MAX_REFUNDS_PER_BATCH)


class RefundResult(_Wire):
    """`result` as for every outbox kind (stored, duplicate); `status` is the money's:
    `processing` while the provider has not finished (send the refund again to ask)."""

    refund_id: str
    result: Literal["stored", "duplicate", "conflict"]
    status: RefundStatusName
    amount_minor: int
    method: str
    provider_ref: str | None = None
    failure: str | None = None


class RefundBatchResult(_Wire):
    results: list[RefundResult]


class RefundReceiptLink(_Wire):
    """The refund's e-receipt, for the shopper to take as the sale's (a QR on the paper
    refund receipt)."""

    refund_id: str
    url: str
    expires_at: str | None
