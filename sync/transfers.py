"""The central service's record of suspensions and resumes as a
`kiosk.services.transfers.TransferRegistry`.

Staff wait at the kiosk while it asks: one quick attempt, and anything but an answer
leaves the decision to the kiosk's own checks (the resume's report, sent later through
the outbox, still meets the central record, which flags a double resume).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from kiosk.domain.transfer import CartTransfer
from kiosk.services.transfers import RegistryUnavailable, ResumedAt
from sync.client import CentralClient
from sync.errors import ProtocolError, SyncError
from sync.protocol import ANSWER
from sync.transfer_protocol import TRANSFER_PREFIX, ClaimAnswer, ResumeClaim, TransferCode


class CentralTransferRegistry:
    def __init__(self, client: CentralClient) -> None:
        self._client = client

    def claim(self, transfer: CartTransfer, staff_id: str, at: datetime) -> ResumedAt | None:
        claim = ResumeClaim(
            cart_id=transfer.cart_id,
            from_kiosk_id=transfer.kiosk_id,
            at=at.isoformat(),
            staff_id=staff_id,
        )
        try:
            answer = ClaimAnswer.model_validate(
                self._client.call(
                    "POST", f"{TRANSFER_PREFIX}/claim", body=claim.model_dump(), attempts=1
                ),
                context=ANSWER,
            )
        except (SyncError, ValidationError) as exc:
            raise RegistryUnavailable(f"the resume could not be claimed: {exc}") from exc
        return None if answer.granted else ResumedAt(answer.kiosk_id, answer.at)

    def code_for(self, number: str) -> str | None:
        try:
            answer = self._client.call("GET", f"{TRANSFER_PREFIX}/number/{number}", attempts=1)
        except ProtocolError as exc:
            if exc.status == 404:
                return None
            raise RegistryUnavailable(f"the number could not be looked up: {exc}") from exc
        except SyncError as exc:
            raise RegistryUnavailable(f"the number could not be looked up: {exc}") from exc
        try:
            return TransferCode.model_validate(answer, context=ANSWER).code
        except ValidationError as exc:
            raise RegistryUnavailable(f"the number's answer is malformed: {exc}") from exc
