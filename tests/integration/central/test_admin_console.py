"""The back-office console in a real headless Chromium against a running service: an HQ
admin signs in, finds a kiosk on the fleet page, revokes it after the confirmation, and
the kiosk's next request is refused. Every page is screenshotted at desktop and tablet
widths (SCREENSHOTS=1 writes them to docs/screenshots/admin/). Every page, in each of the
three languages, passes axe-core (vendored in `vendor/`, MPL-2.0, injected by the test only:
the pages stay script-free) and the keyboard check."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from central.admin import integrity
from central.admin import service as admin
from central.admin.service import Account, Actor, Role
from central.auth import AuthedKiosk
from central.loyalty import members
from central.sales.tables import journal_issues
from sync.errors import AuthRefused
from sync.protocol import Consent, MemberSignUp
from tests.helpers import REPO
from tests.integration.central.test_admin import PASSWORD, beat, console_on
from tests.integration.central.test_admin_sales import resend_changed
from tests.integration.central.test_attendant import alert, live
from tests.integration.central.test_loyalty_central import LAYS, Kiosk
from tests.integration.conftest import CentralHarness
from tools.browser import MISSING, available, chromium

SHOTS = REPO / "docs" / "screenshots" / "admin"
WIDTHS = {"desktop": {"width": 1440, "height": 900}, "tablet": {"width": 1024, "height": 768}}


@pytest.fixture
def browser() -> Iterator[Any]:
    if not available():
        pytest.skip(MISSING)
    with chromium() as launched:
        yield launched


@pytest.fixture
def service(tmp_path: Path) -> Iterator[CentralHarness]:
    with console_on(f"sqlite:///{tmp_path / 'central.db'}") as harness:
        yield harness


def shoot(page: Any, name: str, tmp_path: Path) -> None:
    folder = SHOTS if os.environ.get("SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 5000


def sign_in(page: Any, url: str, login: str, lang: str) -> None:
    page.goto(f"{url}/admin/login?lang={lang}")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("#sign_in")
    page.wait_for_url("**/admin/fleet")


def test_sign_in_find_a_kiosk_revoke_it(
    service: CentralHarness, browser: Any, tmp_path: Path
) -> None:
    kiosk = service.enrol("S001", name="Kiosk 1")
    other = service.enrol("S002", name="Kiosk 2")
    client = service.client(kiosk)
    beat(client, version="1.4.0", backlog=3)
    body = {"live": {**live(), "printer": "no_paper"}, "alerts": [alert(str(uuid.uuid4()), 1,
                                                                         "raised")]}  # fmt: skip
    client.call("POST", "/v1/attendant/report", body=body)
    refused = "promotions lucky-1 refused: unknown kind 'lucky_draw': one of percent_off, …"
    beat(service.client(other), version="1.3.9", errors=[refused])
    page = browser.new_context(viewport=WIDTHS["desktop"], locale="en-GB").new_page()
    page.goto(f"{service.url}/admin/fleet")
    page.wait_for_url("**/admin/login")
    shoot(page, "login-desktop-en.png", tmp_path)
    sign_in(page, service.url, "hq", "en")
    row = page.locator(f"tr[data-kiosk='{kiosk.kiosk_id}']")
    assert "Kiosk 1" in row.inner_text()
    assert "no_paper" in row.inner_text()
    # The older kiosk cannot read an offer its service sent: the operator opens the details.
    problems = page.locator(f"tr[data-kiosk='{other.kiosk_id}'] details.problems")
    assert problems.locator("summary").inner_text() == "Sync problems: 1"
    assert not problems.locator("li").is_visible()
    problems.locator("summary").click()
    assert problems.locator("li").inner_text() == refused
    shoot(page, "fleet-desktop-en.png", tmp_path)
    row.locator("[data-revoke]").click()
    page.wait_for_selector("#confirm_revoke")
    shoot(page, "revoke-desktop-en.png", tmp_path)
    page.click("#confirm_revoke")
    page.wait_for_selector(".note")
    assert "Kiosk revoked." in page.locator(".note").inner_text()
    assert "Revoked" in page.locator(f"tr[data-kiosk='{kiosk.kiosk_id}']").inner_text()
    with pytest.raises(AuthRefused):
        beat(service.client(kiosk))
    beat(service.client(other))
    page.goto(f"{service.url}/admin/audit")
    assert "kiosk.revoke" in page.locator("table").inner_text()


def test_a_catalog_file_is_uploaded_from_the_browser(
    service: CentralHarness, browser: Any, tmp_path: Path
) -> None:
    page = browser.new_context(viewport=WIDTHS["desktop"]).new_page()
    sign_in(page, service.url, "hq", "zh_CN")
    page.goto(f"{service.url}/admin/catalog")
    bad = tmp_path / "目录.csv"
    bad.write_text("gtin,name_zh_CN,tax_class,price,currency\n"
                   "6901234567892,薯片,standard,1.00,CNY\n"
                   "6901234567891,错码,standard,1.00,CNY\n"
                   "6901234567892,重复,standard,2,5,CNY\n", encoding="utf-8")  # fmt: skip
    page.set_input_files("#csv_file", str(bad))
    page.click("#import")
    page.wait_for_selector("#bad_rows")
    listed = page.locator("#bad_rows li").all_inner_texts()
    # In the page's language, as its heading is.
    assert listed == [
        "第 3 行：“6901234567891”的校验位不对（输错或读错）。",
        "第 4 行：字段比表头多。",
    ]
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text(encoding="utf-8").rsplit("\n", 3)[0] + "\n", encoding="utf-8")
    page.set_input_files("#csv_file", str(good))
    page.click("#import")
    page.wait_for_url("**/admin/catalog?done=imported")
    page.goto(f"{service.url}/admin/catalog?q=薯片")
    assert page.locator("tr[data-gtin='06901234567892']").count() == 1


MEMBER = "01900000-0000-7000-8000-000000000001"


def add_member(service: CentralHarness) -> None:
    """A member as a kiosk's sign-up stores them, with a wallet coupon."""
    till = AuthedKiosk("k-1", "S001", "key-1")
    signup = MemberSignUp(member_id=MEMBER, phone_hash="ab" * 32, store_id="S001",
                          consent=Consent(terms_version="2026-11", marketing=True,
                                          given_at="2026-11-20T10:00:00+08:00"),
                          created_at="2026-11-20T10:00:00+08:00")  # fmt: skip
    with service.engine.begin() as conn:
        members.sign_up(conn, till, [signup], 1_800_000_000_000)
    issued = service.op("POST", "/v1/loyalty/admin/wallet/issue",
                        json={"coupon_id": "welcome-10", "member_ids": [MEMBER]})  # fmt: skip
    assert issued.status_code == 200, issued.text


