"""HTTP routes for members, their points, coupons and promotions.

Kiosk routes are signed like every kiosk call; operator routes take the bearer token.
Reports answer JSON, or CSV with `?format=csv`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import StringConstraints

from central.csv_report import csv_response
from central.deps import CentralDep, KioskDep, OperatorDep
from central.errors import Invalid
from central.feeds import service as feeds
from central.loyalty import members, offers, reports
from central.problems import problem_responses
from sync import loyalty_protocol as wire
from sync.protocol import (
    API_PREFIX,
    HEX64_PATTERN,
    MAX_FEED_PAGE,
    MAX_LEGACY_HASHES,
    FeedPage,
    LedgerBatch,
    LedgerBatchResult,
    Member,
    MemberBatch,
    MemberBatchResult,
)

ReportName = Literal["coupons", "campaigns", "tiers", "reconciliation"]
OfferFeed = Literal["promotions", "coupons", "campaigns", "tiers"]
KioskFeed = Literal["promotions", "coupons", "campaigns", "tiers", "erasures"]
"""What a kiosk pulls: the definitions, and the members erased since (written by
`members.erase`, never by an operator's upload)."""


def members_router() -> APIRouter:
    """The members API every kiosk has used since version 1 (`/v1/members`, `/v1/ledger`)."""
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422))

    @r.get("/members/lookup", tags=["kiosk"])
    def lookup_member(
        call: KioskDep,
        central: CentralDep,
        member_code: Annotated[str | None, Query(max_length=32)] = None,
        phone_hash: Annotated[str | None, Query(pattern=HEX64_PATTERN)] = None,
    ) -> Member:
        with central.tx() as conn:
            return members.lookup(conn, member_code, [phone_hash] if phone_hash else [])

    @r.post("/members/batch", tags=["kiosk"])
    def sign_up(batch: MemberBatch, call: KioskDep, central: CentralDep) -> MemberBatchResult:
        with central.tx() as conn:
            return MemberBatchResult(
                results=members.sign_up(conn, call.kiosk, batch.members, central.clock_ms())
            )

    @r.post("/ledger/batch", tags=["kiosk"])
    def ledger(batch: LedgerBatch, call: KioskDep, central: CentralDep) -> LedgerBatchResult:
        with central.tx() as conn:
            return LedgerBatchResult(
                results=members.append_ledger(conn, call.kiosk, batch.events, central.clock_ms())
            )

    return r


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX + wire.PREFIX, tags=["loyalty"])

    # ------------------------------------------------------------ kiosk
    @r.get("/feeds/{feed}", response_model=FeedPage)
    def pull(
        feed: KioskFeed,
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
        phone_hash: Annotated[str | None, Query(pattern=HEX64_PATTERN)] = None,
        legacy_phone_hash: Annotated[
            list[Annotated[str, StringConstraints(pattern=HEX64_PATTERN)]],
            Query(max_length=MAX_LEGACY_HASHES),
        ] = [],  # noqa: B006 - FastAPI copies a query default; a tuple is not a list to it
    ) -> wire.LoyaltyMember:
        """By member code, or by phone: its hash, then (since 2026-12) the forms older
        kiosks hashed it in, each `legacy_phone_hash` repeated; the first found answers."""
        if legacy_phone_hash and not phone_hash:
            # Earlier forms go with the number's own hash, never instead of it.
            raise Invalid("legacy_phone_hash needs phone_hash", reason="bad_lookup")
        digests = [phone_hash, *legacy_phone_hash] if phone_hash else []
        with central.tx() as conn:
            return members.member_for_kiosk(conn, member_code, digests, central.clock_ms())

    @r.post("/redemptions/batch")
    def redemptions(
        batch: wire.RedemptionBatch, call: KioskDep, central: CentralDep
    ) -> wire.RedemptionBatchResult:
        with central.tx() as conn:
            results = offers.redeem(conn, call.kiosk, batch.redemptions, central.clock_ms())
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
            "coupons": reports.coupon_report,
            "campaigns": reports.campaign_report,
            "tiers": reports.tier_report,
            "reconciliation": reports.reconciliation_report,
        }
        with central.tx() as conn:
            rows = builders[name](conn)
        if format == "csv":
            return csv_response(rows, reports.COLUMNS[name])
        return rows

    @r.get("/admin/members/{member_id}/ledger")
    def member_ledger(member_id: str, op: OperatorDep, central: CentralDep) -> wire.MemberLedger:
        with central.tx() as conn:
            return members.member_ledger_view(conn, member_id, central.clock_ms())

    @r.post("/admin/members/{member_id}/adjust")
    def adjust(
        member_id: str, body: wire.Adjustment, op: OperatorDep, central: CentralDep
    ) -> wire.MemberLedger:
        with central.tx() as conn:
            return members.adjust(conn, member_id, body, central.clock_ms())

    @r.post("/admin/points/expire")
    def expire(body: wire.ExpireRequest, op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return members.expire(conn, body, central.clock_ms())

    @r.post("/admin/members/merge")
    def merge(op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return {"merged": members.resolve_merges(conn, central.clock_ms())}

    @r.post("/admin/tiers/recompute")
    def recompute(op: OperatorDep, central: CentralDep) -> dict[str, int]:
        with central.tx() as conn:
            return members.recompute_tiers(conn, central.clock_ms())

    @r.post("/admin/wallet/issue")
    def issue(body: wire.IssueRequest, op: OperatorDep, central: CentralDep) -> wire.IssueResult:
        with central.tx() as conn:
            return offers.issue(conn, body, central.settings.secret_key, central.clock_ms())

    @r.post("/admin/coupons/print")
    def print_codes(body: wire.PrintRequest, op: OperatorDep, central: CentralDep) -> list[str]:
        with central.tx() as conn:
            return offers.print_codes(conn, body, central.settings.secret_key)

    @r.get("/admin/offers/{feed}")
    def list_offers(feed: OfferFeed, op: OperatorDep, central: CentralDep) -> list[dict[str, Any]]:
        with central.tx() as conn:
            return offers.definitions(conn, feed)

    @r.put("/admin/offers/{feed}")
    def write_offers(
        feed: OfferFeed, body: wire.DefinitionsUpsert, op: OperatorDep, central: CentralDep
    ) -> wire.DefinitionsResult:
        with central.tx() as conn:
            changed = offers.write_definitions(conn, feed, body.items, body.delete)
        return wire.DefinitionsResult(changed=changed)

    @r.post("/admin/offers/{feed}/import")
    async def import_csv(
        feed: OfferFeed, request: Request, op: OperatorDep, central: CentralDep
    ) -> wire.ImportResult:
        text = (await request.body()).decode("utf-8-sig")

        def work() -> wire.ImportResult:
            with central.tx() as conn:
                return offers.import_csv(conn, feed, text)

        return await run_in_threadpool(work)

    @r.get("/admin/offers/{feed}/{key}")
    def get_offer(
        feed: OfferFeed, key: str, op: OperatorDep, central: CentralDep
    ) -> dict[str, Any]:
        with central.tx() as conn:
            return offers.definition(conn, feed, key)

    @r.delete("/admin/offers/{feed}/{key}", status_code=204)
    def delete_offer(feed: OfferFeed, key: str, op: OperatorDep, central: CentralDep) -> Response:
        with central.tx() as conn:
            offers.definition(conn, feed, key)
            offers.write_definitions(conn, feed, [], [key])
        return Response(status_code=204)

    return r
