"""Staff mode: sign in by badge or staff number + PIN, then act on the sale and the kiosk.

Every button calls a session method that goes through the core (`Checkout`, `StaffAuth`),
which checks the staff member's permissions and journals the action. Whether a button is
enabled, and why not, is `kiosk.services.staff_desk.why_not`'s answer, shown under it; the
actions that end a sale, take money or stop the kiosk ask first, with the amount.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import Reason
from kiosk.domain.money import Money
from kiosk.domain.pricing import shelf_unit_minor
from kiosk.domain.staff import Role, Staff
from kiosk.services.checkout import CartState
from kiosk.services.session import RefundShown
from kiosk.services.staff_desk import DeskAction, StaffDesk, why_not
from kiosk.services.transfers import SuspendedCart
from ui.alerts import alert_text
from ui.health import HealthMonitor
from ui.models import CartModel
from ui.reasons import reason_text
from ui.screens.base import Screen
from ui.screens.staff_tools import KeyInPanel, PricePanel, RefundPanel, TransferPanel
from ui.session import KioskSession
from ui.theme import Theme
from ui.widgets.cart_view import CartView, vertical_scroll
from ui.widgets.common import ConfirmPanel, Keypad, button, card, hbox, label, vbox

# Void reasons as journalled (stable English) and as shown (translated).
VOID_REASONS = ("shopper changed mind", "scanned twice", "damaged item", "price query")


def role_text(role: Role) -> str:
    texts = {
        Role.ASSOCIATE: QCoreApplication.translate("Staff", "associate"),
        Role.SUPERVISOR: QCoreApplication.translate("Staff", "supervisor"),
        Role.MANAGER: QCoreApplication.translate("Staff", "manager"),
    }
    return texts[role]


def why_not_text(reason: Reason) -> str:
    """Why an action is disabled, shown under its button (`staff_desk.why_not`'s codes)."""
    texts = {
        Reason.NEEDS_SUPERVISOR: QCoreApplication.translate("Staff", "Needs a supervisor."),
        Reason.NEEDS_MANAGER: QCoreApplication.translate("Staff", "Needs a manager."),
        Reason.EMPTY_CART: QCoreApplication.translate("Staff", "The cart is empty."),
        Reason.REASON_REQUIRED: QCoreApplication.translate("Staff", "Choose a reason first."),
        Reason.NOTHING_TO_APPROVE: QCoreApplication.translate(
            "Staff", "Nothing awaits an age check."
        ),
        Reason.NO_PAYMENT_OPEN: QCoreApplication.translate("Staff", "No payment is open yet."),
    }
    found = texts.get(reason)
    return found if found is not None else reason_text(reason)


def void_reason_text(reason: str) -> str:
    texts = {
        "shopper changed mind": QCoreApplication.translate("Staff", "Shopper changed mind"),
        "scanned twice": QCoreApplication.translate("Staff", "Scanned twice"),
        "damaged item": QCoreApplication.translate("Staff", "Damaged item"),
        "price query": QCoreApplication.translate("Staff", "Price query"),
    }
    return texts[reason]


class StaffLoginScreen(Screen):
    """Staff number, then PIN, on one keypad. A badge scanned at any time signs in too.

    Signals:
        cancelled(): the person left without signing in.
    """

    cancelled = Signal()

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self._session = session
        self._staff_id = ""
        self.title = label(role="title", wrap=True)
        self.badge_hint = label(role="subtitle", wrap=True)
        self.prompt = label(role="heading")
        self.entry = label(role="total")
        self.entry.setObjectName("entry")
        self.keypad = Keypad(max_length=12)
        self.keypad.changed.connect(self._typed)
        self.next_button = button("primary", "staff_next")
        self.next_button.clicked.connect(self._next)
        self.cancel_button = button(name="staff_cancel")
        self.cancel_button.clicked.connect(self.cancelled)
        pad = card()
        pad.setLayout(
            vbox(self.prompt, self.entry, self.keypad, self.next_button, spacing=14, margins=28)
        )
        left = QWidget()
        left.setLayout(vbox(1, self.title, self.badge_hint, 1, self.cancel_button, spacing=24))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(96, 24, 96, 24)
        layout.setSpacing(64)
        layout.addWidget(left, 1)
        layout.addWidget(pad, 1)
        self.retranslate()

    def reset(self) -> None:
        self._staff_id = ""
        self.keypad.clear()
        self.retranslate()

    def _typed(self, digits: str) -> None:
        self.entry.setText(("•" * len(digits) if self._staff_id else digits) or "—")
        self.next_button.setEnabled(bool(digits))

    def _next(self) -> None:
        if not self._staff_id:
            self._staff_id = self.keypad.digits
            self.keypad.clear()
            self.retranslate()
            return
        staff_id, pin = self._staff_id, self.keypad.digits
        self.reset()
        self._session.staff_pin(staff_id, pin)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff sign-in"))
        self.badge_hint.setText(self.tr("Scan your staff badge, or enter your number and PIN."))
        if self._staff_id:
            self.prompt.setText(self.tr("PIN for staff %1").replace("%1", self._staff_id))
            self.next_button.setText(self.tr("Sign in"))
        else:
            self.prompt.setText(self.tr("Staff number"))
            self.next_button.setText(self.tr("Next ▶"))
        self.cancel_button.setText(self.tr("◀ Cancel"))
        self.keypad.retranslate()
        self._typed(self.keypad.digits)


ConfirmTexts = Callable[[], tuple[str, str, str]]
_CART_SHARE, _TOOL_SHARE = 5, 3
"""The staff screen's widths: the cart's column, and the actions' and the health's."""


class StaffScreen(Screen):
    def __init__(
        self,
        session: KioskSession,
        theme: Theme,
        model: CartModel,
        health: HealthMonitor,
        refresh_ms: int = 2000,
    ) -> None:
        super().__init__()
        self._session = session
        self._health = health
        self.model = model
        self.title = label(role="heading", wrap=True)
        self.assist_banner = QFrame()
        self.assist_banner.setObjectName("AssistBanner")
        # Two columns across the screen: each alert on one line, half as many lines.
        self.assist_text = label(wrap=True)
        self.assist_more = label(wrap=True)
        self.assist_more.setObjectName("assist_more")
        banner_row = hbox(self.assist_text, self.assist_more, spacing=28, margins=14)
        banner_row.setStretch(0, 1)
        banner_row.setStretch(1, 1)
        for column in (self.assist_text, self.assist_more):
            column.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.assist_banner.setLayout(banner_row)
        self.cart = CartView(model, theme, adjustable=False)
        self.summary = label(role="heading")
        self.summary.setObjectName("cart_summary")
        self.reason_label = label(role="muted", wrap=True)
        self.reason_buttons = QButtonGroup(self)
        reasons = QWidget()
        reasons_row = QGridLayout(reasons)
        reasons_row.setContentsMargins(0, 0, 0, 0)
        for i, reason in enumerate(VOID_REASONS):
            b = button("reason", f"reason_{i}")
            b.setCheckable(True)
            b.setProperty("reason", reason)
            self.reason_buttons.addButton(b, i)
            reasons_row.addWidget(b, i // 2, i % 2)
        self._void_reasons = reasons
        # None is chosen for staff: a preselected reason is the one recorded when they
        # forget to pick, so voids wait until one is picked.
        self.reason_buttons.buttonToggled.connect(lambda *_: self._reason_toggled())
        self.buttons: dict[str, QPushButton] = {}
        self.why: dict[str, QLabel] = {}
        grid_holder = QWidget()
        grid = QVBoxLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        names = [
            ("void_line", "danger"),
            ("void_sale", "danger"),
            ("approve_age", ""),
            ("attended_payment", ""),
            ("override_price", ""),
            ("key_item", ""),
            ("suspend", ""),
            ("refund", ""),
            ("reprint", ""),
            ("lock", ""),
            ("exit_kiosk", "danger"),
        ]
        for name, role in names:
            b = button(role, name)
            b.setProperty("staff", True)  # compact: nine actions fit one column in large text
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons[name] = b
            why = label(role="why", wrap=True)
            why.setObjectName(f"why_{name}")
            why.hide()
            self.why[name] = why
            grid.addWidget(b)
            grid.addWidget(why)
        # Beside the title, not at the bottom of the column, where large text cut it off.
        sign_out = button("", "sign_out")
        sign_out.setProperty("staff", True)
        self.buttons["sign_out"] = sign_out
        self.confirm = ConfirmPanel()
        self._confirmed: tuple[ConfirmTexts, Callable[[], None]] | None = None
        self.confirm.confirmed.connect(self._run_confirmed)
        self.action_pages = QStackedWidget()
        # At large text the actions and their reasons are taller than the column: they
        # scroll instead of overlapping.
        self.actions_scroll = vertical_scroll(grid_holder, "StaffActions")
        self.action_pages.addWidget(self.actions_scroll)
        self.action_pages.addWidget(self.confirm)
        self.action_pages.currentChanged.connect(lambda _page: self._render_alerts())
        self.confirm.no.clicked.connect(self._close_confirm)
        self.price = PricePanel(session.localiser)
        self.price.chosen.connect(self._override)
        self.price.closed.connect(self._close_confirm)
        self.key_in = KeyInPanel(session.localiser)
        self.key_in.code_entered.connect(self._key_in)
        self.key_in.search.connect(
            lambda text: session.at_desk(lambda desk: desk.search(text, session.localiser.language))
        )
        self.key_in.closed.connect(self._close_confirm)
        session.products_found.connect(self.key_in.show_found)
        self.transfer = TransferPanel(session.localiser)
        self.transfer.closed.connect(lambda: session.at_desk(StaffDesk.transfer_done))
        session.transfer_shown.connect(self._transfer_shown)
        self.refund = RefundPanel(session.localiser)
        self.refund.pick.connect(
            lambda sale_id, wanted: session.at_desk(lambda d: d.refund_pick(sale_id, wanted))
        )
        self.refund.refund.connect(
            lambda sale_id, wanted, reason: session.at_desk(
                lambda d: d.refund(sale_id, wanted, reason)
            )
        )
        self.refund.closed.connect(lambda: session.at_desk(StaffDesk.refund_close))
        session.refund_changed.connect(self._refund_changed)
        for page in (self.price, self.key_in, self.transfer, self.refund):
            # A hidden page of a stack still widens it: these two, with a search field and
            # product names, would squeeze the health table beside them. They take the
            # column's width instead of setting it. Each scrolls what is taller than the
            # column itself (staff_tools), its buttons staying in sight.
            page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.action_pages.addWidget(page)
        self.buttons["override_price"].clicked.connect(self._open_price)
        self.buttons["key_item"].clicked.connect(self._open_key_in)
        self.buttons["suspend"].clicked.connect(self._ask_suspend)
        self.buttons["refund"].clicked.connect(lambda: session.at_desk(StaffDesk.refund_open))
        self.buttons["void_line"].clicked.connect(self._void_line)
        self.buttons["void_sale"].clicked.connect(self._ask_void_sale)
        self.buttons["approve_age"].clicked.connect(lambda: session.at_desk(StaffDesk.approve_age))
        self.buttons["attended_payment"].clicked.connect(self._ask_attended_payment)
        self.buttons["reprint"].clicked.connect(lambda: session.at_desk(StaffDesk.reprint))
        self.buttons["lock"].clicked.connect(
            lambda: session.at_desk(lambda desk: desk.lock(not session.locked))
        )
        self.buttons["exit_kiosk"].clicked.connect(self._ask_exit)
        self.buttons["sign_out"].clicked.connect(session.staff_sign_out)
        self.exit_hint = label(role="muted", wrap=True)
        self.health_title = label(role="heading")
        self.health_view = QTableView()
        self.health_view.setModel(health.model)
        self.health_view.verticalHeader().setVisible(False)
        header = self.health_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.health_view.setWordWrap(True)
        self.health_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.health_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.health_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A status too long for its cell wraps onto a second line: at a fixed row height
        # the view elided it ("⚠ not …" at large text, where the cause was the point).
        rows = self.health_view.verticalHeader()
        rows.setMinimumSectionSize(theme.px(46))
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(health.refresh)

        title_row = QWidget()
        title_layout = hbox(self.title, self.buttons["sign_out"], spacing=16)
        title_layout.setStretch(0, 1)
        title_row.setLayout(title_layout)
        left = QWidget()
        left.setLayout(
            vbox(
                title_row,
                self.cart,
                self.summary,
                self.reason_label,
                reasons,
                spacing=12,
            )
        )
        middle = QWidget()
        middle.setLayout(vbox(self.action_pages, 1, spacing=12))
        right = card()
        right.setLayout(vbox(self.health_title, self.health_view, self.exit_hint, margins=20))
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(left, _CART_SHARE)
        columns.addWidget(middle, _TOOL_SHARE)
        columns.addWidget(right, _TOOL_SHARE)
        self._columns = columns
        self.action_pages.currentChanged.connect(lambda _page: self._fit_columns())
        # Across the whole screen, not in the cart's column: there each alert wrapped to
        # two lines at large text, and two or more alerts pushed the cart out of sight.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.assist_banner)
        layout.addLayout(columns, 1)
        session.staff_changed.connect(self._staff_changed)
        session.alerts_changed.connect(lambda _alerts: self._render_alerts())
        session.cart_changed.connect(self._cart_changed)
        session.screen_changed.connect(lambda _s: self.retranslate())
        model.set_state(session.state)
        self._render_alerts()
        self.retranslate()

    def reason(self) -> str:
        checked = self.reason_buttons.checkedButton()
        return str(checked.property("reason")) if checked else ""

    def _reason_toggled(self) -> None:
        for b in self.reason_buttons.buttons():
            b.setText(("✓ " if b.isChecked() else "") + void_reason_text(str(b.property("reason"))))
        self._update_actions()

    def _clear_reason(self) -> None:
        """Each void is its own choice: the reason does not carry over to the next one."""
        self.reason_buttons.setExclusive(False)
        for b in self.reason_buttons.buttons():
            b.setChecked(False)
        self.reason_buttons.setExclusive(True)
        self._reason_toggled()

    def _confirm(self, texts: ConfirmTexts, action: Callable[[], None]) -> None:
        """Ask first; `texts` (question, detail, yes) again whenever the language changes."""
        self._confirmed = (texts, action)
        self.confirm.ask(*texts())
        self.action_pages.setCurrentWidget(self.confirm)

    def _run_confirmed(self) -> None:
        confirmed = self._confirmed
        self._close_confirm()
        if confirmed is not None:
            confirmed[1]()

    def _close_confirm(self) -> None:
        self._confirmed = None
        self.action_pages.setCurrentIndex(0)

    def _amount(self) -> str:
        return self._session.localiser.money(self._session.state.priced.total)

    def _void_line(self) -> None:
        line_no = self.cart.selected_line()
        if line_no is None:
            self._session.notice_reason(Reason.SELECT_LINE)
            return
        reason = self.reason()
        self._session.at_desk(lambda desk: desk.void_line(line_no, reason))
        self._clear_reason()

    def _open_price(self) -> None:
        line_no = self.cart.selected_line()
        if line_no is None:
            self._session.notice_reason(Reason.SELECT_LINE)
            return
        state = self._session.state
        line = state.cart.line(line_no)
        product = state.products[line.gtin]
        shelf = line.override.shelf_minor if line.override else shelf_unit_minor(line, product)
        # The bounds are the store policy's, an immutable value the core never swaps mid-sale.
        bounds = self._session.checkout.policy.price_override
        self.price.open(line_no, product, Money(shelf, product.price.currency), bounds)
        self.action_pages.setCurrentWidget(self.price)

    def _override(self, line_no: int, unit_minor: int) -> None:
        reason = self.reason()
        self._close_confirm()
        self._session.at_desk(lambda desk: desk.override_price(line_no, unit_minor, reason))
        self._clear_reason()

    def _open_key_in(self) -> None:
        self.key_in.open()
        self.action_pages.setCurrentWidget(self.key_in)

    def _key_in(self, code: str, how: str) -> None:
        self._close_confirm()
        self._session.at_desk(lambda desk: desk.key_in(code, how))

    def _fit_columns(self) -> None:
        # A refund is of a sale already paid: it takes the cart's width (its lines' names,
        # counts and buttons wrapped to three rows in the narrow column). The cart stays in
        # sight; the void reasons, which set the column's least width, have no use meanwhile.
        wide = self.action_pages.currentWidget() is self.refund
        self._columns.setStretch(0, _TOOL_SHARE if wide else _CART_SHARE)
        self._columns.setStretch(1, _CART_SHARE if wide else _TOOL_SHARE)
        self.reason_label.setVisible(not wide)
        self._void_reasons.setVisible(not wide)

    def _refund_changed(self, shown: RefundShown) -> None:
        self.refund.show_refund(shown)
        if shown.open:
            self.action_pages.setCurrentWidget(self.refund)
        elif self.action_pages.currentWidget() is self.refund:
            self._close_confirm()

    def _ask_void_sale(self) -> None:
        reason = self.reason()
        priced = self._session.state.priced

        def void() -> None:
            self._session.at_desk(lambda desk: desk.void_sale(reason))
            self._clear_reason()

        self._confirm(
            lambda: (
                self.tr("Void the whole sale of %1?").replace("%1", self._amount()),
                self.tr("Items: %1 ⋅ Reason: %2")
                .replace("%1", self._session.localiser.number(priced.item_count))
                .replace("%2", void_reason_text(reason)),
                self.tr("Void sale of %1").replace("%1", self._amount()),
            ),
            void,
        )

    def _ask_suspend(self) -> None:
        reason = self.reason()
        priced = self._session.state.priced
        hours = self._session.transfer_hours

        def suspend() -> None:
            self._session.at_desk(lambda desk: desk.suspend(reason))
            self._clear_reason()

        self._confirm(
            lambda: (
                self.tr("Suspend this cart?"),
                self.tr(
                    "%1 items ⋅ %2. The shopper resumes it at any kiosk within %3 hours; "
                    "this kiosk starts afresh."
                )
                .replace("%1", self._session.localiser.number(priced.item_count))
                .replace("%2", self._amount())
                .replace("%3", self._session.localiser.number(hours)),
                self.tr("Suspend: %1").replace("%1", self._amount()),
            ),
            suspend,
        )

    def _transfer_shown(self, suspended: SuspendedCart | None) -> None:
        if suspended is None:
            self._close_confirm()
            return
        zone = ZoneInfo(self._session.checkout.policy.timezone)
        until = suspended.transfer.expires_at.astimezone(zone).strftime("%H:%M")
        self.transfer.show_transfer(suspended, until)
        self._confirmed = None
        self.action_pages.setCurrentWidget(self.transfer)

    def _ask_attended_payment(self) -> None:
        self._confirm(
            lambda: (
                self.tr("Did the shopper pay %1?").replace("%1", self._amount()),
                self.tr("Confirm only after seeing the payment of exactly this amount."),
                self.tr("Paid %1: confirm").replace("%1", self._amount()),
            ),
            lambda: self._session.at_desk(StaffDesk.attended_payment),
        )

    def _ask_exit(self) -> None:
        def texts() -> tuple[str, str, str]:
            detail = (
                self.tr("The open cart (%1) is kept for when the kiosk starts again.").replace(
                    "%1", self._amount()
                )
                if self._session.state.cart.active_lines
                else self.tr("No cart is open.")
            )
            return (
                self.tr(
                    "Exit kiosk mode? Shoppers cannot use this kiosk until it is started again."
                ),
                detail,
                self.tr("Exit kiosk mode"),
            )

        self._confirm(texts, lambda: self._session.at_desk(StaffDesk.exit_kiosk_mode))

    def _cart_changed(self, state: CartState) -> None:
        # Only staff look at this list: while they are away it is brought up to date once,
        # when they sign in, instead of at every scan.
        if self._session.staff is not None:
            self.model.set_state(state)
            self._render_summary()
            self._update_actions()

    def _staff_changed(self, staff: Staff | None) -> None:
        self._close_confirm()
        if staff is None:
            self._refresh.stop()
            self._clear_reason()
            return
        self.model.set_state(self._session.state)
        self._health.refresh()
        self._refresh.start()
        self.retranslate()

    def _render_alerts(self) -> None:
        alerts = self._session.alerts
        # A tool's page (a keypad, a price, a refund, a question) needs the whole height of
        # the middle column: the banner waits until staff are back at the actions (the top
        # bar's help button still says someone was called).
        at_actions = self.action_pages.currentWidget() is self.actions_scroll
        self.assist_banner.setVisible(bool(alerts) and at_actions)
        localiser = self._session.localiser
        items = self._session.alert_items
        lines = ["☎ " + alert_text(a, localiser, items) for a in alerts]
        half = (len(lines) + 1) // 2  # oldest first, down the left column, then the right
        self.assist_text.setText("\n".join(lines[:half]))
        self.assist_more.setText("\n".join(lines[half:]))
        self.assist_more.setVisible(len(lines) > 1)

    def _render_summary(self) -> None:
        priced = self._session.state.priced
        number = self._session.localiser.number
        self.summary.setText(
            self.tr("Items: %1 ⋅ Total: %2")
            .replace("%1", number(priced.item_count))
            .replace("%2", self._amount())
        )

    def _update_actions(self) -> None:
        staff = self._session.staff
        cart = self._session.state.cart
        chosen = bool(self.reason())
        self.buttons["sign_out"].setEnabled(staff is not None)
        for action in DeskAction:
            b, why = self.buttons[action.value], self.why[action.value]
            blocked = why_not(staff, action, cart, reason_chosen=chosen) if staff else None
            b.setEnabled(staff is not None and blocked is None)
            why.setVisible(blocked is not None)
            why.setText(why_not_text(blocked) if blocked else "")

    def retranslate(self) -> None:
        staff = self._session.staff
        # No break inside the name: a title wrapped in a narrow column keeps it whole.
        self.title.setText(
            self.tr("Staff mode ⋅ %1 (%2)")
            .replace("%1", staff.name.replace(" ", "\u00a0"))
            .replace("%2", role_text(staff.role))
            if staff
            else self.tr("Staff mode")
        )
        self._render_alerts()
        self._render_summary()
        self.reason_label.setText(self.tr("Reason for a void or a price change (choose one):"))
        self._reason_toggled()
        texts = {
            "void_line": self.tr("Void selected line"),
            "void_sale": self.tr("Void whole sale…"),
            "approve_age": self.tr("✓ Approve age check"),
            "attended_payment": self.tr("Confirm attended payment…"),
            "override_price": self.tr("Change price…"),
            "key_item": self.tr("Key in an item…"),
            "suspend": self.tr("Suspend cart…"),
            "refund": self.tr("Refund…"),
            "reprint": self.tr("Reprint last receipt"),
            "lock": self.tr("Reopen kiosk")
            if self._session.locked
            else self.tr("Pause / lock kiosk"),
            "exit_kiosk": self.tr("Exit kiosk mode…"),
            "sign_out": self.tr("Sign out ◀"),
        }
        for name, b in self.buttons.items():
            b.setText(texts[name])
        self._update_actions()
        if self._confirmed is not None:
            self.confirm.ask(*self._confirmed[0]())
        self.price.retranslate()
        self.key_in.retranslate()
        self.transfer.retranslate()
        self.refund.retranslate()
        self.exit_hint.setText(self.tr("To check an exit code, scan it now."))
        self.health_title.setText(self.tr("Kiosk health"))
        self.model.refresh()
        if staff is not None:  # the figures are read only while someone looks at them
            self._health.refresh()


class LockedScreen(Screen):
    """Paused by staff: shoppers are sent elsewhere; the cart stays as it was."""

    def __init__(self) -> None:
        super().__init__()
        self.title = label(role="title", wrap=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = label(role="subtitle", wrap=True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setLayout(vbox(2, self.title, self.subtitle, 3, margins=96))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText("⊘ " + self.tr("This checkout is closed"))
        self.subtitle.setText(self.tr("Please use another checkout. Thank you!"))
