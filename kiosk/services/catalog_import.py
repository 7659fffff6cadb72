"""Catalog import from UTF-8 CSV into the kiosk's store: nothing half-imported.

The format and its row checks are the domain's (`kiosk.domain.catalog_csv`), shared with
the central service.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.catalog_csv import RowError, parse_catalog_csv
from kiosk.store.uow import KioskStore

MAX_ERRORS_LISTED = 1000


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: int
    rows: int
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_catalog(
    store: KioskStore,
    path: Path,
    tax_classes: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """All rows or none: if any row is bad nothing is written and every bad row is listed."""
    parsed = parse_catalog_csv(path, tax_classes, progress)
    if parsed.errors:
        return ImportReport(0, parsed.rows, tuple(parsed.errors[:MAX_ERRORS_LISTED]))
    imported = store.catalog.upsert_many(parsed.products)
    return ImportReport(imported, parsed.rows, ())
