"""What a reader hands the checkout: the same `ScanEvent` from camera, wedge scanner or keypad."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Symbology(enum.StrEnum):
    EAN13 = "EAN-13"
    EAN8 = "EAN-8"
    UPCA = "UPC-A"
    UPCE = "UPC-E"
    CODE128 = "Code 128"
    QR = "QR Code"
    DATAMATRIX = "DataMatrix"
    DATABAR = "DataBar"
    DATABAR_EXPANDED = "DataBar Expanded"
    DATABAR_LIMITED = "DataBar Limited"
    UNKNOWN = "unknown"  # keyboard wedge without an AIM prefix, or typed by hand


class ScanSource(enum.StrEnum):
    CAMERA = "camera"
    WEDGE = "wedge"
    KEYPAD = "keypad"


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """One trusted read. `at` is a monotonic timestamp in seconds from the reader's clock."""

    text: str
    symbology: Symbology
    source: ScanSource
    at: float
    gs1: bool = False
    aim_id: str | None = None
