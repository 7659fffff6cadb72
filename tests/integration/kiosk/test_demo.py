"""`python -m demo` runs the scripted journey on the real demo catalog, through the kiosk's
screens offscreen (no display here) or as text (`--text`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from demo.__main__ import main
from demo.screens import DEMO_AUDIT_OVER_MINOR
from kiosk.domain.journal import verify_chain
from kiosk.domain.money import Money
from kiosk.store.uow import KioskStore


@pytest.mark.parametrize("mode", [[], ["--text"]], ids=["screens", "text"])
def test_demo_journey(tmp_path: Path, mode: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "demo"
    args = ["--out", str(out), "--lang", "zh_CN", "--one-language", *mode]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "201 products imported" in result.output
    assert "wrong check digit" in result.output
    assert "not in our catalog" in result.output
    assert "recalled" in result.output
    assert "hash chain intact" in result.output
    # goods without a barcode (#16): the baguette picked by its picture, in the paid sale
    assert "x 2, picked by its picture" in result.output
    store = KioskStore.open(out / "kiosk.db")
    sales = store.sales.recent()
    paid = sorted((s for s in sales if s.status == "paid"), key=lambda s: s.document["sequence"])
    sale = paid[0]
    assert sale.document["tenders"][0]["amount_minor"] == sale.total_minor
    voided = [line for line in sale.document["lines"] if line["state"] == "voided"]
    assert voided[0]["void"]["reason"] == "shopper changed mind"
    entries = store.journal.entries()
    assert verify_chain(entries) == len(entries)
    kinds = [entry.kind for entry in entries]
    # The text journey journals only the sale's own actions; the screens add staff sign-ins
    # and the kiosk being paused and reopened.
    assert [k for k in kinds if k in ("age_approved", "line_voided", "sale_paid")][:3] == [
        "age_approved",
        "line_voided",
        "sale_paid",
    ]
    if not mode:
        assert {"staff_signed_in", "kiosk_locked", "kiosk_unlocked"} <= set(kinds)
        # Paid through the embedded central service's sandbox pay page, then synced.
        assert sale.document["tenders"][0]["method"] == "sandbox"
        assert "presses Pay: paid" in result.output
        assert "synced: 0 records still waiting" in result.output
        # A second shopper pays by WeChat payment code (the simulator), no tap on Pay.
        assert paid[1].document["tenders"][0]["method"] == "wechat_code"
        assert "by wechat_code" in result.output
        assert (out / "screens" / "payment_code_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "picker_pg_zh_CN.png").stat().st_size > 10_000
        # A third meets the payment service unreachable: the static QR, then walks away.
        assert (out / "screens" / "payment_offline_zh_CN.png").stat().st_size > 10_000
        assert "central service holds 3 sale(s)" in result.output
        every = Money(sum(p.total_minor for p in paid), "CNY")
        assert every.format() in result.output.split("holds")[-1]
        # The last shopper's sale is over the demo store's audit amount: a bag check first.
        assert paid[2].total_minor > DEMO_AUDIT_OVER_MINOR
        assert "exit_audit_selected" in kinds
        assert "staff checked the bag and signed out" in result.output
        assert (out / "screens" / "done_audit_zh_CN.png").stat().st_size > 10_000
        assert "screenshots" in result.output
        # A loose item weighed on the simulated scale (a pty) is on the first sale.
        assert "weighed on the kiosk's scale: 1257 g" in result.output
        assert any(line.get("weight_g") == 1257 for line in sale.document["lines"])
        assert (out / "screens" / "weighing_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "payment_zh_CN.png").stat().st_size > 10_000
        # Then a royal member shops promoted goods with a coupon and walks away unpaid.
        assert (out / "screens" / "scanning_offers_zh_CN.png").stat().st_size > 10_000
        assert (out / "screens" / "member_wallet_zh_CN.png").stat().st_size > 10_000
        assert sorted(s.status for s in sales) == ["paid", "paid", "paid", "voided", "voided"]
    else:
        assert len(sales) == 1
        assert len(paid) == 1
    store.close()
