"""HTTP routes of the delta feeds: kiosks pull pages, operators write items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from central.deps import CentralDep, KioskDep, OperatorDep
from central.feeds import service
from central.problems import problem_responses
from sync.protocol import (
    API_PREFIX,
    MAX_FEED_PAGE,
    Feed,
    FeedPage,
    FeedUpsert,
    FeedUpsertResult,
)


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 410, 413, 422))

    @r.get("/feeds/{feed}", tags=["kiosk"], response_model=FeedPage)
    def pull_feed(
        feed: Feed,
        call: KioskDep,
        central: CentralDep,
        cursor: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 1000,
    ) -> Response:
        with central.tx() as conn:
            body = service.page_json(conn, feed, cursor, limit)
        return Response(body, media_type="application/json")

    @r.put("/admin/feeds/{feed}", tags=["operator"])
    def write_feed(
        feed: Feed, body: FeedUpsert, op: OperatorDep, central: CentralDep
    ) -> FeedUpsertResult:
        with central.tx() as conn:
            return FeedUpsertResult(changed=service.write(conn, feed, body.items, body.delete))

    return r
