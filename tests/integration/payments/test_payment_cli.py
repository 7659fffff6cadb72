"""`python -m central.payments`: a demo configuration that loads, and the sweep chore (also
as `central sweep`, with refunds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from central.cli import main as central_cli
from central.payments.__main__ import main
from central.payments.config import load_payments_config


def test_demo_config_loads_and_sweep_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-config", "--folder", str(tmp_path / "pay")]) == 0
    path = tmp_path / "pay" / "payments.json"
    secret = (tmp_path / "pay" / "acquirer.secret").read_text()
    assert secret not in path.read_text(), "the configuration names secrets, never holds them"
    assert (tmp_path / "pay" / "acquirer.secret").stat().st_mode & 0o077 == 0
    config = load_payments_config({"CENTRAL_PAYMENTS_CONFIG": str(path)})
    assert config.store("S001").providers() == ["sandbox", "emvco:promptpay", "emvco:pix"]
    monkeypatch.setenv("CENTRAL_PAYMENTS_CONFIG", str(path))
    monkeypatch.setenv("CENTRAL_SECRET_KEY", "bm90LWEtcmVhbC1rZXktYnV0LWxvbmctZW5vdWdo")
    db = f"sqlite:///{tmp_path / 'central.db'}"
    assert main(["sweep", "--db", db]) == 0
    assert "checked 0 payment(s)" in capsys.readouterr().out
    # The chain's chore: payments and refunds still processing.
    run = CliRunner().invoke(central_cli, ["sweep", "--db", db])
    assert run.exit_code == 0, run.output
    assert run.output == "checked 0 payment(s) and 0 refund(s)\n"
