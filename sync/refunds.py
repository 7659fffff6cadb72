"""The central service's refund API as a `kiosk.services.refunds.RefundGateway`.

It sends the refund's outbox row itself (`POST /v1/refunds/batch`, one refund), so the
supervisor learns at once whether the money went back; the relay sends the same row
again later and the service answers `duplicate`: one refund per refund id. Then it asks
for the refund's e-receipt link (`GET /v1/refunds/{id}/receipt-link`), printed as a QR.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.domain.errors import Reason
from kiosk.domain.refund import RefundRefused
from kiosk.services.refunds import RefundAnswer, RefundUnavailable
from sync.client import CentralClient
from sync.errors import ProtocolError, SyncError
from sync.payment_protocol import RefundBatchResult, RefundReceiptLink
from sync.protocol import ANSWER
from sync.receipts import page_language

PUSH_ATTEMPTS = 3
# Every 422 the refund route answers: the relay settles any of them as a conflict (and
# the refund `failed`), so the supervisor learns it now rather than seeing it pending.
_REFUSALS = {
    "refund_over_paid": Reason.REFUND_OVER_PAID,
    "refund_not_refundable": Reason.REFUND_NOT_REFUNDABLE,
    "refund_amount": Reason.REFUND_NOT_REFUNDABLE,
    "refund_coupons": Reason.REFUND_NOT_REFUNDABLE,
    "refund_conflict": Reason.REFUND_NOT_REFUNDABLE,
}


class CentralRefundGateway:
    def __init__(self, client: CentralClient) -> None:
        self._client = client

    def push(self, document: Mapping[str, Any]) -> RefundAnswer:
        refund_id = str(document["refund_id"])
        try:
            answer = self._client.call(
                "POST",
                "/v1/refunds/batch",
                body={"refunds": [dict(document)]},
                idempotency_key=f"refund:{refund_id}:1",
                attempts=PUSH_ATTEMPTS,
            )
        except ProtocolError as exc:
            if exc.status == 422 and exc.reason in _REFUSALS:
                raise RefundRefused(str(exc), reason=_REFUSALS[exc.reason]) from exc
            raise RefundUnavailable(f"the refund was not taken: {exc}") from exc
        except SyncError as exc:
            raise RefundUnavailable(f"the central service cannot be reached: {exc}") from exc
        (result,) = RefundBatchResult.model_validate(answer, context=ANSWER).results
        return RefundAnswer(result.status, result.method)

    def receipt_link(self, refund_id: str, language: str) -> str | None:
        try:
            answer = self._client.call(
                "GET",
                f"/v1/refunds/{refund_id}/receipt-link",
                query={"lang": page_language(language)},
                attempts=2,
            )
        except SyncError:
            return None  # the paper receipt stands alone
        return RefundReceiptLink.model_validate(answer, context=ANSWER).url
