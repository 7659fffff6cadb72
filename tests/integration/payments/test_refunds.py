"""Refunds over real HTTP: recorded once by refund id, re-checked against the stored sale
and its earlier refunds, sent to the sale's tender, netted out in the sales report."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from click.testing import CliRunner

from central.cli import main as central_cli
from central.payments.config import PaymentsConfig, StoreConfig
from kiosk.domain.ids import IdFactory
from simulators.wechat_pay import WeChatSimulator
from sync.protocol import encode_secret
from tests.integration.central.test_central_sales import sale
from tests.integration.conftest import TEST_SECRET
from tests.integration.payments.conftest import (
    Kiosk,
    PaymentsHarness,
    new_payment,
    problem,
    start_payments,
)

IDS = IdFactory()
SEQUENCE = itertools.count(1)
TEA, CAKE = 1000, 500


NAMES = {
    1: {"en": "Oolong tea 500ml", "zh_CN": "乌龙茶 500ml", "ko": "우롱차 500ml"},
    2: {"en": "Sponge cake", "zh_CN": "海绵蛋糕", "ko": "카스텔라"},
}


def _line(line_no: int, quantity: int, unit: int) -> dict[str, Any]:
    return {
        "line_no": line_no, "gtin": f"0693541200{line_no:03d}4", "state": "active",
        "names": NAMES[line_no],
        "quantity": quantity, "weight_g": None, "unit_price_minor": unit,
        "gross_minor": unit * quantity, "discount_minor": 0, "deposit_minor": 0,
        "tax_class": "standard",
    }  # fmt: skip


def refunding(db_url: str, store: StoreConfig) -> Iterator[PaymentsHarness]:
    """The service with `store`'s providers, asking about a processing refund quickly;
    for a fixture to `yield from`."""
    config = PaymentsConfig(
        default_store=store, poll_interval_s=0.02, refund_poll_s=0.01, refund_wait_s=5
    )
    harness, stop = start_payments(db_url, config)
    try:
        yield harness
    finally:
        stop()


def paid_sale(
    kiosk: Kiosk,
    *,
    attended: bool = False,
    provider: str = "sandbox",
    sim: WeChatSimulator | None = None,
    auth_code: str | None = None,
    pay: Callable[[dict[str, Any]], None] | None = None,
    extra: dict[str, Any] | None = None,
    payment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Three teas and a cake (35.00), paid (through the sandbox page, the WeChat Pay
    simulator's shopper, a payment code, or `pay` given the payment), stored centrally
    (with `extra` fields: its member, its discounts). `payment`: what the payment is
    asked for instead (its amount, its sale), as a kiosk might get it wrong."""
    total = 3 * TEA + CAKE
    doc = sale(kiosk.credential, next(SEQUENCE), total)
    asked = {"amount_minor": total, "sale_id": doc["sale_id"]} | (payment or {})
    if auth_code is not None:
        body = new_payment(**asked, auth_code=auth_code)
        payment = kiosk.request("POST", "/v1/payments/code", body).json()
        assert payment["status"] == "paid", payment
        provider = payment["provider"]
    else:
        body = new_payment(**asked, provider=provider)
        payment = kiosk.request("POST", "/v1/payments", body).json()
    if pay is not None:
        pay(payment)
        kiosk.request("GET", f"/v1/payments/{payment['payment_id']}?wait=5")
    elif sim is not None:
        sim.pay(payment["payment_id"].replace("-", ""))
        kiosk.request("GET", f"/v1/payments/{payment['payment_id']}?wait=5")
    elif not attended and auth_code is None:
        parts = urlsplit(payment["qr_payload"])
        token = parse_qs(parts.query)["t"][0]
        requests.post(
            kiosk.url + parts.path, data={"t": token, "action": "pay"}, timeout=30
        ).raise_for_status()
    doc["lines"] = [_line(1, 3, TEA), _line(2, 1, CAKE)]
    doc["item_count"] = 4
    doc["tenders"] = [
        {
            "payment_id": payment["payment_id"], "method": provider, "amount_minor": total,
            "reference": "SBX", "attended_by": "S-7" if attended else None,
        }
    ]  # fmt: skip
    doc.update(extra or {})
    stored = kiosk.request("POST", "/v1/sales/batch", {"sales": [doc]}).json()
    assert stored["results"][0]["result"] == "stored", stored
    return doc


