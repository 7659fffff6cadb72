"""The kiosk's look: brand colours, big type, and the high-contrast / large-text variant.

Sizes are pixels for a 1920x1080 screen at arm's length: body text 26 px, buttons at least
88 px tall (touch targets far above the 48 px minimum), the total 72 px. Buttons say what
they do in words; colour only repeats what an icon or word already says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    brand: str
    brand_dark: str
    accent: str
    background: str
    surface: str
    text: str
    muted: str
    border: str
    success: str
    warning: str
    error: str
    highlight: str
    on_brand: str


NORMAL = Palette(
    brand="#0055A4",
    brand_dark="#003C78",
    accent="#E1000F",
    background="#F3F6FA",
    surface="#FFFFFF",
    text="#16202C",
    muted="#5A6675",
    border="#D5DCE5",
    success="#1E7B34",
    warning="#A15C00",
    error="#C0000C",
    highlight="#FFF4CC",
    on_brand="#FFFFFF",
)
HIGH_CONTRAST = Palette(
    brand="#FFE600",
    brand_dark="#FFFFFF",
    accent="#FFE600",
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#FFFFFF",
    border="#FFFFFF",
    success="#7CFF7C",
    warning="#FFE600",
    error="#FF8080",
    highlight="#333300",
    on_brand="#000000",
)


@dataclass(frozen=True, slots=True)
class Theme:
    high_contrast: bool = False
    large_text: bool = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def px(self, size: int) -> int:
        return round(size * 1.25) if self.large_text else size

    def stylesheet(self) -> str:
        p, px = self.palette, self.px
        # The disabled look comes last: of two rules as specific (a role's, :disabled) the
        # later wins, and a role kept its colours when disabled (a disabled Void looked
        # ready to void). Dashed, not only muted: in high contrast muted is white too.
        return f"""
* {{ color: {p.text}; font-size: {px(26)}px; }}
QWidget#Root, QStackedWidget, QWidget[screen="true"] {{ background: {p.background}; }}
QWidget#TopBar {{ background: {p.brand}; }}
QStackedWidget#PaymentCard {{ background: {p.surface}; }}
QLabel#Brand {{ color: {p.on_brand}; font-size: {px(40)}px; font-weight: 800; }}
QLabel#BrandTag {{ color: {p.on_brand}; font-size: {px(22)}px; }}
QFrame[card="true"] {{ background: {p.surface}; border: 2px solid {p.border};
    border-radius: 20px; }}
QLabel[role="title"] {{ font-size: {px(60)}px; font-weight: 800; color: {p.brand_dark}; }}
QLabel[role="subtitle"] {{ font-size: {px(34)}px; color: {p.muted}; }}
QLabel[role="heading"] {{ font-size: {px(36)}px; font-weight: 700; }}
QLabel[role="muted"] {{ color: {p.muted}; font-size: {px(24)}px; }}
QLabel[role="total"] {{ font-size: {px(72)}px; font-weight: 800; color: {p.text}; }}
QLabel[role="amount"] {{ font-size: {px(96)}px; font-weight: 800; color: {p.text}; }}
QLabel[role="savings"] {{ font-size: {px(28)}px; font-weight: 700; color: {p.success}; }}
QLabel[role="offer"] {{ font-size: {px(24)}px; font-weight: 600; color: {p.success}; }}
QLabel[role="offer_waiting"] {{ font-size: {px(24)}px; color: {p.warning}; }}
QLabel[role="offer_amount"] {{ font-size: {px(26)}px; font-weight: 700; color: {p.success}; }}
QLabel[role="hint"] {{ font-size: {px(26)}px; font-weight: 700; color: {p.brand_dark};
    background: {p.highlight}; border: 2px solid {p.brand}; border-radius: 14px;
    padding: 10px 20px; }}
QLabel[role="tier"] {{ font-size: {px(44)}px; font-weight: 800; color: {p.brand_dark}; }}
QPushButton[role="chip"] {{ min-height: {px(52)}px; min-width: {px(64)}px; padding: 0 12px;
    font-size: {px(24)}px; border-width: 2px; border-radius: 12px; }}
QPushButton[role="wallet"] {{ min-height: {px(96)}px; text-align: left; padding: 0 24px;
    font-size: {px(26)}px; }}
QPushButton[role="wallet"]:checked {{ background: {p.highlight}; border-color: {p.success};
    color: {p.success}; }}
QScrollArea[column="true"], QScrollArea[column="true"] > QWidget > QWidget {{
    background: transparent; }}
QLabel[role="countdown"] {{ font-size: {px(40)}px; font-weight: 700; color: {p.brand_dark}; }}
QPushButton {{ min-height: {px(88)}px; padding: 0 28px; border-radius: 16px;
    font-size: {px(30)}px; font-weight: 700; background: {p.surface}; color: {p.brand_dark};
    border: 3px solid {p.brand}; }}
QPushButton:pressed {{ background: {p.highlight}; }}
QPushButton[role="primary"] {{ background: {p.brand}; color: {p.on_brand};
    border: 3px solid {p.brand}; font-size: {px(40)}px; min-height: {px(120)}px; }}
QPushButton[role="danger"] {{ color: {p.error}; border-color: {p.error}; }}
QPushButton[role="topbar"] {{ background: transparent; color: {p.on_brand};
    border: 2px solid {p.on_brand}; min-height: {px(64)}px; font-size: {px(24)}px;
    padding: 0 18px; border-radius: 12px; }}
