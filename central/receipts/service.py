"""E-receipts: a signed link, and the stored sale rendered as a phone-sized HTML page.

The link `/r/{sale_id}?exp=…&sig=…` needs no login: `sig` is an HMAC of the sale id,
the expiry and the store of the kiosk that asked for it, under a key derived from the
master key, so only the service can make links and one link opens one sale. The store
travels in the link (`st`) under the signature, and the page opens only a sale of that
store, so a kiosk cannot make a link that opens another store's sale. The page is
rendered from the sale's wire document as stored (`sales.document`), in the labels
of `kiosk.domain.receipt`, with the receipt's exit code as an inline SVG QR (segno) when
the kiosk handed it in, and the group-buy orders the shopper collected at the kiosk with the
sale (prepaid, not in its total), as the paper receipt lists them: the app hands in group-buy's
lookup (`pages_router(collected=…)`), since group-buy is a feature above receipts.

A refund gets its own e-receipt the same way (`/r/refunds/{refund_id}?exp=…&st=…&sig=…`,
the signed id prefixed `refund:` so a sale's link never opens a refund): its number (the
last 12 characters of the refund id, as on the paper refund receipt), the original sale
(number, time, and a link to its e-receipt), the lines that came back, the amount, the
tender it went back to, and the points and coupons it gave back or took.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote

import segno
from sqlalchemy import Connection, select

from central.db import upsert
from central.payments.config import StoreConfig
from central.receipts.tables import sale_exit_codes
from central.sales.tables import refunds, sales
from kiosk.domain.money import Money
from kiosk.domain.pickup import CollectedOrder
from kiosk.domain.receipt import label

LANGS = {"en": "en", "zh": "zh_CN", "ko": "ko"}
HTML_LANG = {"en": "en", "zh": "zh-CN", "ko": "ko"}
NO_EXPIRY = 0


def link_key(master: bytes) -> bytes:
    return hmac.new(master, b"receipt-link:v1", hashlib.sha256).digest()


def signature(master: bytes, sale_id: str, expires_s: int, store_id: str) -> str:
    message = f"{sale_id.lower()}.{expires_s}.{store_id}".encode()
    mac = hmac.new(link_key(master), message, hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode()


REFUND = "refund:"  # what a refund's link signs before its id


def link(
    base_url: str, master: bytes, sale_id: str, expires_s: int, store_id: str, lang: str | None
) -> str:
    return _signed(base_url, "/r/", master, sale_id, sale_id, expires_s, store_id, lang)


def refund_link(
    base_url: str, master: bytes, refund_id: str, expires_s: int, store_id: str, lang: str | None
) -> str:
    signed = REFUND + refund_id
    return _signed(base_url, "/r/refunds/", master, refund_id, signed, expires_s, store_id, lang)


def _signed(
    base_url: str, path: str, master: bytes, entity_id: str, signed_id: str, expires_s: int,
    store_id: str, lang: str | None,
) -> str:  # fmt: skip
    sig = signature(master, signed_id, expires_s, store_id)
    query = f"exp={expires_s}&st={quote(store_id)}&sig={sig}"
    return f"{base_url.rstrip('/')}{path}{entity_id}?{query}" + (f"&lang={lang}" if lang else "")


def link_ok(
    master: bytes, sale_id: str, expires_s: int, store_id: str, sig: str, now_ms: int
) -> bool:
    if expires_s != NO_EXPIRY and now_ms // 1000 > expires_s:
        return False
    return hmac.compare_digest(signature(master, sale_id, expires_s, store_id), sig)


def owner(conn: Connection, sale_id: str) -> tuple[str, str] | None:
    """(kiosk, store) of a stored sale; None while the sale has not arrived."""
    row = conn.execute(
        select(sales.c.kiosk_id, sales.c.store_id).where(sales.c.sale_id == sale_id)
    ).first()
    return None if row is None else (row.kiosk_id, row.store_id)


def store_exit_code(conn: Connection, sale_id: str, kiosk_id: str, code: str, now_ms: int) -> None:
    conn.execute(
        upsert(conn, sale_exit_codes, ["sale_id"], ["code", "stored_at"]).values(
            sale_id=sale_id, kiosk_id=kiosk_id, code=code, stored_at=now_ms
        )
    )


@dataclass(frozen=True, slots=True)
class StoredSale:
    document: dict[str, Any]
    exit_code: str | None


def load(conn: Connection, sale_id: str) -> StoredSale | None:
    doc = conn.execute(select(sales.c.document).where(sales.c.sale_id == sale_id)).scalar()
    if doc is None:
        return None
    code = conn.execute(
        select(sale_exit_codes.c.code).where(sale_exit_codes.c.sale_id == sale_id)
    ).scalar()
    return StoredSale(json.loads(doc), code)


@dataclass(frozen=True, slots=True)
class StoredRefund:
    refund_id: str
    store_id: str
    status: str
    method: str
    amount: Money
    document: dict[str, Any]  # the kiosk's refund document
    sale: dict[str, Any]  # the refunded sale's document


def refund_owner(conn: Connection, refund_id: str) -> tuple[str, str] | None:
    """(store, status) of a stored refund; None while it has not arrived."""
    row = conn.execute(
        select(refunds.c.store_id, refunds.c.status).where(refunds.c.refund_id == refund_id)
    ).first()
    return None if row is None else (row.store_id, row.status)


def load_refund(conn: Connection, refund_id: str) -> StoredRefund | None:
    row = conn.execute(
        select(refunds, sales.c.document.label("sale_document"))
        .join(sales, sales.c.sale_id == refunds.c.sale_id)
        .where(refunds.c.refund_id == refund_id)
    ).first()
    if row is None:
        return None
    return StoredRefund(
        refund_id=row.refund_id,
        store_id=row.store_id,
        status=row.status,
        method=row.method,
        amount=Money(int(row.amount_minor), row.currency),
        document=json.loads(row.document),
        sale=json.loads(row.sale_document),
    )


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format()


def _plain(minor: int, currency: str) -> str:
    return _money(minor, currency).rsplit(" ", 1)[0]


_CSS = """
:root{color-scheme:light}
body{margin:0;background:#eef0f3;font:16px/1.45 system-ui,-apple-system,"Noto Sans CJK SC",
"Noto Sans CJK KR","Noto Sans",sans-serif;color:#1d2330}
main{max-width:440px;margin:0 auto;background:#fff;min-height:100vh;padding:20px 18px 40px;
box-sizing:border-box}
h1{font-size:22px;margin:4px 0 0;text-align:center}
.sub{color:#5b6475;text-align:center;font-size:14px}
.banner{background:#fff3cd;color:#7a5200;padding:8px;border-radius:8px;text-align:center;
font-weight:600;margin:10px 0}
.meta{display:flex;justify-content:space-between;color:#5b6475;font-size:13px;margin:14px 0 6px}
table{width:100%;border-collapse:collapse}
td{padding:7px 0;vertical-align:top;border-bottom:1px solid #eceef2}
td.amt{text-align:right;white-space:nowrap;padding-left:12px}
.detail{color:#5b6475;font-size:13px}
.disc{color:#b3261e}
.void{color:#8a8f99;text-decoration:line-through}
.total td{font-size:20px;font-weight:700;border-bottom:none;padding-top:12px}
.exit{text-align:center;margin-top:22px;padding-top:14px;border-top:2px dashed #d3d7de}
.exit svg{width:220px;height:220px}
.code{font:11px ui-monospace,monospace;color:#8a8f99;word-break:break-all}
.langs{text-align:center;margin-top:18px;font-size:14px}
.langs a{margin:0 8px;color:#1a5fb4}
footer{text-align:center;color:#5b6475;margin-top:16px}
"""


def _page(title: str, lang: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{HTML_LANG.get(lang, "en")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def render_pending(lang: str) -> str:
    texts = {
        "en": "Your receipt is on its way. Please reload this page in a minute.",
        "zh": "电子小票正在生成，请稍后刷新本页。",
        "ko": "영수증을 준비하고 있습니다. 잠시 후 새로고침해 주세요.",
    }
    return _page(label("ereceipt", LANGS[lang]), lang, f"<p class='sub'>{texts[lang]}</p>")


def render(
    sale: StoredSale,
    store: StoreConfig,
    lang: str,
    self_url: str,
    collected: Sequence[CollectedOrder] = (),
) -> str:
    """The receipt page. `self_url` is this page's address without `lang`; `collected`, the
    group-buy orders collected with the sale."""
    doc = sale.document
    key = LANGS.get(lang, "en")
    currency = str(doc["currency"])
    rows = []
    for line in doc.get("lines", []):
        names = line.get("names") or {}
        name = names.get(key) or names.get("en") or line.get("gtin", "")
        if line.get("state") in {"voided", "removed"}:
            rows.append(
                f"<tr class='void'><td>{escape(name)}</td>"
                f"<td class='amt'>{escape(label('voided', key))}</td></tr>"
            )
            continue
        if line.get("weight_g") is not None:
            kg, grams = divmod(int(line["weight_g"]), 1000)
            unit = _plain(int(line.get("unit_price_minor") or 0), currency)
            detail = f"{kg}.{grams:03d} kg × {unit}/kg"
        else:
            unit = _plain(int(line.get("unit_price_minor") or 0), currency)
            detail = f"{line.get('quantity', 1)} × {unit}"
        discount = int(line.get("discount_minor") or 0)
        disc = f"<div class='disc'>−{escape(_plain(discount, currency))}</div>" if discount else ""
        rows.append(
            f"<tr><td>{escape(name)}<div class='detail'>{escape(detail)}</div></td>"
            f"<td class='amt'>{escape(_plain(int(line.get('gross_minor') or 0), currency))}"
            f"{disc}</td></tr>"
        )
    summary = [(label("subtotal", key), _plain(int(doc.get("subtotal_minor", 0)), currency), "")]
    for d in doc.get("discounts", []):
        summary.append(
            (d.get("description", ""), "−" + _plain(int(d["amount_minor"]), currency), "disc")
        )
    if doc.get("deposit_minor"):
        summary.append((label("deposit", key), _plain(int(doc["deposit_minor"]), currency), ""))
    for t in doc.get("taxes", []):
        summary.append(
            (f"{label('tax', key)} {int(t['rate_bp']) // 100}% ({t['tax_class']})",
             _plain(int(t["tax_minor"]), currency), "detail")
        )  # fmt: skip
    for tender in doc.get("tenders", []):
        summary.append(
            (f"{label('paid', key)} · {tender.get('method', '')}",
             _plain(int(tender.get("amount_minor", 0)), currency), "detail")
        )  # fmt: skip
    summary_rows = "".join(
        f"<tr class='{cls}'><td>{escape(a)}</td><td class='amt'>{escape(b)}</td></tr>"
        for a, b, cls in summary
    )
    total = _money(int(doc["total_minor"]), currency)
    items = f"{doc.get('item_count', 0)} {label('items', key)}"
    at = _at(doc)
    banners = []
    if doc.get("training"):
        banners.append(label("training", key))
    if doc.get("status") == "voided":
        banners.append(label("voided", key))
    banner = "".join(f"<div class='banner'>{escape(b)}</div>" for b in banners)
    exit_html = ""
    if sale.exit_code:
        svg = segno.make(sale.exit_code, error="m").svg_inline(scale=4, border=2)
        exit_html = (
            f"<div class='exit'><div>{escape(label('exit', key))}</div>{svg}"
            f"<div class='code'>{escape(sale.exit_code[:24])}…</div></div>"
        )
    body = (
        f"{_head(store, label('ereceipt', key))}{banner}"
        f"<div class='meta'><span>{escape(label('sale', key))} #{doc.get('sequence', '')}</span>"
        f"<span>{escape(at)}</span></div>"
        f"<table>{''.join(rows)}</table><table>{summary_rows}"
        f"<tr class='total'><td>{escape(label('total', key))} · {escape(items)}</td>"
        f"<td class='amt'>{escape(total)}</td></tr></table>"
        f"{_collected_html(collected, key)}{exit_html}"
        f"<footer>{escape(label('thanks', key))}</footer>"
        f"{_langs(self_url, lang)}"
    )
    return _page(f"{store.merchant_name} · {label('receipt', key)}", lang, body)


def _collected_html(collected: Sequence[CollectedOrder], key: str) -> str:
    """Each collected order's reference and buyer, then its goods (as on the paper)."""
    if not collected:
        return ""
    rows = []
    for order in collected:
        rows.append(
            f"<tr><td><b>{escape(label('order', key))} {escape(order.ref)}</b></td>"
            f"<td class='amt'>{escape(order.buyer)}</td></tr>"
        )
        rows += [
            f"<tr><td>{escape(line.name(key))}</td><td class='amt'>× {line.units}</td></tr>"
            for line in order.lines
        ]
    return (
        f"<table class='collected'><tr class='total'><td colspan='2'>"
        f"{escape(label('pickup', key))}</td></tr>{''.join(rows)}</table>"
    )


def _at(doc: dict[str, Any]) -> str:
    try:
        return datetime.fromisoformat(str(doc["created_at"])).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(doc.get("created_at", ""))


def _head(store: StoreConfig, title: str) -> str:
    return (
        f"<h1>{escape(store.merchant_name)}</h1>"
        f"<div class='sub'>{escape(store.address or store.merchant_city)}</div>"
        f"<div class='sub'>{escape(title)}</div>"
    )


def _langs(self_url: str, lang: str) -> str:
    links = "".join(
        f"<a href='{escape(self_url)}&amp;lang={code}'>{name}</a>"
        for code, name in (("zh", "中文"), ("ko", "한국어"), ("en", "English"))
        if code != lang
    )
    return f"<div class='langs'>{links}</div>"


def render_refund(
    refund: StoredRefund, store: StoreConfig, lang: str, self_url: str, sale_url: str
) -> str:
    """The refund's receipt page. `self_url` is this page's address without `lang`;
    `sale_url` opens the original sale's e-receipt."""
    key = LANGS.get(lang, "en")
    doc, sale = refund.document, refund.sale
    currency = refund.amount.currency
    names = {int(line["line_no"]): line.get("names") or {} for line in sale.get("lines", [])}
    rows = []
    for line in doc["lines"]:
        name = names.get(int(line["line_no"]), {})
        text = name.get(key) or name.get("en") or f"#{line['line_no']}"
        rows.append(
            f"<tr><td>{escape(text)}<div class='detail'>{int(line['quantity'])} ×</div></td>"
            f"<td class='amt'>−{escape(_plain(int(line['amount_minor']), currency))}</td></tr>"
        )
    done = refund.status == "refunded"
    summary = [(label("to", key), refund.method)]
    if doc.get("points_taken_back"):
        summary.append((label("points_back", key), f"−{int(doc['points_taken_back'])}"))
    if doc.get("points_returned"):
        summary.append((label("points_returned", key), str(int(doc["points_returned"]))))
    summary.extend((label("coupon_back", key), code) for code in doc.get("coupons_returned", []))
    summary_rows = "".join(
        f"<tr class='detail'><td>{escape(a)}</td><td class='amt'>{escape(b)}</td></tr>"
        for a, b in summary
    )
    sale_no = f"{label('sale', key)} #{sale.get('sequence', '')}"
    body = (
        f"{_head(store, label('refund', key))}"
        + ("" if done else f"<div class='banner'>{escape(label('pending', key))}</div>")
        + f"<div class='meta'><span>{escape(label('refund', key))} "
        f"{escape(refund.refund_id[-12:].upper())}</span><span>{escape(_at(doc))}</span></div>"
        f"<div class='meta'><a href='{escape(sale_url)}'>{escape(sale_no)}</a>"
        f"<span>{escape(_at(sale))}</span></div>"
        f"<table>{''.join(rows)}</table><table>{summary_rows}"
        f"<tr class='total'><td>{escape(label('refunded' if done else 'pending', key))}</td>"
        f"<td class='amt'>{escape(refund.amount.format())}</td></tr></table>"
        f"{_langs(self_url, lang)}"
    )
    return _page(f"{store.merchant_name} · {label('refund', key)}", lang, body)
