"""A CSV file as a spreadsheet shows it: its rows by number, a syntax error by the row
it starts on.

The catalog and the offer files are made in spreadsheets and read by the kiosk and the
central service alike, and a bad row is named by its number. A spreadsheet numbers
records, not lines: a cell with a line break in it is one row. And a quote left open
swallows every row after it, while Python's own report ("unexpected end of data", at the
file's last line) does not say where.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.domain.errors import KioskError


class SpreadsheetRows:
    """The records of a CSV file with a header row, as `csv.DictReader` reads them
    (surplus fields under the key None, missing ones None; blank rows skipped), each with
    its row number as a spreadsheet shows it (a blank row counts; the header is the first
    row that is not blank, 1 in a file that starts with it).

    Bad CSV raises `error` naming the row of the broken record, with Python's words as its
    detail (`say="not_csv"`).
    """

    def __init__(self, handle: Iterable[str], error: type[KioskError]) -> None:
        self._reader = csv.reader(handle, strict=True)
        self._error = error
        self._rows = 0  # rows read whole, blank ones included
        self._header: list[str] | None = None

    @property
    def header(self) -> list[str]:
        if self._header is None:
            first = next(self._records(), None)
            self._header = [] if first is None else first
        return self._header

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        for row in self._records():
            record: dict[Any, Any] = dict(zip(header, row, strict=False))
            if len(row) > len(header):
                record[None] = row[len(header) :]
            for name in header[len(row) :]:
                record[name] = None
            # Typed as DictReader's rows are: the surplus and the missing are the caller's.
            yield self._rows, record

    def _records(self) -> Iterator[list[str]]:
        """The non-blank rows; `self._rows` is the number of the one just returned."""
        with self._syntax():
            for row in self._reader:
                self._rows += 1
                if row:
                    yield row

    @contextmanager
    def _syntax(self) -> Iterator[None]:
        try:
            yield
        except csv.Error as exc:
            row = self._rows + 1
            raise self._error(
                f"row {row}: not valid CSV: {exc}",
                say="not_csv",
                params={"row": row, "detail": str(exc)},
            ) from None
