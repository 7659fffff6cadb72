"""The receipt port the UI prints through: "print this sale", nothing about paper or bytes.

`EscposSalePrinter` builds the receipt (`kiosk.domain.receipt`) and prints it on the store's
ESC/POS printer (`kiosk.services.printing`); `TextFileSalePrinter` renders the same receipt
into a text file, for the demo and tests. Both raise `PrinterError` (reason `printer...`)
when nothing could be printed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.pickup import CollectedOrder
from kiosk.domain.receipt import (
    StoreInfo,
    build_receipt,
    pickup_slip,
    render_text,
    transfer_slip,
)
from kiosk.domain.sale import Sale
from kiosk.services.printing import PrinterError, ReceiptPrinter
from kiosk.services.transfers import SuspendedCart


class SalePrinter(Protocol):
    def print_sale(
        self,
        sale: Sale,
        language: str,
        exit_code: str | None,
        e_receipt_url: str | None = None,
        collected: tuple[CollectedOrder, ...] = (),
    ) -> None:
        """Print `sale`'s receipt (with its exit code and e-receipt link, and the group-buy
        orders collected with it); raises PrinterError."""
        ...

    def print_pickup(
        self, kiosk_id: str, collected: tuple[CollectedOrder, ...], at: datetime, language: str,
        exit_code: str,
    ) -> None:  # fmt: skip
        """Print the slip of group-buy orders collected with nothing bought, with their exit
        code; raises PrinterError."""
        ...

    def print_transfer(self, suspended: SuspendedCart, language: str) -> None:
        """Print a suspended cart's slip with its transfer code; raises PrinterError."""

    def print_refund(self, refund_id: str, lines: list[str], e_receipt_url: str | None) -> None:
        """Print a refund receipt (`kiosk.domain.receipt.render_refund`), with its
        e-receipt link as a QR when there is one; raises PrinterError."""
        ...


class ReceiptLinks(Protocol):
    def link(self, sale: Sale, exit_code: str | None, language: str) -> str:
        """The signed address of `sale`'s e-receipt page, to offer as a QR; may block on the
        network; raises `KioskError` (reason `e_receipt_unavailable`) when there is none."""
        ...


class EscposSalePrinter:
    def __init__(self, printer: ReceiptPrinter, store: StoreInfo) -> None:
        self._printer = printer
        self._store = store

    def print_sale(
        self,
        sale: Sale,
        language: str,
        exit_code: str | None,
        e_receipt_url: str | None = None,
        collected: tuple[CollectedOrder, ...] = (),
    ) -> None:
        receipt = build_receipt(
            sale, self._store, language, exit_code=exit_code, e_receipt_url=e_receipt_url,
            collected=collected,
        )  # fmt: skip
        self._printer.print(receipt, language)

    def print_pickup(
        self, kiosk_id: str, collected: tuple[CollectedOrder, ...], at: datetime, language: str,
        exit_code: str,
    ) -> None:  # fmt: skip
        lines = pickup_slip(self._store, kiosk_id, collected, at, language)
        self._printer.print_lines(lines, [exit_code])

    def print_transfer(self, suspended: SuspendedCart, language: str) -> None:
        self._printer.print_lines(_slip(suspended, self._store, language), [suspended.code])

    def print_refund(self, refund_id: str, lines: list[str], e_receipt_url: str | None) -> None:
        self._printer.print_lines(lines, [e_receipt_url] if e_receipt_url else [])


class TextFileSalePrinter:
    """Writes `receipt-<sequence>.txt` into a folder."""

    def __init__(self, folder: Path, store: StoreInfo, *, working: bool = True) -> None:
        self._folder = folder
        self._store = store
        self.working = working
        """Set False to play a printer that is out of paper."""

    def print_sale(
        self,
        sale: Sale,
        language: str,
        exit_code: str | None,
        e_receipt_url: str | None = None,
        collected: tuple[CollectedOrder, ...] = (),
    ) -> None:
        if not self.working:
            raise PrinterError(
                "the receipt printer is out of paper", reason=Reason.PRINTER_NO_PAPER
            )
        receipt = build_receipt(
            sale, self._store, language, exit_code=exit_code, e_receipt_url=e_receipt_url,
            collected=collected,
        )  # fmt: skip
        self._folder.mkdir(parents=True, exist_ok=True)
        lines = render_text(receipt, language)
        lines.extend(code for code in (exit_code, e_receipt_url) if code)
        (self._folder / f"receipt-{sale.sequence}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )

    def print_transfer(self, suspended: SuspendedCart, language: str) -> None:
        if not self.working:
            raise PrinterError(
                "the receipt printer is out of paper", reason=Reason.PRINTER_NO_PAPER
            )
        self._folder.mkdir(parents=True, exist_ok=True)
        lines = [*_slip(suspended, self._store, language), suspended.code]
        (self._folder / f"transfer-{suspended.number}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )

    def print_pickup(
        self, kiosk_id: str, collected: tuple[CollectedOrder, ...], at: datetime, language: str,
        exit_code: str,
    ) -> None:  # fmt: skip
        if not self.working:
            raise PrinterError(
                "the receipt printer is out of paper", reason=Reason.PRINTER_NO_PAPER
            )
        self._folder.mkdir(parents=True, exist_ok=True)
        lines = [*pickup_slip(self._store, kiosk_id, collected, at, language), exit_code]
        (self._folder / f"pickup-{collected[0].pickup_id}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )

    def print_refund(self, refund_id: str, lines: list[str], e_receipt_url: str | None) -> None:
        if not self.working:
            raise PrinterError(
                "the receipt printer is out of paper", reason=Reason.PRINTER_NO_PAPER
            )
        self._folder.mkdir(parents=True, exist_ok=True)
        (self._folder / f"refund-{refund_id}.txt").write_text(
            "\n".join([*lines, e_receipt_url] if e_receipt_url else lines) + "\n", encoding="utf-8"
        )


def _slip(suspended: SuspendedCart, store: StoreInfo, language: str) -> list[str]:
    transfer = suspended.transfer
    return transfer_slip(
        store,
        transfer.kiosk_id,
        suspended.number,
        Money(suspended.total_minor, transfer.currency),
        suspended.item_count,
        transfer.expires_at,
        language,
    )
