"""The sandbox wallet's pay page: what a shopper's phone shows after scanning the QR."""

from __future__ import annotations

from html import escape

from kiosk.domain.money import Money

_CSS = """
body{margin:0;background:#f2f3f5;font:17px/1.4 system-ui,-apple-system,"Noto Sans CJK SC",
"Noto Sans",sans-serif;color:#1d2330}
main{max-width:420px;margin:0 auto;padding:28px 20px;box-sizing:border-box;min-height:100vh;
background:#fff;text-align:center}
.badge{display:inline-block;background:#fde68a;color:#7a5200;border-radius:999px;padding:3px 12px;
font-size:13px;font-weight:600;letter-spacing:.04em}
.merchant{font-size:20px;font-weight:600;margin-top:22px}
.amount{font-size:46px;font-weight:700;margin:10px 0 4px}
.desc,.ref{color:#5b6475;font-size:14px}
.ref{font-family:ui-monospace,monospace;margin-top:6px}
form{margin-top:36px;display:flex;flex-direction:column;gap:14px}
button{font-size:22px;padding:16px;border-radius:12px;border:0;cursor:pointer}
.pay{background:#07c160;color:#fff;font-weight:700}
.decline{background:#e9ebef;color:#1d2330;font-size:17px}
.result{font-size:30px;font-weight:700;margin-top:36px}
.ok{color:#07a450}.bad{color:#b3261e}
.note{color:#5b6475;margin-top:10px}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        '<span class="badge">SANDBOX · 测试支付</span>'
        f"{body}</main></body></html>"
    )


def _head(merchant: str, amount: Money, description: str, payment_id: str) -> str:
    return (
        f"<div class='merchant'>{escape(merchant)}</div>"
        f"<div class='amount' id='amount'>{escape(amount.format())}</div>"
        f"<div class='desc'>{escape(description)}</div>"
        f"<div class='ref'>{escape(payment_id[-12:])}</div>"
    )


def pay_page(
    merchant: str, amount: Money, description: str, payment_id: str, token: str, action: str
) -> str:
    return _page(
        f"Pay {merchant}",
        _head(merchant, amount, description, payment_id)
        + f"<form method='post' action='{escape(action)}'>"
        f"<input type='hidden' name='t' value='{escape(token)}'>"
        "<button class='pay' name='action' value='pay' id='pay'>Pay · 支付</button>"
        "<button class='decline' name='action' value='decline' id='decline'>"
        "Decline · 拒绝</button></form>",
    )


def result_page(
    merchant: str, amount: Money, description: str, payment_id: str, outcome: str, note: str
) -> str:
    texts = {
        "paid": ("ok", "✓ Paid · 支付成功"),
        "declined": ("bad", "Declined · 已拒绝"),
        "closed": ("bad", "This order is closed · 订单已关闭"),
        "refused": ("bad", "Payment refused · 支付失败"),
    }
    cls, text = texts[outcome]
    return _page(
        f"{text} · {merchant}",
        _head(merchant, amount, description, payment_id)
        + f"<div class='result {cls}' id='result'>{escape(text)}</div>"
        f"<div class='note'>{escape(note)}</div>",
    )
