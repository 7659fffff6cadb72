"""The back-office console over real HTTP (a real service on loopback): sign-in, CSRF,
lockout, sessions, every role against every route, fleet, staff and accounts, and the
audit log each change leaves."""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from central.admin import offers, pages, routes, service
from central.admin.offers import Feed
from central.admin.service import Actor, Permission, Role
from central.admin.tables import admin_accounts, admin_audit, admin_sessions
from central.attendant import service as attendant
from central.cli import main as central_cli
from central.errors import Unauthorized
from central.feeds import service as feeds
from central.kiosks.tables import enrolment_codes
from central.web import MAX_FIELD
from kiosk.domain.codes import check_digit
from kiosk.domain.coupons import CouponRefusal
from kiosk.domain.errors import ItemRefused, Reason
from kiosk.domain.ids import IdFactory
from kiosk.domain.sale import SaleStatus
from kiosk.services.checkout import Checkout
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.enrolment import enroll, load_credential
from sync.errors import AuthRefused
from sync.pullers import FeedPuller
from tests.helpers import FixedClock
from tests.integration.central.test_attendant import add_staff, alert, live
from tests.integration.central.test_loyalty_central import LAYS
from tests.integration.conftest import CentralHarness, make_central

PASSWORD = "correct horse battery"
ACCOUNTS = {
    Role.HQ_ADMIN: ("hq", []),
    Role.STORE_MANAGER: ("mgr", ["S001"]),
    Role.MARKETING: ("mkt", []),
    Role.READ_ONLY: ("ro", []),
}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def add_account(central: CentralHarness, login: str, role: Role, stores: list[str]) -> None:
    with central.engine.begin() as conn:
        service.create_account(conn, Actor("test", "test"), login, login.upper(), role.value,
                               stores, PASSWORD, now_ms())  # fmt: skip


class Console:
    """One browser's cookie jar and the CSRF token of its session."""

    def __init__(self, central: CentralHarness) -> None:
        self.url = central.url
        self.http = requests.Session()
        self.csrf = ""

    def sign_in(self, login: str, password: str = PASSWORD) -> requests.Response:
        form = self.http.get(f"{self.url}/admin/login?lang=en", timeout=30)
        token = CSRF.search(form.text)
        assert token, form.text
        answer = self.http.post(
            f"{self.url}/admin/login",
            data={"login": login, "password": password, "csrf": token[1], "lang": "en"},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code == 303:
            home = self.get("/admin/")
            found = CSRF.search(home.text)
            assert found, home.text
            self.csrf = found[1]
        return answer

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.url + path, timeout=30, **kwargs)

    def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> requests.Response:
        body = {"csrf": self.csrf, **data} if csrf else data
        return self.http.post(self.url + path, data=body, allow_redirects=False, timeout=30)


@contextmanager
def console_on(db_url: str) -> Iterator[CentralHarness]:
    """A central service with one console account per role and a staff member."""
    handle, harness = make_central(db_url)
    for role, (login, stores) in ACCOUNTS.items():
        add_account(harness, login, role, stores)
    add_staff(harness)
    try:
        yield harness
    finally:
        harness.session.close()
        handle.stop()
        harness.engine.dispose()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[CentralHarness]:
    with console_on(f"sqlite:///{tmp_path / 'central.db'}") as harness:
        yield harness


def signed_in(central: CentralHarness, login: str) -> Console:
    browser = Console(central)
    assert browser.sign_in(login).status_code == 303
    return browser


def beat(
    client: CentralClient, version: str = "1.0", backlog: int = 0, errors: Sequence[str] = ()
) -> None:
    body = {"app_version": version, "queue_depth": backlog, "errors": list(errors)}
    client.call("POST", "/v1/heartbeat", body=body)


def audit(central: CentralHarness) -> list[Any]:
    with central.engine.connect() as conn:
        return list(conn.execute(select(admin_audit).order_by(admin_audit.c.audit_id)))


# ------------------------------------------------------------------ routes and roles
def test_every_console_route_names_its_permission() -> None:
    served = {
        (method, route.path)
        for route in routes.router().routes
        for method in getattr(route, "methods", set())
    }
    declared = {(m, p) for m, p, _ in routes.GUARDED} | set(routes.PUBLIC)
    assert served == declared


def _fill(path: str) -> str:
    # Path values that exist where a refusal must be about the role, and requests that a
    # permitted role has refused for their content, so the matrix changes nothing.
    return (path.replace("{kiosk_id}", "no-such-kiosk").replace("{staff_id}", "E100")
            .replace("{login}", "ro").replace("{gtin}", "06901234567892")
            .replace("{offer_id}", "no-offer").replace("{campaign_id}", "no-such")
            .replace("{member_id}", "no-member").replace("{sale_id}", "no-sale")
            .replace("{problem_id}", "no-problem").replace("{store_id}", "S001")
            .replace("{kind}", "conflict").replace("{item_id}", "999999"))  # fmt: skip


SPOILED = {"role": "no-such-role", "store_id": "", "pin": "1", "password": "short",
           "login": ""}  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_routes_its_permissions_allow(
    console: CentralHarness, role: Role
) -> None:
    browser = signed_in(console, ACCOUNTS[role][0])
    for method, path, permission in routes.GUARDED:
        if path == "/admin/logout":
            continue
        url = _fill(path)
        answer = (browser.get(url, allow_redirects=False) if method == "GET"
                  else browser.post(url, SPOILED))  # fmt: skip
        allowed = permission is None or permission in service.PERMISSIONS[role]
        if allowed:
            assert answer.status_code in (200, 303, 404, 422), (role, method, path, answer.text)
        else:
            assert answer.status_code == 403, (role, method, path)
            assert "Your role does not allow this." in answer.text
    assert [e.action for e in audit(console)] == ["account.create"] * len(ACCOUNTS)


def test_read_only_changes_nothing_even_with_valid_forms(console: CentralHarness) -> None:
    kiosk = console.enrol("S001", name="Kiosk 1")
    ro = signed_in(console, "ro")
    assert ro.get("/admin/fleet").status_code == 200
    assert ro.post(f"/admin/fleet/{kiosk.kiosk_id}/revoke", {}).status_code == 403
    assert ro.post("/admin/fleet/codes", {"store_id": "S001"}).status_code == 403
    assert ro.post("/admin/staff/E100", {"role": "manager", "active": "1"}).status_code == 403
    assert ro.post("/admin/accounts/ro", {"name": "RO", "role": "hq_admin",
                                         "active": "1"}).status_code == 403  # fmt: skip
    fleet = console.op("GET", "/v1/admin/fleet").json()["kiosks"]
    assert [k["revoked"] for k in fleet] == [False]
    with console.engine.connect() as conn:
        staff = feeds.item(conn, "staff", "E100")
        ro_account = service.account(conn, "ro")
    assert staff is not None
    assert staff["role"] == "associate"
    assert ro_account is not None
    assert ro_account.role is Role.READ_ONLY
    assert "Revoke" not in ro.get("/admin/fleet").text


def test_signed_out_browsers_go_to_the_sign_in_page(console: CentralHarness) -> None:
    anonymous = Console(console)
    for method, path, _ in routes.GUARDED:
        answer = (anonymous.get(_fill(path), allow_redirects=False) if method == "GET"
                  else anonymous.post(_fill(path), {}, csrf=False))  # fmt: skip
        assert answer.status_code == 303, (method, path)
        assert answer.headers["location"] == "/admin/login"