PAGES = (
    ("fleet", "fleet"),
    ("rules", "rules"),
    ("staff", "staff"),
    ("catalog", "catalog"),
    ("catalog/06935412001014", "catalog-product"),
    ("promotions", "promotions"),
    ("promotions/lays-2nd-half", "promotion"),
    ("coupons", "coupons"),
    ("campaigns", "campaigns"),
    ("campaigns/double-12", "campaign"),
    # Lay's twice (second bag half price), Nongfu water three times (3 for 2), a coupon.
    ("preview?gtin=6933509001015&qty=2&gtin=6935412001014&qty=3&coupon=snacks-3-off",
     "preview"),
    ("members", "members"),
    (f"members/{MEMBER}", "member"),
    ("sales?from=2000-01-01", "sales"),
    ("sales/{sale}", "sale"),
    ("integrity", "integrity"),
    ("accounts", "accounts"),
    ("audit", "audit"),
)  # fmt: skip


def test_marketing_creates_a_promotion_and_previews_a_basket_with_the_keyboard(
    service: CentralHarness, browser: Any, tmp_path: Path, demo_products: list[dict[str, Any]]
) -> None:
    service.load_catalog(demo_products)
    page = browser.new_context(viewport=WIDTHS["desktop"], locale="en-GB").new_page()
    page.goto(f"{service.url}/admin/login?lang=en")
    page.fill("#login", "mkt")
    page.fill("#password", PASSWORD)
    page.click("#sign_in")
    page.wait_for_url("**/admin/catalog")
    page.click("nav >> text=Promotions")
    page.fill("#f_promotion_id", "water-3-for-2")
    page.fill("#f_name", "Water: 3 for 2")
    page.select_option("#f_kind", "multi_buy")
    page.fill("#f_gtins", "6935412001014")
    page.fill("#f_buy", "2")
    page.fill("#f_get", "1")
    page.fill("#f_percent", "100")
    page.click("#create_offer")
    page.wait_for_url("**/admin/promotions/water-3-for-2?done=saved")
    assert "Saved." in page.locator(".note").inner_text()
    assert page.locator("#f_promotion_id").is_disabled()  # an edit keeps its id
    page.click("nav >> text=Pricing preview")
    # Keyboard only: type the GTIN, Tab to the quantity, Enter prices the basket.
    page.focus("#gtin_1")
    page.keyboard.type("6935412001014")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "qty_1"
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    page.wait_for_selector("#total")
    assert "water-3-for-2" in page.locator("[data-discount]").inner_text()
    # Three bottles at ¥2.00, one free.
    assert page.locator("#total").inner_text() == "4.00 CNY"
    assert page.locator("#discount_total").inner_text() == "2.00 CNY"
    shoot(page, "preview-flow-desktop-en.png", tmp_path)


