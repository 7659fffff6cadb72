"""Refunds: money back on a stored sale, re-checked, recorded once, sent to its tender once.

A kiosk sends each refund as an outbox row (`POST /v1/refunds/batch`). The service:

1. **records** it in one transaction that holds the sale's row (`FOR UPDATE` on
   PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers), so two refunds of one
   sale racing each other are checked one after the other. The refund id is the
   idempotency key: the same body again is a `duplicate` (answered as it stands),
   another body under that id is `422 refund_conflict`;
2. **re-checks** every figure with the kiosk's own rule (`kiosk.domain.refund`): the
   lines must be paid lines of the sale with units left after the earlier refunds (all
   but failed ones), and each line's amount must be exactly what the rule gives
   (`422 refund_amount`); more than is left is `422 refund_over_paid`, a sale that was
   not paid `422 refund_not_refundable`. Coupons: the kiosk says which coupons go back
   (its store policy `refund_returns_coupons`); it may name none, or exactly those the
   rule frees (every line the coupon discounted now wholly refunded), else
   `422 refund_coupons`. Points are worked out from the central ledger; when the
   kiosk's figures differ, the refund goes through on the central ones and the
   difference is kept for review (`GET /v1/admin/conflicts`, entity `refund`, reason
   `points_differ`);
3. **refunds** outside any transaction: to the sale's tender through its provider
   (`RefundingProvider.refund`, idempotent at the provider by the refund id), asking
   again every `refund_poll_s` until the answer is final or `refund_wait_s` has passed
   (then `processing`: the kiosk's next re-send asks again). A sale paid offline or
   attended, or a refund the supervisor paid out in cash, is recorded `refunded` with
   method `cash` and no provider call;
4. **settles** a refund the provider finishes later from its refund callback
   (`handle_refund_notify`: WeChat Pay's REFUND.* events, signature checked and
   resource decrypted like the payment callback, replay-guarded by its nonce). The
   query and the callback may race: each settles the row with one conditional UPDATE
   (`status = 'processing'`), so whichever comes second changes nothing.

**Points and coupons follow the money**: they are booked in the transaction that
records the refund `refunded` (at once for cash, else whichever of the query and the
callback settles it), never before: earned points taken back and spent ones returned
(`central.loyalty.members.book_refund`, `adjust` events naming the refund) and the
coupons given back to the wallet (`offers.return_coupons`), once
(`refunds.loyalty_booked_at`). A refund the provider fails books nothing, so the
member is left as they were and the supervisor's retry, a new refund, books once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, select, update

from central.auth import AuthedKiosk
from central.db import insert_ignore, insert_one_ignore
from central.errors import Invalid, NotFound
from central.loyalty.members import book_refund, sale_points
from central.loyalty.offers import return_coupons
from central.payments.config import PaymentsConfig
from central.payments.errors import NotifyRefused
from central.payments.providers.base import (
    Acknowledgement,
    Order,
    RefundingProvider,
    RefundNotice,
    RefundOrder,
    RefundReport,
)
from central.payments.service import Providers, first_verified, session_of
from central.payments.tables import payments, provider_nonces
from central.sales.service import body_hash, record_conflict
from central.sales.tables import refunds, sales
from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.refund import (
    RefundPlan,
    RefundRefused,
    SaleLoyalty,
    plan_refund,
    points_share,
    refunded_units,
)
from sync.payment_protocol import RefundDocument, RefundResult

CASH = "cash"
log = logging.getLogger(__name__)
# `record_flag(provider, kind, detail, report, payment_id)` of the payment service:
# a refused callback is kept for review, never silently dropped.
FlagRecorder = Callable[[str, str, str, None, str], None]


def _check_payment(
    conn: Connection, sale: Mapping[str, Any], payment_id: str, document: RefundDocument
) -> None:
    """The tender a refund goes back to must be this sale's own paid payment, in its
    store and currency, with this refund and the others sent to it (all but failed ones)
    within what it took. The kiosk names the payment in its sale; the service took the
    money, so it checks: a sale naming another sale's or store's payment, or a smaller
    one, would otherwise send more back to that payment than was ever paid into it."""
    payment = conn.execute(
        select(payments).where(payments.c.payment_id == payment_id).with_for_update()
    ).first()
    own = payment is not None and (
        payment.sale_id.lower() == str(sale["sale_id"]).lower()
        and payment.store_id == sale["store_id"]
        and payment.status == "paid"
        and payment.currency == document.currency
    )
    if payment is None or not own:
        raise Invalid(
            f"the sale's tender names payment {payment_id}, which is not this sale's paid "
            "payment: give the money back in cash, and tell the chain's operators",
            reason="refund_not_refundable",
        )
    sent = conn.execute(
        select(func.coalesce(func.sum(refunds.c.amount_minor), 0)).where(
            refunds.c.payment_id == payment_id, refunds.c.status != "failed"
        )
    ).scalar_one()
    if int(sent) + document.amount_minor > payment.amount_minor:
        raise Invalid(
            f"payment {payment_id} took {payment.amount_minor}; {sent} has gone back to it "
            f"already, so {document.amount_minor} more cannot",
            reason="refund_over_paid",
        )


class RefundConflict(Invalid):
    reason = "refund_conflict"


@dataclass
class RefundService:
    engine: Engine
    config: PaymentsConfig
    providers: Providers
    clock_ms: Callable[[], int]
    sleep: Callable[[float], None] = time.sleep

    def push(self, kiosk: AuthedKiosk, documents: Sequence[RefundDocument]) -> list[RefundResult]:
        results = []
        for document in documents:
            row, stored = self._record(kiosk, document)
            if row.status == "processing":
                row = self._settle(row)
            results.append(_result(row, "stored" if stored else "duplicate"))
        return results

    # ---------------------------------------------------------------- recording
    def _record(self, kiosk: AuthedKiosk, document: RefundDocument) -> tuple[Any, bool]:
        wire = document.model_dump(mode="json")
        digest = body_hash(wire)
        refund_id = document.refund_id.lower()
        now = self.clock_ms()
        with self.engine.begin() as conn:
            sale = conn.execute(
                select(sales).where(sales.c.sale_id == document.sale_id.lower()).with_for_update()
            ).first()
            # Another store's sale is as invisible as one that has not arrived yet.
            if sale is None or sale.store_id != kiosk.store_id:
                raise NotFound(f"no sale {document.sale_id}", reason="sale_not_found")
            existing = self._row(conn, refund_id)
            if existing is not None:
                if existing.body_hash != digest:
                    raise RefundConflict(
                        f"refund {refund_id} already exists with other details: "
                        "a new refund needs a new refund id"
                    )
                return existing, False
            sale_doc = json.loads(sale.document)
            _, earned, spent = sale_points(conn, sale.sale_id)
            plan = self._check(conn, sale_doc, document, SaleLoyalty(earned, spent))
            taken, given = plan.points_taken_back, plan.points_returned
            if (document.points_taken_back, document.points_returned) != (taken, given):
                kiosk_said = {
                    "points_taken_back": document.points_taken_back,
                    "points_returned": document.points_returned,
                }
                central_said = {"points_taken_back": taken, "points_returned": given}
                record_conflict(
                    conn, "refund", refund_id, kiosk.kiosk_id, "points_differ", digest,
                    {"kiosk": kiosk_said, "central": central_said}, now,
                )  # fmt: skip
            method, payment_id, status = self._route(conn, sale_doc, document)
            inserted = conn.execute(
                insert_ignore(conn, refunds).values(
                    refund_id=refund_id,
                    sale_id=sale.sale_id,
                    kiosk_id=kiosk.kiosk_id,
                    store_id=kiosk.store_id,
                    method=method,
                    payment_id=payment_id,
                    amount_minor=document.amount_minor,
                    currency=document.currency,
                    status=status,
                    refunded_at=now if status == "refunded" else None,
                    loyalty_booked_at=now if status == "refunded" else None,
                    body_hash=digest,
                    document=json.dumps(wire, ensure_ascii=False),
                    created_at=now,
                    updated_at=now,
                )
            )
            if status == "refunded" and inserted.rowcount:
                # Paid out in cash: the money is back already.
                self._book_loyalty(conn, refund_id, now)
            return self._row(conn, refund_id), True

    def _row(self, conn: Connection, refund_id: str) -> Any:
        return conn.execute(select(refunds).where(refunds.c.refund_id == refund_id)).first()

    def _check(
        self,
        conn: Connection,
        sale: dict[str, Any],
        document: RefundDocument,
        loyalty: SaleLoyalty,
    ) -> RefundPlan:
        earlier = conn.execute(
            select(refunds.c.document).where(
                refunds.c.sale_id == sale["sale_id"], refunds.c.status != "failed"
            )
        ).scalars()
        before = refunded_units(json.loads(text)["lines"] for text in earlier)
        wanted: dict[int, int] = {}
        for line in document.lines:
            if line.line_no in wanted:
                raise Invalid(f"line {line.line_no} is listed twice", reason="refund_amount")
            wanted[line.line_no] = line.quantity
        if document.currency != sale["currency"]:
            raise Invalid("the refund's currency is not the sale's", reason="refund_amount")
        try:
            plan = plan_refund(sale, wanted, before, loyalty, return_coupons=True)
        except RefundRefused as exc:
            over = exc.reason is Reason.REFUND_OVER_PAID
            raise Invalid(
                exc.message, reason="refund_over_paid" if over else "refund_not_refundable"
            ) from None
        expected = {line.line_no: line.amount_minor for line in plan.lines}
        asked = {line.line_no: line.amount_minor for line in document.lines}
        if asked != expected or document.amount_minor != plan.amount_minor:
            raise Invalid(
                f"the sale's lines give back {plan.amount_minor} ({expected}), "
                f"not {document.amount_minor} ({asked})",
                reason="refund_amount",
            )
        claimed = sorted(document.coupons_returned)
        if claimed and claimed != sorted(plan.coupons_returned):
            raise Invalid(
                f"this refund frees the coupons {sorted(plan.coupons_returned)}, not {claimed}: "
                "a coupon goes back once every line it discounted is refunded",
                reason="refund_coupons",
            )
        return plan

    def _route(
        self, conn: Connection, sale: dict[str, Any], document: RefundDocument
    ) -> tuple[str, str | None, str]:
        """(method, payment id, first status): cash at once, or the tender's provider."""
        tenders = sale.get("tenders") or []
        if document.method == CASH or len(tenders) != 1 or tenders[0].get("attended_by"):
            return CASH, None, "refunded"
        tender = tenders[0]
        provider = self.providers.get(str(sale["store_id"]), str(tender["method"]))
        if not hasattr(provider, "refund"):
            raise Invalid(
                f"{tender['method']} cannot refund: give the money back in cash",
                reason="refund_not_refundable",
            )
        payment_id = str(tender["payment_id"]).lower()
        _check_payment(conn, sale, payment_id, document)
        return str(tender["method"]), payment_id, "processing"

    # ---------------------------------------------------------------- the provider
    def _settle(self, row: Any) -> Any:
        """Send the refund (again: the provider refunds once per refund id) and ask until
        its answer is final or `refund_wait_s` has passed."""
        provider, order = self._refund_order(row)
        report = provider.refund(order)
        deadline = time.monotonic() + self.config.refund_wait_s
        while report.state == "processing" and time.monotonic() < deadline:
            self.sleep(self.config.refund_poll_s)
            report = provider.query_refund(order)
        return self._store(row.refund_id, report)

    def sweep(self, limit: int = 500) -> int:
        """Ask the provider again about every refund still `processing` a `refund_wait_s`
        after the service last heard of it; how many it asked about. A refund whose
        callback never came, or whose provider sends none (WeChat and Alipay payment-code
        refunds), stayed `processing` for good: its points never booked, and its kiosk,
        which sends a refund once, never heard that it failed. The provider refunds once
        per refund id, so asking by sending it again is safe, and also covers a service
        that stopped between recording a refund and sending it. Run with the payments'
        sweep (`python -m central.payments sweep --every`, `POST /v1/ops/payments/sweep`).
        """
        due = self.clock_ms() - int(self.config.refund_wait_s * 1000)
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(refunds)
                .where(refunds.c.status == "processing", refunds.c.updated_at <= due)
                .order_by(refunds.c.updated_at)
                .limit(limit)
            ).all()
        for row in rows:
            try:
                provider, order = self._refund_order(row)
                report = provider.refund(order)
            except Exception:  # one provider's trouble must not stop the others' refunds
                log.exception("refund %s: the provider could not be asked", row.refund_id)
                report = None
            if report is not None and self._store(row.refund_id, report).status != "processing":
                continue
            with self.engine.begin() as conn:
                # Still open: to the back of the queue, so one stuck refund never holds
                # up the others past `limit`.
                conn.execute(
                    update(refunds)
                    .where(refunds.c.refund_id == row.refund_id, refunds.c.status == "processing")
                    .values(updated_at=self.clock_ms())
                )
        return len(rows)

    def _refund_order(self, row: Any) -> tuple[RefundingProvider, RefundOrder]:
        provider: Any = self.providers.get(row.store_id, row.method)
        with self.engine.begin() as conn:
            payment = conn.execute(
                select(payments).where(payments.c.payment_id == row.payment_id)
            ).first()
        if payment is None:
            raise NotFound(f"no payment {row.payment_id} to refund", reason="payment_not_found")
        # The public address lets a provider call back (WeChat's refund notify_url).
        public_url = self.config.public_url or ""
        order = Order(session_of(payment), payment.kiosk_id, payment.store_id, "", public_url)
        reason = str(json.loads(row.document)["reason"])
        amount = Money(int(row.amount_minor), row.currency)
        refunding: RefundingProvider = provider
        return refunding, RefundOrder(row.refund_id, order, amount, reason)

    def _store(self, refund_id: str, report: RefundReport) -> Any:
        with self.engine.begin() as conn:
            self._settle_row(conn, refund_id, report)
            return self._row(conn, refund_id)

    def _settle_row(self, conn: Connection, refund_id: str, report: RefundReport) -> bool:
        """Record the provider's answer if the refund is still `processing`: one
        conditional UPDATE, so of a query and a callback racing only one settles it, and
        books the refund's points and coupons in that transaction when it refunded.
        Whether this call did."""
        if report.state == "processing":
            return False
        now = self.clock_ms()
        row = conn.execute(
            select(refunds.c.sale_id, refunds.c.loyalty_booked_at).where(
                refunds.c.refund_id == refund_id
            )
        ).first()
        if row is None:
            return False
        # Refunds recorded before migration 0021 booked when recorded: not again.
        book = report.state == "refunded" and row.loyalty_booked_at is None
        if book:
            # The sale's row first, as `_record` takes it, so two refunds of one sale
            # booking at once are serialised and never wait for each other in a cycle.
            conn.execute(
                select(sales.c.sale_id).where(sales.c.sale_id == row.sale_id).with_for_update()
            )
        values: dict[str, Any] = {
            "status": report.state,
            "provider_ref": report.reference,
            "failure": report.detail or None,
            "refunded_at": now if report.state == "refunded" else None,
            "updated_at": now,
        }
        if book:
            values["loyalty_booked_at"] = now
        done = conn.execute(
            update(refunds)
            .where(refunds.c.refund_id == refund_id, refunds.c.status == "processing")
            .values(**values)
        )
        settled = bool(done.rowcount)
        if settled and book:
            self._book_loyalty(conn, refund_id, now)
        return settled

    def _book_loyalty(self, conn: Connection, refund_id: str, now: int) -> None:
        """The refund's points (earned taken back, spent returned) and coupons, booked
        once its money is back, in the transaction that records that (the one write that
        made it `refunded` and set `loyalty_booked_at`, so once), with the sale's row
        held. Not before: a refund the provider fails must leave the member as they were,
        and the supervisor's retry (a new refund id) must book once, not twice.

        The points follow the money actually refunded: this refund's share after the
        sale's refunds booked before it (`points_share`, cumulative), so whatever order
        refunds settle in, or fail, the sale's refunds add up to `floor(points * R / T)`."""
        row = self._row(conn, refund_id)
        sale_doc = json.loads(
            conn.execute(
                select(sales.c.document).where(sales.c.sale_id == row.sale_id)
            ).scalar_one()
        )
        member, earned, spent = sale_points(conn, row.sale_id)
        if member is not None:
            before = conn.execute(
                select(func.coalesce(func.sum(refunds.c.amount_minor), 0)).where(
                    refunds.c.sale_id == row.sale_id,
                    refunds.c.loyalty_booked_at.is_not(None),
                    refunds.c.refund_id != refund_id,
                )
            ).scalar_one()
            amount, total = int(row.amount_minor), int(sale_doc["total_minor"])
            taken = points_share(earned, int(before), amount, total)
            given = points_share(spent, int(before), amount, total)
            book_refund(conn, member, refund_id, taken, given, now)
        # Checked against the sale when the refund was recorded (`_check`).
        codes = list(json.loads(row.document)["coupons_returned"])
        missing = set(codes) - set(return_coupons(conn, row.sale_id, codes))
        if missing:
            # The sale's redemption has not arrived (or was given back already):
            # kept for review, so a use arriving later is not silently kept.
            record_conflict(
                conn, "refund", refund_id, row.kiosk_id, "coupon_not_returned", row.body_hash,
                {"codes": sorted(missing)}, now,
            )  # fmt: skip

    # ---------------------------------------------------------------- the callback
    def handle_refund_notify(
        self, name: str, headers: Mapping[str, str], body: bytes, record_flag: FlagRecorder
    ) -> Acknowledgement:
        """A provider's refund callback: verified, replay-guarded, matched against the
        refund it names (its payment, method and amount), then settled once. A refusal
        changes nothing and is answered so that the provider calls again; one that does
        not match its refund is also flagged for review."""
        candidates = [
            p for p in self.providers.for_notify(name) if hasattr(p, "verify_refund_notify")
        ]
        if not candidates:
            raise NotFound(
                f"no provider {name!r} takes refund callbacks", reason="unknown_provider"
            )
        now = self.clock_ms()
        provider, notice, refusal = first_verified(
            candidates, lambda p: p.verify_refund_notify(headers, body, now)
        )
        try:
            if notice is None:
                assert refusal is not None
                raise refusal
            self._apply_notice(name, notice)
        except NotifyRefused as exc:
            log.warning("%s refund callback refused: %s", name, exc)
            if notice is not None and exc.reason == "refund_mismatch":
                record_flag(name, exc.reason, str(exc), None, notice.payment_id)
            ack: Acknowledgement = provider.refuse(exc.status, str(exc))
            return ack
        done: Acknowledgement = provider.acknowledge()
        return done

    def _apply_notice(self, name: str, notice: RefundNotice) -> None:
        with self.engine.begin() as conn:
            nonce = {"provider": name, "nonce": notice.nonce, "seen_at": self.clock_ms()}
            if not insert_one_ignore(conn, provider_nonces, nonce):
                return  # this very callback was applied before: harmless
            row = self._row(conn, notice.refund_id)
            if row is None:
                raise NotifyRefused(
                    f"no refund {notice.refund_id}", reason="unknown_order", status=404
                )
            expected = (name, row.payment_id, Money(int(row.amount_minor), row.currency))
            if (row.method, notice.payment_id, notice.amount) != expected:
                # Raised inside the transaction: it rolls back, the nonce is not spent.
                raise NotifyRefused(
                    f"the callback's refund ({notice.payment_id}, {notice.amount}) is not "
                    f"refund {row.refund_id}",
                    reason="refund_mismatch",
                )
            self._settle_row(conn, row.refund_id, notice.report)


def _result(row: Any, result: Literal["stored", "duplicate"]) -> RefundResult:
    return RefundResult(
        refund_id=row.refund_id,
        result=result,
        status=row.status,
        amount_minor=int(row.amount_minor),
        method=row.method,
        provider_ref=row.provider_ref,
        failure=row.failure,
    )
