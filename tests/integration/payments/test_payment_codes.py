"""Payment codes (付款码) charged through the central service, against the local WeChat
Pay micropay and Alipay trade.pay simulators over real HTTP: every outcome the providers
document, one charge per payment even when the request is re-sent or its answer lost,
and a charge whose outcome stays unknown reversed, so no shopper pays without a sale."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from central.payments.config import PaymentsConfig, StoreConfig
from simulators.payment_codes import CodeSimulator
from tests.integration.payments.conftest import (
    Kiosk,
    PaymentsHarness,
    new_payment,
    problem,
    start_payments,
)

WECHAT = "1345678901234567"  # + two digits: the simulator's story
ALIPAY = "28763443825664"


@pytest.fixture(scope="module")
def sim() -> Iterator[CodeSimulator]:
    simulator = CodeSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def codes(central_db_url: str, sim: CodeSimulator) -> Iterator[PaymentsHarness]:
    sim.user_paying_s, sim.slow_s, sim.user_paying_s_all = 0.3, 2.0, 0.0
    sim.taken_total, sim.drop_time = None, False
    store = StoreConfig(
        wechat_code=sim.wechat_config(timeout_s=0.5), alipay=sim.alipay_config(timeout_s=0.5)
    )
    config = PaymentsConfig(
        default_store=store, poll_interval_s=0.02, code_poll_s=0.05, code_wait_s=20
    )
    harness, stop = start_payments(central_db_url, config)
    try:
        yield harness
    finally:
        stop()


_serial = iter(range(10**6))


def code(wallet: str, story: str) -> str:
    """A fresh code (each works once) of that wallet, telling the simulator's story."""
    n = f"{next(_serial):06d}"
    return (WECHAT[:10] + n + story) if wallet == "wechat" else (ALIPAY[:11] + n + story)


def charge(
    kiosk: Kiosk, auth_code: str, **overrides: Any
) -> tuple[dict[str, Any], requests.Response]:
    body = new_payment(auth_code=auth_code, **overrides)
    answer = kiosk.request("POST", "/v1/payments/code", body)
    return body, answer


