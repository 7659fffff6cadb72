"""Printing receipts on ESC/POS printers (USB, network, serial) through python-escpos.

Chinese and Korean printers take text in their national double-byte encodings
(GB18030, CP949) once switched to their "Kanji" mode (FS &), so the encoding is a
per-printer setting rather than guessed. The exit code and the e-receipt link are
printed as native QR codes (GS ( k), which every current receipt printer supports.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Serial, Usb

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.receipt import Receipt, render_text

# ESC/POS commands used directly (python-escpos has no wrapper for these).
ENTER_DOUBLE_BYTE_MODE = b"\x1c\x26"  # FS &: Chinese/Korean character mode
LEAVE_DOUBLE_BYTE_MODE = b"\x1c\x2e"  # FS .
PAPER_OUT = 0


class PrinterError(KioskError):
    reason = Reason.PRINTER


class _Network(Network):  # type: ignore[misc]
    """python-escpos 3.1 leaks the socket when the connection is refused; this does not."""

    def open(self, raise_not_found: bool = True) -> None:
        self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """`spec`: `usb:VID:PID`, `tcp://HOST[:PORT]`, `serial:/dev/ttyS0[:BAUD]` or `file:PATH`
    (also a raw device such as /dev/usb/lp0). `encoding`: gb18030, cp949 or ascii."""

    spec: str
    encoding: str = "gb18030"
    width: int = 42
    qr_size: int = 5


def open_printer(spec: str) -> Escpos:
    """Connect to the printer `spec` names; raises `PrinterError` in plain words."""
    try:
        if spec.startswith("usb:"):
            _, vid, pid = spec.split(":")
            usb = Usb(int(vid, 16), int(pid, 16))
            usb.open()
            return usb
        if spec.startswith("tcp://"):
            target = urlparse(spec)
            printer = _Network(target.hostname or "", target.port or 9100, timeout=5)
            printer.open()
            return printer
        if spec.startswith("serial:"):
            _, device, *baud = spec.split(":")
            serial = Serial(device, int(baud[0]) if baud else 9600)
            serial.open()
            return serial
        file = File(spec.removeprefix("file:"))
        file.open()
        return file
    except (EscposError, OSError, ValueError) as exc:
        raise PrinterError(
            f"cannot reach the receipt printer ({spec}): {exc}. Check it is switched on and "
            "connected; the shopper can take the e-receipt instead",
            reason=Reason.PRINTER_OFFLINE,
        ) from exc


class ReceiptPrinter:
    def __init__(
        self, config: PrinterConfig, connect: Callable[[str], Escpos] = open_printer
    ) -> None:
        self._config = config
        self._connect = connect

    def print(self, receipt: Receipt, lang: str) -> None:
        """Print one receipt; raises `PrinterError` (offline, out of paper) and prints nothing
        partial that a shopper could mistake for a whole receipt."""
        codes = [c for c in (receipt.exit_code, receipt.e_receipt_url) if c]
        self.print_lines(render_text(receipt, lang, self._config.width), codes)

    def print_lines(self, lines: list[str], codes: list[str]) -> None:
        """Print text lines, then each code as a QR, then cut (receipts, refund receipts)."""
        printer = self._connect(self._config.spec)
        try:
            self._check_paper(printer)
            printer.hw("INIT")
            double_byte = self._config.encoding != "ascii"
            if double_byte:
                printer._raw(ENTER_DOUBLE_BYTE_MODE)
            for line in lines:
                printer._raw(self._encode(line) + b"\n")
            if double_byte:
                printer._raw(LEAVE_DOUBLE_BYTE_MODE)
            printer.set(align="center")
            for payload in codes:
                printer.qr(payload, size=self._config.qr_size, native=True)
            printer.cut()
        except (EscposError, OSError) as exc:
            raise PrinterError(
                f"the receipt printer failed: {exc}", reason=Reason.PRINTER_FAILED
            ) from exc
        finally:
            printer.close()

    def _encode(self, line: str) -> bytes:
        if self._config.encoding == "ascii":
            return line.encode("ascii", "replace")
        return line.encode(self._config.encoding, "replace")

    @staticmethod
    def _check_paper(printer: Escpos) -> None:
        # Only printers that can answer (USB, network) are asked; a file cannot.
        if isinstance(printer, Usb | Network) and printer.paper_status() == PAPER_OUT:
            raise PrinterError(
                "the receipt printer is out of paper: call staff to refill it",
                reason=Reason.PRINTER_NO_PAPER,
            )
