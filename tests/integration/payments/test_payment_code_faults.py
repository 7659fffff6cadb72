"""Payment codes end to end under faults: the kiosk's `GatewayPayments` and its real
HTTP client, through a proxy that drops, duplicates, delays and resets requests and
answers, to the central service and the WeChat Pay / Alipay simulator. However the
network behaves, each payment is charged at most once, and the kiosk's outcome and the
money agree: paid on the kiosk exactly when the money was taken."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from central.payments.config import PaymentsConfig, StoreConfig
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.payment import PaymentSession
from kiosk.domain.payment_code import parse_payment_code
from kiosk.services.payment_port import PaymentNotFound, PaymentOutcome, PaymentResult
from kiosk.services.payments import GatewayPayments, RemoteStatus
from kiosk.store.uow import KioskStore
from simulators.payment_codes import CodeSimulator
from sync.client import CentralClient, RetryPolicy
from sync.payments import CentralPaymentGateway
from tests.helpers import FixedClock
from tests.integration.payments.conftest import PaymentsHarness, start_payments
from tests.integration.sync.faultproxy import FaultProxy

TIMEOUT = 60
AMOUNT = Money(1850, "CNY")


class Results:
    def __init__(self) -> None:
        self.items: dict[str, PaymentResult] = {}
        self.changed = threading.Condition()

    def __call__(self, result: PaymentResult) -> None:
        with self.changed:
            self.items[result.payment_id] = result
            self.changed.notify_all()

    def wait_for(self, ids: set[str]) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: ids <= self.items.keys(), timeout=TIMEOUT), (
                ids - self.items.keys()
            )


@dataclass
class Rig:
    central: PaymentsHarness
    sim: CodeSimulator
    payments: GatewayPayments
    results: Results
    proxy: FaultProxy
    client: CentralClient


@pytest.fixture
def rig(tmp_path: Path, central_db_url: str) -> Iterator[Rig]:
    sim = CodeSimulator(user_paying_s=0.3, slow_s=1.0)
    sim.start()
    store = StoreConfig(
        wechat_code=sim.wechat_config(timeout_s=0.5), alipay=sim.alipay_config(timeout_s=0.5)
    )
    config = PaymentsConfig(
        default_store=store, poll_interval_s=0.02, code_poll_s=0.05, code_wait_s=20
    )
    central, stop = start_payments(central_db_url, config)
    proxy = FaultProxy(int(central.url.rsplit(":", 1)[1]), seed=1414, fault_rate=0.4).start()
    credential = central.harness.enrol("S001")
    client = CentralClient(
        proxy.url,
        credential,
        retry=RetryPolicy(attempts=6, base_s=0.05, cap_s=0.5, read_timeout_s=30),
        clock=lambda: central.clock() / 1000,
    )
    KioskStore.open(tmp_path / "kiosk.db").close()
    payments = GatewayPayments(
        CentralPaymentGateway(client),
        lambda: KioskStore.open(tmp_path / "kiosk.db"),
        FixedClock(),
        IdFactory(),
        sleep=lambda s: payments_stop.wait(min(s, 0.2)),
    )
    payments_stop = threading.Event()
    results = Results()
    payments.subscribe(results)
    try:
        yield Rig(central, sim, payments, results, proxy, client)
    finally:
        payments_stop.set()
        payments.stop()
        proxy.stop()
        stop()
        sim.stop()


def test_a_flaky_network_never_charges_twice_and_money_matches_the_kiosk(rig: Rig) -> None:
    started: dict[str, str] = {}  # payment id -> out_trade_no
    codes = [f"1345678901{i:06d}{story}" for i, story in enumerate(["00", "01", "06"] * 3)]
    codes += [f"2876344382566{i:04d}{story}" for i, story in enumerate(["00", "01", "07"] * 3)]
    for text in codes:
        code = parse_payment_code(text)
        assert code is not None
        charge = rig.payments.charge_code(code, AMOUNT, str(uuid.uuid4()))
        if charge.result is not None:
            rig.results(charge.result)
        started[charge.view.payment_id] = charge.view.payment_id.replace("-", "")
    rig.results.wait_for(set(started))
    faults = {f: n for f, n in rig.proxy.counts.items() if f != "pass"}
    assert faults.get("drop_after", 0) + faults.get("duplicate", 0) > 0, faults
    for payment_id, otn in started.items():
        taken = rig.sim.money_taken(otn)
        assert taken <= 1, f"{payment_id} charged {taken} times"
        paid = rig.results.items[payment_id].outcome is PaymentOutcome.PAID
        assert paid == (taken == 1), (payment_id, rig.results.items[payment_id], taken)
    paid = [r for r in rig.results.items.values() if r.outcome is PaymentOutcome.PAID]
    assert len(paid) == len(codes)  # every story here ends paid once the network lets it
    # Re-sent and duplicated requests reached the service, never the provider twice.
    charges = rig.sim.calls.count("micropay") + rig.sim.calls.count("alipay.trade.pay")
    assert charges == len(codes), rig.proxy.counts


def test_an_outcome_that_stays_unknown_is_reversed_and_the_kiosk_told(rig: Rig) -> None:
    rig.proxy.fault_rate = 0.0
    code = parse_payment_code("134567890123456708")  # the shopper never confirms
    assert code is not None
    charge = rig.payments.charge_code(code, AMOUNT, str(uuid.uuid4()))
    assert charge.result is None  # "confirm on your phone"
    otn = charge.view.payment_id.replace("-", "")
    rig.central.clock.advance(21)  # past code_wait_s: the service queries, then reverses
    rig.results.wait_for({charge.view.payment_id})
    assert rig.results.items[charge.view.payment_id].outcome is PaymentOutcome.EXPIRED
    assert rig.sim.orders[otn].state == "REVOKED"
    assert rig.sim.money_taken(otn) == 0


def test_a_payment_the_service_never_got_is_not_found_not_unreachable(rig: Rig) -> None:
    rig.proxy.fault_rate = 0.0
    gateway = CentralPaymentGateway(rig.client)
    with pytest.raises(PaymentNotFound):
        gateway.wait(IdFactory().new(), 0)


class _Killed(Exception):
    """The kiosk process dies here."""


class _DyingGateway(CentralPaymentGateway):
    """Sends the charge, then the kiosk dies before it reads the answer."""

    def charge(self, session: PaymentSession, auth_code: str) -> RemoteStatus:
        super().charge(session, auth_code)
        raise _Killed


@pytest.mark.parametrize(("story", "outcome"), [("00", "paid"), ("08", "cancelled")])
def test_a_kiosk_killed_mid_charge_settles_it_on_restart(
    rig: Rig, tmp_path: Path, story: str, outcome: str
) -> None:
    rig.proxy.fault_rate = 0.0
    code = parse_payment_code(f"13456789012345{story.zfill(4)}")
    assert code is not None

    def kiosk(gateway: CentralPaymentGateway) -> GatewayPayments:
        return GatewayPayments(
            gateway, lambda: KioskStore.open(tmp_path / "kiosk.db"), FixedClock(), IdFactory()
        )

    dying = kiosk(_DyingGateway(rig.client))
    with pytest.raises(_Killed):
        dying.charge_code(code, AMOUNT, str(uuid.uuid4()))
    store = KioskStore.open(tmp_path / "kiosk.db")
    try:
        [session] = store.payments.open_sessions()  # saved before the request went out
        restarted = kiosk(CentralPaymentGateway(rig.client))
        try:
            recovered = restarted.recover()  # "paid" completes the sale; else withdrawn
        finally:
            restarted.stop()
        assert [(r.payment_id, r.outcome.value) for r in recovered] == [
            (session.payment_id, outcome)
        ]
        assert store.payments.open_sessions() == []
    finally:
        store.close()
    otn = session.payment_id.replace("-", "")
    assert rig.sim.money_taken(otn) == (1 if outcome == "paid" else 0)
