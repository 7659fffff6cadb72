"""HTTP routes of e-receipts: a kiosk asks for a sale's signed link; a shopper opens it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from central.auth import AuthedKiosk
from central.clock import iso_ms
from central.deps import KioskDep
from central.errors import Invalid, NotFound
from central.exit_codes.service import check_signature
from central.payments.runtime import PaymentsRuntime, RuntimeDep, is_uuid
from central.problems import problem_responses
from central.receipts import service
from kiosk.domain.pickup import CollectedOrder
from sync.payment_protocol import ReceiptLink, ReceiptLinkRequest, RefundReceiptLink
from sync.protocol import API_PREFIX


def _receipt_link(
    sale_id: str, kiosk: AuthedKiosk, rt: PaymentsRuntime, request: Request,
    body: ReceiptLinkRequest | None,
) -> ReceiptLink:  # fmt: skip
    if not is_uuid(sale_id):
        raise Invalid("the sale id must be a UUID", reason="validation")
    now = rt.central.clock_ms()
    with rt.central.tx() as conn:
        held = service.owner(conn, sale_id.lower())
        if held is not None and held[1] != kiosk.store_id:
            # Another store's sale is as invisible as one that does not exist.
            raise NotFound("no such sale in this kiosk's store", reason="sale_not_found")
        if body is not None and body.exit_code:
            exit_pass, reason = check_signature(conn, body.exit_code)
            if exit_pass is None or reason != "valid":
                raise Invalid(f"the exit code does not verify: {reason}", reason="exit_code")
            if exit_pass.sale_id != sale_id.lower() or exit_pass.kiosk_id != kiosk.kiosk_id:
                raise Invalid("the exit code is for another sale", reason="exit_code")
            service.store_exit_code(conn, exit_pass.sale_id, kiosk.kiosk_id, body.exit_code, now)
    expires, expires_at = _expiry(rt, now)
    lang = body.lang if body is not None else None
    return ReceiptLink(
        sale_id=sale_id.lower(),
        url=service.link(
            rt.public_url(request), rt.master, sale_id.lower(), expires, kiosk.store_id, lang
        ),
        expires_at=expires_at,
    )


def _expiry(rt: PaymentsRuntime, now_ms: int) -> tuple[int, str | None]:
    """A new link's expiry (Unix seconds, or NO_EXPIRY) and the same as ISO text."""
    days = rt.config.receipt_ttl_days
    if not days:
        return service.NO_EXPIRY, None
    expires = now_ms // 1000 + days * 86_400
    return expires, iso_ms(expires * 1000)


def api_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=problem_responses(400, 401, 403, 404, 413, 422))

    @r.post("/sales/{sale_id}/receipt-link", tags=["receipts"])
    def post_receipt_link(
        sale_id: str, call: KioskDep, rt: RuntimeDep, request: Request,
        body: ReceiptLinkRequest | None = None,
    ) -> ReceiptLink:  # fmt: skip
        return _receipt_link(sale_id, call.kiosk, rt, request, body)

    @r.get("/sales/{sale_id}/receipt-link", tags=["receipts"])
    def get_receipt_link(
        sale_id: str, call: KioskDep, rt: RuntimeDep, request: Request
    ) -> ReceiptLink:
        return _receipt_link(sale_id, call.kiosk, rt, request, None)

    @r.get("/refunds/{refund_id}/receipt-link", tags=["receipts"])
    def get_refund_receipt_link(
        refund_id: str, call: KioskDep, rt: RuntimeDep, request: Request,
        lang: Annotated[Literal["en", "zh", "ko"] | None, Query()] = None,
    ) -> RefundReceiptLink:  # fmt: skip
        """The refund's e-receipt link, once the refund has reached the service (push
        it first) and unless it failed (nothing was given back)."""
        if not is_uuid(refund_id):
            raise Invalid("the refund id must be a UUID", reason="validation")
        now = rt.central.clock_ms()
        with rt.central.tx() as conn:
            held = service.refund_owner(conn, refund_id.lower())
        if held is None or held[0] != call.kiosk.store_id or held[1] == "failed":
            raise NotFound("no such refund in this kiosk's store", reason="refund_not_found")
        expires, expires_at = _expiry(rt, now)
        url = service.refund_link(
            rt.public_url(request), rt.master, refund_id.lower(), expires, held[0], lang
        )
        return RefundReceiptLink(refund_id=refund_id.lower(), url=url, expires_at=expires_at)

    return r


