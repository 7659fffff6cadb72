"""Faults of the cut-off: run twice at once, or killed half-way and run again; either
way each buyer's difference leaves the wallet once.

The wallet is the sandbox provider behind a ledger that books each refund id's money
the first time the id arrives (as WeChat Pay does with `out_refund_no`) and counts
every send; the service runs on loopback against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from sqlalchemy import func, select

from central.errors import Invalid
from central.groupbuy.routes import service_of
from central.groupbuy.service import GroupBuyService
from central.groupbuy.tables import groupbuy_refunds
from central.payments.errors import ProviderUnavailable
from central.payments.providers.base import RefundOrder, RefundReport
from central.payments.service import Providers
from tests.integration.central.groupbuy_support import (
    HOUR,
    WATER,
    join,
    join_and_pay,
    new_campaign,
    order,
    pay,
    payments,
)
from tests.integration.payments.conftest import PaymentsHarness, problem

__all__ = ["payments"]  # fixture


class Killed(Exception):
    """The process dies here (nothing in the service catches it)."""


@dataclass
class Ledger:
    """The sandbox wallet with a memory of refunds: money moves once per refund id."""

    inner: Any
    moved: dict[str, int] = field(default_factory=dict)
    sends: int = 0
    die_after: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def refund(self, refund: RefundOrder) -> RefundReport:
        with self.lock:
            self.sends += 1
            self.moved.setdefault(refund.refund_id, refund.amount.minor)
            sends = self.sends
        report: RefundReport = self.inner.refund(refund)
        # Killed after the wallet paid out, before the service could write it down:
        # the worst moment, since only the refund id can keep the re-run from paying again.
        if self.die_after is not None and sends >= self.die_after:
            raise Killed
        return report


def _wallet(payments: PaymentsHarness) -> Ledger:
    ledger = Ledger(payments.runtime.service.providers.get("S001", "sandbox"))
    payments.runtime.service.providers = Providers({}, {"sandbox": ledger})
    return ledger


def _campaign_with_buyers(payments: PaymentsHarness, count: int) -> dict[str, Any]:
    campaign = new_campaign(payments)
    for n in range(count):
        join_and_pay(payments, campaign, f"1310000{n:04d}")
    payments.clock.advance(HOUR + 1)
    return campaign


def _refund_rows(payments: PaymentsHarness) -> list[Any]:
    with payments.harness.engine.begin() as conn:
        return list(conn.execute(select(groupbuy_refunds)))


# Seven buyers at 3990, 3990, 3990, 3590, 3590, 3590, 3290: the final tier is 3290.
OWED = [700, 700, 700, 300, 300, 300]


def test_a_cut_off_killed_half_way_and_run_again_refunds_each_difference_once(
    payments: PaymentsHarness,
) -> None:
    ledger = _wallet(payments)
    campaign = _campaign_with_buyers(payments, 7)
    rt = payments.runtime
    dying = Ledger(ledger, die_after=3)
    service = GroupBuyService(
        rt.central.engine, replace(rt.service, providers=Providers({}, {"sandbox": dying})),
        rt.master, rt.central.clock_ms,
    )  # fmt: skip
    with pytest.raises(Killed):
        service.cut_off(campaign["campaign_id"], payments.url)
    rows = _refund_rows(payments)
    assert sorted(r.amount_minor for r in rows) == sorted(OWED)  # all recorded at once
    assert sum(r.status == "refunded" for r in rows) == 2  # the third was paid, not written
    assert len(ledger.moved) == 3

    answer = payments.op("POST", f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/cut-off")
    assert answer.status_code == 200, answer.text
    assert answer.json()["refunds"] == 6
    assert answer.json()["unsent"] == 0
    assert sorted(ledger.moved.values()) == sorted(OWED)
    assert ledger.sends == 3 + 4  # the unconfirmed third once more, then the other three
    assert {r.refund_id for r in _refund_rows(payments)} == set(ledger.moved)


def test_two_cut_offs_at_once_record_and_pay_each_difference_once(
    payments: PaymentsHarness,
) -> None:
    ledger = _wallet(payments)
    campaign = _campaign_with_buyers(payments, 7)
    path = f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/cut-off"
    answers: list[Any] = []
    start = threading.Barrier(2)

    def cut() -> None:
        start.wait()
        answers.append(payments.op("POST", path))

    threads = [threading.Thread(target=cut) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(ledger.moved.values()) == sorted(OWED)
    with payments.harness.engine.begin() as conn:
        count = conn.execute(select(func.count()).select_from(groupbuy_refunds)).scalar_one()
    assert count == 6
    # The one that came second may answer while the first still sends; once both are
    # done, the campaign stands fully refunded.
    assert payments.op("POST", path).json()["refunded_minor"] == sum(OWED)
    assert len(ledger.moved) == 6


@dataclass
class Down:
    """The wallet, not answering new orders."""

    inner: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def create(self, order: Any) -> Any:
        raise ProviderUnavailable("the wallet does not answer")


def test_a_join_the_wallet_did_not_answer_is_retried_by_a_resend_and_closed_at_the_cut_off(
    payments: PaymentsHarness,
) -> None:
    campaign = new_campaign(payments)
    sandbox = payments.runtime.service.providers.get("S001", "sandbox")
    payments.runtime.service.providers = Providers({}, {"sandbox": Down(sandbox)})
    lines = [{"gtin": WATER, "quantity": 1}]
    body_id = str(uuid.uuid4())
    problem(join(payments, campaign, "13100009999", lines, body_id), 503, "provider_unavailable")
    stuck = join(payments, campaign, "13100009998", lines)
    assert stuck.status_code == 503
    # Back up: the re-sent join opens the payment of the same order.
    payments.runtime.service.providers = Providers({}, {"sandbox": sandbox})
    again = join(payments, campaign, "13100009999", lines, body_id)
    assert again.status_code == 201, again.text
    pay(again.json()["pay_url"])
    assert order(payments, again.json())["status"] == "paid"
    # The other never came back: the cut-off closes it without a payment to cancel.
    payments.clock.advance(HOUR + 1)
    cut = payments.op("POST", f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/cut-off")
    assert cut.status_code == 200, cut.text
    assert cut.json()["orders"] == 1
    assert cut.json()["expired"] == 1


def test_a_cancel_that_checked_before_the_cut_off_froze_is_refused_under_the_lock(
    payments: PaymentsHarness,
) -> None:
    campaign = new_campaign(payments)
    buyers = [join_and_pay(payments, campaign, f"1310000{n:04d}") for n in range(3)]
    leaver = buyers[0]
    assert leaver["paid_minor"] == 3990  # joined before the 3-buyer tier (3590)
    asked = payments.clock()
    cut_off = {"done": False}

    def clock() -> int:
        # The cancel's first look at the time: it is still before the cut-off, and the
        # cut-off runs (orders frozen, differences recorded) before the cancel locks.
        if not cut_off["done"]:
            cut_off["done"] = True
            payments.clock.advance(HOUR + 1)
            path = f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/cut-off"
            assert payments.op("POST", path).status_code == 200
            return asked
        return payments.clock()

    racing = replace(service_of(payments.runtime), clock_ms=clock)
    with pytest.raises(Invalid, match="only before the cut-off") as refused:
        racing.cancel(leaver["order_id"], leaver["token"], payments.url)
    assert refused.value.reason == "groupbuy_closed"
    assert cut_off["done"]
    rows = [r for r in _refund_rows(payments) if r.order_id == leaver["order_id"]]
    assert [(r.kind, r.amount_minor) for r in rows] == [("difference", 400)]
    # The buyer the final tier counted keeps the order, at the final price.
    assert order(payments, leaver)["status"] == "paid"
    assert order(payments, leaver)["final_minor"] == 3590
