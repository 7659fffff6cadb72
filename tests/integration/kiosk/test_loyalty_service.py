"""The loyalty service on a real SQLite file with the real checkout: members online and
offline, coupons scanned and from the wallet, points, booking, restart and recovery."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest

from app.core import LOCAL_CHAIN_KEY, CoreOptions, KioskCore, build_core
from kiosk.domain.coupons import printed_code
from kiosk.domain.loyalty_errors import CouponRejected, MemberError, PointsError
from kiosk.domain.policy import StorePolicy
from kiosk.domain.sale import Sale, Tender
from kiosk.services.checkout import KioskIdentity
from kiosk.services.loyalty import LoyaltyKeys, LoyaltySettings
from kiosk.services.loyalty_booking import Booked
from kiosk.services.member_port import LookupUnavailable, RemoteMember, RemoteWalletCoupon
from kiosk.services.setup import initialise
from kiosk.store.uow import KioskStore
from sync.protocol import LedgerEvent, MemberSignUp
from tests.helpers import FixedClock
from tests.unit.kiosk.loyalty_data import (
    BASKET_10_OFF_100,
    CATALOG,
    CHIPS,
    CHIPS_2_OFF,
    EXPIRED,
    JUICE,
    JUICE_HALF_ROYAL,
    MANJIAN,
    NONGFU_3FOR2,
    RICE,
    RICE_ROYAL,
    WATER,
    YILI_5_OFF_20,
)

IDENTITY = KioskIdentity("K01", "S001")
CHAIN_KEY = b"chain-member-key-for-tests-32byt"
KEYS = LoyaltyKeys.from_chain_key(CHAIN_KEY)
PHONE = "13800135678"


class FakeCentral:
    """The online lookup port: members by code and phone hash, or down."""

    def __init__(self) -> None:
        self.members: list[RemoteMember] = []
        self.down = False
        self.broken = False
        self.calls = 0

    def _find(
        self,
        pred: Callable[[RemoteMember], bool],
        rank: Callable[[RemoteMember], int] = lambda m: 0,
    ) -> RemoteMember | None:
        self.calls += 1
        if self.down:
            raise LookupUnavailable("central is down")
        if self.broken:
            raise RuntimeError("a bug in the lookup adapter")
        return min(filter(pred, self.members), key=rank, default=None)

    def by_code(self, member_code: str) -> RemoteMember | None:
        return self._find(lambda m: m.member_code == member_code)

    def by_phone_hashes(self, digests: Sequence[str]) -> RemoteMember | None:
        # One question; the first of the digests that finds a member answers, as the
        # service's query does.
        rank = {d: i for i, d in enumerate(digests)}
        return self._find(lambda m: m.phone_hash in rank, lambda m: rank[m.phone_hash])


class Kiosk:
    """The kiosk's core as every entry point builds it, with the lookup port faked."""

    built: ClassVar[list[KioskCore]] = []

    def __init__(
        self,
        store: KioskStore,
        policy: StorePolicy,
        clock: FixedClock,
        lookup: FakeCentral | None,
        *,
        training: bool = False,
    ) -> None:
        self.store = store
        initialise(store, IDENTITY, policy)
        store.settings.set(LOCAL_CHAIN_KEY, CHAIN_KEY.hex())
        self.core = build_core(
            Path(store.store.path).parent,
            CoreOptions(loyalty=LoyaltySettings(offline_points_cap=500), training=training),
            clock=clock,
            member_lookup=lookup,
        )
        Kiosk.built.append(self.core)
        self.members = self.core.members
        self.checkout = self.core.checkout
        self.booking = self.core.booking

    def scan(self, product: object, times: int = 1) -> None:
        for _ in range(times):
            self.checkout.scan(product.gtin[1:])  # type: ignore[attr-defined]

    def pay(self) -> Sale:
        state = self.checkout.begin_payment()
        return self.checkout.complete_sale(Tender("pay-1", "demo", state.priced.total))


@pytest.fixture(autouse=True)
def _close_kiosks() -> Iterator[None]:
    yield
    while Kiosk.built:
        Kiosk.built.pop().close()


