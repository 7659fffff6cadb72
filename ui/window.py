"""The main window: the brand bar (languages, accessibility, help), the notice line, the
screens, and the "still there?" question over them.

Which screen shows is the session's: the shopper's screen, or the staff screens while staff
are signing in or signed in.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.catalog import LANGUAGES
from kiosk.domain.staff import Staff
from kiosk.services.session import Notice, Screen
from ui.i18n import LANGUAGE_NAMES, Localiser, language_font
from ui.screens.base import Screen as ScreenWidget
from ui.screens.staff import StaffLoginScreen
from ui.session import KioskSession
from ui.theme import Theme
from ui.widgets.common import (
    Countdown,
    NoticeBar,
    button,
    label,
    more_icon,
    speaker_icon,
    vbox,
)

STAFF_LOGIN = "staff_login"
STAFF = "staff"


class StillThereOverlay(QFrame):
    """Covers the screen and asks; any tap on it (or anywhere) keeps the cart."""

    def __init__(self, session: KioskSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.question = label(role="title", wrap=True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = label(role="subtitle", wrap=True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.yes = button("primary", "still_here")
        self.yes.clicked.connect(session.touch)
        self.finished = button(name="finished")
        self.finished.clicked.connect(session.finished_shopping)
        dialog = QFrame()
        dialog.setObjectName("Dialog")
        dialog.setLayout(
            vbox(self.question, self.detail, self.yes, self.finished, spacing=28, margins=48)
        )
        # The core's own timer clears the cart when the count reaches 0.
        self.countdown = Countdown(self)
        self.countdown.ticked.connect(self.tick)
        dialog.setFixedWidth(900)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(dialog)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        session.still_there_asked.connect(self.ask)
        session.still_there_dismissed.connect(self._dismissed)
        self.hide()

    def ask(self, seconds: int) -> None:
        self.countdown.start(seconds)
        self.retranslate()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def tick(self) -> None:
        self.retranslate()

    def _dismissed(self) -> None:
        self.countdown.stop()
        self.hide()

    def retranslate(self) -> None:
        self.question.setText(self.tr("Are you still there?"))
        self.detail.setText(
            self.tr("Your items will be cleared in %1 seconds unless you tap below.").replace(
                "%1", str(self.countdown.seconds_left)
            )
        )
        self.yes.setText(self.tr("Yes, I'm still here"))
        self.finished.setText(self.tr("I'm finished: clear my items"))


class ScreenStack(QStackedWidget):
    """The screens, one at a time, each filling the window.

    Qt's stacked layout answers "how tall at this width?" by asking every page, bypassing
    the layout caches: a label's new text on the scanning screen (the total, at every
    scan) made the window re-measure the word-wrapped texts of all screens, about a third
    of the UI thread's work per scan. The window's size comes from the screen, not from
    its content, so the stack need not answer at all.
    """

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False


class MainWindow(QWidget):
    def __init__(
        self,
        session: KioskSession,
        localiser: Localiser,
        theme: Theme,
        screens: dict[str, ScreenWidget],
    ) -> None:
        super().__init__()
        self.setObjectName("Root")
        self.setWindowTitle("Scan & Go")
        self.session = session
        self.localiser = localiser
        self.theme = theme
        self.screens = screens
        self._staff_login_open = False

        # ---- top bar
        bar = QWidget()
        bar.setObjectName("TopBar")
        bar.setFixedHeight(theme.px(100))
        self.brand = label("Scan & Go")
        self.brand.setObjectName("Brand")
        self.brand_tag = label()
        self.brand_tag.setObjectName("BrandTag")
        self.language_buttons = QButtonGroup(self)
        self.language_buttons.setExclusive(True)
        bar_row = QHBoxLayout(bar)
        bar_row.setContentsMargins(32, 0, 24, 0)
        bar_row.setSpacing(14)
        bar_row.addWidget(self.brand)
        bar_row.addWidget(self.brand_tag)
        bar_row.addStretch(1)
        self.text_button = button("topbar", "large_text")
        self.text_button.setCheckable(True)
        self.contrast_button = button("topbar", "high_contrast")
        self.contrast_button.setCheckable(True)
        self.text_button.toggled.connect(self._accessibility_changed)
        self.contrast_button.toggled.connect(self._accessibility_changed)
        # Spoken prompts for shoppers who cannot read the screen well: a loudspeaker, not
        # a word, so a shopper who reads no language on the screen can find it too.
        self.speech_button = button("topbar", "speech")
        self.speech_button.setCheckable(True)
        self.speech_button.setVisible(session.can_speak)
        self.speech_button.toggled.connect(self._speech_changed)
        bar_row.addWidget(self.speech_button)
        bar_row.addWidget(self.text_button)
        bar_row.addWidget(self.contrast_button)
        self.help_button = button("help", "help")
        self.help_button.clicked.connect(self._help)
        bar_row.addWidget(self.help_button)
        # The languages sit at the right end, left of the fixed staff entry, each as wide
        # as its name in the widest of the languages' fonts: the texts before them (help, "A+")
        # change length with the language and the calls, and a language button that moved
        # as the shopper reached for it would be tapped wrong.
        for language in LANGUAGES:
            b = button("topbar", f"lang_{language}")
            b.setText(LANGUAGE_NAMES[language])
            b.setCheckable(True)
            b.setChecked(language == localiser.language)
            b.clicked.connect(lambda _=False, lang=language: session.set_language(lang))
            self.language_buttons.addButton(b)
            bar_row.addWidget(b)
        self.staff_button = QPushButton()
        self.staff_button.setObjectName("staff_entry")
        self.staff_button.setProperty("role", "topbar")
        self.staff_button.clicked.connect(session.request_staff_login)
        bar_row.addWidget(self.staff_button)

        # ---- notice and screens
        self.notice_bar = NoticeBar()
        self.stack = ScreenStack()
        for widget in screens.values():
            self.stack.addWidget(widget)
        body = QWidget()
        body_layout = vbox(self.notice_bar, self.stack, spacing=8)
        body_layout.setContentsMargins(24, 12, 24, 0)
        body.setLayout(body_layout)
        root = QVBoxLayout(self)
        # The window is the screen's size; letting the layout impose a minimum size on it
        # would only fight the full-screen geometry.
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(bar)
        root.addWidget(body, 1)
        self.overlay = StillThereOverlay(session, self)

        # A page switch lays out and repaints the whole window: it gets its own turn of
        # the event loop instead of running in one block with the work that asked for it
        # (the first scan's checkout and cart update), so input and timers are served in
        # between (benchmarks.ui: the longest stall of a first scan, ~14 ms, became two of ~5
        # and ~10 ms). The page follows the session's state when the turn comes.
        self._switch = QTimer(self)
        self._switch.setSingleShot(True)
        self._switch.setInterval(0)
        self._switch.timeout.connect(self._show_current)
        session.screen_changed.connect(self._screen_changed)
        session.notice.connect(self._notice)
        session.notice_cleared.connect(self.notice_bar.clear)
        session.staff_changed.connect(self._staff_changed)
        session.staff_login_requested.connect(self._open_staff_login)
        session.alerts_changed.connect(lambda _alerts: self.retranslate())
        localiser.language_changed.connect(self._language_changed)
        session.preferences_reset.connect(self._preferences_reset)
        self.setStyleSheet(theme.stylesheet())
        self._styled_families = QApplication.font().families()
        self._fit_bar()
        self.retranslate()
        self._show_current()
        if session.said is not None:  # said at start-up, before there was a window
            self._notice(session.said)

    # ------------------------------------------------------------ rendering
    @property
    def current(self) -> str:
        """The name of the page on show (a `Screen` value, `staff_login` or `staff`)."""
        widget = self.stack.currentWidget()
        return next(name for name, w in self.screens.items() if w is widget)

    def _show_current(self) -> None:
        if self.session.staff is not None:
            name = STAFF
        elif self._staff_login_open:
            name = STAFF_LOGIN
        else:
            name = self.session.screen.value
        self.stack.setCurrentWidget(self.screens[name])

    def _screen_changed(self, _screen: str) -> None:
        # A notice belongs to the screen it was shown on; one about the new screen follows.
        self.notice_bar.clear()
        self._switch.start()

    def _help(self) -> None:
        """Call for help, or take back one's own call (other alerts stay for staff)."""
        if self.session.own_call():
            self.session.withdraw_call()
        else:
            self.session.call_assistance()

    def _notice(self, notice: Notice) -> None:
        self.notice_bar.show_notice(notice)

    def _staff_changed(self, staff: Staff | None) -> None:
        self._staff_login_open = False
        self.notice_bar.clear()
        self.retranslate()  # the help button: nobody is "on the way" while staff are here
        self._show_current()

    def _open_staff_login(self) -> None:
        login = self.screens[STAFF_LOGIN]
        assert isinstance(login, StaffLoginScreen)
        login.reset()
        self.notice_bar.clear()
        self._staff_login_open = True
        self._show_current()

    def close_staff_login(self) -> None:
        self._staff_login_open = False
        self._show_current()

    def _language_changed(self, language: str) -> None:
        for b in self.language_buttons.buttons():
            b.setChecked(b.objectName() == f"lang_{language}")
        # The style sheet fixed each widget's font (its sizes) from the application's font
        # when it was applied: applied again, every widget takes the new language's font
        # families (Chinese in Chinese glyph shapes), and a label whose text stays ("Scan &
        # Go") measures itself again instead of keeping its width in the last font. It
        # takes ~150 ms, so only when the families changed (not between zh_CN and en).
        families = QApplication.font().families()
        if families != self._styled_families:
            self._styled_families = families
            self.setStyleSheet(self.theme.stylesheet())
        self.retranslate()
        self.notice_bar.retranslate()
        self.overlay.retranslate()
        for screen in self.screens.values():
            screen.retranslate()

    def _accessibility_changed(self) -> None:
        self.theme = Theme(
            high_contrast=self.contrast_button.isChecked(),
            large_text=self.text_button.isChecked(),
        )
        self.setStyleSheet(self.theme.stylesheet())
        self._fit_bar()
        for widget in self.screens.values():
            for view in widget.findChildren(QWidget):
                set_theme = getattr(view, "set_theme", None)
                if callable(set_theme):
                    set_theme(self.theme)

    def _fit_bar(self) -> None:
        """The loudspeaker and the staff entry's dots in the top bar's colours (as the text
        of a top-bar button). At large text the bar has no room for the "Self-checkout" tag
        as well: the buttons keep their words and the tag goes."""
        p, side = self.theme.palette, self.theme.px(36)
        self.speech_button.setIcon(speaker_icon(p.on_brand, p.brand, side))
        self.staff_button.setIcon(more_icon(p.on_brand, side))
        for b in (self.speech_button, self.staff_button):
            b.setIconSize(QSize(side, side))
        self.brand_tag.setVisible(not self.theme.large_text)
        self._fix_bar_widths()

    def _fix_bar_widths(self) -> None:
        """The language buttons keep one width whatever the language: their text's widest
        in any language's font (at the theme's size)."""
        for b in self.language_buttons.buttons():
            b.ensurePolished()  # the style sheet's font size and padding
            # The hint holds the padding and border around the text as measured now.
            frame = b.sizeHint().width() - b.fontMetrics().horizontalAdvance(b.text())
            b.setFixedWidth(
                frame
                + max(
                    QFontMetrics(language_font(language, b.font())).horizontalAdvance(b.text())
                    for language in LANGUAGES
                )
            )

    def _preferences_reset(self) -> None:
        if self.contrast_button.isChecked() or self.text_button.isChecked():
            self.set_accessibility(high_contrast=False, large_text=False)
        self.speech_button.setChecked(False)

    def _speech_changed(self, on: bool) -> None:
        self.session.speech = on

    def set_accessibility(self, *, high_contrast: bool, large_text: bool) -> None:
        self.contrast_button.setChecked(high_contrast)
        self.text_button.setChecked(large_text)

    def retranslate(self) -> None:
        self.brand_tag.setText(self.tr("Self-checkout"))
        self.text_button.setText(self.tr("A+ Large text"))
        self.contrast_button.setText(self.tr("◐ Contrast"))
        self.speech_button.setAccessibleName(self.tr("Spoken prompts"))
        # Once someone has taken the call (at the attendant console, or by signing in
        # here), the shopper sees who is coming.
        # Staff signed in here are here, not on their way.
        coming = self.session.coming if self.session.staff is None else None
        if coming and self.session.own_call():
            help_text = self.tr("%1 is on the way ⋅ Cancel").replace("%1", coming)
        elif coming:
            help_text = self.tr("%1 is on the way").replace("%1", coming)
        elif self.session.own_call():
            help_text = self.tr("Help is coming ⋅ Cancel")
        elif self.session.assistance:
            help_text = self.tr("Help is coming")
        else:
            help_text = self.tr("Call for help")
        self.help_button.setText("☎ " + help_text)
        self.staff_button.setAccessibleName(self.tr("Staff"))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())


class ActivityFilter(QObject):
    """Tells the session about every touch, click or key, so the idle timer restarts."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self._session = session
        self._types = {
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
        }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self._types:
            self._session.touch()
        return False


def all_screens() -> tuple[str, ...]:
    """Every page name, in the order the demo and the screenshots show them."""
    return (*(s.value for s in Screen), STAFF_LOGIN, STAFF)
