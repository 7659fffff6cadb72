"""WeChat Pay platform certificates: downloaded, checked, stored and rotated, against
the simulator rotating them as WeChat does (publish a new one, switch, withdraw)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from central.payments.config import PaymentsConfig, StoreConfig
from simulators.wechat_pay import WeChatSimulator
from tests.integration.payments.conftest import (
    Kiosk,
    PaymentsHarness,
    problem,
    start_payments,
)


@pytest.fixture
def sim() -> Iterator[WeChatSimulator]:
    simulator = WeChatSimulator(mode="certificate")
    simulator.start()
    yield simulator
    simulator.stop()


def _config(sim: WeChatSimulator, **changes: Any) -> PaymentsConfig:
    wechat = replace(sim.config(timeout_s=2.0), **changes)
    store = StoreConfig(default_provider="wechat", wechat=wechat)
    return PaymentsConfig(default_store=store, poll_interval_s=0.02)


@pytest.fixture
def wechat(central_db_url: str, sim: WeChatSimulator) -> Iterator[PaymentsHarness]:
    harness, stop = start_payments(central_db_url, _config(sim))
    try:
        yield harness
    finally:
        stop()


def _pay(kiosk: Kiosk, sim: WeChatSimulator) -> tuple[str, int]:
    """A Native order created and paid; the callback's HTTP status and the payment's."""
    view = kiosk.create().json()
    otn = str(view["payment_id"]).replace("-", "")
    answer = sim.pay(otn)
    assert answer is not None
    status = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()["status"]
    return status, answer.status_code


def _held(wechat: PaymentsHarness) -> list[str]:
    keys = wechat.op("GET", "/v1/ops/payments/wechat/keys").json()
    assert all(k["mchid"] == "1900000109" for k in keys)
    return [k["serial"] for k in keys if k.get("valid", True)]


def test_payments_keep_working_across_a_certificate_rotation(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    old, old_key = sim.platform_serial, sim.platform_key
    kiosk = wechat.kiosk()
    # Nothing pinned: the first call downloads the list, and the answer verifies.
    assert _pay(kiosk, sim) == ("paid", 200)
    assert sim.certificate_requests == 1
    assert _held(wechat) == [old]
    # WeChat publishes the next certificate ahead of the switch; signing is unchanged.
    new = sim.issue_certificate().serial
    assert _pay(kiosk, sim) == ("paid", 200)
    assert sim.certificate_requests == 1, "no download while every serial is known"
    # WeChat switches: answers and callbacks now name a serial this service has not
    # seen; it downloads once, finds it in the list, and carries on.
    sim.use(new)
    assert _pay(kiosk, sim) == ("paid", 200)
    assert sim.certificate_requests == 2
    assert sorted(_held(wechat)) == sorted([old, new])
    # The old certificate is withdrawn: after the next download it is no longer trusted,
    # so a callback still signed with it is refused.
    sim.retire(old)
    refreshed = wechat.op("POST", "/v1/ops/payments/wechat/keys/refresh").json()
    assert [k["serial"] for k in refreshed] == [new]
    view = kiosk.create().json()
    otn = str(view["payment_id"]).replace("-", "")
    sim.pay(otn, notify=False)
    headers, body = sim.notification(otn, signer=old_key)
    headers["Wechatpay-Serial"] = old
    refused = sim.send(otn, headers, body)
    assert refused.status_code == 401
    assert refused.json()["code"] == "FAIL"


def test_certificates_are_downloaded_again_every_12_hours(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    _pay(kiosk, sim)
    # The service's clock moves on (WeChat's callbacks would now look stale, so only
    # orders are made).
    wechat.clock.advance(11 * 3600)
    assert kiosk.create().status_code == 200
    assert sim.certificate_requests == 1
    wechat.clock.advance(3600)
    assert kiosk.create().status_code == 200
    assert sim.certificate_requests == 2


def test_callbacks_verify_after_a_restart_while_wechat_is_unreachable(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    kiosk = wechat.kiosk()
    view = kiosk.create().json()  # downloads and stores the certificates
    otn = str(view["payment_id"]).replace("-", "")
    # The service restarts (a new runtime reads its database) and WeChat's API is down;
    # WeChat's callback still arrives, signed with the stored certificate.
    wechat.reconfigure(_config(sim, base_url="http://127.0.0.1:9"))
    answer = sim.pay(otn)
    assert answer is not None
    assert answer.status_code == 200, answer.text
    status = kiosk.request("GET", f"/v1/payments/{view['payment_id']}")
    assert status.json()["status"] == "paid"


def test_a_certificate_list_that_cannot_be_trusted_is_refused(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    sim.tamper_certificates = True
    problem(wechat.op("POST", "/v1/ops/payments/wechat/keys/refresh"), 502, "certificates_refused")
    assert _held(wechat) == []
    # With no trusted key, no answer is believed: the kiosk is told to retry, nothing is
    # shown to pay.
    problem(wechat.kiosk().create(), 503, "provider_unavailable")
    sim.tamper_certificates = False
    assert _pay(wechat.kiosk(), sim) == ("paid", 200)


def test_forged_serials_trigger_at_most_one_download_a_minute(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    view = wechat.kiosk().create().json()
    otn = str(view["payment_id"]).replace("-", "")
    sim.pay(otn, notify=False)
    asked = sim.certificate_requests
    for n in range(5):
        headers, body = sim.notification(otn)
        headers["Wechatpay-Serial"] = f"{n:040X}"
        assert sim.send(otn, headers, body).status_code == 401
    assert sim.certificate_requests == asked + 1
    wechat.clock.advance(61)
    headers, body = sim.notification(otn)
    assert sim.send(otn, {**headers, "Wechatpay-Serial": "F" * 40}, body).status_code == 401
    assert sim.certificate_requests == asked + 2
