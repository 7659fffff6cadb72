"""HTTP routes of the back-office console (`/admin/`): sign-in, the pages and their forms.

Every page but the sign-in needs a session cookie; every POST needs the session's CSRF
token in its form; every route names the permission it needs (`GUARDED`, which the
role × route test walks). The API's bearer tokens (`/v1/...`) are untouched.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from central import problems, web
from central.admin import integrity, member_data, offers, pages, sale_search, service
from central.admin.groupbuy_page import groupbuy_page
from central.admin.offers import Basket, Feed
from central.admin.refusals import refusal
from central.admin.service import ABSOLUTE_MS, Account, Actor, AdminSession, Permission, Role
from central.analytics import pages as analytics
from central.clock import iso_ms
from central.deps import Central, CentralDep, source_of
from central.errors import CentralError, Forbidden, Invalid, NotFound, PayloadTooLarge
from central.groupbuy.photos import photo_response
from central.groupbuy.routes import service_of as groupbuy_service
from central.payments.runtime import RuntimeDep
from central.receipts import service as receipts
from kiosk.domain.catalog_csv import product_to_row
from sync.groupbuy_protocol import Resolve

COOKIE = "admin_session"
LOGIN_COOKIE = "admin_login"
"""The sign-in form's CSRF token, doubled in a cookie: before signing in there is no
session to tie it to, and a forged sign-in would put the victim in the forger's account."""
LANG_COOKIE = "admin_lang"
MAX_CSV = 4 * 1024 * 1024
"""A catalog upload's limit (about 20,000 products; import a larger catalog in parts, each
all or nothing): below the service's body limit, so the refusal is a page, not JSON. The
page's words (`import_help`, `file_too_large`) say 4 MB."""
PREFIX = "/admin"
RECEIPT_LINK_S = 3600
RECEIPT_LANGS = {"zh_CN": "zh", "ko": "ko", "en": "en"}
"""The console's languages as the e-receipt page names them."""
SECURITY_HEADERS = {
    # Nothing but this origin's stylesheet: no script, no inline style, no frames.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
NOTES = {
    "kiosk_revoked",
    "saved",
    "account_saved",
    "password_saved",
    "imported",
    "offer_ended",
    "offer_withdrawn",
    "erased_done",
    "dealt_done",
    "reopened",
}

PUBLIC: tuple[tuple[str, str], ...] = (
    ("GET", "/admin/login"),
    ("POST", "/admin/login"),
    ("GET", "/admin/static/admin.css"),
)
GUARDED: tuple[tuple[str, str, Permission | None], ...] = (
    ("GET", "/admin/", None),
    ("POST", "/admin/logout", None),
    ("GET", "/admin/fleet", Permission.VIEW_FLEET),
    ("POST", "/admin/fleet/codes", Permission.MANAGE_FLEET),
    ("GET", "/admin/fleet/{kiosk_id}/revoke", Permission.MANAGE_FLEET),
    ("POST", "/admin/fleet/{kiosk_id}/revoke", Permission.MANAGE_FLEET),
    ("GET", "/admin/rules", Permission.VIEW_FLEET),
    ("POST", "/admin/rules", Permission.MANAGE_STORE_RULES),
    ("POST", "/admin/rules/{store_id}", Permission.MANAGE_STORE_RULES),
    ("GET", "/admin/staff", Permission.VIEW_STAFF),
    ("POST", "/admin/staff", Permission.MANAGE_STAFF),
    ("POST", "/admin/staff/{staff_id}", Permission.MANAGE_STAFF),
    ("POST", "/admin/staff/{staff_id}/pin", Permission.MANAGE_STAFF),
    ("GET", "/admin/catalog", Permission.VIEW_CATALOG),
    ("POST", "/admin/catalog/import", Permission.MANAGE_CATALOG),
    ("GET", "/admin/catalog/{gtin}", Permission.VIEW_CATALOG),
    ("POST", "/admin/catalog/{gtin}", Permission.MANAGE_CATALOG),
    ("POST", "/admin/catalog/{gtin}/recall", Permission.MANAGE_CATALOG),
    ("GET", "/admin/accounts", Permission.MANAGE_ACCOUNTS),
    ("POST", "/admin/accounts", Permission.MANAGE_ACCOUNTS),
    ("POST", "/admin/accounts/{login}", Permission.MANAGE_ACCOUNTS),
    ("POST", "/admin/accounts/{login}/password", Permission.MANAGE_ACCOUNTS),
    ("GET", "/admin/audit", Permission.VIEW_AUDIT),
    *(
        entry
        for feed in Feed
        for entry in (
            ("GET", f"/admin/{feed}", Permission.VIEW_OFFERS),
            ("POST", f"/admin/{feed}", Permission.MANAGE_OFFERS),
            ("GET", f"/admin/{feed}/{{offer_id}}", Permission.VIEW_OFFERS),
            ("POST", f"/admin/{feed}/{{offer_id}}", Permission.MANAGE_OFFERS),
            ("POST", f"/admin/{feed}/{{offer_id}}/end", Permission.MANAGE_OFFERS),
        )
    ),
    ("GET", "/admin/campaigns", Permission.VIEW_OFFERS),
    ("POST", "/admin/campaigns", Permission.MANAGE_OFFERS),
    ("GET", "/admin/campaigns/{campaign_id}", Permission.VIEW_OFFERS),
    ("POST", "/admin/campaigns/{campaign_id}", Permission.MANAGE_OFFERS),
    ("GET", "/admin/preview", Permission.VIEW_OFFERS),
    ("GET", "/admin/members", Permission.VIEW_MEMBERS),
    ("POST", "/admin/members", Permission.VIEW_MEMBERS),
    ("GET", "/admin/members/{member_id}", Permission.VIEW_MEMBERS),
    ("POST", "/admin/members/{member_id}/export", Permission.EXPORT_MEMBERS),
    ("POST", "/admin/members/{member_id}/erase", Permission.ERASE_MEMBERS),
    ("GET", "/admin/sales", Permission.VIEW_SALES),
    ("GET", "/admin/sales/{sale_id}", Permission.VIEW_SALES),
    ("GET", "/admin/reports", Permission.VIEW_REPORTS),
    ("GET", "/admin/integrity", Permission.REVIEW_INTEGRITY),
    ("GET", "/admin/groupbuy", Permission.VIEW_SALES),
    ("GET", "/admin/groupbuy/problems/{problem_id}/photo", Permission.VIEW_SALES),
    ("POST", "/admin/groupbuy/problems/{problem_id}", Permission.RESOLVE_GROUPBUY),
    ("POST", "/admin/integrity/{kind}/{item_id}", Permission.REVIEW_INTEGRITY),
    ("POST", "/admin/integrity/{kind}/{item_id}/reopen", Permission.REVIEW_INTEGRITY),
)
"""(method, path, the permission it needs; None: any signed-in account)."""


class SignInFirst(Exception):
    """No live session: the browser goes to the sign-in page."""


class Denied(Exception):
    """Signed in, but the role may not do this (or the form's CSRF token is wrong)."""

    def __init__(self, who: AdminSession) -> None:
        super().__init__("denied")
        self.who = who


def install(app: FastAPI) -> None:
    """Answer the console's own refusals with pages, not problem documents."""

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        return _secure(RedirectResponse(f"{PREFIX}/login", status_code=303))

    async def denied(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Denied)
        html = pages.forbidden_page(_lang(request), exc.who.account, exc.who.csrf)
        return _secure(HTMLResponse(html, status_code=403))

    async def api_answer(request: Request, exc: Exception) -> Response:
        if isinstance(exc, CentralError):
            return await problems.central_error(request, exc)
        if isinstance(exc, RequestValidationError):
            return await problems.validation_error(request, exc)
        return await problems.http_error(request, exc)

    async def problem(request: Request, exc: Exception) -> Response:
        """A console page that is missing or refused is a page in the console's language
        with its navigation, not the API's problem document; elsewhere, that document."""
        if not request.url.path.startswith(f"{PREFIX}/"):
            return await api_answer(request, exc)
        if isinstance(exc, CentralError):
            status, detail = exc.status, refusal(_lang(request), exc)
        elif isinstance(exc, RequestValidationError):  # a query the route's schema refuses
            status = 422
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                for e in list(exc.errors())[:5]
            )
        else:
            assert isinstance(exc, StarletteHTTPException)
            status, detail = exc.status_code, str(exc.detail)
        central: Central = request.app.state.central
        try:
            who = await run_in_threadpool(_who, central, request, None)
        except SignInFirst:
            return await sign_in_first(request, exc)
        except (CentralError, DBAPIError):
            # No session to draw the page with (the database is away): the plain answer.
            return await api_answer(request, exc)
        html = pages.problem_page(_lang(request), who.account, who.csrf, status, detail)
        return _secure(HTMLResponse(html, status_code=status))

    app.add_exception_handler(SignInFirst, sign_in_first)
    app.add_exception_handler(Denied, denied)
    for kind in (CentralError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(kind, problem)


async def _form(request: Request) -> dict[str, str]:
    return await web.form_fields(request)


FormDep = Annotated[dict[str, str], Depends(_form)]

ItemId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
"""A row id to page back from (newest first, by id): a whole number the database holds."""


def _paged(conflicts_before: ItemId = None, chain_before: ItemId = None) -> dict[str, int]:
    """The integrity review's dealt-with lists' pages, each on its own (by item id)."""
    given = {"conflicts_before": conflicts_before, "chain_before": chain_before}
    return {key: value for key, value in given.items() if value is not None}


PagedDep = Annotated[dict[str, int], Depends(_paged)]


async def _upload(request: Request) -> web.Upload | None:
    """A form with a file field; None when it is over `MAX_CSV` (the route answers with
    its page). A urlencoded form (a pasted CSV, as scripts send it) has no files."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/"):
        return web.Upload(await web.form_fields(request), {})
    try:
        body = await web.read_capped(request, MAX_CSV)
    except PayloadTooLarge:
        return None
    # Off the event loop: the MIME parser takes its time over a body of many parts.
    return await run_in_threadpool(web.parse_upload, content_type, body)


UploadDep = Annotated[web.Upload | None, Depends(_upload)]


def _secure(answer: Response) -> Response:
    answer.headers.update(SECURITY_HEADERS)
    return answer


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return web.language(request.headers.get("accept-language"), chosen, pages.LANGUAGES)


def _html(request: Request, html: str, status: int = 200) -> Response:
    answer = _secure(HTMLResponse(html, status_code=status))
    chosen = request.query_params.get("lang")
    if chosen in pages.LANGUAGES:
        answer.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 86400,
            path=f"{PREFIX}/",
            httponly=True,
            samesite="strict",
        )
    return answer


def _see(path: str) -> Response:
    return _secure(RedirectResponse(path, status_code=303))


def _who(
    central: Central,
    request: Request,
    permission: Permission | None,
    form: dict[str, str] | None = None,
) -> AdminSession:
    with central.tx() as conn:
        who = service.session_of(conn, request.cookies.get(COOKIE), central.clock_ms())
    if who is None:
        raise SignInFirst
    if form is not None:
        try:
            web.check_csrf(who.csrf, form.get("csrf"))
        except (Invalid, Forbidden):
            raise Denied(who) from None
    if permission is not None and not who.account.can(permission):
        raise Denied(who)
    return who


def _change(
    central: Central,
    request: Request,
    who: AdminSession,
    change: Callable[[Connection, Actor], object],
) -> str | None:
    """Run a change in one transaction with its audit entry; the refusal's words, or None."""
    actor = Actor(who.account.login, source_of(request))
    try:
        with central.tx() as conn:
            change(conn, actor)
    except Forbidden:
        raise Denied(who) from None
    except (Invalid, NotFound) as exc:
        return refusal(_lang(request), exc)
    return None


def _scope(who: AdminSession) -> frozenset[str] | None:
    """The stores a store manager's staff rights cover; None: the chain's."""
    return who.account.stores if who.account.role is Role.STORE_MANAGER else None


def _note(request: Request) -> str | None:
    done = request.query_params.get("done")
    return pages.TEXTS[_lang(request)][done] if done in NOTES else None


def router() -> APIRouter:
    r = APIRouter(prefix=PREFIX, include_in_schema=False)

    @r.get("/static/admin.css")
    def stylesheet() -> Response:
        answer = Response(pages.CSS, media_type="text/css")
        answer.headers.update(
            {"X-Content-Type-Options": "nosniff", "Cache-Control": "max-age=3600"}
        )
        return answer

    # ------------------------------------------------------------------ sign-in
    @r.get("/login")
    def login_page(request: Request, central: CentralDep) -> Response:
        with central.tx() as conn:
            if service.session_of(conn, request.cookies.get(COOKIE), central.clock_ms()):
                return _see(f"{PREFIX}/")
        return _sign_in_form(request, _lang(request))

    @r.post("/login")
    def login(request: Request, central: CentralDep, form: FormDep) -> Response:
        lang = web.language(None, form.get("lang"), pages.LANGUAGES)
        login_name = form.get("login", "").strip().lower()[:64]
        expected = request.cookies.get(LOGIN_COOKIE, "")
        given = form.get("csrf", "")
        if not expected or not secrets.compare_digest(expected.encode(), given.encode()):
            return _sign_in_form(request, lang, error="wrong", status=403, login=login_name)
        source, now = source_of(request), central.clock_ms()
        with central.reader.connect() as conn:
            if central.throttled(conn, "admin", source, now):
                return _sign_in_form(request, lang, error="throttled", status=429, login=login_name)
        with central.tx() as conn:
            result = service.sign_in(conn, login_name, form.get("password", ""), now)
        if result.token is None:
            with central.tx() as conn:
                central.record_failure(conn, "admin", source, now)
            return _sign_in_form(request, lang, error=result.refusal, status=401, login=login_name)
        answer = _see(f"{PREFIX}/?lang={lang}")
        web.set_session_cookie(
            answer, request, COOKIE, result.token, path=f"{PREFIX}/", max_age_s=ABSOLUTE_MS // 1000
        )
        answer.delete_cookie(LOGIN_COOKIE, path=f"{PREFIX}/login")
        return answer

    @r.post("/logout")
    def logout(request: Request, central: CentralDep, form: FormDep) -> Response:
        _who(central, request, None, form)
        with central.tx() as conn:
            service.sign_out(conn, request.cookies.get(COOKIE))
        answer = _see(f"{PREFIX}/login")
        answer.delete_cookie(COOKIE, path=f"{PREFIX}/")
        return answer

    @r.get("/")
    def home(request: Request, central: CentralDep) -> Response:
        who = _who(central, request, None)
        for _key, href, permission in pages.NAV:
            if who.account.can(permission):
                return _see(href)
        return _html(request, pages.forbidden_page(_lang(request), who.account, who.csrf))

    # ------------------------------------------------------------------ fleet
    def fleet_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        *,
        error: str | None = None,
        code: tuple[str, str, str] | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            rows = service.fleet(conn, who.account, central.clock_ms())
        html = pages.fleet_page(
            _lang(request), who.account, who.csrf, rows, code=code, note=_note(request), error=error
        )
        return _html(request, html, status)

    @r.get("/fleet")
    def fleet(request: Request, central: CentralDep) -> Response:
        return fleet_view(request, central, _who(central, request, Permission.VIEW_FLEET))

    @r.post("/fleet/codes")
    def new_code(request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_FLEET, form)
        store_id = form.get("store_id", "").strip()
        made: list[tuple[str, str, int]] = []
        try:
            ttl = int(form.get("ttl_hours", "72"))
        except ValueError:
            ttl = 0

        def issue(conn: Connection, actor: Actor) -> None:
            made.clear()  # a try that rolled back made no code
            made.append(
                service.issue_enrolment_code(
                    conn, who.account, actor, store_id, ttl, central.clock_ms(), form.get("once")
                )
            )

        try:
            error = _change(central, request, who, issue)
        except IntegrityError:  # the same form sent twice at once: the other made the code
            error = _change(central, request, who, issue)
        if error:
            return fleet_view(request, central, who, 422, error=error)
        code, known, expires = made[0]
        return fleet_view(request, central, who, code=(code, known, iso_ms(expires)))

    @r.get("/fleet/{kiosk_id}/revoke")
    def confirm_revoke(kiosk_id: str, request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.MANAGE_FLEET)
        with central.snapshot() as conn:
            rows = service.fleet(conn, who.account, central.clock_ms())
            store_id = service.kiosk_store(conn, kiosk_id)
        if not who.account.runs(store_id):
            raise Denied(who)
        kiosk = next(k for k in rows if k.kiosk_id == kiosk_id)
        return _html(request, pages.revoke_page(_lang(request), who.account, who.csrf, kiosk))

    @r.post("/fleet/{kiosk_id}/revoke")
    def revoke(kiosk_id: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_FLEET, form)
        error = _change(
            central,
            request,
            who,
            lambda conn, actor: service.revoke_kiosk(
                conn, who.account, actor, kiosk_id, central.clock_ms()
            ),
        )
        if error:
            return fleet_view(request, central, who, 404, error=error)
        return _see(f"{PREFIX}/fleet?done=kiosk_revoked")

    # ------------------------------------------------------------------ store rules
    def stores_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        error: str | None = None,
        typed: tuple[str, dict[str, str]] | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            rows = service.store_rules(conn, who.account)
        html = pages.stores_page(
            _lang(request),
            who.account,
            who.csrf,
            rows,
            note=_note(request),
            error=error,
            typed=typed,
        )
        return _html(request, html, status)

    def rules_change(
        request: Request, central: Central, form: dict[str, str], store_id: str, *, new: bool
    ) -> Response:
        who = _who(central, request, Permission.MANAGE_STORE_RULES, form)
        if form.get("withdraw") == "1":
            error = _change(
                central,
                request,
                who,
                lambda conn, actor: service.withdraw_store_rules(
                    conn, actor, store_id, central.clock_ms()
                ),
            )
        else:
            error = _change(
                central,
                request,
                who,
                lambda conn, actor: service.save_store_rules(
                    conn, actor, store_id, form, central.clock_ms()
                ),
            )
        if error:
            return stores_view(request, central, who, 422, error, ("" if new else store_id, form))
        return _see(f"{PREFIX}/rules?done=saved")

    @r.get("/rules")
    def stores(request: Request, central: CentralDep) -> Response:
        return stores_view(request, central, _who(central, request, Permission.VIEW_FLEET))

    @r.post("/rules")
    def new_store_rules(request: Request, central: CentralDep, form: FormDep) -> Response:
        return rules_change(request, central, form, form.get("store_id", "").strip(), new=True)

    @r.post("/rules/{store_id}")
    def save_store_rules(
        store_id: str, request: Request, central: CentralDep, form: FormDep
    ) -> Response:
        return rules_change(request, central, form, store_id, new=False)

    # ------------------------------------------------------------------ staff
    def staff_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        error: str | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            rows = service.staff(conn, _scope(who))
        html = pages.staff_page(
            _lang(request), who.account, who.csrf, rows, note=_note(request), error=error
        )
        return _html(request, html, status)

    def staff_change(
        request: Request,
        central: Central,
        who: AdminSession,
        change: Callable[[Connection, Actor], object],
    ) -> Response:
        error = _change(central, request, who, change)
        if error:
            return staff_view(request, central, who, 422, error)
        return _see(f"{PREFIX}/staff?done=saved")

    @r.get("/staff")
    def staff(request: Request, central: CentralDep) -> Response:
        return staff_view(request, central, _who(central, request, Permission.VIEW_STAFF))

    @r.post("/staff")
    def add_staff(request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_STAFF, form)
        staff_id = form.get("staff_id", "").strip()
        return staff_change(
            request,
            central,
            who,
            lambda conn, actor: service.save_staff(
                conn,
                actor,
                staff_id,
                name=form.get("name", ""),
                role=form.get("role", ""),
                pin=form.get("pin", ""),
                home_store=form.get("home_store", ""),
                now_ms=central.clock_ms(),
                new=True,
                scope=_scope(who),
            ),
        )

    @r.post("/staff/{staff_id}")
    def edit_staff(staff_id: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_STAFF, form)
        return staff_change(
            request,
            central,
            who,
            lambda conn, actor: service.save_staff(
                conn,
                actor,
                staff_id,
                role=form.get("role"),
                active=form.get("active") == "1",
                home_store=form.get("home_store"),
                now_ms=central.clock_ms(),
                scope=_scope(who),
            ),
        )

    @r.post("/staff/{staff_id}/pin")
    def staff_pin(staff_id: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_STAFF, form)
        return staff_change(
            request,
            central,
            who,
            lambda conn, actor: service.save_staff(
                conn,
                actor,
                staff_id,
                pin=form.get("pin", ""),
                now_ms=central.clock_ms(),
                scope=_scope(who),
            ),
        )

    # ------------------------------------------------------------------ catalog
    def catalog_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        *,
        bad_rows: Sequence[str] = (),
        pasted: str = "",
        error_key: str | None = None,
    ) -> Response:
        query = request.query_params.get("q", "")[:100]
        with central.snapshot() as conn:
            found = service.search_products(conn, query)
        html = pages.catalog_page(
            _lang(request),
            who.account,
            who.csrf,
            found,
            query,
            bad_rows=bad_rows,
            pasted=pasted,
            note=_note(request),
            error=pages.TEXTS[_lang(request)][error_key] if error_key else None,
        )
        return _html(request, html, status)

    def product_view(
        request: Request,
        central: Central,
        who: AdminSession,
        gtin: str,
        status: int = 200,
        error: str | None = None,
        row: dict[str, str] | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            found = service.product(conn, gtin)
        if found is None:
            raise NotFound(f"no product {gtin}", reason="not_found")
        html = pages.product_page(
            _lang(request),
            who.account,
            who.csrf,
            found,
            row or product_to_row(found),
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    @r.get("/catalog")
    def catalog(request: Request, central: CentralDep) -> Response:
        return catalog_view(request, central, _who(central, request, Permission.VIEW_CATALOG))

    @r.post("/catalog/import")
    def catalog_import(request: Request, central: CentralDep, upload: UploadDep) -> Response:
        if upload is None:
            who = _who(central, request, Permission.MANAGE_CATALOG)
            return catalog_view(request, central, who, 413, error_key="file_too_large")
        who = _who(central, request, Permission.MANAGE_CATALOG, upload.fields)
        filename, content = upload.files.get("file", ("", b""))
        pasted = upload.fields.get("csv", "")
        try:
            text = content.decode("utf-8-sig") if content else pasted
        except UnicodeDecodeError:
            return catalog_view(request, central, who, 422, error_key="file_not_utf8")
        bad: list[str] = []

        def run(conn: Connection, actor: Actor) -> None:
            now = central.clock_ms()
            refused = service.import_catalog(conn, actor, text, now, filename or None)[1]
            bad.extend(refusal(_lang(request), e) for e in refused)

        _change(central, request, who, run)
        if bad:
            return catalog_view(request, central, who, 422, bad_rows=bad, pasted=pasted)
        return _see(f"{PREFIX}/catalog?done=imported")

    @r.get("/catalog/{gtin}")
    def product_page(gtin: str, request: Request, central: CentralDep) -> Response:
        return product_view(request, central, _who(central, request, Permission.VIEW_CATALOG), gtin)

    @r.post("/catalog/{gtin}")
    def edit_product(gtin: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_CATALOG, form)
        error = _change(
            central,
            request,
            who,
            lambda conn, actor: service.save_product(conn, actor, gtin, form, central.clock_ms()),
        )
        if error:
            return product_view(request, central, who, gtin, 422, error, form)
        return _see(f"{PREFIX}/catalog/{gtin}?done=saved")

    @r.post("/catalog/{gtin}/recall")
    def recall(gtin: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_CATALOG, form)
        error = _change(
            central,
            request,
            who,
            lambda conn, actor: service.recall(
                conn,
                actor,
                gtin,
                whole=form.get("whole") == "1",
                lots=form.get("lots", "").split("|"),
                now_ms=central.clock_ms(),
            ),
        )
        if error:
            return product_view(request, central, who, gtin, 404, error)
        return _see(f"{PREFIX}/catalog/{gtin}?done=saved")

    # ------------------------------------------------------------------ accounts
    def accounts_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        error: str | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            rows = service.accounts(conn)
        html = pages.accounts_page(
            _lang(request),
            who.account,
            who.csrf,
            rows,
            central.clock_ms(),
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    def account_change(
        request: Request,
        central: Central,
        who: AdminSession,
        change: Callable[[Connection, Actor], object],
        done: str,
    ) -> Response:
        error = _change(central, request, who, change)
        if error:
            return accounts_view(request, central, who, 422, error)
        return _see(f"{PREFIX}/accounts?done={done}")

    @r.get("/accounts")
    def accounts(request: Request, central: CentralDep) -> Response:
        return accounts_view(request, central, _who(central, request, Permission.MANAGE_ACCOUNTS))

    @r.post("/accounts")
    def add_account(request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_ACCOUNTS, form)
        return account_change(
            request,
            central,
            who,
            lambda conn, actor: service.create_account(
                conn,
                actor,
                form.get("login", "").strip().lower(),
                form.get("name", ""),
                form.get("role", ""),
                form.get("stores", "").split(","),
                form.get("password", ""),
                central.clock_ms(),
            ),
            "account_saved",
        )

    @r.post("/accounts/{login}")
    def edit_account(login: str, request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_ACCOUNTS, form)
        return account_change(
            request,
            central,
            who,
            lambda conn, actor: service.update_account(
                conn,
                actor,
                login,
                name=form.get("name", ""),
                role=form.get("role", ""),
                stores=form.get("stores", "").split(","),
                active=form.get("active") == "1",
                now_ms=central.clock_ms(),
            ),
            "account_saved",
        )

    @r.post("/accounts/{login}/password")
    def account_password(
        login: str, request: Request, central: CentralDep, form: FormDep
    ) -> Response:
        who = _who(central, request, Permission.MANAGE_ACCOUNTS, form)
        return account_change(
            request,
            central,
            who,
            lambda conn, actor: service.set_password(
                conn, actor, login, form.get("password", ""), central.clock_ms()
            ),
            "password_saved",
        )

    # ------------------------------------------------------------------ promotions, coupons
    def offers_view(
        request: Request,
        central: Central,
        who: AdminSession,
        feed: Feed,
        status: int = 200,
        *,
        form: dict[str, str] | None = None,
        error: str | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            rows = offers.offer_rows(conn, feed, central.clock_ms())
            campaign_ids = [c["campaign_id"] for c in offers.campaigns(conn)]
        html = pages.offers_page(
            _lang(request),
            who.account,
            who.csrf,
            feed,
            rows,
            campaign_ids,
            form=form,
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    def offer_view(
        request: Request,
        central: Central,
        who: AdminSession,
        feed: Feed,
        key: str,
        status: int = 200,
        *,
        form: dict[str, str] | None = None,
        error: str | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            stored = offers.offer(conn, feed, key)
            campaign_ids = [c["campaign_id"] for c in offers.campaigns(conn)]
        unknown = offers.stored_currency(feed, stored)
        if error is None and unknown is not None:
            error = refusal(_lang(request), unknown)
        html = pages.offer_page(
            _lang(request),
            who.account,
            who.csrf,
            feed,
            key,
            form or offers.offer_form(feed, stored),
            offers.state_of(stored, central.clock_ms()),
            campaign_ids,
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    def offer_routes(feed: Feed) -> None:
        @r.get(f"/{feed}", name=f"{feed}_list")
        def listed(request: Request, central: CentralDep) -> Response:
            who = _who(central, request, Permission.VIEW_OFFERS)
            return offers_view(request, central, who, feed)

        @r.post(f"/{feed}", name=f"{feed}_create")
        def create(request: Request, central: CentralDep, form: FormDep) -> Response:
            who = _who(central, request, Permission.MANAGE_OFFERS, form)
            made: list[str] = []
            error = _change(
                central,
                request,
                who,
                lambda conn, actor: made.append(
                    offers.save_offer(conn, actor, feed, form, central.clock_ms())
                ),
            )
            if error:
                return offers_view(request, central, who, feed, 422, form=form, error=error)
            return _see(f"{PREFIX}/{feed}/{made[0]}?done=saved")

        @r.get(f"/{feed}/{{offer_id}}", name=f"{feed}_show")
        def show(offer_id: str, request: Request, central: CentralDep) -> Response:
            who = _who(central, request, Permission.VIEW_OFFERS)
            return offer_view(request, central, who, feed, offer_id)

        @r.post(f"/{feed}/{{offer_id}}", name=f"{feed}_edit")
        def edit(offer_id: str, request: Request, central: CentralDep, form: FormDep) -> Response:
            who = _who(central, request, Permission.MANAGE_OFFERS, form)
            error = _change(
                central,
                request,
                who,
                lambda conn, actor: offers.save_offer(
                    conn, actor, feed, form, central.clock_ms(), key=offer_id
                ),
            )
            if error:
                filled = {**form, feed.key: offer_id}
                return offer_view(
                    request, central, who, feed, offer_id, 422, form=filled, error=error
                )
            return _see(f"{PREFIX}/{feed}/{offer_id}?done=saved")

        @r.post(f"/{feed}/{{offer_id}}/end", name=f"{feed}_end")
        def end(offer_id: str, request: Request, central: CentralDep, form: FormDep) -> Response:
            who = _who(central, request, Permission.MANAGE_OFFERS, form)
            was: list[offers.State] = []
            error = _change(
                central,
                request,
                who,
                lambda conn, actor: was.append(
                    offers.end_offer(conn, actor, feed, offer_id, central.clock_ms())
                ),
            )
            if error:
                return offers_view(request, central, who, feed, 422, error=error)
            if was[0] is offers.State.SCHEDULED:
                return _see(f"{PREFIX}/{feed}?done=offer_withdrawn")
            return _see(f"{PREFIX}/{feed}/{offer_id}?done=offer_ended")

    for feed in Feed:
        offer_routes(feed)

    # ------------------------------------------------------------------ campaigns
    def campaigns_view(
        request: Request,
        central: Central,
        who: AdminSession,
        status: int = 200,
        *,
        form: dict[str, str] | None = None,
        error: str | None = None,
    ) -> Response:
        now = central.clock_ms()
        with central.snapshot() as conn:
            rows = offers.campaigns(conn)
            by_feed = {feed: offers.offer_rows(conn, feed, now) for feed in Feed}
        counts = {
            c["campaign_id"]: (
                sum(o.campaign_id == c["campaign_id"] for o in by_feed[Feed.PROMOTIONS]),
                sum(o.campaign_id == c["campaign_id"] for o in by_feed[Feed.COUPONS]),
            )
            for c in rows
        }
        html = pages.campaigns_page(
            _lang(request),
            who.account,
            who.csrf,
            rows,
            counts,
            form=form,
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    def campaign_view(
        request: Request,
        central: Central,
        who: AdminSession,
        key: str,
        status: int = 200,
        *,
        form: dict[str, str] | None = None,
        error: str | None = None,
    ) -> Response:
        with central.snapshot() as conn:
            stored = offers.campaign(conn, key)
            grouped = offers.campaign_offers(conn, key, central.clock_ms())
        html = pages.campaign_page(
            _lang(request),
            who.account,
            who.csrf,
            key,
            form or offers.campaign_form(stored),
            grouped,
            note=_note(request),
            error=error,
        )
        return _html(request, html, status)

    @r.get("/campaigns")
    def campaigns(request: Request, central: CentralDep) -> Response:
        return campaigns_view(request, central, _who(central, request, Permission.VIEW_OFFERS))

    @r.post("/campaigns")
    def add_campaign(request: Request, central: CentralDep, form: FormDep) -> Response:
        who = _who(central, request, Permission.MANAGE_OFFERS, form)
        made: list[str] = []
        error = _change(
            central,
            request,
            who,
            lambda conn, actor: made.append(
                offers.save_campaign(conn, actor, form, central.clock_ms())
            ),
        )
        if error:
            return campaigns_view(request, central, who, 422, form=form, error=error)
        return _see(f"{PREFIX}/campaigns/{made[0]}?done=saved")

    @r.get("/campaigns/{campaign_id}")
    def campaign(campaign_id: str, request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.VIEW_OFFERS)
        return campaign_view(request, central, who, campaign_id)

    @r.post("/campaigns/{campaign_id}")
    def edit_campaign(
        campaign_id: str, request: Request, central: CentralDep, form: FormDep
    ) -> Response:
        who = _who(central, request, Permission.MANAGE_OFFERS, form)
        error = _change(
            central,
            request,
            who,
            lambda conn, actor: offers.save_campaign(
                conn, actor, form, central.clock_ms(), key=campaign_id
            ),
        )
        if error:
            filled = {**form, "campaign_id": campaign_id}
            return campaign_view(request, central, who, campaign_id, 422, form=filled, error=error)
        return _see(f"{PREFIX}/campaigns/{campaign_id}?done=saved")

    # ------------------------------------------------------------------ pricing preview
    @r.get("/preview")
    def preview(request: Request, central: CentralDep) -> Response:
        """A GET form: pricing a sample basket changes nothing, so it needs no CSRF token
        and its address can be bookmarked or shared."""
        who = _who(central, request, Permission.VIEW_OFFERS)
        lang, query = _lang(request), request.query_params
        items, odd = [], []
        for gtin, qty in zip(query.getlist("gtin"), query.getlist("qty"), strict=False):
            if gtin.strip():
                typed = qty.strip() or "1"
                whole = typed.isascii() and typed.isdigit() and len(typed) <= 3
                if not (whole and 1 <= int(typed) <= offers.PREVIEW_MAX_QUANTITY):
                    odd.append(typed[:8])  # -2 or 1.5 was priced as 1, unsaid
                items.append((gtin.strip()[:20], int(typed) if whole and int(typed) else 1))
        basket = Basket(
            tuple(items[: offers.PREVIEW_LINES]),
            query.get("tier", "")[:32],
            query.get("coupon", "")[:64],
            query.get("at", "").strip()[:40],
        )
        priced, error, names = None, None, {}
        with central.snapshot() as conn:
            tiers = offers.tier_names(conn)
            coupon_ids = [o.key for o in offers.offer_rows(conn, Feed.COUPONS, central.clock_ms())]
            suggestions = service.search_products(conn, "")
            if odd:
                typed, most = ", ".join(map(repr, odd)), offers.PREVIEW_MAX_QUANTITY
                error = refusal(lang, Invalid(
                    f"quantity: {typed} is not a whole number of 1 to {most}",
                    say="preview_quantity", params={"value": typed, "most": most},
                ))  # fmt: skip
            elif basket.items:
                try:
                    priced = offers.preview(conn, basket, central.clock_ms(), lang)
                except Invalid as exc:
                    error = refusal(lang, exc)
                else:
                    names = offers.offer_names(conn, (d["rule_id"] for d in priced["discounts"]))
        html = pages.preview_page(
            lang, who.account, who.csrf, basket, tiers, coupon_ids, suggestions, priced,
            error=error, names=names,
        )  # fmt: skip
        return _html(request, html, 422 if error else 200)

    # ------------------------------------------------------------------ members
    @r.get("/members")
    def members(request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.VIEW_MEMBERS)
        return _html(request, pages.members_page(_lang(request), who.account, who.csrf))

    @r.post("/members")
    def find_member(request: Request, central: CentralDep, form: FormDep) -> Response:
        """A POST, so a phone number never lands in an address, a history or a log."""
        who = _who(central, request, Permission.VIEW_MEMBERS, form)
        lang = _lang(request)
        try:
            with central.snapshot() as conn:
                found = member_data.find(conn, central.settings.secret_key, form.get("q", ""))
        except NotFound:
            error = pages.TEXTS[lang]["member_not_found"]
        except Invalid as exc:
            error = refusal(lang, exc)
        else:
            return _see(f"{PREFIX}/members/{found}")
        # The typed text goes back into the form only if it is a member code, not a phone.
        typed = form.get("q", "").strip()[:32]
        html = pages.members_page(
            lang, who.account, who.csrf, typed=typed if typed[:1].isalpha() else "", error=error
        )
        return _html(request, html, 404)

    @r.get("/members/{member_id}")
    def member(member_id: str, request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.VIEW_MEMBERS)
        with central.tx() as conn:  # looking a member up settles pending merges first
            member_data.settle(conn, central.clock_ms())
        with central.snapshot() as conn:
            shown = member_data.view(conn, member_id)
        html = pages.member_page(_lang(request), who.account, who.csrf, shown, note=_note(request))
        return _html(request, html)

    @r.post("/members/{member_id}/export")
    def export_member(
        member_id: str, request: Request, central: CentralDep, form: FormDep
    ) -> Response:
        who = _who(central, request, Permission.EXPORT_MEMBERS, form)
        actor = Actor(who.account.login, source_of(request))
        with central.tx() as conn:
            data = member_data.export(conn, actor, member_id, central.clock_ms())
        answer = Response(
            json.dumps(data, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="member-{member_id}.json"'},
        )
        return _secure(answer)

    @r.post("/members/{member_id}/erase")
    def erase_member(
        member_id: str, request: Request, central: CentralDep, form: FormDep
    ) -> Response:
        who = _who(central, request, Permission.ERASE_MEMBERS, form)
        if form.get("confirm") != "1":
            raise Invalid("tick the confirmation to erase a member", reason="unconfirmed")
        actor = Actor(who.account.login, source_of(request))
        with central.tx() as conn:
            member_data.erase(conn, actor, member_id, central.clock_ms())
        return _see(f"{PREFIX}/members/{member_id}?done=erased_done")

    # ------------------------------------------------------------------ sales
    @r.get("/sales")
    def sales(request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.VIEW_SALES)
        q = request.query_params
        query = sale_search.SaleQuery(
            number=q.get("number", "")[:40],
            kiosk_id=q.get("kiosk", "")[:64],
            day_from=q.get("from", "")[:10],
            day_to=q.get("to", "")[:10],
            member_code=q.get("member", "")[:32],
        )
        rows, error = None, None
        with central.snapshot() as conn:
            choices = sale_search.kiosk_choices(conn, who.account)
            if not query.empty:
                try:
                    rows = sale_search.find(conn, who.account, query, central.settings.secret_key)
                except NotFound:
                    rows = []
                except Invalid as exc:
                    error = refusal(_lang(request), exc)
        html = pages.sales_page(
            _lang(request), who.account, who.csrf, query, choices, rows, error=error
        )
        return _html(request, html, 422 if error else 200)

    @r.get("/sales/{sale_id}")
    def sale(sale_id: str, request: Request, central: CentralDep) -> Response:
        who = _who(central, request, Permission.VIEW_SALES)
        try:
            with central.snapshot() as conn:
                found = sale_search.detail(conn, who.account, sale_id)
                names = offers.offer_names(
                    conn, (d["rule_id"] for d in found.document.get("discounts", []))
                )
        except Forbidden:
            raise Denied(who) from None
        lang = _lang(request)
        # The shopper's own e-receipt page, by a link signed like the kiosk's, for an hour.
        receipt = receipts.link(
            "",
            central.settings.secret_key,
            found.row.sale_id,
            central.clock_ms() // 1000 + RECEIPT_LINK_S,
            found.row.store_id,
            RECEIPT_LANGS[lang],
        )
        html = pages.sale_page(lang, who.account, who.csrf, found, receipt, names=names)
        return _html(request, html)

    # ------------------------------------------------------------------ group-buy
    def groupbuy_view(
        request: Request, rt: RuntimeDep, who: AdminSession, status: int = 200,
        error: str | None = None,
    ) -> Response:  # fmt: skip
        account = who.account
        # A store manager sees their stores' problems; the other roles the chain's.
        stores = account.stores if account.role is Role.STORE_MANAGER else None
        gb = groupbuy_service(rt)
        with rt.central.snapshot() as conn:  # the open and decided lists agree
            everything = gb.problems(stores, None, limit=500, conn=conn)
            still_open = gb.problems(stores, "open", conn=conn)
        decided = [p for p in everything if p.status != "open"]
        decided.sort(key=lambda p: p.resolved_at or "", reverse=True)
        html = groupbuy_page(
            _lang(request), account, who.csrf, still_open, decided[:50],
            note=_note(request), error=error,
        )  # fmt: skip
        return _html(request, html, status)

    @r.get("/groupbuy")
    def groupbuy(request: Request, central: CentralDep, rt: RuntimeDep) -> Response:
        who = _who(central, request, Permission.VIEW_SALES)
        return groupbuy_view(request, rt, who)

    @r.get("/groupbuy/problems/{problem_id}/photo")
    def problem_photo(
        problem_id: str, request: Request, central: CentralDep, rt: RuntimeDep
    ) -> Response:
        account = _who(central, request, Permission.VIEW_SALES).account
        stores = account.stores if account.role is Role.STORE_MANAGER else None
        return photo_response(groupbuy_service(rt).problem_photo(problem_id, stores))

    @r.post("/groupbuy/problems/{problem_id}")
    def resolve_problem(
        problem_id: str, request: Request, central: CentralDep, rt: RuntimeDep, form: FormDep
    ) -> Response:
        who = _who(central, request, Permission.RESOLVE_GROUPBUY, form)
        account = who.account
        stores = account.stores if account.role is Role.STORE_MANAGER else None
        try:
            body = Resolve.model_validate(
                {"action": form.get("action", ""), "answer": form.get("answer", "").strip()}
            )
        except ValidationError:
            unclear = Invalid("refund or reject, with a reason", say="refund_or_reject")
            return groupbuy_view(request, rt, who, 422, error=refusal(_lang(request), unclear))
        try:
            done = groupbuy_service(rt).resolve(problem_id, body, account.login, stores)
        except (Invalid, NotFound) as exc:
            return groupbuy_view(request, rt, who, 422, error=refusal(_lang(request), exc))
        with central.tx() as conn:
            service.record(
                conn, Actor(account.login, source_of(request)), f"groupbuy_problem_{body.action}",
                done.problem_id, {"status": "open"},
                {"status": done.status, "amount_minor": done.amount_minor, "answer": done.answer},
                central.clock_ms(),
            )  # fmt: skip
        return _see(f"{PREFIX}/groupbuy?done=saved")

    # ------------------------------------------------------------------ integrity
    def integrity_view(
        request: Request,
        central: Central,
        who: AdminSession,
        error: str | None = None,
        before: dict[str, int] | None = None,
    ) -> Response:
        paged = before or {}
        with central.snapshot() as conn:
            found = integrity.review(conn, who.account, **paged)
        html = pages.integrity_page(_lang(request), who.account, who.csrf, found, before=paged,
                                    note=_note(request), error=error)  # fmt: skip
        return _html(request, html, 422 if error else 200)

    @r.get("/integrity")
    def integrity_review(request: Request, central: CentralDep, paged: PagedDep) -> Response:
        return integrity_view(
            request, central, _who(central, request, Permission.REVIEW_INTEGRITY), before=paged
        )

    def integrity_change(
        act: Callable[[Connection, Account, Actor, str, int, str, int], None],
        field: str,
        done: str,
    ) -> Callable[..., Response]:
        """A form that marks an item as dealt with or reopens it, with the text in `field`."""

        def change(
            kind: str,
            item_id: int,
            request: Request,
            central: CentralDep,
            form: FormDep,
            paged: PagedDep,
        ) -> Response:
            who = _who(central, request, Permission.REVIEW_INTEGRITY, form)
            text, now = form.get(field, ""), central.clock_ms()
            error = _change(central, request, who, lambda conn, actor: act(
                conn, who.account, actor, kind, item_id, text, now))  # fmt: skip
            if error:
                return integrity_view(request, central, who, error, paged)
            # Back to the page the form was on (a mark reopened far back in the list).
            return _see(f"{PREFIX}/integrity?{urlencode({'done': done, **paged})}")

        return change

    r.post("/integrity/{kind}/{item_id}")(
        integrity_change(integrity.mark_dealt, "note", "dealt_done")
    )
    r.post("/integrity/{kind}/{item_id}/reopen")(
        integrity_change(integrity.reopen, "why", "reopened")
    )

    # ------------------------------------------------------------------ audit
    @r.get("/audit")
    def audit(
        request: Request,
        central: CentralDep,
        before: ItemId = None,
    ) -> Response:
        who = _who(central, request, Permission.VIEW_AUDIT)
        with central.snapshot() as conn:
            entries = service.audit_log(conn, before_id=before)
        return _html(request, pages.audit_page(_lang(request), who.account, who.csrf, entries))

    # ------------------------------------------------------------------ reports
    @r.get("/reports")
    def reports(request: Request, central: CentralDep) -> Response:
        """`central.analytics.pages` renders; a store manager sees their own stores only."""
        who, lang = _who(central, request, Permission.VIEW_REPORTS), _lang(request)
        stores = who.account.stores if who.account.role is Role.STORE_MANAGER else None
        with central.snapshot() as conn:
            page = analytics.reports_page(conn, dict(request.query_params), lang, stores)
        if page.csv is not None:
            return _secure(Response(page.csv, media_type="text/csv; charset=utf-8"))
        html = pages.layout(lang, who.account, who.csrf, "reports", pages.Html(page.body),
                            error=page.error)  # fmt: skip
        answer = _html(request, html, 422 if page.error else 200)
        answer.headers["Content-Security-Policy"] = analytics.CSP
        return answer

    return r


def _sign_in_form(
    request: Request, lang: str, *, error: str | None = None, status: int = 200, login: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    answer = _html(request, pages.sign_in_page(lang, token, error=error, login=login), status)
    answer.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=f"{PREFIX}/login",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return answer
