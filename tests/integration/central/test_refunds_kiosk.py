"""A supervisor refunds at the kiosk (Qt-free core, real SQLite, the real central service
on loopback with the sandbox wallet): one line of one sale, the whole of another; points
come back once; the report shows net figures; retries and lost answers refund once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import text

from app.core import build_core
from central.payments.providers.base import RefundOrder, RefundReport
from central.payments.providers.sandbox import SandboxProvider
from kiosk.domain.errors import NotAllowed, Reason
from kiosk.domain.money import Money
from kiosk.domain.refund import RefundRefused
from kiosk.domain.sale import Sale, Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.config import demo_policy
from kiosk.services.members import MemberView
from kiosk.services.refunds import RefundUnavailable
from sync.client import CentralClient, RetryPolicy
from sync.errors import SyncError
from sync.loyalty_protocol import LOYALTY_PREFIX
from sync.relay import CONFLICTS_KEY, OutboxRelay
from tests.integration.central.test_loyalty_central import PHONE, RICE, YILI_MILK, Kiosk
from tests.integration.conftest import CentralHarness
from tests.integration.sync.faultproxy import FaultProxy

YILI_16 = "6954023001022"  # Yili milk 16-pack, ¥56.90: the ¥5 off from ¥30 coupon's brand
SUPERVISOR = Staff("S-2", "Wang", Role.SUPERVISOR)
ASSOCIATE = Staff("A-1", "Li", Role.ASSOCIATE)


@pytest.fixture
def kiosk(central: CentralHarness, tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(central, tmp_path / "k", "kiosk R")
    yield k
    k.close()


def paid(central: CentralHarness, k: Kiosk, *codes: str, attended: bool = False) -> Sale:
    """A sale paid through the central service's sandbox wallet (or to staff, attended)."""
    for code in codes:
        k.checkout.scan(code)
    state = k.checkout.begin_payment()
    total = state.priced.total
    payment_id = k.core.ids.new()
    if attended:
        return k.checkout.complete_sale(Tender(payment_id, "static_qr", total, "", "S-2"))
    view = k.client.call(
        "POST",
        "/v1/payments",
        body={"payment_id": payment_id, "sale_id": state.cart.cart_id,
              "amount_minor": total.minor, "currency": total.currency},
    )  # fmt: skip
    parts = urlsplit(view["qr_payload"])
    token = parse_qs(parts.query)["t"][0]
    page = requests.post(central.url + parts.path, data={"t": token, "action": "pay"}, timeout=30)
    page.raise_for_status()
    return k.checkout.complete_sale(Tender(payment_id, "sandbox", total, "SBX"))


def report(central: CentralHarness) -> dict[str, Any]:
    totals: list[dict[str, Any]] = central.op("GET", "/v1/admin/reports/sales").json()["totals"]
    (row,) = totals
    return row


def balance(central: CentralHarness, member_id: str) -> int:
    ledger = central.op("GET", f"/v1/loyalty/admin/members/{member_id}/ledger").json()
    return int(ledger["balance"])


