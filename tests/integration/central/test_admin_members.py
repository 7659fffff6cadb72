"""A member's data in the console, on both engines and over HTTP: found by code or phone
(never kept), exported whole, erased on request with the books still adding up, and
only by an HQ admin; every export and erasure audited without the personal data."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, func, select

from central.admin import member_data
from central.admin.service import Actor, Role
from central.admin.tables import admin_audit
from central.db import alembic_config
from central.errors import Invalid, NotFound
from central.feeds.tables import feed_counters, feed_items
from central.loyalty.tables import member_ledger, members, redemptions, wallet
from central.sales.tables import conflicts, sales
from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import MemberError
from sync.loyalty_protocol import ERASURES_FEED
from sync.protocol import decode_secret
from tests.integration.central.test_admin import ACCOUNTS, add_account, signed_in
from tests.integration.central.test_central_feeds_members import signup
from tests.integration.central.test_loyalty_central import (
    PHONE,
    Kiosk,
    _signed_up_offline_at_both,
)
from tests.integration.conftest import TEST_SECRET, CentralHarness

ACTOR = Actor("hq", "10.0.0.3")
T0 = 1_800_000_000_000
YILI_16 = "6954023001022"


@pytest.fixture
def member(
    central: CentralHarness, demo_products: list[dict[str, Any]], tmp_path: Path
) -> Iterator[tuple[Kiosk, str]]:
    """A member who signed up at a kiosk, got two wallet coupons, used one in a sale and
    earned points for it; everything synced to the service."""
    till, member_id = member_at_a_kiosk(central, demo_products, tmp_path)
    codes = []
    for coupon_id in ("yili-5-off-30", "welcome-10"):
        body = {"coupon_id": coupon_id, "member_ids": [member_id]}
        issued = central.op("POST", "/v1/loyalty/admin/wallet/issue", json=body)
        codes += issued.json()["codes"]
    till.members.by_qr(till.members.card_qr(member_id))  # the wallet, fresh
    till.checkout.scan(YILI_16)
    assert till.checkout.add_coupon(codes[0]).verdict.accepted
    till.sell()
    till.sync()
    yield till, member_id
    till.close()


def member_at_a_kiosk(
    central: CentralHarness, demo_products: list[dict[str, Any]], tmp_path: Path
) -> tuple[Kiosk, str]:
    """A real kiosk with the demo catalog and offers, and a member who just signed up
    there (synced) and is now the checkout's member."""
    central.load_catalog(demo_products)
    central.load_offers()
    till = Kiosk(central, tmp_path / "till", "till 1")
    till.pull()
    signed = till.members.sign_up(PHONE, consent=True)
    till.sync()
    till.members.by_qr(till.members.card_qr(signed.member_id))
    till.checkout.set_member(signed.member_id)
    return till, signed.member_id


def _books(central: CentralHarness) -> tuple[int, int, int]:
    """What the reports add up: points ever earned, redemptions, wallet coupons used."""
    with central.engine.connect() as conn:
        earned = conn.execute(
            select(func.coalesce(func.sum(member_ledger.c.points), 0)).where(
                member_ledger.c.kind == "earn"
            )
        ).scalar_one()
        used = conn.execute(select(func.count()).select_from(redemptions)).scalar_one()
        claimed = conn.execute(select(func.count()).select_from(wallet)).scalar_one()
    return int(earned), int(used), int(claimed)


