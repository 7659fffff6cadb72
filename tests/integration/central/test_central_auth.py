"""Enrolment and authentication: only signed, fresh, first-time requests of live kiosks pass."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from sqlalchemy import select

from central.kiosks import service as kiosks
from central.kiosks.tables import nonces
from sync.client import Credential
from sync.errors import AuthRefused
from sync.protocol import HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP
from tests.integration.conftest import CentralHarness


def _signed(
    central: CentralHarness, cred: Credential, path: str, clock: float | None = None
) -> dict[str, str]:
    client = central.client(cred, clock=(lambda: clock) if clock else time.time)
    return client._headers("GET", central.url + path, b"")


def _problem(answer: requests.Response, status: int, reason: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    assert body["reason"] == reason


def test_enrolment_code_works_once(central: CentralHarness) -> None:
    code = central.enrolment_code("S042")
    first = central.session.post(central.url + "/v1/enrol", json={"code": code.lower()})
    assert first.status_code == 200
    assert first.json()["store_id"] == "S042"
    again = central.session.post(central.url + "/v1/enrol", json={"code": code})
    _problem(again, 403, "enrolment_refused")


def test_expired_and_unknown_codes_are_refused(central: CentralHarness) -> None:
    long_ago = int(time.time() * 1000) - 10 * 3_600_000
    with central.engine.begin() as conn:
        code, _ = kiosks.issue_enrolment_code(conn, "S001", 1, long_ago)
    _problem(
        central.session.post(central.url + "/v1/enrol", json={"code": code}),
        403,
        "enrolment_refused",
    )
    _problem(
        central.session.post(central.url + "/v1/enrol", json={"code": "AAAA-BBBB-CCCC"}),
        403,
        "enrolment_refused",
    )


def test_signed_request_passes(central: CentralHarness) -> None:
    cred = central.enrol()
    answer = central.session.get(
        central.url + "/v1/feeds/catalog", headers=_signed(central, cred, "/v1/feeds/catalog")
    )
    assert answer.status_code == 200, answer.text


def test_unsigned_request_is_refused(central: CentralHarness) -> None:
    _problem(central.session.get(central.url + "/v1/feeds/catalog"), 401, "unsigned")


def test_wrong_signature_is_refused(central: CentralHarness) -> None:
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog")
    headers[HEADER_SIGNATURE] = "0" * 64
    _problem(
        central.session.get(central.url + "/v1/feeds/catalog", headers=headers),
        401,
        "bad_signature",
    )


def test_signature_covers_the_body_and_query(central: CentralHarness) -> None:
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog")
    # Same signature, other query: refused.
    answer = central.session.get(central.url + "/v1/feeds/catalog?limit=5", headers=headers)
    _problem(answer, 401, "bad_signature")
    client = central.client(cred)
    body_headers = client._headers(
        "POST", central.url + "/v1/heartbeat", b'{"app_version":"1","queue_depth":0}'
    )
    body_headers["Content-Type"] = "application/json"
    tampered = central.session.post(
        central.url + "/v1/heartbeat",
        data=b'{"app_version":"1","queue_depth":9}',
        headers=body_headers,
    )
    _problem(tampered, 401, "bad_signature")


def test_secret_of_another_kiosk_does_not_work(central: CentralHarness) -> None:
    mine, other = central.enrol(), central.enrol()
    forged = Credential(**{**mine.to_settings(), "secret": other.secret})
    with pytest.raises(AuthRefused) as caught:
        central.client(forged).call("GET", "/v1/feeds/catalog")
    assert caught.value.reason == "bad_signature"


def test_replayed_request_is_refused(central: CentralHarness) -> None:
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog")
    first = central.session.get(central.url + "/v1/feeds/catalog", headers=headers)
    assert first.status_code == 200
    _problem(
        central.session.get(central.url + "/v1/feeds/catalog", headers=headers), 401, "replayed"
    )
    with central.engine.begin() as conn:
        stored = conn.execute(
            select(nonces.c.nonce).where(nonces.c.nonce == headers[HEADER_NONCE])
        ).all()
    assert len(stored) == 1


@pytest.mark.parametrize("skew_s", [-400, 400])
def test_expired_timestamp_is_refused(central: CentralHarness, skew_s: int) -> None:
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog", clock=time.time() + skew_s)
    _problem(
        central.session.get(central.url + "/v1/feeds/catalog", headers=headers), 401, "expired"
    )


def test_malformed_signature_headers_are_refused(central: CentralHarness) -> None:
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog")
    for stamp in ("yesterday", "²"):  # "²".isdigit(), but no number: it answered 500
        bad = {**headers, HEADER_TIMESTAMP: stamp}
        answer = central.session.get(central.url + "/v1/feeds/catalog", headers=bad)
        _problem(answer, 401, "bad_timestamp")
    bad = {**headers, HEADER_NONCE: "short"}
    _problem(central.session.get(central.url + "/v1/feeds/catalog", headers=bad), 401, "bad_nonce")
    bad = {**headers, HEADER_KEY: "k_unknown"}
    _problem(
        central.session.get(central.url + "/v1/feeds/catalog", headers=bad), 401, "bad_signature"
    )


def test_revoked_kiosk_is_refused(central: CentralHarness) -> None:
    cred = central.enrol()
    client = central.client(cred)
    client.call("GET", "/v1/feeds/catalog")
    revoked = central.op("POST", f"/v1/admin/kiosks/{cred.kiosk_id}/revoke")
    assert revoked.status_code == 204
    with pytest.raises(AuthRefused) as caught:
        client.call("GET", "/v1/feeds/catalog")
    assert caught.value.reason == "revoked"
    assert central.op("POST", "/v1/admin/kiosks/nope/revoke").status_code == 404


def test_operator_endpoints_need_a_valid_token(central: CentralHarness) -> None:
    _problem(central.session.get(central.url + "/v1/admin/fleet"), 401, "no_token")
    bad = {"Authorization": "Bearer cop_0000_nothing"}
    _problem(central.session.get(central.url + "/v1/admin/fleet", headers=bad), 401, "bad_token")
    cred = central.enrol()
    # A kiosk's signature is no operator credential.
    answer = central.session.get(
        central.url + "/v1/admin/fleet", headers=_signed(central, cred, "/v1/admin/fleet")
    )
    _problem(answer, 401, "no_token")
    assert central.op("GET", "/v1/admin/fleet").status_code == 200


def test_client_with_a_wrong_clock_recovers(central: CentralHarness) -> None:
    """The service refuses the skewed timestamp; the client follows the service's clock."""
    cred = central.enrol()
    client = central.client(cred, clock=lambda: time.time() - 3600)
    assert client.call("GET", "/v1/feeds/catalog")["feed"] == "catalog"
    assert 3590 < client.clock_offset < 3610


