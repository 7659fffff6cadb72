"""The central service's payment API as a `kiosk.services.payments.PaymentGateway`.

Creating a payment is idempotent by the kiosk-made payment id, so the client's
retries can never open two orders for one QR. The long-poll uses few attempts:
the watcher in `GatewayPayments` already retries with its own backoff, and a
payment screen must learn quickly that the network is gone.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentSession, PaymentStatus
from kiosk.services.payment_port import PaymentNotFound, PaymentUnavailable
from kiosk.services.payments import RemoteStatus
from sync.client import CentralClient
from sync.errors import ProtocolError, SyncError
from sync.payment_protocol import MAX_WAIT_S, ChargeCode, CreatePayment, PaymentView
from sync.protocol import ANSWER

CREATE_ATTEMPTS = 3
POLL_ATTEMPTS = 2


def _status(view: PaymentView) -> RemoteStatus:
    return RemoteStatus(
        payment_id=view.payment_id,
        status=PaymentStatus(view.status),
        amount=Money(view.amount_minor, view.currency),
        provider_ref=view.provider_ref or "",
        paid_at=datetime.fromisoformat(view.paid_at) if view.paid_at else None,
        failure=view.failure or "",
    )


class CentralPaymentGateway:
    def __init__(self, client: CentralClient, provider: str = "sandbox") -> None:
        self._client = client
        self._provider = provider

    @property
    def provider(self) -> str:
        return self._provider

    def _call(
        self,
        method: str,
        path: str,
        attempts: int,
        *,
        body: dict[str, object] | None = None,
        query: dict[str, str | int] | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentView:
        try:
            answer = self._client.call(
                method,
                path,
                body=body,
                query=query,
                idempotency_key=idempotency_key,
                attempts=attempts,
            )
        except ProtocolError as exc:
            if exc.status == 404 and exc.reason == "payment_not_found":
                raise PaymentNotFound(str(exc)) from exc
            raise PaymentUnavailable(
                f"the payment service cannot be reached: {exc}", reason=Reason.CENTRAL_UNREACHABLE
            ) from exc
        except SyncError as exc:
            raise PaymentUnavailable(
                f"the payment service cannot be reached: {exc}", reason=Reason.CENTRAL_UNREACHABLE
            ) from exc
        return PaymentView.model_validate(answer, context=ANSWER)

    def create(self, session: PaymentSession) -> tuple[str, datetime]:
        body = CreatePayment(
            payment_id=session.payment_id,
            sale_id=session.sale_id,
            amount_minor=session.amount.minor,
            currency=session.amount.currency,
            provider=self._provider,
        )
        view = self._call(
            "POST",
            "/v1/payments",
            CREATE_ATTEMPTS,
            body=body.model_dump(),
            idempotency_key=session.payment_id,
        )
        if view.qr_payload is None or view.expires_at is None:
            raise PaymentUnavailable(
                "the payment service gave no QR code", reason=Reason.PAYMENT_UNAVAILABLE
            )
        return view.qr_payload, datetime.fromisoformat(view.expires_at)

    def charge(self, session: PaymentSession, auth_code: str) -> RemoteStatus:
        body = ChargeCode(
            payment_id=session.payment_id,
            sale_id=session.sale_id,
            amount_minor=session.amount.minor,
            currency=session.amount.currency,
            auth_code=auth_code,
        )
        # The client's retries re-send the same body: the service charges once per id.
        view = self._call(
            "POST",
            "/v1/payments/code",
            CREATE_ATTEMPTS,
            body=body.model_dump(),
            idempotency_key=session.payment_id,
        )
        return _status(view)

    def wait(self, payment_id: str, timeout_s: float) -> RemoteStatus:
        wait = max(0, min(int(timeout_s), MAX_WAIT_S))
        view = self._call("GET", f"/v1/payments/{payment_id}", POLL_ATTEMPTS, query={"wait": wait})
        return _status(view)

    def cancel(self, payment_id: str) -> RemoteStatus:
        view = self._call(
            "POST",
            f"/v1/payments/{payment_id}/cancel",
            CREATE_ATTEMPTS,
            idempotency_key=f"cancel-{payment_id}",
        )
        return _status(view)
