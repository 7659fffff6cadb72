"""`kiosk demo` on screen: a fresh demo store, then either the real window (when there is a
display) or the scripted journey driven offscreen, with a screenshot of every screen.

The scripted journey is the text demo's (`demo.text`), shown on the kiosk's screens: the
shopper scans (a repeated item, a scale label, an age-restricted item, bad codes), signs up
as a member, staff sign in with a badge to approve the age check and void a line, the
shopper pays with the demo wallet and leaves; later shoppers pay by payment code, meet
the payment service offline, shop as a member, have their cart suspended, and buy over the
store's exit-audit amount (¥500: staff check the bag before the exit code is given);
staff then refund an item and pause the kiosk.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import click
import numpy as np
import segno
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from central.embedded import EmbeddedCentral
from demo.groupbuy import ready_group_buy
from demo.store import (
    DEMO_BADGE,
    DEMO_MANAGER,
    DEMO_PIN,
    DEMO_STAFF,
    DemoStore,
    audit_exits,
    central_sales,
    demo_central,
    demo_console_account,
    pay_on_the_phone,
    seed_demo_store,
)
from demo.text import print_cart
from kiosk.domain.catalog import LANGUAGES, Product
from kiosk.domain.codes import display_gtin
from kiosk.domain.coupons import printed_code
from kiosk.domain.journal import verify_chain
from kiosk.domain.members import member_code_for
from kiosk.domain.money import Money
from kiosk.domain.policy import AuditPolicy
from kiosk.domain.sale import Sale
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.alerts import ALERT_KIND
from kiosk.services.payments import NoPaymentService
from kiosk.services.receipt_port import TextFileSalePrinter
from kiosk.services.session import Notice, Timer
from kiosk.services.setup import SCALE_PORT_KEY, database_path
from kiosk.services.staff_desk import StaffDesk
from kiosk.services.weighing import WeighStage
from kiosk.store.loyalty import CachedMember, WalletEntry
from kiosk.store.uow import KioskStore
from scanner.config import ScannerConfig
from simulators.barcodes import render_ean13
from simulators.payment_codes import SAMPLE_ALIPAY_CODE, SAMPLE_WECHAT_CODE
from simulators.scale import ScaleSimulator
from sync.operations import pending_known, sync_now
from ui.bootstrap import KioskApp, UiConfig, build_kiosk
from ui.reasons import reason_text
from ui.run import quit_on_signals
from ui.screens.picker import PickerScreen
from ui.screens.staff import StaffScreen
from ui.window import STAFF, STAFF_LOGIN

MAIN_SCREENS = ("attract", "scanning", "member", "payment", "done")


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def preview_of(code: str) -> QImage:
    """A still camera frame: the product's barcode label on a grey background."""
    label = render_ean13(code, module_px=3, bar_height_px=150)
    frame = np.full((480, 640), 96, np.uint8)
    h, w = label.shape
    top, left = (480 - h) // 2, (640 - w) // 2
    frame[top : top + h, left : left + w] = label
    return QImage(frame.data, 640, 480, 640, QImage.Format.Format_Grayscale8).copy()


class Screenshots:
    """Grabs the window as PNGs: `<screen>_<language>.png`."""

    def __init__(self, kiosk: KioskApp, folder: Path, languages: Iterable[str]) -> None:
        self._kiosk = kiosk
        self.folder = folder
        self._languages = tuple(languages)
        self.saved: list[Path] = []
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, name: str, *, all_languages: bool = False) -> None:
        kiosk = self._kiosk
        journey_language = kiosk.localiser.language
        languages = self._languages if all_languages and self._languages else (journey_language,)
        for language in languages:
            # As the shopper's language button does: the session's notices follow too.
            if language != kiosk.localiser.language:
                kiosk.session.set_language(language)
            settle()
            for _ in range(3):  # a scroll area lays its page out a turn after its own layout
                QCoreApplication.processEvents()
            path = self.folder / f"{name}_{language}.png"
            if not kiosk.window.grab().save(str(path)):
                raise OSError(f"cannot write {path}")
            self.saved.append(path)
        if kiosk.localiser.language != journey_language:
            kiosk.session.set_language(journey_language)
        settle()


