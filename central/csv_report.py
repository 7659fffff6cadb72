"""Reports as CSV: one header row of the report's columns, one row per record (operators
open them in a spreadsheet, or load them into their own tools). Shared by every feature's
reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Response


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """The header row always, from the report's declared `columns`: a period with no sales
    is an empty table, not an empty file a spreadsheet or a loader cannot read. A row whose
    keys are not the declared columns (one more, one missing) is a programming error, and
    raises rather than shift or blank a column."""
    declared = set(columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row.keys() != declared:
            raise ValueError(f"report row keys {sorted(row)} are not its columns {list(columns)}")
        writer.writerow({k: _inert(v) for k, v in row.items()})
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""


def _inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, kept as text: a name is typed by people
    (a promotion's, a buyer's), and a report is opened by others, HQ included, where
    `=HYPERLINK(…)` would send their data away. Numbers stay numbers, negative ones too."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Response:
    """A report's `format=csv` answer."""
    return Response(to_csv(rows, columns), media_type="text/csv; charset=utf-8")