@pytest.fixture
def stocked(store: KioskStore) -> KioskStore:
    store.catalog.upsert_many(CATALOG.values())
    repo = store.loyalty
    repo.save_promotions([NONGFU_3FOR2, MANJIAN, RICE_ROYAL])
    repo.save_coupons([BASKET_10_OFF_100, CHIPS_2_OFF, EXPIRED, JUICE_HALF_ROYAL, YILI_5_OFF_20])
    return store


@pytest.fixture
def central() -> FakeCentral:
    return FakeCentral()


def outbox(store: KioskStore, kind: str) -> list[dict[str, object]]:
    return [row.payload for row in store.outbox.pending(1000, kind)]


def test_offline_sign_up_then_a_sale_books_points_for_sync(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, lookup=None)  # no central service at all
    with pytest.raises(MemberError):
        k.members.sign_up(PHONE, consent=False)
    view = k.members.sign_up(PHONE, consent=True, marketing=True)
    assert view.new
    assert view.masked_phone == "138****5678"
    assert view.tier == "general"
    assert k.members.by_qr(view.card_qr).member_id == view.member_id
    assert k.members.sign_up(PHONE, consent=True).member_id == view.member_id  # no twin
    assert k.members.by_phone(PHONE).member_id == view.member_id
    # No clear phone number anywhere in the database.
    dump = "\n".join(k.store.store.db.conn.iterdump())
    assert PHONE not in dump
    [signup] = outbox(stocked, "member")
    MemberSignUp.model_validate(signup)
    k.checkout.set_member(view.member_id)
    k.scan(WATER, 3)
    k.scan(RICE, 3)
    sale = k.pay()
    # 6.00 − 2.00 (3 for 2) + 119.70 − 10 (满100减10) = 113.70 → 113 points
    assert sale.priced.total.minor == 11370
    [earn] = outbox(stocked, "ledger")
    LedgerEvent.model_validate(earn)
    assert (earn["kind"], earn["points"], earn["sale_id"]) == ("earn", 113, sale.sale_id)
    assert k.members.view(view.member_id).points == 113  # type: ignore[union-attr]


def test_online_member_gets_tier_prices_wallet_coupons_and_points(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, central: FakeCentral
) -> None:
    from kiosk.domain.members import member_code_for, phone_hash

    member_id = "01932b6e-0000-7000-8000-000000000001"
    central.members.append(
        RemoteMember(
            member_id,
            member_code_for(member_id),
            phone_hash(KEYS.phone, PHONE),
            "royal",
            5000,
            (
                RemoteWalletCoupon("W-1", "juice-half-royal"),
                RemoteWalletCoupon("W-2", "chips-2-off"),
            ),
        )
    )
    k = Kiosk(stocked, policy, clock, central)
    view = k.members.by_qr(k.members.card_qr(member_id, ttl_s=120))
    assert (view.tier, view.points, view.offline) == ("royal", 5000, False)
    k.checkout.set_member(member_id)
    k.scan(RICE, 3)
    k.scan(JUICE)
    panel = k.checkout.loyalty_view()
    assert [w.code for w in panel.wallet] == ["W-2", "W-1"] or {w.code for w in panel.wallet} == {
        "W-1",
        "W-2",
    }
    outcome = k.checkout.add_coupon("W-1")
    assert outcome.verdict.accepted
    # Rice at the royal price 3 × 35.90 = 107.70, juice 6.80: 114.50, ¥10 off (满100减10,
    # spread 9.41 + 0.59); the coupon halves what is left of the juice, 6.21 → 3.11 off:
    # 114.50 − 10 − 3.11 = 101.39
    assert outcome.state.priced.total.minor == 10139
    with pytest.raises(CouponRejected):
        k.checkout.add_coupon("W-9")
    with pytest.raises(PointsError):
        k.checkout.spend_points(6000)
    state = k.checkout.spend_points(1000)  # ¥10
    assert state.priced.total.minor == 9139
    assert any(d.rule_id.startswith("points:") for d in state.priced.discounts)
    sale = k.pay()
    kinds = sorted((e["kind"], e["points"]) for e in outbox(stocked, "ledger"))
    assert kinds == [("earn", 182), ("redeem", -1000)]  # 91.39 → 91 points, doubled for royal
    [redemption] = outbox(stocked, "coupon_redemption")
    assert (redemption["code"], redemption["sale_id"], redemption["source"]) == (
        "W-1",
        sale.sale_id,
        "wallet",
    )
    # The wallet coupon is used now, here, even before the central service hears of it.
    k.checkout.set_member(member_id)
    assert [w.code for w in k.checkout.loyalty_view().wallet] == ["W-2"]


