"""The receipt port the UI prints through: "print this sale", nothing about paper or bytes.

`EscposSalePrinter` builds the receipt (`kiosk.domain.receipt`) and prints it on the store's
ESC/POS printer (`kiosk.services.printing`); `TextFileSalePrinter` renders the same receipt
into a text file, for the demo and tests. Both raise `PrinterError` (reason `printer...`)
when nothing could be printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kiosk.domain.receipt import StoreInfo, build_receipt, render_text
from kiosk.domain.sale import Sale
from kiosk.services.printing import PrinterError, ReceiptPrinter


class SalePrinter(Protocol):
    def print_sale(self, sale: Sale, language: str, exit_code: str | None) -> None:
        """Print `sale`'s receipt (with its exit code); raises PrinterError."""
        ...


class EscposSalePrinter:
    def __init__(self, printer: ReceiptPrinter, store: StoreInfo) -> None:
        self._printer = printer
        self._store = store

    def print_sale(self, sale: Sale, language: str, exit_code: str | None) -> None:
        receipt = build_receipt(sale, self._store, language, exit_code=exit_code)
        self._printer.print(receipt, language)


class TextFileSalePrinter:
    """Writes `receipt-<sequence>.txt` into a folder."""

    def __init__(self, folder: Path, store: StoreInfo, *, working: bool = True) -> None:
        self._folder = folder
        self._store = store
        self.working = working
        """Set False to play a printer that is out of paper."""

    def print_sale(self, sale: Sale, language: str, exit_code: str | None) -> None:
        if not self.working:
            raise PrinterError("the receipt printer is out of paper", reason="printer_no_paper")
        receipt = build_receipt(sale, self._store, language, exit_code=exit_code)
        self._folder.mkdir(parents=True, exist_ok=True)
        lines = render_text(receipt, language)
        if exit_code:
            lines.append(exit_code)
        (self._folder / f"receipt-{sale.sequence}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
