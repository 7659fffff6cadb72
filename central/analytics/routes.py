"""The analytics reports over HTTP for operators (the bearer token, like every ops report):
`GET /v1/ops/reports/analytics/{name}?store_id=&kiosk_id=&from=&to=&format=json|csv`.
`from` and `to` are local days (YYYY-MM-DD), both included."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from central.analytics import reports
from central.csv_report import to_csv
from central.deps import CentralDep, OperatorDep
from central.problems import problem_responses
from sync.protocol import API_PREFIX, STORE_ID_PATTERN

IdFilter = Annotated[str | None, Query(max_length=64, pattern=STORE_ID_PATTERN)]


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 422))

    @r.get("/ops/reports/analytics/{name}", tags=["operator"])
    def report(
        name: reports.ReportName,
        op: OperatorDep,
        central: CentralDep,
        store_id: IdFilter = None,
        kiosk_id: IdFilter = None,
        since: Annotated[date | None, Query(alias="from")] = None,
        until: Annotated[date | None, Query(alias="to")] = None,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        """One analytics report as rows (see `central.analytics.reports`); CSV as they stand."""
        filters = reports.Filters(store_id, kiosk_id, since, until)
        with central.reader.connect() as conn:
            rows = reports.REPORTS[name](conn, filters)
        if format == "csv":
            return Response(to_csv(rows), media_type="text/csv; charset=utf-8")
        return rows

    return r
