"""WeChat Pay v3 refunds through the simulator: `POST /v3/refund/domestic/refunds`
(signed both ways), PROCESSING then SUCCESS by query, once per out_refund_no; the refund
callback (REFUND.SUCCESS, AEAD_AES_256_GCM resource) verified, decrypted and settling
the refund exactly once however it races the service's own query."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from central.payments.config import StoreConfig
from central.sales.tables import refunds
from simulators.wechat_pay import WeChatSimulator
from tests.integration.payments.conftest import PaymentsHarness
from tests.integration.payments.test_refunds import (
    CAKE,
    TEA,
    learnt_settled,
    paid_sale,
    processing_refund,
    push,
    refund,
    refunding,
)
from tests.integration.payments.test_wechat_pay import sim  # the fixture

__all__ = ["sim"]


@pytest.fixture
def wechat(central_db_url: str, sim: WeChatSimulator) -> Iterator[PaymentsHarness]:
    sim.delay_s, sim.refund_processing, sim.refund_notify = 0, 1, True
    sim.refund_notify_answers.clear()
    store = StoreConfig(default_provider="wechat", wechat=sim.config(timeout_s=1.0))
    yield from refunding(central_db_url, store)


def test_a_line_refunded_through_wechat_pay_once(
    wechat: PaymentsHarness,
    sim: WeChatSimulator,
) -> None:
    sim.refund_processing = 2  # the create and the first query answer PROCESSING
    kiosk = wechat.kiosk()
    doc = paid_sale(kiosk, provider="wechat", sim=sim)
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert (answer["status"], answer["method"]) == ("refunded", "wechat")
    otn = doc["tenders"][0]["payment_id"].replace("-", "")
    [(out_refund_no, sent)] = [
        (k, r) for k, r in sim.refunds.items() if r["request"]["out_trade_no"] == otn
    ]
    assert out_refund_no == one_tea["refund_id"].replace("-", "")
    assert sent["request"]["amount"] == {"refund": TEA, "total": 3 * TEA + CAKE, "currency": "CNY"}
    assert answer["provider_ref"] == sent["doc"]["refund_id"]
    # Sent again (a lost answer): WeChat answers the same refund; nothing more goes back.
    again = push(kiosk, one_tea).json()["results"][0]
    assert again == answer | {"result": "duplicate"}
    assert sum(1 for r in sim.refunds.values() if r["request"]["out_trade_no"] == otn) == 1
    rest = push(kiosk, refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})).json()["results"][0]
    assert rest["status"] == "refunded"
    refunded = sum(
        r["doc"]["amount"]["refund"]
        for r in sim.refunds.values()
        if r["request"]["out_trade_no"] == otn
    )
    assert refunded == 3 * TEA + CAKE


def row(harness: PaymentsHarness, refund_id: str) -> Any:
    with harness.harness.engine.begin() as conn:
        return conn.execute(select(refunds).where(refunds.c.refund_id == refund_id)).one()


def settlements(engine: Engine) -> list[int]:
    """The rows changed by each UPDATE of the refunds table on the service's engine."""
    changed: list[int] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE REFUNDS"):
            changed.append(cursor.rowcount)

    event.listen(engine, "after_cursor_execute", seen)
    return changed


def test_the_refund_callback_settles_a_refund_the_service_stopped_asking_about(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    sim.refund_processing = 10**6  # WeChat's answers say PROCESSING until it is done
    kiosk = wechat.kiosk()
    one_tea, out_refund_no = processing_refund(wechat, kiosk, "wechat", sim=sim)
    assert sim.refunds[out_refund_no]["request"]["notify_url"] == (
        wechat.url + "/v1/providers/wechat/refund-notify"
    )
    sim.finish_refund(out_refund_no)  # the money reaches the shopper; WeChat calls back
    assert sim.refund_notify_answers == [200]
    stored = row(wechat, one_tea["refund_id"])
    assert (stored.status, stored.provider_ref) == (
        "refunded",
        sim.refunds[out_refund_no]["doc"]["refund_id"],
    )
    learnt_settled(wechat, kiosk, one_tea)  # without asking WeChat again


def test_the_callback_and_the_query_race_and_settle_once(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    """The simulator sends the callback before it answers the query that finds the
    refund done, so both reach the service; then more callbacks (WeChat retries) and
    re-sent pushes arrive all at once. One UPDATE changes the row, once."""
    changed = settlements(wechat.app.state.central.engine)
    kiosk = wechat.kiosk()
    doc = paid_sale(kiosk, provider="wechat", sim=sim)
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert answer["status"] == "refunded"
    out_refund_no = one_tea["refund_id"].replace("-", "")
    assert sim.refund_notify_answers == [200]
    first = row(wechat, one_tea["refund_id"])
    wechat.clock.advance(60)
    callbacks = [sim.refund_notification(out_refund_no) for _ in range(4)]
    callbacks.append(callbacks[0])  # the very same callback again: the replay guard
    threads = [
        threading.Thread(target=sim.send_refund, args=(out_refund_no, *c)) for c in callbacks
    ] + [threading.Thread(target=push, args=(kiosk, one_tea)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sim.refund_notify_answers == [200] * 6  # every callback acknowledged
    assert sum(changed) == 1
    after = row(wechat, one_tea["refund_id"])
    assert (after.status, after.refunded_at, after.updated_at) == (
        "refunded",
        first.refunded_at,
        first.updated_at,
    )


def test_refund_callbacks_that_fail_the_checks_change_nothing(
    wechat: PaymentsHarness, sim: WeChatSimulator
) -> None:
    sim.refund_processing, sim.refund_notify = 10**6, False
    kiosk = wechat.kiosk()
    one_tea, out_refund_no = processing_refund(wechat, kiosk, "wechat", sim=sim)
    sim.finish_refund(out_refund_no)  # done at WeChat; no callback sent yet
    # Sealed with another APIv3 key: it does not decrypt.
    forged = sim.refund_notification(out_refund_no, apiv3_key=b"k" * 32)
    assert sim.send_refund(out_refund_no, *forged).status_code == 400
    # Signed and sealed by WeChat, but for another amount: refused and flagged.
    wrong = sim.refund_notification(out_refund_no, refund=TEA + 1)
    answer = sim.send_refund(out_refund_no, *wrong)
    assert (answer.status_code, answer.json()["code"]) == (400, "FAIL")
    flags = wechat.op("GET", "/v1/ops/payments/flags").json()
    assert [f["kind"] for f in flags] == ["refund_mismatch"]
    assert row(wechat, one_tea["refund_id"]).status == "processing"
    # The right callback, sent after those, settles it.
    assert sim.send_refund(out_refund_no).status_code == 200
    assert row(wechat, one_tea["refund_id"]).status == "refunded"
