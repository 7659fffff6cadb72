"""The cart list: big lines, quantity − and + on each, the line just scanned marked.

Drawn by a delegate (rows are cheap to repaint at every scan); taps on the − / + discs
become `quantity_step(line_no, delta)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QScrollArea,
    QScroller,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kiosk.domain.cart import LineState
from ui.models import CartModel, LineView, Role
from ui.theme import Theme

ROW_HEIGHT = 92
"""At 1080p six or seven rows fit: a big basket is a few screens, not a dozen."""
_CACHED_ROWS = 24
"""Rows kept drawn (about 0.5 MB each at 1080p): a screenful and the rows scrolled past."""
_DISC = 60
_QTY_W = 56
_AMOUNT_W = 190
_TAP_SLOP = 12
"""How far (px) a finger may move between press and release and still be a tap."""
_NAME_PX = 25
_DETAIL_PX = 19
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class DetailPiece:
    """One piece of a cart row's detail line: the text drawn (elided to fit), where it
    starts, the room it had and the width it takes."""

    text: str
    left: int
    room: int
    width: int
    font: QFont
    colour: str


class CartDelegate(QStyledItemDelegate):
    """Paints a `LineView`; reports taps on its − / + buttons.

    Signals:
        quantity_step(int, int): line number and +1 or −1.
        line_removed(int): line number of a weighed or labelled line whose ✕ was tapped
            (one line per label: no quantity to step, but the shopper may take it off).
        line_tapped(int): line number of an active line tapped anywhere else (its name,
            its price): the shopper asks about it (a price that looks wrong).
    """

    quantity_step = Signal(int, int)
    line_removed = Signal(int)
    line_tapped = Signal(int)

    def __init__(self, theme: Theme, *, adjustable: bool = True) -> None:
        super().__init__()
        self.theme = theme
        self.adjustable = adjustable
        self._rows: dict[tuple[object, ...], QPixmap] = {}
        self._pressed: QPointF | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        return QSize(option.rect.width(), self.theme.px(ROW_HEIGHT))

    def _buttons(self, rect: QRect) -> tuple[QRectF, QRectF, QRectF]:
        """(minus, quantity, plus) areas left of the amount column."""
        px = self.theme.px
        disc = px(_DISC)
        right = rect.right() - px(_AMOUNT_W) - px(16)
        cy = rect.center().y()
        plus = QRectF(right - disc, cy - disc / 2, disc, disc)
        qty = QRectF(plus.left() - px(_QTY_W), cy - disc / 2, px(_QTY_W), disc)
        minus = QRectF(qty.left() - disc, cy - disc / 2, disc, disc)
        return minus, qty, plus

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # A scan puts a line on top and every row below moves down: each row is drawn once
        # into a pixmap and then only copied, so a scan repaints one row, not the screenful.
        row: LineView = index.data(Role.LINE)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        ratio = painter.device().devicePixelRatioF()
        size = option.rect.size()
        key = (row, selected, size.width(), size.height(), ratio, option.font.key(), self.theme)
        pixmap = self._rows.pop(key, None)
        if pixmap is None:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            # Opaque, on the list's own background: copying it is a plain blit, where a
            # transparent row would be blended pixel by pixel on every repaint.
            pixmap.fill(QColor(self.theme.palette.surface))
            row_painter = QPainter(pixmap)
            self._paint_row(row_painter, QRect(QPoint(0, 0), size), row, selected, option.font)
            row_painter.end()
            while len(self._rows) >= _CACHED_ROWS:
                del self._rows[next(iter(self._rows))]  # the least recently drawn
        self._rows[key] = pixmap
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def _paint_row(
        self, painter: QPainter, area: QRect, row: LineView, selected: bool, base_font: QFont
    ) -> None:
        p = self.theme.palette
        px = self.theme.px
        rect = area.adjusted(8, 4, -8, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        marked = row.just_scanned or selected
        background = QColor(p.highlight if marked else p.surface)
        painter.setPen(QPen(QColor(p.brand if marked else p.border), 4 if selected else 2))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 12, 12)
        if row.just_scanned:  # a bar and an arrow as well as the colour
            painter.fillRect(
                QRectF(rect.left(), rect.top() + 8, 8, rect.height() - 16), QColor(p.brand)
            )
        text_left, text_right = self._text_span(rect, row)
        adjustable = self.adjustable and row.adjustable and row.state is LineState.ACTIVE
        removable = self._removable(row)
        inactive = row.state is not LineState.ACTIVE
        width = int(text_right - text_left)
        name_font = QFont(base_font)
        name_font.setPixelSize(px(_NAME_PX))
        name_font.setBold(True)
        name_font.setStrikeOut(inactive)
        name = ("✓ " if selected else "▶ " if row.just_scanned else "") + row.name
        lines = two_lines(name, QFontMetrics(name_font), width)
        # Set lines, not the font's own line spacing (CJK fonts leave half an em between
        # lines): two lines of a name and the detail fit a compact row.
        name_h = round(px(_NAME_PX) * 1.2)
        detail_h = round(px(_DETAIL_PX) * 1.35)
        block = name_h * len(lines) + detail_h
        top = rect.top() + max(2, (rect.height() - block) // 2)
        painter.setFont(name_font)
        painter.setPen(QColor(p.muted if inactive else p.text))
        for n, line in enumerate(lines):
            painter.drawText(
                QRectF(text_left, top + n * name_h, width, name_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        detail_top = top + name_h * len(lines)
        for piece in self._detail(rect, row, base_font):
            painter.setFont(piece.font)
            painter.setPen(QColor(piece.colour))
            painter.drawText(
                QRectF(piece.left, detail_top, piece.room, detail_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                piece.text,
            )
        # amount
        amount_font = QFont(base_font)
        amount_font.setPixelSize(px(28))
        amount_font.setBold(True)
        amount_font.setStrikeOut(inactive)
        painter.setFont(amount_font)
        painter.setPen(QColor(p.muted if inactive else p.text))
        painter.drawText(
            QRectF(rect.right() - px(_AMOUNT_W) - 16, rect.top(), px(_AMOUNT_W), rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            row.amount,
        )
        if adjustable:
            self._paint_buttons(painter, rect, row, amount_font)
        elif removable:
            self._paint_remove(painter, rect, amount_font)
        painter.restore()

    def _text_span(self, rect: QRect, row: LineView) -> tuple[int, int]:
        """Left and right of the name and detail text: up to the row's buttons."""
        adjustable = self.adjustable and row.adjustable and row.state is LineState.ACTIVE
        if adjustable:
            right = self._buttons(rect)[0].left() - 14
        elif self._removable(row):
            right = self._buttons(rect)[2].left() - 14
        else:
            right = rect.right() - self.theme.px(_AMOUNT_W) - 20
        return rect.left() + 24, int(right)

    def detail_layout(self, area: QRect, row: LineView, base_font: QFont) -> list[DetailPiece]:
        """The detail line of the row drawn in `area`, as drawn (the legibility test reads it)."""
        return self._detail(area.adjusted(8, 4, -8, -4), row, base_font)

    def _detail(self, rect: QRect, row: LineView, base_font: QFont) -> list[DetailPiece]:
        """The detail line's pieces, left to right: quantity × price, the age check (what
        the shopper must wait for, before what they saved), savings. Each is elided to the
        room left, so large text or a long language never cuts one off without "…"."""
        p = self.theme.palette
        wanted = [(row.detail, p.muted, False)]
        if row.needs_age_check:
            age = QCoreApplication.translate("CartView", "Age check by staff")
            wanted.append(("⚠ " + age, p.warning, True))
        if row.savings:
            wanted.append(("★ " + row.savings, p.success, True))
        x, right = self._text_span(rect, row)
        pieces = []
        for text, colour, bold in wanted:
            font = QFont(base_font)
            font.setPixelSize(self.theme.px(_DETAIL_PX))
            font.setBold(bold)
            metrics = QFontMetrics(font)
            room = right - x
            if room <= metrics.horizontalAdvance("…"):
                break
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            width = metrics.horizontalAdvance(shown)
            pieces.append(DetailPiece(shown, x, room, width, font, colour))
            x += width + 20
        return pieces

    def _removable(self, row: LineView) -> bool:
        return self.adjustable and not row.adjustable and row.state is LineState.ACTIVE

    def _paint_remove(self, painter: QPainter, rect: QRect, font: QFont) -> None:
        p = self.theme.palette
        disc = self._buttons(rect)[2]
        painter.setPen(QPen(QColor(p.brand), 3))
        painter.setBrush(QColor(p.surface))
        painter.drawEllipse(disc)
        font.setPixelSize(self.theme.px(30))
        font.setStrikeOut(False)
        painter.setFont(font)
        painter.setPen(QColor(p.brand_dark))
        painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, "✕")

    def _paint_buttons(self, painter: QPainter, rect: QRect, row: LineView, font: QFont) -> None:
        p = self.theme.palette
        minus, qty, plus = self._buttons(rect)
        painter.setPen(QPen(QColor(p.brand), 3))
        painter.setBrush(QColor(p.surface))
        for disc in (minus, plus):
            painter.drawEllipse(disc)
        font.setPixelSize(self.theme.px(36))
        font.setStrikeOut(False)
        painter.setFont(font)
        painter.setPen(QColor(p.brand_dark))
        painter.drawText(minus, Qt.AlignmentFlag.AlignCenter, "−")
        painter.drawText(plus, Qt.AlignmentFlag.AlignCenter, "+")
        font.setPixelSize(self.theme.px(28))
        painter.setFont(font)
        painter.setPen(QColor(p.text))
        painter.drawText(qty, Qt.AlignmentFlag.AlignCenter, str(row.quantity))

    def editorEvent(  # noqa: N802 - Qt's name
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if not self.adjustable or not isinstance(event, QMouseEvent):
            return False
        pos = QPointF(event.position())
        if event.type() == QEvent.Type.MouseButtonPress:
            self._pressed = pos
            return False
        if event.type() != QEvent.Type.MouseButtonRelease:
            return False
        row: LineView = index.data(Role.LINE)
        minus, _qty, plus = self._buttons(option.rect.adjusted(8, 6, -8, -6))
        if self._removable(row) and plus.contains(pos):
            self.line_removed.emit(row.line_no)
            return True
        if row.state is not LineState.ACTIVE:
            return False
        if row.adjustable and minus.contains(pos):
            self.quantity_step.emit(row.line_no, -1)
            return True
        if row.adjustable and plus.contains(pos):
            self.quantity_step.emit(row.line_no, +1)
            return True
        # A tap, not the end of a drag that scrolled the list.
        pressed, self._pressed = self._pressed, None
        if pressed is not None and (pressed - pos).manhattanLength() <= _TAP_SLOP:
            self.line_tapped.emit(row.line_no)
            return True
        return False

    def button_centre(self, option_rect: QRect, delta: int) -> QPointF:
        """Where the − (delta −1) or + button of a row is (tests tap there)."""
        minus, _qty, plus = self._buttons(option_rect.adjusted(8, 6, -8, -6))
        return (minus if delta < 0 else plus).center()


def two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """A name on one line, or wrapped onto two (at a space where there is one: the pack
    size, "10片" or "250ml", stays whole on the second line), the second elided if need be."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return [text]
    cut = len(text)
    while cut > 1 and metrics.horizontalAdvance(text[:cut]) > width:
        cut -= 1
    space = text.rfind(" ", 0, cut + 1)
    if space > 0:
        first, rest = text[:space], text[space + 1 :]
    else:
        first, rest = text[:cut], text[cut:]
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


def touch_scrolling(viewport: QWidget) -> None:
    """A finger dragging the list scrolls it, with momentum, as on a phone (a 16 px scroll
    bar is no target for a finger). Touch only: mouse clicks on − / + are not delayed."""
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)


class _Column(QScrollArea):
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # As wide as what it holds needs, with the scroll bar beside it: a scroll area's
        # own minimum lets its column shrink under the content, cutting off its right edge.
        content = self.widget()
        hint = super().minimumSizeHint()
        if content is None:
            return hint
        wide = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), wide), hint.height())


def vertical_scroll(content: QWidget, name: str) -> QScrollArea:
    """`content` in a frameless area that a finger scrolls up and down, never sideways:
    for columns that large text makes taller than the screen, which must scroll rather
    than squeeze (or overlap) what they hold."""
    scroll = _Column()
    scroll.setObjectName(name)
    scroll.setProperty("column", True)  # on the screen's background (ui.theme)
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    touch_scrolling(scroll.viewport())
    return scroll


class CartView(QListView):
    """A list of cart lines that scrolls to the newest; no selection highlight of its own."""

    def __init__(self, model: CartModel, theme: Theme, *, adjustable: bool = True) -> None:
        super().__init__()
        self.cart_delegate = CartDelegate(theme, adjustable=adjustable)
        self.setModel(model)
        self.setItemDelegate(self.cart_delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.NoSelection
            if adjustable
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSpacing(0)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        touch_scrolling(self.viewport())

    def set_theme(self, theme: Theme) -> None:
        self.cart_delegate.theme = theme
        self.doItemsLayout()

    def selected_line(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        row: LineView = rows[0].data(Role.LINE)
        return row.line_no

    def row_rect(self, row: int) -> QRect:
        return self.visualRect(self.model().index(row, 0))
