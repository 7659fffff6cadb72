"""The shopper's session flow without Qt: intents in, events out, on the real core (the
demo store's SQLite data, the demo wallet), driven by `session_driver.Driver`."""

from __future__ import annotations

import pytest

from demo.store import DEMO_BADGE, DEMO_PIN, DEMO_STAFF, DemoStore
from kiosk.domain.alerts import AlertReason
from kiosk.domain.codes import display_gtin
from kiosk.domain.errors import Reason
from kiosk.domain.exit_code import ExitFlag, ExitPass, split
from kiosk.domain.scan import Symbology
from kiosk.services.payment_port import PaymentOutcome, PaymentResult
from kiosk.services.session import (
    IDLE_VOID_REASON,
    AlertsShown,
    CartShown,
    Event,
    ExitAsked,
    LanguageReset,
    Level,
    Notice,
    PaymentShown,
    PaymentStage,
    Played,
    Prompt,
    Said,
    SaleShown,
    Screen,
    Sound,
    Spoken,
    StaffShown,
    StillThereAsked,
    StillThereDismissed,
    Timer,
    TimerSet,
    Unsaid,
)
from kiosk.services.shopper import ShopperSession
from tests.integration.kiosk.session_driver import Driver, reasons, said, screens


def test_a_first_scan_starts_the_sale_and_arms_the_idle_timer(
    drive: Driver, demo: DemoStore
) -> None:
    events = drive.scan(display_gtin(demo.fixed[0].gtin))
    assert screens(events) == [Screen.SCANNING]
    assert Played(Sound.SCAN) in events
    [cart] = [e for e in events if isinstance(e, CartShown)]
    assert cart.state.priced.total == demo.fixed[0].price
    assert drive.timers == {Timer.IDLE: 60.0}