def fill_every_page(
    service: CentralHarness, tmp_path: Path, products: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """Data for every page (a catalog, offers, a member, a real kiosk's sale, a fleet):
    `PAGES` with the sale's address filled in."""
    service.load_catalog(products)
    service.load_offers()
    add_member(service)
    till = Kiosk(service, tmp_path / "till", "Kiosk 0")
    try:
        till.pull()
        sale = till.sell(LAYS, LAYS, "6935412001014")
        till.sync()
        resend_changed(service, till, sale)  # a conflict and a gap to review
    finally:
        till.close()
    hq, actor = Account("hq", "HQ", Role.HQ_ADMIN, frozenset()), Actor("hq", "test")
    with service.engine.begin() as conn:  # a chain break someone has dealt with
        conn.execute(insert(journal_issues).values(
            kiosk_id=till.credential.kiosk_id, kind="chain_break", idx=2,
            detail="prev_hash differs", detected_at=1_800_000_000_000))  # fmt: skip
        [issue] = integrity.review(conn, hq).issues[:1]
        assert issue.item_id is not None
        integrity.mark_dealt(conn, hq, actor, "chain", issue.item_id,
                             "Restored from last night's backup; entries checked by hand.",
                             1_800_000_100_000)  # fmt: skip
        admin.save_staff(conn, actor, "E100", home_store="S001", now_ms=1_800_000_100_000)
        rules = {"max_quantity": "24", "transfer_hours": "4", "audit_percent": "2.5",
                 "audit_over": "800"}  # fmt: skip
        admin.save_store_rules(conn, actor, "S001", rules, 1_800_000_100_000)
    for n, store in enumerate(("S001", "S001", "S002"), start=1):
        beat(service.client(service.enrol(store, name=f"Kiosk {n}")), version="1.4.0")
    return [(path.format(sale=sale.sale_id), name) for path, name in PAGES]


def test_screenshots_of_every_page(
    service: CentralHarness, browser: Any, tmp_path: Path, demo_products: list[dict[str, Any]]
) -> None:
    pages = fill_every_page(service, tmp_path, demo_products)
    for width, viewport in WIDTHS.items():
        for lang in ("en", "zh_CN", "ko") if width == "tablet" else ("en", "zh_CN"):
            page = browser.new_context(viewport=viewport).new_page()
            sign_in(page, service.url, "hq", lang)
            for path, name in pages:
                page.goto(f"{service.url}/admin/{path}")
                # Nothing is wider than the screen but the tables' own scroll boxes.
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                shoot(page, f"{name}-{width}-{lang}.png", tmp_path)
    # A read-only operator sees the same pages without a single form that changes things.
    page = browser.new_context(viewport=WIDTHS["tablet"]).new_page()
    sign_in(page, service.url, "ro", "en")
    assert page.locator("main form").count() == 0
    page.goto(f"{service.url}/admin/staff")
    assert page.locator("main form").count() == 0
    shoot(page, "staff-tablet-en-read-only.png", tmp_path)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Landmarks are tagged best practice, not WCAG; a keyboard or screen-reader user
    # still needs them to skip to the page's content.
    "rules": {
        rule: {"enabled": True}
        for rule in ("region", "landmark-one-main", "landmark-unique", "page-has-heading-one")
    },
}
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
"""What a keyboard user must be able to reach (unless disabled or not shown)."""


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("options => axe.run(document, options)", RULES)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    ]


def unreachable(page: Any) -> list[str]:
    """The controls that Tab, pressed from the top of the page, never reaches."""
    controls = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0)
            .map((e, i) => { e.dataset.a11y = String(i); return e.outerHTML.slice(0, 80); })""",
        CONTROLS,
    )
    reached: list[str] = []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    # Chromium also stops on scrolling boxes, and a date field takes a Tab per part (day,
    # month, year): three times the controls is a generous bound for one round.
    previous = ""
    for _ in range(3 * len(controls) + 3):
        page.keyboard.press("Tab")
        mark = page.evaluate("document.activeElement.dataset.a11y || ''")
        if reached and mark == reached[0] != previous:
            break  # round the page once
        if mark and mark != previous:
            reached.append(mark)
        previous = mark
    assert reached == sorted(reached, key=int), "Tab order is not the page's order"
    return [html for i, html in enumerate(controls) if str(i) not in reached]


def test_every_page_in_every_language_passes_axe_and_the_keyboard(
    service: CentralHarness, browser: Any, tmp_path: Path, demo_products: list[dict[str, Any]]
) -> None:
    pages = fill_every_page(service, tmp_path, demo_products)
    kiosk = service.enrol("S001", name="Kiosk 9")
    pages.append((f"fleet/{kiosk.kiosk_id}/revoke", "revoke"))
    problems: dict[str, list[str]] = {}
    for lang in ("zh_CN", "ko", "en"):
        context = browser.new_context(viewport=WIDTHS["tablet"], bypass_csp=True)
        page = context.new_page()
        page.goto(f"{service.url}/admin/login?lang={lang}")
        problems[f"login {lang}"] = violations(page) + unreachable(page)
        sign_in(page, service.url, "hq", lang)
        for path, name in pages:
            page.goto(f"{service.url}/admin/{path}")
            problems[f"{name} {lang}"] = violations(page) + unreachable(page)
        context.close()
    failing = [f"{page}: {problem}" for page, found in problems.items() for problem in found]
    assert not failing, "\n".join(failing)