def test_find_export_and_erase_keep_the_books(
    central: CentralHarness, member: tuple[Kiosk, str]
) -> None:
    _, member_id = member
    with central.engine.begin() as conn:
        assert member_data.find(conn, TEST_SECRET, "139 1234 5678") == member_id
        code = member_data.view(conn, member_id).member_code
        assert member_data.find(conn, TEST_SECRET, code.lower()) == member_id
        shown = member_data.view(conn, member_id)
        exported = member_data.export(conn, ACTOR, member_id, T0)
    assert shown.points > 0
    assert sorted((w.coupon_id, w.used) for w in shown.wallet) == [
        ("welcome-10", False),
        ("yili-5-off-30", True),
    ]
    assert [s["member_id"] for s in exported["sales"]] == [member_id]
    assert exported["points"]["balance"] == shown.points
    assert len(exported["wallet"]) == 2
    earned, used, claimed = _books(central)
    with central.engine.begin() as conn:
        done = member_data.erase(conn, ACTOR, member_id, T0 + 1)
    assert done == {"erased": True, "points_forfeited": shown.points, "wallet_coupons_removed": 1}
    with central.engine.begin() as conn:
        for typed in (PHONE, code):
            with pytest.raises(NotFound):
                member_data.find(conn, TEST_SECRET, typed)
        after = member_data.view(conn, member_id)
        row = conn.execute(select(members).where(members.c.member_id == member_id)).one()
        entries = conn.execute(select(admin_audit).order_by(admin_audit.c.audit_id)).all()
    assert after.erased
    assert after.points == 0  # forfeited by one more event, the earlier ones untouched
    assert [(e.kind, e.points) for e in after.ledger][-1] == ("adjust", -shown.points)
    assert [w.coupon_id for w in after.wallet] == ["yili-5-off-30"]  # the used one stays
    assert not json.loads(row.consent)["marketing"]
    # Sales, redemptions and points earned add up as before; one unused claim is gone.
    assert _books(central) == (earned, used, claimed - 1)
    # The audit says what happened, never with what would find the person again.
    assert [(e.action, e.target) for e in entries] == [
        ("member.export", member_id),
        ("member.erase", member_id),
    ]
    for entry in entries:
        assert code not in f"{entry.before}{entry.after}"
        assert exported["member"]["phone_hash"] not in f"{entry.before}{entry.after}"
    with pytest.raises(Invalid), central.engine.begin() as conn:
        member_data.erase(conn, ACTOR, member_id, T0 + 3)
    # The phone's hash is gone from the record: the number may sign up again as a new
    # member (the unique phone_hash no longer holds it).
    assert row.phone_hash != exported["member"]["phone_hash"]
    with central.engine.connect() as conn:
        holders = conn.execute(
            select(func.count()).where(members.c.phone_hash == exported["member"]["phone_hash"])
        ).scalar_one()
    assert holders == 0


def test_an_erasure_reaches_the_kiosk_that_cached_the_member(
    central: CentralHarness, member: tuple[Kiosk, str]
) -> None:
    till, member_id = member
    card = till.members.card_qr(member_id)
    cached = till.store.loyalty.member(member_id)
    assert cached is not None
    assert cached.phone_hash is not None
    assert cached.phone_hash in _dump(till)  # the cache, and the sign-up it sent
    assert till.store.loyalty.wallet(member_id)
    with central.engine.begin() as conn:
        member_data.erase(conn, ACTOR, member_id, T0 + 1)
    # Before it pulls, the kiosk still takes the card: the sale stands, its points are not
    # booked to the erased member, and the conflict says which kiosk is behind.
    till.checkout.set_member(member_id)
    late = till.sell(YILI_16)
    till.sync()
    with central.engine.connect() as conn:
        refused = conn.execute(select(conflicts).where(conflicts.c.entity == "ledger")).all()
        assert [(c.reason, c.kiosk_id) for c in refused] == [
            ("member_erased", till.credential.kiosk_id)
        ]
        assert conn.execute(select(sales.c.status).where(sales.c.sale_id == late.sale_id)).first()
        assert member_data.view(conn, member_id).points == 0
    earned_here = till.store.loyalty.events(member_id)
    assert till.pull()[ERASURES_FEED] == 1
    assert till.store.loyalty.member(member_id) is None
    assert till.store.loyalty.wallet(member_id) == []
    assert cached.phone_hash not in _dump(till)
    # A lookup answered before the erasure was pulled does not write the member back.
    till.store.loyalty.put_member(cached)
    assert till.store.loyalty.member(member_id) is None
    # Online or not, the signed card is refused (not taken for a card signed up elsewhere),
    # and the phone finds nobody.
    for online in (True, False):
        till.online = online
        with pytest.raises(MemberError) as refused:
            till.members.by_qr(card)
        assert refused.value.reason is Reason.MEMBER_ERASED
        with pytest.raises(MemberError) as unknown:
            till.members.by_phone(PHONE)
        assert unknown.value.reason is Reason.UNKNOWN_MEMBER
    till.online = True
    # The books made here stay, under an id that leads to nobody; a second pull has
    # nothing new, and the number may sign up again as a new member.
    assert till.store.loyalty.events(member_id) == earned_here
    assert till.pull()[ERASURES_FEED] == 0
    assert till.members.sign_up(PHONE, consent=True).member_id != member_id
    # Only an erasure writes the feed: an operator cannot upload one.
    forged = {"items": [{"member_id": member_id}]}
    assert central.op("PUT", "/v1/loyalty/admin/offers/erasures", json=forged).status_code == 422


def _dump(till: Kiosk) -> str:
    return "\n".join(till.store.store.db.conn.iterdump())