def test_a_refused_code_says_why_plays_the_error_and_keeps_the_cart(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.scan("6901234567890")  # a wrong check digit
    assert said(events) == [("check_digit", Level.ERROR)]
    assert Played(Sound.ERROR) in events
    assert len(drive.session.state.cart.lines) == 1


def notices(events: list[Event]) -> list[Notice]:
    return [e.notice for e in events if isinstance(e, Said)]


def test_an_unknown_item_is_named_by_its_code_and_held_until_the_next_good_scan(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.scan("6901234567892")  # a valid code the catalog does not hold
    [notice] = notices(events)
    assert (notice.reason, notice.args, notice.held) == (
        "unknown_product",
        ("6901234567892",),
        True,
    )
    assert Unsaid() not in drive.do(ShopperSession.touch)  # reading it is no reason to drop it
    events = drive.scan(display_gtin(demo.fixed[1].gtin))
    assert Unsaid() in events
    assert not notices(events)
    assert Unsaid() not in drive.scan(display_gtin(demo.fixed[1].gtin))  # said once


def test_a_recalled_item_is_named_in_the_shoppers_language(drive: Driver, demo: DemoStore) -> None:
    assert demo.recalled is not None
    drive.do(lambda s: s.set_language("ko"))
    [notice] = notices(drive.scan(display_gtin(demo.recalled.gtin)))
    assert (notice.reason, notice.args, notice.held) == (
        "recalled",
        (demo.recalled.name("ko"),),
        True,
    )
    events = drive.do(lambda s: s.set_language("en"))  # the banner is still up: in English
    assert [n.args for n in notices(events)] == [(demo.recalled.name("en"),)]
    assert Played(Sound.ERROR) not in events


def test_other_notices_are_not_held_and_a_new_screen_drops_a_held_one(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    [notice] = notices(drive.scan("6901234567890"))  # a wrong check digit: nothing to name
    assert (notice.args, notice.held) == ((), False)
    drive.scan("6901234567892")
    drive.do(ShopperSession.open_picker)  # the screen's notices go with it
    drive.do(ShopperSession.close_picker)
    assert Unsaid() not in drive.scan(display_gtin(demo.fixed[1].gtin))


def test_the_main_steps_are_spoken(drive: Driver, demo: DemoStore) -> None:
    """Spoken always comes: whether it is heard is the shopper's switch, in the UI."""

    def spoken(events: list[Event]) -> list[Prompt]:
        return [e.prompt for e in events if isinstance(e, Spoken)]

    assert spoken(drive.do(ShopperSession.start)) == [Prompt.WELCOME]
    assert spoken(drive.scan(display_gtin(demo.fixed[0].gtin))) == [Prompt.ITEM_ADDED]
    assert spoken(drive.scan("6901234567892")) == []  # refused: the error sound and banner
    assert spoken(drive.do(ShopperSession.call_assistance)) == [Prompt.HELP]
    assert spoken(drive.do(ShopperSession.call_assistance)) == []  # once a call
    drive.do(ShopperSession.withdraw_call)
    assert spoken(drive.do(ShopperSession.pay)) == [Prompt.PAY]
    assert spoken(drive.paid()) == [Prompt.DONE]


def test_pay_then_paid_shows_the_done_screen_with_an_exit_code(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.pay)
    assert screens(events) == [Screen.PAYMENT]
    shown = [e.view for e in events if isinstance(e, PaymentShown)]
    assert shown[0] is None  # preparing, then the QR
    assert shown[-1] is not None
    assert shown[-1].amount == demo.fixed[0].price
    assert Timer.IDLE not in drive.timers  # nobody walks away from an open payment unseen

    events = drive.paid()
    [sale] = [e for e in events if isinstance(e, SaleShown)]
    assert sale.sale.priced.total == demo.fixed[0].price
    assert sale.exit_code == drive.session.exit_code
    assert screens(events) == [Screen.DONE]
    assert Timer.DONE in drive.timers

    events = drive.fire(Timer.DONE)
    assert screens(events) == [Screen.ATTRACT]
    assert LanguageReset() in events
    assert drive.session.state.cart.is_empty


def test_the_cart_is_frozen_while_the_payment_is_open(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    events = drive.scan(display_gtin(demo.fixed[1].gtin))
    assert said(events) == [("cart_frozen", Level.WARNING)]
    assert len(drive.core.checkout.cart.lines) == 1


def test_an_unanswered_still_there_voids_the_cart_as_the_kiosk(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.fire(Timer.IDLE)
    assert StillThereAsked(20) in events
    assert Timer.STILL_THERE in drive.timers

    events = drive.fire(Timer.STILL_THERE)
    assert StillThereDismissed() in events
    assert screens(events) == [Screen.ATTRACT]
    [sale] = drive.core.store.sales.recent()
    assert sale.status == "voided"
    assert sale.document["void"]["reason"] == IDLE_VOID_REASON
    last = drive.core.store.journal.entries()[-1]
    assert (last.kind, last.actor) == ("sale_voided", "kiosk")


def test_a_touch_answers_still_there_and_a_late_timer_does_nothing(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.fire(Timer.IDLE)
    events = drive.do(ShopperSession.touch)
    assert StillThereDismissed() in events
    assert TimerSet(Timer.STILL_THERE, None) in events
    # A timeout already on its way when the touch stopped it changes nothing.
    assert drive.do(lambda s: s.timer_fired(Timer.STILL_THERE)) == []
    assert len(drive.core.checkout.cart.lines) == 1


def test_an_age_check_calls_staff_and_a_badge_approves_it(drive: Driver, demo: DemoStore) -> None:
    events = drive.scan(display_gtin(demo.adult.gtin))
    assert ("age_check_pending", Level.WARNING) in said(events)
    assert reasons(events) == [AlertReason.AGE_CHECK]
    assert said(drive.do(ShopperSession.pay)) == [("approval_needed", Level.ERROR)]
    assert drive.session.screen is Screen.SCANNING

    events = drive.scan(DEMO_BADGE, Symbology.CODE128)
    assert StaffShown(DEMO_STAFF) in events
    assert Timer.IDLE not in drive.timers  # staff at the kiosk: no idle timeout
    events = drive.do(lambda s: s.desk.approve_age())
    assert AlertsShown(()) in events
    assert not drive.session.state.cart.needs_approval


def test_staff_intents_do_nothing_without_signed_in_staff(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    assert drive.do(lambda s: s.desk.void_line(1, "test")) == []
    assert drive.do(lambda s: s.desk.lock(True)) == []
    assert len(drive.core.checkout.cart.lines) == 1


def test_a_wrong_pin_is_said_and_a_right_one_signs_in(drive: Driver) -> None:
    events = drive.do(lambda s: s.desk.pin(DEMO_STAFF.staff_id, "0000"))
    assert said(events)[0][1] is Level.ERROR
    assert drive.session.staff is None
    events = drive.do(lambda s: s.desk.pin(DEMO_STAFF.staff_id, DEMO_PIN))
    assert StaffShown(DEMO_STAFF) in events


def test_a_locked_kiosk_sells_nothing_until_unlocked(drive: Driver, demo: DemoStore) -> None:
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    events = drive.do(lambda s: s.desk.lock(True))
    assert screens(events) == [Screen.LOCKED]
    drive.do(lambda s: s.desk.sign_out())
    events = drive.scan(display_gtin(demo.fixed[0].gtin))
    assert said(events) == [("kiosk_locked", Level.ERROR)]
    assert drive.core.checkout.cart.is_empty

    drive.scan(DEMO_BADGE, Symbology.CODE128)
    events = drive.do(lambda s: s.desk.lock(False))
    assert screens(events) == [Screen.ATTRACT]


def test_staff_check_an_exit_code_and_products_are_not_sold_in_staff_mode(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    drive.paid()
    code = drive.session.exit_code
    assert code is not None
    drive.fire(Timer.DONE)

    drive.scan(DEMO_BADGE, Symbology.CODE128)
    # One sale in twenty is picked for a bag check, at random: the pass itself says which.
    audit = ExitPass.from_signed_bytes(split(code)[0]).flags & ExitFlag.AUDIT
    expected = (
        (Reason.EXIT_VALID_AUDIT, Level.WARNING) if audit else (Reason.EXIT_VALID, Level.SUCCESS)
    )
    assert said(drive.scan(code, Symbology.QR)) == [expected]
    forged = code[:-2] + ("11" if code.endswith("00") else "00")  # never the code itself
    assert said(drive.scan(forged, Symbology.QR))[0][1] is Level.ERROR
    assert drive.scan(display_gtin(demo.fixed[1].gtin)) == []
    assert drive.core.checkout.cart.is_empty
    kinds = [e.kind for e in drive.core.store.journal.entries()]
    assert kinds.count("exit_code_checked") == 2


def test_a_staff_void_of_the_sale_waits_for_the_open_payment_to_be_withdrawn(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    payment = drive.session.payment
    assert payment is not None
    drive.scan(DEMO_BADGE, Symbology.CODE128)
    events = drive.do(lambda s: s.desk.void_sale("shopper left"))
    # The wallet may still take the money: the QR is withdrawn, the void refused until
    # the provider answers.
    assert said(events) == [(Reason.PAYMENT_STILL_OPEN, Level.ERROR)]
    assert drive.session.payment == payment
    assert drive.core.checkout.cart.frozen
    withdrawn = PaymentResult(payment.payment_id, PaymentOutcome.CANCELLED)
    drive.do(lambda s: s.payment_result(withdrawn))
    events = drive.do(lambda s: s.desk.void_sale("shopper left"))
    assert screens(events) == [Screen.ATTRACT]
    assert drive.session.payment is None
    assert drive.core.checkout.cart.is_empty
    assert drive.core.store.journal.entries()[-1].kind == "sale_voided"


def test_leaving_kiosk_mode_needs_a_manager(drive: Driver) -> None:
    drive.scan(DEMO_BADGE, Symbology.CODE128)  # a supervisor, not a manager
    events = drive.do(lambda s: s.desk.exit_kiosk_mode())
    assert ExitAsked() not in events
    assert [level for _, level in said(events)] == [Level.ERROR]


def test_a_coupon_refusal_is_said_as_a_coupon_reason(drive: Driver) -> None:
    events = drive.scan("CPN:1.nonsense", Symbology.QR)
    [notice] = [e.notice for e in events if isinstance(e, Said)]
    assert notice.coupon
    assert notice.level is Level.ERROR


def test_every_intent_is_collected_once(drive: Driver, demo: DemoStore) -> None:
    """An intent that calls another (a scan on the done screen starts the next shopper)
    returns every event once, in order."""
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    drive.paid()
    events = drive.scan(display_gtin(demo.fixed[1].gtin))
    assert screens(events) == [Screen.ATTRACT, Screen.SCANNING]
    assert len([e for e in events if isinstance(e, CartShown)]) == 1


# ------------------------------------------------------------------ payment codes
WECHAT_PAID = "134567890123456700"  # the demo wallet's stories: last two digits


def stages(events: list[Event]) -> list[PaymentStage]:
    return [e.stage for e in events if isinstance(e, PaymentShown)]


def test_a_payment_code_on_the_cart_pays_it_at_once(drive: Driver, demo: DemoStore) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.scan(WECHAT_PAID, Symbology.CODE128)
    assert screens(events) == [Screen.PAYMENT, Screen.DONE]
    assert stages(events) == [PaymentStage.CHARGING]
    [shown] = [e for e in events if isinstance(e, PaymentShown)]
    assert shown.amount == demo.fixed[0].price  # the amount, while the code is charged
    [sale] = [e.sale for e in events if isinstance(e, SaleShown)]
    assert [(t.method, t.amount) for t in sale.tenders] == [("wechat_code", demo.fixed[0].price)]
    assert not [r for r, _ in said(events) if r in ("invalid_code", "unknown_product")]


def test_a_payment_code_with_nothing_to_pay_is_explained(drive: Driver) -> None:
    events = drive.scan(WECHAT_PAID, Symbology.CODE128)
    assert said(events) == [("payment_code_no_items", Level.INFO)]
    assert screens(events) == []
    assert drive.core.checkout.cart.is_empty


def test_store_default_code_asks_for_the_code_then_the_phone_confirms(
    drive: Driver, demo: DemoStore
) -> None:
    drive.core.payment_method = "code"
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.pay)
    assert stages(events) == [PaymentStage.SHOW_CODE]
    assert drive.session.payment is None  # no QR was made
    events = drive.scan("134567890123456701", Symbology.CODE128)  # confirms on the phone
    assert stages(events) == [PaymentStage.CHARGING, PaymentStage.CHARGING]
    assert said(events) == [("payment_code_confirm", Level.INFO)]
    assert drive.session.payment is not None
    assert drive.session.payment.wallet == "wechat"
    # A second scan while the first charge is open charges nothing.
    assert said(drive.scan("134567890123456800", Symbology.CODE128)) == [
        ("payment_code_busy", Level.INFO)
    ]
    events = drive.paid()
    assert screens(events) == [Screen.DONE]


@pytest.mark.parametrize(
    ("story", "reason"),
    [
        ("03", "payment_code_insufficient_funds"),
        ("04", "payment_code_expired"),
        ("05", "payment_code_invalid"),
    ],
)
def test_a_refused_code_says_what_to_do_and_a_fresh_code_pays(
    drive: Driver, demo: DemoStore, story: str, reason: str
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.scan("28763443825664" + "394" + story, Symbology.CODE128)
    assert said(events) == [(reason, Level.WARNING)]
    assert stages(events)[-1] is PaymentStage.SHOW_CODE
    assert drive.session.screen is Screen.PAYMENT
    assert drive.core.checkout.cart.frozen  # the amount on screen cannot change
    events = drive.scan("287634438256643900", Symbology.CODE128)
    [sale] = [e.sale for e in events if isinstance(e, SaleShown)]
    assert sale.tenders[0].method == "alipay_code"


def test_cancelled_on_the_phone_or_never_confirmed_keeps_the_cart_frozen(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.scan("134567890123456702", Symbology.CODE128)
    view = drive.session.payment
    assert view is not None
    for outcome, reason, expected in [
        (PaymentOutcome.FAILED, Reason.PAYMENT_CODE_USER_CANCELLED, "payment_code_user_cancelled"),
        (PaymentOutcome.EXPIRED, None, "payment_code_not_confirmed"),
    ]:
        result = PaymentResult(view.payment_id, outcome, reason=reason)
        drive.session.payment = view
        events = drive.do(lambda s, r=result: s.payment_result(r))  # type: ignore[misc]
        assert said(events) == [(expected, Level.WARNING)]
        assert drive.core.checkout.cart.frozen


def test_a_code_shown_over_an_open_qr_withdraws_the_qr_first(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    qr = drive.session.payment
    assert qr is not None
    assert qr.qr_payload
    cancelled: list[PaymentResult] = []
    drive.wallet.subscribe(cancelled.append)
    events = drive.scan(WECHAT_PAID, Symbology.CODE128)
    assert stages(events) == [PaymentStage.CHARGING]
    assert [r.outcome for r in cancelled] == [PaymentOutcome.CANCELLED]  # QR withdrawn
    events = drive.do(lambda s: s.payment_result(cancelled[0]))
    [sale] = [e.sale for e in events if isinstance(e, SaleShown)]
    assert sale.tenders[0].method == "wechat_code"


def test_a_qr_paid_just_before_its_withdrawal_wins_and_the_code_is_not_charged(
    drive: Driver, demo: DemoStore
) -> None:
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    qr = drive.session.payment
    assert qr is not None
    drive.wallet.online = False  # a charge now would fail loudly
    drive.scan(WECHAT_PAID, Symbology.CODE128)
    events = drive.do(
        lambda s: s.payment_result(PaymentResult(qr.payment_id, PaymentOutcome.PAID, "qr-1"))
    )
    [sale] = [e.sale for e in events if isinstance(e, SaleShown)]
    assert [t.method for t in sale.tenders] == [drive.wallet.method]
    assert drive.session.pending_code is None


def test_the_offline_static_qr_says_type_the_amount_and_has_no_countdown(
    drive: Driver, demo: DemoStore
) -> None:
    assert drive.core.static_qr  # the demo store has one
    drive.wallet.online = False
    drive.scan(display_gtin(demo.fixed[0].gtin))
    events = drive.do(ShopperSession.pay)
    assert stages(events) == [PaymentStage.PREPARING, PaymentStage.STATIC_QR]
    assert [e.amount for e in events if isinstance(e, PaymentShown)] == [demo.fixed[0].price] * 2
    assert said(events) == [("payment_offline", Level.WARNING)]


def test_a_shopper_who_walks_away_from_show_your_code_is_asked_then_voided(
    drive: Driver, demo: DemoStore
) -> None:
    drive.core.payment_method = "code"
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    assert Timer.IDLE in drive.timers  # no QR expiry here: the idle question instead
    assert any(isinstance(e, StillThereAsked) for e in drive.fire(Timer.IDLE))
    events = drive.fire(Timer.STILL_THERE)
    assert screens(events)[-1] is Screen.ATTRACT
    assert drive.core.checkout.cart.is_empty
    assert drive.core.store.journal.entries()[-1].kind == "sale_voided"


def test_charging_a_code_stops_the_idle_question(drive: Driver, demo: DemoStore) -> None:
    drive.core.payment_method = "code"
    drive.scan(display_gtin(demo.fixed[0].gtin))
    drive.do(ShopperSession.pay)
    drive.scan("134567890123456701", Symbology.CODE128)  # confirming on the phone
    assert Timer.IDLE not in drive.timers
