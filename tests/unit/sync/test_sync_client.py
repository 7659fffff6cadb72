"""The client's signing, retries with backoff and jitter, and connectivity state (no network)."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
import requests

from sync.client import CentralClient, Credential, RetryPolicy
from sync.connectivity import Connectivity, State
from sync.errors import AuthRefused, ProtocolError, RetriesExhausted
from sync.protocol import (
    HEADER_KEY,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    canonical_query,
    decode_secret,
    encode_secret,
    sign,
)

CRED = Credential(
    central_url="http://central.test",
    kiosk_id="k1",
    store_id="S001",
    key_id="k_abc",
    secret=encode_secret(b"s" * 32),
    member_phone_key=encode_secret(b"p" * 32),
    staff_badge_key=encode_secret(b"b" * 32),
)


def response(
    status: int, body: Any = None, raw: bytes | None = None, headers: dict[str, str] | None = None
) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.headers.update(headers or {})
    r._content = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return r


class FakeSession:
    """Answers from a script: a Response, or an exception to raise."""

    def __init__(self, script: list[requests.Response | Exception]) -> None:
        self.script = list(script)
        self.sent: list[dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.sent.append({"method": method, "url": url, **kwargs})
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self) -> None:
        pass


def client(
    script: list[requests.Response | Exception], **kwargs: Any
) -> tuple[CentralClient, FakeSession, list[float]]:
    session = FakeSession(script)
    sleeps: list[float] = []
    c = CentralClient(
        CRED.central_url,
        CRED,
        session=session,  # type: ignore[arg-type]
        sleep=sleeps.append,
        clock=lambda: 1_800_000_000.0,
        rng=random.Random(7),
        **kwargs,
    )
    return c, session, sleeps


def test_signature_matches_the_protocol_definition() -> None:
    c, session, _ = client([response(200, {"ok": True})])
    c.call("POST", "/v1/heartbeat", body={"a": 1}, query={"z": "1", "a": "x y"})
    sent = session.sent[0]
    headers = sent["headers"]
    assert headers[HEADER_KEY] == "k_abc"
    assert headers[HEADER_TIMESTAMP] == "1800000000"
    expected = sign(
        decode_secret(CRED.secret), "POST", "/v1/heartbeat", "z=1&a=x+y", sent["data"],
        "1800000000", headers[HEADER_NONCE], "k_abc",
    )  # fmt: skip
    assert headers[HEADER_SIGNATURE] == expected


def test_canonical_query_ignores_order_and_escaping_style() -> None:
    assert canonical_query("b=2&a=x+y") == canonical_query("a=x%20y&b=2") == "a=x%20y&b=2"
    # A repeated name's values keep their order: it may be one of preference.
    assert canonical_query("h=2&a=1&h=1") == "a=1&h=2&h=1"
    assert canonical_query("h=1&h=2") != canonical_query("h=2&h=1")


def test_retries_transient_failures_with_growing_jittered_backoff() -> None:
    script: list[requests.Response | Exception] = [
        requests.ConnectionError("refused"),
        response(503, {"reason": "unavailable"}),
        response(200, raw=b"<html>proxy error</html>"),
        response(401, {"reason": "replayed"}),
        response(200, {"ok": 1}),
    ]
    policy = RetryPolicy(attempts=6, base_s=1.0, cap_s=3.0)
    c, session, sleeps = client(script, retry=policy)
    assert c.call("GET", "/v1/feeds/catalog") == {"ok": 1}
    assert len(sleeps) == 4
    caps = [min(3.0, 1.0 * 2**n) for n in range(1, 5)]
    assert all(0 <= s <= cap for s, cap in zip(sleeps, caps, strict=True))
    # Every attempt is signed afresh: no nonce is ever sent twice.
    nonces = [s["headers"][HEADER_NONCE] for s in session.sent]
    assert len(set(nonces)) == 5
    assert c.connectivity.state is State.DEGRADED


def test_gives_up_after_the_configured_attempts() -> None:
    c, session, _sleeps = client([requests.Timeout("slow")] * 3, retry=RetryPolicy(attempts=3))
    with pytest.raises(RetriesExhausted):
        c.call("GET", "/v1/health")
    assert len(session.sent) == 3
    assert c.connectivity.state is State.OFFLINE


def test_client_errors_are_final() -> None:
    c, session, _ = client([response(422, {"reason": "validation", "detail": "bad"})])
    with pytest.raises(ProtocolError) as caught:
        c.call("POST", "/v1/sales/batch", body={})
    assert (caught.value.status, caught.value.reason) == (422, "validation")
    assert len(session.sent) == 1
    c, session, _ = client([response(401, {"reason": "revoked", "detail": "revoked"})])
    with pytest.raises(AuthRefused):
        c.call("GET", "/v1/feeds/catalog")
    assert len(session.sent) == 1


def test_connectivity_states_and_listeners() -> None:
    seen: list[State] = []
    conn = Connectivity(clock=lambda: 5.0)
    conn.subscribe(seen.append)
    conn.succeeded()
    conn.failed("timeout")
    conn.failed("timeout")
    conn.succeeded(retried=True)
    conn.failed("HTTP 503", reachable=True)
    conn.succeeded()
    assert seen == [State.ONLINE, State.DEGRADED, State.OFFLINE, State.DEGRADED, State.ONLINE]
    assert conn.snapshot().last_success_at == 5.0


def test_a_wrong_kiosk_clock_is_corrected_from_the_service_date() -> None:
    # The kiosk thinks it is 08:00:00; the service says 08:10:00.
    expired = response(
        401, {"reason": "expired"}, headers={"Date": "Wed, 15 Jan 2027 08:10:00 GMT"}
    )
    c, session, _ = client([expired, response(200, {"ok": 1}), response(200, {"ok": 2})])
    assert c.call("GET", "/v1/feeds/catalog") == {"ok": 1}
    stamps = [int(s["headers"][HEADER_TIMESTAMP]) for s in session.sent]
    assert stamps == [1_800_000_000, 1_800_000_600]
    c.call("GET", "/v1/feeds/catalog")
    assert int(session.sent[2]["headers"][HEADER_TIMESTAMP]) == stamps[1]


def test_a_clock_that_cannot_be_corrected_is_refused() -> None:
    expired = response(
        401, {"reason": "expired"}, headers={"Date": "Wed, 15 Jan 2027 08:00:00 GMT"}
    )
    c, _, _ = client([expired, expired])
    with pytest.raises(AuthRefused):
        c.call("GET", "/v1/feeds/catalog")
    c, _, _ = client([response(401, {"reason": "expired"})])
    with pytest.raises(AuthRefused):
        c.call("GET", "/v1/feeds/catalog")


def test_an_answer_newer_than_the_kiosk_is_read_and_a_request_stays_strict() -> None:
    """The service is upgraded before its kiosks: a field it added to an answer, at any
    depth, is dropped by the kiosk reading it, not a failed sync round. What the service
    reads from a kiosk keeps refusing a field it does not know."""
    from pydantic import ValidationError

    from sync.groupbuy_protocol import OrderView
    from sync.protocol import ANSWER, MemberSignUp

    line = {"gtin": "06935412001014", "names": {"en": "Water"}, "quantity": 2,
            "unit_minor": 3990, "final_unit_minor": None, "collected": 0}  # fmt: skip
    order = {"order_id": "o-1", "campaign_id": "c-1", "store_id": "S001", "buyer": "Wang",
             "status": "ready", "currency": "CNY", "paid_minor": 7980, "final_minor": None,
             "lines": [line], "refunds": [], "payment_status": "paid"}  # fmt: skip
    review = {"stars": 4, "text": "", "at": "2026-12-07T10:00:00Z"}
    order |= {"review": review}
    newer = order | {"lines": [line | {"added_later": 1}], "added_later": "x",
                     "review": review | {"added_later": True}}  # fmt: skip
    assert OrderView.model_validate(newer, context=ANSWER) == OrderView.model_validate(order)
    as_json = json.dumps(newer)
    assert OrderView.model_validate_json(as_json, context=ANSWER) == OrderView.model_validate(order)
    with pytest.raises(ValidationError, match="added_later"):
        OrderView.model_validate(newer)
    with pytest.raises(ValidationError, match="added_later"):
        OrderView.model_validate_json(as_json)
    # Types stay strict in an answer too: "5" is not 5.
    with pytest.raises(ValidationError):
        OrderView.model_validate(order | {"paid_minor": "7980"}, context=ANSWER)
    signup = {"member_id": "01932b6e-0000-7000-8000-000000000001", "phone_hash": "ab" * 32,
              "consent": {"terms_version": "1", "given_at": "2026-12-07"}, "store_id": "S001",
              "created_at": "2026-12-07T10:00:00+08:00"}  # fmt: skip
    with pytest.raises(ValidationError, match="added_later"):
        MemberSignUp.model_validate(signup | {"added_later": 1})
    assert MemberSignUp.model_validate(signup).store_id == "S001"
