"""HTTP routes of group-buy: the leader's and the store's (operator token), the shopper's
(the share link's signature, then the order's token) and the kiosk's (signed)."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import Awaitable
from typing import Annotated
from urllib.parse import quote

import requests
from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import ValidationError

from central.csv_report import csv_response
from central.deps import KioskDep, OperatorDep
from central.errors import Invalid, NotFound, PayloadTooLarge
from central.groupbuy.pages import (
    TEXT,
    campaign_page,
    collected,
    leader_page,
    order_page,
    pick_list_page,
    problem_page,
    reportable,
    review_page,
)
from central.groupbuy.photos import DECODERS, MAX_UPLOAD, KeptPhoto, kept_photo, photo_response
from central.groupbuy.service import PICK_LIST_COLUMNS, GroupBuyService
from central.payments.runtime import PaymentsRuntime, RuntimeDep
from central.problems import problem_responses
from central.web import (
    fields_of,
    form_fields,
    language,
    parse_upload,
    read_capped,
    whole_number,
)
from sync.groupbuy_protocol import (
    HEADER_ORDER_TOKEN,
    CampaignReport,
    CampaignView,
    CutOffResult,
    JoinCampaign,
    NewCampaign,
    NewProblem,
    OrderView,
    Pickup,
    PickupBatch,
    PickupBatchResult,
    PickupKey,
    PickupResult,
    ProblemStatus,
    ProblemView,
    ReadyOrders,
    ReadyResult,
    Resolve,
    Review,
    UnclaimedResult,
)
from sync.protocol import API_PREFIX

WEBHOOK_TIMEOUT_S = 3.0
OrderToken = Annotated[str, Header(alias=HEADER_ORDER_TOKEN, max_length=64)]
_NOT_FOR_KIOSKS = {
    "lines": {"__all__": {"report_until", "may_report"}},
    "problems": {"__all__": {"photo"}},
}
"""Order fields added after kiosks began reading ready orders that they do not use."""
"""The shopper's way to their order (`X-Order-Token`)."""


MAX_FORM = 64 * 1024
"""Bytes of a url-encoded problem form (a page from before the photo field)."""
MAX_WAITING = 8
"""Photos waiting for a decoder before the next is asked to try again in a moment."""
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _photo_decoders() -> CapacityLimiter:
    """At most `DECODERS` photos decoded at once by the service of this event loop (one a
    process in production; a test runs several services, each in its own loop)."""
    loop = asyncio.get_running_loop()
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = CapacityLimiter(DECODERS)
    return limiter


def service_of(rt: PaymentsRuntime) -> GroupBuyService:
    return GroupBuyService(
        rt.central.engine, rt.service, rt.master, rt.central.clock_ms,
        rt.central.settings.webhook_secrets_for, rt.central.settings.photo_keep_days,
    )  # fmt: skip


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """One webhook delivery; `requests`' errors are `OSError`s, which the outbox counts."""
    answer = requests.post(
        url, data=body, headers={"Content-Type": "application/json", **headers},
        timeout=WEBHOOK_TIMEOUT_S,
    )  # fmt: skip
    return answer.status_code


def deliver_later(tasks: BackgroundTasks, service: GroupBuyService) -> None:
    """After the answer is sent: the integration's speed never holds up the caller."""
    tasks.add_task(service.deliver_webhooks, post_json)


def shared(service: GroupBuyService, campaign_id: str, sig: str) -> None:
    """The share link's signature is the shopper's way in: without it, no campaign."""
    if not service.share_ok(campaign_id, sig):
        raise NotFound(f"no group-buy {campaign_id}", reason="campaign_not_found")


