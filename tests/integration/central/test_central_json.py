"""Text that is not Unicode and numbers that are not JSON are refused as 422 problem
documents, never stored and never a 500 (which a kiosk would retry forever)."""

from __future__ import annotations

import json

import pytest

from central.problems import json_problem
from tests.integration.central.test_central_sales import sale
from tests.integration.conftest import CentralHarness


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (b'{"name": "\\ud800"}', True),
        (b'{"name": "\\udfff x"}', True),
        (b'{"name": "\\ud83d\\ude00"}', False),  # a proper pair: an emoji
        (b'{"name": "\\\\ud800"}', False),  # an escaped backslash, then text
        (b'{"price": NaN}', True),
        (b'{"price": -Infinity}', True),
        (b'{"name": "NaN"}', False),
        (b"not json", False),  # the route's own parsing answers that
    ],
)
def test_json_problem(body: bytes, refused: bool) -> None:
    assert (json_problem(body) is not None) == refused


def test_a_lone_surrogate_or_nan_in_a_sale_is_a_422(central: CentralHarness) -> None:
    cred = central.enrol()
    client = central.client(cred)
    for bad in ("\ud800", float("nan")):
        document = sale(cred, 1) | {"note": bad}
        body = json.dumps({"sales": [document]}).encode()
        url = central.url + "/v1/sales/batch"
        headers = client._headers("POST", url, body)
        answer = central.session.post(url, data=body, headers=headers, timeout=30)
        assert answer.status_code == 422, answer.text
        assert answer.json()["reason"] == "invalid_json"
    assert central.op("GET", "/v1/admin/reports/sales").json()["count"] == 0
