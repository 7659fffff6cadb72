"""Property-based tests of the service against its own OpenAPI document (schemathesis).

Kiosk requests are signed by the session on the way out (over the very bytes that
schemathesis generated), operator requests carry a valid token, so the fuzzing
reaches the handlers instead of stopping at authentication (tested on its own in
test_central_auth). Checks: no 5xx ever, every error is an RFC 9457 problem document,
and responses match the published schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from sync.client import CentralClient
from sync.protocol import PROBLEM_CONTENT_TYPE
from tests.integration.conftest import CentralHarness

PUBLIC = ("/v1/health", "/v1/enrol", "/v1/openapi.json")
LONG_POLLS = ("/v1/attendant/commands",)


class SigningSession(requests.Session):
    def __init__(self, central: CentralHarness) -> None:
        super().__init__()
        self.token = central.token
        self.kiosk = central.client(central.enrol())
        self.statuses: list[int] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        path = request.path_url.split("?", 1)[0]
        if path in LONG_POLLS and request.url:
            # A valid `wait` holds the answer up to 25 s when nothing is pending: the
            # fuzzing checks shapes, the waiting has tests of its own.
            parts = urlsplit(request.url)
            query = [(k, "0" if k == "wait" else v) for k, v in parse_qsl(parts.query)]
            request.url = urlunsplit(parts._replace(query=urlencode(query)))
        if path.startswith("/v1/admin/"):
            request.headers["Authorization"] = f"Bearer {self.token}"
        elif path not in PUBLIC:
            body = request.body or b""
            raw = body.encode() if isinstance(body, str) else body
            assert isinstance(raw, bytes)
            request.headers.update(
                _sign(self.kiosk, request.method or "GET", request.url or "", raw)
            )
        answer = super().send(request, **kwargs)
        self.statuses.append(answer.status_code)
        return answer


def _sign(client: CentralClient, method: str, url: str, body: bytes) -> dict[str, str]:
    headers = client._headers(method, url, body)
    headers.pop("Accept", None)
    headers.pop("Content-Type", None)
    return headers


@pytest.fixture
def api(central: CentralHarness) -> Iterator[tuple[Any, SigningSession, str]]:
    session = SigningSession(central)
    spec = central.session.get(central.url + "/v1/openapi.json").json()
    yield schemathesis.openapi.from_dict(spec), session, central.url
    session.close()


@schemathesis.check
def problem_documents(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error answer is application/problem+json with the RFC 9457 members."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type == PROBLEM_CONTENT_TYPE, f"error answered as {content_type!r}"
    body = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["title"], str)
    return None


EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    problem_documents,
    status_code_conformance,
    response_schema_conformance,
]


def test_api_conforms_to_its_openapi(api: tuple[Any, SigningSession, str]) -> None:
    # Driven by hand rather than by schemathesis' pytest plugin, which does not load
    # under pytest 9 (it reads a private attribute pytest removed).
    schema, session, base_url = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # No way to make invalid input for an operation without inputs.
                if mode is GenerationMode.POSITIVE:
                    raise
    # The fuzzing got past validation and authentication, and was refused where it should be.
    seen = set(session.statuses)
    assert {200, 422} <= seen, sorted(seen)
    assert len(session.statuses) > 200