def test_offline_member_points_are_capped(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, central: FakeCentral
) -> None:
    from kiosk.domain.members import member_code_for, phone_hash

    member_id = "01932b6e-0000-7000-8000-000000000002"
    central.members.append(
        RemoteMember(
            member_id, member_code_for(member_id), phone_hash(KEYS.phone, PHONE), "general", 5000
        )
    )
    k = Kiosk(stocked, policy, clock, central)
    k.members.by_phone(PHONE)
    clock.advance(3600)  # the lookup is old now, and the service is down
    central.down = True
    view = k.members.by_phone(PHONE)
    assert (view.offline, view.points, view.spendable) == (True, 5000, 500)
    k.checkout.set_member(member_id)
    k.scan(RICE)
    with pytest.raises(PointsError):
        k.checkout.spend_points(1000)
    assert k.checkout.spend_points(500).priced.total.minor == 3990 - 500


def test_unknown_phone_offline_says_sign_up(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, central: FakeCentral
) -> None:
    central.down = True
    k = Kiosk(stocked, policy, clock, central)
    with pytest.raises(MemberError) as info:
        k.members.by_phone("13900000000")
    assert info.value.reason == "unknown_member"


def test_printed_coupon_single_use_and_reasons(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    code = printed_code(KEYS.coupon, "chips-2-off", "0001")
    k.scan(CHIPS)
    outcome = k.checkout.add_coupon(code)
    assert outcome.verdict.accepted
    assert outcome.state.priced.total.minor == 550
    with pytest.raises(CouponRejected):
        k.checkout.add_coupon(code)  # already in this cart
    with pytest.raises(CouponRejected) as info:
        k.checkout.add_coupon(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert info.value.reason == "bad_signature"
    expired = k.checkout.add_coupon(printed_code(KEYS.coupon, "summer-5", "0001"))
    assert (expired.verdict.accepted, expired.verdict.reason) == (False, "expired")
    assert [v.code for v in k.checkout.loyalty_view().coupons] == [code]  # the expired one left
    k.pay()
    [redemption] = outbox(stocked, "coupon_redemption")
    assert redemption["code"] == code
    assert redemption["member_id"] is None
    k.scan(CHIPS)
    again = k.checkout.add_coupon(code)
    assert (again.verdict.accepted, again.verdict.reason) == (False, "already_used")


def test_a_coupon_waiting_for_more_goods_stays_and_hints(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    k.scan(RICE, 2)  # ¥79.80
    outcome = k.checkout.add_coupon(printed_code(KEYS.coupon, "basket-10-off-100", "7"))
    assert outcome.verdict.reason == "below_minimum_spend"
    view = k.checkout.loyalty_view()
    assert len(view.coupons) == 1
    assert view.hints[0].kind == "spend_more"
    k.scan(RICE)
    assert k.checkout.loyalty_view().coupons[0].accepted
    k.scan(WATER, 2)
    hint = k.checkout.loyalty_view().hints[0]
    assert (hint.rule_id, hint.need_units) == ("nongfu-3for2", 1)


def test_loyalty_state_survives_a_restart_and_recovery_books_once(
    stocked: KioskStore,
    policy: StorePolicy,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    member = k.members.sign_up(PHONE, consent=True)
    k.checkout.set_member(member.member_id)
    k.scan(CHIPS, 2)
    k.checkout.add_coupon(printed_code(KEYS.coupon, "chips-2-off", "42"))
    before = k.checkout.state().priced
    stocked.close()
    reopened = KioskStore.open(tmp_path / "kiosk.db")
    k2 = Kiosk(reopened, policy, clock, None)
    assert k2.checkout.state().priced == before
    state = k2.checkout.begin_payment()

    def power_cut(document: object) -> None:
        raise SystemExit("power cut")

    # The power goes out after the sale is committed, before its loyalty booking.
    monkeypatch.setattr(k2.booking, "_book", power_cut)
    with pytest.raises(SystemExit):
        k2.checkout.complete_sale(Tender("p", "demo", state.priced.total))
    assert reopened.sales.count() == 1
    assert outbox(reopened, "ledger") == []
    monkeypatch.undo()
    # Recovery at the next start books it, exactly once.
    k3 = Kiosk(reopened, policy, clock, None)
    assert k3.booking.recover(k3.checkout.cart.cart_id) == 0
    assert len(outbox(reopened, "coupon_redemption")) == 1
    assert [e["kind"] for e in outbox(reopened, "ledger")] == ["earn"]
    reopened.close()


def test_a_finished_sale_is_booked_once_however_often_booking_is_asked(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    member = k.members.sign_up(PHONE, consent=True)
    k.checkout.set_member(member.member_id)
    k.scan(CHIPS, 2)
    k.checkout.add_coupon(printed_code(KEYS.coupon, "chips-2-off", "7"))
    state = k.checkout.begin_payment()
    sale = k.checkout.complete_sale(Tender("p", "demo", state.priced.total))  # booked here
    assert [e["kind"] for e in outbox(stocked, "ledger")] == ["earn"]
    assert k.booking.book_sale(sale) == Booked()  # a retry, or a second caller
    assert k.booking.recover(k.checkout.cart.cart_id) == 0
    assert [e["kind"] for e in outbox(stocked, "ledger")] == ["earn"]
    assert len(outbox(stocked, "coupon_redemption")) == 1


def test_engine_reloads_when_offers_change(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    k.scan(WATER, 3)
    assert k.checkout.state().priced.total.minor == 400
    k.store.loyalty.delete_offers("promotion", ["nongfu-3for2"])
    assert k.checkout.state().priced.total.minor == 600
    k.store.loyalty.save_promotions([replace(NONGFU_3FOR2, percent_bp=5000)])
    assert k.checkout.state().priced.total.minor == 500


def test_a_genuine_card_never_seen_works_offline_with_the_base_tier(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    k = Kiosk(stocked, policy, clock, None)
    stranger = "01932b6e-0000-7000-8000-0000000000aa"
    view = k.members.by_qr(k.members.card_qr(stranger))
    assert (view.member_id, view.tier, view.points, view.spendable) == (stranger, "general", 0, 0)
    with pytest.raises(MemberError) as info:
        k.members.by_qr(k.members.card_qr(stranger).replace("MBR:1.0", "MBR:1.1"))
    assert info.value.reason == "bad_member_code"


def test_a_lookup_that_fails_in_any_way_leaves_the_member_to_the_cache(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, central: FakeCentral
) -> None:
    k = Kiosk(stocked, policy, clock, central)
    signed = k.members.sign_up(PHONE, consent=True)
    central.broken = True
    assert k.members.ask_by_phone(PHONE).unavailable
    assert k.members.by_phone(PHONE).member_id == signed.member_id
    assert k.members.by_qr(k.members.card_qr(signed.member_id)).member_id == (signed.member_id)
    # One question for the sign-up (the number, with 86… and 0086… as kiosks hashed them
    # before: three questions until they went together), then one for each of the three
    # after it, all failing.
    assert central.calls == 4


def test_the_card_and_the_phone_find_the_member_signed_up(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    from kiosk.services.member_port import is_coupon_code, is_member_code

    k = Kiosk(stocked, policy, clock, None)
    signed = k.members.sign_up(PHONE, consent=True)
    assert signed.masked_phone == "138****5678"
    card = k.members.card_qr(signed.member_id)
    assert is_member_code(card)
    assert k.members.by_qr(card).member_id == signed.member_id
    assert k.members.by_phone(PHONE) == replace(signed, new=True, card_qr="")
    assert is_coupon_code(printed_code(KEYS.coupon, "chips-2-off", "1"))


def test_a_voided_sale_books_nothing(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    from kiosk.domain.staff import Role, Staff

    k = Kiosk(stocked, policy, clock, None)
    member = k.members.sign_up(PHONE, consent=True)
    k.checkout.set_member(member.member_id)
    k.scan(CHIPS)
    k.checkout.add_coupon(printed_code(KEYS.coupon, "chips-2-off", "9"))
    sale = k.checkout.void_sale(Staff("9", "Sue", Role.SUPERVISOR), "shopper left")
    assert k.booking.book_sale(sale).events == ()
    assert outbox(stocked, "coupon_redemption") == []
    assert outbox(stocked, "ledger") == []
    assert k.booking.recover(k.checkout.cart.cart_id) == 0


def test_a_training_sale_books_no_points_and_uses_no_coupon(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    # The central service refuses points from training sales (`sale_not_paid`): a
    # training kiosk must not book them, nor spend a real coupon.
    k = Kiosk(stocked, policy, clock, None, training=True)
    member = k.members.sign_up(PHONE, consent=True)
    k.checkout.set_member(member.member_id)
    k.scan(CHIPS)
    k.checkout.add_coupon(printed_code(KEYS.coupon, "chips-2-off", "9"))
    sale = k.pay()
    assert sale.training
    assert k.booking.book_sale(sale).events == ()
    assert outbox(stocked, "coupon_redemption") == []
    assert outbox(stocked, "ledger") == []


def test_demo_offers_import_straight_into_a_kiosk(
    store: KioskStore, policy: StorePolicy, clock: FixedClock, tmp_path: Path
) -> None:
    from kiosk.domain.loyalty_errors import OfferError
    from kiosk.services.catalog_import import import_catalog
    from kiosk.services.loyalty_import import import_offers
    from tests.helpers import REPO

    demo = REPO / "assets/demo"
    import_catalog(store, demo / "catalog.csv")
    assert import_offers(store, demo / "promotions.csv", "promotions").imported == 11
    assert import_offers(store, demo / "coupons.csv", "coupons").imported == 6
    k = Kiosk(store, policy, clock, None)
    for _ in range(3):
        k.checkout.scan("6935412001014")  # Nongfu Spring water ¥2.00: 3 for 2
    assert k.checkout.state().priced.total.minor == 400
    spring = k.store.loyalty.promotions()
    nuts = next(p for p in spring if p.promotion_id == "spring-nuts-2for150")
    assert nuts.starts_at is not None
    assert nuts.starts_at.isoformat() == "2027-01-20T00:00:00+08:00"
    bad = tmp_path / "bad.csv"
    bad.write_text("coupon_id,kind,amount\nx,brand,1\n", encoding="utf-8")
    with pytest.raises(OfferError, match="row 2"):
        import_offers(store, bad, "coupons")


def test_a_member_signed_up_with_a_typed_country_code_is_found_and_not_signed_up_again(
    stocked: KioskStore, policy: StorePolicy, clock: FixedClock, central: FakeCentral
) -> None:
    import hashlib
    import hmac

    from kiosk.domain.members import member_code_for

    # Before numbers were kept in their national form, a kiosk hashed "86138…" as typed.
    typed = "86" + PHONE
    as_typed = hmac.new(KEYS.phone, typed.encode(), hashlib.sha256).hexdigest()
    member_id = "01932b6e-0000-7000-8000-000000000009"
    central.members.append(
        RemoteMember(member_id, member_code_for(member_id), as_typed, "general", 700)
    )
    k = Kiosk(stocked, policy, clock, central)
    assert k.members.by_phone(typed).member_id == member_id
    assert k.members.sign_up(typed, consent=True).member_id == member_id
    assert outbox(stocked, "member") == []  # no twin
    # Offline, from the kiosk's cache of that answer.
    central.down = True
    assert k.members.by_phone(typed).member_id == member_id
    assert k.members.sign_up(typed, consent=True).member_id == member_id
    assert outbox(stocked, "member") == []
