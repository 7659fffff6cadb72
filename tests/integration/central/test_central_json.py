"""Text that is not Unicode and numbers that are not JSON are refused as 422 problem
documents, never stored and never a 500 (which a kiosk would retry forever)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


JUNK = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FIELDS = [
    "total_minor", "subtotal_minor", "discount_minor", "deposit_minor", "tax_minor",
    "item_count", "currency", "store_id", "lines", "taxes", "discounts", "tenders", "sequence",
    "line.quantity", "line.weight_g", "line.unit_price_minor", "line.gross_minor",
    "line.discount_minor", "line.state", "line.line_no", "tax.gross_minor",
]  # fmt: skip


def test_sales_with_any_field_replaced_by_junk_are_never_a_server_error(
    central: CentralHarness,
) -> None:
    cred = central.enrol()
    client = central.client(cred)
    url = central.url + "/v1/sales/batch"
    tried: list[int] = []

    @given(field=st.sampled_from(FIELDS), junk=JUNK, sequence=st.integers(1, 10**6))
    @settings(max_examples=80, deadline=None, database=None)
    def push(field: str, junk: object, sequence: int) -> None:
        document = sale(cred, sequence)
        if field.startswith("line."):
            document["lines"][0][field[5:]] = junk
        elif field.startswith("tax."):
            document["taxes"][0][field[4:]] = junk
        else:
            document[field] = junk
        body = json.dumps({"sales": [document]}).encode()
        answer = central.session.post(
            url, data=body, headers=client._headers("POST", url, body), timeout=30
        )
        tried.append(answer.status_code)
        assert answer.status_code in (200, 422), answer.text
        if answer.status_code == 200:
            [result] = answer.json()["results"]
            assert result["result"] in ("stored", "conflict")

    push()
    assert len(tried) == 80
    # Whatever got stored adds up: the report still answers, exactly.
    assert central.op("GET", "/v1/admin/reports/sales").status_code == 200
