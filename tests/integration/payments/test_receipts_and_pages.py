"""E-receipt links and pages, and the sandbox pay page, in a real headless Chromium.

The browser is Debian's chromium driven by Playwright (no browser download). The
screenshots land in docs/screenshots/payments/ (set SCREENSHOTS=0 to skip writing).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.domain.ids import IdFactory
from tests.integration.payments.conftest import Kiosk, PaymentsHarness, problem
from tests.integration.payments.test_exit_codes_central import _code, _register
from tests.integration.payments.test_refunds import TEA, paid_sale, push, refund
from tools.browser import MISSING, available, chromium

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "payments"
IDS = IdFactory()


def sale_document(kiosk: Kiosk, sale_id: str) -> dict[str, Any]:
    """A sale as the kiosk sends it (Sale.to_wire), with demo catalog goods."""
    lines = [
        (1, "6935412001014", {"en": "Nongfu Spring Natural Water 550ml",
                              "zh_CN": "农夫山泉 饮用天然水 550ml",
                              "ko": "농푸산취안 천연수 550ml"},
         2, None, 200, 400, 0),
        (2, "6920152400012", {"en": "Master Kong Braised Beef Noodles",
                              "zh_CN": "康师傅 红烧牛肉面", "ko": "캉스푸 홍소우육면"},
         1, None, 450, 450, 50),
        (3, "2900001000007", {"en": "Fuji Apples (loose)", "zh_CN": "富士苹果（散装）",
                              "ko": "부사 사과 (무게)"},
         1, 734, 1280, 940, 0),
        (4, "6901028075015", {"en": "Oreo Original 97g", "zh_CN": "奥利奥 原味夹心饼干 97g",
                              "ko": "오레오 오리지널 97g"},
         1, None, 860, 860, 0),
    ]  # fmt: skip
    wire_lines = [
        {"line_no": n, "gtin": g, "names": names, "state": "active", "quantity": q,
         "weight_g": w, "lot": None, "serial": None, "unit_price_minor": unit,
         "gross_minor": gross, "discount_minor": disc, "deposit_minor": 0,
         "tax_class": "standard", "age_approval": None, "void": None}
        for n, g, names, q, w, unit, gross, disc in lines
    ]  # fmt: skip
    wire_lines.append(
        {"line_no": 5, "gtin": "6902538006100", "names": {"en": "Coca-Cola 330ml",
         "zh_CN": "可口可乐 330ml", "ko": "코카콜라 330ml"}, "state": "voided", "quantity": 1,
         "weight_g": None, "lot": None, "serial": None, "unit_price_minor": 300,
         "gross_minor": 0, "discount_minor": 0, "deposit_minor": 0, "tax_class": None,
         "age_approval": None, "void": None}
    )  # fmt: skip
    return {
        "version": 1, "sale_id": sale_id, "kiosk_id": kiosk.credential.kiosk_id,
        "store_id": kiosk.credential.store_id, "sequence": 42,
        "created_at": "2026-11-23T13:05:00+08:00", "status": "paid", "training": False,
        "currency": "CNY", "member_id": None, "lines": wire_lines,
        "discounts": [{"rule_id": "R1", "description": "Noodles -0.50", "amount_minor": 50,
                       "line_nos": [2]}],
        "taxes": [{"tax_class": "standard", "rate_bp": 1300, "net_minor": 2301,
                   "tax_minor": 299, "gross_minor": 2600}],
        "subtotal_minor": 2650, "discount_minor": 50, "deposit_minor": 0, "tax_minor": 299,
        "total_minor": 2600, "item_count": 5,
        "tenders": [{"payment_id": IDS.new(), "method": "sandbox", "amount_minor": 2600,
                     "reference": "SBX0001", "attended_by": None}],
        "void": None,
    }  # fmt: skip


def _push_sale(kiosk: Kiosk) -> str:
    sale_id = IDS.new()
    answer = kiosk.request("POST", "/v1/sales/batch", {"sales": [sale_document(kiosk, sale_id)]})
    assert answer.status_code == 200, answer.text
    return sale_id


def test_receipt_link_is_signed_and_page_renders(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    sale_id = _push_sale(kiosk)
    code = _code(key, kiosk.credential.kiosk_id, sale_id=sale_id)
    link = kiosk.request("POST", f"/v1/sales/{sale_id}/receipt-link", {"exit_code": code})
    assert link.status_code == 200, link.text
    url = link.json()["url"]
    assert url.startswith(f"{payments.url}/r/{sale_id}?exp=")
    page = requests.get(url + "&lang=zh", timeout=30)
    assert page.status_code == 200
    assert "农夫山泉" in page.text
    assert "26.00 CNY" in page.text
    assert "<svg" in page.text  # the exit code QR
    assert "오레오" in requests.get(url + "&lang=ko", timeout=30).text
    # Tampered links open nothing.
    assert requests.get(url.replace("sig=", "sig=x"), timeout=30).status_code == 404
    other = IDS.new()
    assert requests.get(url.replace(sale_id, other), timeout=30).status_code == 404
    # An expired link.
    payments.clock.advance(401 * 86_400)
    assert requests.get(url, timeout=30).status_code == 404


def test_receipt_link_rules(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    sale_id = _push_sale(kiosk)
    # Without an exit code, before or after the sale arrived: a link all the same.
    pending = IDS.new()
    link = kiosk.request("GET", f"/v1/sales/{pending}/receipt-link").json()["url"]
    answer = requests.get(link, timeout=30)
    assert answer.status_code == 404
    assert "on its way" in answer.text
    # Another sale's exit code, or a forged one, is refused.
    wrong = _code(key, kiosk.credential.kiosk_id, sale_id=str(uuid.uuid4()))
    problem(
        kiosk.request("POST", f"/v1/sales/{sale_id}/receipt-link", {"exit_code": wrong}),
        422,
        "exit_code",
    )
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = _code(Ed25519PrivateKey.generate(), kiosk.credential.kiosk_id, sale_id=sale_id)
    problem(
        kiosk.request("POST", f"/v1/sales/{sale_id}/receipt-link", {"exit_code": forged}),
        422,
        "exit_code",
    )
    problem(kiosk.request("GET", "/v1/sales/not-a-uuid/receipt-link"), 422, "validation")


def test_a_kiosk_gets_no_link_to_another_stores_sale(payments: PaymentsHarness) -> None:
    sale_id = _push_sale(payments.kiosk("S001"))
    elsewhere = payments.kiosk("S002")
    problem(elsewhere.request("GET", f"/v1/sales/{sale_id}/receipt-link"), 404, "sale_not_found")
    # A link made before the sale arrived names the asking kiosk's store: it never opens
    # another store's sale, and the store in it cannot be changed.
    early = IDS.new()
    link = elsewhere.request("GET", f"/v1/sales/{early}/receipt-link").json()["url"]
    assert "&st=S002&" in link
    owner = payments.kiosk("S001")
    doc = sale_document(owner, early)
    assert owner.request("POST", "/v1/sales/batch", {"sales": [doc]}).status_code == 200
    assert requests.get(link, timeout=30).status_code == 404
    forged = link.replace("&st=S002&", "&st=S001&")
    assert requests.get(forged, timeout=30).status_code == 404
    mine = owner.request("GET", f"/v1/sales/{early}/receipt-link").json()["url"]
    assert requests.get(mine, timeout=30).status_code == 200


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not available():
        pytest.skip(MISSING)
    with chromium() as launched:
        yield launched


def _shoot(page: Any, name: str, request: pytest.FixtureRequest) -> None:
    to_docs = os.environ.get("SCREENSHOTS") == "1" and "sqlite" in request.node.name
    folder = SHOTS if to_docs else Path(request.getfixturevalue("tmp_path"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 1000


def test_pay_in_the_browser_and_the_kiosk_sees_paid(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    kiosk = payments.kiosk()
    view = kiosk.create(amount_minor=2600, description="Demo Market · 5 items").json()
    result: dict[str, Any] = {}

    def poll() -> None:
        result["view"] = kiosk.request("GET", f"/v1/payments/{view['payment_id']}?wait=20").json()

    poller = threading.Thread(target=poll)
    poller.start()
    context = browser.new_context(viewport={"width": 390, "height": 760}, device_scale_factor=2)
    page = context.new_page()
    page.goto(view["qr_payload"])  # what the shopper's phone opens after scanning the QR
    assert page.locator("#amount").inner_text() == "26.00 CNY"
    _shoot(page, "sandbox-pay-before.png", request)
    page.click("#pay")
    page.wait_for_selector("#result")
    assert "Paid" in page.locator("#result").inner_text()
    _shoot(page, "sandbox-pay-after.png", request)
    poller.join(timeout=30)
    assert result["view"]["status"] == "paid"
    context.close()


def test_e_receipt_in_the_browser(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    sale_id = _push_sale(kiosk)
    code = _code(key, kiosk.credential.kiosk_id, sale_id=sale_id)
    url = kiosk.request(
        "POST", f"/v1/sales/{sale_id}/receipt-link", {"exit_code": code, "lang": "zh"}
    ).json()["url"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    for lang, text in (("zh", "合计"), ("ko", "합계"), ("en", "TOTAL")):
        page.goto(url.replace("&lang=zh", "") + f"&lang={lang}")
        assert text in page.content()
        assert page.locator(".exit svg").count() == 1
        _shoot(page, f"e-receipt-{lang}.png", request)
    # The exit-code QR on the page scans back to the very code (as a gate camera would).
    import cv2
    import numpy as np
    import zxingcpp

    shot = page.locator(".exit svg").screenshot()
    image = cv2.imdecode(np.frombuffer(shot, np.uint8), cv2.IMREAD_COLOR)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [code]
    context.close()


def _refunded_tea(payments: PaymentsHarness, kiosk: Kiosk) -> tuple[dict[str, Any], str]:
    """A sale of three teas and a cake, one tea refunded to the sandbox wallet."""
    doc = paid_sale(kiosk)
    one_tea = refund(doc, {1: (1, TEA)}, points_returned=0)
    assert push(kiosk, one_tea).json()["results"][0]["status"] == "refunded"
    return doc, one_tea["refund_id"]


def test_a_refund_gets_its_own_signed_e_receipt(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    doc, refund_id = _refunded_tea(payments, kiosk)
    link = kiosk.request("GET", f"/v1/refunds/{refund_id}/receipt-link?lang=zh")
    assert link.status_code == 200, link.text
    url = link.json()["url"]
    assert url.startswith(f"{payments.url}/r/refunds/{refund_id}?exp=")
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    for text in ("退款单", refund_id[-12:].upper(), "乌龙茶", "−10.00", "已退款", "sandbox"):
        assert text in page.text
    assert "10.00 CNY" in page.text
    assert "海绵蛋糕" not in page.text  # the cake was not refunded
    # The original sale's e-receipt is one tap away, under its own signature.
    sale_href = page.text.split("<a href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
    assert sale_href.startswith(f"/r/{doc['sale_id']}?")
    sale_page = requests.get(payments.url + sale_href, timeout=30)
    assert sale_page.status_code == 200
    assert "海绵蛋糕" in sale_page.text
    # A sale's signature opens no refund, a tampered link nothing.
    sale_sig = sale_href.replace(f"/r/{doc['sale_id']}", f"/r/refunds/{refund_id}")
    assert requests.get(payments.url + sale_sig, timeout=30).status_code == 404
    assert requests.get(url.replace("sig=", "sig=x"), timeout=30).status_code == 404
    # Another store's kiosk, an unknown refund: no link.
    other = payments.kiosk("S002")
    problem(other.request("GET", f"/v1/refunds/{refund_id}/receipt-link"), 404, "refund_not_found")
    problem(kiosk.request("GET", f"/v1/refunds/{IDS.new()}/receipt-link"), 404, "refund_not_found")


def test_refund_e_receipt_in_the_browser(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    kiosk = payments.kiosk()
    _, refund_id = _refunded_tea(payments, kiosk)
    url = kiosk.request("GET", f"/v1/refunds/{refund_id}/receipt-link").json()["url"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    for lang, text in (("zh", "已退款"), ("ko", "환불 완료"), ("en", "Refunded")):
        page.goto(url + f"&lang={lang}")
        assert text in page.content()
        _shoot(page, f"refund-e-receipt-{lang}.png", request)
    context.close()
