"""The shopper's screens and the transitions between them, and what goes wrong on the way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from demo.store import DemoStore, scale_label
from kiosk.domain.alerts import AlertReason
from kiosk.domain.errors import Reason
from kiosk.domain.exit_code import PREFIX
from kiosk.domain.scan import Symbology
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import IDLE_VOID_REASON, LEFT_VOID_REASON, Timings
from kiosk.services.setup import database_path
from kiosk.store.uow import KioskStore
from tests.ui.conftest import Kit, KitFactory, shown
from ui.screens.done import DoneScreen
from ui.screens.member import MemberScreen
from ui.screens.payment import PaymentScreen
from ui.screens.scanning import ScanningScreen
from ui.sounds import Sound
from ui.widgets.common import PHONE_MASK


def notices(kit: Kit) -> list[str]:
    bar = kit.kiosk.window.notice_bar
    return [bar.notice.reason] if bar.notice and bar.isVisible() else []


def scanning(kit: Kit) -> ScanningScreen:
    screen = kit.kiosk.window.screens["scanning"]
    assert isinstance(screen, ScanningScreen)
    return screen


def test_starts_on_attract_and_first_scan_starts_the_sale(kit: Kit, demo: DemoStore) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    assert shown(window) == "attract"
    kit.scan_product(demo.fixed[0])
    # The scan's work is done; the page switch (a whole-window repaint) takes the event
    # loop's next turn, so the two never stall the UI thread as one block.
    assert session.screen.value == "scanning"
    assert window.current == "attract"
    assert shown(window) == "scanning"
    model = scanning(kit).model
    assert model.rowCount() == 1
    row = model.line_at(0)
    assert row.just_scanned
    assert row.name == demo.fixed[0].name("zh_CN")  # the store's language by default
    assert kit.sounds.played == [Sound.SCAN]
    assert session.state.priced.total == demo.fixed[0].price


def test_start_button_opens_scanning(kit: Kit, qtbot: QtBot) -> None:
    attract = kit.kiosk.window.screens["attract"]
    qtbot.mouseClick(attract.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert shown(kit.kiosk.window) == "scanning"


def test_refusals_say_why_and_keep_the_cart(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.fixed[0])
    for code, reason in (
        ("6901234567890", "check_digit"),
        ("6999999999997", "unknown_product"),
        ("hello", "invalid_code"),
    ):
        kit.scan(code)
        assert notices(kit) == [reason]
        assert kit.sounds.played[-1] is Sound.ERROR
    if demo.recalled is not None:
        kit.scan_product(demo.recalled)
        assert notices(kit) == ["recalled"]
    assert scanning(kit).model.rowCount() == 1
    label = kit.kiosk.window.notice_bar.text.text()
    assert label
    assert "recalled" not in label  # translated words, not the code


def test_age_restricted_item_calls_staff_and_blocks_payment(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.adult)
    session = kit.kiosk.session
    assert session.assistance
    assert scanning(kit).model.line_at(0).needs_age_check
    session.pay()
    assert notices(kit) == ["approval_needed"]
    assert shown(kit.kiosk.window) == "scanning"


def test_a_rescan_brings_its_line_into_view(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    first = demo.fixed[0]
    for product in demo.fixed[:12]:  # more lines than fit: the first is far down
        kit.scan_product(product)
    view = scanning(kit).cart
    row = scanning(kit).model.row_of(1)
    assert row is not None
    assert not view.viewport().rect().intersects(view.row_rect(row))
    kit.scan_product(first)  # the same item again: quantity 2 on line 1
    qtbot.waitUntil(lambda: view.viewport().rect().intersects(view.row_rect(row)))
    assert kit.kiosk.session.checkout.cart.lines[0].quantity == 2


def test_a_refused_scan_leaves_no_line_marked(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.fixed[0])
    assert scanning(kit).model.line_at(0).just_scanned
    kit.scan("6901234567892", Symbology.EAN13)  # a valid code the catalog does not hold
    assert notices(kit) == ["unknown_product"]
    assert not scanning(kit).model.line_at(0).just_scanned


def test_the_refused_item_is_named_and_its_banner_stays_until_the_next_good_scan(
    kit: Kit, demo: DemoStore
) -> None:
    bar = kit.kiosk.window.notice_bar
    kit.scan_product(demo.fixed[0])
    kit.scan("6901234567892", Symbology.EAN13)
    assert "6901234567892" in bar.text.text()
    assert not bar.hide_timer.isActive()  # no timer takes it away while it is read
    kit.scan_product(demo.fixed[1])
    assert notices(kit) == []
    assert scanning(kit).model.line_at(0).just_scanned  # the item that went in
    kit.scan("6901234567890")  # a wrong check digit: nothing to put aside, a timed notice
    assert bar.hide_timer.isActive()


def test_a_tap_takes_the_recalled_items_banner_down(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    assert demo.recalled is not None
    bar = kit.kiosk.window.notice_bar
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.recalled)
    assert notices(kit) == ["recalled"]
    assert demo.recalled.name("zh_CN") in bar.text.text()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    assert notices(kit) == []


def test_pay_waits_while_an_age_check_is_pending(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.fixed[0])
    assert scanning(kit).pay_button.isEnabled()
    kit.scan_product(demo.adult)
    assert not scanning(kit).pay_button.isEnabled()


def test_quantity_plus_and_minus_on_the_line(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    kit.scan_product(demo.fixed[0])
    view = scanning(kit).cart
    rect = view.row_rect(0)
    plus = view.cart_delegate.button_centre(rect, +1).toPoint()
    minus = view.cart_delegate.button_centre(rect, -1).toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=plus)
    assert kit.kiosk.session.checkout.cart.lines[0].quantity == 2
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=minus)
    assert kit.kiosk.session.checkout.cart.lines[0].quantity == 1
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=minus)
    assert kit.kiosk.session.checkout.cart.is_empty  # 0 removes the line
    assert scanning(kit).model.rowCount() == 0
    assert not scanning(kit).pay_button.isEnabled()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_a_tap_on_a_line_asks_staff_to_check_its_price(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    item = demo.fixed[0]
    kit.scan_product(item)
    screen = scanning(kit)
    view = screen.cart
    name_area = view.row_rect(0).topLeft() + QPoint(60, view.row_rect(0).height() // 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=name_area)
    assert screen.price_query.isVisibleTo(screen)
    assert item.name(kit.kiosk.localiser.language) in screen.price_query.question.text()
    assert kit.kiosk.localiser.money(item.price) in screen.price_query.detail.text()
    assert kit.kiosk.session.alerts == ()  # asking is not calling yet
    qtbot.mouseClick(screen.price_query.no, Qt.MouseButton.LeftButton)
    assert view.isVisibleTo(screen)
    assert kit.kiosk.session.alerts == ()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=name_area)
    qtbot.mouseClick(screen.price_query.yes, Qt.MouseButton.LeftButton)
    [query] = kit.kiosk.session.alerts
    assert (query.reason, query.line_no) == (AlertReason.PRICE_QUERY, 1)
    assert view.isVisibleTo(screen)
    assert notices(kit) == ["price_query_called"]


def test_a_weighed_line_is_taken_off_with_its_cross(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    kit.scan_product(demo.fixed[0])
    kit.scan(scale_label(demo.weighed, 734), Symbology.EAN13)
    view = scanning(kit).cart
    assert [kit.kiosk.session.checkout.cart.lines[i].weight_g for i in (0, 1)] == [None, 734]
    cross = view.cart_delegate.button_centre(view.row_rect(0), +1).toPoint()  # newest on top
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cross)
    active = kit.kiosk.session.checkout.cart.active_lines
    assert [line.weight_g for line in active] == [None]  # the weighed line is gone, not 0 kg
    assert scanning(kit).model.rowCount() == 1


def test_member_sign_up_masks_the_phone(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan_product(demo.fixed[0])
    qtbot.mouseClick(scanning(kit).member_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "member"
    member = window.screens["member"]
    assert isinstance(member, MemberScreen)
    phone = "13812345678"
    for digit in phone:
        qtbot.mouseClick(member.keypad.buttons[digit], Qt.MouseButton.LeftButton)
    assert member.phone_display.text() == "138" + PHONE_MASK * 8
    qtbot.mouseClick(member.signup_button, Qt.MouseButton.LeftButton)
    assert notices(kit) == ["consent_required"]
    qtbot.mouseClick(member.consent_text, Qt.MouseButton.LeftButton)  # the words tick the box
    assert member.consent.isChecked()
    qtbot.mouseClick(member.signup_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "scanning"
    assert notices(kit) == ["member_signed_up"]
    assert session.checkout.cart.member_id == session.member.member_id  # type: ignore[union-attr]
    assert "138****5678" in scanning(kit).member_button.text()
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)]
    assert not any(phone in text for text in texts)
    assert phone not in (kit.home / "kiosk.db").read_bytes().decode("latin-1")
    # Coming back finds the same member, and the keypad starts empty.
    session.open_member()
    assert member.keypad.digits == ""
    session.member_by_phone(phone)
    assert notices(kit) == ["member_added"]


def test_member_and_coupon_codes_on_the_product_screen(kit: Kit, demo: DemoStore) -> None:
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    member = session.core.members.sign_up("13900001111", consent=True)
    kit.scan(session.core.members.card_qr(member.member_id))  # the signed member QR
    assert notices(kit) == ["member_on_product_screen"]
    assert session.checkout.cart.member_id == member.member_id
    kit.scan("CPN:SPRING-10")  # neither a signed printed code nor in the member's wallet
    assert notices(kit) == [Reason.UNKNOWN_COUPON]
    kit.scan("MBR:nobody")
    assert notices(kit) == ["bad_member_code"]
    assert scanning(kit).model.rowCount() == 1


def test_one_tap_to_the_payment_qr_and_cancel(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[1])
    qtbot.mouseClick(scanning(kit).pay_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "payment"
    payment = window.screens["payment"]
    assert isinstance(payment, PaymentScreen)
    qtbot.waitUntil(lambda: payment.view is not None)
    assert payment.qr.payload.startswith("https://pay.demo.invalid/")
    assert payment.amount.text() == "¥" + f"{session.state.priced.total.minor / 100:.2f}"
    assert "2:00" in payment.countdown.text()
    kit.scan_product(demo.fixed[2])  # no adding while paying
    assert notices(kit) == ["cart_frozen"]
    with qtbot.waitSignal(session.screen_changed):
        qtbot.mouseClick(payment.cancel_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "scanning"
    assert not session.checkout.cart.frozen
    assert scanning(kit).model.rowCount() == 2


def pay(kit: Kit, qtbot: QtBot) -> None:
    session = kit.kiosk.session
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)


def test_payment_code_expires_and_the_cart_is_kept(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    kit.scan_product(demo.fixed[0])
    pay(kit, qtbot)
    kit.clock.advance(121)
    with qtbot.waitSignal(kit.kiosk.session.screen_changed):
        kit.payments.tick()
    assert shown(kit.kiosk.window) == "scanning"
    assert notices(kit) == ["payment_expired"]
    assert scanning(kit).model.rowCount() == 1


def test_central_service_drops_during_payment(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    pay(kit, qtbot)
    assert session.payment is not None
    with qtbot.waitSignal(session.screen_changed):
        kit.payments.simulate_failure(session.payment.payment_id)
    assert notices(kit) == ["central_unreachable"]
    assert session.assistance
    assert not session.checkout.cart.frozen
    # Still offline when the shopper tries again: the store's static QR, staff called,
    # cart kept (tests/ui/test_offline_payment.py follows it to the staff's confirmation).
    kit.payments.online = False
    session.pay()
    qtbot.waitUntil(lambda: notices(kit) == ["payment_offline"])
    assert session.checkout.cart.frozen
    session.cancel_payment()
    assert shown(kit.kiosk.window) == "scanning"
    assert scanning(kit).model.rowCount() == 1


def test_paid_then_receipt_and_exit_code_then_attract(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot, tmp_path: Path
) -> None:
    kit = make_kit()
    session, window = kit.kiosk.session, kit.kiosk.window
    session.set_language("ko")
    kit.scan_product(demo.fixed[0])
    pay(kit, qtbot)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    assert shown(window) == "done"
    assert kit.sounds.played[-1] is Sound.PAID
    done = window.screens["done"]
    assert isinstance(done, DoneScreen)
    assert done.exit_qr.payload.startswith(PREFIX)
    assert "#1" in done.sale_number.text()
    qtbot.mouseClick(done.print_button, Qt.MouseButton.LeftButton)
    assert notices(kit) == ["receipt_printed"]
    assert (kit.home / "receipts" / "receipt-1.txt").read_text(encoding="utf-8")
    printer = session.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    printer.working = False
    qtbot.mouseClick(done.print_button, Qt.MouseButton.LeftButton)
    assert notices(kit) == ["printer_no_paper"]
    assert session.assistance
    qtbot.mouseClick(done.finish_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "attract"
    assert kit.kiosk.localiser.language == "zh_CN"  # reset for the next shopper
    assert session.assistance  # the printer still needs staff: its alert outlives the sale


def test_done_screen_returns_to_attract_by_itself(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit = make_kit(Timings(idle_s=3600, still_there_s=3600, done_s=0.05))
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    pay(kit, qtbot)
    assert session.payment is not None
    kit.payments.simulate_paid(session.payment.payment_id)
    qtbot.waitUntil(lambda: kit.kiosk.window.current == "done")
    qtbot.waitUntil(lambda: kit.kiosk.window.current == "attract")


def test_idle_asks_then_voids_the_unpaid_cart(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit = make_kit(Timings(idle_s=0.05, still_there_s=0.05, done_s=3600))
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan_product(demo.fixed[0])
    with qtbot.waitSignal(session.still_there_asked):
        pass
    assert window.overlay.isVisible()
    with qtbot.waitSignal(session.screen_changed):
        pass
    assert shown(window) == "attract"
    assert not window.overlay.isVisible()
    assert session.checkout.cart.is_empty
    [sale] = session.core.store.sales.recent()
    assert sale.status == "voided"
    assert sale.document["void"]["reason"] == IDLE_VOID_REASON
    last = session.core.store.journal.entries()[-1]
    assert (last.kind, last.actor) == ("sale_voided", "kiosk")


def test_idle_question_answered_keeps_the_cart(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit = make_kit(Timings(idle_s=0.05, still_there_s=30, done_s=3600))
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan_product(demo.fixed[0])
    with qtbot.waitSignal(session.still_there_asked):
        pass
    qtbot.mouseClick(window.overlay.yes, Qt.MouseButton.LeftButton)
    assert not window.overlay.isVisible()
    assert shown(window) == "scanning"
    assert scanning(kit).model.rowCount() == 1


def test_the_still_there_question_counts_down_and_offers_to_finish(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot
) -> None:
    kit = make_kit(Timings(idle_s=0.05, still_there_s=20, done_s=3600))
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.kiosk.localiser.set_language("en")
    now = [1000.0]
    window.overlay.countdown.clock = lambda: now[0]
    kit.scan_product(demo.fixed[0])
    with qtbot.waitSignal(session.still_there_asked):
        pass
    assert Sound.ATTENTION in kit.sounds.played
    assert "in 20 seconds" in window.overlay.detail.text()
    now[0] += 2.2  # the count follows the clock, whatever the timer's ticks did
    window.overlay.tick()
    assert "in 18 seconds" in window.overlay.detail.text()
    qtbot.mouseClick(window.overlay.finished, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(window) == "attract")
    assert not window.overlay.isVisible()
    [sale] = session.core.store.sales.recent()
    assert (sale.status, sale.document["void"]["reason"]) == ("voided", LEFT_VOID_REASON)


def test_staff_badge_while_paying_keeps_the_payment(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    from demo.store import DEMO_BADGE

    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan_product(demo.fixed[0])
    pay(kit, qtbot)
    kit.scan(DEMO_BADGE)
    assert shown(window) == "staff"
    assert session.payment is not None
    session.staff_sign_out()
    assert shown(window) == "payment"
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)


def test_camera_failure_mid_sale(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.fixed[0])
    kit.kiosk.camera.set_state("lost")
    kit.kiosk.session.camera_status("lost", "camera 0 stopped sending frames")
    assert notices(kit) == ["camera_lost"]
    kit.kiosk.session.camera_status("lost", "still gone")  # said once, not on every retry
    kit.kiosk.session.camera_status("live", "")
    kit.scan_product(demo.fixed[1])  # a wedge scanner still works
    assert scanning(kit).model.rowCount() == 2


def test_restart_restores_the_cart_and_reopens_a_payment(
    make_kit: KitFactory, demo: DemoStore, qtbot: QtBot, home: Path
) -> None:
    first = make_kit()
    first.scan_product(demo.fixed[0])
    first.scan_product(demo.fixed[0])
    pay(first, qtbot)
    first.kiosk.shutdown()  # as if the process died here
    second = make_kit()
    assert shown(second.kiosk.window) == "scanning"
    cart = second.kiosk.session.checkout.cart
    assert not cart.frozen
    assert cart.lines[0].quantity == 2
    store = KioskStore.open(database_path(home))
    assert store.carts.load() == cart
    store.close()
