"""Alerts in the staff member's words: why the kiosk needs them, and what about."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication

from kiosk.domain.alerts import Alert, AlertReason
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin, display_gtin
from ui.i18n import Localiser

# Lambdas, so each text is translated when it is shown; literal, so lupdate finds them.
_REASONS: dict[AlertReason, Callable[[], str]] = {
    AlertReason.SHOPPER_CALL: lambda: QCoreApplication.translate(
        "Alert", "The shopper asked for help."
    ),
    AlertReason.AGE_CHECK: lambda: QCoreApplication.translate(
        "Alert", "An item needs an age check."
    ),
    AlertReason.UNKNOWN_ITEM: lambda: QCoreApplication.translate(
        "Alert", "An item is not in the catalog: the shopper put it aside."
    ),
    AlertReason.RECALLED_ITEM: lambda: QCoreApplication.translate(
        "Alert", "A recalled item was scanned: take it from the shopper."
    ),
    AlertReason.UNSELLABLE_ITEM: lambda: QCoreApplication.translate(
        "Alert", "An item may not be sold (past its date or not for sale): take it."
    ),
    AlertReason.PRICE_QUERY: lambda: QCoreApplication.translate(
        "Alert", "The shopper queries a price."
    ),
    AlertReason.PRINTER_PAPER_OUT: lambda: QCoreApplication.translate(
        "Alert", "The receipt printer is out of paper."
    ),
    AlertReason.PRINTER_ERROR: lambda: QCoreApplication.translate(
        "Alert", "The receipt printer is not working."
    ),
    AlertReason.CAMERA_FAULT: lambda: QCoreApplication.translate(
        "Alert", "The camera stopped working."
    ),
    AlertReason.ATTENDED_PAYMENT: lambda: QCoreApplication.translate(
        "Alert", "A payment needs staff to confirm it."
    ),
    AlertReason.EXIT_AUDIT: lambda: QCoreApplication.translate(
        "Alert", "Bag check: check the bag, then sign out to give the exit code."
    ),
    AlertReason.REPEATED_FAILED_SCANS: lambda: QCoreApplication.translate(
        "Alert", "The shopper cannot get an item to scan."
    ),
    AlertReason.ITEM_REMOVAL: lambda: QCoreApplication.translate(
        "Alert", "The shopper wants an item taken off."
    ),
    AlertReason.PICKUP_BRING: lambda: QCoreApplication.translate(
        "Alert", "A group-buy order was collected: bring it to the shopper."
    ),
    AlertReason.PICKUP_PROBLEM: lambda: QCoreApplication.translate(
        "Alert", "A group-buy pickup code was not accepted: check the order."
    ),
}


# The same, naming the item (%1: its name in the staff member's language, or its code);
# short, since a name can be long and four alerts at large text must leave the cart room.
_NAMED: dict[AlertReason, Callable[[], str]] = {
    AlertReason.AGE_CHECK: lambda: QCoreApplication.translate("Alert", "Age check: %1."),
    AlertReason.UNKNOWN_ITEM: lambda: QCoreApplication.translate(
        "Alert", "Unknown item, barcode %1: put aside."
    ),
    AlertReason.RECALLED_ITEM: lambda: QCoreApplication.translate(
        "Alert", "Recalled: %1. Take it."
    ),
    AlertReason.UNSELLABLE_ITEM: lambda: QCoreApplication.translate(
        "Alert", "Not for sale: %1. Take it."
    ),
}


def alert_text(alert: Alert, localiser: Localiser, items: Mapping[str, Product]) -> str:
    """One line: why, then what it is about (the item, the line, the amount) when it says.
    `items`: the catalog's products by GTIN; an item not among them is named by its code."""
    if alert.gtin is not None and alert.reason in _NAMED:
        product = items.get(alert.gtin)
        name = product.name(localiser.language) if product else display_gtin(Gtin(alert.gtin))
        text = _NAMED[alert.reason]().replace("%1", name)
    else:
        text = _REASONS[alert.reason]()
    parts = [text]
    if alert.line_no is not None:
        line = QCoreApplication.translate("Alert", "Line %1.")
        parts.append(line.replace("%1", str(alert.line_no)))
    if alert.amount is not None:
        parts.append(localiser.money(alert.amount))
    return functools.reduce(_then, parts)


def _then(said: str, more: str) -> str:
    # Chinese full-width punctuation carries its own space: "…。 第 2 行" reads as a gap.
    return said + ("" if said.endswith(_FULL_WIDTH_STOPS) else " ") + more


_FULL_WIDTH_STOPS = ("。", "！", "？", "：", "，")
