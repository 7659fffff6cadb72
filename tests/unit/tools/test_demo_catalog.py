"""The demo catalog is generated from its source table: the shipped file is exactly what
the generator writes, and every code in it carries a valid check digit."""

from __future__ import annotations

from pathlib import Path

from kiosk.domain.catalog_csv import parse_catalog_csv
from kiosk.services.config import demo_policy
from tools.demo_catalog import OUTPUT, main


def test_the_shipped_catalog_is_the_generators_output(tmp_path: Path) -> None:
    out = tmp_path / "catalog.csv"
    assert main(["demo_catalog", str(out)]) == 0
    assert out.read_bytes() == OUTPUT.read_bytes()


def test_the_demo_catalog_imports_cleanly() -> None:
    parsed = parse_catalog_csv(OUTPUT, demo_policy().tax_classes.keys())
    assert parsed.errors == []
    assert len(parsed.products) == 201  # 200 goods and the carrier bag
    assert sum(len(p.extra_gtins) for p in parsed.products) == 5