def refund(doc: dict[str, Any], lines: dict[int, tuple[int, int]], **extra: Any) -> dict[str, Any]:
    return {
        "refund_id": IDS.new(), "sale_id": doc["sale_id"], "kiosk_id": doc["kiosk_id"],
        "store_id": doc["store_id"], "created_at": "2026-12-04T10:00:00+08:00",
        "currency": "CNY", "amount_minor": sum(a for _, a in lines.values()),
        "lines": [{"line_no": n, "quantity": q, "amount_minor": a} for n, (q, a) in lines.items()],
        "method": "original", "staff_id": "S-2", "reason": "returned", "points_taken_back": 0,
        "points_returned": 0, "coupons_returned": [],
    } | extra  # fmt: skip


def push(kiosk: Kiosk, *refunds: dict[str, Any]) -> requests.Response:
    return kiosk.request("POST", "/v1/refunds/batch", {"refunds": list(refunds)})


def processing_refund(
    harness: PaymentsHarness, kiosk: Kiosk, provider: str, **pay: Any
) -> tuple[dict[str, Any], str]:
    """A refund of one tea of a sale paid through `provider` (`pay`: `paid_sale`'s way to
    pay) that the provider took but has not finished: the service asked once
    (`refund_wait_s` 0) and answered `processing`. The refund and its compact id."""
    harness.reconfigure(replace(harness.runtime.config, refund_wait_s=0))
    doc = paid_sale(kiosk, provider=provider, **pay)
    one_tea = refund(doc, {1: (1, TEA)})
    (answer,) = push(kiosk, one_tea).json()["results"]
    assert answer["status"] == "processing"
    return one_tea, one_tea["refund_id"].replace("-", "")


def learnt_settled(harness: PaymentsHarness, kiosk: Kiosk, settled: dict[str, Any]) -> None:
    """The kiosk's next push of a refund its provider's callback settled learns it as it
    stands, and the sales report counts it once."""
    (again,) = push(kiosk, settled).json()["results"]
    assert (again["result"], again["status"]) == ("duplicate", "refunded")
    report = harness.op("GET", "/v1/admin/reports/sales").json()["totals"][0]
    assert (report["refund_count"], report["refund_minor"]) == (1, settled["amount_minor"])


