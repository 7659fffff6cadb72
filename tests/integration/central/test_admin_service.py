"""The back office's service on both engines (SQLite and PostgreSQL), with a clock in
hand: sign-in and lockout, session expiry, the audit trail of a change, fleet scoping."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, select

from central.admin import service
from central.admin.service import Actor, Role
from central.admin.tables import admin_audit, admin_sessions
from central.db import create_db_engine, migrate
from central.errors import Invalid
from central.kiosks.tables import kiosks

T0 = 1_800_000_000_000
PASSWORD = "correct horse battery"
ACTOR = Actor("hq", "10.0.0.1")


@pytest.fixture
def engine(central_db_url: str) -> Iterator[Engine]:
    made = create_db_engine(central_db_url, pool=False)
    migrate(made)
    with made.begin() as conn:
        service.create_account(conn, ACTOR, "hq", "HQ", "hq_admin", [], PASSWORD, T0)
        service.create_account(conn, ACTOR, "sm", "SM", "store_manager", ["S001"], PASSWORD, T0)
        for n, store in enumerate(("S001", "S002", "S001")):
            conn.execute(insert(kiosks).values(kiosk_id=f"k{n}", store_id=store, key_id=f"key{n}",
                                               name=f"Kiosk {n}", enrolled_at=T0))  # fmt: skip
    yield made
    made.dispose()


def test_sign_in_lockout_and_unlock(engine: Engine) -> None:
    with engine.begin() as conn:
        for n in range(service.MAX_FAILURES - 1):
            assert service.sign_in(conn, "sm", "wrong wrong wrong", T0 + n).refusal == "wrong"
        assert service.sign_in(conn, "sm", "wrong wrong wrong", T0 + 9).refusal == "locked"
        assert service.sign_in(conn, "sm", PASSWORD, T0 + 10).refusal == "locked"
        later = T0 + 9 + service.LOCK_MS
        signed = service.sign_in(conn, "sm", PASSWORD, later)
        assert signed.token is not None
        # Only the token's hash is kept.
        stored = conn.execute(select(admin_sessions.c.token_hash)).scalars().all()
        assert signed.token not in stored
        assert len(stored) == 1
        actions = conn.execute(select(admin_audit.c.action)).scalars().all()
        assert actions[-1] == "account.locked"


def test_sessions_end_when_idle_or_old(engine: Engine) -> None:
    with engine.begin() as conn:
        token = service.sign_in(conn, "hq", PASSWORD, T0).token
        assert service.session_of(conn, token, T0 + service.IDLE_MS - 1) is not None
        assert service.session_of(conn, token, T0 + 2 * service.IDLE_MS - 2) is not None
        assert service.session_of(conn, token, T0 + 3 * service.IDLE_MS) is None
        token = service.sign_in(conn, "hq", PASSWORD, T0).token
        assert service.session_of(conn, token, T0 + service.ABSOLUTE_MS) is None
        assert service.session_of(conn, "made-up", T0) is None


def test_a_change_and_its_audit_entry_commit_together(engine: Engine) -> None:
    with engine.begin() as conn:
        service.update_account(conn, ACTOR, "sm", name="SM", role="store_manager",
                               stores=["S001", "S002"], active=True, now_ms=T0 + 1)  # fmt: skip
    with pytest.raises(Invalid), engine.begin() as conn:
        service.update_account(conn, ACTOR, "sm", name="", role="store_manager",
                               stores=["S001"], active=True, now_ms=T0 + 2)  # fmt: skip
    with engine.connect() as conn:
        entries = conn.execute(select(admin_audit).order_by(admin_audit.c.audit_id)).all()
    last = entries[-1]
    assert (last.action, last.target, last.source) == ("account.update", "sm", "10.0.0.1")
    assert json.loads(last.before)["stores"] == ["S001"]
    assert json.loads(last.after)["stores"] == ["S001", "S002"]


def test_fleet_is_scoped_to_a_store_managers_stores(engine: Engine) -> None:
    with engine.connect() as conn:
        hq, sm = service.account(conn, "hq"), service.account(conn, "sm")
        assert hq is not None
        assert sm is not None
        assert sm.role is Role.STORE_MANAGER
        assert [k.kiosk_id for k in service.fleet(conn, hq, T0)] == ["k0", "k2", "k1"]
        assert [k.kiosk_id for k in service.fleet(conn, sm, T0)] == ["k0", "k2"]
