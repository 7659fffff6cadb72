"""The kiosk's HTTP client for the central service: signing, timeouts, retries.

Every attempt is signed afresh (new timestamp and nonce), so a retry is never
mistaken for a replay. Retries use exponential backoff with full jitter; the clock,
sleep and random source are injected so tests run without waiting.

What is retried: connection errors, timeouts, truncated or garbled answers, 408,
429, 5xx, and a 401 "replayed" (which a well-behaved client only sees when a
network hop delivered its request twice). A 401 "expired" is retried once with the
clock offset learnt from the service's `Date` header, so a kiosk whose clock is
wrong keeps syncing. Any other 4xx is final.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import requests

from sync.connectivity import Connectivity
from sync.errors import AuthRefused, ProtocolError, RetriesExhausted, TransportError
from sync.protocol import (
    HEADER_IDEMPOTENCY,
    HEADER_KEY,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    decode_secret,
    sign,
)

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Credential:
    """What enrolment gave this kiosk. Kept in the kiosk's settings table."""

    central_url: str
    kiosk_id: str
    store_id: str
    key_id: str
    secret: str
    member_phone_key: str
    staff_badge_key: str

    def to_settings(self) -> dict[str, str]:
        return {
            "central_url": self.central_url,
            "kiosk_id": self.kiosk_id,
            "store_id": self.store_id,
            "key_id": self.key_id,
            "secret": self.secret,
            "member_phone_key": self.member_phone_key,
            "staff_badge_key": self.staff_badge_key,
        }

    @classmethod
    def from_settings(cls, data: Mapping[str, Any]) -> Credential:
        return cls(**{k: str(data[k]) for k in cls.__slots__})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 6
    base_s: float = 0.25
    cap_s: float = 15.0
    connect_timeout_s: float = 3.05
    read_timeout_s: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^attempt)]."""
        return rng.uniform(0, min(self.cap_s, self.base_s * 2**attempt))


class CentralClient:
    """Thread-safe enough for one sync thread plus the occasional CLI call."""

    def __init__(
        self,
        base_url: str,
        credential: Credential | None = None,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        connectivity: Connectivity | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self._session = session or requests.Session()
        self.retry = retry or RetryPolicy()
        self.connectivity = connectivity or Connectivity()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        # Seconds to add to the kiosk's clock so signatures fall inside the service's
        # window: learnt from the service's Date header when it answers "expired".
        self.clock_offset = 0.0

    def close(self) -> None:
        self._session.close()

    def _headers(self, method: str, url: str, body: bytes) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        if self.credential is None:
            return headers
        parts = urlsplit(url)
        timestamp = str(int(self._clock() + self.clock_offset))
        nonce = secrets.token_hex(16)
        signature = sign(
            decode_secret(self.credential.secret),
            method,
            unquote(parts.path),
            parts.query,
            body,
            timestamp,
            nonce,
            self.credential.key_id,
        )
        headers |= {
            HEADER_KEY: self.credential.key_id,
            HEADER_TIMESTAMP: timestamp,
            HEADER_NONCE: nonce,
            HEADER_SIGNATURE: signature,
        }
        return headers

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: Mapping[str, str | int | Sequence[str]] | None = None,
        idempotency_key: str | None = None,
        attempts: int | None = None,
        raw: bool = False,
    ) -> Any:
        """Send one request, retrying transient failures; return the parsed JSON answer
        (or, with `raw`, its bytes once they are known to be JSON: for large pages that
        the caller validates in one pass)."""
        url = self.base_url + path
        if query:
            # A list is the name repeated, in its order (`?a=1&a=2`).
            pairs = [
                (k, str(item))
                for k, v in query.items()
                for item in (v if isinstance(v, list | tuple) else [v])
            ]
            url += "?" + urlencode(pairs)
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        total = attempts or self.retry.attempts
        last_error = "no attempt made"
        corrected = False
        for attempt in range(total):
            if attempt:
                self._sleep(self.retry.delay(attempt, self._rng))
            headers = self._headers(method, url, data)
            if idempotency_key:
                headers[HEADER_IDEMPOTENCY] = idempotency_key
            try:
                answer = self._session.request(
                    method,
                    url,
                    data=data or None,
                    headers=headers,
                    timeout=(self.retry.connect_timeout_s, self.retry.read_timeout_s),
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                self.connectivity.failed(last_error)
                continue
            outcome = self._outcome(answer, raw)
            if isinstance(outcome, _Skew):
                if corrected:
                    self.connectivity.failed(outcome.detail, reachable=True)
                    raise AuthRefused(outcome.detail, reason="expired")
                # The kiosk's clock is off: no clock trust, so follow the service's.
                self.clock_offset = outcome.server_time - self._clock()
                corrected = True
                last_error = outcome.detail
                continue
            if isinstance(outcome, _Retry):
                last_error = outcome.why
                self.connectivity.failed(last_error, reachable=True)
                continue
            self.connectivity.succeeded(retried=attempt > 0)
            return outcome.value
        raise RetriesExhausted(
            f"the central service did not answer after {total} attempts ({last_error})"
        )

    def _outcome(self, answer: requests.Response, raw: bool = False) -> _Retry | _Done | _Skew:
        status = answer.status_code
        if raw and status == 200 and answer.headers.get("content-type") == "application/json":
            if answer.content.startswith(b"{") and answer.content.rstrip().endswith(b"}"):
                return _Done(answer.content)
            return _Retry(f"HTTP {status} with an unreadable body")
        try:
            document = answer.json() if answer.content else None
        except ValueError:
            # A proxy's HTML error page or a body cut short: the answer is unusable.
            return _Retry(f"HTTP {status} with an unreadable body")
        if 200 <= status < 300:
            if document is None and status != 204:
                return _Retry(f"HTTP {status} with an empty body")
            return _Done(document)
        problem = document if isinstance(document, dict) else {}
        reason = str(problem.get("reason", ""))
        detail = str(problem.get("detail", "")) or f"HTTP {status}"
        if status in RETRYABLE_STATUS or (status == 401 and reason == "replayed"):
            return _Retry(f"HTTP {status} {detail}")
        if status == 401 and reason == "expired":
            server_time = _server_time(answer)
            if server_time is not None:
                return _Skew(server_time, detail)
        if status == 401:
            self.connectivity.failed(detail, reachable=True)
            raise AuthRefused(detail, reason=reason or None)
        raise ProtocolError(detail, status=status, problem=problem, reason=reason or None)


@dataclass(frozen=True, slots=True)
class _Retry:
    why: str


@dataclass(frozen=True, slots=True)
class _Done:
    value: Any


@dataclass(frozen=True, slots=True)
class _Skew:
    server_time: float
    detail: str


def _server_time(answer: requests.Response) -> float | None:
    try:
        return parsedate_to_datetime(answer.headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def new_client(credential: Credential, **kwargs: Any) -> CentralClient:
    return CentralClient(credential.central_url, credential, **kwargs)


__all__ = ["CentralClient", "Credential", "RetryPolicy", "TransportError", "new_client"]
