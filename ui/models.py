"""Qt models over the core's state: the cart lines and the staff health table.

They hold already-formatted text (in the current language) so delegates and views only
draw; the numbers themselves come from `PricedCart`, never from arithmetic here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from kiosk.domain.cart import CartLine, ItemScanned, LineState, QuantityChanged
from kiosk.domain.pricing import PricedLine
from kiosk.services.checkout import CartState
from ui.i18n import Localiser, separator

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Role(enum.IntEnum):
    LINE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class LineView:
    """One cart line as the screen shows it."""

    line_no: int
    name: str
    detail: str
    amount: str
    savings: str
    quantity: int
    adjustable: bool
    needs_age_check: bool
    state: LineState
    just_scanned: bool


class CartModel(QAbstractListModel):
    """The cart's lines, newest first, with the line last scanned marked."""

    def __init__(self, localiser: Localiser, *, include_inactive: bool = False) -> None:
        super().__init__()
        self._localiser = localiser
        self._include_inactive = include_inactive
        self._state: CartState | None = None
        self._last_line: int | None = None
        self._rows: list[LineView] = []
        self._memo: dict[tuple[object, ...], LineView] = {}

    def set_state(self, state: CartState) -> None:
        event = state.event
        if isinstance(event, ItemScanned | QuantityChanged):
            self._last_line = event.line_no
        elif not state.cart.lines:
            self._last_line = None
        self._state = state
        self.refresh()

    def unmark(self) -> None:
        """No line is the one just scanned (the last scan was refused)."""
        if self._last_line is not None:
            self._last_line = None
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows (after a cart change or a language switch).

        A scan adds a line on top or changes lines in place; telling the view exactly that
        (not a model reset) spares it re-laying out and repainting every row at each scan.
        """
        rows = self._build()
        old = self._rows
        added = len(rows) - len(old)
        same_lines = added >= 0 and [r.line_no for r in rows[added:]] == [r.line_no for r in old]
        if not same_lines:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        if added:
            self.beginInsertRows(_ROOT, 0, added - 1)
            self._rows = rows[:added] + old
            self.endInsertRows()
        changed = [i for i in range(added, len(rows)) if rows[i] != old[i - added]]
        self._rows = rows
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))

    def _build(self) -> list[LineView]:
        state = self._state
        if state is None:
            return []
        language = self._localiser.language
        priced = {line.line_no: line for line in state.priced.lines}
        # A scan changes one or two lines: the others' words are taken from the last build
        # (the same line, prices shown, name and language give the same words; a line's
        # share of basket discounts changes at most scans but is not shown on the line).
        memo: dict[tuple[object, ...], LineView] = {}
        rows = []
        for line in reversed(state.cart.lines):
            if not (line.active or self._include_inactive):
                continue
            product = state.products.get(line.gtin)
            name = product.name(language) if product else line.gtin
            p = priced.get(line.line_no)
            just_scanned = line.line_no == self._last_line and line.active
            shown = (p.unit_price, p.shelf_amount, p.own_discount) if p else None
            key = (line, shown, name, language, just_scanned)
            view = self._memo.get(key) or self._line_view(line, p, name, just_scanned)
            memo[key] = view
            rows.append(view)
        self._memo = memo
        return rows

    def _line_view(
        self, line: CartLine, p: PricedLine | None, name: str, just_scanned: bool
    ) -> LineView:
        fmt = self._localiser
        if p is None:
            detail, amount, savings = _inactive_text(line.state), "", ""
        else:
            if line.weight_g is not None:
                detail = f"{fmt.weight(line.weight_g)} × {fmt.per_kg(p.unit_price)}"
            elif line.embedded_price is not None:
                detail = QCoreApplication.translate("CartModel", "price from label")
            else:
                detail = f"{line.quantity} × {fmt.money(p.unit_price)}"
            if line.override is not None:
                changed = QCoreApplication.translate("CartModel", "price changed by staff")
                detail = f"{detail}{separator()}{changed}"
            # A line shows its own price and savings; what the basket as a whole saves
            # (basket promotions, coupons, points) is shown once, under the offers and
            # in the total, not spread into every line's price at every scan.
            amount = fmt.money(p.shelf_amount)
            own = p.own_discount
            savings = (
                QCoreApplication.translate("CartModel", "You save %1").replace("%1", fmt.money(own))
                if own.minor
                else ""
            )
        return LineView(
            line_no=line.line_no,
            name=name,
            detail=detail,
            amount=amount,
            savings=savings,
            quantity=line.quantity,
            adjustable=line.mergeable,
            needs_age_check=line.needs_approval,
            state=line.state,
            just_scanned=just_scanned,
        )

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Role.LINE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name}  {row.detail}  {row.amount}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {row.detail}, {row.amount}"
        return None

    def line_at(self, row: int) -> LineView:
        return self._rows[row]

    def row_of(self, line_no: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.line_no == line_no:
                return i
        return None


def _inactive_text(state: LineState) -> str:
    if state is LineState.VOIDED:
        return QCoreApplication.translate("CartModel", "voided by staff")
    return QCoreApplication.translate("CartModel", "removed")


class HealthModel(QAbstractTableModel):
    """Two columns (what, value); rows are set whole by the staff screen's refresh."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, str, bool]] = []

    def set_rows(self, rows: list[tuple[str, str, bool]]) -> None:
        """`(label, value, ok)`; not ok rows get a warning mark, not only a colour."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        label, value, ok = self._rows[index.row()]
        if index.column() == 0:
            return label
        return value if ok else f"⚠ {value}"

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return QCoreApplication.translate("HealthModel", "Check")
        return QCoreApplication.translate("HealthModel", "Status")
