"""Refunds at the kiosk: a supervisor finds a paid sale by its receipt, e-receipt or exit
code, picks lines and quantities (or the whole sale), and gives the money back.

The refund is written before anything is sent: its row, its journal entry and its
`refund` outbox row (keyed by the refund id) in one transaction. It is then pushed at
once (`RefundGateway.push`, the very request the outbox relay makes): the central
service refunds once per refund id, so the relay sending it again, a double tap or an
answer lost on the way refund nothing more, and a kiosk killed between the two sends it
at its next sync round. The coupons the refund frees (`RefundPlan.coupons_returned`)
are given back here in that same transaction, so this kiosk takes the code again at once,
even offline. A sale paid to staff (attended) or one refunded while the
central service is out of reach is paid out in cash by the supervisor, and recorded so.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.domain import exit_code
from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.ledger import LedgerKind
from kiosk.domain.policy import StorePolicy
from kiosk.domain.receipt import StoreInfo, render_refund
from kiosk.domain.refund import (
    RefundPlan,
    RefundRefused,
    SaleLoyalty,
    plan_refund,
    refunded_units,
)
from kiosk.domain.staff import Permission, Staff
from kiosk.services.journaling import append_journal
from kiosk.services.ports import Clock
from kiosk.services.printing import PrinterError
from kiosk.store.uow import KioskStore

REFUND_KIND = "refund"
ORIGINAL, CASH = "original", "cash"
# An e-receipt link: `…/r/<sale id>?exp=…`.
_RECEIPT_LINK = re.compile(r"/r/([0-9a-fA-F-]{36})(?:[?#]|$)")


def refused(store: KioskStore, refund_id: str, method: str) -> None:
    """No money went back: the central service refused the refund (a refund of the sale
    made elsewhere came first, or its figures did not hold) or the provider failed it
    (WeChat's NOT_ENOUGH or ABNORMAL, say). The service then gave no coupon back and
    took no points, so the coupons this kiosk gave back when it made the refund stand
    used again, and its units may be refunded anew. Whether it answers the supervisor's
    push or the relay's later send."""
    with store.transaction():
        store.refunds.settle(refund_id, "failed", method)
        store.loyalty.undo_return(refund_id)


class RefundUnavailable(KioskError):
    """The central service cannot be reached: the refund waits in the outbox."""

    reason = Reason.CENTRAL_UNREACHABLE


@dataclass(frozen=True, slots=True)
class RefundAnswer:
    """What the central service did: `refunded`, `processing` or `failed`, and how."""

    status: str
    method: str


class RefundGateway(Protocol):
    def push(self, document: Mapping[str, Any]) -> RefundAnswer:
        """Send one refund; raises `RefundUnavailable`, or `RefundRefused` when the
        service refuses it (more than is left, say, after a refund at another kiosk)."""
        ...

    def receipt_link(self, refund_id: str, language: str) -> str | None:
        """The signed address of the refund's e-receipt page, for the shopper to take as
        a QR; None when there is none (out of reach): the paper receipt stands alone."""
        ...


class RefundPrinter(Protocol):
    def print_refund(self, refund_id: str, lines: list[str], e_receipt_url: str | None) -> None:
        """Print a refund receipt (`kiosk.domain.receipt.render_refund`), and its
        e-receipt link as a QR when there is one; raises PrinterError."""
        ...


@dataclass(frozen=True, slots=True)
class RefundDone:
    refund_id: str
    plan: RefundPlan
    status: str
    """`refunded`; `pending` (in the outbox: the service was out of reach);
    `processing` (the provider is still at it); `failed`."""
    method: str
    receipt: tuple[str, ...]
    printed: bool
    """False when the printer failed: the money went back all the same (reprint it)."""
    e_receipt_url: str | None = None


def sale_id_of(code: str) -> str:
    """The sale a scanned exit code, e-receipt link or typed sale id names. An exit code's
    signature is not what matters here: the refund is of a sale this kiosk holds."""
    text = code.strip()
    if text.upper().startswith(exit_code.PREFIX):
        try:
            signed, _ = exit_code.split(text)
            return exit_code.ExitPass.from_signed_bytes(signed).sale_id
        except KioskError:
            raise RefundRefused(
                "the exit code cannot be read", reason=Reason.EXIT_CODE_INVALID
            ) from None
    link = _RECEIPT_LINK.search(text)
    try:
        return str(uuid.UUID(link.group(1) if link else text))
    except ValueError:
        raise RefundRefused(
            "scan the receipt's exit code or e-receipt QR", reason=Reason.REFUND_UNKNOWN_SALE
        ) from None


class Refunds:
    def __init__(
        self,
        store: KioskStore,
        clock: Clock,
        ids: IdFactory,
        kiosk_id: str,
        policy: Callable[[], StorePolicy],
        gateway: RefundGateway | None,
        printer: RefundPrinter,
        store_info: StoreInfo,
    ) -> None:
        self._store = store
        self._clock = clock
        self._ids = ids
        self._kiosk_id = kiosk_id
        self._policy = policy
        self._gateway = gateway
        self._printer = printer
        self._store_info = store_info

    def sale(self, code: str) -> dict[str, Any]:
        """The paid sale the code names, as stored here."""
        return self._document(sale_id_of(code))

    def plan(self, sale_id: str, wanted: Mapping[int, int] | None) -> RefundPlan:
        """What refunding `wanted` (None: everything left) would give back."""
        document = self._document(sale_id)
        return self._plan(document, wanted)

    def refund(
        self,
        staff: Staff,
        sale_id: str,
        wanted: Mapping[int, int] | None,
        reason: str,
        *,
        cash: bool = False,
        language: str = "en",
    ) -> RefundDone:
        """Refund `wanted` of the sale as `staff` (a supervisor); print its receipt."""
        staff.require(Permission.REFUND)
        document = self._document(sale_id)
        plan = self._plan(document, wanted)
        tenders = document.get("tenders") or []
        attended = len(tenders) != 1 or bool(tenders[0].get("attended_by"))
        method = CASH if cash or attended or self._gateway is None else ORIGINAL
        now = self._clock.now()
        refund_id = self._ids.new()
        wire = {
            "refund_id": refund_id,
            "sale_id": sale_id,
            "kiosk_id": self._kiosk_id,
            "store_id": str(document["store_id"]),
            "created_at": now.isoformat(),
            "currency": plan.currency,
            "amount_minor": plan.amount_minor,
            "lines": [line.to_wire() for line in plan.lines],
            "method": method,
            "staff_id": staff.staff_id,
            "reason": reason,
            "points_taken_back": plan.points_taken_back,
            "points_returned": plan.points_returned,
            "coupons_returned": list(plan.coupons_returned),
        }
        with self._store.transaction():
            self._store.refunds.add(wire, method)
            append_journal(
                self._store,
                now,
                "refund",
                staff.staff_id,
                {k: wire[k] for k in ("refund_id", "sale_id", "amount_minor", "lines", "method")},
            )
            self._store.outbox.add(REFUND_KIND, refund_id, wire, now)
            # The coupons this refund frees are free here too, as the central service
            # frees them when the refund reaches it: this kiosk's own redemption would
            # otherwise refuse the code for good.
            self._store.loyalty.return_coupons(sale_id, plan.coupons_returned, refund_id)
        status, paid_by = ("refunded", CASH) if method == CASH else self._push(wire)
        self._store.refunds.settle(refund_id, status, paid_by)
        receipt = render_refund(
            plan,
            document,
            refund_id,
            self._store_info,
            refunded=status == "refunded",
            method=paid_by,
            staff_id=staff.staff_id,
            at=now,
            lang=language,
        )
        # The service holds the refund once it answered: then it has a receipt page.
        answered = method == ORIGINAL and status in ("refunded", "processing")
        link = (
            self._gateway.receipt_link(refund_id, language) if answered and self._gateway else None
        )
        try:
            self._printer.print_refund(refund_id, receipt, link)
        except PrinterError:
            printed = False
        else:
            printed = True
        return RefundDone(refund_id, plan, status, paid_by, tuple(receipt), printed, link)

    def _push(self, wire: Mapping[str, Any]) -> tuple[str, str]:
        assert self._gateway is not None  # method ORIGINAL needs one
        try:
            answer = self._gateway.push(wire)
        except RefundUnavailable:
            return "pending", str(wire["method"])
        except RefundRefused:
            # The outbox row is settled as a conflict by the relay.
            refused(self._store, str(wire["refund_id"]), str(wire["method"]))
            raise
        if answer.status == "failed":
            refused(self._store, str(wire["refund_id"]), answer.method)
        return answer.status, answer.method

    def _document(self, sale_id: str) -> dict[str, Any]:
        document = self._store.sales.document(sale_id)
        if document is None:
            raise RefundRefused(
                f"sale {sale_id} was not made at this kiosk", reason=Reason.REFUND_UNKNOWN_SALE
            )
        return document

    def _plan(self, document: Mapping[str, Any], wanted: Mapping[int, int] | None) -> RefundPlan:
        sale_id = str(document["sale_id"])
        earlier = [r for r in self._store.refunds.of_sale(sale_id) if r.status != "failed"]
        before = refunded_units(r.document["lines"] for r in earlier)
        return plan_refund(
            document,
            wanted,
            before,
            self._loyalty(document),
            return_coupons=self._policy().refund_returns_coupons,
        )

    def _loyalty(self, document: Mapping[str, Any]) -> SaleLoyalty:
        member_id = document.get("member_id")
        if not member_id:
            return SaleLoyalty()
        events = [
            e
            for e in self._store.loyalty.events(str(member_id))
            if e.sale_id == document["sale_id"]
        ]
        earned = sum(e.points for e in events if e.kind is LedgerKind.EARN)
        spent = -sum(e.points for e in events if e.kind is LedgerKind.REDEEM)
        return SaleLoyalty(earned, spent)
