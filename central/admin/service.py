"""The back office: console accounts and what each role may do, sign-in with lockout,
server-side sessions, the audit log, and the fleet and staff tasks the pages run.

Every change goes through a function here that writes its audit entry in the same
transaction, so a change without its entry cannot be committed.
"""

from __future__ import annotations

import enum
import io
import json
import re
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, or_, select, update

from central.admin.tables import admin_accounts, admin_audit, admin_sessions
from central.attendant.service import OPEN_STATES, UNREACHABLE_AFTER_MS
from central.attendant.tables import attendant_alerts, attendant_live
from central.clock import iso_ms
from central.errors import Forbidden, Invalid, NotFound
from central.feeds import service as feeds
from central.feeds.tables import feed_items
from central.keys import sha256_hex
from central.kiosks import service as kiosks
from central.kiosks.tables import enrolment_codes
from central.kiosks.tables import kiosks as kiosk_table
from central.sales.tables import sales
from kiosk.domain.basket import BASIS_POINTS
from kiosk.domain.catalog import Product, product_from_wire, product_to_wire
from kiosk.domain.catalog_csv import (
    KNOWN,
    RowError,
    catalog_clashes,
    product_from_row,
    product_to_row,
    read_catalog,
)
from kiosk.domain.errors import CatalogError, KioskError, NotAllowed
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.money import CURRENCY_EXPONENT
from kiosk.domain.policy import MAX_TRANSFER_VALIDITY_HOURS, StoreRules, store_rules_from_wire
from kiosk.domain.promotions import parse_amount, parse_count, parse_percent
from kiosk.domain.staff import MIN_PIN_LENGTH, check_pin
from kiosk.domain.staff import Role as StaffRole
from sync.protocol import STORE_ID_PATTERN, Heartbeat


class Role(enum.StrEnum):
    HQ_ADMIN = "hq_admin"
    STORE_MANAGER = "store_manager"
    MARKETING = "marketing"
    READ_ONLY = "read_only"


class Permission(enum.StrEnum):
    VIEW_FLEET = "view_fleet"
    MANAGE_FLEET = "manage_fleet"
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    VIEW_CATALOG = "view_catalog"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_OFFERS = "view_offers"
    """Promotions, coupons, campaigns and the pricing preview (which changes nothing)."""
    MANAGE_OFFERS = "manage_offers"
    VIEW_MEMBERS = "view_members"
    """One member's record, points and wallet: personal data, so only the roles that serve
    members at the desk see it (PIPL's "minimum necessary"): not marketing, which works on
    the reports, nor read-only accounts."""
    EXPORT_MEMBERS = "export_members"
    ERASE_MEMBERS = "erase_members"
    VIEW_SALES = "view_sales"
    VIEW_REPORTS = "view_reports"
    REVIEW_INTEGRITY = "review_integrity"
    """The conflicts and journal chain issues the kiosks' sends left for review."""
    RESOLVE_GROUPBUY = "resolve_groupbuy"
    """Refund or reject a group-buy buyer's after-sales problem (their stores' only)."""
    MANAGE_STORE_RULES = "manage_store_rules"
    """A store's rules for its kiosks (`StoreRules`): the chain's, not a store manager's,
    since they include the bag-check rate that guards against the store's own losses."""


_VIEW = frozenset(
    {
        Permission.VIEW_FLEET,
        Permission.VIEW_STAFF,
        Permission.VIEW_CATALOG,
        Permission.VIEW_OFFERS,
        Permission.VIEW_SALES,
        Permission.VIEW_REPORTS,
    }
)
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.HQ_ADMIN: frozenset(Permission),
    Role.STORE_MANAGER: _VIEW
    | {
        Permission.MANAGE_FLEET,
        Permission.MANAGE_STAFF,
        Permission.VIEW_MEMBERS,
        Permission.EXPORT_MEMBERS,
        Permission.REVIEW_INTEGRITY,
        Permission.RESOLVE_GROUPBUY,
    },
    # Promotions, coupons and campaigns are the chain's, run by marketing: a store manager
    # sees what their kiosks will apply but does not change the chain's offers.
    Role.MARKETING: frozenset(
        {
            Permission.VIEW_CATALOG,
            Permission.VIEW_OFFERS,
            Permission.MANAGE_OFFERS,
            Permission.VIEW_REPORTS,
        }
    ),
    Role.READ_ONLY: _VIEW,
}

PASSWORD_MIN = 12
MAX_FAILURES = 5
LOCK_MS = 15 * 60_000
IDLE_MS = 30 * 60_000
ABSOLUTE_MS = 12 * 3_600_000
TOUCH_MS = 60_000
"""A session's last use is written at most once a minute: reading a page is not a write."""
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
STORE_ID = re.compile(STORE_ID_PATTERN)
SYSTEM = "system"

