"""Every report's CSV keeps its header row when the report has no rows: a period with no
sales is an empty table, which spreadsheets and loaders read, not a 0-byte file."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from click.testing import CliRunner

from central.cli import main as central_cli
from central.loyalty.reports import COLUMNS
from central.sales.service import STAFF_COLUMNS
from sync.protocol import SalesTotal
from tests.integration.conftest import CentralHarness


def _header(columns: Sequence[str]) -> str:
    return ",".join(columns) + "\n"


@pytest.mark.parametrize(
    ("path", "columns"),
    [
        ("/v1/admin/reports/sales", list(SalesTotal.model_fields)),
        ("/v1/admin/reports/staff", STAFF_COLUMNS),
        # "tiers" lists every tier of the policy, with no members too.
        *[(f"/v1/loyalty/admin/reports/{n}", COLUMNS[n]) for n in COLUMNS if n != "tiers"],
    ],
)
@pytest.mark.parametrize("central_db_url", ["sqlite"], indirect=True)
def test_an_empty_report_is_its_header_row(
    central: CentralHarness, path: str, columns: Sequence[str]
) -> None:
    answer = central.op("GET", path, params={"format": "csv"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text == _header(columns)


@pytest.mark.parametrize("central_db_url", ["sqlite"], indirect=True)
def test_the_cli_sales_csv_of_no_sales_is_its_header_row(central: CentralHarness) -> None:
    ran = CliRunner().invoke(central_cli, ["report", "sales", "--csv", "--db", central.db_url])
    assert ran.exit_code == 0, ran.output
    assert ran.output == _header(list(SalesTotal.model_fields))