def test_one_line_of_one_sale_and_the_whole_of_another(
    central: CentralHarness, kiosk: Kiosk
) -> None:
    member = kiosk.members.sign_up(PHONE, consent=True)
    kiosk.sync()
    central.op(
        "POST",
        f"/v1/loyalty/admin/members/{member.member_id}/adjust",
        json={"points": 1000, "reason": "welcome gift"},
    )
    kiosk.members.by_qr(kiosk.members.card_qr(member.member_id))
    kiosk.checkout.set_member(member.member_id)
    kiosk.checkout.scan(RICE)
    kiosk.checkout.spend_points(500)
    first = paid(central, kiosk, YILI_MILK, YILI_MILK)
    second = paid(central, kiosk, RICE)
    kiosk.sync()
    after_sales = balance(central, member.member_id)
    doc = first.to_wire()
    milk = next(line["line_no"] for line in doc["lines"] if line["quantity"] == 2)

    # An associate may not refund; a supervisor refunds one of the two cartons of milk.
    with pytest.raises(NotAllowed):
        kiosk.core.refunds.refund(ASSOCIATE, first.sale_id, {milk: 1}, "returned")
    assert kiosk.core.refunds.sale(f"https://x/r/{first.sale_id}?exp=1")["sale_id"] == first.sale_id
    plan = kiosk.core.refunds.plan(first.sale_id, {milk: 1})
    one = kiosk.core.refunds.refund(SUPERVISOR, first.sale_id, {milk: 1}, "damaged")
    assert (one.status, one.method) == ("refunded", "sandbox")
    assert one.plan == plan
    assert plan.points_returned > 0  # a share of the 500 points spent on this sale
    receipt = (kiosk.core.home / "receipts" / f"refund-{one.refund_id}.txt").read_text()
    assert "REFUND" in receipt
    assert Money(plan.amount_minor, plan.currency).plain() in receipt
    # Under it, the refund's e-receipt link (a QR on a real printer), for the shopper.
    assert one.e_receipt_url is not None
    assert one.e_receipt_url.startswith(f"{central.url}/r/refunds/{one.refund_id}?")
    assert receipt.splitlines()[-1] == one.e_receipt_url
    page = requests.get(one.e_receipt_url, timeout=30)
    assert page.status_code == 200
    assert one.refund_id[-12:].upper() in page.text
    # Two more cartons than are left: refused here, before anything is written.
    with pytest.raises(RefundRefused) as over:
        kiosk.core.refunds.refund(SUPERVISOR, first.sale_id, {milk: 2}, "returned")
    assert over.value.reason is Reason.REFUND_OVER_PAID

    whole = kiosk.core.refunds.refund(SUPERVISOR, second.sale_id, None, "wrong item")
    assert whole.plan.amount_minor == second.priced.total.minor
    assert whole.plan.completes_sale

    # The relay sends both rows again: the service answers duplicate, refunds nothing more.
    kiosk.sync()
    assert kiosk.store.outbox.depth(["refund"]) == 0
    row = report(central)
    assert row["refund_count"] == 2
    assert row["refund_minor"] == plan.amount_minor + second.priced.total.minor
    assert row["net_minor"] == row["total_minor"] - row["refund_minor"]
    # Points: the spent share comes back and the earned share goes, once each.
    expected = after_sales + one.plan.points_returned - one.plan.points_taken_back
    expected -= whole.plan.points_taken_back
    assert balance(central, member.member_id) == expected
    journal = [e.kind for e in kiosk.store.journal.entries()]
    assert journal.count("refund") == 2


def wallet_state(k: Kiosk, member_code: str, code: str) -> str:
    """The coupon's state in the member's wallet, as the central service tells kiosks."""
    member = k.client.call("GET", f"{LOYALTY_PREFIX}/member", query={"member_code": member_code})
    return str(next(c["state"] for c in member["wallet"] if c["code"] == code))


@pytest.fixture
def coupon_kiosk(central: CentralHarness, tmp_path: Path) -> Iterator[Kiosk]:
    """A kiosk whose store gives coupons back on refunds, with the chain's offers."""
    policy = replace(demo_policy(), refund_returns_coupons=True)
    k = Kiosk(central, tmp_path / "c", "kiosk C", policy)
    central.load_offers()
    k.pull()
    yield k
    k.close()


def sold_with_coupon(
    central: CentralHarness, k: Kiosk
) -> tuple[MemberView, str, Sale, dict[str, int]]:
    """A member's sale of the Yili pack (the ¥5 coupon's whole basis) and rice, synced:
    the member, the coupon's code, the sale and its line numbers by GTIN-13."""
    member = k.members.sign_up(PHONE, consent=True)
    k.sync()
    issued = central.op(
        "POST",
        "/v1/loyalty/admin/wallet/issue",
        json={"coupon_id": "yili-5-off-30", "member_ids": [member.member_id]},
    ).json()
    [code] = issued["codes"]
    k.members.by_qr(k.members.card_qr(member.member_id))
    k.checkout.set_member(member.member_id)
    k.checkout.scan(YILI_16)
    assert k.checkout.add_coupon(code).verdict.accepted
    sale = paid(central, k, RICE)
    k.sync()  # the sale, its coupon redemption and its points reach the service
    assert wallet_state(k, member.member_code, code) == "used"
    lines = {line["gtin"][-13:]: line["line_no"] for line in sale.to_wire()["lines"]}
    return member, code, sale, lines


