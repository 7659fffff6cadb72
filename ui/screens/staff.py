"""Staff mode: sign in by badge or staff number + PIN, then act on the sale and the kiosk.

Every button calls a session method that goes through the core (`Checkout`, `StaffAuth`),
which checks the staff member's permissions and journals the action.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from kiosk.domain.errors import Reason
from kiosk.domain.staff import Permission, Role, Staff
from kiosk.services.checkout import CartState
from kiosk.services.staff_desk import StaffDesk
from ui.health import HealthMonitor
from ui.models import CartModel
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.theme import Theme
from ui.widgets.cart_view import CartView
from ui.widgets.common import Keypad, button, card, hbox, label, vbox

# Void reasons as journalled (stable English) and as shown (translated).
VOID_REASONS = ("shopper changed mind", "scanned twice", "damaged item", "price query")


def role_text(role: Role) -> str:
    texts = {
        Role.ASSOCIATE: QCoreApplication.translate("Staff", "associate"),
        Role.SUPERVISOR: QCoreApplication.translate("Staff", "supervisor"),
        Role.MANAGER: QCoreApplication.translate("Staff", "manager"),
    }
    return texts[role]


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
        self.title = label(role="heading")
        self.assist_banner = QFrame()
        self.assist_banner.setObjectName("AssistBanner")
        self.assist_text = label(wrap=True)
        self.assist_banner.setLayout(hbox(self.assist_text, margins=14))
        self.cart = CartView(model, theme, adjustable=False)
        self.reason_label = label(role="muted")
        self.reason_buttons = QButtonGroup(self)
        reasons = QWidget()
        reasons_row = QGridLayout(reasons)
        reasons_row.setContentsMargins(0, 0, 0, 0)
        for i, reason in enumerate(VOID_REASONS):
            b = button(name=f"reason_{i}")
            b.setCheckable(True)
            b.setProperty("reason", reason)
            self.reason_buttons.addButton(b, i)
            reasons_row.addWidget(b, i // 2, i % 2)
        self.reason_buttons.button(0).setChecked(True)
        self.buttons: dict[str, QPushButton] = {}
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        names = [
            ("void_line", "danger"),
            ("void_sale", "danger"),
            ("approve_age", ""),
            ("attended_payment", ""),
            ("reprint", ""),
            ("lock", ""),
            ("exit_kiosk", "danger"),
            ("sign_out", "primary"),
        ]
        for i, (name, role) in enumerate(names):
            b = button(role, name)
            if role == "primary":
                b.setProperty("role", "")  # same size as its neighbours
            self.buttons[name] = b
            grid.addWidget(b, i, 0)
        self.buttons["void_line"].clicked.connect(self._void_line)
        self.buttons["void_sale"].clicked.connect(
            lambda: session.at_desk(lambda desk: desk.void_sale(self.reason()))
        )
        self.buttons["approve_age"].clicked.connect(lambda: session.at_desk(StaffDesk.approve_age))
        self.buttons["attended_payment"].clicked.connect(
            lambda: session.at_desk(StaffDesk.attended_payment)
        )
        self.buttons["reprint"].clicked.connect(lambda: session.at_desk(StaffDesk.reprint))
        self.buttons["lock"].clicked.connect(
            lambda: session.at_desk(lambda desk: desk.lock(not session.locked))
        )
        self.buttons["exit_kiosk"].clicked.connect(
            lambda: session.at_desk(StaffDesk.exit_kiosk_mode)
        )
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
        self.health_view.verticalHeader().setDefaultSectionSize(theme.px(46))
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(health.refresh)

        left = QWidget()
        left.setLayout(
            vbox(self.title, self.assist_banner, self.cart, self.reason_label, reasons, spacing=12)
        )
        middle = QWidget()
        middle.setLayout(vbox(grid_holder, self.exit_hint, 1, spacing=12))
        right = card()
        right.setLayout(vbox(self.health_title, self.health_view, margins=20))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(24)
        layout.addWidget(left, 5)
        layout.addWidget(middle, 3)
        layout.addWidget(right, 3)
        session.staff_changed.connect(self._staff_changed)
        session.assistance_changed.connect(self._render_assist)
        session.cart_changed.connect(self._cart_changed)
        session.screen_changed.connect(lambda _s: self.retranslate())
        model.set_state(session.state)
        self._render_assist(session.assistance)
        self.retranslate()

    def reason(self) -> str:
        checked = self.reason_buttons.checkedButton()
        return str(checked.property("reason")) if checked else ""

    def _void_line(self) -> None:
        line_no = self.cart.selected_line()
        if line_no is None:
            self._session.notice_reason(Reason.SELECT_LINE)
            return
        self._session.at_desk(lambda desk: desk.void_line(line_no, self.reason()))

    def _cart_changed(self, state: CartState) -> None:
        # Only staff look at this list: while they are away it is brought up to date once,
        # when they sign in, instead of at every scan.
        if self._session.staff is not None:
            self.model.set_state(state)

    def _staff_changed(self, staff: Staff | None) -> None:
        if staff is None:
            self._refresh.stop()
            return
        self.model.set_state(self._session.state)
        self._health.refresh()
        self._refresh.start()
        self.retranslate()

    def _render_assist(self, on: bool) -> None:
        self.assist_banner.setVisible(on)

    def retranslate(self) -> None:
        staff = self._session.staff
        self.title.setText(
            self.tr("Staff mode · %1 (%2)")
            .replace("%1", staff.name)
            .replace("%2", role_text(staff.role))
            if staff
            else self.tr("Staff mode")
        )
        self.assist_text.setText("☎ " + self.tr("The shopper asked for help."))
        self.reason_label.setText(self.tr("Reason for a void:"))
        for b in self.reason_buttons.buttons():
            b.setText(void_reason_text(str(b.property("reason"))))
        texts = {
            "void_line": self.tr("Void selected line"),
            "void_sale": self.tr("Void whole sale"),
            "approve_age": self.tr("✓ Approve age check"),
            "attended_payment": self.tr("Confirm attended payment"),
            "reprint": self.tr("Reprint last receipt"),
            "lock": self.tr("Reopen kiosk")
            if self._session.locked
            else self.tr("Pause / lock kiosk"),
            "exit_kiosk": self.tr("Exit kiosk mode"),
            "sign_out": self.tr("Sign out ◀"),
        }
        permissions = {
            "void_line": Permission.VOID_LINE,
            "void_sale": Permission.VOID_SALE,
            "approve_age": Permission.APPROVE_AGE,
            "attended_payment": Permission.CONFIRM_PAYMENT,
            "reprint": Permission.REPRINT,
            "lock": Permission.LOCK_KIOSK,
            "exit_kiosk": Permission.EXIT_KIOSK_MODE,
        }
        for name, b in self.buttons.items():
            b.setText(texts[name])
            permission = permissions.get(name)
            # Buttons the role may not use stay visible but disabled, with the role in the title.
            b.setEnabled(permission is None or (staff is not None and staff.can(permission)))
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