def router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422, 503))
    campaign_path = "/groupbuy/campaigns/{campaign_id}"

    # ------------------------------------------------------------ leader and store
    @r.post("/groupbuy/campaigns", tags=["group-buy"], status_code=201)
    def create_campaign(
        body: NewCampaign, op: OperatorDep, rt: RuntimeDep, request: Request
    ) -> CampaignView:
        who = f"operator:{op.name}"[:128]
        return service_of(rt).create_campaign(body, who, rt.public_url(request))

    @r.get(campaign_path, tags=["group-buy"])
    def get_campaign(
        campaign_id: str, op: OperatorDep, rt: RuntimeDep, request: Request
    ) -> CampaignView:
        return service_of(rt).campaign(campaign_id, rt.public_url(request))

    @r.post(campaign_path + "/cut-off", tags=["group-buy"])
    def cut_off(
        campaign_id: str, op: OperatorDep, rt: RuntimeDep, request: Request
    ) -> CutOffResult:
        return service_of(rt).cut_off(campaign_id, rt.public_url(request))

    @r.get(campaign_path + "/pick-list.csv", tags=["group-buy"])
    def pick_list_csv(campaign_id: str, op: OperatorDep, rt: RuntimeDep) -> Response:
        _, rows = service_of(rt).pick_list(campaign_id)
        return csv_response(rows, PICK_LIST_COLUMNS)

    @r.get(campaign_path + "/pick-list", tags=["group-buy"], response_class=HTMLResponse)
    def pick_list_html(campaign_id: str, op: OperatorDep, rt: RuntimeDep) -> HTMLResponse:
        campaign, rows = service_of(rt).pick_list(campaign_id)
        return HTMLResponse(pick_list_page(campaign.title, campaign.store_id, rows))

    @r.post(campaign_path + "/ready", tags=["group-buy"])
    def mark_ready(
        campaign_id: str, body: ReadyOrders, op: OperatorDep, rt: RuntimeDep,
        tasks: BackgroundTasks,
    ) -> ReadyResult:  # fmt: skip
        service = service_of(rt)
        ready, queued = service.mark_ready(campaign_id, body.order_ids)
        if queued:
            deliver_later(tasks, service)
        return ReadyResult(ready=ready)

    @r.post("/groupbuy/webhooks/deliver", tags=["group-buy"])
    def deliver_webhooks(op: OperatorDep, rt: RuntimeDep) -> dict[str, int]:
        """Try the webhooks not delivered yet once more (a cron may call this)."""
        return {"delivered": service_of(rt).deliver_webhooks(post_json)}

    @r.post(campaign_path + "/unclaimed", tags=["group-buy"])
    def unclaimed(campaign_id: str, op: OperatorDep, rt: RuntimeDep) -> UnclaimedResult:
        return service_of(rt).unclaimed(campaign_id)

    @r.get(campaign_path + "/report", tags=["group-buy"])
    def report(campaign_id: str, op: OperatorDep, rt: RuntimeDep) -> CampaignReport:
        return service_of(rt).report(campaign_id)

    @r.get("/groupbuy/problems", tags=["group-buy"])
    def problems(
        op: OperatorDep, rt: RuntimeDep,
        status: Annotated[ProblemStatus | None, Query()] = "open",
        store: Annotated[str | None, Query(max_length=64)] = None,
    ) -> list[ProblemView]:  # fmt: skip
        """After-sales problems (the operator token is the chain's: every store, or one)."""
        return service_of(rt).problems(None if store is None else [store], status)

    @r.get(
        "/groupbuy/problems/{problem_id}/photo",
        tags=["group-buy"],
        response_class=Response,
        responses={200: {"content": {"image/jpeg": {}}}},
    )
    def problem_photo(problem_id: str, op: OperatorDep, rt: RuntimeDep) -> Response:
        """The buyer's photo with the problem, as kept (JPEG, no metadata)."""
        return photo_response(service_of(rt).problem_photo(problem_id, None))

    @r.post("/groupbuy/problems/{problem_id}/resolve", tags=["group-buy"])
    def resolve_problem(
        problem_id: str, body: Resolve, op: OperatorDep, rt: RuntimeDep
    ) -> ProblemView:
        return service_of(rt).resolve(problem_id, body, f"operator:{op.name}", None)

    @r.post("/ops/groupbuy/pickups", tags=["group-buy"])
    def staff_pickup(body: Pickup, op: OperatorDep, rt: RuntimeDep) -> PickupResult:
        return service_of(rt).pickup(body, f"operator:{op.name}", None)

    # ------------------------------------------------------------ shoppers
    @r.get(campaign_path + "/public", tags=["group-buy"])
    def public_campaign(
        campaign_id: str, rt: RuntimeDep, s: Annotated[str, Query(max_length=64)] = ""
    ) -> CampaignView:
        service = service_of(rt)
        shared(service, campaign_id, s)
        return service.campaign(campaign_id, None)

    @r.post(campaign_path + "/orders", tags=["group-buy"], status_code=201)
    def join(
        campaign_id: str, body: JoinCampaign, rt: RuntimeDep, request: Request,
        s: Annotated[str, Query(max_length=64)] = "",
    ) -> OrderView:  # fmt: skip
        service = service_of(rt)
        shared(service, campaign_id, s)
        return service.join(campaign_id, body, rt.public_url(request))

    @r.get("/groupbuy/orders/{order_id}", tags=["group-buy"])
    def get_order(
        order_id: str, rt: RuntimeDep, request: Request,
        token: OrderToken = "",
    ) -> OrderView:  # fmt: skip
        return service_of(rt).order(order_id, token, rt.public_url(request))

    @r.post("/groupbuy/orders/{order_id}/cancel", tags=["group-buy"])
    def cancel_order(
        order_id: str, rt: RuntimeDep, request: Request,
        token: OrderToken = "",
    ) -> OrderView:  # fmt: skip
        return service_of(rt).cancel(order_id, token, rt.public_url(request))

    @r.put("/groupbuy/orders/{order_id}/review", tags=["group-buy"])
    def review_order(
        order_id: str, body: Review, rt: RuntimeDep, request: Request,
        token: OrderToken = "",
    ) -> OrderView:  # fmt: skip
        return service_of(rt).review(order_id, token, body, rt.public_url(request))

    @r.post("/groupbuy/orders/{order_id}/problems", tags=["group-buy"])
    def report_problem(
        order_id: str, body: NewProblem, rt: RuntimeDep, request: Request,
        token: OrderToken = "",
    ) -> OrderView:  # fmt: skip
        return service_of(rt).report_problem(order_id, token, body, rt.public_url(request))

    # ------------------------------------------------------------ kiosks
    @r.get("/kiosk/pickup-key", tags=["group-buy"])
    def pickup_public_key(call: KioskDep, rt: RuntimeDep) -> PickupKey:
        return service_of(rt).public_key(call.kiosk.store_id)

    @r.get("/groupbuy/ready-orders", tags=["group-buy"], response_model=list[OrderView])
    def ready_orders(call: KioskDep, rt: RuntimeDep) -> JSONResponse:
        # Kiosks read these strictly: a field an older kiosk does not know would fail its
        # whole sync round, so the after-sales window (which a kiosk does not use) stays
        # out of what they are sent.
        views = service_of(rt).ready_orders(call.kiosk.store_id)
        return JSONResponse(
            [view.model_dump(mode="json", exclude=_NOT_FOR_KIOSKS) for view in views]
        )

    @r.post("/groupbuy/pickups", tags=["group-buy"])
    def kiosk_pickup(body: Pickup, call: KioskDep, rt: RuntimeDep) -> PickupResult:
        who = f"kiosk:{call.kiosk.kiosk_id}"
        return service_of(rt).pickup(body, who, call.kiosk.store_id)

    @r.post("/groupbuy/pickups/batch", tags=["group-buy"])
    def kiosk_pickups(body: PickupBatch, call: KioskDep, rt: RuntimeDep) -> PickupBatchResult:
        """The kiosks' outbox relay: pickups made offline, each stored once."""
        who = f"kiosk:{call.kiosk.kiosk_id}"
        return service_of(rt).pickup_batch(body.pickups, who, call.kiosk.store_id)

    return r


