"""Staff mode: badge or PIN sign-in (rate-limited), voids, age approval, attended payment,
exit-code checks, pause, leaving kiosk mode, the health view; every action journalled."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from demo.store import DEMO_BADGE, DEMO_PIN, DEMO_STAFF, UNKNOWN_CODE, DemoStore
from kiosk.domain.alerts import Alert, AlertReason, RemoteCommand
from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.scan import Symbology
from kiosk.domain.staff import Role, Staff
from kiosk.services.config import REFUSED_ITEMS_KEY, REJECTED_RULES_KEY
from kiosk.services.payments import ATTENDED_METHOD
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.staff_desk import StaffDesk
from scanner.loop import ScannerStats
from sync.relay import LAST_SYNC_KEY, ROUTES
from tests.ui.conftest import Kit, shown
from ui.alerts import alert_text
from ui.screens.staff import StaffLoginScreen, StaffScreen


def notice(kit: Kit) -> str | None:
    bar = kit.kiosk.window.notice_bar
    return bar.notice.reason if bar.notice and bar.isVisible() else None


def staff_screen(kit: Kit) -> StaffScreen:
    screen = kit.kiosk.window.screens["staff"]
    assert isinstance(screen, StaffScreen)
    return screen


def kinds(kit: Kit) -> list[str]:
    return [e.kind for e in kit.kiosk.session.core.store.journal.entries()]


def enter(qtbot: QtBot, login: StaffLoginScreen, digits: str) -> None:
    for digit in digits:
        qtbot.mouseClick(login.keypad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(login.next_button, Qt.MouseButton.LeftButton)


def test_pin_sign_in_and_lockout(kit: Kit, qtbot: QtBot) -> None:
    window = kit.kiosk.window
    qtbot.mouseClick(window.staff_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "staff_login"
    login = window.screens["staff_login"]
    assert isinstance(login, StaffLoginScreen)
    enter(qtbot, login, DEMO_STAFF.staff_id)
    enter(qtbot, login, "0000")
    assert notice(kit) == "wrong_pin"
    assert login.entry.text() == "—"  # nothing typed stays on screen
    for _ in range(2):
        enter(qtbot, login, DEMO_STAFF.staff_id)
        enter(qtbot, login, "0000")
    enter(qtbot, login, DEMO_STAFF.staff_id)
    enter(qtbot, login, DEMO_PIN)  # right PIN, but too soon after three wrong ones
    assert notice(kit) == "pin_wait"
    kit.monotonic.now += 60
    enter(qtbot, login, DEMO_STAFF.staff_id)
    enter(qtbot, login, DEMO_PIN)
    assert shown(window) == "staff"
    assert "staff_signed_in" in kinds(kit)
    # The name's spaces do not break: a title wrapped in a narrow column keeps it whole.
    assert DEMO_STAFF.name.replace(" ", "\u00a0") in staff_screen(kit).title.text()


def test_pin_entry_locks_after_repeated_failures(kit: Kit) -> None:
    session = kit.kiosk.session
    for _ in range(8):
        kit.monotonic.now += 1000
        session.staff_pin(DEMO_STAFF.staff_id, "9999")
    kit.monotonic.now += 1000
    session.staff_pin(DEMO_STAFF.staff_id, DEMO_PIN)
    assert notice(kit) == "pin_locked"
    assert session.staff is None


def test_a_staff_badge_unlocks_the_locked_keypad(kit: Kit) -> None:
    # docs/ui.md: "after 8 the keypad locks until a badge is used".
    session, window = kit.kiosk.session, kit.kiosk.window
    for _ in range(8):
        kit.monotonic.now += 1000
        session.staff_pin(DEMO_STAFF.staff_id, "9999")
    kit.scan(DEMO_BADGE)
    assert shown(window) == "staff"
    session.staff_sign_out()
    assert session.staff is None
    session.staff_pin(DEMO_STAFF.staff_id, DEMO_PIN)
    assert session.staff == DEMO_STAFF


def test_login_cancel_goes_back(kit: Kit, qtbot: QtBot) -> None:
    window = kit.kiosk.window
    window.session.request_staff_login()
    login = window.screens["staff_login"]
    assert isinstance(login, StaffLoginScreen)
    qtbot.mouseClick(login.cancel_button, Qt.MouseButton.LeftButton)
    assert shown(window) == "attract"


def test_staff_journey_age_approval_and_voids(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.kiosk.localiser.set_language("en")
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.adult)
    kit.scan_product(demo.fixed[1])
    assert session.assistance
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert shown(window) == "staff"
    assert screen.assist_banner.isVisible()
    assert f"Age check: {demo.adult.name('en')}. Line 2." in screen.assist_text.text()
    qtbot.mouseClick(screen.buttons["approve_age"], Qt.MouseButton.LeftButton)
    assert not session.checkout.cart.needs_approval
    assert not session.assistance
    assert not screen.buttons["approve_age"].isEnabled()  # nothing awaits any more
    assert screen.why["approve_age"].text() == "Nothing awaits an age check."
    # No reason is chosen for staff, and a void waits for one.
    assert screen.reason_buttons.checkedButton() is None
    assert not screen.buttons["void_line"].isEnabled()
    assert screen.why["void_line"].text() == "Choose a reason first."
    qtbot.mouseClick(screen.reason_buttons.button(1), Qt.MouseButton.LeftButton)
    chosen = screen.reason_buttons.button(1)
    assert chosen.isChecked()
    assert chosen.text().startswith("✓ ")
    assert not screen.reason_buttons.button(0).text().startswith("✓")
    assert screen.buttons["void_line"].isEnabled()
    qtbot.mouseClick(screen.buttons["void_line"], Qt.MouseButton.LeftButton)
    assert notice(kit) == "select_line"
    row = screen.model.row_of(3)
    assert row is not None
    screen.cart.setCurrentIndex(screen.model.index(row, 0))
    qtbot.mouseClick(screen.buttons["void_line"], Qt.MouseButton.LeftButton)
    line = session.checkout.cart.line(3)
    assert line.void is not None
    assert line.void.reason == "scanned twice"
    assert screen.model.line_at(screen.model.row_of(3) or 0).state.value == "voided"
    assert screen.reason_buttons.checkedButton() is None  # the next void chooses again
    qtbot.mouseClick(screen.buttons["sign_out"], Qt.MouseButton.LeftButton)
    assert shown(window) == "scanning"
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    assert [k for k in kinds(kit) if not k.startswith("alert_")] == [
        "staff_signed_in",
        "age_approved",
        "line_voided",
        "staff_signed_out",
        "sale_paid",
    ]


def test_the_staff_screen_shows_the_cart_total_and_count(kit: Kit, demo: DemoStore) -> None:
    kit.kiosk.localiser.set_language("en")
    kit.scan_product(demo.fixed[0])
    kit.scan_product(demo.fixed[0])
    kit.scan(DEMO_BADGE)
    price = demo.fixed[0].price
    total = kit.kiosk.localiser.money(Money(price.minor * 2, price.currency))
    assert staff_screen(kit).summary.text() == f"Items: 2 ⋅ Total: {total}"


def test_void_whole_sale_asks_first_with_the_amount(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.kiosk.localiser.set_language("en")
    kit.scan_product(demo.fixed[0])
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert not screen.buttons["void_sale"].isEnabled()
    qtbot.mouseClick(screen.reason_buttons.button(0), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.buttons["void_sale"], Qt.MouseButton.LeftButton)
    amount = kit.kiosk.localiser.money(demo.fixed[0].price)
    assert screen.confirm.isVisible()
    assert amount in screen.confirm.question.text()
    assert "Shopper changed mind" in screen.confirm.detail.text()
    kit.kiosk.localiser.set_language("ko")  # the question follows the language
    assert screen.confirm.question.text().startswith("거래 전체")
    kit.kiosk.localiser.set_language("en")
    qtbot.mouseClick(screen.confirm.no, Qt.MouseButton.LeftButton)
    assert not screen.confirm.isVisible()
    assert session.core.store.sales.recent() == []  # one tap did nothing

    qtbot.mouseClick(screen.buttons["void_sale"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.confirm.yes, Qt.MouseButton.LeftButton)
    [sale] = session.core.store.sales.recent()
    assert sale.status == "voided"
    assert sale.document["void"]["reason"] == "shopper changed mind"
    assert session.checkout.cart.is_empty
    session.staff_sign_out()
    assert shown(window) == "attract"


def test_attended_payment_only_while_a_payment_is_open_and_with_the_amount(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.kiosk.localiser.set_language("en")
    kit.scan_product(demo.fixed[0])
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert not screen.buttons["attended_payment"].isEnabled()
    assert screen.why["attended_payment"].text() == "No payment is open yet."
    session.staff_sign_out()
    kit.payments.online = False
    session.pay()
    qtbot.waitUntil(lambda: session.assistance)
    kit.scan(DEMO_BADGE)
    assert "A payment needs staff to confirm it." in screen.assist_text.text()
    assert screen.buttons["attended_payment"].isEnabled()
    qtbot.mouseClick(screen.buttons["attended_payment"], Qt.MouseButton.LeftButton)
    assert session.sale is None  # not before staff confirm
    assert kit.kiosk.localiser.money(demo.fixed[0].price) in screen.confirm.question.text()
    qtbot.mouseClick(screen.confirm.yes, Qt.MouseButton.LeftButton)
    assert session.sale is not None
    [tender] = session.sale.tenders
    assert (tender.method, tender.attended_by) == (ATTENDED_METHOD, DEMO_STAFF.staff_id)
    assert "attended_payment_confirmed" in kinds(kit)
    assert not session.assistance
    session.staff_sign_out()
    assert shown(window) == "done"


def test_exit_code_check_in_staff_mode(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session = kit.kiosk.session
    kit.scan_product(demo.fixed[0])
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    code = session.exit_code
    assert code is not None
    session.next_shopper()
    kit.scan(DEMO_BADGE)
    kit.scan(code)
    assert notice(kit) in ("exit_valid", "exit_valid_audit")
    kit.scan(code)
    assert notice(kit) == "exit_already_used"
    kit.scan(code[:-6] + "AAAAAA")
    assert notice(kit) in (Reason.EXIT_FORGED, Reason.EXIT_CODE_INVALID)
    assert kinds(kit).count("exit_code_checked") == 3


def test_reprint_pause_and_exit(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session, window = kit.kiosk.session, kit.kiosk.window
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    qtbot.mouseClick(screen.buttons["reprint"], Qt.MouseButton.LeftButton)
    assert notice(kit) == "nothing_to_reprint"
    qtbot.mouseClick(screen.buttons["lock"], Qt.MouseButton.LeftButton)
    session.staff_sign_out()
    assert shown(window) == "locked"
    kit.scan_product(demo.fixed[0])
    assert notice(kit) == "kiosk_locked"
    assert session.checkout.cart.is_empty
    kit.scan(DEMO_BADGE)
    qtbot.mouseClick(screen.buttons["lock"], Qt.MouseButton.LeftButton)
    assert not screen.buttons["exit_kiosk"].isEnabled()  # a manager's action
    session.staff_sign_out()
    session.core.auth.enrol(Staff("3003", "Wang Fang", Role.MANAGER), "8642", "STAFF-3003")
    kit.scan("STAFF-3003")
    qtbot.mouseClick(screen.buttons["exit_kiosk"], Qt.MouseButton.LeftButton)
    assert screen.confirm.isVisible()  # asks first
    assert "kiosk_mode_exited" not in kinds(kit)
    with qtbot.waitSignal(session.exit_requested):
        qtbot.mouseClick(screen.confirm.yes, Qt.MouseButton.LeftButton)
    assert {"kiosk_locked", "kiosk_unlocked", "kiosk_mode_exited"} <= set(kinds(kit))


def test_an_associate_sees_which_actions_need_a_supervisor(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    session = kit.kiosk.session
    kit.kiosk.localiser.set_language("en")
    auth = session.core.auth
    auth.enrol(Staff("2002", "Kim Min", Role.ASSOCIATE), "1357", "STAFF-2002")
    kit.scan_product(demo.fixed[0])
    kit.scan("STAFF-2002")
    screen = staff_screen(kit)
    qtbot.mouseClick(screen.reason_buttons.button(2), Qt.MouseButton.LeftButton)
    assert not screen.buttons["void_sale"].isEnabled()
    assert screen.why["void_sale"].isVisibleTo(screen)
    assert screen.why["void_sale"].text() == "Needs a supervisor."
    assert screen.why["lock"].text() == "Needs a supervisor."
    assert screen.why["exit_kiosk"].text() == "Needs a manager."
    assert screen.buttons["void_line"].isEnabled()
    assert not screen.why["void_line"].isVisibleTo(screen)
    session.at_desk(lambda desk: desk.void_sale("test"))
    assert notice(kit) == "permission_denied"
    assert not session.checkout.cart.is_empty


def test_assistance_and_health_on_the_staff_screen(kit: Kit, qtbot: QtBot) -> None:
    window = kit.kiosk.window
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    assert notice(kit) == "assistance_called"
    assert kit.kiosk.session.own_call()
    kit.kiosk.health.on_stats(ScannerStats("live", 29.7, 29.5, 8.2, 14.9, 900, 880, 20, 0, 0, 4))
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert screen.assist_banner.isVisible()
    kit.kiosk.localiser.set_language("en")
    model = kit.kiosk.health.model

    def labels() -> dict[str, str]:
        return {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}

    labels_now = labels
    qtbot.waitUntil(lambda: "Camera frame rate" in labels())
    labels = labels()  # type: ignore[assignment]
    assert labels["Camera frame rate"] == "29.7 fps"
    assert labels["Decode time (median / 95th)"] == "8.2 / 14.9 ms"
    assert labels["Dropped frames"] == "20"
    # The shopper's call queued an `alert` row for the attendant console: it is backlog.
    assert labels["Waiting to sync"] == str(kit.kiosk.store.outbox.depth(ROUTES))
    assert kit.kiosk.store.outbox.depth() == kit.kiosk.store.outbox.depth(ROUTES)
    assert labels["Central service"] == "not enrolled (stand-alone)"
    assert labels["Last sync"] == "never"
    assert labels["Receipt printer"] == "not used yet"
    # What a sync round leaves behind, shown in the staff member's words and local time.
    # Today in the store (Asia/Shanghai; the kiosk's clock says 17:30 there): the time alone.
    kit.kiosk.store.settings.set(LAST_SYNC_KEY, "2026-11-23T07:31:20.123456+00:00")
    kit.kiosk.health.refresh()
    assert labels_now()["Last sync"] == "3:31\u202fPM"  # a clock's time: no seconds
    kit.kiosk.store.settings.set(LAST_SYNC_KEY, "2026-11-22T07:31:20+00:00")  # yesterday
    kit.kiosk.health.refresh()
    assert labels_now()["Last sync"] == "11/22/26, 3:31\u202fPM"
    assert "Updates refused" not in labels_now()
    # A newer service sent two offers this version cannot read; a barcode rule refused is
    # no reason to update the kiosk (the chain's rule may be wrong), so it does not count.
    entry = {"reason": "unknown kind", "data": {}}
    kit.kiosk.store.settings.set(REFUSED_ITEMS_KEY, {"promotions": {"a": entry, "b": entry}})
    kit.kiosk.store.settings.set(REJECTED_RULES_KEY, {"scale-22": "13 digits"})
    kit.kiosk.localiser.set_language("zh_CN")
    kit.kiosk.health.refresh()
    assert labels_now()["更新受阻"] == "⚠ 2 项：请更新本机"


def test_the_shopper_takes_back_their_call_with_the_same_button(kit: Kit, qtbot: QtBot) -> None:
    window, session = kit.kiosk.window, kit.kiosk.session
    kit.kiosk.localiser.set_language("en")
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    assert window.help_button.text() == "☎ Help is coming ⋅ Cancel"
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    assert notice(kit) == "assistance_withdrawn"
    assert not session.assistance
    assert window.help_button.text() == "☎ Call for help"


def test_a_printer_fault_shows_in_the_health_table(kit: Kit, demo: DemoStore, qtbot: QtBot) -> None:
    session = kit.kiosk.session
    printer = session.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    kit.scan_product(demo.fixed[0])
    session.pay()
    qtbot.waitUntil(lambda: session.payment is not None)
    assert session.payment is not None
    with qtbot.waitSignal(session.sale_finished):
        kit.payments.simulate_paid(session.payment.payment_id)
    printer.working = False
    session.print_receipt()
    kit.scan(DEMO_BADGE)
    kit.kiosk.localiser.set_language("en")
    model = kit.kiosk.health.model
    rows = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert rows["Receipt printer"] == "⚠ out of paper"
    assert "The receipt printer is out of paper." in staff_screen(kit).assist_text.text()
    printer.working = True
    session.at_desk(StaffDesk.reprint)
    kit.kiosk.health.refresh()  # what the screen's refresh timer does
    rows = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert rows["Receipt printer"] == "ok"


def test_every_alert_reason_is_said_in_three_languages(kit: Kit) -> None:
    localiser = kit.kiosk.localiser
    at = datetime(2026, 12, 4, tzinfo=UTC)
    for reason in AlertReason:
        alert = Alert("a", "K01", reason, at)
        texts = set()
        for language in ("en", "zh_CN", "ko"):
            localiser.set_language(language)
            texts.add(alert_text(alert, localiser, {}))
        assert len(texts) == 3, reason


def test_staff_alerts_name_the_item_in_the_staff_members_language(
    kit: Kit, demo: DemoStore
) -> None:
    """Not only "an item needs an age check": which one, so staff go straight to it; the
    unknown item by the code the shopper scanned, the others by name."""
    assert demo.recalled is not None
    session = kit.kiosk.session
    kit.scan_product(demo.adult)
    kit.scan(UNKNOWN_CODE)
    kit.scan_product(demo.recalled)
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    for language in ("en", "ko", "zh_CN"):
        session.set_language(language)
        banner = screen.assist_text.text() + "\n" + screen.assist_more.text()
        assert demo.adult.name(language) in banner, banner
        assert demo.recalled.name(language) in banner, banner
        assert UNKNOWN_CODE in banner, banner
    # Chinese (shown last) runs its sentences on with no space after a full stop.
    assert "。第 1 行。" in screen.assist_text.text() + screen.assist_more.text()


def test_staff_actions_are_whole_and_apart_in_large_text(kit: Kit, demo: DemoStore) -> None:
    kit.scan_product(demo.adult)  # an alert banner too: the tallest staff screen
    kit.scan(DEMO_BADGE)
    window = kit.kiosk.window
    for language in ("en", "zh_CN", "ko"):
        kit.kiosk.localiser.set_language(language)
        window.set_accessibility(high_contrast=False, large_text=True)
        QApplication.processEvents()
        screen = staff_screen(kit)
        for name, b in screen.buttons.items():
            hint = b.minimumSizeHint()
            assert b.width() >= hint.width(), (language, name)
            assert b.height() >= hint.height(), (language, name)
        sign_out = screen.buttons["sign_out"]
        assert sign_out.mapTo(window, sign_out.rect().bottomLeft()).y() <= window.height()
        # The actions and their reasons are taller than the column at large text: they
        # scroll, and none lies over another (they did, squeezed into the column).
        column = [w for w in [*screen.buttons.values(), *screen.why.values()]
                  if w is not sign_out and w.isVisibleTo(screen)]  # fmt: skip
        for i, one in enumerate(column):
            for other in column[i + 1 :]:
                assert not one.geometry().intersects(other.geometry()), (
                    language, one.objectName(), other.objectName())  # fmt: skip


def test_the_shopper_sees_who_is_coming_once_the_console_took_the_call(
    kit: Kit, qtbot: QtBot
) -> None:
    window, session = kit.kiosk.window, kit.kiosk.session
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    [called] = session.alerts
    # Emitted as the attendant link does, from its own thread's point of view: queued.
    session.remote_command.emit(RemoteCommand(1, "acknowledge", "E100", "Li Na", called.alert_id))
    expected_texts = {
        "en": "☎ Li Na is on the way ⋅ Cancel",
        "zh_CN": "☎ Li Na 正在赶来 · 取消",
        "ko": "☎ Li Na 님이 오는 중 · 취소",  # coming to the shopper, not going
    }
    for lang, expected in expected_texts.items():
        kit.kiosk.localiser.set_language(lang)
        qtbot.waitUntil(lambda expected=expected: window.help_button.text() == expected)
    # Staff signed in at the kiosk are here, not on their way.
    kit.kiosk.localiser.set_language("en")
    kit.scan(DEMO_BADGE, Symbology.CODE128)
    assert "on the way" not in window.help_button.text()


def test_the_alert_banner_spans_two_columns_and_steps_aside_for_a_tool(
    kit: Kit, demo: DemoStore, qtbot: QtBot
) -> None:
    """Across the screen, oldest first down the left column; while a tool's page needs
    the middle column's height (the key-in keypad) the banner waits."""
    session = kit.kiosk.session
    kit.kiosk.localiser.set_language("en")
    kit.scan_product(demo.adult)
    session.call_assistance()
    kit.scan(DEMO_BADGE)
    screen = staff_screen(kit)
    assert screen.assist_text.text() == f"☎ Age check: {demo.adult.name('en')}. Line 1."
    assert screen.assist_more.text() == "☎ The shopper asked for help."
    assert screen.assist_banner.width() > screen.cart.width() * 2  # not in the cart's column
    qtbot.mouseClick(screen.buttons["key_item"], Qt.MouseButton.LeftButton)
    assert screen.action_pages.currentWidget() is screen.key_in
    assert not screen.assist_banner.isVisible()
    qtbot.mouseClick(screen.key_in.no, Qt.MouseButton.LeftButton)
    assert screen.assist_banner.isVisible()
