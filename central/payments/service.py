"""The payment service: sessions in the database, providers at the edge, proofs checked.

Every change of a payment goes through `PaymentSession` (kiosk/domain/payment.py), so
the central service and the kiosk share one state machine and one rule for proofs:
amount, currency and order must match the session (`PaymentSession.paid`), or the
report is refused and kept in `payment_flags` for a person to review.

Nothing lives in the process: the long-poll re-reads the database, the "ask the
provider" schedule is a column (`next_check_at`) claimed with a conditional UPDATE so
one replica asks, and provider calls happen outside database transactions (a slow
provider never holds a row lock). Rows are locked (`FOR UPDATE` on PostgreSQL;
SQLite's `BEGIN IMMEDIATE` serialises writers) while a report is applied, so a
callback racing a cancel cannot lose the money.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, delete, exists, select, update

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.db import insert_ignore, insert_one_ignore
from central.errors import Invalid, NotFound
from central.payments.config import PaymentsConfig
from central.payments.errors import (
    NotifyRefused,
    PaymentConflict,
    ProviderRefused,
    ProviderUnavailable,
    UnknownProvider,
)
from central.payments.providers.base import (
    Acknowledgement,
    CodeProvider,
    Notice,
    Order,
    Provider,
    Report,
)
from central.payments.providers.wechat import WeChatProvider
from central.payments.tables import payment_flags, payments, provider_nonces
from central.sales.tables import sales
from kiosk.domain.errors import KioskError
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentError, PaymentMismatch, PaymentSession, PaymentStatus
from kiosk.domain.payment_code import parse_payment_code
from sync.payment_protocol import ChargeCode, CreatePayment, PaymentFlag, PaymentView

log = logging.getLogger(__name__)
P = TypeVar("P")
N = TypeVar("N")

OPEN_NAMES = frozenset({"created", "shown"})


def to_dt(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def to_ms(when: datetime | None) -> int | None:
    return None if when is None else int(when.timestamp() * 1000)


def session_of(row: Any) -> PaymentSession:
    created = to_dt(row.created_at)
    assert created is not None
    return PaymentSession(
        payment_id=row.payment_id,
        sale_id=row.sale_id,
        amount=Money(int(row.amount_minor), row.currency),
        provider=row.provider,
        created_at=created,
        status=PaymentStatus(row.status),
        expires_at=to_dt(row.expires_at),
        qr_payload=row.qr_payload,
        provider_ref=row.provider_ref,
        paid_at=to_dt(row.paid_at),
        late=bool(row.late),
        failure=row.failure,
    )


def columns_of(session: PaymentSession) -> dict[str, Any]:
    return {
        "status": session.status.value,
        "qr_payload": session.qr_payload,
        "expires_at": to_ms(session.expires_at),
        "provider_ref": session.provider_ref,
        "paid_at": to_ms(session.paid_at),
        "late": session.late,
        "failure": session.failure,
    }


def view_of(row: Any) -> PaymentView:
    return PaymentView(
        payment_id=row.payment_id,
        sale_id=row.sale_id,
        status=row.status,
        amount_minor=int(row.amount_minor),
        currency=row.currency,
        provider=row.provider,
        qr_payload=row.qr_payload,
        expires_at=iso_ms(row.expires_at),
        provider_ref=row.provider_ref,
        paid_at=iso_ms(row.paid_at),
        late=bool(row.late),
        failure=row.failure,
    )


class Providers:
    """The configured providers: per store by name, and by name for callbacks."""

    def __init__(
        self,
        by_store: Mapping[str, Mapping[str, Provider]],
        default: Mapping[str, Provider],
    ) -> None:
        self._by_store = by_store
        self._default = default

    def get(self, store_id: str, name: str) -> Provider:
        provider = self._by_store.get(store_id, self._default).get(name)
        if provider is None:
            raise UnknownProvider(f"payment provider {name!r} is not set up for store {store_id}")
        return provider

    def code(self, store_id: str, name: str) -> CodeProvider:
        provider = self.get(store_id, name)
        if not hasattr(provider, "charge"):
            raise UnknownProvider(f"payment provider {name!r} takes no payment codes")
        return provider  # type: ignore[return-value]  # checked just above

    def for_notify(self, name: str) -> list[Provider]:
        found: dict[int, Provider] = {}
        for table in (*self._by_store.values(), self._default):
            if name in table:
                found.setdefault(id(table[name]), table[name])
        return list(found.values())


def first_verified(
    candidates: Sequence[P], verify: Callable[[P], N]
) -> tuple[P, N | None, NotifyRefused | None]:
    """(provider, what it verified, None) for the first of the providers under one
    callback name (stores may hold different keys) whose check accepts the callback;
    else (the first provider, None, the first refusal), to answer it with."""
    refusal: NotifyRefused | None = None
    for candidate in candidates:
        try:
            return candidate, verify(candidate), None
        except NotifyRefused as exc:
            refusal = refusal or exc
    return candidates[0], None, refusal


@dataclass
class PaymentService:
    engine: Engine
    config: PaymentsConfig
    providers: Providers
    clock_ms: Callable[[], int]
    sleep: Callable[[float], Awaitable[None]]
    reader: Engine  # for the long-poll's peeks; see `read_engine`

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # ---------------------------------------------------------------- rows
    def _row(self, conn: Connection, payment_id: str, *, lock: bool = False) -> Any:
        query = select(payments).where(payments.c.payment_id == payment_id.lower())
        return conn.execute(query.with_for_update() if lock else query).first()

    def _insert_once(
        self,
        conn: Connection,
        kiosk: AuthedKiosk,
        request: CreatePayment | ChargeCode,
        provider: str,
        digest: str,
        now: int,
        what_is_new: str,
    ) -> Any:
        """The payment's row, made by the first request with this id; a later one with
        other details (`digest`) is a conflict: `what_is_new` needs a new payment id."""
        conn.execute(
            insert_ignore(conn, payments).values(
                payment_id=request.payment_id,
                sale_id=request.sale_id,
                kiosk_id=kiosk.kiosk_id,
                store_id=kiosk.store_id,
                provider=provider,
                amount_minor=request.amount_minor,
                currency=request.currency,
                description=request.description,
                status="created",
                late=False,
                provider_open=False,
                body_hash=digest,
                created_at=now,
                updated_at=now,
            )
        )
        row = self._row(conn, request.payment_id)
        if row.body_hash != digest:
            raise PaymentConflict(
                f"payment {request.payment_id} already exists with other details: "
                f"{what_is_new} needs a new payment id"
            )
        return row

    def _own(self, conn: Connection, payment_id: str, kiosk: AuthedKiosk) -> Any:
        row = self._row(conn, payment_id)
        # Another kiosk's payment is as invisible as one that does not exist.
        if row is None or row.kiosk_id != kiosk.kiosk_id:
            raise NotFound(f"no payment {payment_id}", reason="payment_not_found")
        return row

    def _order(self, row: Any, public_url: str) -> Order:
        return Order(
            session=session_of(row),
            kiosk_id=row.kiosk_id,
            store_id=row.store_id,
            description=row.description,
            public_url=self.config.public_url or public_url,
        )

    def _write(self, conn: Connection, payment_id: str, now: int, **values: Any) -> None:
        conn.execute(
            update(payments)
            .where(payments.c.payment_id == payment_id)
            .values(updated_at=now, **values)
        )

    def _next_check(
        self, now: int, expires_at: int | None, first: bool = False, code: bool = False
    ) -> int:
        # A shopper confirming a payment code waits at the till: ask often.
        every = self.config.code_poll_s if code else self.config.check_every_s
        step = int(1000 * (self.config.first_check_s if first and not code else every))
        if expires_at is not None and now < expires_at:
            return min(now + step, expires_at)
        return now + step

    # ---------------------------------------------------------------- kiosk API
    def create(self, kiosk: AuthedKiosk, request: CreatePayment, public_url: str) -> PaymentView:
        request = request.model_copy(
            update={"payment_id": request.payment_id.lower(), "sale_id": request.sale_id.lower()}
        )
        store = self.config.store(kiosk.store_id)
        name = request.provider or store.default_provider
        if name in store.code_providers():
            raise UnknownProvider(f"{name} charges payment codes: POST /v1/payments/code")
        provider = self.providers.get(kiosk.store_id, name)
        try:
            Money(request.amount_minor, request.currency)
        except KioskError as exc:
            raise Invalid(str(exc), reason="currency") from None
        digest = hashlib.sha256(
            json.dumps([kiosk.kiosk_id, request.model_dump()], sort_keys=True).encode()
        ).hexdigest()
        now = self.clock_ms()
        with self.tx() as conn:
            row = self._insert_once(conn, kiosk, request, name, digest, now, "a new payment")
            if row.status != "created":
                return view_of(row)  # a re-send: answered as it stands
        # The provider call happens outside any transaction. If it fails, the row stays
        # `created` and a re-send of the same request tries again with the same order
        # reference, which providers treat as the same order.
        created = provider.create(self._order(row, public_url))
        now = self.clock_ms()
        with self.tx() as conn:
            row = self._row(conn, request.payment_id, lock=True)
            if row.status == "created":
                session = session_of(row).shown(created.qr_payload, created.expires_at)
                expires = to_ms(created.expires_at)
                self._write(
                    conn,
                    row.payment_id,
                    now,
                    **{**columns_of(session), "provider_ref": created.provider_ref},
                    provider_open=True,
                    next_check_at=self._next_check(now, expires, first=True),
                )
                row = self._row(conn, request.payment_id)
            return view_of(row)

    def charge(self, kiosk: AuthedKiosk, request: ChargeCode, public_url: str) -> PaymentView:
        """Charge a payment code, once per payment id.

        The row is written first and the one charge is claimed with a conditional UPDATE,
        so a re-sent request (the kiosk lost the answer, the shopper scanned twice) finds
        the claim and only reads (and, when due, queries); it never charges again. The
        claim sets `next_check_at` to the deadline: if this process dies mid-charge, the
        sweep (or the kiosk's next poll) queries then and reverses an unfinished charge.
        While the shopper confirms on the phone the payment is `shown` without a QR and
        is queried every `code_poll_s`; at `code_wait_s` it is reversed (query first:
        money that arrived is a sale), so nobody is charged without a sale.
        """
        code = parse_payment_code(request.auth_code)
        if code is None:
            raise Invalid("that is not a WeChat Pay or Alipay payment code", reason="payment_code")
        request = request.model_copy(
            update={"payment_id": request.payment_id.lower(), "sale_id": request.sale_id.lower()}
        )
        name = f"{code.wallet.value}_code"
        provider = self.providers.code(kiosk.store_id, name)
        try:
            Money(request.amount_minor, request.currency)
        except KioskError as exc:
            raise Invalid(str(exc), reason="currency") from None
        fields = request.model_dump(exclude={"auth_code"})
        # The code itself is not stored, only its hash: the same id with another code
        # is another charge, refused like any other changed body.
        fields["auth_code_sha256"] = hashlib.sha256(request.auth_code.encode()).hexdigest()
        digest = hashlib.sha256(
            json.dumps([kiosk.kiosk_id, "code", fields], sort_keys=True).encode()
        ).hexdigest()
        now = self.clock_ms()
        deadline = now + int(self.config.code_wait_s * 1000)
        with self.tx() as conn:
            row = self._insert_once(conn, kiosk, request, name, digest, now, "another code")
            claimed = conn.execute(
                update(payments)
                .where(
                    payments.c.payment_id == request.payment_id,
                    payments.c.status == "created",
                    payments.c.provider_open.is_(False),
                )
                .values(provider_open=True, expires_at=deadline, next_check_at=deadline)
            ).rowcount
        if claimed != 1:
            return self.refresh(request.payment_id, kiosk, public_url)
        with self.tx() as conn:
            row = self._row(conn, request.payment_id)
        log.info("charging %s payment code %s for %s", name, code.masked, row.payment_id)
        try:
            report = provider.charge(self._order(row, public_url), request.auth_code)
        except ProviderUnavailable as exc:
            # No answer: the charge may or may not have been made. Query, never re-send.
            report = Report(row.payment_id, "open", detail=str(exc))
        except ProviderRefused as exc:
            log.warning("%s refused the charge of payment %s: %s", name, row.payment_id, exc)
            report = Report(row.payment_id, "failed", detail="declined")
        except NotifyRefused as exc:
            # A signed answer we cannot read (no amount, no time): the money may have been
            # taken, so it is queried like a timeout, and a person sees the flag.
            self.record_flag(name, exc.reason, str(exc), None, row.payment_id)
            report = Report(row.payment_id, "open", detail=str(exc))
        self._settle_charge(name, row, report, deadline)
        with self.tx() as conn:
            return view_of(self._row(conn, request.payment_id))

    def _settle_charge(self, name: str, row: Any, report: Report, deadline: int) -> None:
        now = self.clock_ms()
        if report.state == "paid":
            if self._apply_quietly(name, report) is not None:
                self._give_up(row.payment_id, now, "the provider reports a payment that "
                              "does not match this one: staff must review")  # fmt: skip
            return
        with self.tx() as conn:
            current = self._row(conn, row.payment_id, lock=True)
            session = session_of(current)
            if not session.is_open:
                return
            if report.state == "failed":
                self._write(
                    conn, row.payment_id, now, **columns_of(session.fail(report.detail)),
                    provider_open=False, next_check_at=None,
                )  # fmt: skip
                return
            if session.status is PaymentStatus.CREATED:
                session = session.awaiting(to_dt(deadline) or session.created_at)
            self._write(
                conn, row.payment_id, now, **columns_of(session),
                next_check_at=self._next_check(now, deadline, code=True),
            )  # fmt: skip

    def view(self, payment_id: str, kiosk: AuthedKiosk) -> PaymentView:
        with self.tx() as conn:
            return view_of(self._own(conn, payment_id, kiosk))

    async def wait(self, payment_id: str, kiosk: AuthedKiosk, wait_s: float) -> PaymentView:
        """Long-poll: answer as soon as the payment leaves created/shown, or at `wait_s`.

        Between full refreshes it only peeks (a plain read, no write lock on SQLite):
        the status, and whether a check with the provider has come due."""
        deadline = self.clock_ms() + int(wait_s * 1000)
        view = await run_in_threadpool(self.refresh, payment_id, kiosk)
        while view.status in OPEN_NAMES and self.clock_ms() < deadline:
            await self.sleep(self.config.poll_interval_s)
            if await run_in_threadpool(self._changed_or_due, view.payment_id):
                view = await run_in_threadpool(self.refresh, payment_id, kiosk)
        return view

    def _changed_or_due(self, payment_id: str) -> bool:
        with self.reader.connect() as conn:
            row = conn.execute(
                select(payments.c.status, payments.c.provider_open, payments.c.next_check_at).where(
                    payments.c.payment_id == payment_id
                )
            ).one()
        if row.status not in OPEN_NAMES:
            return True
        due = row.next_check_at
        return bool(row.provider_open) and due is not None and self.clock_ms() >= due

    def refresh(
        self, payment_id: str, kiosk: AuthedKiosk | None, public_url: str = ""
    ) -> PaymentView:
        """The current state; asks the provider first if a check is due (no callback
        yet, or the QR expired, or an earlier close did not get through)."""
        payment_id = payment_id.lower()
        now = self.clock_ms()
        with self.tx() as conn:
            row = self._own(conn, payment_id, kiosk) if kiosk else self._row(conn, payment_id)
            if row is None:
                raise NotFound(f"no payment {payment_id}", reason="payment_not_found")
            due = row.provider_open and row.next_check_at is not None and now >= row.next_check_at
            if not due:
                return view_of(row)
            # Claim the check, so that of many polls (or replicas) only one asks.
            claimed = conn.execute(
                update(payments)
                .where(
                    payments.c.payment_id == payment_id,
                    payments.c.next_check_at == row.next_check_at,
                )
                .values(
                    next_check_at=self._next_check(
                        now, row.expires_at, code=row.provider.endswith("_code")
                    )
                )
            ).rowcount
        if claimed == 1:
            self._check_provider(row, now, public_url)
        with self.tx() as conn:
            return view_of(self._row(conn, payment_id))

    def cancel(self, payment_id: str, kiosk: AuthedKiosk, public_url: str) -> PaymentView:
        payment_id = payment_id.lower()
        with self.tx() as conn:
            row = self._own(conn, payment_id, kiosk)
        if row.status not in OPEN_NAMES:
            return view_of(row)
        provider = self.providers.get(row.store_id, row.provider)
        report: Report | None
        try:
            report = provider.close(self._order(row, public_url))
        except (ProviderUnavailable, ProviderRefused, NotifyRefused) as exc:
            log.warning("closing payment %s at %s failed: %s", payment_id, row.provider, exc)
            report = None
        now = self.clock_ms()
        if report is not None and report.state == "paid":
            # The money came first: the answer is paid.
            self._apply_quietly(row.provider, report)
        with self.tx() as conn:
            row = self._row(conn, payment_id, lock=True)
            if row.status in OPEN_NAMES:
                session = session_of(row).cancel()
                closed = report is not None
                self._write(
                    conn,
                    payment_id,
                    now,
                    **columns_of(session),
                    provider_open=not closed,
                    next_check_at=None if closed else now,
                )
                row = self._row(conn, payment_id)
            return view_of(row)

    # ---------------------------------------------------------------- asking the provider
    def _check_provider(self, row: Any, now: int, public_url: str) -> None:
        provider = self.providers.get(row.store_id, row.provider)
        expired = row.expires_at is not None and now >= row.expires_at
        closing = expired or row.status not in OPEN_NAMES
        order = self._order(row, public_url)
        try:
            report = provider.close(order) if closing else provider.query(order)
        except (ProviderUnavailable, ProviderRefused, NotifyRefused) as exc:
            if isinstance(exc, NotifyRefused):
                self.record_flag(row.provider, exc.reason, str(exc), None, row.payment_id)
            log.warning("asking %s about payment %s failed: %s", row.provider, row.payment_id, exc)
            if expired and row.status in OPEN_NAMES:
                # The kiosk needs an answer: expired. The order may still be open at the
                # provider (next_check_at stays set, so closing is retried), and money
                # arriving later is accepted as a late payment.
                with self.tx() as conn:
                    current = self._row(conn, row.payment_id, lock=True)
                    if current.status in OPEN_NAMES:
                        session = session_of(current).expire(to_dt(now) or datetime.now(UTC))
                        self._write(conn, row.payment_id, now, **columns_of(session))
            return
        if report.state == "paid":
            refused = self._apply_quietly(row.provider, report)
            if refused is not None:
                # The provider itself (a signed answer) says money other than the QR's
                # was paid: waiting longer changes nothing. Staff review the flag.
                self._give_up(row.payment_id, now, "the provider reports a payment that "
                              "does not match this one: staff must review")  # fmt: skip
            return
        with self.tx() as conn:
            current = self._row(conn, row.payment_id, lock=True)
            session = session_of(current)
            values: dict[str, Any] = {}
            if report.state == "closed":
                values = {"provider_open": False, "next_check_at": None}
                if session.is_open:
                    when = to_dt(now) or datetime.now(UTC)
                    if session.expires_at is not None and when >= session.expires_at:
                        session = session.expire(when)
                    else:
                        session = session.fail("closed by the provider")
                    values.update(columns_of(session))
            elif report.state == "failed" and session.is_open:
                session = session.fail(report.detail or "failed at the provider")
                values = {**columns_of(session), "provider_open": False, "next_check_at": None}
            if values:
                self._write(conn, row.payment_id, now, **values)

    def _give_up(self, payment_id: str, now: int, why: str) -> None:
        with self.tx() as conn:
            current = self._row(conn, payment_id, lock=True)
            values: dict[str, Any] = {"provider_open": False, "next_check_at": None}
            if current.status in OPEN_NAMES:
                values.update(columns_of(session_of(current).fail(why)))
            self._write(conn, payment_id, now, **values)

    def sweep(self, public_url: str = "", limit: int = 500) -> int:
        """Check every payment whose check is due (expired QRs, missing callbacks,
        closes that did not get through). Run it from a timer or `central` CLI so
        payments no kiosk polls any more are still closed."""
        now = self.clock_ms()
        with self.tx() as conn:
            ids = conn.execute(
                select(payments.c.payment_id)
                .where(payments.c.provider_open.is_(True), payments.c.next_check_at <= now)
                .limit(limit)
            ).scalars()
            due = list(ids)
        for payment_id in due:
            self.refresh(payment_id, None, public_url)
        return len(due)

    # ---------------------------------------------------------------- callbacks
    def handle_notify(self, name: str, headers: Mapping[str, str], body: bytes) -> Acknowledgement:
        """The one pipeline for every provider callback: verify (signature, freshness),
        replay guard, match the session, then store. Refusals change nothing."""
        candidates = self.providers.for_notify(name)
        if not candidates:
            raise NotFound(f"no provider {name!r} is set up", reason="unknown_provider")
        now = self.clock_ms()
        provider, notice, refusal = first_verified(
            candidates, lambda p: p.verify_notify(headers, body, now)
        )
        if notice is None:
            assert refusal is not None
            log.warning("%s callback refused: %s", name, refusal)
            return provider.refuse(refusal.status, str(refusal))
        try:
            self.apply_notice(name, notice)
        except NotifyRefused as exc:
            log.warning("%s callback refused: %s", name, exc)
            return provider.refuse(exc.status, str(exc))
        return provider.acknowledge()

    def apply_notice(self, name: str, notice: Notice) -> None:
        now = self.clock_ms()
        try:
            with self.tx() as conn:
                fresh = insert_one_ignore(
                    conn, provider_nonces, {"provider": name, "nonce": notice.nonce, "seen_at": now}
                )
                if not fresh:
                    return  # this very callback was already applied: harmless
                self._apply(conn, name, notice.report, now)
                if now % 64 == 0:
                    window = 2 * self.config.notify_window_s * 1000
                    conn.execute(
                        delete(provider_nonces).where(provider_nonces.c.seen_at < now - window)
                    )
        except _Refusal as exc:
            # The transaction rolled back (nothing changed, the nonce is not spent);
            # the flag is written on its own so it survives.
            self.record_flag(name, exc.kind, str(exc), notice.report)
            raise NotifyRefused(str(exc), reason=exc.kind, status=exc.status) from None

    def _apply_quietly(self, name: str, report: Report) -> str | None:
        """A report from a query or close: stored, or flagged and logged if refused
        (then the refusal's kind is returned)."""
        try:
            with self.tx() as conn:
                self._apply(conn, name, report, self.clock_ms())
        except _Refusal as exc:
            self.record_flag(name, exc.kind, str(exc), report)
            log.warning("%s report refused: %s", name, exc)
            return exc.kind
        return None

    def _apply(self, conn: Connection, name: str, report: Report, now: int) -> None:
        row = self._row(conn, report.payment_id, lock=True)
        if row is None:
            raise _Refusal("unknown_order", f"no payment {report.payment_id}", 404)
        if row.provider != name:
            raise _Refusal(
                "provider_mismatch", f"payment {row.payment_id} is not a {name} payment", 400
            )
        session = session_of(row)
        if report.state == "paid":
            if report.amount is None or report.reference is None:
                raise _Refusal("malformed", "a payment report without amount or reference", 400)
            try:
                when = report.paid_at or to_dt(now) or session.created_at
                paid = session.paid(
                    report.amount, report.reference, when, order_id=report.payment_id
                )
            except PaymentMismatch as exc:
                raise _Refusal("mismatch", str(exc), 400) from None
            except PaymentError as exc:
                # Money for a payment that already failed (declined, closed by the
                # provider): not lost, but a person decides (refund or complete).
                raise _Refusal("payment_state", str(exc), 409) from None
            if paid is not session:
                self._write(
                    conn,
                    row.payment_id,
                    now,
                    **columns_of(paid),
                    provider_open=False,
                    next_check_at=None,
                )
        elif report.state == "failed" and session.is_open:
            failed = session.fail(report.detail or "failed at the provider")
            self._write(
                conn, row.payment_id, now, **columns_of(failed), provider_open=False,
                next_check_at=None,
            )  # fmt: skip

    # ---------------------------------------------------------------- flags
    def record_flag(
        self,
        provider: str,
        kind: str,
        detail: str,
        report: Report | None,
        payment_id: str | None = None,
    ) -> None:
        amount = report.amount if report else None
        reference = report.reference if report else None
        payment_id = report.payment_id if report else payment_id
        fingerprint = hashlib.sha256(
            json.dumps(
                [provider, kind, payment_id, reference, amount.minor if amount else None,
                 amount.currency if amount else None, detail]
            ).encode()
        ).hexdigest()  # fmt: skip
        document = json.dumps(
            dict(report.document) if report else {}, ensure_ascii=False, default=str
        )
        with self.tx() as conn:
            conn.execute(
                insert_ignore(conn, payment_flags).values(
                    fingerprint=fingerprint,
                    payment_id=(payment_id or "")[:36] or None,
                    provider=provider,
                    kind=kind,
                    detail=detail,
                    reference=(reference or "")[:128] or None,
                    amount_minor=amount.minor if amount else None,
                    currency=amount.currency if amount else None,
                    document=document,
                    created_at=self.clock_ms(),
                )
            )

    def flags(self, limit: int = 100) -> list[PaymentFlag]:
        with self.tx() as conn:
            rows = conn.execute(
                select(payment_flags).order_by(payment_flags.c.id.desc()).limit(limit)
            ).all()
        return [
            PaymentFlag(
                id=r.id,
                payment_id=r.payment_id,
                provider=r.provider,
                kind=r.kind,
                detail=r.detail,
                reference=r.reference,
                amount_minor=r.amount_minor,
                currency=r.currency,
                created_at=iso_ms(r.created_at) or "",
            )
            for r in rows
        ]

    def wechat_keys(self, refresh: bool) -> list[dict[str, Any]]:
        """The WeChat Pay platform keys of every merchant account, after downloading the
        certificates again if asked (an operator's check, or a cron's)."""
        rows: list[dict[str, Any]] = []
        for provider in self.providers.for_notify("wechat"):
            if not isinstance(provider, WeChatProvider):
                continue
            if refresh and provider.keys.downloads:
                provider.refresh_certificates()
            rows += [{"mchid": provider.mchid, **row} for row in provider.keys.status()]
        return rows

    def paid_without_sale(self, grace_s: int = 600, limit: int = 500) -> list[PaymentView]:
        """Paid payments whose sale has not arrived `grace_s` after the money: a kiosk that
        died between "paid" and storing the sale, or a sale stuck in an outbox. The money
        is real; staff complete or refund."""
        cutoff = self.clock_ms() - grace_s * 1000
        with self.tx() as conn:
            rows = conn.execute(
                select(payments)
                .where(
                    payments.c.status == "paid",
                    payments.c.updated_at < cutoff,  # when the money was recorded
                    ~exists().where(sales.c.sale_id == payments.c.sale_id),
                )
                .order_by(payments.c.paid_at)
                .limit(limit)
            ).all()
        return [view_of(r) for r in rows]

    # ---------------------------------------------------------------- sandbox page support
    def page_row(self, payment_id: str) -> Any:
        with self.tx() as conn:
            return self._row(conn, payment_id)


class _Refusal(Exception):
    def __init__(self, kind: str, message: str, status: int) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