# ---------------------------------------------------------------- the shopper's phone


def pages_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/g/leader", response_class=HTMLResponse)
    def leader_html(
        rt: RuntimeDep, request: Request,
        n: Annotated[str, Query(max_length=128)] = "",
        s: Annotated[str, Query(max_length=64)] = "",
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:  # fmt: skip
        """The leader's own page, opened with the signed link the store gives them
        (declared before the campaign's page, whose path would take it)."""
        service = service_of(rt)
        if not n or not service.leader_ok(n, s):
            raise NotFound("no such leader", reason="leader_not_found")
        chosen = language(request.headers.get("accept-language"), lang)
        reports = service.leader_campaigns(n)
        campaigns = [(service.campaign(r.campaign_id, None), r) for r in reports]
        self_url = f"/g/leader?n={quote(n, safe='')}&s={s}"
        return HTMLResponse(leader_page(n, self_url, chosen, campaigns))

    @r.get("/g/{campaign_id}", response_class=HTMLResponse)
    def campaign_html(
        campaign_id: str, rt: RuntimeDep, request: Request,
        s: Annotated[str, Query(max_length=64)] = "",
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:  # fmt: skip
        service = service_of(rt)
        shared(service, campaign_id, s)
        chosen = language(request.headers.get("accept-language"), lang)
        view = service.campaign(campaign_id, None)
        return HTMLResponse(campaign_page(view, chosen, s, str(uuid.uuid4())))

    @r.post("/g/{campaign_id}/join")
    async def join_html(campaign_id: str, rt: RuntimeDep, request: Request) -> Response:
        form = await form_fields(request)
        return await run_in_threadpool(_join, rt, request, campaign_id, form)

    def _join(
        rt: PaymentsRuntime, request: Request, campaign_id: str, form: dict[str, str]
    ) -> Response:
        service = service_of(rt)
        share = form.get("s", "")
        shared(service, campaign_id, share)
        chosen = language(request.headers.get("accept-language"), form.get("lang"))
        # A blank or 0 is a product not wanted; anything else not a number stays in as
        # None, which the model refuses, so the page asks again rather than quietly
        # ordering less than the buyer typed.
        wanted = {
            key.removeprefix("qty_"): whole_number(value)
            for key, value in form.items()
            if key.startswith("qty_") and value.strip()
        }
        lines = [{"gtin": gtin, "quantity": n} for gtin, n in wanted.items() if n != 0]
        try:
            body = JoinCampaign.model_validate(
                {"order_id": form.get("order_id", ""), "buyer": form.get("buyer", "").strip(),
                 "phone": form.get("phone", "").replace(" ", ""), "lines": lines}
            )  # fmt: skip
            order = service.join(campaign_id, body, rt.public_url(request))
        except (ValidationError, Invalid) as exc:
            message = str(exc) if isinstance(exc, Invalid) else TEXT[chosen]["form_error"]
            view = service.campaign(campaign_id, None)
            page = campaign_page(view, chosen, share, form.get("order_id", ""), message)
            return HTMLResponse(page, status_code=422)
        return RedirectResponse(
            f"/g/o/{order.order_id}?t={order.token}&lang={chosen}", status_code=303
        )

    @r.get("/g/o/{order_id}", response_class=HTMLResponse)
    def order_html(
        order_id: str, rt: RuntimeDep, request: Request,
        t: Annotated[str, Query(max_length=64)] = "",
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:  # fmt: skip
        service = service_of(rt)
        chosen = language(request.headers.get("accept-language"), lang)
        order = service.order(order_id, t, rt.public_url(request))
        campaign = service.campaign(order.campaign_id, None)
        cancel = service.can_cancel(order, campaign)
        return HTMLResponse(order_page(order, campaign, chosen, t, cancel))

    @r.get("/g/o/{order_id}/review", response_class=HTMLResponse)
    def review_html(
        order_id: str, rt: RuntimeDep, request: Request,
        t: Annotated[str, Query(max_length=64)] = "",
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> Response:  # fmt: skip
        return _after_sales_page(rt, request, order_id, t, lang, "review")

    @r.get("/g/o/{order_id}/problem", response_class=HTMLResponse)
    def problem_html(
        order_id: str, rt: RuntimeDep, request: Request,
        t: Annotated[str, Query(max_length=64)] = "",
        lang: Annotated[str | None, Query(max_length=8)] = None,
    ) -> Response:  # fmt: skip
        return _after_sales_page(rt, request, order_id, t, lang, "problem")

    def _after_sales_page(
        rt: PaymentsRuntime, request: Request, order_id: str, token: str, lang: str | None,
        which: str, error: str | None = None,
    ) -> Response:  # fmt: skip
        service = service_of(rt)
        chosen = language(request.headers.get("accept-language"), lang)
        order = service.order(order_id, token, rt.public_url(request))
        if not collected(order) or (which == "problem" and not reportable(order)):
            # Nothing collected yet, or the after-sales window has closed: nothing to rate
            # or report; the order page says why.
            return RedirectResponse(f"/g/o/{order.order_id}?t={token}&lang={chosen}", 303)
        campaign = service.campaign(order.campaign_id, None)
        page = (
            review_page(order, campaign, chosen, token, error)
            if which == "review"
            else problem_page(order, campaign, chosen, token, str(uuid.uuid4()), error)
        )
        return HTMLResponse(page, status_code=422 if error else 200)

    @r.post("/g/o/{order_id}/review")
    async def review_post(order_id: str, rt: RuntimeDep, request: Request) -> Response:
        form = await form_fields(request)
        return await run_in_threadpool(_after_sales_post, rt, request, order_id, form, "review")

    @r.post("/g/o/{order_id}/problem")
    async def problem_post(order_id: str, rt: RuntimeDep, request: Request) -> Response:
        """The problem form, with its photo: this route caps its body itself
        (`central.app.OWN_LIMITS`), whatever its encoding."""

        def again(token: str, lang: str | None, words: str) -> Awaitable[Response]:
            chosen = language(request.headers.get("accept-language"), lang)
            return run_in_threadpool(
                _after_sales_page, rt, request, order_id, token, chosen, "problem",
                TEXT[chosen][words],
            )  # fmt: skip

        content_type = request.headers.get("content-type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            # A page from before the photo: a few fields, a few kilobytes.
            try:
                body = await read_capped(request, MAX_FORM)
            except PayloadTooLarge:
                raise PayloadTooLarge(f"the form may be at most {MAX_FORM} bytes") from None
            form = await run_in_threadpool(fields_of, body)
            return await run_in_threadpool(
                _after_sales_post, rt, request, order_id, form, "problem"
            )
        # The form's address carries its token and language: only the order's own buyer
        # has a body read, parsed and a photo decoded.
        token, lang = request.query_params.get("t", ""), request.query_params.get("lang")
        if not service_of(rt).token_ok(order_id, token):
            raise NotFound(f"no order {order_id}", reason="order_not_found")
        try:
            body = await read_capped(request, MAX_UPLOAD)
        except PayloadTooLarge:
            return await again(token, lang, "photo_too_large")
        upload = await run_in_threadpool(parse_upload, content_type, body)
        _, data = upload.files.get("photo", ("", b""))
        kept = None
        if data:  # an empty file field is no photo
            # At most `DECODERS` at once: the others wait here, holding no thread the
            # service's routes need, and a few at most (each holds its body).
            decoders = _photo_decoders()
            if decoders.statistics().tasks_waiting >= MAX_WAITING:
                return await again(token, lang, "photo_busy")
            try:
                kept = await to_thread.run_sync(kept_photo, data, limiter=decoders)
            except Invalid:
                return await again(token, lang, "photo_error")
        fields = {**upload.fields, "t": token}  # the token that was checked
        return await run_in_threadpool(
            _after_sales_post, rt, request, order_id, fields, "problem", kept
        )

    def _after_sales_post(
        rt: PaymentsRuntime,
        request: Request,
        order_id: str,
        form: dict[str, str],
        which: str,
        photo: KeptPhoto | None = None,
    ) -> Response:
        """A rating or a problem from the order's page: back to the order, or the form
        again with what was wrong."""
        token, lang = form.get("t", ""), form.get("lang", "")
        chosen = language(request.headers.get("accept-language"), lang)
        number = form.get("stars" if which == "review" else "quantity", "")
        # Browsers send a textarea's line breaks as CRLF; the wire models take LF only.
        text = form.get("text" if which == "review" else "note", "").replace("\r\n", "\n")
        service, public_url = service_of(rt), rt.public_url(request)
        try:
            if which == "review":
                # Not a number: None, which the model refuses (the form asks again).
                review = Review.model_validate({"stars": whole_number(number), "text": text})
                service.review(order_id, token, review, public_url)
            else:
                problem = NewProblem.model_validate(
                    {"problem_id": form.get("problem_id", ""), "gtin": form.get("gtin", ""),
                     "quantity": whole_number(number),
                     "reason": form.get("reason", ""), "note": text}
                )  # fmt: skip
                service.report_problem(order_id, token, problem, public_url, photo)
        except (ValidationError, Invalid) as exc:
            if isinstance(exc, Invalid) and exc.reason == "after_sales_closed":
                # The form was opened in time and sent too late: the order says it closed.
                return RedirectResponse(f"/g/o/{order_id}?t={token}&lang={chosen}", 303)
            fallback = TEXT[chosen][f"{which}_error"]
            message = str(exc) if isinstance(exc, Invalid) else fallback
            return _after_sales_page(rt, request, order_id, token, chosen, which, message)
        return RedirectResponse(f"/g/o/{order_id}?t={token}&lang={chosen}", status_code=303)

    @r.post("/g/o/{order_id}/cancel")
    async def cancel_html(order_id: str, rt: RuntimeDep, request: Request) -> Response:
        form = await form_fields(request)
        token, lang = form.get("t", ""), form.get("lang", "")
        service = service_of(rt)
        await run_in_threadpool(service.cancel, order_id, token, rt.public_url(request))
        return RedirectResponse(f"/g/o/{order_id}?t={token}&lang={lang}", status_code=303)

    return r
