"""The API's edges: problem documents for every error, body limits, OpenAPI, replicas."""

from __future__ import annotations

import concurrent.futures

import pytest
import requests

from central.config import Settings
from central.embedded import start
from tests.integration.central.test_central_sales import push, sale
from tests.integration.conftest import TEST_SECRET, CentralHarness


def assert_problem(answer: requests.Response, status: int) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = answer.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= body.keys()
    return body


def test_health_and_openapi_are_public(central: CentralHarness) -> None:
    assert central.session.get(central.url + "/v1/health").json()["status"] == "ok"
    spec = central.session.get(central.url + "/v1/openapi.json").json()
    assert spec["info"]["version"] == "1.0.0"
    assert "/v1/sales/batch" in spec["paths"]


def test_unknown_path_and_wrong_method(central: CentralHarness) -> None:
    assert_problem(central.session.get(central.url + "/v1/nothing-here"), 404)
    assert_problem(central.session.get(central.url + "/"), 404)
    assert_problem(central.session.delete(central.url + "/v1/health"), 405)


def test_validation_errors_are_problem_documents(central: CentralHarness) -> None:
    body = assert_problem(central.session.post(central.url + "/v1/enrol", json={"code": 5}), 422)
    assert body["errors"]
    assert_problem(
        central.session.post(
            central.url + "/v1/enrol",
            data=b"{not json",
            headers={"Content-Type": "application/json"},
        ),
        422,
    )
    cred = central.enrol()
    # Strict types: a sequence sent as a string is refused, not coerced.
    with pytest.raises(Exception, match="schema"):
        push(central, cred, [sale(cred, 1) | {"sequence": "1"}])


def test_body_size_is_limited(central: CentralHarness) -> None:
    huge = b'{"code": "' + b"A" * (9 * 1024 * 1024) + b'"}'
    answer = central.session.post(
        central.url + "/v1/enrol", data=huge, headers={"Content-Type": "application/json"}
    )
    assert_problem(answer, 413)

    def chunks():  # type: ignore[no-untyped-def]
        # No Content-Length: the limit must hold for streamed bodies too.
        yield b'{"code": "'
        for _ in range(10):
            yield b"A" * (1024 * 1024)
        yield b'"}'

    answer = central.session.post(
        central.url + "/v1/enrol", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(answer, 413)


def test_two_replicas_store_a_batch_once(central: CentralHarness) -> None:
    """Two service processes on one database, the same batch to both at once: stored once."""
    replica = start(
        central.db_url, settings=Settings(db_url=central.db_url, secret_key=TEST_SECRET)
    )
    try:
        cred = central.enrol()
        batch = [sale(cred, n) for n in range(1, 101)]
        clients = [central.client(cred), central.client(cred)]
        clients[1].base_url = replica.url
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [
                pool.submit(c.call, "POST", "/v1/sales/batch", body={"sales": batch})
                for c in clients * 2
            ]
            answers = [f.result() for f in futures]
        for answer in answers:
            assert {r["result"] for r in answer["results"]} <= {"stored", "duplicate"}
        report = central.op("GET", "/v1/admin/reports/sales").json()
        assert report["count"] == 100
        assert report["conflicts"] == 0
    finally:
        replica.stop()