def test_a_coupon_comes_back_once_when_every_line_it_discounted_is_refunded(
    central: CentralHarness, coupon_kiosk: Kiosk
) -> None:
    k = coupon_kiosk
    member, code, sale, lines = sold_with_coupon(central, k)
    after_sale = balance(central, member.member_id)

    # The rice had no coupon discount: the coupon stays used.
    rice = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[RICE]: 1}, "returned")
    assert rice.plan.coupons_returned == ()
    assert wallet_state(k, member.member_code, code) == "used"
    # The Yili pack was the coupon's whole basis: it goes back to the wallet.
    yili = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[YILI_16]: 1}, "returned")
    assert yili.status == "refunded"
    assert yili.plan.coupons_returned == (code,)
    assert wallet_state(k, member.member_code, code) == "available"

    # The relay sends everything again: nothing changes a second time.
    with k.store.transaction():
        k.store.store.db.conn.execute("UPDATE outbox SET sent_at = NULL")
    k.sync()
    assert wallet_state(k, member.member_code, code) == "available"
    with central.engine.begin() as conn:
        statuses = (
            conn.execute(
                text("SELECT status FROM loyalty_redemptions WHERE code = :c"), {"c": code}
            )
            .scalars()
            .all()
        )
    assert statuses == ["returned"]

    # Points: the sale refunded whole takes back every point it earned, once; the
    # central figures are the kiosk's (no conflict kept).
    taken = rice.plan.points_taken_back + yili.plan.points_taken_back
    assert taken > 0
    assert balance(central, member.member_id) == after_sale - taken
    kept = central.op("GET", "/v1/admin/conflicts").json()
    assert [c for c in kept if c["entity"] == "refund"] == []

    # This kiosk takes the code again at once, even offline: its own redemption was
    # given back in the refund's transaction (and is kept, for the record).
    [returned] = k.store.loyalty.redemptions()
    assert returned.sale_id == sale.sale_id
    k.online = False
    k.checkout.set_member(member.member_id)
    k.checkout.scan(YILI_16)
    assert k.checkout.add_coupon(code).verdict.accepted
    again = k.sell()
    assert again.priced.total.minor == 5690 - 500
    # … and so does the service when the new use arrives: used again, no double use.
    k.online = True
    k.sync()
    assert wallet_state(k, member.member_code, code) == "used"
    assert k.store.settings.get(CONFLICTS_KEY) in (None, [])
    with central.engine.begin() as conn:
        sales_of_code = conn.execute(
            text("SELECT sale_id FROM loyalty_coupon_uses u JOIN loyalty_redemptions r "
                 "ON r.redemption_id = u.redemption_id WHERE u.code = :c"),
            {"c": code},
        ).scalars().all()  # fmt: skip
    assert sales_of_code == [again.sale_id]
    # The new redemption stands here: the code is used again.
    assert k.store.loyalty.used_codes([code]) == {code}


def test_a_queued_refund_the_service_refuses_takes_its_coupon_back(
    central: CentralHarness, coupon_kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refund made while the service was out of reach gives its coupon back here at
    once; when the relay later sends it and the service refuses it (the goods were
    refunded elsewhere first, without the coupon), the kiosk takes the coupon back and
    marks the refund failed: the code cannot be used twice, and the figures agree."""
    k = coupon_kiosk
    member, code, sale, lines = sold_with_coupon(central, k)
    gateway = k.core.refunds._gateway
    assert gateway is not None

    def unreachable(document: Any) -> Any:
        raise RefundUnavailable("the network is down")

    monkeypatch.setattr(gateway, "push", unreachable)
    queued = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[YILI_16]: 1}, "returned")
    assert (queued.status, queued.plan.coupons_returned) == ("pending", (code,))
    assert k.store.loyalty.used_codes([code]) == set()  # free here, offline
    # Meanwhile the same pack is refunded elsewhere (the service desk), coupon kept used.
    [row] = k.store.outbox.pending(10, "refund")
    first = {**row.payload, "refund_id": k.core.ids.new(), "coupons_returned": []}
    k.client.call("POST", "/v1/refunds/batch", body={"refunds": [first]})

    k.sync()
    assert k.store.outbox.depth(["refund"]) == 0
    [mine] = [r for r in k.store.refunds.of_sale(sale.sale_id) if r.refund_id == queued.refund_id]
    assert mine.status == "failed"
    assert k.store.loyalty.used_codes([code]) == {code}
    assert wallet_state(k, member.member_code, code) == "used"
    assert [c["kind"] for c in k.store.settings.get(CONFLICTS_KEY)] == ["refund"]
    row_ = report(central)
    assert (row_["refund_count"], row_["refund_minor"]) == (1, queued.plan.amount_minor)


def test_a_refund_the_wallet_fails_takes_its_coupon_back_here_and_books_nothing(
    central: CentralHarness, coupon_kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wallet fails the refund (WeChat's NOT_ENOUGH, say): no money went back, so the
    service books no points and gives no coupon back, and the kiosk takes back the coupon
    it gave back when it made the refund, on the supervisor's push and again (harmlessly)
    on the relay's. The supervisor's retry then books once, here and there."""
    k = coupon_kiosk
    member, code, sale, lines = sold_with_coupon(central, k)
    after_sale = balance(central, member.member_id)

    def fails(self: SandboxProvider, refund: RefundOrder) -> RefundReport:
        return RefundReport("failed", None, "NOT_ENOUGH")

    # The provider is the edge this service does not own: its answer is faked there.
    monkeypatch.setattr(SandboxProvider, "refund", fails)
    monkeypatch.setattr(SandboxProvider, "query_refund", fails)
    failed = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[YILI_16]: 1}, "returned")
    assert (failed.status, failed.plan.coupons_returned) == ("failed", (code,))
    assert failed.plan.points_taken_back > 0
    assert k.store.loyalty.used_codes([code]) == {code}
    k.sync()
    [mine] = k.store.refunds.of_sale(sale.sale_id)
    assert mine.status == "failed"
    assert k.store.loyalty.used_codes([code]) == {code}
    assert wallet_state(k, member.member_code, code) == "used"
    assert balance(central, member.member_id) == after_sale

    monkeypatch.undo()
    retry = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[YILI_16]: 1}, "returned")
    assert (retry.status, retry.plan.coupons_returned) == ("refunded", (code,))
    k.sync()
    assert k.store.loyalty.used_codes([code]) == set()
    assert wallet_state(k, member.member_code, code) == "available"
    assert balance(central, member.member_id) == after_sale - retry.plan.points_taken_back
    assert k.store.settings.get(CONFLICTS_KEY) in (None, [])