def test_a_missing_or_refused_console_address_is_a_console_page(console: CentralHarness) -> None:
    """Not the API's problem document in English: the console's page, in its language, with
    its navigation and the way back."""
    hq = signed_in(console, "hq")
    for path in ("/admin/campaigns/nope", "/admin/promotions/nope", "/admin/sales/nope",
                 "/admin/nope"):  # fmt: skip
        missing = hq.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in missing.text
        assert 'href="/admin/fleet"' in missing.text
        assert 'href="/admin/">Back to the console</a>' in missing.text
    assert "<h1>未找到</h1>" in hq.get("/admin/campaigns/nope?lang=zh_CN").text
    refused = hq.get("/admin/audit", params={"before": "abc"})
    assert refused.status_code == 422
    assert "<h1>Not done</h1>" in refused.text
    assert "before" in refused.text  # the service's own words name the field
    # Signed out: the sign-in page, as for any console address.
    anonymous = Console(console).get("/admin/nope", allow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/admin/login"
    # The API keeps its problem documents.
    api = console.session.get(console.url + "/v1/nope", timeout=30)
    assert api.status_code == 404
    assert api.json()["reason"] == "not_found"
    schema = console.op("POST", "/v1/admin/enrolment-codes", json={"store_id": "not one!"})
    assert schema.status_code == 422
    assert schema.json()["reason"] == "validation"


def test_a_missing_console_address_while_the_database_is_away_is_not_a_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's page needs the session, which needs the database: without it the
    plain answer (404 here), not a crash inside the error handler."""
    handle, harness = make_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        add_account(harness, "hq", Role.HQ_ADMIN, [])
        hq = signed_in(harness, "hq")

        def away() -> Any:
            raise OperationalError("BEGIN", {}, Exception("the database is away"))

        monkeypatch.setattr(handle.app.state.central, "tx", away)
        answer = hq.get("/admin/nope")
        assert answer.status_code == 404
        assert answer.json()["reason"] == "not_found"
    finally:
        harness.session.close()
        handle.stop()
        harness.engine.dispose()


# ------------------------------------------------------------------ CSRF, cookies, headers
def test_every_form_needs_the_session_csrf_token(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")
    other = signed_in(console, "mgr")
    new = {"login": "eve", "name": "Eve", "role": "hq_admin", "password": PASSWORD}
    assert hq.post("/admin/accounts", new, csrf=False).status_code == 403
    assert hq.post("/admin/accounts", {**new, "csrf": other.csrf}, csrf=False).status_code == 403
    assert hq.post("/admin/logout", {}, csrf=False).status_code == 403
    with console.engine.connect() as conn:
        assert service.account(conn, "eve") is None
    assert hq.post("/admin/accounts", new).status_code == 303
    with console.engine.connect() as conn:
        assert service.account(conn, "eve") is not None


def test_the_sign_in_form_carries_its_own_token(console: CentralHarness) -> None:
    browser = Console(console)
    browser.get("/admin/login")
    forged = browser.http.post(f"{console.url}/admin/login", allow_redirects=False, timeout=30,
                               data={"login": "hq", "password": PASSWORD, "csrf": "x"})  # fmt: skip
    assert forged.status_code == 403
    assert "admin_session" not in forged.cookies


def test_session_cookie_is_httponly_strict_and_scoped(console: CentralHarness) -> None:
    answer = Console(console).sign_in("hq")
    cookie = answer.headers["set-cookie"].lower()
    assert "admin_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/admin/" in cookie
    assert "secure" not in cookie  # plain-HTTP loopback: a Secure cookie would never return


def test_session_cookie_is_secure_over_https() -> None:
    from fastapi import Request, Response

    from central.web import set_session_cookie

    request = Request({"type": "http", "scheme": "https", "path": "/", "headers": [],
                       "server": ("example", 443), "query_string": b""})  # fmt: skip
    answer = Response()
    set_session_cookie(answer, request, "admin_session", "t", path="/admin/", max_age_s=60)
    assert "; secure" in answer.headers["set-cookie"].lower()


def test_pages_forbid_scripts_frames_and_outside_resources(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")
    for path in ("/admin/login", "/admin/fleet", "/admin/staff", "/admin/accounts",
                 "/admin/audit", "/admin/promotions", "/admin/coupons", "/admin/campaigns",
                 "/admin/preview", "/admin/members", "/admin/sales"):  # fmt: skip
        answer = hq.get(path)
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "script-src" not in policy
        assert answer.headers["cache-control"] == "no-store"
        assert "<script" not in answer.text
        assert "http://" not in answer.text.replace(console.url, "")


def test_page_values_are_escaped(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")
    made = hq.post("/admin/staff", {"staff_id": "E900", "name": "<b>x</b>\"'",
                                    "role": "associate", "pin": "4826"})  # fmt: skip
    assert made.status_code == 303
    page = hq.get("/admin/staff").text
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;&quot;&#x27;" in page


# ------------------------------------------------------------------ sign-in, lockout, sessions
def test_wrong_passwords_lock_the_account_then_the_right_one_is_refused(
    console: CentralHarness,
) -> None:
    browser = Console(console)
    for _ in range(service.MAX_FAILURES - 1):
        assert browser.sign_in("mgr", "wrong password!").status_code == 401
    locked = browser.sign_in("mgr", "wrong password!")
    assert locked.status_code == 401
    assert "locked for 15 minutes" in locked.text
    assert browser.sign_in("mgr").status_code == 401  # the right password, while locked
    assert Console(console).sign_in("hq").status_code == 303  # other accounts unaffected
    assert [(e.actor, e.action, e.target) for e in audit(console)][-1] == (
        "system", "account.locked", "mgr")  # fmt: skip
    # An HQ admin setting a new password unlocks it.
    hq = signed_in(console, "hq")
    assert hq.post("/admin/accounts/mgr/password", {"password": "a new long password"}
                   ).status_code == 303  # fmt: skip
    assert Console(console).sign_in("mgr", "a new long password").status_code == 303


def test_too_many_failures_from_one_address_are_throttled(console: CentralHarness) -> None:
    browser = Console(console)
    # Different logins each time: the per-account lock alone would never trip.
    for n in range(10):
        assert browser.sign_in(f"nobody{n}", "guess guess guess").status_code == 401
    throttled = browser.sign_in("hq")
    assert throttled.status_code == 429
    assert "wait two minutes" in throttled.text


def test_unknown_and_wrong_passwords_get_the_same_answer(console: CentralHarness) -> None:
    unknown = Console(console).sign_in("nobody", "guess guess guess")
    wrong = Console(console).sign_in("hq", "guess guess guess")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong login or password." in unknown.text
    assert "Wrong login or password." in wrong.text


def test_idle_and_old_sessions_end_and_sign_out_ends_one(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")
    with console.engine.begin() as conn:
        conn.execute(update(admin_sessions).values(seen_ms=now_ms() - service.IDLE_MS - 1))
    assert hq.get("/admin/fleet", allow_redirects=False).headers["location"] == "/admin/login"
    hq = signed_in(console, "hq")
    with console.engine.begin() as conn:
        conn.execute(update(admin_sessions).values(expires_ms=now_ms() - 1))
    assert hq.get("/admin/fleet", allow_redirects=False).status_code == 303
    hq = signed_in(console, "hq")
    cookie = hq.http.cookies.get("admin_session")
    assert hq.post("/admin/logout", {}).status_code == 303
    replay = requests.get(f"{console.url}/admin/fleet", cookies={"admin_session": cookie or ""},
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert replay.headers["location"] == "/admin/login"
    with console.engine.connect() as conn:
        assert conn.execute(select(admin_sessions)).all() == []


def test_session_rules_with_a_clock(console: CentralHarness) -> None:
    start = 1_800_000_000_000
    with console.engine.begin() as conn:
        token = service.sign_in(conn, "ro", PASSWORD, start).token
        assert token is not None
        # Used every 20 minutes it stays alive until its absolute end, then ends.
        at = start
        while at + 20 * 60_000 < start + service.ABSOLUTE_MS:
            at += 20 * 60_000
            assert service.session_of(conn, token, at) is not None, at
        assert service.session_of(conn, token, start + service.ABSOLUTE_MS) is None
        # Locked accounts open again after the lock.
        for _ in range(service.MAX_FAILURES):
            assert service.sign_in(conn, "mkt", "nope nope nope", start).token is None
        assert service.sign_in(conn, "mkt", PASSWORD, start + 1).refusal == "locked"
        assert service.sign_in(conn, "mkt", PASSWORD, start + service.LOCK_MS).token


def test_a_deactivated_account_loses_its_session(console: CentralHarness) -> None:
    ro = signed_in(console, "ro")
    hq = signed_in(console, "hq")
    answer = hq.post("/admin/accounts/ro", {"name": "RO", "role": "read_only", "active": "0"})
    assert answer.status_code == 303
    assert ro.get("/admin/fleet", allow_redirects=False).status_code == 303
    assert Console(console).sign_in("ro").status_code == 401


# ------------------------------------------------------------------ accounts
def test_accounts_are_created_changed_and_audited_without_secrets(
    console: CentralHarness,
) -> None:
    hq = signed_in(console, "hq")
    made = hq.post("/admin/accounts", {"login": "Zhang.Wei", "name": "张伟",
                                       "role": "store_manager", "stores": "S002, S003",
                                       "password": PASSWORD})  # fmt: skip
    assert made.status_code == 303
    assert "Account saved." in hq.get(made.headers["location"]).text
    assert hq.post("/admin/accounts/zhang.wei", {"name": "张伟", "role": "store_manager",
                                                 "stores": "S002", "active": "1"}
                   ).status_code == 303  # fmt: skip
    weak = hq.post("/admin/accounts", {"login": "x1", "name": "X", "role": "read_only",
                                       "password": "short"})  # fmt: skip
    assert weak.status_code == 422
    assert "at least 12 characters" in weak.text
    no_store = hq.post("/admin/accounts", {"login": "x2", "name": "X", "role": "store_manager",
                                           "password": PASSWORD})  # fmt: skip
    assert no_store.status_code == 422
    myself = hq.post("/admin/accounts/hq", {"name": "HQ", "role": "read_only", "active": "1"})
    assert myself.status_code == 422
    entries = [e for e in audit(console) if e.actor == "hq"]
    assert [(e.action, e.target) for e in entries] == [
        ("account.create", "zhang.wei"), ("account.update", "zhang.wei")]  # fmt: skip
    assert json.loads(entries[1].before)["stores"] == ["S002", "S003"]
    assert json.loads(entries[1].after)["stores"] == ["S002"]
    assert entries[0].source == "127.0.0.1"
    with console.engine.connect() as conn:
        stored = conn.execute(select(admin_audit.c.before, admin_audit.c.after)).all()
        hashes = conn.execute(select(admin_accounts.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2") for h in hashes)
    assert not any("$argon2" in (b or "") + (a or "") for b, a in stored)
    page = hq.get("/admin/audit").text
    assert "account.update" in page
    assert "zhang.wei" in page


def test_cli_creates_the_first_hq_admin_without_a_password_argument(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    env = {"CENTRAL_SECRET_KEY": "Y2VudHJhbC10ZXN0LXNlY3JldC1rZXktMzItYnl0ZXM"}
    made = runner.invoke(
        central_cli,
        ["admin", "create-operator", "--db", db, "--login", "boss", "--name", "Boss"],
        env={**env, "CENTRAL_ADMIN_PASSWORD": PASSWORD},
    )
    assert made.exit_code == 0, made.output
    asked = runner.invoke(
        central_cli,
        ["admin", "create-operator", "--db", db, "--login", "sm", "--name", "SM",
         "--role", "store_manager", "--store", "S001"],
        env=env, input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert asked.exit_code == 0, asked.output
    assert PASSWORD not in asked.output
    short = runner.invoke(
        central_cli,
        ["admin", "create-operator", "--db", db, "--login", "sx", "--name", "S"],
        env={**env, "CENTRAL_ADMIN_PASSWORD": "short"},
    )
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    from central.db import create_db_engine

    engine = create_db_engine(db, pool=False)
    with engine.begin() as conn:
        assert service.sign_in(conn, "boss", PASSWORD, now_ms()).token
        sm = service.account(conn, "sm")
    engine.dispose()
    assert sm is not None
    assert (sm.role, sm.stores) == (Role.STORE_MANAGER, frozenset({"S001"}))


# ------------------------------------------------------------------ fleet
def _fleet_row(browser: Console, kiosk_id: str) -> str:
    found = re.search(rf'<tr data-kiosk="{kiosk_id}">.*?</tr>', browser.get("/admin/fleet").text)
    assert found is not None
    return found[0]


def test_store_manager_sees_and_revokes_only_their_stores_kiosks(console: CentralHarness) -> None:
    mine = console.enrol("S001", name="Kiosk A")
    theirs = console.enrol("S002", name="Kiosk B")
    mgr = signed_in(console, "mgr")
    page = mgr.get("/admin/fleet").text
    assert mine.kiosk_id in page
    assert theirs.kiosk_id not in page
    online = {"app_version": "1.0", "queue_depth": 0, "connectivity": "online"}
    console.client(mine).call("POST", "/v1/heartbeat", body=online)
    assert "online" in _fleet_row(mgr, mine.kiosk_id)
    assert mgr.get(f"/admin/fleet/{theirs.kiosk_id}/revoke").status_code == 403
    assert mgr.post(f"/admin/fleet/{theirs.kiosk_id}/revoke", {}).status_code == 403
    assert mgr.post("/admin/fleet/codes", {"store_id": "S002"}).status_code == 403
    confirm = mgr.get(f"/admin/fleet/{mine.kiosk_id}/revoke")
    assert "Revoke this kiosk?" in confirm.text
    done = mgr.post(f"/admin/fleet/{mine.kiosk_id}/revoke", {})
    assert done.headers["location"] == "/admin/fleet?done=kiosk_revoked"
    with pytest.raises(AuthRefused, match="revoked"):
        beat(console.client(mine))
    # Its last heartbeat said "online"; revoked, it cannot report again, so that is not shown.
    revoked_row = _fleet_row(mgr, mine.kiosk_id)
    assert "Revoked" in revoked_row
    assert "online" not in revoked_row
    beat(console.client(theirs))
    entry = audit(console)[-1]
    assert (entry.actor, entry.action, entry.target) == ("mgr", "kiosk.revoke", mine.kiosk_id)
    assert json.loads(entry.before)["revoked"] is False
    assert json.loads(entry.after)["revoked"] is True


def test_fleet_shows_version_heartbeat_backlog_alerts_and_health(console: CentralHarness) -> None:
    kiosk = console.enrol("S001", name="Kiosk A")
    client = console.client(kiosk)
    beat(client, version="2.3.1", backlog=7)
    body = {
        "live": {**live(), "printer": "no_paper"},
        "alerts": [alert(str(uuid.uuid4()), 1, "raised")],
    }
    client.call("POST", "/v1/attendant/report", body=body)
    row = next(r for r in _fleet(console) if r.kiosk_id == kiosk.kiosk_id)
    assert (row.version, row.backlog, row.open_alerts, row.printer, row.camera) == (
        "2.3.1", 7, 1, "no_paper", "ok")  # fmt: skip
    assert row.last_heartbeat is not None
    page = signed_in(console, "ro").get("/admin/fleet").text
    assert "2.3.1" in page
    assert "no_paper" in page
    assert "Sync problems" not in page
    # A kiosk older than its service reports what it cannot read from the feeds.
    refused = "promotions lucky-1 refused: unknown kind 'lucky_draw': one of percent_off"
    beat(client, version="2.3.1", errors=[refused])
    row = next(r for r in _fleet(console) if r.kiosk_id == kiosk.kiosk_id)
    assert row.problems == (refused,)
    page = html.unescape(signed_in(console, "ro").get("/admin/fleet?lang=zh_CN").text)
    assert f"同步问题：1 个</summary><ul><li>{refused}</li>" in page


def _fleet(central: CentralHarness) -> list[service.FleetRow]:
    with central.engine.connect() as conn:
        who = service.account(conn, "hq")
        assert who is not None
        return service.fleet(conn, who, now_ms())


def test_an_enrolment_code_made_in_the_console_enrols_a_kiosk(console: CentralHarness) -> None:
    mgr = signed_in(console, "mgr")
    answer = mgr.post("/admin/fleet/codes", {"store_id": "S001", "ttl_hours": "2"})
    assert answer.status_code == 200
    code = re.search(r'id="code">([A-Z0-9-]+)<', answer.text)
    assert code, answer.text
    enrolled = console.session.post(f"{console.url}/v1/enrol", timeout=30,
                                    json={"code": code[1], "name": "New"})  # fmt: skip
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.json()["store_id"] == "S001"
    entry = audit(console)[-1]
    assert (entry.action, entry.target) == ("enrolment_code.create", "S001")
    assert code[1] not in (entry.after or "")


def test_bearer_tokens_keep_working_for_scripts(console: CentralHarness) -> None:
    assert console.op("GET", "/v1/admin/fleet").status_code == 200
    assert console.session.get(f"{console.url}/v1/admin/fleet", timeout=30).status_code == 401


# ------------------------------------------------------------------ staff
def test_staff_added_changed_and_deactivated_reach_the_staff_feed(
    console: CentralHarness,
) -> None:
    mgr = signed_in(console, "mgr")
    weak = mgr.post("/admin/staff", {"staff_id": "E500", "name": "Wang", "role": "associate",
                                     "pin": "12a"})  # fmt: skip
    assert weak.status_code == 422
    assert "at least 4 digits" in weak.text
    added = mgr.post("/admin/staff", {"staff_id": "E500", "name": "Wang", "role": "associate",
                                      "pin": "8642"})  # fmt: skip
    assert added.status_code == 303
    again = mgr.post("/admin/staff", {"staff_id": "E500", "name": "W", "role": "associate",
                                      "pin": "8642"})  # fmt: skip
    assert again.status_code == 422
    assert mgr.post("/admin/staff/E500", {"role": "supervisor", "active": "1"}).status_code == 303
    assert mgr.post("/admin/staff/E500/pin", {"pin": "97531"}).status_code == 303
    with console.engine.connect() as conn:
        record = feeds.item(conn, "staff", "E500")
    assert record is not None
    assert (record["name"], record["role"], record["active"]) == ("Wang", "supervisor", True)
    assert PasswordHasher().verify(record["pin_hash"], "97531")
    # The kiosks' pull carries it, and the attendant console takes the new PIN.
    with console.engine.connect() as conn:
        pulled = feeds.page(conn, "staff", "", 100)
    assert any(i.key == "E500" for i in pulled.items)
    with console.engine.begin() as conn:
        attendant.sign_in(conn, "S001", "E500", "97531", now_ms())
    assert mgr.post("/admin/staff/E500", {"role": "supervisor", "active": "0"}).status_code == 303
    with console.engine.begin() as conn, pytest.raises(Unauthorized):
        attendant.sign_in(conn, "S001", "E500", "97531", now_ms())
    actions = [(e.action, e.target) for e in audit(console) if e.actor == "mgr"]
    assert actions == [("staff.create", "E500"), ("staff.update", "E500"),
                       ("staff.pin", "E500"), ("staff.update", "E500")]  # fmt: skip
    assert not any("$argon2" in (e.before or "") + (e.after or "") for e in audit(console))
    page = mgr.get("/admin/staff").text
    assert "Wang" in page
    assert "Inactive" in page


def test_staff_have_a_home_store_that_scopes_a_store_managers_staff_rights(
    console: CentralHarness,
) -> None:
    hq, mgr = signed_in(console, "hq"), signed_in(console, "mgr")  # mgr runs S001
    new = {"name": "Li", "role": "associate", "pin": "8642"}
    assert (
        hq.post("/admin/staff", {**new, "staff_id": "E601", "home_store": "S002"}).status_code
        == 303
    )
    assert (
        hq.post("/admin/staff", {**new, "staff_id": "E602", "home_store": "S 1"}).status_code == 422
    )
    assert (
        mgr.post("/admin/staff", {**new, "staff_id": "E603", "home_store": "S001"}).status_code
        == 303
    )
    # Not into another store, and not another store's staff member (not even their PIN).
    assert (
        mgr.post("/admin/staff", {**new, "staff_id": "E604", "home_store": "S002"}).status_code
        == 403
    )
    assert mgr.post("/admin/staff/E601", {"role": "manager", "active": "1"}).status_code == 403
    assert mgr.post("/admin/staff/E601/pin", {"pin": "97531"}).status_code == 403
    assert mgr.post("/admin/staff/E603", {"role": "supervisor", "active": "1",
                                          "home_store": "S002"}).status_code == 403  # fmt: skip
    # HQ moves E601 to chain-wide: the store's manager may now change them; a form without
    # the field (the activate / deactivate button) leaves the home store as it is.
    assert hq.post("/admin/staff/E601", {"role": "associate", "active": "1",
                                         "home_store": ""}).status_code == 303  # fmt: skip
    assert mgr.post("/admin/staff/E601", {"role": "supervisor", "active": "0"}).status_code == 303
    with console.engine.connect() as conn:
        records = {k: feeds.item(conn, "staff", k) for k in ("E601", "E603", "E604")}
        rows = {r.staff_id: r.home_store for r in service.staff(conn)}
        theirs = [r.staff_id for r in service.staff(conn, frozenset({"S001"}))]
    assert records["E603"] is not None
    assert records["E603"]["home_store"] == "S001"
    assert records["E601"] is not None
    assert "home_store" not in records["E601"]  # chain-wide: old kiosks see no new field
    assert (records["E601"]["role"], records["E601"]["active"]) == ("supervisor", False)
    assert records["E604"] is None
    assert (rows["E601"], rows["E603"], rows["E100"]) == (None, "S001", None)
    assert "E603" in theirs
    # In the lists: HQ sees every home store, the manager theirs and the chain-wide staff.
    assert hq.post("/admin/staff/E603", {"role": "associate", "active": "1",
                                         "home_store": "S009"}).status_code == 303  # fmt: skip
    assert 'value="S009"' in hq.get("/admin/staff").text
    listed = mgr.get("/admin/staff?lang=zh_CN").text
    assert 'data-staff="E603"' not in listed
    assert 'data-staff="E601"' in listed
    assert "所属门店" in listed
    [moved] = [e for e in audit(console) if e.target == "E603" and e.actor == "hq"]
    assert (json.loads(moved.before)["home_store"], json.loads(moved.after)["home_store"]) == (
        "S001", "S009")  # fmt: skip


def test_permissions_table_covers_every_role() -> None:
    assert set(service.PERMISSIONS) == set(Role)
    assert service.PERMISSIONS[Role.HQ_ADMIN] == frozenset(Permission)
    assert not any(p.name.startswith("MANAGE") for p in service.PERMISSIONS[Role.READ_ONLY])


# ------------------------------------------------------------------ catalog
WATER = "06935412001014"
HEADER = "gtin,name_en,tax_class,price,currency"


def test_catalog_search_edit_import_and_recall(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    console.load_catalog(demo_products)
    ro = signed_in(console, "ro")
    found = ro.get("/admin/catalog", params={"q": "农夫山泉"}).text
    assert f'data-gtin="{WATER}"' in found
    assert "Recall" not in ro.get(f"/admin/catalog/{WATER}").text
    hq = signed_in(console, "hq")
    # An edit is checked as a row of the kiosk's CSV: a decimal comma is refused.
    comma = hq.post(f"/admin/catalog/{WATER}", {"price": "2,50", "name_en": "Water"})
    assert comma.status_code == 422
    assert "2,50" in comma.text
    assert hq.post(f"/admin/catalog/{WATER}", {"price": "2.50"}).status_code == 303
    # Every bad row is listed and nothing is imported.
    bad = "\n".join(
        [
            HEADER,
            "6901234567891,Typo,standard,1.00,CNY",
            "6901234567892,Good,standard,1.00,CNY",
            "6901234567892,Twice,luxury,x,CNY",
        ]
    )
    refused = hq.post("/admin/catalog/import", {"csv": bad})
    assert refused.status_code == 422
    assert "row 2:" in refused.text
    assert "row 4:" in refused.text
    good = "\n".join([HEADER, "6901234567892,Good,standard,1.00,CNY"])
    assert hq.post("/admin/catalog/import", {"csv": good}).status_code == 303
    recall = hq.post(f"/admin/catalog/{WATER}/recall", {"lots": "L2311A|L2311B"})
    assert recall.status_code == 303
    with console.engine.connect() as conn:
        water = feeds.item(conn, "catalog", WATER)
        imported = feeds.item(conn, "catalog", "06901234567892")
        pulled = feeds.page(conn, "catalog", "", 1000)
    assert water is not None
    assert imported is not None
    assert (water["price_minor"], water["recalled"], water["recalled_lots"]) == (
        250,
        False,
        ["L2311A", "L2311B"],
    )
    assert water["names"]["zh_CN"] == "农夫山泉 饮用天然水 550ml"  # untouched by the edit
    # The kiosks' next catalog pull carries the recall.
    pulled_water = next(i for i in pulled.items if i.key == WATER)
    assert pulled_water.data is not None
    assert pulled_water.data["recalled_lots"] == ["L2311A", "L2311B"]
    actions = [(e.action, e.target) for e in audit(console) if e.actor == "hq"]
    assert actions == [
        ("product.update", WATER),
        ("catalog.import", "1 rows"),
        ("product.recall", WATER),
    ]
    assert json.loads(audit(console)[-1].after)["recalled_lots"] == ["L2311A", "L2311B"]


APPLES, BANANAS = "02210001000000", "02210002000009"  # PLU 4131 and 4011 in the demo


def test_a_products_plu_and_picture_are_checked_as_an_import_checks_them(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    console.load_catalog(demo_products)
    hq = signed_in(console, "hq")
    page = hq.get(f"/admin/catalog/{APPLES}").text
    assert 'id="f_plu" value="4131"' in page
    assert 'id="f_picture" value="fuji-apples.png"' in page
    refusals = {
        "plu": ("2999", "plu must be an IFPS PLU, 3000-4999"),
        "picture": ("../../etc/passwd", "picture must be a file name like"),
    }
    for field, (value, words) in refusals.items():
        refused = hq.post(f"/admin/catalog/{APPLES}", {field: value})
        assert refused.status_code == 422
        assert words in html.unescape(refused.text)
    # One product per PLU: the bananas' is taken, until the bananas give it up.
    taken = hq.post(f"/admin/catalog/{APPLES}", {"plu": "4011"})
    assert taken.status_code == 422
    assert f"plu 4011 is already used by {BANANAS}" in taken.text
    assert hq.post(f"/admin/catalog/{BANANAS}", {"plu": ""}).status_code == 303
    saved = {"plu": "94011", "picture": "organic-bananas.svg"}
    assert hq.post(f"/admin/catalog/{APPLES}", saved).status_code == 303
    assert hq.post(f"/admin/catalog/{BANANAS}", {"plu": "4011"}).status_code == 303
    with console.engine.connect() as conn:
        apples = feeds.item(conn, "catalog", APPLES)
        bananas = feeds.item(conn, "catalog", BANANAS)
    assert apples is not None
    assert bananas is not None
    assert (apples["plu"], apples["picture"], bananas["plu"]) == ("94011", "organic-bananas.svg",
                                                                  "4011")  # fmt: skip
    changes = [json.loads(e.after)["plu"] for e in audit(console) if e.target == APPLES]
    assert changes == ["94011"]


WATER_CASE = "16935412001011"  # water's outer-pack code (an extra code) in the demo
TEA, TEA_CASE = "06901234570014", "06901234570021"
CODES_HEADER = "gtin,name_en,tax_class,price,currency,unit,plu,extra_gtins"


def test_an_import_or_edit_may_not_give_a_product_another_products_code_or_plu(
    console_on_both: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    """At the kiosk an extra code is looked up by the code alone, written insert-or-replace:
    a file giving tea water's case code rang the case up as tea. Every clash with the rest
    of the catalog is listed in the page's language, and nothing is written."""
    console = console_on_both
    console.load_catalog(demo_products)
    hq = signed_in(console, "hq")
    clashing = "\n".join(
        [
            CODES_HEADER,
            "2210077000003,Gala apples,reduced,9.80,CNY,kg,4131,",  # the Fuji apples' PLU
            "6901234570014,Tea,standard,1.00,CNY,each,,6935412001014",  # water's GTIN
            f"{WATER_CASE},Water case,reduced,44.00,CNY,each,,",  # water's case code, as a GTIN
            "6901234570021,Tea case,standard,20.00,CNY,each,,16930847001018",  # another's case
            "6901234570021,Tea case,standard,20.00,CNY,each,,",  # twice in the file
            "2210002000009,Bananas,reduced,6.98,CNY,kg,4011,",  # their own PLU: fine
        ]
    )
    refused = hq.post("/admin/catalog/import?lang=zh_CN", {"csv": clashing})
    assert refused.status_code == 422
    said = html.unescape(refused.text)
    assert f"第 2 行：PLU 4131 已用于商品 {APPLES}，请先在那里清除。" in said
    assert f"第 3 行：{WATER} 是另一件商品的商品编码：一个编码只能对应一件商品。" in said
    assert f"第 4 行：{WATER_CASE} 已是商品 {WATER} 的附加编码，请先在那里删除。" in said
    assert "第 5 行：16930847001018 已是商品 06930847001011 的附加编码，请先在那里删除。" in said
    assert "第 6 行：此商品编码已在第 5 行使用。" in said  # the file's own check, listed with them
    assert "第 7 行" not in said
    with console.engine.connect() as conn:
        assert feeds.item(conn, "catalog", TEA) is None
        water = feeds.item(conn, "catalog", WATER)
    assert water is not None
    assert water["extra_gtins"] == [WATER_CASE]
    assert not [e for e in audit(console) if e.action == "catalog.import"]
    # A code moves when the file brings its old holder without it.
    moved = "\n".join(
        [
            CODES_HEADER,
            "6935412001014,Nongfu Spring 550ml,reduced,2.00,CNY,each,,",
            f"6901234570021,Nongfu Spring 550ml x24,reduced,44.00,CNY,each,,{WATER_CASE}",
            "2210001000000,Fuji apples,reduced,12.80,CNY,kg,4131,",
        ]
    )
    assert hq.post("/admin/catalog/import", {"csv": moved}).status_code == 303
    with console.engine.connect() as conn:
        water, case = feeds.item(conn, "catalog", WATER), feeds.item(conn, "catalog", TEA_CASE)
    assert water is not None
    assert case is not None
    assert (water["extra_gtins"], case["extra_gtins"]) == ([], [WATER_CASE])
    # The product form checks the same (its extra codes are a field of the CSV row).
    taken = hq.post(f"/admin/catalog/{APPLES}?lang=ko", {"extra_gtins": WATER_CASE})
    assert taken.status_code == 422
    assert (
        f"{WATER_CASE}은(는) 이미 상품 {TEA_CASE}의 추가 번호입니다. 먼저 그곳에서 지우세요."
        in html.unescape(taken.text)
    )
    gtin = hq.post(f"/admin/catalog/{APPLES}?lang=en", {"extra_gtins": WATER})
    assert gtin.status_code == 422
    assert f"{WATER} is another product's GTIN" in html.unescape(gtin.text)
    assert hq.post(f"/admin/catalog/{TEA_CASE}", {"price": "45.00"}).status_code == 303
    with console.engine.connect() as conn:
        apples = feeds.item(conn, "catalog", APPLES)
    assert apples is not None
    assert apples["extra_gtins"] == []


def test_a_catalog_file_is_uploaded_with_every_bad_row_listed(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")

    def upload(content: bytes, *, csrf: str | None = None) -> requests.Response:
        return hq.http.post(f"{console.url}/admin/catalog/import?lang=en",
                            data={"csrf": hq.csrf if csrf is None else csrf},
                            files={"file": ("商品目录.csv", content, "text/csv")},
                            allow_redirects=False, timeout=30)  # fmt: skip

    rows = [f"690123456{n:03d}" for n in range(100)]  # GTIN-13 bodies, the digit added
    good = "\r\n".join(
        ["gtin,name_zh_CN,name_en,tax_class,price,currency"]
        + [
            f"{body}{check_digit(body)},薯片 {n},Chips {n},standard,1.00,CNY"
            for n, body in enumerate(rows)
        ]
    ).encode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    bad = good.replace(b",1.00,CNY\r\n", b",1,5,CNY\r\n", 2)
    refused = upload(bad)
    assert refused.status_code == 422
    assert "row 2:" in refused.text
    assert "row 3:" in refused.text
    assert upload(good, csrf="").status_code == 403
    assert upload(good, csrf=signed_in(console, "mgr").csrf).status_code == 403
    not_utf8 = upload("gtin,name_zh_CN\n6901234561002,薯片".encode("gb18030"))
    assert not_utf8.status_code == 422
    assert "not UTF-8" in not_utf8.text
    header_only = upload(b"gtin,name_zh_CN,name_en,tax_class,price,currency\r\n")
    assert header_only.status_code == 422
    assert "a header but no products: nothing was imported" in header_only.text
    assert not [e for e in audit(console) if e.action == "catalog.import"]
    too_large = upload(good * (routes.MAX_CSV // len(good) + 1))
    assert too_large.status_code == 413
    assert "larger than 4 MB" in too_large.text
    with console.engine.connect() as conn:
        assert feeds.page(conn, "catalog", "", 100).items == []
    # More than a form field holds (4 KB): the upload is read whole.
    assert len(good) > MAX_FIELD
    assert upload(good).status_code == 303
    with console.engine.connect() as conn:
        assert len(feeds.page(conn, "catalog", "", 1000).items) == len(rows)
    entry = audit(console)[-1]
    assert (entry.actor, entry.action) == ("hq", "catalog.import")
    assert json.loads(entry.after) == {"rows": 100, "changed": 100, "file": "商品目录.csv"}
    assert signed_in(console, "ro").post("/admin/catalog/import", {"csv": ""}).status_code == 403


def test_a_lot_recalled_in_the_console_is_refused_by_a_kiosk_after_its_next_pull(
    console: CentralHarness, demo_products: list[dict[str, Any]], tmp_path: Path
) -> None:
    console.load_catalog(demo_products)
    kiosk = KioskStore.open(tmp_path / "kiosk.db")
    try:
        enroll(kiosk, console.url, console.enrolment_code("S001"), name="till 1")
        puller = FeedPuller(kiosk, console.client(load_credential(kiosk)))
        puller.pull("catalog")
        setup = load_setup(kiosk)
        checkout = Checkout(kiosk, setup.identity, setup.policy, FixedClock(), IdFactory())
        checkout.scan(f"(01){WATER}(10)L2311A")
        hq = signed_in(console, "hq")
        assert hq.post(f"/admin/catalog/{WATER}/recall", {"lots": "L2311A"}).status_code == 303
        assert puller.pull("catalog") == 1
        with pytest.raises(ItemRefused) as refused:
            checkout.scan(f"(01){WATER}(10)L2311A")
        assert refused.value.reason is Reason.RECALLED
        checkout.scan(f"(01){WATER}(10)L2312C")  # another lot still sells
    finally:
        kiosk.close()


def test_every_language_has_every_word_and_is_served(console: CentralHarness) -> None:
    from central.admin import pages

    assert set(pages.TEXTS) == set(pages.LANGUAGES)
    for lang in pages.LANGUAGES:
        assert set(pages.TEXTS[lang]) == set(pages.TEXTS["en"]), lang
    hq = signed_in(console, "hq")
    assert "<h1>기기</h1>" in hq.get("/admin/fleet?lang=ko").text
    assert '<html lang="ko">' in hq.get("/admin/staff").text  # the choice is remembered
    assert '<html lang="zh-CN">' in hq.get("/admin/fleet?lang=zh_CN").text


# ------------------------------------------------------------------ promotions and coupons
PROMOTION = {"promotion_id": "water-20", "name": "Water 20% off", "kind": "percent_off",
             "currency": "CNY", "gtins": WATER, "percent": "20", "campaign_id": "xmas-2026",
             "starts_at": "2027-12-01", "ends_at": "2027-12-31"}  # fmt: skip


def test_promotions_are_checked_as_the_kiosks_check_them_scheduled_ended_and_audited(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    console.load_catalog(demo_products)
    mkt = signed_in(console, "mkt")
    # A promotion names an existing campaign: a typo would start a campaign of its own.
    assert mkt.post("/admin/promotions", PROMOTION).status_code == 422
    campaign = {"campaign_id": "xmas-2026", "name": "Christmas", "season": "winter",
                "starts_at": "2027-12-01", "ends_at": "2027-12-31"}  # fmt: skip
    assert mkt.post("/admin/campaigns", campaign).status_code == 303
    # The kiosk's own CSV parser refuses a decimal comma and a kind without its terms.
    comma = mkt.post("/admin/promotions", {**PROMOTION, "percent": "2,5"})
    assert comma.status_code == 422
    assert "&#x27;2,5&#x27; is not a percentage" in comma.text
    missing = mkt.post("/admin/promotions", {**PROMOTION, "kind": "multi_buy"})
    assert missing.status_code == 422
    assert "a multi_buy promotion is missing its terms" in missing.text
    made = mkt.post("/admin/promotions", {**PROMOTION, "name_en": "<b>Water</b>"})
    assert made.status_code == 303
    assert "&lt;b&gt;Water&lt;/b&gt;" in mkt.get("/admin/promotions/water-20").text
    assert made.headers["location"] == "/admin/promotions/water-20?done=saved"
    assert mkt.post("/admin/promotions", PROMOTION).status_code == 422  # the id is taken
    edited = mkt.post("/admin/promotions/water-20", {**PROMOTION, "percent": "25"})
    assert edited.status_code == 303
    with console.engine.connect() as conn:
        stored = offers.offer(conn, Feed.PROMOTIONS, "water-20")
    assert stored["percent_bp"] == 2500
    assert stored["starts_at"] == "2027-12-01T00:00:00+08:00"  # store-local dates
    assert stored["ends_at"] == "2028-01-01T00:00:00+08:00"  # the end date is included
    listed = mkt.get("/admin/promotions").text
    assert 'data-offer="water-20"' in listed
    assert "Scheduled" in listed  # it starts next December
    campaign_page = mkt.get("/admin/campaigns/xmas-2026").text
    assert 'data-offer="water-20"' in campaign_page
    # The campaign's typed dates are the store's days too, as the promotion's (they were
    # read as UTC: the campaign began 8 hours after its promotions).
    with console.engine.connect() as conn:
        period = offers.campaign(conn, "xmas-2026")
    assert (period["starts_at"], period["ends_at"]) == (stored["starts_at"], stored["ends_at"])
    assert 'name="utc_offset" id="c_utc_offset" value="+08:00"' in mkt.get("/admin/campaigns").text
    seoul = mkt.post("/admin/campaigns", {**campaign, "campaign_id": "xmas-kr",
                                          "utc_offset": "+09:00"})  # fmt: skip
    assert seoul.status_code == 303
    with console.engine.connect() as conn:
        assert offers.campaign(conn, "xmas-kr")["starts_at"] == "2027-12-01T00:00:00+09:00"
    odd = mkt.post("/admin/campaigns", {**campaign, "campaign_id": "x2", "utc_offset": "8"})
    assert odd.status_code == 422
    assert "is not an offset such as +08:00" in odd.text
    # Ending one that has not started withdraws it: an end before a start is no schedule.
    assert mkt.post("/admin/promotions/water-20/end", {}).headers["location"] == (
        "/admin/promotions?done=offer_withdrawn"
    )
    assert 'data-offer="water-20"' not in mkt.get("/admin/promotions").text
    running = {**PROMOTION, "promotion_id": "water-now", "starts_at": "", "ends_at": ""}
    assert mkt.post("/admin/promotions", running).status_code == 303
    assert mkt.post("/admin/promotions/water-now/end", {}).status_code == 303
    with console.engine.connect() as conn:
        ended = offers.offer(conn, Feed.PROMOTIONS, "water-now")
        pulled = [i.key for i in feeds.page(conn, "promotions", "", 100).items]
    assert ended["ends_at"] is not None
    assert offers.state_of(ended, now_ms() + 1) is offers.State.ENDED
    assert pulled == ["water-now"]  # the withdrawn one left the kiosks' feed
    assert mkt.post("/admin/promotions/water-now/end", {}).status_code == 422
    entries = [e for e in audit(console) if e.actor == "mkt"]
    assert [(e.action, e.target) for e in entries] == [
        ("campaign.create", "xmas-2026"),
        ("promotion.create", "water-20"),
        ("promotion.update", "water-20"),
        ("campaign.create", "xmas-kr"),
        ("promotion.withdraw", "water-20"),
        ("promotion.create", "water-now"),
        ("promotion.end", "water-now"),
    ]
    assert json.loads(entries[2].before)["percent_bp"] == 2000
    assert json.loads(entries[2].after)["percent_bp"] == 2500
    assert entries[4].after is None


def test_coupons_take_the_kiosks_rules(console: CentralHarness) -> None:
    hq = signed_in(console, "hq")
    coupon = {"coupon_id": "basket-10", "name": "¥10 off ¥100", "kind": "basket",
              "currency": "CNY", "amount": "10", "min_spend": "100", "offline_ok": "0"}  # fmt: skip
    both = hq.post("/admin/coupons", {**coupon, "percent": "5"})
    assert both.status_code == 422
    assert "give either an amount or a percent" in both.text
    dotted = hq.post("/admin/coupons", {**coupon, "coupon_id": "a.b"})
    assert "without dots" in dotted.text
    assert hq.post("/admin/coupons", coupon).status_code == 303
    with console.engine.connect() as conn:
        stored = offers.offer(conn, Feed.COUPONS, "basket-10")
    assert (stored["amount_minor"], stored["min_spend_minor"], stored["offline_ok"]) == (
        1000,
        10000,
        False,
    )
    # The edit form shows the stored coupon as the row it was made from.
    page = hq.get("/admin/coupons/basket-10").text
    assert 'name="min_spend" id="f_min_spend" value="100.00"' in page
    assert '<option value="0" selected>no</option>' in page


def test_store_managers_and_read_only_see_offers_but_change_none(
    console: CentralHarness,
) -> None:
    mkt = signed_in(console, "mkt")
    running = {**PROMOTION, "campaign_id": "", "starts_at": "", "ends_at": ""}
    assert mkt.post("/admin/promotions", running).status_code == 303
    for login in ("mgr", "ro"):
        browser = signed_in(console, login)
        page = browser.get("/admin/promotions/water-20")
        assert page.status_code == 200
        assert "end_now" not in page.text
        assert "<main><h1>Promotions</h1><h2>" in page.text
        assert 'action="/admin/promotions' not in browser.get("/admin/promotions").text
        for path, form in (
            ("/admin/promotions/water-20", {**running, "percent": "90"}),
            ("/admin/promotions/water-20/end", {}),
            ("/admin/promotions", {**running, "promotion_id": "sneaky"}),
            ("/admin/campaigns", {"campaign_id": "sneaky"}),
        ):
            assert browser.post(path, form).status_code == 403, (login, path)
    with console.engine.connect() as conn:
        stored = offers.offer(conn, Feed.PROMOTIONS, "water-20")
        assert [r.key for r in offers.offer_rows(conn, Feed.PROMOTIONS, now_ms())] == ["water-20"]
    assert (stored["percent_bp"], stored["ends_at"]) == (2000, None)


def test_coupon_refusals_and_sale_states_are_in_the_pages_language(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    for lang in pages.LANGUAGES:
        assert {f"coupon_{r}" for r in CouponRefusal} <= pages.TEXTS[lang].keys()
        assert {f"sale_{s}" for s in SaleStatus} <= pages.TEXTS[lang].keys()
    console.load_catalog(demo_products)
    console.load_offers()
    ro = signed_in(console, "ro")
    # One bag of Lay's (¥7.50) is ¥12.50 short of the coupon's ¥20 minimum spend.
    basket = {"gtin": LAYS, "qty": "1", "coupon": "snacks-3-off"}
    expected = {
        "zh_CN": "未达到此优惠券的最低消费。 还差 12.50 CNY",
        "ko": "이 쿠폰의 최소 구매 금액에 못 미칩니다. 12.50 CNY 더 구매",
        "en": "The basket is below this coupon's minimum spend. spend 12.50 CNY more",
    }
    for lang, words in expected.items():
        page = ro.get("/admin/preview", params={**basket, "lang": lang}).text
        assert words in html.unescape(page)


def test_the_preview_page_prices_a_basket_for_every_role_that_sees_offers(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    console.load_catalog(demo_products)
    mkt = signed_in(console, "mkt")
    running = {**PROMOTION, "campaign_id": "", "starts_at": "", "ends_at": ""}
    assert mkt.post("/admin/promotions", running).status_code == 303
    ro = signed_in(console, "ro")
    page = ro.get("/admin/preview", params={"gtin": [WATER, "123"], "qty": ["5", "1"]})
    assert page.status_code == 200
    assert 'data-discount="water-20"' in page.text
    assert '<strong id="total">' in page.text
    assert "Not sold: 123" in page.text
    assert "<form" in page.text.split("<main>")[1]  # a GET form: it changes nothing
    assert ro.get("/admin/preview", params={"gtin": WATER, "qty": "1", "at": "soon"}
                  ).status_code == 422  # fmt: skip
    # A quantity that is not a whole 1 to 99 (the field's max) is named, not priced as 1;
    # a tier that does not exist is refused, not priced as a member earning points.
    for qty in ("-2", "1.5", "100"):
        odd = ro.get("/admin/preview", params={"gtin": WATER, "qty": qty})
        assert odd.status_code == 422, qty
        assert f"quantity: &#x27;{qty}&#x27; is not a whole number of 1 to 99" in odd.text
        assert '<strong id="total">' not in odd.text
    chinese = ro.get("/admin/preview", params={"gtin": WATER, "qty": "1.5", "lang": "zh_CN"})
    assert "数量 &#x27;1.5&#x27; 不是 1 至 99 的整数。" in chinese.text
    # What it does not sell, said in the page's language by its reason (English before).
    unknown = "6901234567892"
    korean = ro.get("/admin/preview", params={"gtin": [WATER, "123", unknown], "qty": ["1"] * 3,
                                              "lang": "ko"})  # fmt: skip
    assert "판매 불가: 123: 상품 코드가 아닙니다." in korean.text
    assert f"판매 불가: {unknown}: 상품 목록에 없습니다." in korean.text
    assert 'max="99"' in page.text
    nope = ro.get("/admin/preview", params={"gtin": WATER, "qty": "1", "tier": "nope"})
    assert nope.status_code == 422
    assert "there is no member tier &#x27;nope&#x27;" in nope.text


def test_a_refusal_is_in_the_pages_language(console: CentralHarness) -> None:
    # They were the service's English words under a Chinese or Korean heading.
    hq = signed_in(console, "hq")
    weak = {"staff_id": "E500", "name": "Wang", "role": "associate", "pin": "12a"}
    assert "at least 4 digits" in hq.post("/admin/staff", weak).text
    hq.get("/admin/staff?lang=zh_CN")
    chinese = hq.post("/admin/staff", weak)
    assert chinese.status_code == 422
    assert "PIN 至少为 4 位数字。" in chinese.text
    assert "at least 4 digits" not in chinese.text
    hq.get("/admin/accounts?lang=ko")
    short = hq.post("/admin/accounts", {"login": "x1", "name": "X", "role": "read_only",
                                        "password": "short"})  # fmt: skip
    assert short.status_code == 422
    assert "비밀번호는 12자 이상입니다." in short.text
    taken = hq.post("/admin/accounts", {"login": "mgr", "name": "X", "role": "read_only",
                                        "password": PASSWORD})  # fmt: skip
    assert "로그인 이름 'mgr'은(는) 이미 사용 중입니다." in html.unescape(taken.text)
    hq.get("/admin/fleet?lang=zh_CN")
    code = hq.post("/admin/fleet/codes", {"store_id": "S001", "ttl_hours": "9999"})
    assert "注册码有效期为 1 至 720 小时。" in code.text


def test_a_validators_detail_is_in_the_pages_language(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    # The kiosk's own checks (an offer's field, a catalog row, an amount) said their
    # English under a Chinese or Korean heading.
    console.load_catalog(demo_products)
    mkt = signed_in(console, "mkt")
    campaign = {"campaign_id": "xmas-2026", "name": "Christmas", "season": "winter",
                "starts_at": "2027-12-01", "ends_at": "2027-12-31"}  # fmt: skip
    assert mkt.post("/admin/campaigns", campaign).status_code == 303
    mkt.get("/admin/promotions?lang=zh_CN")
    comma = mkt.post("/admin/promotions", {**PROMOTION, "percent": "2,5"})
    assert comma.status_code == 422
    assert "percent：“2,5”不是百分比（如 12.5）。" in html.unescape(comma.text)
    over = mkt.post("/admin/promotions", {**PROMOTION, "percent": "150"})
    assert "折扣百分比须在 0 至 100 之间。" in over.text
    day = mkt.post("/admin/promotions", {**PROMOTION, "ends_at": "2027-12-32"})
    assert "“2027-12-32”不是日期或 ISO 时间" in html.unescape(day.text)
    kind = mkt.post("/admin/promotions", {**PROMOTION, "kind": "lucky_draw"})
    assert "没有“lucky_draw”这种类型，可用的类型：percent_off, " in html.unescape(kind.text)
    rmb = mkt.post("/admin/promotions", {**PROMOTION, "currency": "RMB"})
    assert "自助收银机不支持币种“RMB”。" in html.unescape(rmb.text)
    wrong_gtin = mkt.post("/admin/promotions", {**PROMOTION, "gtins": "6901234567890"})
    assert "“6901234567890”的校验位不对（输错或读错）。" in html.unescape(wrong_gtin.text)
    backwards = {**campaign, "campaign_id": "cny", "starts_at": "2028-02-01",
                 "ends_at": "2028-01-01"}  # fmt: skip
    assert "结束时间须晚于开始时间。" in mkt.post("/admin/campaigns", backwards).text
    hq = signed_in(console, "hq")
    hq.get("/admin/catalog?lang=ko")
    price = hq.post(f"/admin/catalog/{WATER}", {"price": "2,50"})
    assert price.status_code == 422
    assert "'2,50'은(는) 금액이 아닙니다." in html.unescape(price.text)
    rows = "\r\n".join(
        [
            "gtin,name_zh_CN,tax_class,price,currency,unit",
            f"{WATER},水,standard,1.5,CNY,each",
            f"{WATER},水,standard,1.50,CNY,box",
            "6901234567890,薯片,standard,3.00,CNY,each",
            f"{WATER},水,standard,1.50,CNY,each",
        ]
    )
    imported = hq.post("/admin/catalog/import", {"csv": rows})
    assert imported.status_code == 422
    listed = html.unescape(imported.text)
    assert "3행: 단위는 each 또는 kg여야 합니다('box'은(는) 안 됩니다)." in listed
    assert "4행: '6901234567890'의 체크 디지트가 맞지 않습니다" in listed
    assert "5행: 이 상품 번호는 이미 2행에 있습니다." in listed
    quote = hq.post("/admin/catalog/import", {"csv": rows.replace(",水,", ',"水,', 1)})
    assert "2행부터 올바른 CSV가 아닙니다(unexpected end of data)." in html.unescape(quote.text)
    header = hq.post("/admin/catalog/import", {"csv": "gtin,name_ko,price,colour\r\n"})
    assert "헤더에 필수 열이 없습니다: tax_class, currency." in html.unescape(header.text)
    # The API keeps its English words.
    api = console.op("POST", "/v1/loyalty/admin/offers/promotions/import",
                     data=b"promotion_id,kind,percent\nx,percent_off,2,5\n",
                     headers={"Content-Type": "text/csv"})  # fmt: skip
    assert api.status_code == 422
    assert "row 2" in api.json()["detail"]


def test_an_offer_stored_in_a_currency_no_kiosk_knows_opens_to_be_mended(
    console: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    # Before the currency was checked, "usd" was taken: the offer never applied, and its page
    # was a 500 (its amounts could not be written in a currency not known).
    console.load_catalog(demo_products)
    mkt = signed_in(console, "mkt")
    off = {**PROMOTION, "kind": "amount_off", "percent": "", "amount": "0.50", "campaign_id": ""}
    assert mkt.post("/admin/promotions", off).status_code == 303
    with console.engine.begin() as conn:
        stored = feeds.item(conn, "promotions", "water-20")
        assert stored is not None
        feeds.write(conn, "promotions", [{**stored, "currency": "usd"}], [],
                    validators={"promotions": lambda d: (d["promotion_id"], dict(d))})  # fmt: skip
    page = mkt.get("/admin/promotions/water-20?lang=zh_CN")
    assert page.status_code == 200
    shown = html.unescape(page.text)
    assert "币种“usd”不是自助收银机支持的币种，因此从未生效" in shown
    assert "amount_minor=50" in shown
    # Its amounts are not shown in a unit no one knows: typed again, with the currency.
    assert 'name="amount" id="f_amount" value=""' in shown
    assert 'name="currency" id="f_currency" value="usd"' in shown
    assert mkt.post("/admin/promotions/water-20", off).status_code == 303
    assert "从未生效" not in mkt.get("/admin/promotions/water-20?lang=zh_CN").text


ONCE = re.compile(r'name="once" value="([^"]+)"')


@pytest.fixture
def console_on_both(central_db_url: str) -> Iterator[CentralHarness]:
    """The console on SQLite and on PostgreSQL (`central_db_url`)."""
    with console_on(central_db_url) as harness:
        yield harness


def test_a_refreshed_code_page_makes_no_second_code(console_on_both: CentralHarness) -> None:
    console = console_on_both
    # The code is shown once, on the answer to the form; refreshing that page sent the form
    # again and made another valid code.
    mgr = signed_in(console, "mgr")
    once = ONCE.search(mgr.get("/admin/fleet").text)
    assert once
    form = {"store_id": "S001", "ttl_hours": "2", "once": once[1]}
    made = mgr.post("/admin/fleet/codes", form)
    assert made.status_code == 200
    assert 'id="code"' in made.text
    again = mgr.post("/admin/fleet/codes", form)
    assert again.status_code == 422
    assert 'id="code"' not in again.text
    assert "this form was sent already" in again.text
    next_form = ONCE.search(made.text)
    assert next_form
    assert next_form[1] != once[1]  # the form under a shown code makes the next one
    assert mgr.post("/admin/fleet/codes", form | {"once": next_form[1]}).status_code == 200
    # Sent twice at the same moment (a double click): one code.
    twice = ONCE.search(mgr.get("/admin/fleet").text)
    assert twice
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: mgr.post("/admin/fleet/codes", form | {"once": twice[1]}),
                                range(2)))  # fmt: skip
    assert sorted(a.status_code for a in answers) == [200, 422]
    with console.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(enrolment_codes)).scalar_one() == 3
    assert [e.action for e in audit(console)].count("enrolment_code.create") == 3