_HASHER = PasswordHasher()
# Verified against when the login is unknown, so a wrong login costs what a wrong
# password costs and timing does not tell which logins exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class Account:
    login: str
    name: str
    role: Role
    stores: frozenset[str]
    active: bool = True
    locked_until_ms: int | None = None

    def can(self, permission: Permission) -> bool:
        return self.active and permission in PERMISSIONS[self.role]

    def runs(self, store_id: str) -> bool:
        """Store managers act on their own stores only; the other roles on the chain's."""
        return self.role is not Role.STORE_MANAGER or store_id in self.stores


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is changing something, as the audit log records it."""

    login: str
    source: str


@dataclass(frozen=True, slots=True)
class AdminSession:
    account: Account
    csrf: str


@dataclass(frozen=True, slots=True)
class SignIn:
    """A token for the cookie, or why there is none ("wrong" or "locked")."""

    token: str | None
    refusal: str | None = None


# ------------------------------------------------------------------ audit
def record(
    conn: Connection,
    actor: Actor,
    action: str,
    target: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    now_ms: int,
) -> None:
    def text(value: Mapping[str, Any] | None) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)

    conn.execute(
        insert(admin_audit).values(
            at_ms=now_ms,
            actor=actor.login[:64],
            action=action,
            target=target[:160],
            before=text(before),
            after=text(after),
            source=actor.source[:64],
        )
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    audit_id: int
    at: str
    actor: str
    action: str
    target: str
    before: str | None
    after: str | None
    source: str


def audit_log(
    conn: Connection, *, limit: int = 100, before_id: int | None = None
) -> list[AuditEntry]:
    """The newest entries first; `before_id` pages back."""
    query = select(admin_audit).order_by(admin_audit.c.audit_id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(admin_audit.c.audit_id < before_id)
    return [
        AuditEntry(
            r.audit_id, iso_ms(r.at_ms), r.actor, r.action, r.target, r.before, r.after, r.source
        )
        for r in conn.execute(query)
    ]


# ------------------------------------------------------------------ accounts
def _account(row: Any) -> Account:
    return Account(
        row.login,
        row.name,
        Role(row.role),
        frozenset(json.loads(row.stores)),
        bool(row.active),
        row.locked_until_ms,
    )


def _view(account: Account) -> dict[str, Any]:
    """An account as the audit log shows it: never its password hash."""
    return {
        "name": account.name,
        "role": account.role.value,
        "stores": sorted(account.stores),
        "active": account.active,
    }


def _checked(
    conn: Connection, login: str, name: str, role: str, stores: Iterable[str]
) -> tuple[Role, list[str]]:
    if not LOGIN.fullmatch(login):
        raise Invalid(
            "a login is 2 to 64 lowercase letters, digits, '.', '_' or '-'",
            reason="bad_login",
            say="login_form",
        )
    if not 0 < len(name.strip()) <= 100:
        raise Invalid("a name is 1 to 100 characters", reason="bad_name", say="name_length")
    try:
        checked_role = Role(role)
    except ValueError:
        raise Invalid(
            f"unknown role {role!r}", reason="bad_role", say="unknown_role", params={"value": role}
        ) from None
    checked_stores = sorted({known_store(conn, s.strip()) for s in stores if s.strip()})
    if checked_role is Role.STORE_MANAGER and not checked_stores:
        raise Invalid(
            "a store manager needs at least one store", reason="bad_store", say="manager_store"
        )
    if checked_role is not Role.STORE_MANAGER:
        checked_stores = []
    return checked_role, checked_stores


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise Invalid(
            f"a password is at least {PASSWORD_MIN} characters",
            reason="weak_password",
            say="password_short",
            params={"least": PASSWORD_MIN},
        )
    return _HASHER.hash(password)


def account(conn: Connection, login: str) -> Account | None:
    row = conn.execute(select(admin_accounts).where(admin_accounts.c.login == login)).first()
    return None if row is None else _account(row)


def accounts(conn: Connection) -> list[Account]:
    rows = conn.execute(select(admin_accounts).order_by(admin_accounts.c.login))
    return [_account(r) for r in rows]


def create_account(
    conn: Connection,
    actor: Actor,
    login: str,
    name: str,
    role: str,
    stores: Iterable[str],
    password: str,
    now_ms: int,
) -> Account:
    checked_role, checked_stores = _checked(conn, login, name, role, stores)
    if account(conn, login) is not None:
        raise Invalid(
            f"the login {login!r} is taken",
            reason="login_taken",
            say="login_taken",
            params={"value": login},
        )
    conn.execute(
        insert(admin_accounts).values(
            login=login,
            name=name.strip(),
            role=checked_role.value,
            stores=json.dumps(checked_stores),
            password_hash=hash_password(password),
            active=True,
            failed_logins=0,
            created_ms=now_ms,
            updated_ms=now_ms,
        )
    )
    made = Account(login, name.strip(), checked_role, frozenset(checked_stores))
    record(conn, actor, "account.create", login, None, _view(made), now_ms)
    return made


def update_account(
    conn: Connection,
    actor: Actor,
    login: str,
    *,
    name: str,
    role: str,
    stores: Iterable[str],
    active: bool,
    now_ms: int,
) -> Account:
    before = account(conn, login)
    if before is None:
        raise NotFound(
            f"no account {login!r}", reason="not_found", say="no_account", params={"value": login}
        )
    checked_role, checked_stores = _checked(conn, login, name, role, stores)
    if login == actor.login and (not active or checked_role is not Role.HQ_ADMIN):
        # Nobody demotes or locks out themselves by mistake: another HQ admin must.
        raise Invalid(
            "you cannot demote or deactivate your own account", reason="self", say="self_demote"
        )
    conn.execute(
        update(admin_accounts)
        .where(admin_accounts.c.login == login)
        .values(
            name=name.strip(),
            role=checked_role.value,
            stores=json.dumps(checked_stores),
            active=active,
            updated_ms=now_ms,
        )
    )
    if not active:
        conn.execute(delete(admin_sessions).where(admin_sessions.c.login == login))
    after = Account(login, name.strip(), checked_role, frozenset(checked_stores), active)
    record(conn, actor, "account.update", login, _view(before), _view(after), now_ms)
    return after


def set_password(conn: Connection, actor: Actor, login: str, password: str, now_ms: int) -> None:
    """A new password (and the account unlocked); every session of the account ends."""
    if account(conn, login) is None:
        raise NotFound(
            f"no account {login!r}", reason="not_found", say="no_account", params={"value": login}
        )
    conn.execute(
        update(admin_accounts)
        .where(admin_accounts.c.login == login)
        .values(
            password_hash=hash_password(password),
            failed_logins=0,
            locked_until_ms=None,
            updated_ms=now_ms,
        )
    )
    conn.execute(delete(admin_sessions).where(admin_sessions.c.login == login))
    record(conn, actor, "account.password", login, None, {"password": "changed"}, now_ms)


def sign_in(conn: Connection, login: str, password: str, now_ms: int) -> SignIn:
    """Check a password; failures are counted on the account and lock it for a while.

    Returns instead of raising, so the caller commits the failure count with the answer.
    """
    row = conn.execute(select(admin_accounts).where(admin_accounts.c.login == login)).first()
    if row is None or not row.active:
        _verify(_DUMMY_HASH, password)
        return SignIn(None, "wrong")
    if row.locked_until_ms is not None and row.locked_until_ms > now_ms:
        return SignIn(None, "locked")
    if not _verify(row.password_hash, password):
        failures = row.failed_logins + 1
        locked = failures >= MAX_FAILURES
        conn.execute(
            update(admin_accounts)
            .where(admin_accounts.c.login == login)
            .values(
                failed_logins=0 if locked else failures,
                locked_until_ms=now_ms + LOCK_MS if locked else row.locked_until_ms,
            )
        )
        if locked:
            record(
                conn,
                Actor(SYSTEM, ""),
                "account.locked",
                login,
                None,
                {"locked_until": iso_ms(now_ms + LOCK_MS)},
                now_ms,
            )
            return SignIn(None, "locked")
        return SignIn(None, "wrong")
    if _HASHER.check_needs_rehash(row.password_hash):
        conn.execute(
            update(admin_accounts)
            .where(admin_accounts.c.login == login)
            .values(password_hash=_HASHER.hash(password))
        )
    conn.execute(
        update(admin_accounts)
        .where(admin_accounts.c.login == login)
        .values(failed_logins=0, locked_until_ms=None)
    )
    conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_ms <= now_ms))
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(admin_sessions).values(
            token_hash=sha256_hex(token),
            login=login,
            csrf=secrets.token_urlsafe(32),
            created_ms=now_ms,
            seen_ms=now_ms,
            expires_ms=now_ms + ABSOLUTE_MS,
        )
    )
    return SignIn(token)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_of(conn: Connection, token: str | None, now_ms: int) -> AdminSession | None:
    """The live session of a cookie's token, or None (never issued, signed out, idle for
    too long, past its absolute end, or its account deactivated)."""
    if not token:
        return None
    row = conn.execute(
        select(admin_sessions, admin_accounts)
        .join(admin_accounts, admin_accounts.c.login == admin_sessions.c.login)
        .where(admin_sessions.c.token_hash == sha256_hex(token))
    ).first()
    if row is None or not row.active:
        return None
    if row.expires_ms <= now_ms or row.seen_ms + IDLE_MS <= now_ms:
        conn.execute(delete(admin_sessions).where(admin_sessions.c.token_hash == row.token_hash))
        return None
    if now_ms - row.seen_ms >= TOUCH_MS:
        conn.execute(
            update(admin_sessions)
            .where(admin_sessions.c.token_hash == row.token_hash)
            .values(seen_ms=now_ms)
        )
    return AdminSession(_account(row), row.csrf)


def sign_out(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(delete(admin_sessions).where(admin_sessions.c.token_hash == sha256_hex(token)))


def require(who: Account, permission: Permission, store_id: str | None = None) -> None:
    if not who.can(permission) or (store_id is not None and not who.runs(store_id)):
        raise Forbidden(f"{who.role.value} may not {permission.value}", reason="forbidden")


# ------------------------------------------------------------------ fleet
@dataclass(frozen=True, slots=True)
class FleetRow:
    kiosk_id: str
    name: str
    store_id: str
    revoked: bool
    version: str | None
    last_heartbeat: str | None
    connectivity: str | None
    backlog: int | None
    oldest_unsent: str | None
    open_alerts: int
    camera: str | None
    printer: str | None
    """Camera and printer as the kiosk's live report says, None when that report is stale
    (an unreachable kiosk's last health is not its health now)."""
    problems: tuple[str, ...] = ()
    """The sync problems the kiosk's last heartbeat reported (a product, an offer or a
    rule its version cannot read: `sync.worker.SyncStatus.problems`), in its English."""


@dataclass(frozen=True, slots=True)
class StoreRulesRow:
    store_id: str
    kiosks: int
    """Kiosks enrolled for the store and not revoked."""
    rules: StoreRules | None
    """None: the chain sets none, and each kiosk uses its own."""
    unreadable: str | None = None
    """Why the rules stored for the store cannot be read (an older service wrote them)."""
    currency: str = "CNY"
    """The bag-check amount's currency: the rules', else the one the store's sales are in,
    else `RULES_CURRENCY`."""
    sells_in: str | None = None
    """The currency the store's sales are in, if it has any: rules in another are refused
    by its kiosks, and the console says so."""


RULES_FEED = "policies"
RULES_CURRENCY = "CNY"
"""The currency the console offers first for a store that has neither rules nor sales. A
store's currency is its kiosks' fiscal setup, which the service does not hold; the form
names it, and a kiosk of another currency refuses the rules (`kiosk sync status` says so)."""
REQUIRED_RULES = ("max_quantity", "transfer_hours", "audit_percent")
"""The form's fields that must be filled: a blank read as 0 would turn bag checks off."""


def store_rules(conn: Connection, who: Account) -> list[StoreRulesRow]:
    """Every store with kiosks or rules, with its rules; a store manager's stores only."""
    kiosks_of: dict[str, int] = dict(
        conn.execute(
            select(kiosk_table.c.store_id, func.count())
            .where(kiosk_table.c.revoked_at.is_(None))
            .group_by(kiosk_table.c.store_id)
        ).all()
    )
    held: dict[str, StoreRules | str] = {}
    for row in conn.execute(
        select(feed_items.c.key, feed_items.c.data).where(
            feed_items.c.feed == RULES_FEED, feed_items.c.deleted.is_(False)
        )
    ):
        try:
            held[row.key] = store_rules_from_wire(json.loads(row.data))
        except ValueError as exc:  # one bad item must not take the page down
            held[row.key] = str(exc)
    rows = []
    for store in sorted(kiosks_of.keys() | held.keys()):
        if who.runs(store):
            rules = held.get(store)
            known = rules if isinstance(rules, StoreRules) else None
            sells_in = _sales_currency(conn, store)
            rows.append(
                StoreRulesRow(
                    store,
                    int(kiosks_of.get(store, 0)),
                    known,
                    rules if isinstance(rules, str) else None,
                    known.currency if known else sells_in or RULES_CURRENCY,
                    sells_in,
                )
            )
    return rows


def _sales_currency(conn: Connection, store_id: str) -> str | None:
    """The currency the store's kiosks sell in, as their sales say (any one: a store's
    currency does not change; one row by the store's index, whatever the sales' number)."""
    found: str | None = conn.execute(
        select(sales.c.currency).where(sales.c.store_id == store_id).limit(1)
    ).scalar_one_or_none()
    return found


def _rules_view(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else {k: v for k, v in data.items() if k != "store_id"}


def save_store_rules(
    conn: Connection, actor: Actor, store_id: str, form: Mapping[str, str], now_ms: int
) -> None:
    """A store's rules from the console's form; its kiosks take them up between sales.
    Goes through the feed's own validator, the one the operator API uses."""
    store_id = known_store(conn, store_id, reason="bad_policy")
    blank = [name for name in REQUIRED_RULES if not (form.get(name) or "").strip()]
    if blank:
        raise Invalid(
            f"{', '.join(blank)}: a value is required",
            reason="bad_policy",
            say="values_required",
            params={"fields": ", ".join(blank)},
        )
    before = feeds.item(conn, RULES_FEED, store_id)
    # A form without the field (a page from before the console named the currency) keeps
    # the store's: its rules', else its sales', never silently the chain's default.
    currency = (
        (form.get("currency") or "").strip().upper()
        or (str(before["currency"]) if before and before.get("currency") else None)
        or _sales_currency(conn, store_id)
        or RULES_CURRENCY
    )
    if currency not in CURRENCY_EXPONENT:
        raise Invalid(
            f"currency: {currency!r} is not one the kiosks know",
            reason="bad_policy",
            say="currency_unknown",
            params={"value": currency},
        )
    try:
        over = (form.get("audit_over") or "").strip()
        hours = parse_count(form.get("transfer_hours"), "transfer_hours")
        rate_bp = parse_percent(form.get("audit_percent"), "audit_percent")
        data = {
            "store_id": store_id,
            "shopper_may_remove": form.get("shopper_may_remove") == "1",
            "max_quantity_per_line": parse_count(form.get("max_quantity"), "max_quantity"),
            "refund_returns_coupons": form.get("refund_returns_coupons") == "1",
            "transfer_validity_hours": hours,
            "exit_audit_rate_bp": rate_bp,
            "exit_audit_over_minor": (parse_amount(over, currency, "audit_over") if over else None),
            "currency": currency,
        }
    except OfferError as exc:
        raise Invalid.of(exc, "bad_policy") from None
    # In the form's own units: the feed's validator speaks basis points and "transfer codes".
    if not 0 <= rate_bp <= BASIS_POINTS:
        raise Invalid(
            f"audit_percent: a share of 0 to 100 %, not {form.get('audit_percent', '').strip()}",
            reason="bad_policy",
            say="share_range",
            params={"value": form.get("audit_percent", "").strip()},
        )
    if not 1 <= hours <= MAX_TRANSFER_VALIDITY_HOURS:
        raise Invalid(
            f"transfer_hours: a suspended cart keeps 1 to {MAX_TRANSFER_VALIDITY_HOURS} hours, "
            f"not {hours}",
            reason="bad_policy",
            say="hours_range",
            params={"most": MAX_TRANSFER_VALIDITY_HOURS, "value": hours},
        )
    feeds.write(conn, RULES_FEED, [data], [])
    record(
        conn,
        actor,
        "store_rules.update",
        store_id,
        _rules_view(before),
        _rules_view(feeds.item(conn, RULES_FEED, store_id)),
        now_ms,
    )


def withdraw_store_rules(conn: Connection, actor: Actor, store_id: str, now_ms: int) -> None:
    """The store's kiosks go back to their own rules, from their next sale."""
    before = feeds.item(conn, RULES_FEED, store_id)
    if before is None:
        raise NotFound(
            f"the chain sets no rules for {store_id}",
            reason="not_found",
            say="no_rules",
            params={"store": store_id},
        )
    feeds.write(conn, RULES_FEED, [], [store_id])
    record(conn, actor, "store_rules.withdraw", store_id, _rules_view(before), None, now_ms)


def fleet(conn: Connection, who: Account, now_ms: int) -> list[FleetRow]:
    query = select(kiosk_table).order_by(kiosk_table.c.store_id, kiosk_table.c.name)
    if who.role is Role.STORE_MANAGER:
        query = query.where(kiosk_table.c.store_id.in_(sorted(who.stores)))
    rows = conn.execute(query).all()
    ids = [r.kiosk_id for r in rows]
    alerts: dict[str, int] = dict(
        conn.execute(
            select(attendant_alerts.c.kiosk_id, func.count())
            .where(attendant_alerts.c.kiosk_id.in_(ids), attendant_alerts.c.state.in_(OPEN_STATES))
            .group_by(attendant_alerts.c.kiosk_id)
        ).all()
    )
    live = {
        r.kiosk_id: r
        for r in conn.execute(select(attendant_live).where(attendant_live.c.kiosk_id.in_(ids)))
    }
    out = []
    for r in rows:
        beat = Heartbeat.model_validate_json(r.heartbeat) if r.heartbeat else None
        report = live.get(r.kiosk_id)
        health = (
            json.loads(report.data)
            if report and now_ms - report.reported_ms < UNREACHABLE_AFTER_MS
            else {}
        )
        out.append(
            FleetRow(
                kiosk_id=r.kiosk_id,
                name=r.name,
                store_id=r.store_id,
                revoked=r.revoked_at is not None,
                version=beat.app_version if beat else None,
                last_heartbeat=iso_ms(r.last_seen_at),
                connectivity=beat.connectivity if beat else None,
                backlog=beat.queue_depth if beat else None,
                oldest_unsent=beat.oldest_unsent_at if beat else None,
                open_alerts=int(alerts.get(r.kiosk_id, 0)),
                camera=health.get("camera"),
                printer=health.get("printer"),
                problems=tuple(beat.errors) if beat else (),
            )
        )
    return out


def known_store(conn: Connection, typed: str, reason: str = "bad_store") -> str:
    """The store id as the chain already knows it (its kiosks', enrolment codes', rules' and
    managers'), whatever case it was typed in; a new store keeps what was typed. Invalid
    (`reason`) when it is no store id at all.

    `s001` typed for `S001` made a store of its own: a kiosk enrolled there missed S001's
    rules, and its sales S001's reports.
    """
    if not STORE_ID.fullmatch(typed):
        raise Invalid(
            f"{typed!r} is not a store id",
            reason=reason,
            say="not_store_id",
            params={"value": typed},
        )
    wanted = typed.lower()
    found: set[str] = set()
    for column in (kiosk_table.c.store_id, enrolment_codes.c.store_id):
        found.update(conn.execute(select(column).where(func.lower(column) == wanted)).scalars())
    found.update(
        conn.execute(
            select(feed_items.c.key).where(
                feed_items.c.feed == RULES_FEED, func.lower(feed_items.c.key) == wanted
            )
        ).scalars()
    )
    found.update(s for a in accounts(conn) for s in a.stores if s.lower() == wanted)
    return typed if typed in found or not found else min(found)


def issue_enrolment_code(
    conn: Connection,
    who: Account,
    actor: Actor,
    store_id: str,
    ttl_hours: int,
    now_ms: int,
    form: str | None = None,
) -> tuple[str, str, int]:
    """(code, the store as the chain knows it, expiry).

    `form`: the console form's one-time token. The code is shown once, on the answer to the
    form; refreshing that page sends the form again, which made a second valid code. Now
    the same token is refused, naming the code's store and expiry (nothing is changed).
    """
    form_hash = sha256_hex(form) if form else None
    if form_hash is not None:
        sent = conn.execute(
            select(enrolment_codes.c.store_id, enrolment_codes.c.expires_at).where(
                enrolment_codes.c.form_hash == form_hash
            )
        ).first()
        if sent is not None:
            until = iso_ms(sent.expires_at).replace("T", " ")[:16] + " UTC"
            raise Invalid(
                f"this form was sent already (the page was refreshed): its code for "
                f"{sent.store_id} was shown once and is valid until {until}; make another "
                "below if it was not noted",
                reason="form_sent",
                say="form_sent",
                params={"store": sent.store_id, "until": until},
            )
    store_id = known_store(conn, store_id)
    if not 1 <= ttl_hours <= 24 * 30:
        raise Invalid("a code lasts 1 to 720 hours", reason="bad_ttl", say="code_hours")
    require(who, Permission.MANAGE_FLEET, store_id)
    code, expires = kiosks.issue_enrolment_code(conn, store_id, ttl_hours, now_ms, form_hash)
    # The code itself is a credential: the log says one was made, not what it was.
    record(
        conn,
        actor,
        "enrolment_code.create",
        store_id,
        None,
        {"store_id": store_id, "expires_at": iso_ms(expires)},
        now_ms,
    )
    return code, store_id, expires


def kiosk_store(conn: Connection, kiosk_id: str) -> str:
    store = conn.execute(
        select(kiosk_table.c.store_id).where(kiosk_table.c.kiosk_id == kiosk_id)
    ).scalar_one_or_none()
    if store is None:
        raise NotFound(
            f"no kiosk {kiosk_id}", reason="not_found", say="no_kiosk", params={"value": kiosk_id}
        )
    return str(store)


def revoke_kiosk(conn: Connection, who: Account, actor: Actor, kiosk_id: str, now_ms: int) -> None:
    store_id = kiosk_store(conn, kiosk_id)
    require(who, Permission.MANAGE_FLEET, store_id)
    kiosks.revoke_kiosk(conn, kiosk_id, now_ms)
    record(
        conn,
        actor,
        "kiosk.revoke",
        kiosk_id,
        {"store_id": store_id, "revoked": False},
        {"store_id": store_id, "revoked": True},
        now_ms,
    )


# ------------------------------------------------------------------ staff
@dataclass(frozen=True, slots=True)
class StaffRow:
    staff_id: str
    name: str
    role: str
    active: bool
    has_pin: bool
    has_badge: bool
    home_store: str | None = None
    """None: chain-wide (no home store)."""


def _staff_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """A staff record as the audit log shows it: whether a PIN is set, never its hash."""
    return {
        "name": data.get("name"),
        "role": data.get("role"),
        "active": data.get("active"),
        "pin": "set" if data.get("pin_hash") else None,
        "home_store": data.get("home_store"),
    }


def staff(conn: Connection, stores: frozenset[str] | None = None) -> list[StaffRow]:
    """Every staff member, by home store then number; `stores` (a store manager's): only
    theirs and those without a home store."""
    rows = conn.execute(
        select(feed_items.c.data)
        .where(feed_items.c.feed == "staff", feed_items.c.deleted.is_(False))
        .order_by(feed_items.c.key)
    )
    out = []
    for (text,) in rows:
        data = json.loads(text)
        home = data.get("home_store")
        if stores is not None and home is not None and home not in stores:
            continue
        out.append(
            StaffRow(
                data["staff_id"],
                data.get("name", ""),
                data["role"],
                bool(data.get("active")),
                bool(data.get("pin_hash")),
                bool(data.get("badge_hash")),
                home,
            )
        )
    return sorted(out, key=lambda r: (r.home_store or "", r.staff_id))


def _pin_hash(pin: str) -> str:
    try:
        check_pin(pin)
    except NotAllowed as exc:
        raise Invalid(
            str(exc), reason="weak_pin", say="pin_short", params={"least": MIN_PIN_LENGTH}
        ) from None
    return _HASHER.hash(pin)


def save_staff(
    conn: Connection,
    actor: Actor,
    staff_id: str,
    *,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    pin: str | None = None,
    home_store: str | None = None,
    now_ms: int,
    new: bool = False,
    scope: frozenset[str] | None = None,
) -> None:
    """Add a staff member (`new`) or change one; kiosks get it with their next staff pull.
    `home_store`: None leaves it, "" makes them chain-wide. `scope` (a store manager's
    stores): only staff of those stores or without a home store, into those stores.

    Goes through the staff feed's own validator (`central.feeds.service`), the one the
    operator API and `central staff add` use.
    """
    before = feeds.item(conn, "staff", staff_id)
    if new and before is not None:
        raise Invalid(
            f"staff number {staff_id!r} is taken",
            reason="staff_taken",
            say="staff_taken",
            params={"value": staff_id},
        )
    if not new and before is None:
        raise NotFound(
            f"no staff member {staff_id!r}",
            reason="not_found",
            say="no_staff",
            params={"value": staff_id},
        )
    home = None if home_store is None else home_store.strip()
    if home:
        home = known_store(conn, home, reason="bad_staff")
    if scope is not None:
        held = (before or {}).get("home_store")
        if (held is not None and held not in scope) or (home and home not in scope):
            raise Forbidden("another store's staff", reason="forbidden")
    if role is not None and role not in {r.value for r in StaffRole}:
        raise Invalid(
            f"unknown staff role {role!r}",
            reason="bad_staff",
            say="unknown_role",
            params={"value": role},
        )
    if name is not None and not 0 < len(name.strip()) <= 100:
        raise Invalid("a name is 1 to 100 characters", reason="bad_name", say="name_length")
    data: dict[str, Any] = dict(
        before or {"staff_id": staff_id, "active": True, "pin_hash": None, "badge_hash": None}
    )
    if name is not None:
        data["name"] = name.strip()
    if role is not None:
        data["role"] = role
    if active is not None:
        data["active"] = active
    if pin is not None:
        data["pin_hash"] = _pin_hash(pin)
    if home is not None:
        data["home_store"] = home or None
    feeds.write(conn, "staff", [data], [])
    after = feeds.item(conn, "staff", staff_id) or data
    action = "staff.create" if new else ("staff.pin" if pin is not None else "staff.update")
    record(
        conn,
        actor,
        action,
        staff_id,
        None if before is None else _staff_view(before),
        _staff_view(after),
        now_ms,
    )


# ------------------------------------------------------------------ catalog
SEARCH_LIMIT = 50


def search_products(conn: Connection, query: str, limit: int = SEARCH_LIMIT) -> list[Product]:
    """Products whose GTIN, name, brand or category holds `query` (the newest first)."""
    stmt = select(feed_items.c.data).where(
        feed_items.c.feed == "catalog", feed_items.c.deleted.is_(False)
    )
    if query.strip():
        stmt = stmt.where(feed_items.c.data.contains(query.strip(), autoescape=True))
    rows = conn.execute(stmt.order_by(feed_items.c.seq.desc()).limit(limit))
    return [product_from_wire(json.loads(text)) for (text,) in rows]


def product(conn: Connection, gtin: str) -> Product | None:
    data = feeds.item(conn, "catalog", gtin)
    return None if data is None else product_from_wire(data)


def _product_view(p: Product) -> dict[str, Any]:
    return product_to_wire(p)


def _catalog(conn: Connection, needles: Collection[str] | None = None) -> Iterator[Product]:
    """The live catalog's products; with `needles`, only those whose document holds one
    of them (the text search only narrows the rows read: a few for a form, all for a file)."""
    stmt = select(feed_items.c.data).where(
        feed_items.c.feed == "catalog", feed_items.c.deleted.is_(False)
    )
    if needles is not None:
        stmt = stmt.where(or_(*(feed_items.c.data.contains(n, autoescape=True) for n in needles)))
    for (text,) in conn.execute(stmt):
        yield product_from_wire(json.loads(text))


def _check_codes_free(conn: Connection, edited: Product) -> None:
    """A code scanned or a PLU typed at the kiosk must name one product, as an import
    requires (`catalog_clashes`); here for one product against the whole catalog."""
    needles = {edited.gtin, *edited.extra_gtins, *([edited.plu] if edited.plu else [])}
    clash = catalog_clashes([edited], _catalog(conn, needles)).get(edited.gtin)
    if clash is not None:
        raise Invalid.of(clash, "bad_product")


def save_product(
    conn: Connection, actor: Actor, gtin: str, row: Mapping[str, str], now_ms: int
) -> Product:
    """A product edited in the console's form, checked as a row of the kiosk's catalog
    CSV (`product_from_row`), so the console accepts exactly what an import would."""
    before = product(conn, gtin)
    if before is None:
        raise NotFound(
            f"no product {gtin}", reason="not_found", say="no_product", params={"value": gtin}
        )
    fields = {**product_to_row(before), **{k: v for k, v in row.items() if k in KNOWN}}
    fields["gtin"] = gtin
    try:
        edited = product_from_row(fields, None)
    except KioskError as exc:
        raise Invalid.of(exc, "bad_product") from None
    _check_codes_free(conn, edited)
    # The CSV format has no attributes: an edit keeps those the product had.
    edited = replace(edited, attributes=before.attributes)
    feeds.write(conn, "catalog", [product_to_wire(edited)], [])
    record(
        conn, actor, "product.update", gtin, _product_view(before), _product_view(edited), now_ms
    )
    return edited


def recall(
    conn: Connection, actor: Actor, gtin: str, *, whole: bool, lots: Iterable[str], now_ms: int
) -> Product:
    """Withdraw a product (`whole`) or some of its lots; kiosks refuse it from their next
    catalog pull (`Checkout.scan` refuses recalled products and lots)."""
    before = product(conn, gtin)
    if before is None:
        raise NotFound(
            f"no product {gtin}", reason="not_found", say="no_product", params={"value": gtin}
        )
    after = replace(
        before, recalled=whole, recalled_lots=frozenset(lot.strip() for lot in lots if lot.strip())
    )
    feeds.write(conn, "catalog", [product_to_wire(after)], [])
    record(conn, actor, "product.recall", gtin, _recall_view(before), _recall_view(after), now_ms)
    return after


def _recall_view(p: Product) -> dict[str, Any]:
    return {"recalled": p.recalled, "recalled_lots": sorted(p.recalled_lots)}


def import_catalog(
    conn: Connection, actor: Actor, text: str, now_ms: int, filename: str | None = None
) -> tuple[int, list[Invalid]]:
    """(products changed, what is wrong: the file, or every bad row). All or nothing, as
    `kiosk catalog import`: with any bad row nothing is written. `filename`: the uploaded
    file's, for the audit entry (None when the CSV was pasted)."""
    try:
        parsed = read_catalog(io.StringIO(text.lstrip("\ufeff")))
    except CatalogError as exc:
        return 0, [Invalid.of(exc, "bad_catalog")]
    # `read_catalog` checks the rows within the file; their codes and PLUs are checked here
    # against the rest of the catalog, and every bad row of either kind is listed.
    clashes = catalog_clashes(parsed.products, _catalog(conn))
    bad = [*parsed.errors, *(RowError(parsed.row_of[g], e) for g, e in clashes.items())]
    if bad:
        return 0, _bad_rows(sorted(bad, key=attrgetter("row")))
    if not parsed.products:
        # A header alone (an export's template, a file cut short) imports nothing: said so,
        # not "imported" with an audit entry for 0 rows.
        empty = "the file has a header but no products: nothing was imported"
        return 0, [Invalid(empty, reason="bad_catalog", say="header_only")]
    changed = feeds.write(conn, "catalog", [product_to_wire(p) for p in parsed.products], [])
    record(
        conn,
        actor,
        "catalog.import",
        f"{len(parsed.products)} rows",
        None,
        {"rows": len(parsed.products), "changed": changed, "file": filename},
        now_ms,
    )
    return changed, []


def _bad_rows(errors: Iterable[RowError]) -> list[Invalid]:
    return [
        Invalid(str(e), reason="bad_row", say="csv_row", params={"row": e.row, "detail": e.error})
        for e in errors
    ]
