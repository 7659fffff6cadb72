"""Builders shared by the test layers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.domain.catalog import Product, Unit
from kiosk.domain.codes import Gtin, check_digit
from kiosk.domain.money import Money
from kiosk.store.database import MIGRATIONS

REPO = Path(__file__).resolve().parents[1]

PARSER_EXAMPLES = 1000
"""Hypothesis examples per parser property (docs/architecture.md reports this count)."""


def gtin13(body12: str) -> Gtin:
    """A GTIN-14 from 12 digits, with the check digit computed."""
    return Gtin("0" + body12 + str(check_digit(body12)))


def make_product(
    n: int,
    *,
    price: int = 500,
    unit: Unit = Unit.EACH,
    tax_class: str = "standard",
    **kwargs: object,
) -> Product:
    gtin = gtin13(f"22{n:05d}00000") if unit is Unit.KG else gtin13(f"690{n:09d}")
    return Product(
        gtin=gtin,
        names={"en": f"Item {n}", "zh_CN": f"商品{n}", "ko": f"상품{n}"},
        brand="Acme",
        category="snacks",
        tax_class=tax_class,
        price=Money(price, "CNY"),
        unit=unit,
        **kwargs,  # type: ignore[arg-type]
    )


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def old_kiosk_database(path: Path, version: int) -> sqlite3.Connection:
    """A kiosk database as a release with schema `version` left it, to test an upgrade:
    fill it, commit, close, then open it with `KioskStore.open`."""
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        for statement in filter(str.strip, script.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    return conn
