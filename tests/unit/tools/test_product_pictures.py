"""The demo's product pictures: every picture the demo catalog names is shipped, drawn by
the tool (nothing downloaded), and loads as an image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.domain.catalog_csv import parse_catalog_csv
from tools.demo_catalog import OUTPUT as CATALOG
from tools.product_pictures import OUTPUT, PICTURES, SIZE, main


def test_every_picture_the_demo_catalog_names_is_shipped_and_drawn_by_the_tool(
    qapp: QApplication,
) -> None:
    named = {p.picture for p in parse_catalog_csv(CATALOG).products if p.picture}
    assert named == set(PICTURES)
    assert named == {path.name for path in OUTPUT.glob("*.png")}
    for name in named:
        image = QImage(str(OUTPUT / name))
        assert (image.width(), image.height()) == (SIZE, SIZE)


def test_the_tool_draws_non_empty_pictures(qapp: QApplication, tmp_path: Path) -> None:
    assert main(["product_pictures", str(tmp_path)]) == 0
    grid = range(0, SIZE, 8)
    for name in PICTURES:
        image = QImage(str(tmp_path / name))
        assert image.pixelColor(2, 2).alpha() == 0  # transparent: the tile's colour shows
        drawn = sum(image.pixelColor(x, y).alpha() > 0 for x in grid for y in grid)
        assert drawn > len(grid) ** 2 // 8, name  # an eighth of the square at least
