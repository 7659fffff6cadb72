"""`kiosk demo` runs the scripted journey on the real demo catalog."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.domain.journal import verify_chain
from kiosk.store.uow import KioskStore


def test_demo_journey(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "zh_CN"])
    assert result.exit_code == 0, result.output
    assert "200 products imported" in result.output
    assert "wrong check digit" in result.output
    assert "not in our catalog" in result.output
    assert "recalled" in result.output
    assert "hash chain intact" in result.output
    store = KioskStore.open(out / "kiosk.db")
    [sale] = store.sales.recent()
    assert sale.status == "paid"
    assert sale.document["tenders"][0]["amount_minor"] == sale.total_minor
    voided = [line for line in sale.document["lines"] if line["state"] == "voided"]
    assert voided[0]["void"]["reason"] == "shopper changed mind"
    assert verify_chain(store.journal.entries()) == 3
    store.close()
