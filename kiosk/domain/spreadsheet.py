"""A CSV file as a spreadsheet shows it: its rows by number, a syntax error by the row
it starts on.

The catalog and the offer files are made in spreadsheets and read by the kiosk and the
central service alike; a quote left open there swallows every row after it, and Python's
own report ("unexpected end of data" at the file's last line) does not say where.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kiosk.domain.errors import KioskError


class SpreadsheetRows:
    """The records of a CSV file with a header row.

    Each record comes with the row number a spreadsheet shows at its end (header = 1, a
    quoted multi-line cell counts its lines). Bad CSV raises `error` naming the row after
    the last whole record, where the broken one starts (blank rows between aside), with
    Python's words as its detail (`say="not_csv"`).
    """

    def __init__(self, handle: Iterable[str], error: type[KioskError]) -> None:
        self._reader = csv.DictReader(handle, strict=True)
        self._error = error
        self._read = 0  # the last row of the last whole record

    @property
    def header(self) -> list[str]:
        with self._syntax():
            header = list(self._reader.fieldnames or [])
        self._read = self._reader.line_num
        return header

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.header:  # an empty file: no records either
            return
        with self._syntax():
            for row in self._reader:
                self._read = self._reader.line_num
                yield self._read, row

    @contextmanager
    def _syntax(self) -> Iterator[None]:
        try:
            yield
        except csv.Error as exc:
            row = self._read + 1
            raise self._error(
                f"row {row}: not valid CSV: {exc}",
                say="not_csv",
                params={"row": row, "detail": str(exc)},
            ) from None
