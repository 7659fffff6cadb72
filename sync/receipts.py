"""E-receipt links from the central service, as the kiosk's `ReceiptLinks` port."""

from __future__ import annotations

from typing import Literal

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.sale import Sale
from sync.client import CentralClient
from sync.errors import SyncError
from sync.payment_protocol import ReceiptLink, ReceiptLinkRequest
from sync.protocol import ANSWER

# The page's languages are named without the region the kiosk's Qt locale names carry.
_PAGE_LANGUAGE: dict[str, Literal["en", "zh", "ko"]] = {"zh_CN": "zh", "ko": "ko", "en": "en"}


def page_language(language: str) -> Literal["en", "zh", "ko"]:
    """The e-receipt page's name for the kiosk's language."""
    return _PAGE_LANGUAGE.get(language, "en")


class CentralReceiptLinks:
    def __init__(self, client: CentralClient, attempts: int = 2) -> None:
        self._client = client
        self._attempts = attempts

    def link(self, sale: Sale, exit_code: str | None, language: str) -> str:
        body = ReceiptLinkRequest(exit_code=exit_code, lang=page_language(language))
        try:
            answer = self._client.call(
                "POST",
                f"/v1/sales/{sale.sale_id}/receipt-link",
                body=body.model_dump(),
                attempts=self._attempts,
            )
        except SyncError as exc:
            raise KioskError(
                f"no e-receipt link: {exc}", reason=Reason.E_RECEIPT_UNAVAILABLE
            ) from exc
        return ReceiptLink.model_validate(answer, context=ANSWER).url
