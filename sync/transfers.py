"""The central service's record of resumes as a `kiosk.services.transfers.ResumeClaims`.

Staff wait at the kiosk while it asks: one quick attempt, and anything but an answer
leaves the decision to the kiosk's own checks (the resume's report, sent later through
the outbox, still meets the central record, which flags a double resume).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from kiosk.domain.transfer import CartTransfer
from kiosk.services.transfers import ClaimUnavailable, ResumedAt
from sync.client import CentralClient
from sync.errors import SyncError
from sync.transfer_protocol import TRANSFER_PREFIX, ClaimAnswer, ResumeClaim


class CentralResumeClaims:
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
                )
            )
        except (SyncError, ValidationError) as exc:
            raise ClaimUnavailable(f"the resume could not be claimed: {exc}") from exc
        return None if answer.granted else ResumedAt(answer.kiosk_id, answer.at)
