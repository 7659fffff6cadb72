"""Members, coupons and promotions on the kiosk's screens: the demo store's offers
(assets/demo/promotions.csv and coupons.csv) priced by the real loyalty engine."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import LOCAL_CHAIN_KEY
from demo.store import DemoStore
from kiosk.domain.catalog import Product
from kiosk.domain.coupons import CouponRefusal, printed_code
from kiosk.domain.errors import Reason
from kiosk.domain.members import member_code_for
from kiosk.services.loyalty import LoyaltyKeys
from kiosk.store.loyalty import CachedMember, WalletEntry
from tests.ui.conftest import Kit, shown
from ui.reasons import reason_text
from ui.screens.member import MemberScreen
from ui.screens.scanning import ScanningScreen

WATER = "6935412001014"  # Nongfu Spring 550ml, ¥2.00: "Nongfu Spring: 3 for 2"
NUTS = "6971284001011"  # Three Squirrels nuts, ¥99.00 (snacks)
RICE = "6948906001018"  # Arawana rice 5kg, ¥39.90; royal price ¥35.90
MILK = "6954023001015"  # Yili milk 250ml, ¥3.50: "Yili dairy 10% off (2 or more)"
MEMBER_ID = "01936f0e-1c2b-7a3d-8e4f-5a6b7c8d9e0f"


def product(demo: DemoStore, gtin: str) -> Product:
    return next(p for p in demo.products if p.gtin.lstrip("0") == gtin.lstrip("0"))


def keys(kit: Kit) -> LoyaltyKeys:
    """The member and coupon keys of this (not enrolled) kiosk."""
    chain = kit.kiosk.store.settings.get(LOCAL_CHAIN_KEY)
    return LoyaltyKeys.from_chain_key(bytes.fromhex(str(chain)))


def scanning(kit: Kit) -> ScanningScreen:
    screen = kit.kiosk.window.screens["scanning"]
    assert isinstance(screen, ScanningScreen)
    return screen


def notice(kit: Kit) -> tuple[str, str]:
    bar = kit.kiosk.window.notice_bar
    assert bar.notice is not None
    assert bar.isVisible()
    return bar.notice.reason, bar.text.text()


def royal_member(kit: Kit, wallet: tuple[str, ...] = ()) -> str:
    """A royal member the kiosk knows (as a central lookup would have cached them)."""
    repo = kit.kiosk.store.loyalty
    repo.put_member(
        CachedMember(
            MEMBER_ID,
            member_code_for(MEMBER_ID),
            None,
            "royal",
            "central",
            {"masked_phone": "138****5678", "points": 1200},
            kit.clock.now().isoformat(),
        )
    )
    repo.replace_wallet(
        MEMBER_ID,
        [
            WalletEntry(
                printed_code(keys(kit).coupon, c, f"W{i:08d}"), MEMBER_ID, c, "available", {}
            )
            for i, c in enumerate(wallet, start=1)
        ],
    )
    return kit.kiosk.session.core.members.card_qr(MEMBER_ID)


def test_a_printed_coupon_applies_and_shows_its_saving(kit: Kit, demo: DemoStore) -> None:
    kit.kiosk.session.set_language("en")
    kit.scan_product(product(demo, NUTS))
    total_before = kit.kiosk.session.state.priced.total
    kit.scan(printed_code(keys(kit).coupon, "snacks-3-off", "P00000001"))
    assert notice(kit)[0] == Reason.COUPON_ADDED
    priced = kit.kiosk.session.state.priced
    assert total_before.minor - priced.total.minor == 300
    screen = scanning(kit)
    assert shown(kit.kiosk.window) == "scanning"
    assert screen.offers.isVisible()
    [row] = screen.offers.rows
    assert row.line.applied
    assert "¥3 off snacks from ¥20" in row.text.text()
    assert row.amount.text() == "−¥3.00"
    assert "¥3.00" in screen.savings_label.text()
    # The same code again is refused; ✕ takes the coupon off.
    kit.scan(printed_code(keys(kit).coupon, "snacks-3-off", "P00000001"))
    assert notice(kit)[0] == Reason.ALREADY_IN_CART
    assert row.remove.isVisibleTo(screen)
    row.remove.click()
    assert notice(kit)[0] == Reason.COUPON_REMOVED
    assert kit.kiosk.session.state.priced.total == total_before
    assert not screen.offers.rows
    # What is left is the next-best offer: ¥99.00 is close to "every ¥100: ¥10 off".
    assert not screen.offers.isVisible()
    assert screen.hint.text() == ("▶ Spend ¥1.00 more and save ¥10.00: Every ¥100 spent: ¥10 off")


def test_refused_coupons_say_why(kit: Kit, demo: DemoStore) -> None:
    kit.kiosk.session.set_language("en")
    coupon_key = keys(kit).coupon
    kit.scan_product(product(demo, NUTS))
    kit.scan(printed_code(b"not the store's key", "snacks-3-off", "P00000002"))
    assert notice(kit) == (
        CouponRefusal.BAD_SIGNATURE,
        reason_text(CouponRefusal.BAD_SIGNATURE, coupon=True),
    )
    # After its window: refused with the reason, and not kept in the cart.
    kit.clock.current = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
    kit.scan(printed_code(coupon_key, "yili-5-off-30", "P00000003"))
    reason, text = notice(kit)
    assert reason == CouponRefusal.EXPIRED
    assert text == "This coupon has expired and cannot be used."
    assert kit.kiosk.window.notice_bar.notice.level.value == "error"  # type: ignore[union-attr]
    assert not scanning(kit).offers.rows
    # Below its minimum spend: kept in the cart with what is missing, applies once reached.
    kit.clock.current = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    kit.scan(printed_code(coupon_key, "welcome-10", "P00000004"))
    assert notice(kit)[0] == CouponRefusal.MEMBER_ONLY  # a member coupon, no member yet
    [row] = scanning(kit).offers.rows
    assert not row.line.applied
    assert "Scan your member code to use it" in row.text.text()


def test_a_member_by_qr_gets_member_prices_tier_points_and_wallet(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    session.set_language("en")
    card = royal_member(kit, wallet=("welcome-10",))
    kit.scan_product(product(demo, RICE))
    assert session.state.priced.total.minor == 3990
    kit.scan(card)
    assert notice(kit)[0] == "member_on_product_screen"
    assert session.state.priced.total.minor == 3590  # the royal price
    screen = scanning(kit)
    assert any("Royal price: Arawana rice 5kg" in t for t in screen.offers.texts())
    assert "Royal" in screen.member_button.text()
    assert "138****5678" in screen.member_button.text()
    # The member screen: tier, points and the wallet; a tap puts a coupon in the cart.
    qtbot.mouseClick(screen.member_button, Qt.MouseButton.LeftButton)
    member = kit.kiosk.window.screens["member"]
    assert isinstance(member, MemberScreen)
    assert member.tier_label.text() == "Royal"
    assert member.points_label.text() == "1,200 points"
    [coupon] = member.wallet_buttons
    assert "Welcome: ¥10 off from ¥50" in coupon.text()
    qtbot.mouseClick(coupon, Qt.MouseButton.LeftButton)
    # Below ¥50: kept, waiting for the minimum spend.
    assert notice(kit)[0] == CouponRefusal.BELOW_MINIMUM_SPEND
    [coupon] = member.wallet_buttons
    assert coupon.isChecked()
    assert coupon.text().startswith("✓ In your cart")
    qtbot.mouseClick(member.member_back, Qt.MouseButton.LeftButton)
    assert shown(kit.kiosk.window) == "scanning"
    waiting = [r for r in screen.offers.rows if r.line.code]
    assert "spend ¥14.10 more to use it" in waiting[0].text.text()
    kit.scan_product(product(demo, NUTS))  # now over ¥50: the coupon applies by itself
    assert session.state.priced.total.minor == 3590 + 9900 - 1000 - 1000  # and 满100减10
    assert any(r.line.code and r.line.applied for r in screen.offers.rows)


def test_a_multi_buy_hint_then_its_discount(kit: Kit, demo: DemoStore) -> None:
    kit.kiosk.session.set_language("en")
    water = product(demo, WATER)
    screen = scanning(kit)
    kit.scan_product(water)
    kit.scan_product(water)
    assert shown(kit.kiosk.window) == "scanning"
    assert screen.hint.isVisible()
    assert screen.hint.text() == "▶ Add 1 more and save ¥2.00: Nongfu Spring: 3 for 2"
    QApplication.sendPostedEvents()  # lay out
    cart_height, pay_at = screen.cart.height(), screen.pay_button.y()
    kit.scan_product(water)
    assert not screen.hint.isVisible()
    QApplication.sendPostedEvents()
    # The hint's room stays: the cart and the Pay button do not move under the shopper.
    assert (screen.cart.height(), screen.pay_button.y()) == (cart_height, pay_at)
    assert screen.offers.texts() == ["★ Nongfu Spring: 3 for 2 −¥2.00"]
    assert kit.kiosk.session.state.priced.total.minor == 400
    # The offers card is as high as its one line, not a half-empty box: the camera keeps
    # the rest of the column.
    QApplication.processEvents()
    needed = screen.offers.heightForWidth(screen.offers_scroll.viewport().width())
    assert 0 < screen.offers_scroll.height() <= needed + 4


def test_the_new_texts_follow_the_language(kit: Kit, demo: DemoStore) -> None:
    session = kit.kiosk.session
    screen = scanning(kit)
    water = product(demo, WATER)
    kit.scan_product(water)
    kit.scan_product(water)
    kit.scan(printed_code(keys(kit).coupon, "snacks-3-off", "P00000005"))  # no snacks
    hints, rows, notices = {}, {}, {}
    for lang in ("en", "zh_CN", "ko"):
        session.set_language(lang)
        hints[lang] = screen.hint.text()
        rows[lang] = screen.offers.texts()[0]
        notices[lang] = notice(kit)[1]
    assert len(set(hints.values())) == 3
    assert len(set(rows.values())) == 3
    assert len(set(notices.values())) == 3
    assert "再买1件" in hints["zh_CN"]
    # The promotion's own name in the shopper's language (the CSV's name_<language>).
    assert "农夫山泉：买3付2" in hints["zh_CN"]
    assert "농푸산취안" in hints["ko"]
    assert "¥2.00" in hints["ko"]
    assert notices["ko"] == reason_text(CouponRefusal.NO_QUALIFYING_ITEMS, coupon=True)


def test_points_are_spent_from_the_member_screen_and_taken_back(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    session.set_language("en")
    card = royal_member(kit)
    kit.scan_product(product(demo, RICE))
    kit.scan(card)
    before = session.state.priced.total.minor
    qtbot.mouseClick(scanning(kit).member_button, Qt.MouseButton.LeftButton)
    member = kit.kiosk.window.screens["member"]
    assert isinstance(member, MemberScreen)
    assert shown(kit.kiosk.window) == "member"
    assert member.points_button.isVisible()
    spendable = session.loyalty.member.spendable if session.loyalty.member else 0
    assert spendable > 0
    qtbot.mouseClick(member.points_button, Qt.MouseButton.LeftButton)
    assert session.loyalty.points_used > 0
    assert session.state.priced.total.minor < before  # the points pay part of the cart
    assert member.points_button.isChecked()
    assert member.points_button.text().startswith("✓ Using")
    qtbot.mouseClick(member.points_button, Qt.MouseButton.LeftButton)
    assert session.loyalty.points_used == 0
    assert session.state.priced.total.minor == before


def test_at_large_text_the_offer_lines_scroll_instead_of_covering_the_camera(
    kit: Kit, demo: DemoStore
) -> None:
    kit.kiosk.session.set_language("en")
    for gtin in (WATER, WATER, MILK, MILK):
        kit.scan_product(product(demo, gtin))
    # A coupon nothing matches yet: a line of its own and a two-line notice above.
    kit.scan(printed_code(keys(kit).coupon, "snacks-3-off", "P00000001"))
    kit.kiosk.window.set_accessibility(high_contrast=False, large_text=True)
    QApplication.processEvents()
    screen = scanning(kit)
    column = [screen.camera, screen.offers_scroll, screen.lookup_button, screen.member_button]
    assert all(w.isVisibleTo(screen) for w in column)
    for upper, lower in itertools.pairwise(column):
        assert upper.geometry().bottom() < lower.geometry().top(), (upper, lower)
    assert screen.camera.height() >= screen.camera.minimumHeight()
    # The camera gave up room for them: the first two lines show whole, not one and a half.
    second = screen.offers.rows[1]
    viewport = screen.offers_scroll.viewport()
    assert second.mapTo(viewport, second.rect().bottomLeft()).y() <= viewport.height()
