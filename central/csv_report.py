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
    is an empty table, not an empty file a spreadsheet or a loader cannot read. A row with
    a key the report did not declare is a programming error, and raises."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def csv_response(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Response:
    """A report's `format=csv` answer."""
    return Response(to_csv(rows, columns), media_type="text/csv; charset=utf-8")
