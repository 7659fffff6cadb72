"""The payment routes against their own OpenAPI document (schemathesis), as the central
service's own API is: no 5xx, every error a problem document, answers match schemas."""

from __future__ import annotations

from typing import Any

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
from tests.integration.payments.conftest import PaymentsHarness

MINE = ("/v1/payments", "/v1/kiosk/exit-key", "/v1/exit-codes", "/v1/sales/{sale_id}/receipt",
        "/v1/ops/")  # fmt: skip


class SigningSession(requests.Session):
    def __init__(self, payments: PaymentsHarness) -> None:
        super().__init__()
        self.token = payments.harness.token
        self.kiosk = CentralClient(payments.url, payments.kiosk().credential)
        self.statuses: list[int] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        path = request.path_url.split("?", 1)[0]
        if path.startswith("/v1/ops/"):
            request.headers["Authorization"] = f"Bearer {self.token}"
        else:
            body = request.body or b""
            raw = body.encode() if isinstance(body, str) else body
            headers = self.kiosk._headers(request.method or "GET", request.url or "", raw)
            headers.pop("Accept", None)
            headers.pop("Content-Type", None)
            request.headers.update(headers)
        answer = super().send(request, **kwargs)
        self.statuses.append(answer.status_code)
        return answer


@schemathesis.check
def payment_problem_documents(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type == PROBLEM_CONTENT_TYPE, f"error answered as {content_type!r}"
    assert response.json()["status"] == response.status_code
    return None


def test_payment_routes_conform_to_their_openapi(payments: PaymentsHarness) -> None:
    spec = requests.get(payments.url + "/v1/openapi.json", timeout=30).json()
    spec["paths"] = {p: v for p, v in spec["paths"].items() if p.startswith(MINE)}
    assert len(spec["paths"]) >= 9, sorted(spec["paths"])
    schema = schemathesis.openapi.from_dict(spec)
    session = SigningSession(payments)
    checks = [not_a_server_error, payment_problem_documents, status_code_conformance,
              response_schema_conformance]  # fmt: skip
    for operation in [result.ok() for result in schema.get_all_operations()]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=8, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def run(case: Any) -> None:
                case.call_and_validate(base_url=payments.url, session=session, checks=checks)

            try:
                run()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise
    assert {200, 422} <= set(session.statuses), sorted(set(session.statuses))
    session.close()
