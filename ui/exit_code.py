"""A placeholder exit code until signed exit codes come with the payments issue.

The done screen shows it as a QR clearly marked as a sample; staff mode accepts it back.
It proves nothing (anyone could forge it): the real code is signed by the kiosk and
verifiable offline, and will replace this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.domain.sale import Sale
from kiosk.store.repositories import StoredSale

PREFIX = "EXIT-PLACEHOLDER:"


def placeholder_exit_code(sale: Sale) -> str:
    return f"{PREFIX}{sale.kiosk_id}:{sale.sequence}:{sale.sale_id}"


def is_exit_code(text: str) -> bool:
    return text.startswith(PREFIX)


def verify_placeholder_exit_code(code: str, recent: Iterable[StoredSale]) -> bool:
    """True when `code` names a paid sale among `recent` ones."""
    parts = code[len(PREFIX) :].split(":") if is_exit_code(code) else []
    if len(parts) != 3:
        return False
    _kiosk, sequence, sale_id = parts
    return any(
        s.sale_id == sale_id and str(s.sequence) == sequence and s.status == "paid" for s in recent
    )
