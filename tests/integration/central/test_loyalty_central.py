"""Loyalty end to end: a real central service on loopback (SQLite and PostgreSQL), kiosks
on real SQLite files, the sync client in between. Offers by CSV, wallets, members
signed up offline and merged, coupon single use with double use detected, reports."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.core import build_core
from central.loyalty import members
from central.loyalty.reports import COLUMNS
from central.loyalty.tables import members as member_rows
from kiosk.domain.coupons import parse_printed_code
from kiosk.domain.errors import Reason
from kiosk.domain.loyalty_errors import MemberError
from kiosk.domain.members import phone_hash
from kiosk.domain.money import Money
from kiosk.domain.policy import StorePolicy
from kiosk.domain.sale import Sale, Tender
from kiosk.services.catalog_import import import_catalog
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import demo_policy
from kiosk.services.loyalty import LoyaltyKeys, LoyaltySettings
from kiosk.services.members import MemberView
from kiosk.services.setup import database_path, initialise
from kiosk.store.uow import KioskStore
from sync.client import Credential
from sync.enrolment import CREDENTIAL_KEY
from sync.errors import ProtocolError
from sync.loyalty import CentralMemberLookup
from sync.loyalty_protocol import ERASURES_FEED
from sync.protocol import decode_secret
from sync.pullers import FeedPuller
from sync.relay import CONFLICTS_KEY, OutboxRelay
from tests.helpers import FixedClock
from tests.integration.conftest import CentralHarness

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "assets/demo"
PHONE = "13912345678"
YILI_MILK = "6954023001015"
LAYS = "6933509001015"
RICE = "6948906001018"


class Kiosk:
    """An enrolled kiosk's core as every entry point builds it; its member lookup goes
    to the real central service through a switch that plays "offline"."""

    def __init__(
        self, central: CentralHarness, home: Path, name: str, policy: StorePolicy | None = None
    ) -> None:
        self.credential: Credential = central.enrol(name=name)
        self.store = KioskStore.open(database_path(home))
        identity = KioskIdentity(self.credential.kiosk_id, self.credential.store_id)
        initialise(self.store, identity, policy or demo_policy())
        self.store.settings.set(CREDENTIAL_KEY, self.credential.to_settings())
        import_catalog(self.store, DEMO / "catalog.csv")
        self.client = central.client(self.credential)
        self.clock = FixedClock()
        self.online = True
        self._lookup = CentralMemberLookup(self.client)
        self.core = build_core(home, clock=self.clock, member_lookup=self)
        self.members = self.core.members
        self.checkout = self.core.checkout
        self.catalog = self.core.catalog

    # The lookup port, with a switch to play "offline".
    def by_code(self, member_code: str):  # type: ignore[no-untyped-def]
        return self._offline() or self._lookup.by_code(member_code)

    def by_phone_hashes(self, digests):  # type: ignore[no-untyped-def]
        return self._offline() or self._lookup.by_phone_hashes(digests)

    def _offline(self) -> None:
        from kiosk.services.member_port import LookupUnavailable

        if not self.online:
            raise LookupUnavailable("unplugged")

    def pull(self) -> dict[str, int]:
        puller = FeedPuller(self.store, self.client)
        return {
            feed: puller.pull(feed) for feed in ("promotions", "coupons", "tiers", ERASURES_FEED)
        }

    def sync(self) -> None:
        OutboxRelay(self.store, self.client).drain()
        OutboxRelay(self.store, self.client).drain()

    def sell(self, *codes: str) -> Sale:
        for code in codes:
            self.checkout.scan(code)
        state = self.checkout.begin_payment()
        return self.checkout.complete_sale(
            Tender("p-" + state.cart.cart_id, "demo", state.priced.total)
        )

    def close(self) -> None:
        self.core.close()
        self.store.close()


@pytest.fixture
def kiosks(central: CentralHarness, tmp_path: Path) -> Iterator[tuple[Kiosk, Kiosk]]:
    a = Kiosk(central, tmp_path / "a", "kiosk A")
    b = Kiosk(central, tmp_path / "b", "kiosk B")
    yield a, b
    a.close()
    b.close()


def test_offers_by_csv_reach_the_kiosk_and_deletions_follow(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    central.load_offers()
    assert a.pull() == {"promotions": 11, "coupons": 6, "tiers": 0, ERASURES_FEED: 0}
    # The cursor holds.
    assert a.pull() == {"promotions": 0, "coupons": 0, "tiers": 0, ERASURES_FEED: 0}
    a.checkout.scan(LAYS)
    a.checkout.scan(LAYS)
    assert a.checkout.state().priced.total.minor == 750 + 375  # second bag half price
    assert (
        central.op("DELETE", "/v1/loyalty/admin/offers/promotions/lays-2nd-half").status_code == 204
    )
    assert a.pull()["promotions"] == 1
    assert a.checkout.state().priced.total.minor == 1500
    bad = central.op(
        "POST",
        "/v1/loyalty/admin/offers/coupons/import",
        data=b"coupon_id,kind,amount\nx,brand,1\n",
        headers={"Content-Type": "text/csv"},
    )
    assert bad.status_code == 422
    assert "row 2" in bad.json()["detail"]
    # A store's offset in the file that is not one (it said int()'s and timedelta's own
    # words before), and a date off the calendar's ends (a 500 in the reports before).
    for offset, starts, says in (
        ("abc", "2026-12-24", "'abc' is not an offset such as +08:00"),
        ("+25:00", "2026-12-24", "'+25:00' is not an offset such as +08:00"),
        ("+08:00", "0001-01-01", "'0001-01-01' is not between the years 2000 and 2999"),
        ("+08:00", "9999-12-31", "'9999-12-31' is not between the years 2000 and 2999"),
    ):
        refused = central.op(
            "POST",
            "/v1/loyalty/admin/offers/promotions/import",
            data=(
                "promotion_id,name,kind,currency,gtins,percent,starts_at,utc_offset\n"
                f"odd,Odd,percent_off,CNY,6951287001010,10,{starts},{offset}\n"
            ).encode(),
            headers={"Content-Type": "text/csv"},
        )
        assert refused.status_code == 422
        assert says in refused.json()["detail"]
    # An offer in a currency no kiosk prices in never applied, and was taken silently.
    [coupon, *_] = central.op("GET", "/v1/loyalty/admin/offers/coupons").json()
    for currency in ("usd", "RMB"):
        item = {**coupon, "coupon_id": "x", "currency": currency}
        put = central.op("PUT", "/v1/loyalty/admin/offers/coupons", json={"items": [item]})
        assert put.status_code == 422
        assert f"currency {currency!r} is not one the kiosks know" in put.json()["detail"]
    # An item of the wrong shape is refused too, not a 500 (AttributeError was not caught).
    shapeless = {**coupon, "coupon_id": "x", "scope": ["gtins"]}
    put = central.op("PUT", "/v1/loyalty/admin/offers/coupons", json={"items": [shapeless]})
    assert put.status_code == 422
    listed = central.op("GET", "/v1/loyalty/admin/offers/coupons").json()
    assert [c["coupon_id"] for c in listed][:2] == ["juice-half", "royal-baby-8pct"]


def test_wallet_coupon_used_once_and_double_use_is_reported(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, b = kiosks
    central.load_offers()
    a.pull()
    b.pull()
    member = a.members.sign_up(PHONE, consent=True)
    a.sync()  # the sign-up reaches the service
    issued = central.op(
        "POST",
        "/v1/loyalty/admin/wallet/issue",
        json={
            "coupon_id": "yili-5-off-30",
            "member_ids": [member.member_id],
            "campaign_id": "double-12",
        },
    ).json()
    [code] = issued["codes"]
    # Kiosk A (online): the member's wallet arrives with the lookup.
    view = a.members.by_qr(a.members.card_qr(member.member_id))
    assert not view.offline
    a.checkout.set_member(member.member_id)
    a.checkout.scan("6954023001022")  # Yili milk 16-pack ¥56.90
    assert a.checkout.add_coupon(code).verdict.accepted
    sale = a.sell()
    assert sale.priced.total.minor == 5690 - 500  # (Yili 10 % needs 2 or more)
    # Kiosk B was offline and had cached the wallet earlier: it accepts the same code.
    b.online = True
    b.members.by_qr(b.members.card_qr(member.member_id))  # cache filled before A's sale
    b.online = False
    b.checkout.set_member(member.member_id)
    b.checkout.scan("6954023001022")
    assert b.checkout.add_coupon(code).verdict.accepted
    b.sell()
    a.sync()
    b.sync()
    [redemption] = a.store.loyalty.redemptions()
    assert (redemption.code, redemption.data["source"]) == (code, "wallet")
    [conflict] = b.store.settings.get(CONFLICTS_KEY)
    assert conflict["kind"] == "coupon_redemption"
    assert conflict["detail"].startswith("already_used")
    report = central.op("GET", "/v1/loyalty/admin/reports/coupons").json()
    row = next(r for r in report if r["campaign_id"] == "double-12")
    assert (row["claimed"], row["redeemed"], row["double_uses"]) == (1, 1, 1)
    csv_report = central.op("GET", "/v1/loyalty/admin/reports/coupons?format=csv")
    assert csv_report.headers["content-type"].startswith("text/csv")
    assert csv_report.text.splitlines()[0] == ",".join(COLUMNS["coupons"])
    assert all(list(r) == list(COLUMNS["coupons"]) for r in report)
    # A retried batch is a duplicate, not another use.
    OutboxRelay(a.store, a.client).drain()
    a.store.store.db.conn.execute(
        "UPDATE outbox SET sent_at = NULL WHERE kind = 'coupon_redemption'"
    )
    report_before = central.op("GET", "/v1/loyalty/admin/reports/coupons").json()
    OutboxRelay(a.store, a.client).drain()
    assert central.op("GET", "/v1/loyalty/admin/reports/coupons").json() == report_before
    assert (
        parse_printed_code(
            LoyaltyKeys.from_chain_key(decode_secret(a.credential.member_phone_key)).coupon, code
        ).coupon_id
        == "yili-5-off-30"
    )


def test_a_redemption_must_be_the_discount_of_a_paid_sale_of_the_kiosks_store(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    """The service re-checks what a kiosk says a coupon took off: a redemption naming
    another store, a sale it does not hold or another amount is a conflict, kept for review,
    and does not use the code up (it was stored as sent, in any store's figures)."""
    a, _ = kiosks
    central.load_offers()
    a.pull()
    member = a.members.sign_up(PHONE, consent=True)
    a.sync()
    issued = central.op(
        "POST",
        "/v1/loyalty/admin/wallet/issue",
        json={"coupon_id": "yili-5-off-30", "member_ids": [member.member_id]},
    ).json()
    [code] = issued["codes"]
    a.members.by_qr(a.members.card_qr(member.member_id))
    a.checkout.set_member(member.member_id)
    a.checkout.scan("6954023001022")
    assert a.checkout.add_coupon(code).verdict.accepted
    sale = a.sell()
    [honest] = [r for r in a.store.outbox.pending() if r.kind == "coupon_redemption"]

    def send(**changes: Any) -> str:
        forged = honest.payload | {"redemption_id": str(uuid.uuid4())} | changes
        answer = a.client.call(
            "POST", "/v1/loyalty/redemptions/batch", body={"redemptions": [forged]}
        )
        [result] = answer["results"]
        assert result["result"] == "conflict"
        return str(result["detail"])

    assert send(store_id="S009") == "store_mismatch"
    assert send(sale_id=str(uuid.uuid4())) == "unknown_sale"
    a.sync()  # the sale, then its redemption: still the code's first use
    assert not a.store.settings.get(CONFLICTS_KEY)
    assert send(amount_minor=10**12) == "not_in_sale"
    assert send(code="CPN-OTHER") == "not_in_sale"
    conflicts = central.op("GET", "/v1/admin/conflicts").json()
    assert sorted(c["reason"] for c in conflicts if c["entity"] == "redemption") == [
        "not_in_sale", "not_in_sale", "store_mismatch", "unknown_sale",
    ]  # fmt: skip
    report = central.op("GET", "/v1/loyalty/admin/reports/coupons").json()
    assert sum(r["redeemed"] for r in report) == 1
    assert sale.priced.total.minor == 5690 - 500


def test_a_sign_up_counts_in_the_store_of_the_kiosk_that_sent_it(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    member = a.members.sign_up(PHONE, consent=True)
    [signup] = [r.payload for r in a.store.outbox.pending() if r.kind == "member"]
    answer = a.client.call(
        "POST", "/v1/members/batch", body={"members": [signup | {"store_id": "S009"}]}
    )
    assert answer["results"][0]["result"] == "stored"
    with central.engine.connect() as conn:
        stored = conn.execute(
            select(member_rows.c.store_id).where(member_rows.c.member_id == member.member_id)
        ).scalar_one()
    assert stored == a.credential.store_id == "S001"


def _signed_up_offline_at_both(a: Kiosk, b: Kiosk) -> tuple[MemberView, MemberView]:
    """One phone signed up at two kiosks while both are offline: two member ids."""
    a.online = b.online = False
    first = a.members.sign_up(PHONE, consent=True)
    second = b.members.sign_up(PHONE, consent=True)
    assert first.member_id != second.member_id
    return first, second


def test_offline_sign_ups_of_one_phone_are_merged_with_their_points(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, b = kiosks
    first, second = _signed_up_offline_at_both(a, b)
    a.checkout.set_member(first.member_id)
    a.sell(RICE)  # 39.90 → 39 points
    b.checkout.set_member(second.member_id)
    b.sell(RICE, RICE, RICE)  # 119.70 → 119 points
    a.sync()
    b.sync()
    b.sync()  # retried: nothing doubles
    a.online = b.online = True
    view = b.members.by_phone(PHONE)
    assert view.member_id == first.member_id
    assert view.points == 39 + 119
    ledger = central.op("GET", f"/v1/loyalty/admin/members/{second.member_id}/ledger").json()
    assert ledger["member_id"] == first.member_id
    assert ledger["balance"] == 158
    assert len(ledger["events"]) == 2
    tiers = central.op("GET", "/v1/loyalty/admin/reports/tiers").json()
    assert sum(t["members"] for t in tiers) == 1


def _stored_as(kiosk: Kiosk, digest: str, n: int) -> str:
    """A member signed up with the phone hash `digest`, sent as an older kiosk sends it (no
    earlier hashes); their id."""
    member_id = f"01932b6e-0000-7000-8000-0000000000a{n}"
    body = {
        "member_id": member_id,
        "phone_hash": digest,
        "consent": {"terms_version": "2025-01", "marketing": False, "given_at": "2025-06-01"},
        "store_id": kiosk.credential.store_id,
        "created_at": "2025-06-01T10:00:00+08:00",
    }
    [stored] = kiosk.client.call("POST", "/v1/members/batch", body={"members": [body]})["results"]
    assert stored["result"] == "stored"
    return member_id


def _as_typed(kiosk: Kiosk, typed: str) -> str:
    """The hash a kiosk made before numbers were kept national: the keypad's digits."""
    key = decode_secret(kiosk.credential.member_phone_key)
    return hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()


def test_a_member_an_older_kiosk_stored_as_typed_is_one_member_everywhere(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, b = kiosks
    old = _stored_as(a, _as_typed(a, "86" + PHONE), 1)
    # Online, the number typed nationally finds them in one question.
    assert a.members.by_phone(PHONE).member_id == old
    # Offline at another kiosk that never saw them, the same number signs up anew: the
    # kiosk cannot know. The sign-up carries the number's earlier hashes, and the service
    # merges the new id into the member it holds, points and all.
    b.online = False
    new = b.members.sign_up(PHONE, consent=True)
    assert new.member_id != old
    b.checkout.set_member(new.member_id)
    b.sell(RICE)  # 39.90 → 39 points
    b.sync()
    b.sync()  # retried: nothing doubles
    [clash] = b.store.settings.get(CONFLICTS_KEY)
    assert (clash["kind"], clash["key"]) == ("member", new.member_id)
    assert clash["detail"] == f"phone_registered: phone already belongs to member {old}"
    b.online = True
    view = b.members.by_phone("+86 " + PHONE)
    assert (view.member_id, view.points) == (old, 39)
    ledger = central.op("GET", f"/v1/loyalty/admin/members/{new.member_id}/ledger").json()
    assert (ledger["member_id"], ledger["balance"]) == (old, 39)
    tiers = central.op("GET", "/v1/loyalty/admin/reports/tiers").json()
    assert sum(t["members"] for t in tiers) == 1


def test_a_phone_held_twice_answers_with_the_member_under_its_own_hash(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    old = _stored_as(a, _as_typed(a, "0086" + PHONE), 1)
    assert a.members.by_phone(PHONE).member_id == old
    # A member stored under the number's own hash (signed up before this change reached
    # the service, say) is the one the kiosks ask for first.
    key = decode_secret(a.credential.member_phone_key)
    own = _stored_as(a, phone_hash(key, PHONE), 2)
    assert a.members.by_phone(PHONE).member_id == own
    # More earlier hashes than a phone has forms, one that is no hash, or earlier hashes
    # without the number's own: refused.
    own_hash = {"phone_hash": phone_hash(key, PHONE)}
    for query in (
        own_hash | {"legacy_phone_hash": [phone_hash(key, f"1390000000{n}") for n in range(4)]},
        own_hash | {"legacy_phone_hash": ["nothex"]},
        {"legacy_phone_hash": [_as_typed(a, "0086" + PHONE)]},
    ):
        with pytest.raises(ProtocolError) as caught:
            a.client.call("GET", "/v1/loyalty/member", query=query)
        assert caught.value.status == 422


def test_an_erasure_reaches_the_kiosk_that_knows_the_member_by_a_merged_id(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, b = kiosks
    first, second = _signed_up_offline_at_both(a, b)  # merged into the first once synced
    a.sync()
    b.sync()
    b.online = True
    assert b.members.by_phone(PHONE).member_id == first.member_id
    with central.engine.begin() as conn:
        members.erase(conn, first.member_id, 1_800_000_000_000)
    assert b.pull()[ERASURES_FEED] == 2  # both ids
    for member_id in (first.member_id, second.member_id):
        assert b.store.loyalty.member(member_id) is None
        with pytest.raises(MemberError) as refused:
            b.members.by_qr(b.members.card_qr(member_id))
        assert refused.value.reason is Reason.MEMBER_ERASED


def test_campaign_sales_report(central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]) -> None:
    a, _ = kiosks
    central.load_offers()
    central.op(
        "PUT",
        "/v1/loyalty/admin/offers/promotions",
        json={"items": [{
            "promotion_id": "d12-lays", "name": "Double 12 Lay's ¥1 off", "kind": "amount_off",
            "currency": "CNY", "scope": {"gtins": ["0" + LAYS]}, "amount_minor": 100,
            "campaign_id": "double-12", "priority": 10,
        }]},
    )  # fmt: skip
    a.pull()
    a.sell(LAYS, LAYS)
    a.sell(RICE)
    a.sync()
    rows = central.op("GET", "/v1/loyalty/admin/reports/campaigns").json()
    assert all(list(row) == list(COLUMNS["campaigns"]) for row in rows)
    csv = central.op("GET", "/v1/loyalty/admin/reports/campaigns?format=csv").text
    assert csv.splitlines()[0] == ",".join(COLUMNS["campaigns"])
    assert rows == [
        {
            "campaign_id": "double-12",
            "name": "Double 12",
            "sales": 1,
            "revenue_minor": 1300,
            "discount_minor": 200,
            "members": 0,
        }
    ]


def test_offline_points_are_capped_reconciled_and_retries_do_not_double(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, b = kiosks
    member = a.members.sign_up(PHONE, consent=True)
    a.sync()
    answer = central.op(
        "POST",
        f"/v1/loyalty/admin/members/{member.member_id}/adjust",
        json={"points": 1000, "reason": "welcome gift"},
    )
    assert answer.json()["balance"] == 1000
    card = a.members.card_qr(member.member_id)
    for k in (a, b):
        assert k.members.by_qr(card).points == 1000
        k.online = False
        k.clock.advance(3600)  # the lookup is stale: offline rules apply
        k.checkout.set_member(member.member_id)
        k.checkout.scan(RICE)
        assert k.checkout.loyalty_view().member.spendable == 1000  # type: ignore[union-attr]
        k.checkout.spend_points(1000)
        k.sell()  # 39.90 − 10.00 = 29.90 → 29 points earned
    a.sync()
    b.sync()
    # The second offline spend of the same 1,000 points is over the balance: refused,
    # kept for review and listed for reconciliation (the shopper had the discount).
    ledger = central.op("GET", f"/v1/loyalty/admin/members/{member.member_id}/ledger").json()
    assert ledger["balance"] == 1000 - 1000 + 29 + 29
    rows = central.op("GET", "/v1/loyalty/admin/reports/reconciliation").json()
    assert all(list(row) == list(COLUMNS["reconciliation"]) for row in rows)
    csv = central.op("GET", "/v1/loyalty/admin/reports/reconciliation?format=csv").text
    assert len(csv.splitlines()) == 1 + len(rows)
    assert [(r["issue"], r["points"], r["kiosk_id"]) for r in rows] == [
        ("points_refused", -1000, b.credential.kiosk_id)
    ]
    # Every ledger row sent again, in another order: stored once, same balance.
    for k in (b, a):
        k.store.store.db.conn.execute("UPDATE outbox SET sent_at = NULL WHERE kind = 'ledger'")
        k.sync()
    again = central.op("GET", f"/v1/loyalty/admin/members/{member.member_id}/ledger").json()
    assert again == ledger


def test_points_expire_first_in_first_out(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    member = a.members.sign_up(PHONE, consent=True)
    a.checkout.set_member(member.member_id)
    a.sell(RICE, RICE, RICE)  # 119.70 → 119 points, earned 2026-11-23
    a.sync()
    path = f"/v1/loyalty/admin/members/{member.member_id}/ledger"
    central.op("POST", f"/v1/loyalty/admin/members/{member.member_id}/adjust",
               json={"points": -19, "reason": "returned goods"})  # fmt: skip

    def expire(day: str) -> object:
        return central.op(
            "POST", "/v1/loyalty/admin/points/expire", json={"earned_before": day}
        ).json()

    assert expire("2026-11-01") == {"members": 0, "points": 0}
    assert expire("2026-12-01") == {"members": 1, "points": 100}  # 119 − 19 spent
    assert expire("2026-12-01") == {"members": 0, "points": 0}
    assert central.op("GET", path).json()["balance"] == 0


def test_a_withdrawn_tier_policy_gives_the_kiosk_its_own_back(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    policy = {"tiers": [{"tier": "general", "rank": 0}, {"tier": "gold", "rank": 1}]}
    central.op("PUT", "/v1/loyalty/admin/offers/tiers", json={"items": [policy]})
    a.pull()
    assert [r.tier for r in a.catalog.tiers().rules] == ["general", "gold"]
    assert central.op("DELETE", "/v1/loyalty/admin/offers/tiers/policy").status_code == 204
    a.pull()  # the tombstone
    assert a.catalog.tiers() == LoyaltySettings().tiers


def test_rolling_spend_upgrades_a_member_to_royal(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk]
) -> None:
    a, _ = kiosks
    central.load_offers()
    policy = {
        "tiers": [
            {"tier": "general", "rank": 0},
            {"tier": "royal", "rank": 1, "channels": ["mini_program"], "min_spend_minor": 10_000,
             "window_days": 365, "points_multiplier_bp": 20_000},
        ]
    }  # fmt: skip
    assert central.op("PUT", "/v1/loyalty/admin/offers/tiers", json={"items": [policy]}).json() == {
        "changed": 1
    }
    assert a.pull()["tiers"] == 1
    assert a.catalog.tiers().rule("royal").min_spend == 10_000
    member = a.members.sign_up(PHONE, consent=True)
    assert member.tier == "general"
    a.checkout.set_member(member.member_id)
    a.sell(RICE, RICE, RICE)  # 119.70 − 10 = 109.70: over the ¥100 the policy asks
    a.sync()
    assert central.op("POST", "/v1/loyalty/admin/tiers/recompute").json() == {"royal": 1}
    assert central.op("POST", "/v1/loyalty/admin/tiers/recompute").json() == {}
    # The move is kept for the reports, once; the kiosk's sale says when its first item
    # went in, so it is timed from first scan to paid.
    moves = central.op("GET", "/v1/ops/reports/analytics/tier-moves").json()
    assert moves == [{"from_tier": "general", "to_tier": "royal", "members": 1}]
    [use] = central.op("GET", "/v1/ops/reports/analytics/kiosk-use").json()
    assert use["timed_sales"] == use["sales"] == 1
    assert use["average_scan_to_pay_s"] >= 0
    view = a.members.by_qr(a.members.card_qr(member.member_id))
    assert (view.tier, view.points) == ("royal", 109)
    a.checkout.set_member(member.member_id)
    a.checkout.scan(RICE)
    assert a.checkout.state().priced.total.minor == 3590  # the royal price
    sale = a.sell()
    assert sale.priced.total.minor == 3590
    earned = [e for e in a.store.loyalty.events(member.member_id) if e.sale_id == sale.sale_id]
    assert [e.points for e in earned] == [70]  # 35 points, doubled
    tiers = central.op("GET", "/v1/loyalty/admin/reports/tiers?format=csv").text.splitlines()
    assert tiers == ["tier,rank,members", "general,0,0", "royal,1,1"]


def test_a_sync_round_pushes_and_pulls_loyalty(
    central: CentralHarness, kiosks: tuple[Kiosk, Kiosk], demo_products: list[dict[str, Any]]
) -> None:
    from sync.worker import sync_round

    a, _ = kiosks
    # The round's first catalog pull leaves the kiosk with the chain's catalog, not its
    # own CSV import: the chain must hold the products the test sells.
    central.load_catalog(demo_products)
    central.load_offers()
    sync_round(a.store, a.client)
    assert len(a.store.loyalty.promotions()) == 11
    [printed] = central.op(
        "POST", "/v1/loyalty/admin/coupons/print", json={"coupon_id": "snacks-3-off", "count": 1}
    ).json()
    for code in (LAYS, LAYS, "6933509001022"):
        a.checkout.scan(code)
    # 7.50 + 3.75 (second bag half price) + 7.50 = 18.75: under the coupon's ¥20
    outcome = a.checkout.add_coupon(printed)
    assert (outcome.verdict.reason, outcome.verdict.need_amount) == (
        "below_minimum_spend",
        Money(125, "CNY"),
    )
    a.checkout.scan("6933509001022")  # 22.50 now
    assert a.checkout.loyalty_view().coupons[0].accepted
    a.sell()
    sync_round(a.store, a.client)
    assert a.store.outbox.depth() == 0
    [row] = central.op("GET", "/v1/loyalty/admin/reports/coupons").json()
    assert (row["coupon_kind"], row["claimed"], row["redeemed"]) == ("category", 0, 1)
