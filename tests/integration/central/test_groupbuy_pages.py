"""The shopper's group-buy pages in a real headless Chromium at phone width: the share
link, the order form, prepaying in the sandbox wallet, the status with the pickup code,
cancel, and what the page says after the cut-off; in Chinese, Korean and English.

The screenshots land in docs/screenshots/groupbuy/ with SCREENSHOTS=1 (SQLite run only)."""

from __future__ import annotations

import html
import os
import uuid
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import requests

from central.admin.service import Role
from tests.integration.central.groupbuy_support import (
    HOUR,
    JUICE,
    WATER,
    join_and_pay,
    new_campaign,
    payments,
    share_sig,
)
from tests.integration.central.test_admin import PASSWORD, add_account
from tests.integration.payments.conftest import PaymentsHarness
from tests.integration.payments.test_receipts_and_pages import browser

__all__ = ["browser", "payments"]  # fixtures
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "groupbuy"
PHONE = {"width": 390, "height": 844}


def _shoot(page: Any, name: str, request: pytest.FixtureRequest) -> None:
    to_docs = os.environ.get("SCREENSHOTS") == "1" and "sqlite" in request.node.name
    folder = SHOTS if to_docs else Path(request.getfixturevalue("tmp_path"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 1000


def _fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _photo_of_a_leaking_bottle() -> bytes:
    """What a buyer photographs: a water bottle on a table, split, a puddle under it."""
    image = np.full((1200, 1600, 3), (214, 222, 228), np.uint8)
    cv2.ellipse(image, (800, 1010), (420, 90), 0, 0, 360, (190, 170, 150), -1)  # the puddle
    cv2.rectangle(image, (690, 260), (910, 1000), (205, 150, 60), -1)  # the bottle
    cv2.rectangle(image, (740, 170), (860, 260), (60, 110, 40), -1)  # its cap
    cv2.polylines(image, [np.array([[700, 520], [780, 600], [730, 680], [820, 760]])], False,
                  (40, 40, 40), 9)  # the split  # fmt: skip
    done, data = cv2.imencode(".jpg", image)
    assert done
    return data.tobytes()


def _phone(browser: Any, locale: str) -> Any:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale=locale)
    return context.new_page()


def test_join_prepay_see_the_pickup_code_and_the_final_price(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    campaign = new_campaign(payments)
    for n in range(2):
        join_and_pay(payments, campaign, f"1320000{n:04d}")
    page = _phone(browser, "zh-CN")
    page.goto(campaign["share_url"])
    assert page.locator("#buyers").inner_text() == "2"
    assert "再有 1 人参团，降至 35.90 CNY" in page.locator("#next").inner_text()
    assert _fits_the_phone(page)
    _shoot(page, "campaign-zh_CN.png", request)

    # Nothing chosen: the form says what is missing, nothing is ordered.
    page.fill("#buyer", "李女士")
    page.fill("#phone", "13912345678")
    page.click("#order")
    assert "至少选择一件商品" in page.locator("#error").inner_text()

    page.fill(f"#qty_{WATER}", "2")
    page.fill("#buyer", "李女士")
    page.fill("#phone", "13912345678")
    page.click("#order")
    page.wait_for_selector("#status")
    assert page.locator("#status").inner_text() == "待支付"
    assert page.locator("#paid").inner_text() == "79.80 CNY"
    order_url = page.url
    page.click("#pay")  # the sandbox wallet's page
    page.click("#pay")
    page.wait_for_selector("#result")
    page.goto(order_url)
    assert page.locator("#status").inner_text() == "已支付，等待截单"
    assert page.locator("#pickup svg").count() == 1
    assert page.locator("#cancel").count() == 1
    assert _fits_the_phone(page)
    _shoot(page, "order-paid-zh_CN.png", request)

    # Three joined, so the tier came down to ¥35.90; at the cut-off the buyer gets the
    # difference back and the page says it; after "ready", the code is for pickup.
    payments.clock.advance(HOUR + 1)
    cid = campaign["campaign_id"]
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").status_code == 200
    payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={})
    page.goto(order_url.replace("lang=zh_CN", "lang=en"))
    assert page.locator("#status").inner_text() == "Ready for pickup"
    assert page.locator("#final").inner_text() == "71.80 CNY"
    assert "Price difference · refunded" in page.locator(".refund").inner_text()
    assert page.locator("#cancel").count() == 0
    _shoot(page, "order-ready-en.png", request)
    page.context.close()


def test_cancel_before_the_cut_off_in_korean(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    campaign = new_campaign(payments)
    page = _phone(browser, "ko-KR")
    page.goto(campaign["share_url"])
    assert page.locator("html").get_attribute("lang") == "ko"
    _shoot(page, "campaign-ko.png", request)
    page.fill(f"#qty_{WATER}", "1")
    page.fill("#buyer", "김민지")
    page.fill("#phone", "01012345678")
    page.click("#order")
    order_url = page.url
    page.click("#pay")
    page.click("#pay")
    page.wait_for_selector("#result")
    page.goto(order_url)
    page.click("#cancel")
    page.wait_for_selector("#status")
    assert page.locator("#status").inner_text() == "취소됨"
    assert "취소 환불 · 환불 완료" in page.locator(".refund").inner_text()
    assert page.locator("#pickup").count() == 0
    assert _fits_the_phone(page)
    _shoot(page, "order-cancelled-ko.png", request)
    page.context.close()
    # Without the share link's signature, or the order's token, there is nothing to see.
    bare = payments.url + f"/g/{campaign['campaign_id']}"
    assert requests.get(bare, timeout=30).status_code == 404
    order_id = order_url.split("/g/o/")[1].split("?")[0]
    assert requests.get(payments.url + f"/g/o/{order_id}?t=x", timeout=30).status_code == 404


def test_the_order_form_asks_again_for_a_quantity_that_is_not_a_number(
    payments: PaymentsHarness,
) -> None:
    campaign = new_campaign(payments)
    cid = campaign["campaign_id"]
    # A superscript two and an Arabic-Indic three pass str.isdigit(); int() refuses the
    # first and reads the second; "1O" is a typo. None may order anything, or less.
    for typed in ("\u00b2", "\u0663", "1O"):
        form = {"s": share_sig(campaign), "order_id": str(uuid.uuid4()), "buyer": "Li",
                "phone": "13800001111", f"qty_{WATER}": typed, f"qty_{JUICE}": "1",
                "lang": "en"}  # fmt: skip
        answer = requests.post(f"{payments.url}/g/{cid}/join", data=form,
                               allow_redirects=False, timeout=30)  # fmt: skip
        assert answer.status_code == 422, (typed, answer.status_code)
        assert "choose at least one product" in html.unescape(answer.text)
    view = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}").json()
    assert [item["left"] for item in view["items"]] == [40, 4]  # nothing ordered


NOTES = {
    "zh_CN": ("箱子破了，有一瓶漏水", "送货很快，水很新鲜"),
    "ko": ("상자가 찢어져 한 병이 샜어요", "빨리 받았고 물도 신선해요"),
    "en": ("The case was torn and one bottle leaked", "Quick and fresh"),
}
LOCALES = {"zh_CN": "zh-CN", "ko": "ko-KR", "en": "en-GB"}


@pytest.mark.parametrize("lang", ["zh_CN", "ko", "en"])
def test_rate_and_report_a_problem_after_pickup_and_see_the_outcome(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest, lang: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    note, words = NOTES[lang]
    campaign = new_campaign(payments)
    for n in range(2):
        join_and_pay(payments, campaign, f"1350000{n:04d}")
    mine = join_and_pay(payments, campaign, "13500009999", quantity=2)
    page = _phone(browser, LOCALES[lang])
    if lang == "en":
        page.goto(campaign["share_url"] + "&lang=en")
        _shoot(page, "campaign-en.png", request)
    cid = campaign["campaign_id"]
    payments.clock.advance(HOUR + 1)
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").status_code == 200
    payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={})
    order_url = f"{payments.url}/g/o/{mine['order_id']}?t={mine['token']}&lang={lang}"
    page.goto(order_url)
    assert page.locator("#pickup svg").count() == 1
    assert page.locator("#rate").count() == 0  # nothing collected: nothing to rate yet
    if lang != "en":
        _shoot(page, f"order-ready-{lang}.png", request)
    pickup = {"pickup_id": str(uuid.uuid4()), "code": mine["pickup_code"]}
    assert payments.op("POST", "/v1/ops/groupbuy/pickups", json=pickup).status_code == 200

    page.goto(order_url)
    page.click("#rate")
    page.click("label[for=star4]")
    page.fill("#text", words)
    assert _fits_the_phone(page)
    _shoot(page, f"review-{lang}.png", request)
    page.click("#send")
    page.wait_for_selector("#my_rating")
    assert "★★★★☆" in page.locator("#my_rating").inner_text()

    page.click("#report")
    page.fill("#quantity", "1")
    page.select_option("#reason", "damaged")
    page.fill("#note", note)
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(_photo_of_a_leaking_bottle())
    page.set_input_files("#photo", str(photo))  # as the phone's camera gives it
    assert page.locator(f"#line_{WATER}").is_checked()  # the only line collected
    assert _fits_the_phone(page)
    _shoot(page, f"problem-{lang}.png", request)
    page.click("#send")
    page.wait_for_selector(".problem")
    assert page.locator(".outcome.open").count() == 1

    problem_id = page.locator(".problem").get_attribute("data-problem")
    # The browser sent the photo with the form: the store has it, re-encoded.
    kept = payments.op("GET", f"/v1/groupbuy/problems/{problem_id}/photo")
    assert kept.status_code == 200
    assert kept.content.startswith(b"\xff\xd8")
    answer = payments.op(
        "POST", f"/v1/groupbuy/problems/{problem_id}/resolve", json={"action": "refund"}
    )
    assert answer.status_code == 200, answer.text
    page.goto(order_url)
    assert "35.90" in page.locator(".outcome.refunded").inner_text()
    assert _fits_the_phone(page)
    _shoot(page, f"order-after-sales-{lang}.png", request)

    page.goto(campaign["share_url"] + f"&lang={lang}")
    assert "4.0" in page.locator("#rating").inner_text()
    page.goto(str(payments.op("GET", f"/v1/groupbuy/campaigns/{cid}").json()["leader_url"])
              + f"&lang={lang}")  # fmt: skip
    assert page.locator(".buyers").inner_text() == "3"
    assert _fits_the_phone(page)
    _shoot(page, f"leader-{lang}.png", request)

    # Problems are taken for 48 hours after the pickup (a new campaign's window), and the
    # order says until when; after it, the way to report is gone and the page says so.
    page.goto(order_url)
    assert CLOSES[lang][0] in page.locator("#report_window").inner_text()
    problem_url = order_url.replace("?", "/problem?", 1)
    page.goto(problem_url)
    assert CLOSES[lang][0] in page.locator(f"label:has(#line_{WATER})").inner_text()
    payments.clock.advance(49 * HOUR)
    page.click("#send")  # opened in time, sent too late: back to the order, which says so
    page.wait_for_url(order_url.split("?")[0] + "*")
    assert page.locator("#report").count() == 0
    assert CLOSES[lang][1] in page.locator("#report_window").inner_text()
    page.goto(problem_url)  # and the form is not offered any more
    assert "/problem" not in page.url
    assert page.locator("#report_window").count() == 1
    assert _fits_the_phone(page)
    page.context.close()


CLOSES = {
    "zh_CN": ("售后申请可提交至", "售后申请已于"),
    "ko": ("A/S를 신청할 수 있습니다", "A/S 신청이"),
    "en": ("Problems can be reported until", "Problem reports closed at"),
}


def test_the_store_refunds_a_problem_in_the_console(
    payments: PaymentsHarness, browser: Any, request: pytest.FixtureRequest
) -> None:
    """The console's group-buy page in Chromium, at a tablet's width: a store manager
    refunds one problem, rejects another with a reason."""
    campaign = new_campaign(payments)
    buyers = [join_and_pay(payments, campaign, f"1360000{n:04d}") for n in range(2)]
    cid = campaign["campaign_id"]
    payments.clock.advance(HOUR + 1)
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").status_code == 200
    payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={})
    problems = []
    for buyer, reason in zip(buyers, ("damaged", "quality"), strict=True):
        pickup = {"pickup_id": str(uuid.uuid4()), "code": buyer["pickup_code"]}
        assert payments.op("POST", "/v1/ops/groupbuy/pickups", json=pickup).status_code == 200
        problem_id = str(uuid.uuid4())
        if reason == "damaged":  # from the buyer's page, with a photo
            sent = requests.post(  # to the address the page's form names
                f"{payments.url}/g/o/{buyer['order_id']}/problem",
                params={"t": buyer["token"], "lang": "zh_CN"},
                data={"t": buyer["token"], "lang": "zh_CN", "problem_id": problem_id,
                      "gtin": WATER, "quantity": "1", "reason": reason, "note": "漏水"},
                files={"photo": ("IMG_2041.jpg", _photo_of_a_leaking_bottle(), "image/jpeg")},
                allow_redirects=False, timeout=30,
            )  # fmt: skip
            assert sent.status_code == 303, sent.text
        else:
            sent = requests.post(
                f"{payments.url}/v1/groupbuy/orders/{buyer['order_id']}/problems",
                json={"problem_id": problem_id, "gtin": WATER, "quantity": 1, "reason": reason,
                      "note": "口感不对"},
                headers={"X-Order-Token": buyer["token"]}, timeout=30,
            )  # fmt: skip
            assert sent.status_code == 200, sent.text
        problems.append(problem_id)
    add_account(payments.harness, "mgr", Role.STORE_MANAGER, ["S001"])
    page = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN").new_page()
    page.goto(f"{payments.url}/admin/login?lang=zh_CN")
    page.fill("#login", "mgr")
    page.fill("#password", PASSWORD)
    page.click("#sign_in")
    page.goto(f"{payments.url}/admin/groupbuy?lang=zh_CN")
    assert page.locator("[data-problem]").count() == 2
    # The buyer's photo shows beside their note, loaded as the signed-in manager.
    thumbnail = page.locator(f"[data-problem='{problems[0]}'] a.photo img")
    thumbnail.wait_for()
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) == 1600
    assert page.locator(f"[data-problem='{problems[1]}'] a.photo").count() == 0
    _shoot(page, "admin-groupbuy-zh_CN.png", request)
    page.click(f"#refund_{problems[0]}")
    page.locator(f"[data-problem='{problems[1]}'] input[name=answer]").fill("保质期内，口感正常")
    page.click(f"#reject_{problems[1]}")
    assert page.locator("[data-problem]").count() == 0
    assert page.locator("[data-decided]").count() == 2
    assert "已退款 39.90 CNY" in page.locator(f"[data-decided='{problems[0]}']").inner_text()
    _shoot(page, "admin-groupbuy-decided-zh_CN.png", request)
    page.context.close()
