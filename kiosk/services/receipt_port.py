"""The receipt printer port, and a stand-in that writes receipts as text files.

The real ESC/POS printer and the receipt layout belong to the receipts issue; the UI only
needs to ask for a receipt and learn, in a `PrinterError`, that it could not be printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kiosk.domain.errors import KioskError
from kiosk.domain.sale import Sale


class PrinterError(KioskError):
    reason = "printer_error"


class ReceiptPrinter(Protocol):
    def print_receipt(self, sale: Sale, language: str) -> None:
        """Print `sale`'s receipt; raises PrinterError (out of paper, offline)."""
        ...


class TextFilePrinter:
    """Writes `receipt-<sequence>.txt` into a folder: the demo's and the tests' printer."""

    def __init__(self, folder: Path, *, working: bool = True) -> None:
        self._folder = folder
        self.working = working
        """Set False to play a printer that is out of paper."""

    def print_receipt(self, sale: Sale, language: str) -> None:
        if not self.working:
            raise PrinterError("the receipt printer is out of paper")
        self._folder.mkdir(parents=True, exist_ok=True)
        lines = [f"sale #{sale.sequence}  {sale.sale_id}", f"language {language}"]
        lines += [
            f"{line.line_no:>3} {sale.product_names.get(line.gtin, {}).get(language, line.gtin)}"
            f"  {line.amount.format()}"
            for line in sale.priced.lines
        ]
        lines.append(f"total {sale.priced.total.format()}")
        (self._folder / f"receipt-{sale.sequence}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
