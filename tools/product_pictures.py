"""Draw the demo catalog's product pictures (assets/products/*.png) with Qt's painter:
simple, recognisable shapes of the loose goods the item picker shows, so the demo needs
no photos, no downloads and no font it may not have. The pictures are this project's own
work, under its licence (assets/products/LICENSE.md says so).

Usage: python -m tools.product_pictures [OUTPUT_DIR]   (QT_QPA_PLATFORM=offscreen headless)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "assets" / "products"
SIZE = 256

Draw = Callable[[QPainter], None]


def _shaded(colour: str, centre: QPointF, radius: float) -> QBrush:
    """A colour lit from the top left, so a disc reads as a round fruit."""
    base = QColor(colour)
    gradient = QRadialGradient(centre - QPointF(radius * 0.35, radius * 0.4), radius * 1.4)
    gradient.setColorAt(0.0, base.lighter(150))
    gradient.setColorAt(0.55, base)
    gradient.setColorAt(1.0, base.darker(160))
    return QBrush(gradient)


def _round(p: QPainter, x: float, y: float, rx: float, ry: float, colour: str) -> None:
    p.setPen(QPen(QColor(colour).darker(190), 3))
    p.setBrush(_shaded(colour, QPointF(x, y), max(rx, ry)))
    p.drawEllipse(QPointF(x, y), rx, ry)


def _leaf(p: QPainter, x: float, y: float, angle: float, length: float = 46) -> None:
    p.save()
    p.translate(x, y)
    p.rotate(angle)
    path = QPainterPath(QPointF(0, 0))
    path.quadTo(length / 2, -length / 3, length, 0)
    path.quadTo(length / 2, length / 3, 0, 0)
    p.setPen(QPen(QColor("#1e5e1a"), 2))
    p.setBrush(QColor("#3f9a2f"))
    p.drawPath(path)
    p.restore()


def _stem(p: QPainter, x: float, y: float, dx: float = 6, dy: float = -30) -> None:
    p.setPen(QPen(QColor("#5b3a1a"), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(x, y), QPointF(x + dx, y + dy))


def apples(p: QPainter) -> None:
    _round(p, 88, 150, 62, 58, "#c8252c")
    _stem(p, 88, 96)
    _round(p, 168, 146, 62, 60, "#d93a2b")
    _stem(p, 168, 90, 4)
    _leaf(p, 174, 72, -25)


def bananas(p: QPainter) -> None:
    for i, shade in enumerate(("#e8c21e", "#f2d23a", "#f7de55")):
        path = QPainterPath(QPointF(40, 70 + i * 14))
        path.cubicTo(60, 210 + i * 8, 190, 230 + i * 4, 226, 120 + i * 16)
        path.cubicTo(190, 190 + i * 6, 84, 176 + i * 10, 56, 66 + i * 14)
        p.setPen(QPen(QColor("#8a6d0c"), 3))
        p.setBrush(QColor(shade))
        p.drawPath(path)
    p.setBrush(QColor("#4a3510"))
    p.drawRoundedRect(QRectF(34, 54, 26, 22), 6, 6)


def navel_oranges(p: QPainter) -> None:
    _round(p, 92, 150, 66, 66, "#f08a12")
    _round(p, 172, 132, 60, 60, "#f5981f")
    p.setPen(QPen(QColor("#b35d00"), 3))
    p.setBrush(QColor("#d9770a"))
    p.drawEllipse(QPointF(172, 132), 8, 8)
    _leaf(p, 176, 74, -40, 40)


def dangshan_pears(p: QPainter) -> None:
    for x, tilt in ((94, -8), (170, 10)):
        p.save()
        p.translate(x, 150)
        p.rotate(tilt)
        path = QPainterPath(QPointF(0, -78))
        path.cubicTo(26, -78, 22, -30, 48, 6)
        path.cubicTo(76, 46, 44, 84, 0, 84)
        path.cubicTo(-44, 84, -76, 46, -48, 6)
        path.cubicTo(-22, -30, -26, -78, 0, -78)
        p.setPen(QPen(QColor("#8c8a22"), 3))
        p.setBrush(_shaded("#e4dc6a", QPointF(0, 20), 80))
        p.drawPath(path)
        _stem(p, 0, -76, 4, -22)
        p.restore()


def kyoho_grapes(p: QPainter) -> None:
    rows = ((5, 70), (4, 104), (4, 138), (3, 172), (2, 204))
    for count, y in rows:
        for i in range(count):
            x = 128 + (i - (count - 1) / 2) * 34
            _round(p, x, y, 19, 19, "#4b1f5e")
    _stem(p, 128, 52, 0, -26)
    _leaf(p, 132, 40, -20, 56)


def tomatoes(p: QPainter) -> None:
    _round(p, 90, 156, 62, 54, "#e0301e")
    _round(p, 170, 142, 58, 52, "#e8402a")
    for x, y in ((90, 104), (170, 92)):
        for angle in range(0, 360, 72):
            _leaf(p, x, y, angle, 24)


def cucumbers(p: QPainter) -> None:
    for y, angle in ((110, -18), (160, -8)):
        p.save()
        p.translate(128, y)
        p.rotate(angle)
        p.setPen(QPen(QColor("#1d4d16"), 3))
        p.setBrush(_shaded("#3c8a2c", QPointF(0, 0), 90))
        p.drawRoundedRect(QRectF(-104, -24, 208, 48), 24, 24)
        p.setPen(QPen(QColor("#7cc46a"), 3))
        for x in range(-80, 90, 28):
            p.drawPoint(QPointF(x, -8))
            p.drawPoint(QPointF(x + 14, 8))
        p.restore()


def potatoes(p: QPainter) -> None:
    _round(p, 92, 150, 70, 52, "#b98a4e")
    _round(p, 172, 136, 58, 46, "#c49a5c")
    p.setPen(QPen(QColor("#6e4d22"), 4))
    for x, y in ((70, 140), (110, 164), (160, 126), (188, 150)):
        p.drawPoint(QPointF(x, y))


def napa_cabbage(p: QPainter) -> None:
    body = QPainterPath(QPointF(128, 226))
    body.cubicTo(48, 226, 56, 60, 96, 36)
    body.cubicTo(116, 24, 140, 24, 160, 36)
    body.cubicTo(200, 60, 208, 226, 128, 226)
    p.setPen(QPen(QColor("#8a9a5a"), 3))
    p.setBrush(_shaded("#eef2d8", QPointF(128, 150), 110))
    p.drawPath(body)
    p.setBrush(QColor("#8cc152"))
    for side in (-1, 1):
        leaf = QPainterPath(QPointF(128, 40))
        leaf.cubicTo(128 + side * 80, 40, 128 + side * 84, 120, 128 + side * 60, 150)
        leaf.cubicTo(128 + side * 40, 110, 128 + side * 20, 70, 128, 40)
        p.drawPath(leaf)
    p.setPen(QPen(QColor("#ffffff"), 5))
    p.drawLine(QPointF(128, 60), QPointF(128, 214))


def baguette(p: QPainter) -> None:
    p.save()
    p.translate(128, 132)
    p.rotate(-28)
    p.setPen(QPen(QColor("#7a4a14"), 3))
    p.setBrush(_shaded("#d99a45", QPointF(0, 0), 120))
    p.drawRoundedRect(QRectF(-118, -30, 236, 60), 30, 30)
    p.setPen(QPen(QColor("#f3d39a"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for x in range(-80, 100, 40):
        p.drawLine(QPointF(x - 12, 10), QPointF(x + 12, -12))
    p.restore()


PICTURES: dict[str, Draw] = {
    "fuji-apples.png": apples,
    "bananas.png": bananas,
    "navel-oranges.png": navel_oranges,
    "dangshan-pears.png": dangshan_pears,
    "kyoho-grapes.png": kyoho_grapes,
    "tomatoes.png": tomatoes,
    "cucumbers.png": cucumbers,
    "potatoes.png": potatoes,
    "napa-cabbage.png": napa_cabbage,
    "baguette.png": baguette,
}


def render(draw: Draw) -> QImage:
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUTPUT
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication(argv[:1])
    for name, draw in PICTURES.items():
        if not render(draw).save(str(out / name)):
            print(f"could not write {out / name}", file=sys.stderr)
            return 1
    print(f"drew {len(PICTURES)} pictures into {out}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