QPushButton[role="topbar"]:checked {{ background: {p.on_brand}; color: {p.brand}; }}
QPushButton[role="help"] {{ background: {p.accent}; color: {p.on_brand};
    border: 2px solid {p.on_brand};
    min-height: {px(64)}px; font-size: {px(24)}px; border-radius: 12px; padding: 0 22px; }}
QPushButton[role="key"] {{ font-size: {px(40)}px; min-height: {px(80)}px;
    min-width: {px(120)}px; }}
QListView, QTableView {{ background: {p.surface}; border: 2px solid {p.border};
    border-radius: 16px; }}
QScrollBar:vertical {{ background: {p.surface}; width: {px(16)}px; margin: 8px 2px;
    border: none; }}
QScrollBar::handle:vertical {{ background: {p.muted}; border-radius: {px(6)}px;
    min-height: 64px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
QHeaderView::section {{ background: {p.background}; font-weight: 700; padding: 8px;
    border: none; }}
QTableView {{ gridline-color: {p.border}; }}
QLineEdit {{ min-height: {px(80)}px; font-size: {px(40)}px; border: 3px solid {p.border};
    border-radius: 14px; padding: 0 16px; background: {p.surface}; }}
QCheckBox {{ font-size: {px(26)}px; spacing: 18px; }}
QCheckBox::indicator {{ width: {px(48)}px; height: {px(48)}px; }}
QFrame#Notice {{ border-radius: 14px; border: 3px solid {p.border}; background: {p.surface}; }}
QFrame#Notice[level="error"] {{ border-color: {p.error}; }}
QFrame#Notice[level="warning"] {{ border-color: {p.warning}; }}
QFrame#Notice[level="success"] {{ border-color: {p.success}; }}
QFrame#Notice[level="info"] {{ border-color: {p.brand}; }}
QLabel#NoticeIcon {{ font-size: {px(34)}px; font-weight: 900; color: {p.on_brand};
    border-radius: {px(26)}px; min-width: {px(52)}px; max-width: {px(52)}px;
    min-height: {px(62)}px; max-height: {px(62)}px;
    qproperty-alignment: AlignCenter; background: {p.brand}; }}
QLabel#NoticeIcon[level="error"] {{ background: {p.error}; }}
QLabel#NoticeIcon[level="warning"] {{ background: {p.warning}; }}
QLabel#NoticeIcon[level="success"] {{ background: {p.success}; }}
QFrame#Overlay {{ background: rgba(0, 0, 0, 150); }}
QFrame#Dialog {{ background: {p.surface}; border-radius: 24px; border: 3px solid {p.brand}; }}
QPushButton[staff="true"] {{ min-height: {px(64)}px; font-size: {px(26)}px; padding: 0 16px; }}
QLabel[role="why"] {{ color: {p.muted}; font-size: {px(20)}px; }}
QPushButton[role="reason"] {{ min-height: {px(72)}px; font-size: {px(26)}px;
    border-width: 2px; }}
QPushButton[role="reason"]:checked {{ background: {p.brand}; color: {p.on_brand};
    border: 4px solid {p.brand_dark}; }}
QFrame#Confirm {{ background: {p.surface}; border-radius: 20px; border: 3px solid {p.error}; }}
QFrame#AssistBanner {{ background: {p.accent}; border-radius: 14px; }}
QPushButton[role="bag"] {{ min-height: {px(120)}px; font-size: {px(40)}px; }}
QPushButton[role="lookup"] {{ min-height: {px(104)}px; font-size: {px(32)}px;
    background: {p.highlight}; }}
QPushButton[role="tile"] {{ min-height: {px(280)}px; padding: 0; border-width: 2px;
    border-color: {p.border}; border-radius: 20px; }}
QPushButton[role="tile"]:pressed {{ border: 4px solid {p.brand}; }}
QLabel[role="tile_name"] {{ font-size: {px(26)}px; font-weight: 700; color: {p.text}; }}
QLabel[role="tile_price"] {{ font-size: {px(26)}px; font-weight: 800; color: {p.brand_dark}; }}
QLabel[role="tile_initial"] {{ font-size: {px(72)}px; font-weight: 800; color: {p.brand_dark};
    background: {p.highlight}; border-radius: 75px; }}
QLabel[role="search"] {{ min-height: {px(80)}px; font-size: {px(40)}px; font-weight: 700;
    border: 3px solid {p.brand}; border-radius: 14px; padding: 0 16px;
    background: {p.surface}; }}
QLabel[role="search"][placeholder="true"] {{ color: {p.muted}; font-weight: 400;
    font-size: {px(30)}px; }}
QPushButton[role="tab"] {{ min-height: {px(72)}px; font-size: {px(26)}px; padding: 0 20px;
    border-width: 2px; }}
QPushButton[role="tab"]:checked {{ background: {p.brand}; color: {p.on_brand};
    border: 3px solid {p.brand_dark}; }}
QPushButton[role="letter"], QPushButton[role="key_mode"] {{ min-height: {px(80)}px;
    min-width: 0; padding: 0; font-size: {px(32)}px; border-width: 2px; }}
QPushButton[role="key_mode"] {{ background: {p.highlight}; }}
QPushButton[role="stepper"] {{ min-width: {px(88)}px; padding: 0; font-size: {px(44)}px; }}
QFrame#AssistBanner QLabel {{ color: {p.on_brand}; font-weight: 800; }}
QPushButton:disabled {{ color: {p.muted}; background: {p.surface}; border-color: {p.muted};
    border-style: dashed; }}
"""
