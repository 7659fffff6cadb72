"""HTTP routes for members, coupons and promotions (`central.loyalty` does the work).

Registered by the app factory: `app.include_router(loyalty_api.build_router())`.
Kiosk routes are signed like every kiosk call; operator routes take the bearer token.
Reports answer JSON, or CSV with `?format=csv`.

No `from __future__ import annotations` here: the route signatures use dependencies
imported inside `build_router` (to avoid an import cycle with `central.app`), and
FastAPI must be able to evaluate them.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from central import feeds, loyalty
from sync import loyalty_protocol as wire
from sync.protocol import API_PREFIX, MAX_FEED_PAGE, FeedPage

ReportName = Literal["coupons", "campaigns", "tiers", "reconciliation"]
OfferFeed = Literal["promotions", "coupons", "campaigns", "tiers"]


def build_router() -> APIRouter:
    from central.deps import CentralDep, KioskDep, OperatorDep

    r = APIRouter(prefix=API_PREFIX + wire.PREFIX, tags=["loyalty"])

    # ------------------------------------------------------------ kiosk
    @r.get("/feeds/{feed}", response_model=FeedPage)
    def pull(
        feed: OfferFeed,
        call: KioskDep,
        central: CentralDep,
        cursor: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 1000,
    ) -> Response:
        with central.tx() as conn:
            body = feeds.page_json(conn, feed, cursor, limit)
        return Response(body, media_type="application/json")

    @r.get("/member")
    def member(
        call: KioskDep,
        central: CentralDep,
        member_code: Annotated[str | None, Query(max_length=32)] = None,
        phone_hash: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
    ) -> wire.LoyaltyMember:
        with central.tx() as conn:
            return loyalty.member_for_kiosk(conn, member_code, phone_hash, central.clock_ms())

    @r.post("/redemptions/batch")
    def redemptions(
        batch: wire.RedemptionBatch, call: KioskDep, central: CentralDep
    ) -> wire.RedemptionBatchResult:
        with central.tx() as conn:
            results = loyalty.redeem(conn, call.kiosk, batch.redemptions, central.clock_ms())
        return wire.RedemptionBatchResult(results=results)

    # ------------------------------------------------------------ operator
    @r.get("/admin/reports/{name}")
    def report(
        name: ReportName,
        op: OperatorDep,
        central: CentralDep,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        builders = {
            "coupons": loyalty.coupon_report,
            "campaigns": loyalty.campaign_report,
            "tiers": loyalty.tier_report,
            "reconciliation": loyalty.reconciliation_report,
        }
        with central.tx() as conn:
            rows = builders[name](conn)
        if format == "csv":
            return Response(loyalty.to_csv(rows), media_type="text/csv; charset=utf-8")
        return rows

    @r.get("/admin/members/{member_id}/ledger")
    def member_ledger(member_id: str, op: OperatorDep, central: CentralDep) -> wire.MemberLedger:
        with central.tx() as conn:
            return loyalty.member_ledger_view(conn, member_id, central.clock_ms())

    @r.post("/admin/members/{member_id}/adjust")
    def adjust(
        member_id: str, body: wire.Adjustment, op: OperatorDep, central: CentralDep
    ) -> wire.MemberLedger:
        with central.tx() as conn:
            return loyalty.adjust(conn, member_id, body, central.clock_ms())

    @r.post("/admin/points/expire")
    def expire(body: wire.ExpireRequest, op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return loyalty.expire(conn, body, central.clock_ms())

    @r.post("/admin/members/merge")
    def merge(op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return {"merged": loyalty.resolve_merges(conn, central.clock_ms())}

    @r.post("/admin/tiers/recompute")
    def recompute(op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return loyalty.recompute_tiers(conn, central.clock_ms())

    @r.post("/admin/wallet/issue")
    def issue(body: wire.IssueRequest, op: OperatorDep, central: CentralDep) -> wire.IssueResult:
        with central.tx() as conn:
            return loyalty.issue(conn, body, central.settings.secret_key, central.clock_ms())

    @r.post("/admin/coupons/print")
    def print_codes(body: wire.PrintRequest, op: OperatorDep, central: CentralDep) -> list[str]:
        with central.tx() as conn:
            return loyalty.print_codes(conn, body, central.settings.secret_key)

    @r.get("/admin/offers/{feed}")
    def list_offers(feed: OfferFeed, op: OperatorDep, central: CentralDep) -> list[dict[str, Any]]:
        with central.tx() as conn:
            return loyalty.definitions(conn, feed)

    @r.put("/admin/offers/{feed}")
    def write_offers(
        feed: OfferFeed, body: wire.DefinitionsUpsert, op: OperatorDep, central: CentralDep
    ) -> wire.DefinitionsResult:
        with central.tx() as conn:
            changed = loyalty.write_definitions(conn, feed, body.items, body.delete)
        return wire.DefinitionsResult(changed=changed)

    @r.post("/admin/offers/{feed}/import")
    async def import_csv(
        feed: OfferFeed, request: Request, op: OperatorDep, central: CentralDep
    ) -> wire.ImportResult:
        text = (await request.body()).decode("utf-8-sig")

        def work() -> wire.ImportResult:
            with central.tx() as conn:
                return loyalty.import_csv(conn, feed, text)

        return await run_in_threadpool(work)

    @r.get("/admin/offers/{feed}/{key}")
    def get_offer(
        feed: OfferFeed, key: str, op: OperatorDep, central: CentralDep
    ) -> dict[str, Any]:
        with central.tx() as conn:
            return loyalty.definition(conn, feed, key)

    @r.delete("/admin/offers/{feed}/{key}", status_code=204)
    def delete_offer(feed: OfferFeed, key: str, op: OperatorDep, central: CentralDep) -> Response:
        with central.tx() as conn:
            loyalty.definition(conn, feed, key)
            loyalty.write_definitions(conn, feed, [], [key])
        return Response(status_code=204)

    return r