def settle(until: Callable[[], bool] = lambda: True, timeout_s: float = 10.0) -> None:
    """Run the event loop until `until()` holds: background tasks, the payment watcher and
    the central service deliver through events, some of them after network round trips."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    while True:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        if until():
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the kiosk did not reach the expected state")
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def run_offscreen_journey(
    out: Path,
    lang: str,
    assets: Path,
    screens: Path | None,
    all_languages: bool = True,
    console: bool = False,
) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QApplication.instance() is None:
        QApplication([])
    demo = seed_demo_store(out, assets, bag=True)
    # The store checks the bag of every sale over ¥500 before giving the exit pass.
    audit_exits(out, AuditPolicy(over_minor=DEMO_AUDIT_OVER_MINOR))
    click.echo(f"demo store S001: {demo.imported} products imported into {out}")
    with demo_central(out, assets) as central:
        click.echo(
            f"central service (embedded, SQLite) at {central.url}: kiosk enrolled, catalog pulled"
        )
        # The kiosk's scale: the MT-SICS simulator on a pseudo-terminal.
        with ScaleSimulator() as scale:
            store = KioskStore.open(database_path(out))
            try:
                store.settings.set(SCALE_PORT_KEY, scale.port)
            finally:
                store.close()
            done = _offscreen_journey(
                out, lang, assets, screens, all_languages, demo, central, scale
            )
        if console:
            _serve_console(central)
        return done


def _serve_console(central: EmbeddedCentral) -> None:
    """Keep the demo's central service up, with the journey's sales, for the back-office
    console, until Ctrl-C."""
    password = demo_console_account(central)
    click.echo(
        f"\nback-office console: {central.url}/admin/ — sign in as {DEMO_MANAGER} with "
        f"password {password} (new each run); Ctrl-C stops it"
    )
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def _offscreen_journey(
    out: Path,
    lang: str,
    assets: Path,
    screens: Path | None,
    all_languages: bool,
    demo: DemoStore,
    central: EmbeddedCentral,
    scale: ScaleSimulator,
) -> int:
    kiosk = build_kiosk(
        UiConfig(
            home=out, assets=assets, sounds=False, sync=True, language=lang,
            frozen_time=True, core_thread=False,
        )
    )  # fmt: skip
    session, window = kiosk.session, kiosk.window
    shots = Screenshots(kiosk, screens or out / "screens", LANGUAGES if all_languages else ())
    window.show()
    kiosk.start()
    notices: list[Notice] = []
    session.notice.connect(notices.append)

    def scan(code: str, what: str) -> None:
        notices.clear()
        session.scan(ScanEvent(code, Symbology.UNKNOWN, ScanSource.CAMERA, 0.0))
        # A member QR's outcome comes after the lookup (off the core thread).
        settle(lambda: not session.looking_up_member)
        refusals = [n for n in notices if n.level.value == "error"]
        if refusals:
            reason = refusals[0].reason
            click.echo(f"  ! {code:<14} {what}: {reason} - {reason_text(reason)}")
        else:
            click.echo(f"  + {code:<14} {what}")

    shots.take("attract", all_languages=True)
    click.echo("\nshopper scans (the first scan starts the sale):")
    kiosk.camera.set_image(preview_of(display_gtin(demo.fixed[0].gtin)))
    script = demo.script(lang)
    for code, what in script:
        scan(code, what)
    if demo.recalled is not None:  # scanned last: its banner names it, no line is marked
        shots.take("scanning_recalled", all_languages=True)
    _picked_by_picture(kiosk, demo, scale, shots, lang)
    print_cart(kiosk.session.state, lang)
    shots.take("scanning", all_languages=True)
    window.set_accessibility(high_contrast=True, large_text=True)
    shots.take("scanning_high_contrast")
    window.set_accessibility(high_contrast=False, large_text=False)

    session.open_member()
    settle()
    member_screen = kiosk.window.screens["member"]
    for digit in "13812345678":
        member_screen.keypad.press(digit)  # type: ignore[attr-defined]
    shots.take("member", all_languages=True)
    window.set_accessibility(high_contrast=False, large_text=True)
    shots.take("member_large_text")
    window.set_accessibility(high_contrast=True, large_text=False)
    shots.take("member_high_contrast")
    window.set_accessibility(high_contrast=False, large_text=False)
    session.member_sign_up("13812345678", True)
    # The sign-up ends on the core thread: its welcome belongs to the shopper's screen, not
    # to the staff sign-in that follows.
    settle(lambda: session.member is not None)
    click.echo(
        f"\nshopper signs up as a member: {session.member.masked_phone if session.member else '-'}"
    )

    session.request_staff_login()
    settle()
    shots.take(STAFF_LOGIN)
    window.close_staff_login()
    _staff_visit(kiosk, shots, lang)
    print_cart(kiosk.session.state, lang)
    # Staff are done and no alert is open: the idle timer runs again.
    session.fire(Timer.IDLE)
    settle()
    shots.take("still_there")
    session.touch()

    click.echo('\nshopper taps Pay: "need a bag?", one, then the wallet QR appears')
    notices.clear()
    session.pay()
    settle()
    shots.take("bag_offer", all_languages=True)
    session.take_bags(1)
    settle(lambda: session.payment is not None, timeout_s=30)
    shots.take("payment", all_languages=True)
    assert session.payment is not None
    click.echo(
        f"the shopper's phone opens {session.payment.qr_payload.split('?')[0]} "
        f"and presses Pay: {pay_on_the_phone(session.payment.qr_payload)}"
    )
    settle(lambda: session.sale is not None, timeout_s=30)
    sale = session.sale
    assert isinstance(sale, Sale)
    click.echo(
        f"paid {sale.priced.total.format()} - sale #{sale.sequence} {sale.sale_id}, "
        f"{sale.priced.item_count} items"
    )
    for tax in sale.priced.taxes:
        click.echo(f"    {tax.tax_class:<9} {tax.rate_bp // 100:>3}%  tax {tax.tax.format()}")
    settle(lambda: session.e_receipt_url is not None, timeout_s=15)
    click.echo(f"e-receipt offered as a QR: {str(session.e_receipt_url).split('?')[0]}")
    shots.take("done", all_languages=True)
    first_exit_code = session.exit_code
    _exit_pass(kiosk, shots)
    _payment_code_shopper(kiosk, shots, scan)
    _offline_shopper(kiosk, shots, scan)
    _member_shopper(kiosk, demo, shots, scan)
    _suspended_shopper(kiosk, demo, shots, scan)
    _group_buy_shopper(kiosk, demo, shots, scan, central)
    _audited_shopper(kiosk, shots, scan)
    if first_exit_code is not None:
        _refund(kiosk, shots, first_exit_code)

    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    session.at_desk(lambda desk: desk.lock(True))
    session.staff_sign_out()
    settle()
    shots.take("locked")
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    session.at_desk(lambda desk: desk.lock(False))
    session.staff_sign_out()
    settle()
    click.echo("staff pause the kiosk, then reopen it")

    entries = kiosk.store.journal.entries()
    click.echo(f"\njournal: {verify_chain(entries)} entries, hash chain intact")
    kiosk.shutdown()
    store = KioskStore.open(database_path(out))
    try:
        sync_now(store)
        click.echo(f"synced: {pending_known(store)} records still waiting on the kiosk")
        alert_rows = len(store.outbox.pending(10_000, ALERT_KIND))
        click.echo(f"alert changes not yet on the attendant console: {alert_rows}")
    finally:
        store.close()
    report = central_sales(central)
    for total in report.totals:
        click.echo(
            f"central service holds {total.count} sale(s) of kiosk {total.kiosk_id}, "
            f"{Money(total.total_minor, 'CNY').format()}, refunds "
            f"{Money(total.refund_minor, 'CNY').format()}, net "
            f"{Money(total.net_minor, 'CNY').format()}"
        )
    click.echo(f"\nscreenshots ({len(shots.saved)}) in {shots.folder}:")
    for path in shots.saved:
        click.echo(f"  {path}")
    return 0


def _picked_by_picture(
    kiosk: KioskApp, demo: DemoStore, scale: ScaleSimulator, shots: Screenshots, lang: str
) -> None:
    """Goods without a barcode: the shopper taps "Look up item", finds the apples by their
    pinyin initials and weighs them on the kiosk's scale, then picks two baguettes by
    their picture."""
    session, window = kiosk.session, kiosk.window
    picker = window.screens["picker"]
    assert isinstance(picker, PickerScreen)
    lookup = window.screens["scanning"].lookup_button  # type: ignore[attr-defined]
    click.echo('\nshopper taps "Look up item" for goods without a barcode:')
    lookup.click()
    settle(lambda: window.current == "picker")
    shots.take("picker", all_languages=True)
    for key in "pg":
        picker.keyboard.keys[key].click()
    settle()
    shots.take("picker_pg", all_languages=True)
    window.set_accessibility(high_contrast=True, large_text=True)
    shots.take("picker_high_contrast")
    window.set_accessibility(high_contrast=False, large_text=False)
    apples = picker.tiles[0]
    click.echo(f"  ? {'pg':<14} {apples.product.name(session.localiser.language)}")
    apples.click()
    settle(lambda: window.current == "weighing")
    _weigh_loose_item(kiosk, apples.product, scale, shots, lang)
    lookup.click()
    settle(lambda: window.current == "picker")
    tab = next(t for t in picker.tabs.buttons() if t.property("category") == demo.picked.category)
    tab.click()
    settle()
    next(t for t in picker.tiles if t.product.gtin == demo.picked.gtin).click()
    picker.plus.click()
    shots.take("picker_quantity")
    picker.add.click()
    settle(lambda: window.current == "scanning")
    name = demo.picked.name(session.localiser.language)
    click.echo(f"  + {'(no barcode)':<14} {name} x 2, picked by its picture")


def _weigh_loose_item(
    kiosk: KioskApp, product: Product, scale: ScaleSimulator, shots: Screenshots, lang: str
) -> None:
    """The shopper weighs a loose item on the kiosk's scale: placed, settling, then the
    weight and price on screen before it is added."""
    session = kiosk.session
    settle(lambda: session.weighing is not None and session.weighing.grams == 0)
    scale.place(1257)
    settle(lambda: session.weighing is not None and session.weighing.stage is WeighStage.READY)
    shots.take("weighing", all_languages=True)
    view = session.weighing
    assert view is not None
    assert view.price is not None
    click.echo(
        f"  = {product.name(lang)} weighed on the kiosk's scale: "
        f"{view.grams} g, {view.price.format()}"
    )
    session.confirm_weight()
    settle()
    scale.remove()


def _exit_pass(kiosk: KioskApp, shots: Screenshots) -> None:
    """Done without a print asks first; a printer out of paper holds the exit code on
    screen (no countdown) until staff, who came for the printer, sign out."""
    session = kiosk.session
    session.finish()
    settle()
    shots.take("done_ask", all_languages=True)
    session.keep_pass()
    printer = session.core.printer
    assert isinstance(printer, TextFileSalePrinter)
    printer.working = False
    session.print_receipt()
    settle()
    shots.take("done_held", all_languages=True)
    printer.working = True
    click.echo("the printer ran out of paper: the exit code stays on screen; staff refill it")
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    session.staff_sign_out()
    settle()
    session.print_receipt()
    session.finish()
    settle()


def _staff_visit(kiosk: KioskApp, shots: Screenshots, lang: str) -> None:
    """Staff answer the kiosk's alerts: the staff screen with why they were called, a void
    reason chosen, the confirmation before voiding the whole sale (cancelled), and the
    screen in large text."""
    session, window = kiosk.session, kiosk.window
    staff_screen = window.screens[STAFF]
    assert isinstance(staff_screen, StaffScreen)
    reasons = ", ".join(alert.reason.value for alert in session.alerts)
    click.echo(f"the kiosk called staff: {reasons}")
    click.echo(f"staff {DEMO_STAFF.name} scans their badge, checks ID and approves the age check;")
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    settle()
    staff_screen.reason_buttons.button(0).click()
    row = staff_screen.model.row_of(3)
    if row is not None:
        staff_screen.cart.setCurrentIndex(staff_screen.model.index(row, 0))
    kiosk.health.refresh()
    shots.take(STAFF, all_languages=True)
    staff_screen.buttons["void_sale"].click()
    settle()
    shots.take("staff_confirm", all_languages=True)
    staff_screen.confirm.no.click()
    _staff_tools(staff_screen, shots)
    session.at_desk(StaffDesk.approve_age)
    click.echo("the shopper changed their mind about line 2: staff void it")
    session.at_desk(lambda desk: desk.void_line(2, "shopper changed mind"))
    window.set_accessibility(high_contrast=False, large_text=True)
    shots.take("staff_large_text")
    window.set_accessibility(high_contrast=False, large_text=False)
    session.staff_sign_out()
    settle()
    click.echo(f"staff sign out: {len(session.alerts)} alerts left open")


def _staff_tools(staff_screen: StaffScreen, shots: Screenshots) -> None:
    """The daily tools' pages, each shown and left without acting: a price change for the
    first line (a reason chosen, a price typed) and keying in an item found by name."""
    staff_screen.reason_buttons.button(2).click()  # damaged item
    row = staff_screen.model.row_of(1)
    if row is not None:
        staff_screen.cart.setCurrentIndex(staff_screen.model.index(row, 0))
    staff_screen.buttons["override_price"].click()
    settle()
    for digit in "1500":
        staff_screen.price.keypad.press(digit)
    shots.take("staff_price", all_languages=True)
    staff_screen.price.no.click()
    staff_screen.buttons["key_item"].click()
    staff_screen.key_in.name.setText("醋")
    staff_screen.key_in.find_button.click()
    settle()
    shots.take("staff_key_in", all_languages=True)
    staff_screen.key_in.no.click()
    staff_screen.reason_buttons.button(0).click()  # as the journey chose before
    settle()


def _refund(kiosk: KioskApp, shots: Screenshots, exit_code: str) -> None:
    """The first shopper comes back with one item: a supervisor scans the receipt's exit
    code on the refund page, picks one unit of a line, chooses a reason and refunds it to
    the sandbox wallet the sale was paid with."""
    session, window = kiosk.session, kiosk.window
    staff_screen = window.screens[STAFF]
    assert isinstance(staff_screen, StaffScreen)
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    settle()
    staff_screen.buttons["refund"].click()
    settle()
    session.scan(ScanEvent(exit_code, Symbology.QR, ScanSource.CAMERA, 0.0))
    settle()
    panel = staff_screen.refund
    sale, left = panel.shown.sale, panel.shown.left or {}
    if sale is None or not left:
        click.echo("the refund page found no sale to refund")
        panel.no.click()
        session.staff_sign_out()
        return
    line_no = max(left, key=lambda n: left[n])  # a line of several units, if there is one
    session.at_desk(lambda desk: desk.refund_pick(str(sale["sale_id"]), {line_no: 1}))
    settle()
    panel.reasons[0].click()
    settle()
    shots.take("staff_refund", all_languages=True)
    panel.yes.click()
    settle(lambda: panel.shown.done is not None, timeout_s=30)
    done = panel.shown.done
    if done is not None:
        amount = Money(done.plan.amount_minor, done.plan.currency).format()
        click.echo(f"\na supervisor refunds one item of the first sale: {amount}, {done.status}")
    shots.take("staff_refunded")
    panel.no.click()
    session.staff_sign_out()
    settle()


def _payment_code_shopper(
    kiosk: KioskApp, shots: Screenshots, scan: Callable[[str, str], None]
) -> None:
    """The usual way at a Chinese self-checkout: scan the goods, then hold the WeChat
    payment code to the camera; the total is paid at once (no tap), after the shopper
    confirms on the phone (the simulator's sample code asks for that)."""
    session = kiosk.session
    before = session.sale
    click.echo("\na shopper scans two items, then shows their WeChat payment code:")
    scan(_WATER, "water")
    scan(_RICE, "rice")
    scan(SAMPLE_WECHAT_CODE, "WeChat payment code (付款码)")
    settle(lambda: session.payment is not None and bool(session.payment.wallet), timeout_s=30)
    shots.take("payment_code", all_languages=True)
    click.echo("  the kiosk charges it and asks the shopper to confirm on the phone")
    settle(lambda: session.sale is not before, timeout_s=30)
    sale = session.sale
    assert isinstance(sale, Sale)
    tender = sale.tenders[0]
    click.echo(f"paid {sale.priced.total.format()} by {tender.method} ({tender.reference})")
    session.next_shopper()
    settle()


def _offline_shopper(kiosk: KioskApp, shots: Screenshots, scan: Callable[[str, str], None]) -> None:
    """The payment service cannot be reached (played by taking it away from the core): the
    store's static QR, "enter the amount in your wallet", what staff check, no countdown.
    The shopper goes back to the items and the cart is voided."""
    session = kiosk.session
    core = session.core
    online = core.payments
    click.echo("\nthe payment service cannot be reached: the store's static QR instead")
    core.payments = NoPaymentService()
    try:
        scan(_MILK, "milk")
        session.pay()
        session.take_bags(0)  # "need a bag?": no
        settle(lambda: session.payment is not None, timeout_s=30)
        shots.take("payment_offline", all_languages=True)
        session.cancel_payment()
        settle()
    finally:
        core.payments = online
    # The kiosk called staff to confirm the payment; they come, find nothing to confirm
    # and sign out (which clears the call), and the shopper has walked away.
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    session.staff_sign_out()
    settle()
    session.abandon()
    settle()


DEMO_MEMBER = "01936f0e-1c2b-7a3d-8e4f-5a6b7c8d9e0f"
_WATER, _MILK, _RICE = "6935412001014", "6954023001015", "6948906001018"
_FORMULA = "4029104001016"
DEMO_AUDIT_OVER_MINOR = 50_000
"""The demo store's exit audit: every sale over ¥500 (only the audited shopper's is)."""


def _audited_shopper(kiosk: KioskApp, shots: Screenshots, scan: Callable[[str, str], None]) -> None:
    """A sale over the store's audit amount: the done screen asks the shopper to wait for a
    bag check and holds the exit pass; the shopper also calls for help, so the staff
    screen's banner has two alerts (shown at large text); staff sign out after the check
    and the pass appears."""
    session, window = kiosk.session, kiosk.window
    click.echo("\na shopper buys two tins of infant formula (over ¥500: a bag check)")
    scan(_FORMULA, "infant formula")
    scan(_FORMULA, "infant formula")
    total = session.state.priced.total
    last_sale = session.sale
    session.pay()
    settle()
    session.take_bags(0)  # "need a bag?": no (nothing happens if it was not asked)
    settle(lambda: session.payment is not None and session.payment.amount == total, 30)
    assert session.payment is not None
    pay_on_the_phone(session.payment.qr_payload)
    settle(lambda: session.sale is not None and session.sale is not last_sale, timeout_s=30)
    assert session.handoff.audit, "the sale over the audit amount was not picked"
    shots.take("done_audit", all_languages=True)
    session.call_assistance()
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    settle()
    reasons = ", ".join(alert.reason.value for alert in session.alerts)
    click.echo(f"the kiosk called staff: {reasons}; the exit pass waits")
    window.set_accessibility(high_contrast=False, large_text=True)
    shots.take("staff_alerts_large_text")
    window.set_accessibility(high_contrast=False, large_text=False)
    session.staff_sign_out()
    settle()
    click.echo("staff checked the bag and signed out: the exit code is on the screen")
    shots.take("done_audit_cleared")
    session.print_receipt()
    session.finish()
    settle()


def _member_shopper(
    kiosk: KioskApp, demo: DemoStore, shots: Screenshots, scan: Callable[[str, str], None]
) -> None:
    """A royal member (as an earlier central lookup left them in the kiosk's cache, with a
    welcome coupon in the wallet) buys promoted goods and scans a printed coupon: the
    offers under the camera, the next-best hint and the member screen, then walks away."""
    session = kiosk.session
    members, cache = session.core.members, session.core.store.loyalty
    now = datetime.now(UTC).isoformat()
    data = {"masked_phone": "138****5678", "points": 1200}
    code = member_code_for(DEMO_MEMBER)
    cache.put_member(CachedMember(DEMO_MEMBER, code, None, "royal", "central", data, now))
    welcome = printed_code(members.keys.coupon, "welcome-10", "W00000001")
    cache.replace_wallet(
        DEMO_MEMBER, [WalletEntry(welcome, DEMO_MEMBER, "welcome-10", "available", {})]
    )
    click.echo("\na royal member scans their member QR, promoted goods and a printed coupon:")
    by_gtin = {p.gtin.lstrip("0"): p for p in demo.products}
    scan(members.card_qr(DEMO_MEMBER, ttl_s=300), "member QR from the app")
    for gtin in (_WATER, _WATER, _MILK, _MILK, _RICE):
        scan(gtin, by_gtin[gtin].name("en"))
    scan(printed_code(members.keys.coupon, "snacks-3-off", "P00000001"), "printed coupon")
    print_cart(session.state, "en")
    shots.take("scanning_offers", all_languages=True)
    kiosk.window.set_accessibility(high_contrast=False, large_text=True)
    shots.take("scanning_offers_large_text")
    kiosk.window.set_accessibility(high_contrast=False, large_text=False)
    session.open_member()
    settle()
    shots.take("member_wallet", all_languages=True)
    session.back_to_cart()
    session.abandon()  # the shopper walks away: the unpaid cart is voided
    settle()
    # Later she has her data erased at HQ. The kiosk's next pull of the erasures feed
    # forgets her (`forget_members` is what `sync.pullers` applies), and her card, still
    # signed and on her phone, is refused.
    cache.forget_members([DEMO_MEMBER])
    click.echo("her data erased at HQ (applied as the kiosk's pull of it would); her QR again:")
    scan(members.card_qr(DEMO_MEMBER, ttl_s=300), "member QR of an erased member")
    shots.take("member_closed", all_languages=True)
    session.abandon()
    settle()


def _suspended_shopper(
    kiosk: KioskApp, demo: DemoStore, shots: Screenshots, scan: Callable[[str, str], None]
) -> None:
    """A shopper finds their wallet is in the car: staff suspend the cart (its transfer
    code on screen and on a slip) and the kiosk is free for the next shopper; the code
    resumes the cart at any kiosk of the store (tests/integration/kiosk/test_transfers.py)."""
    session, window = kiosk.session, kiosk.window
    staff_screen = window.screens[STAFF]
    assert isinstance(staff_screen, StaffScreen)
    click.echo("\na shopper has forgotten their wallet: staff suspend the cart")
    for product in demo.fixed[:3]:
        scan(display_gtin(product.gtin), product.name("en"))
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    settle()
    staff_screen.reason_buttons.button(0).click()
    staff_screen.buttons["suspend"].click()
    settle()
    staff_screen.confirm.yes.click()
    settle()
    code = staff_screen.transfer.qr.payload
    click.echo(f"transfer code ({len(code)} characters): {code[:40]}…")
    shots.take("staff_transfer", all_languages=True)
    staff_screen.transfer.done.click()
    session.staff_sign_out()
    settle()


def _group_buy_shopper(
    kiosk: KioskApp,
    demo: DemoStore,
    shots: Screenshots,
    scan: Callable[[str, str], None],
    central: EmbeddedCentral,
) -> None:
    """A neighbour's group-buy order, ready at the store (`demo.groupbuy`): the kiosk pulls
    it, the buyer scans the pickup code from their phone, collects the order and buys two
    more items; one exit pass covers both. The same code again is refused and calls staff."""
    session, window = kiosk.session, kiosk.window
    click.echo("\na group-buy: the leader's campaign, three neighbours order and pay")
    orders = ready_group_buy(central)
    for order in orders:
        refund = Money(order.paid_minor - order.final_minor, "CNY")
        click.echo(
            f"  {order.buyer} paid {Money(order.paid_minor, 'CNY').format()}, "
            f"{refund.format()} back at the cut-off (3 buyers reached the tier)"
        )
    sync_now(kiosk.store)  # the kiosk's next round: the store's key and ready orders
    mine = orders[0]
    click.echo(f"{mine.buyer} scans the pickup code on their phone: {mine.pickup_code[:24]}…")
    session.scan(ScanEvent(mine.pickup_code, Symbology.QR, ScanSource.CAMERA, 0.0))
    settle()
    shots.take("pickup", all_languages=True)
    window.set_accessibility(high_contrast=False, large_text=True)
    shots.take("pickup_large_text")
    window.set_accessibility(high_contrast=False, large_text=False)
    session.collect_order()
    settle()
    shots.take("pickup_collected", all_languages=True)
    session.leave_pickup()
    settle()
    click.echo("collected; the shopper goes on with two more items")
    for product in demo.fixed[:2]:
        scan(display_gtin(product.gtin), product.name("en"))
    session.pay()
    settle()
    session.take_bags(0)
    settle(lambda: session.payment is not None, timeout_s=30)
    assert session.payment is not None
    before = session.sale  # the last shopper's, until this one is paid
    pay_on_the_phone(session.payment.qr_payload)
    settle(lambda: session.sale not in (None, before), timeout_s=30)
    sale = session.sale
    assert isinstance(sale, Sale)
    click.echo(
        f"paid {sale.priced.total.format()} for {sale.priced.item_count} items; "
        "the exit pass counts the collected order too"
    )
    shots.take("done_pickup", all_languages=True)
    session.next_shopper()
    settle()
    session.scan(ScanEvent(mine.pickup_code, Symbology.QR, ScanSource.CAMERA, 0.0))
    settle()
    shots.take("pickup_problem", all_languages=True)
    click.echo("the same code again: collected already, staff are called")
    # Staff come: signing in settles the call (its cause is gone), and back to the start.
    session.scan(ScanEvent(DEMO_BADGE, Symbology.CODE128, ScanSource.CAMERA, 0.0))
    session.staff_sign_out()
    session.leave_pickup()
    settle()
    # A neighbour only collects: the done screen with the pickup's own exit pass.
    session.scan(ScanEvent(orders[1].pickup_code, Symbology.QR, ScanSource.CAMERA, 0.0))
    session.collect_order()
    session.pickup_done()
    settle()
    shots.take("done_pickup_only")
    click.echo(f"{orders[1].buyer} only collects: the exit pass of the pickup, nothing paid")
    session.next_shopper()
    settle()


def run_window_demo(
    out: Path, lang: str, assets: Path, camera: str | None, fullscreen: bool
) -> int:
    """The real window on this display: the webcam if there is one, else the demo footage."""
    app = QApplication.instance() or QApplication([])
    demo = seed_demo_store(out, assets, bag=True)
    # The store checks the bag of every sale over ¥500 before giving the exit pass.
    audit_exits(out, AuditPolicy(over_minor=DEMO_AUDIT_OVER_MINOR))
    source = camera or (
        "0" if Path("/dev/video0").exists() else str(assets / "demo" / "scan" / "scan-demo.mp4")
    )
    click.echo(f"demo store: {demo.imported} products; camera source {source}")
    click.echo(f"staff badge {DEMO_BADGE}, or staff {DEMO_STAFF.staff_id} with PIN {DEMO_PIN}")
    with demo_central(out, assets) as central:
        click.echo(f"central service at {central.url}; the payment QR opens its sandbox pay page")
        click.echo(
            f"back-office console: {central.url}/admin/ — sign in as {DEMO_MANAGER} with "
            f"password {demo_console_account(central)} (new each run)"
        )
        click.echo(
            f"or pay with a sample payment code (type it on a wedge scanner or show it as "
            f"a Code 128): WeChat {SAMPLE_WECHAT_CODE}, Alipay {SAMPLE_ALIPAY_CODE}"
        )
        _ready_pickup_codes(central, out)
        return _window(app, out, lang, assets, source, fullscreen)


def _ready_pickup_codes(central: EmbeddedCentral, out: Path) -> None:
    """Group-buy orders ready at the store (`demo.groupbuy`), their pickup codes saved as
    QR pictures to show the camera (or a phone), and pulled by the kiosk before it opens."""
    orders = ready_group_buy(central)
    store = KioskStore.open(database_path(out))
    try:
        sync_now(store)
    finally:
        store.close()
    for n, order in enumerate(orders, 1):
        path = out / f"pickup-code-{n}.png"
        segno.make(order.pickup_code, error="m").save(str(path), scale=8)
        click.echo(f"group-buy order of {order.buyer} ready: show {path} to the camera")


def _window(
    app: QCoreApplication, out: Path, lang: str, assets: Path, source: str, fullscreen: bool
) -> int:
    kiosk = build_kiosk(
        UiConfig(
            home=out,
            assets=assets,
            scanner=ScannerConfig(source=source, loop=not source.isdigit()),
            kiosk_mode=fullscreen,
            language=lang,
        )
    )
    quit_on_signals(app)
    kiosk.window.show()
    kiosk.start()
    try:
        return app.exec()
    finally:
        kiosk.shutdown()
