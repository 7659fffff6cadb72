"""The analytics reports over HTTP for operators (the bearer token, like every ops report):
`GET /v1/ops/reports/analytics/{name}?store_id=&kiosk_id=&from=&to=&format=json|csv`.
`from` and `to` are local days (YYYY-MM-DD), both included."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from central.analytics import pages, reports
from central.csv_report import csv_response
from central.deps import CentralDep, OperatorDep
from central.errors import NotFound
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
        with central.snapshot() as conn:
            rows = reports.REPORTS[name](conn, filters)
        if format == "csv":
            return csv_response(rows, reports.COLUMNS[name])
        return rows

    return r


def static_router() -> APIRouter:
    """The console charts' scripts (ECharts, vendored, and the page's own) and ECharts'
    licence, served from the package: the browser fetches nothing from elsewhere."""
    r = APIRouter(include_in_schema=False)

    @r.get(pages.STATIC_PREFIX + "{name}")
    def static(name: str) -> Response:
        media = pages.STATIC_TYPES.get(name)
        if media is None:
            raise NotFound(f"no file {name!r} here", reason="not_found")
        answer = Response((pages.STATIC / name).read_bytes(), media_type=media)
        answer.headers.update(
            {"X-Content-Type-Options": "nosniff", "Cache-Control": "max-age=86400"}
        )
        return answer

    return r