def test_one_line_then_the_rest_refunded_once_each_and_netted(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    doc = paid_sale(kiosk)
    one_tea = refund(doc, {1: (1, TEA)})
    first = push(kiosk, one_tea)
    assert first.status_code == 200, first.text
    (answer,) = first.json()["results"]
    assert answer["result"] == "stored"
    assert answer["status"] == "refunded"
    assert answer["method"] == "sandbox"
    assert answer["provider_ref"].startswith("SBXR")
    # A retry (lost answer, double tap, the fault proxy) refunds nothing more.
    again = push(kiosk, one_tea).json()["results"][0]
    assert again == answer | {"result": "duplicate"}
    problem(push(kiosk, one_tea | {"reason": "other"}), 422, "refund_conflict")
    # Two teas are left: three are over-refunded, a wrong amount is refused.
    over = problem(push(kiosk, refund(doc, {1: (3, 3 * TEA)})), 422, "refund_over_paid")
    assert "2 left" in over["detail"]
    problem(push(kiosk, refund(doc, {1: (1, TEA + 1)})), 422, "refund_amount")
    problem(push(kiosk, refund(doc, {7: (1, TEA)})), 422, "refund_not_refundable")
    rest = push(kiosk, refund(doc, {1: (2, 2 * TEA), 2: (1, CAKE)})).json()["results"][0]
    assert rest["status"] == "refunded"
    problem(push(kiosk, refund(doc, {2: (1, CAKE)})), 422, "refund_over_paid")

    report = payments.op("GET", "/v1/admin/reports/sales").json()
    (total,) = report["totals"]
    assert (total["total_minor"], total["refund_count"], total["refund_minor"]) == (3500, 2, 3500)
    assert total["net_minor"] == 0
    csv = payments.op("GET", "/v1/admin/reports/sales?format=csv").text.splitlines()
    assert csv[0].endswith("total_minor,refund_count,refund_minor,net_minor")
    assert csv[1].endswith("3500,2,3500,0")
    cli = CliRunner().invoke(
        central_cli,
        ["report", "sales", "--csv", "--db", payments.harness.db_url],
        env={"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
    )
    assert cli.exit_code == 0, cli.output
    assert cli.output.splitlines() == csv


def test_attended_sales_are_refunded_in_cash(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    doc = paid_sale(kiosk, attended=True)
    answer = push(kiosk, refund(doc, {2: (1, CAKE)})).json()["results"][0]
    assert (answer["status"], answer["method"], answer["provider_ref"]) == (
        "refunded",
        "cash",
        None,
    )


def test_refunds_of_unknown_or_foreign_sales_are_not_found(payments: PaymentsHarness) -> None:
    kiosk, other_store = payments.kiosk(), payments.kiosk("S002")
    doc = paid_sale(kiosk)
    problem(push(other_store, refund(doc, {2: (1, CAKE)})), 404, "sale_not_found")
    problem(push(kiosk, refund(doc, {2: (1, CAKE)}, sale_id=IDS.new())), 404, "sale_not_found")


def test_a_refund_goes_back_only_to_the_sales_own_payment_and_never_past_it(
    payments: PaymentsHarness,
) -> None:
    """The service re-checks the payment a kiosk's sale names: another sale's payment, or
    one that took less than the sale, is not refunded past what it took (a kiosk's word
    alone sent 35.00 back to a payment of 10.00)."""
    kiosk = payments.kiosk()
    theirs = paid_sale(kiosk)
    borrowed = paid_sale(kiosk, payment={"sale_id": theirs["sale_id"]})
    problem(push(kiosk, refund(borrowed, {2: (1, CAKE)})), 422, "refund_not_refundable")
    cash = push(kiosk, refund(borrowed, {2: (1, CAKE)}, method="cash")).json()["results"][0]
    assert (cash["status"], cash["method"]) == ("refunded", "cash")
    short = paid_sale(kiosk, payment={"amount_minor": TEA})
    problem(push(kiosk, refund(short, {1: (3, 3 * TEA)})), 422, "refund_over_paid")
    cake = push(kiosk, refund(short, {2: (1, CAKE)})).json()["results"][0]
    assert cake["status"] == "refunded"
    problem(push(kiosk, refund(short, {1: (1, TEA)})), 422, "refund_over_paid")
    report = payments.op("GET", "/v1/admin/reports/sales").json()["totals"][0]
    assert (report["refund_count"], report["refund_minor"]) == (2, 2 * CAKE)


def test_racing_refunds_of_one_sale_never_exceed_it(payments: PaymentsHarness) -> None:
    """Five supervisors refund the whole sale at once, each with their own refund id:
    the sale's row lock lets exactly one through."""
    kiosk = payments.kiosk()
    doc = paid_sale(kiosk)
    answers: list[int] = []

    def attempt() -> None:
        answers.append(push(kiosk, refund(doc, {1: (3, 3 * TEA), 2: (1, CAKE)})).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == [200, 422, 422, 422, 422]
    report = payments.op("GET", "/v1/admin/reports/sales").json()["totals"][0]
    assert report["refund_minor"] == 3500


def test_the_kiosks_points_and_coupons_are_checked_against_the_central_ones(
    payments: PaymentsHarness,
) -> None:
    kiosk = payments.kiosk()
    doc = paid_sale(kiosk)
    # A coupon this refund does not free (the sale used none): refused, nothing stored.
    problem(
        push(kiosk, refund(doc, {2: (1, CAKE)}, coupons_returned=["C1"])), 422, "refund_coupons"
    )
    # Points the central ledger does not have: the refund goes through on the central
    # figures (none: the sale had no member) and the difference is kept for review, once.
    odd = refund(doc, {2: (1, CAKE)}, points_taken_back=7)
    assert push(kiosk, odd).json()["results"][0]["status"] == "refunded"
    push(kiosk, odd)
    kept = [c for c in payments.op("GET", "/v1/admin/conflicts").json() if c["entity"] == "refund"]
    assert [(c["entity_id"], c["reason"]) for c in kept] == [(odd["refund_id"], "points_differ")]
    assert kept[0]["document"] == {
        "kiosk": {"points_taken_back": 7, "points_returned": 0},
        "central": {"points_taken_back": 0, "points_returned": 0},
    }