def test_a_queued_refund_the_wallet_fails_takes_its_coupon_back(
    central: CentralHarness, coupon_kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made while the service was out of reach, then failed by the wallet when the relay
    sends it: the relay's answer (`failed`, not a conflict) takes the coupon back here."""
    k = coupon_kiosk
    member, code, sale, lines = sold_with_coupon(central, k)
    after_sale = balance(central, member.member_id)
    gateway = k.core.refunds._gateway
    assert gateway is not None

    def unreachable(document: Any) -> Any:
        raise RefundUnavailable("the network is down")

    def fails(self: SandboxProvider, refund: RefundOrder) -> RefundReport:
        return RefundReport("failed", None, "NOT_ENOUGH")

    monkeypatch.setattr(gateway, "push", unreachable)
    queued = k.core.refunds.refund(SUPERVISOR, sale.sale_id, {lines[YILI_16]: 1}, "returned")
    assert (queued.status, queued.plan.coupons_returned) == ("pending", (code,))
    assert k.store.loyalty.used_codes([code]) == set()
    monkeypatch.setattr(SandboxProvider, "refund", fails)
    monkeypatch.setattr(SandboxProvider, "query_refund", fails)
    k.sync()
    assert k.store.outbox.depth(["refund"]) == 0
    [mine] = k.store.refunds.of_sale(sale.sale_id)
    assert mine.status == "failed"
    assert k.store.loyalty.used_codes([code]) == {code}
    assert wallet_state(k, member.member_code, code) == "used"
    assert balance(central, member.member_id) == after_sale


def test_attended_sales_are_refunded_in_cash_and_synced_later(
    central: CentralHarness, kiosk: Kiosk
) -> None:
    sale = paid(central, kiosk, RICE, attended=True)
    done = kiosk.core.refunds.refund(SUPERVISOR, sale.sale_id, None, "returned")
    assert (done.status, done.method) == ("refunded", "cash")
    kiosk.sync()
    row = report(central)
    assert (row["refund_count"], row["refund_minor"]) == (1, sale.priced.total.minor)


def test_a_refund_made_offline_waits_in_the_outbox_and_is_refunded_once(
    central: CentralHarness, kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The push never arrives (network down), or arrives and its answer is lost: either
    way the outbox row is sent later and the service refunds exactly once."""
    sale = paid(central, kiosk, RICE, YILI_MILK)
    kiosk.sync()
    gateway = kiosk.core.refunds._gateway
    assert gateway is not None
    real_push = gateway.push

    def lost_answer(document: Any) -> Any:
        real_push(document)  # the service refunded …
        raise RefundUnavailable("… and the answer was lost")

    monkeypatch.setattr(gateway, "push", lost_answer)
    done = kiosk.core.refunds.refund(SUPERVISOR, sale.sale_id, None, "returned")
    assert done.status == "pending"
    OutboxRelay(kiosk.store, kiosk.client).drain()
    OutboxRelay(kiosk.store, kiosk.client).drain()
    row = report(central)
    assert (row["refund_count"], row["refund_minor"]) == (1, sale.priced.total.minor)
    # Nothing is left to refund, here or centrally.
    with pytest.raises(RefundRefused):
        kiosk.core.refunds.refund(SUPERVISOR, sale.sale_id, None, "again")


class _Killed(BaseException):
    """The kiosk process dies here (kill -9): nothing after this line runs."""


def test_a_kiosk_killed_around_the_push_refunds_once_after_restart(
    central: CentralHarness, kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the service accepted the refund, before the kiosk recorded the answer,
    and killed before the push went out: after the restart the relay sends both outbox
    rows; each refund happens once, and the kiosk and the service agree."""
    accepted = paid(central, kiosk, RICE, YILI_MILK)
    unsent = paid(central, kiosk, RICE)
    kiosk.sync()
    gateway = kiosk.core.refunds._gateway
    assert gateway is not None
    real_push = gateway.push

    def after_the_service(document: Any) -> Any:
        real_push(document)
        raise _Killed

    def before_the_service(document: Any) -> Any:
        raise _Killed

    for sale, dying in ((accepted, after_the_service), (unsent, before_the_service)):
        monkeypatch.setattr(gateway, "push", dying)
        with pytest.raises(_Killed):
            kiosk.core.refunds.refund(SUPERVISOR, sale.sale_id, None, "returned")
    assert report(central)["refund_count"] == 1  # the first reached the service
    # Restart: a new core on the same files; the refunds are where the commit left them.
    kiosk.core.close()
    kiosk.core = build_core(kiosk.core.home, clock=kiosk.clock, member_lookup=kiosk)
    pending = [r for s in (accepted, unsent) for r in kiosk.core.store.refunds.of_sale(s.sale_id)]
    assert [r.status for r in pending] == ["pending", "pending"]
    kiosk.sync()
    row = report(central)
    total = accepted.priced.total.minor + unsent.priced.total.minor
    assert (row["refund_count"], row["refund_minor"]) == (2, total)
    agreed = [r for s in (accepted, unsent) for r in kiosk.core.store.refunds.of_sale(s.sale_id)]
    assert [(r.status, r.method) for r in agreed] == [("refunded", "sandbox")] * 2
    with pytest.raises(RefundRefused):  # nothing left: not here, not centrally
        kiosk.core.refunds.refund(SUPERVISOR, accepted.sale_id, None, "again")


def test_refunds_through_a_faulty_network_are_refunded_once_each(
    central: CentralHarness, kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refunds to the sandbox wallet made while the service was out of reach, then sent
    by the relay through a proxy that drops, duplicates, resets and cuts requests and
    answers (40 %): every refund is stored and refunded once, and the money agrees."""
    sales = [paid(central, kiosk, RICE) for _ in range(6)]
    kiosk.sync()
    gateway = kiosk.core.refunds._gateway
    assert gateway is not None

    def unreachable(document: Any) -> Any:
        raise RefundUnavailable("the network is down")

    monkeypatch.setattr(gateway, "push", unreachable)
    for sale in sales:
        done = kiosk.core.refunds.refund(SUPERVISOR, sale.sale_id, None, "returned")
        assert (done.status, done.method) == ("pending", "original")
    proxy = FaultProxy(int(central.url.rsplit(":", 1)[1]), seed=1414, fault_rate=0.4).start()
    try:
        client = CentralClient(
            proxy.url,
            kiosk.credential,
            retry=RetryPolicy(attempts=6, base_s=0.01, cap_s=0.1, read_timeout_s=30),
        )
        for _ in range(30):
            try:
                OutboxRelay(kiosk.store, client).drain()
            except SyncError:
                continue
            if kiosk.store.outbox.depth(["refund"]) == 0:
                break
        client.close()
    finally:
        proxy.stop()
    assert kiosk.store.outbox.depth(["refund"]) == 0
    assert sum(n for f, n in proxy.counts.items() if f != "pass") > 0, proxy.counts
    row = report(central)
    assert (row["refund_count"], row["refund_minor"]) == (
        len(sales),
        sum(s.priced.total.minor for s in sales),
    )
    refunds = central.engine.connect()
    try:
        methods = refunds.execute(text("SELECT DISTINCT method, status FROM refunds")).all()
    finally:
        refunds.close()
    assert [tuple(m) for m in methods] == [("sandbox", "refunded")]