def test_refused_requests_do_not_wait_for_the_write_lock(central: CentralHarness) -> None:
    # A flood of unsigned or wrongly signed requests must not queue for SQLite's write
    # lock (it cut ingest by 20%): refused while another transaction holds it.
    if not central.db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has no database-wide write lock")
    cred = central.enrol()
    headers = _signed(central, cred, "/v1/feeds/catalog")
    headers[HEADER_SIGNATURE] = "0" * 64
    with central.engine.begin() as conn:  # BEGIN IMMEDIATE: the write lock, held
        conn.execute(select(nonces.c.nonce)).all()
        started = time.monotonic()
        unsigned = central.session.get(central.url + "/v1/feeds/catalog", timeout=10)
        forged = central.session.get(central.url + "/v1/feeds/catalog", headers=headers, timeout=10)
        waited = time.monotonic() - started
    _problem(unsigned, 401, "unsigned")
    _problem(forged, 401, "bad_signature")
    assert waited < 5  # the busy timeout is 30 s


def test_wrong_enrolment_codes_and_operator_tokens_are_throttled(central_db_url: str) -> None:
    from tests.integration.payments.conftest import start_payments

    service, stop = start_payments(central_db_url)
    try:
        url, clock = service.url, service.clock
        # Start a second into a clock minute: "61 s later" below is then the next minute,
        # whose count still includes this one (a start at hh:mm:59 would land two later).
        clock.advance((60_000 - clock() % 60_000 + 1_000) / 1000)
        for attempt in range(10):
            wrong = requests.post(
                url + "/v1/enrol", json={"code": f"WRONG-{attempt:04d}"}, timeout=30
            )
            _problem(wrong, 403, "enrolment_refused")
        good = service.harness.enrolment_code()
        throttled = requests.post(url + "/v1/enrol", json={"code": good}, timeout=30)
        _problem(throttled, 429, "throttled")
        assert throttled.headers["retry-after"] == "120"
        for _ in range(10):
            bad = requests.get(
                url + "/v1/admin/fleet", headers={"Authorization": "Bearer x"}, timeout=30
            )
            _problem(bad, 401, "bad_token")
        _problem(service.op("GET", "/v1/admin/fleet"), 429, "throttled")
        clock.advance(61)  # a minute later: the failures of the minute before still count
        again = requests.post(url + "/v1/enrol", json={"code": good}, timeout=30)
        _problem(again, 429, "throttled")
        clock.advance(60)  # two minutes later the address may try again
        assert requests.post(url + "/v1/enrol", json={"code": good}, timeout=30).status_code == 200
        assert service.op("GET", "/v1/admin/fleet").status_code == 200
    finally:
        stop()
