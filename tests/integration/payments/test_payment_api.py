"""The kiosk's payment API with the sandbox provider: create, long-poll, cancel, callbacks."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from central.payments.providers.sandbox import SandboxProvider
from tests.integration.conftest import TEST_SECRET
from tests.integration.payments.conftest import PaymentsHarness, new_payment, problem


def _pay_via_page(payments: PaymentsHarness, qr: str, action: str = "pay") -> requests.Response:
    parts = urlsplit(qr)
    token = parse_qs(parts.query)["t"][0]
    return requests.post(payments.url + parts.path, data={"t": token, "action": action}, timeout=30)


def _sandbox() -> SandboxProvider:
    return SandboxProvider(TEST_SECRET, 120, 300)


def _notify(payments: PaymentsHarness, doc: dict[str, Any], **sign: Any) -> requests.Response:
    body = json.dumps(doc).encode()
    ts = sign.pop("timestamp", str(payments.clock() // 1000))
    headers = _sandbox().sign(body, ts, **sign)
    return requests.post(
        payments.url + "/v1/providers/sandbox/notify", data=body, headers=headers, timeout=30
    )


def _paid_doc(view: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    doc = {
        "payment_id": view["payment_id"],
        "state": "paid",
        "amount_minor": view["amount_minor"],
        "currency": view["currency"],
        "reference": "SBXTEST0001",
        "paid_at": "2026-11-23T05:00:00+00:00",
    }
    doc.update(overrides)
    return doc


def test_create_shows_a_sandbox_qr(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    body = new_payment()
    answer = kiosk.request("POST", "/v1/payments", body)
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["status"] == "shown"
    assert view["provider"] == "sandbox"
    assert view["qr_payload"].startswith(f"{payments.url}/pay/sandbox/{body['payment_id']}?t=")
    assert view["expires_at"]
    # The same request again: the same answer; the same id with other details: refused.
    again = kiosk.request("POST", "/v1/payments", body)
    assert again.json() == view
    other = kiosk.request("POST", "/v1/payments", {**body, "amount_minor": 1})
    problem(other, 422, "payment_conflict")


def test_create_refuses_unknown_provider_and_unsigned(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    problem(kiosk.create(provider="wechat"), 422, "unknown_provider")
    problem(kiosk.create(currency="XXX"), 422, "currency")
    problem(kiosk.create(amount_minor=0), 422, "validation")
    problem(
        requests.post(payments.url + "/v1/payments", json=new_payment(), timeout=30),
        401,
        "unsigned",
    )


def test_pay_page_completes_payment_seen_by_long_poll(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    result: dict[str, Any] = {}

    def poll() -> None:
        started = time.monotonic()
        result["answer"] = kiosk.request("GET", f"/v1/payments/{view['payment_id']}?wait=20")
        result["took"] = time.monotonic() - started

    poller = threading.Thread(target=poll)
    poller.start()
    page = _pay_via_page(payments, view["qr_payload"])
    assert page.status_code == 200
    assert "Paid" in page.text
    poller.join(timeout=30)
    paid = result["answer"].json()
    assert paid["status"] == "paid", (paid, result["took"])
    assert paid["provider_ref"].startswith("SBX")
    assert paid["paid_at"]
    assert paid["late"] is False
    assert result["took"] < 10
    # Paying twice from the page changes nothing.
    assert "already paid" in _pay_via_page(payments, view["qr_payload"]).text
    assert kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json() == paid


def test_decline_fails_the_payment(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    assert "Declined" in _pay_via_page(payments, view["qr_payload"], "decline").text
    after = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert after["status"] == "failed"
    assert after["failure"] == "declined by the payer"


def test_long_poll_returns_open_status_at_the_deadline(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    started = time.monotonic()
    answer = kiosk.request("GET", f"/v1/payments/{view['payment_id']}?wait=0.3")
    assert answer.json()["status"] == "shown"
    assert 0.25 < time.monotonic() - started < 5


def test_cancel_then_late_payment_is_kept(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    cancelled = kiosk.request("POST", f"/v1/payments/{view['payment_id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    # The sandbox order is closed now: its page refuses to pay.
    assert _pay_via_page(payments, view["qr_payload"]).status_code == 409
    # But a provider's proof that arrives anyway (paid in the same second) is real money.
    answer = _notify(payments, _paid_doc(view))
    assert answer.status_code == 200, answer.text
    late = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert late["status"] == "paid"
    assert late["late"] is True


def test_payments_are_private_to_their_kiosk(payments: PaymentsHarness) -> None:
    first, second = payments.kiosk(), payments.kiosk()
    view = first.create().json()
    problem(second.request("GET", f"/v1/payments/{view['payment_id']}"), 404, "payment_not_found")
    problem(
        second.request("POST", f"/v1/payments/{view['payment_id']}/cancel"),
        404,
        "payment_not_found",
    )


def test_forged_replayed_stale_and_wrong_callbacks_are_refused(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    doc = _paid_doc(view)
    body = json.dumps(doc).encode()
    url = payments.url + "/v1/providers/sandbox/notify"
    # Forged: signed with another key.
    forged = SandboxProvider(b"not-the-service-key-0123456789ab", 120, 300)
    headers = forged.sign(body, str(payments.clock() // 1000))
    answer = requests.post(url, data=body, headers=headers, timeout=30)
    assert answer.status_code == 401
    assert answer.json()["code"] == "FAIL"
    # Unsigned.
    assert requests.post(url, data=body, timeout=30).status_code == 401
    # Stale: a correct signature ten minutes old.
    stale = _notify(payments, doc, timestamp=str(payments.clock() // 1000 - 600))
    assert stale.status_code == 401
    # Wrong amount, wrong currency, unknown order: refused and flagged.
    assert _notify(payments, _paid_doc(view, amount_minor=1)).status_code == 400
    assert _notify(payments, _paid_doc(view, currency="USD")).status_code == 400
    unknown = _notify(payments, _paid_doc(view, payment_id="0190a000-0000-7000-8000-000000000000"))
    assert unknown.status_code == 404
    status = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert status["status"] == "shown", "no payment is marked paid without proof"
    flags = payments.op("GET", "/v1/ops/payments/flags").json()
    kinds = sorted(f["kind"] for f in flags)
    assert kinds == ["mismatch", "mismatch", "unknown_order"], flags
    # A refused callback re-sent (providers retry) is flagged once.
    _notify(payments, _paid_doc(view, amount_minor=1))
    assert len(payments.op("GET", "/v1/ops/payments/flags").json()) == 3
    # The genuine callback, then the very same one replayed: paid once, harmless.
    headers = _sandbox().sign(body, str(payments.clock() // 1000))
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    paid = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
    assert paid["status"] == "paid"
    assert paid["provider_ref"] == "SBXTEST0001"
    # A second, different payment for the same order: money to give back, flagged.
    assert _notify(payments, _paid_doc(view, reference="SBXOTHER")).status_code == 400
    assert payments.op("GET", "/v1/ops/payments/flags").json()[0]["reference"] == "SBXOTHER"
    # Operators only.
    assert requests.get(payments.url + "/v1/ops/payments/flags", timeout=30).status_code == 401


def test_expired_qr_is_closed_on_the_long_poll(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    payments.clock.advance(121)
    expired = kiosk.request("GET", f"/v1/payments/{view['payment_id']}?wait=5").json()
    assert expired["status"] == "expired"
    assert _pay_via_page(payments, view["qr_payload"]).status_code == 409


def test_sweep_closes_expired_payments_nobody_polls(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    ids = [kiosk.create().json()["payment_id"] for _ in range(3)]
    payments.clock.advance(130)
    assert payments.op("POST", "/v1/ops/payments/sweep").json() == {"checked": 3}
    statuses = {kiosk.request("GET", f"/v1/payments/{i}").json()["status"] for i in ids}
    assert statuses == {"expired"}


def test_money_for_a_failed_payment_is_flagged_not_lost(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    _pay_via_page(payments, view["qr_payload"], "decline")
    answer = _notify(payments, _paid_doc(view))
    assert answer.status_code == 409
    assert kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()["status"] == "failed"
    flags = payments.op("GET", "/v1/ops/payments/flags").json()
    assert [(f["kind"], f["reference"]) for f in flags] == [("payment_state", "SBXTEST0001")]


def test_callbacks_racing_a_cancel_keep_the_money(payments: PaymentsHarness) -> None:
    from concurrent.futures import ThreadPoolExecutor

    kiosk = payments.kiosk()
    views = [kiosk.create().json() for _ in range(6)]

    def cancel(view: dict[str, Any]) -> str:
        return str(
            kiosk.request("POST", f"/v1/payments/{view['payment_id']}/cancel").json()["status"]
        )

    def notify(view: dict[str, Any]) -> int:
        return _notify(
            payments, _paid_doc(view, reference="SBX" + view["payment_id"][-8:])
        ).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        cancels = [pool.submit(cancel, v) for v in views]
        notifies = [pool.submit(notify, v) for v in views]
        assert {f.result() for f in notifies} == {200}
        assert {f.result() for f in cancels} <= {"paid", "cancelled"}
    for view in views:
        final = kiosk.request("GET", f"/v1/payments/{view['payment_id']}").json()
        assert final["status"] == "paid", final
        assert final["provider_ref"] == "SBX" + view["payment_id"][-8:]


def test_paid_payments_whose_sale_never_arrived_are_listed(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create().json()
    assert _notify(payments, _paid_doc(view)).status_code == 200
    assert payments.op("GET", "/v1/ops/payments/paid-without-sale").json() == []
    payments.clock.advance(601)
    listed = payments.op("GET", "/v1/ops/payments/paid-without-sale").json()
    assert [p["payment_id"] for p in listed] == [view["payment_id"]]
    # Once the kiosk's sale arrives, the payment is accounted for.
    from tests.integration.payments.test_receipts_and_pages import sale_document

    doc = sale_document(kiosk, view["sale_id"])
    assert kiosk.request("POST", "/v1/sales/batch", {"sales": [doc]}).status_code == 200
    assert payments.op("GET", "/v1/ops/payments/paid-without-sale").json() == []


def test_the_kiosk_sync_client_drives_a_payment(payments: PaymentsHarness) -> None:
    from sync.client import CentralClient, RetryPolicy

    kiosk = payments.kiosk()
    client = CentralClient(
        payments.url, kiosk.credential, retry=RetryPolicy(attempts=3, base_s=0.01, cap_s=0.05)
    )
    body = new_payment()
    view = client.call("POST", "/v1/payments", body=body)
    assert client.call("POST", "/v1/payments", body=body) == view  # a re-send
    _pay_via_page(payments, view["qr_payload"])
    paid = client.call("GET", f"/v1/payments/{body['payment_id']}", query={"wait": 5})
    assert paid["status"] == "paid"
    client.close()