def test_members_erased_before_the_feed_existed_reach_the_kiosks_too(
    central: CentralHarness, member: tuple[Kiosk, str]
) -> None:
    till, member_id = member
    with central.engine.begin() as conn:
        member_data.erase(conn, ACTOR, member_id, T0 + 1)
        # As a database erased by the release before holds it: nothing in the feed.
        conn.execute(delete(feed_items).where(feed_items.c.feed == ERASURES_FEED))
        conn.execute(delete(feed_counters).where(feed_counters.c.feed == ERASURES_FEED))
    assert till.pull()[ERASURES_FEED] == 0
    with central.engine.begin() as conn:  # the revision that writes them, run again
        command.downgrade(alembic_config(conn), "0016_alert_item")
        command.upgrade(alembic_config(conn), "head")
    assert till.pull()[ERASURES_FEED] == 1
    assert till.store.loyalty.member(member_id) is None
    with central.engine.begin() as conn:  # and once listed, not listed twice
        command.downgrade(alembic_config(conn), "0016_alert_item")
        command.upgrade(alembic_config(conn), "head")
    assert till.pull()[ERASURES_FEED] == 0


@pytest.fixture
def console(member: tuple[Kiosk, str], central: CentralHarness) -> CentralHarness:
    for role, (login, stores) in ACCOUNTS.items():
        add_account(central, login, role, stores)
    return central


@pytest.mark.parametrize("central_db_url", ["sqlite"], indirect=True)
def test_members_in_the_console_by_role(console: CentralHarness, member: tuple[Kiosk, str]) -> None:
    _, member_id = member
    mgr = signed_in(console, ACCOUNTS[Role.STORE_MANAGER][0])
    # Found by a POST: the phone number never appears in an address.
    found = mgr.post("/admin/members", {"q": PHONE})
    assert found.status_code == 303
    assert found.headers["location"] == f"/admin/members/{member_id}"
    # Typed with a Chinese input method's full-width digits: the same number, found.
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in PHONE)
    assert wide != PHONE
    assert mgr.post("/admin/members", {"q": wide}).headers["location"] == found.headers["location"]
    # Typed as staff copy it from a phone, with the country code: the kiosk hashed the
    # shopper's national number, and it is the same member.
    international = f"+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"
    by_code = mgr.post("/admin/members", {"q": international})
    assert by_code.headers["location"] == found.headers["location"]
    missing = mgr.post("/admin/members", {"q": "13800000000"})
    assert missing.status_code == 404
    assert "13800000000" not in missing.text
    page = mgr.get(f"/admin/members/{member_id}").text
    assert "yili-5-off-30" in page
    assert "erase_member" not in page
    exported = mgr.post(f"/admin/members/{member_id}/export", {})
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.json()["member"]["member_id"] == member_id
    assert mgr.post(f"/admin/members/{member_id}/erase", {"confirm": "1"}).status_code == 403
    for role in (Role.MARKETING, Role.READ_ONLY):
        other = signed_in(console, ACCOUNTS[role][0])
        assert other.get(f"/admin/members/{member_id}").status_code == 403
    hq = signed_in(console, ACCOUNTS[Role.HQ_ADMIN][0])
    assert hq.post(f"/admin/members/{member_id}/erase", {}).status_code == 422  # unconfirmed
    erased = hq.post(f"/admin/members/{member_id}/erase", {"confirm": "1"})
    assert erased.status_code == 303
    assert "The member was erased." in hq.get(erased.headers["location"]).text
    assert hq.post("/admin/members", {"q": PHONE}).status_code == 404


@pytest.mark.parametrize("central_db_url", ["sqlite"], indirect=True)
def test_a_member_a_kiosk_hashed_with_its_typed_country_code_is_found(
    console: CentralHarness,
) -> None:
    # Before numbers were kept in their national form, a kiosk hashed "0086 139…" as typed.
    cred = console.enrol("S001")
    key = decode_secret(cred.member_phone_key)
    typed = "008613900004444"
    doc = signup(cred.store_id, key, typed) | {
        "phone_hash": hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()
    }
    console.client(cred).call("POST", "/v1/members/batch", body={"members": [doc]})
    mgr = signed_in(console, ACCOUNTS[Role.STORE_MANAGER][0])
    found = mgr.post("/admin/members", {"q": "0086 139 0000 4444"})
    assert found.headers["location"] == f"/admin/members/{doc['member_id']}"


@pytest.mark.parametrize("central_db_url", ["sqlite", "postgresql"], indirect=True)
def test_a_members_page_settles_a_pending_merge_then_reads_one_state(
    central: CentralHarness, tmp_path: Path
) -> None:
    # The page reads in a read-only snapshot; the merge it settles is written before it.
    a, b = Kiosk(central, tmp_path / "a", "kiosk A"), Kiosk(central, tmp_path / "b", "kiosk B")
    try:
        first, second = _signed_up_offline_at_both(a, b)
        a.sync()
        b.sync()  # the second sign-up of the phone: a merge waiting to be settled
    finally:
        a.close()
        b.close()
    add_account(central, "hq", Role.HQ_ADMIN, [])
    page = signed_in(central, "hq").get(f"/admin/members/{second.member_id}")
    assert page.status_code == 200
    assert first.member_code in page.text
    assert second.member_id in page.text  # listed as merged into the first