def status(kiosk: Kiosk, payment_id: str, wait: float = 0) -> dict[str, Any]:
    suffix = f"?wait={wait}" if wait else ""
    answer = kiosk.request("GET", f"/v1/payments/{payment_id}{suffix}")
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def otn(body: dict[str, Any]) -> str:
    return str(body["payment_id"]).replace("-", "")


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_a_code_is_charged_at_once(codes: PaymentsHarness, sim: CodeSimulator, wallet: str) -> None:
    kiosk = codes.kiosk()
    body, answer = charge(kiosk, code(wallet, "00"))
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["status"] == "paid"
    assert view["provider"] == f"{wallet}_code"
    assert view["qr_payload"] is None
    order = sim.orders[otn(body)]
    assert view["provider_ref"] == order.transaction_id
    assert (order.total, order.currency) == (2350, "CNY")
    assert sim.money_taken(otn(body)) == 1


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_user_paying_is_polled_until_paid(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    kiosk = codes.kiosk()
    body, answer = charge(kiosk, code(wallet, "01"))
    assert answer.json()["status"] == "shown"  # "confirm on your phone"
    assert answer.json()["qr_payload"] is None
    paid = status(kiosk, body["payment_id"], wait=10)
    assert paid["status"] == "paid"
    assert sim.money_taken(otn(body)) == 1
    query = "orderquery" if wallet == "wechat" else "alipay.trade.query"
    assert query in sim.calls


@pytest.mark.parametrize(
    ("wallet", "story", "failure"),
    [
        ("wechat", "03", "insufficient_funds"),
        ("wechat", "04", "code_expired"),
        ("wechat", "05", "code_invalid"),
        ("wechat", "02", "user_cancelled"),
        ("alipay", "03", "insufficient_funds"),
        ("alipay", "04", "code_expired"),
        ("alipay", "05", "code_invalid"),
        ("alipay", "02", "closed by the provider"),
    ],
)
def test_refusals_end_the_payment_with_a_reason(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str, story: str, failure: str
) -> None:
    kiosk = codes.kiosk()
    body, _ = charge(kiosk, code(wallet, story))
    view = status(kiosk, body["payment_id"], wait=10)
    assert view["status"] == "failed", view
    assert view["failure"] == failure
    assert sim.money_taken(otn(body)) == 0


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_system_error_and_timeout_are_queried_not_charged_again(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    kiosk = codes.kiosk()
    for story in ("06", "07"):  # system error; the answer comes after the timeout
        body, answer = charge(kiosk, code(wallet, story))
        assert answer.json()["status"] == "shown", answer.text
        assert status(kiosk, body["payment_id"], wait=10)["status"] == "paid"
        assert sim.money_taken(otn(body)) == 1
    pay = "micropay" if wallet == "wechat" else "alipay.trade.pay"
    assert sim.calls.count(pay) >= 2  # one per payment, none re-sent


def test_a_resent_or_double_scanned_charge_charges_once(
    codes: PaymentsHarness, sim: CodeSimulator
) -> None:
    kiosk = codes.kiosk()
    calls_before = sim.calls.count("micropay")
    body = new_payment(auth_code=code("wechat", "07"))  # slow: the answer is lost
    with pytest.raises(requests.Timeout):
        kiosk.request("POST", "/v1/payments/code", body, timeout=0.2)
    # The network cut the kiosk's request mid-charge: the kiosk re-sends, twice at once.
    answers: list[requests.Response] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(kiosk.request("POST", "/v1/payments/code", body))
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    assert status(kiosk, body["payment_id"], wait=10)["status"] == "paid"
    assert sim.money_taken(otn(body)) == 1
    assert sim.orders[otn(body)].auth_code == body["auth_code"]
    assert calls_before + 1 == sim.calls.count("micropay")  # only the first request charged
    # Another code for the same payment is another charge: refused.
    problem(
        kiosk.request("POST", "/v1/payments/code", {**body, "auth_code": code("wechat", "00")}),
        422,
        "payment_conflict",
    )


def test_an_unconfirmed_charge_is_reversed(codes: PaymentsHarness, sim: CodeSimulator) -> None:
    kiosk = codes.kiosk()
    for wallet in ("wechat", "alipay"):
        body, answer = charge(kiosk, code(wallet, "08"))  # never confirmed on the phone
        assert answer.json()["status"] == "shown"
        assert status(kiosk, body["payment_id"], wait=0.3)["status"] == "shown"
        codes.clock.advance(21)  # past code_wait_s
        view = status(kiosk, body["payment_id"])
        assert view["status"] == "expired", view
        assert sim.orders[otn(body)].state == "REVOKED"
        assert sim.money_taken(otn(body)) == 0
    assert "reverse" in sim.calls
    assert "alipay.trade.cancel" in sim.calls


def test_cancel_while_the_shopper_confirms_reverses(
    codes: PaymentsHarness, sim: CodeSimulator
) -> None:
    kiosk = codes.kiosk()
    body, _ = charge(kiosk, code("wechat", "08"))
    cancelled = kiosk.request("POST", f"/v1/payments/{body['payment_id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert sim.orders[otn(body)].state == "REVOKED"


def test_charges_are_authenticated_and_checked(codes: PaymentsHarness) -> None:
    kiosk = codes.kiosk()
    problem(
        requests.post(
            codes.url + "/v1/payments/code",
            json=new_payment(auth_code=code("wechat", "00")),
            timeout=30,
        ),
        401,
        "unsigned",
    )
    problem(charge(kiosk, "190000000000000000")[1], 422, "payment_code")  # not a wallet's
    problem(charge(kiosk, "12345")[1], 422, "validation")
    problem(charge(kiosk, code("wechat", "00"), currency="XXX")[1], 422, "currency")
    # A code provider shows no QR.
    problem(kiosk.create(provider="wechat_code"), 422, "unknown_provider")


def test_a_store_without_code_providers_refuses(payments: PaymentsHarness) -> None:
    problem(charge(payments.kiosk(), code("alipay", "00"))[1], 422, "unknown_provider")


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_a_charge_for_another_amount_is_refused_and_flagged(
    codes: PaymentsHarness, sim: CodeSimulator, wallet: str
) -> None:
    kiosk = codes.kiosk()
    sim.taken_total = 1  # the provider says it took ¥0.01, not the session's ¥23.50
    body, answer = charge(kiosk, code(wallet, "00"))
    view = answer.json()
    assert view["status"] == "failed", view
    assert "staff must review" in view["failure"]
    flags = codes.op("GET", "/v1/ops/payments/flags").json()
    assert [(f["payment_id"], f["kind"]) for f in flags][:1] == [(body["payment_id"], "mismatch")]


def test_an_unreadable_paid_answer_is_queried_and_flagged(
    codes: PaymentsHarness, sim: CodeSimulator
) -> None:
    kiosk = codes.kiosk()
    sim.drop_time = True  # "paid", signed, but without time_end: not proof enough
    body, answer = charge(kiosk, code("wechat", "00"))
    assert answer.json()["status"] == "shown"  # not failed: the money may be taken
    flags = codes.op("GET", "/v1/ops/payments/flags").json()
    assert flags[0]["payment_id"] == body["payment_id"]
    assert flags[0]["kind"] == "malformed"
    sim.drop_time = False  # the next query reads well: paid
    assert status(kiosk, body["payment_id"], wait=10)["status"] == "paid"
    assert sim.money_taken(otn(body)) == 1


class _Killed(Exception):
    """The central process dies here: nothing after this line runs or is written."""


@pytest.mark.parametrize("dies", ["before the provider call", "after the provider charged"])
def test_central_dying_mid_charge_ends_with_money_and_sale_agreeing(
    codes: PaymentsHarness, sim: CodeSimulator, monkeypatch: pytest.MonkeyPatch, dies: str
) -> None:
    provider = codes.runtime.service.providers.code("S001", "wechat_code")
    real = provider.charge

    def dying(order: Any, auth_code: str) -> Any:
        if dies == "after the provider charged":
            real(order, auth_code)
        raise _Killed(dies)

    monkeypatch.setattr(provider, "charge", dying)
    kiosk = codes.kiosk()
    body = new_payment(auth_code=code("wechat", "00"))
    with contextlib.suppress(requests.ConnectionError):  # no answer: a 500 or a cut
        assert kiosk.request("POST", "/v1/payments/code", body).status_code == 500
    monkeypatch.setattr(provider, "charge", real)  # "restarted"
    kiosk.session = requests.Session()  # the old connection died with the process
    # The kiosk re-sends: the claim is there, so nothing is charged again.
    again = kiosk.request("POST", "/v1/payments/code", body).json()
    assert again["status"] == "created"
    codes.clock.advance(21)  # the claim's deadline: the sweep asks the provider
    assert codes.op("POST", "/v1/ops/payments/sweep").json()["checked"] >= 1
    view = status(kiosk, body["payment_id"])
    taken = sim.money_taken(otn(body))
    if dies == "after the provider charged":
        assert (view["status"], taken) == ("paid", 1)  # the money is a sale
    else:
        assert (view["status"], taken) == ("expired", 0)  # never charged, order closed
    charged = [o for o in sim.orders.values() if o.out_trade_no == otn(body)]
    assert len(charged) == (1 if dies == "after the provider charged" else 0)