def _lang(request: Request, lang: str | None) -> Literal["en", "zh", "ko"]:
    if lang in ("en", "zh", "ko"):
        return lang  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    if accept.startswith("zh"):
        return "zh"
    if accept.startswith("ko"):
        return "ko"
    return "en"


@dataclass(frozen=True, slots=True)
class _Link:
    """A receipt link's signed query (`exp`, `st`, `sig`) and the page's language."""

    sig: str
    exp: int
    st: str
    lang: Literal["en", "zh", "ko"]

    def query(self) -> str:
        return f"exp={self.exp}&st={quote(self.st)}&sig={self.sig}"

    def check(self, rt: PaymentsRuntime, entity_id: str, signed_id: str) -> None:
        """Refuse (404) a link whose id is not a UUID, or whose signature or expiry fails."""
        now = rt.central.clock_ms()
        ok = service.link_ok(rt.master, signed_id, self.exp, self.st, self.sig, now)
        if not (is_uuid(entity_id) and ok):
            raise _refused()


def _refused() -> NotFound:
    return NotFound("this receipt link is not valid (or has expired)", reason="receipt_link")


def _link(
    request: Request,
    sig: Annotated[str, Query(max_length=64)] = "",
    exp: Annotated[int, Query(ge=0, le=2**40)] = 0,
    st: Annotated[str, Query(max_length=64)] = "",
    lang: Annotated[str | None, Query(max_length=8)] = None,
) -> _Link:
    return _Link(sig, exp, st, _lang(request, lang))


LinkDep = Annotated[_Link, Depends(_link)]


def _none_collected(conn: Connection, sale_id: str) -> Sequence[CollectedOrder]:
    return ()


def pages_router(
    collected: Callable[[Connection, str], Sequence[CollectedOrder]] = _none_collected,
) -> APIRouter:
    """The shopper's pages; `collected` finds the group-buy orders collected with a sale."""
    r = APIRouter(include_in_schema=False)

    @r.get("/r/{sale_id}", response_class=HTMLResponse)
    def e_receipt(sale_id: str, rt: RuntimeDep, link: LinkDep) -> HTMLResponse:
        link.check(rt, sale_id, sale_id.lower())
        with rt.central.tx() as conn:
            stored = service.load(conn, sale_id.lower())
            orders = collected(conn, sale_id.lower()) if stored is not None else ()
        if stored is None:
            return HTMLResponse(service.render_pending(link.lang), status_code=404)
        if stored.document.get("store_id") != link.st:
            raise _refused()
        store = rt.config.store(link.st)
        self_url = f"/r/{sale_id.lower()}?{link.query()}"
        return HTMLResponse(service.render(stored, store, link.lang, self_url, orders))

    @r.get("/r/refunds/{refund_id}", response_class=HTMLResponse)
    def refund_receipt(refund_id: str, rt: RuntimeDep, link: LinkDep) -> HTMLResponse:
        link.check(rt, refund_id, service.REFUND + refund_id.lower())
        with rt.central.tx() as conn:
            stored = service.load_refund(conn, refund_id.lower())
        if stored is None or stored.store_id != link.st:
            raise _refused()
        sale_id = str(stored.sale["sale_id"])
        sale_url = service.link("", rt.master, sale_id, link.exp, link.st, link.lang)
        self_url = f"/r/refunds/{stored.refund_id}?{link.query()}"
        store = rt.config.store(link.st)
        return HTMLResponse(service.render_refund(stored, store, link.lang, self_url, sale_url))

    return r
