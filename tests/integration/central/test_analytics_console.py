"""The console's reports page in a real headless Chromium against a running service: sales
pushed by an enrolled kiosk show up as ECharts canvases (the vendored script, served by the
service under the page's CSP), the CSV links answer the signed-in browser, and a store
manager sees their own store only, whatever the query asks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from central.analytics.pages import CHART_ORDER
from central.loyalty.tables import member_tier_moves
from tests.integration.central import test_admin_console as console
from tests.integration.central.test_admin_console import WIDTHS, shoot, sign_in
from tests.integration.central.test_analytics_rollups import CHIPS, WATER, basket
from tests.integration.central.test_central_sales import push
from tests.integration.conftest import CentralHarness

# The console tests' fixtures: a service with an account of each role, and Chromium.
service, browser = console.service, console.browser


def test_the_reports_page_draws_every_chart_and_exports_csv(
    service: CentralHarness, browser: Any, tmp_path: Path
) -> None:
    mine, theirs = service.enrol("S001", name="Kiosk 1"), service.enrol("S002", name="Kiosk 2")
    push(service, mine, [
        basket(mine, 1, "2026-12-01T09:10:00+08:00", [(WATER, 2, 200)],
               first_scan_at="2026-12-01T09:08:30+08:00"),
        basket(mine, 2, "2026-12-02T18:40:00+08:00", [(WATER, 1, 200), (CHIPS, 4, 750)],
               first_scan_at="2026-12-02T18:36:30+08:00"),
    ])  # fmt: skip
    push(service, theirs, [basket(theirs, 1, "2026-12-02T12:00:00+08:00", [(CHIPS, 9, 700)],
                                  first_scan_at="2026-12-02T11:59:00+08:00")])  # fmt: skip
    with service.engine.begin() as conn:  # as the tier recompute records a move
        conn.execute(insert(member_tier_moves).values(
            member_id="01900000-0000-7000-8000-000000000001", store_id="S001",
            kiosk_id=mine.kiosk_id, from_tier="general", to_tier="royal",
            at_ms=1_796_169_600_000))  # fmt: skip
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if "violates" in m.text else None)
    # Chromium asks every site for /favicon.ico, which the service does not have.
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)  # fmt: skip
    sign_in(page, service.url, "hq", "en")
    page.click("a[href='/admin/reports']")
    page.wait_for_url("**/admin/reports")
    for name in CHART_ORDER:
        page.wait_for_selector(f"#chart-{name} canvas")
    assert page.locator("[data-chart] canvas").count() == len(CHART_ORDER)
    assert problems == []  # no script error, nothing the CSP refused
    shown = data(page)
    assert shown["tier-moves"] == [{"from_tier": "general", "to_tier": "royal", "members": 1}]
    assert {r["kiosk_id"]: r["average_scan_to_pay_s"] for r in shown["kiosk-use"]} == {
        mine.kiosk_id: 150, theirs.kiosk_id: 60}  # fmt: skip
    shoot(page, "reports-desktop-en.png", tmp_path)
    for lang in ("zh_CN", "ko"):
        other = browser.new_context(viewport=WIDTHS["tablet"]).new_page()
        sign_in(other, service.url, "hq", lang)
        other.goto(f"{service.url}/admin/reports")
        for name in CHART_ORDER:
            other.wait_for_selector(f"#chart-{name} canvas")
        shoot(other, f"reports-tablet-{lang}.png", tmp_path)
        other.context.close()
    page.fill("#from", "2026-12-02")
    page.click("#show")
    page.wait_for_selector("#chart-sales-by-day canvas")
    days = data(page)["sales-by-day"]
    assert [(d["day"], d["sales"]) for d in days] == [("2026-12-02", 2)]
    csv = context.request.get(f"{service.url}/admin/reports?csv=sales-by-day&store_id=S002")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().splitlines()[1] == "2026-12-02,CNY,1,9,6300,0,0,6300"
    context.close()


def test_a_store_manager_sees_only_their_stores(service: CentralHarness, browser: Any) -> None:
    mine, theirs = service.enrol("S001", name="Kiosk 1"), service.enrol("S002", name="Kiosk 2")
    push(service, mine, [basket(mine, 1, "2026-12-01T09:10:00+08:00", [(WATER, 2, 200)])])
    push(service, theirs, [basket(theirs, 1, "2026-12-01T10:00:00+08:00", [(CHIPS, 9, 700)])])
    context = browser.new_context(viewport=WIDTHS["tablet"], locale="zh-CN")
    page = context.new_page()
    sign_in(page, service.url, "mgr", "zh_CN")
    page.goto(f"{service.url}/admin/reports?store_id=S002")
    page.wait_for_selector("#chart-kiosk-use canvas")
    assert page.locator("#store_id option").all_inner_texts() == ["S001"]
    assert [r["kiosk_id"] for r in data(page)["kiosk-use"]] == [mine.kiosk_id]
    csv = context.request.get(f"{service.url}/admin/reports?csv=kiosk-use&store_id=S002")
    assert theirs.kiosk_id not in csv.text()
    assert mine.kiosk_id in csv.text()
    context.close()


def data(page: Any) -> dict[str, Any]:
    reports: dict[str, Any] = json.loads(page.locator("#analytics-data").text_content())["reports"]
    return reports
