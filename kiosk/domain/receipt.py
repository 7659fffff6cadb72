"""The receipt: built from a finished sale, rendered as fixed-width lines for any printer.

Column widths count display cells, not characters: a Chinese or Korean character
takes two cells on a receipt printer (and a terminal), so names are cut and padded
by `cells()`, never by `len()`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.money import Money
from kiosk.domain.pickup import CollectedOrder
from kiosk.domain.refund import RefundPlan
from kiosk.domain.sale import Sale, SaleStatus

LABELS: dict[str, dict[str, str]] = {
    "en": {"receipt": "RECEIPT", "sale": "Sale", "kiosk": "Kiosk", "subtotal": "Subtotal",
           "savings": "You saved", "deposit": "Deposit", "total": "TOTAL", "tax": "incl. tax",
           "tax_added": "Tax", "paid": "Paid", "items": "items", "voided": "VOIDED",
           "training": "TRAINING - NOT A SALE", "reprint": "REPRINT", "member": "Member",
           "points": "Points earned", "exit": "Show this code at the exit",
           "ereceipt": "E-receipt", "thanks": "Thank you for shopping with us",
           "override": "price changed by staff, shelf price",
           "suspended": "SUSPENDED CART", "resume": "Scan at any kiosk to continue",
           "until": "Valid until", "number": "No.",
           "refund": "REFUND",
           "refunded": "Refunded", "pending": "Refund on its way", "to": "to",
           "points_back": "Points taken back", "points_returned": "Points returned",
           "coupon_back": "Coupon back in your wallet", "by": "Staff",
           "pickup": "GROUP-BUY PICKUP (PREPAID)", "order": "Order"},
    "zh_CN": {"receipt": "购物小票", "sale": "流水号", "kiosk": "自助机", "subtotal": "小计",
              "savings": "已优惠", "deposit": "押金", "total": "合计", "tax": "含税",
              "tax_added": "税额", "paid": "已付", "items": "件", "voided": "已作废",
              "training": "培训模式 - 非真实交易", "reprint": "补打", "member": "会员",
              "points": "本次积分", "exit": "出口处请出示此码", "ereceipt": "电子小票",
              "thanks": "感谢您的光临", "override": "员工已改价，原价",
              "suspended": "挂单", "resume": "在任一自助机扫码继续结账", "until": "有效期至",
              "number": "编号",
              "refund": "退款单",
              "refunded": "已退款", "pending": "退款处理中", "to": "退至",
              "points_back": "扣回积分", "points_returned": "退还积分",
              "coupon_back": "优惠券已退回卡包", "by": "经办员工",
              "pickup": "团购提货（已预付）", "order": "订单"},
    "ko": {"receipt": "영수증", "sale": "거래번호", "kiosk": "키오스크", "subtotal": "소계",
           "savings": "할인 금액", "deposit": "보증금", "total": "합계", "tax": "부가세 포함",
           "tax_added": "세금", "paid": "결제", "items": "개", "voided": "취소됨",
           "training": "교육 모드 - 실제 거래 아님", "reprint": "재발행", "member": "회원",
           "points": "적립 포인트", "exit": "출구에서 이 코드를 보여 주세요",
           "ereceipt": "전자 영수증", "thanks": "이용해 주셔서 감사합니다",
           "override": "직원이 가격 변경, 정가",
           "suspended": "보류된 장바구니", "resume": "아무 키오스크에서나 스캔해 계속하세요",
           "until": "유효 기한", "number": "번호",
           "refund": "환불 영수증",
           "refunded": "환불 완료", "pending": "환불 처리 중", "to": "환불 수단",
           "points_back": "회수 포인트", "points_returned": "반환 포인트",
           "coupon_back": "쿠폰이 지갑으로 반환됨", "by": "담당 직원",
           "pickup": "공동구매 수령 (선결제)", "order": "주문"},
}  # fmt: skip


def label(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"][key]


def cells(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Cut `text` to at most `width` cells and pad it to exactly `width`."""
    out, used = [], 0
    for ch in text:
        w = cells(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def left_right(left: str, right: str, width: int) -> str:
    return fit(left, max(0, width - cells(right) - 1)) + " " + right


@dataclass(frozen=True, slots=True)
class StoreInfo:
    name: str
    address: str = ""
    tax_id: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    detail: str  # "2 x 3.50", "0.734 kg x 12.80/kg"
    amount: Money
    discount: Money
    voided: bool


@dataclass(frozen=True, slots=True)
class Receipt:
    store: StoreInfo
    kiosk_id: str
    sale_id: str
    sequence: int
    at: datetime
    status: SaleStatus
    training: bool
    lines: tuple[ReceiptLine, ...]
    discounts: tuple[tuple[str, Money], ...]
    taxes: tuple[tuple[str, int, Money], ...]
    tax_added: bool
    subtotal: Money
    discount_total: Money
    deposit_total: Money
    total: Money
    item_count: int
    tenders: tuple[tuple[str, Money, str], ...]
    member: str | None = None
    points: int | None = None
    exit_code: str | None = None
    e_receipt_url: str | None = None
    reprint: bool = False
    collected: tuple[CollectedOrder, ...] = ()
    """Group-buy orders collected at the kiosk with this sale (prepaid: not in the total,
    but their goods leave under the same exit code)."""


def _plain(amount: Money) -> str:
    return amount.format().rsplit(" ", 1)[0]


def build_receipt(
    sale: Sale,
    store: StoreInfo,
    lang: str,
    *,
    tax_added: bool = False,
    exit_code: str | None = None,
    e_receipt_url: str | None = None,
    member: str | None = None,
    points: int | None = None,
    collected: tuple[CollectedOrder, ...] = (),
) -> Receipt:
    priced = {line.line_no: line for line in sale.priced.lines}
    lines = []
    for line in sale.cart.lines:
        names = sale.product_names.get(line.gtin, {})
        name = names.get(lang) or names.get("en") or line.gtin
        p = priced.get(line.line_no)
        zero = Money.zero(sale.priced.currency)
        if p is None:  # removed or voided: shown struck off with what it would have cost
            lines.append(ReceiptLine(name, "", zero, zero, voided=True))
            continue
        if p.weight_g is not None:
            kg, grams = divmod(p.weight_g, 1000)
            detail = f"{kg}.{grams:03d} kg x {_plain(p.unit_price)}/kg"
        elif line.embedded_price is not None:
            detail = ""
        else:
            detail = f"{p.quantity} x {_plain(p.unit_price)}"
        if line.override is not None:
            shelf = Money(line.override.shelf_minor, sale.priced.currency)
            detail = f"{detail} ({label('override', lang)} {_plain(shelf)})".lstrip()
        # The line's own savings, as the cart showed them; the basket's are listed below.
        lines.append(ReceiptLine(name, detail, p.gross, p.own_discount, voided=False))
    return Receipt(
        store=store,
        kiosk_id=sale.kiosk_id,
        sale_id=sale.sale_id,
        sequence=sale.sequence,
        at=sale.created_at,
        status=sale.status,
        training=sale.training,
        lines=tuple(lines),
        discounts=tuple((d.description, d.amount) for d in sale.priced.discounts),
        taxes=tuple((t.tax_class, t.rate_bp, t.tax) for t in sale.priced.taxes),
        tax_added=tax_added,
        subtotal=sale.priced.subtotal,
        discount_total=sale.priced.discount_total,
        deposit_total=sale.priced.deposit_total,
        total=sale.priced.total,
        item_count=sale.priced.item_count,
        tenders=tuple((t.method, t.amount, t.reference) for t in sale.tenders),
        member=member,
        points=points,
        exit_code=exit_code,
        e_receipt_url=e_receipt_url,
        collected=collected,
    )


def render_text(receipt: Receipt, lang: str, width: int = 42) -> list[str]:
    """The receipt as lines of exactly `width` cells or fewer (codes are printed apart)."""
    rule = "-" * width

    def center(text: str) -> str:
        return " " * max(0, (width - cells(text)) // 2) + text

    out = [center(receipt.store.name)]
    out += [center(x) for x in (receipt.store.address, receipt.store.phone) if x]
    if receipt.store.tax_id:
        out.append(center(receipt.store.tax_id))
    if receipt.training:
        out.append(center(f"*** {label('training', lang)} ***"))
    if receipt.reprint:
        out.append(center(f"*** {label('reprint', lang)} ***"))
    if receipt.status is SaleStatus.VOIDED:
        out.append(center(f"*** {label('voided', lang)} ***"))
    out.append(rule)
    out.append(
        left_right(
            f"{label('sale', lang)} #{receipt.sequence}",
            receipt.at.strftime("%Y-%m-%d %H:%M"),
            width,
        )
    )
    out.append(
        left_right(f"{label('kiosk', lang)} {receipt.kiosk_id}", receipt.sale_id[-12:], width)
    )
    out.append(rule)
    for line in receipt.lines:
        if line.voided:
            out.append(left_right(line.name, label("voided", lang), width))
            continue
        out.append(left_right(line.name, _plain(line.amount), width))
        if line.detail:
            out.append("  " + line.detail)
        if line.discount.minor:
            out.append(left_right("", f"-{_plain(line.discount)}", width))
    out.append(rule)
    out.append(left_right(label("subtotal", lang), _plain(receipt.subtotal), width))
    for description, amount in receipt.discounts:
        out.append(left_right("  " + description, f"-{_plain(amount)}", width))
    if receipt.deposit_total.minor:
        out.append(left_right(label("deposit", lang), _plain(receipt.deposit_total), width))
    for tax_class, rate_bp, tax in receipt.taxes:
        name = label("tax_added" if receipt.tax_added else "tax", lang)
        out.append(left_right(f"  {name} {rate_bp // 100}% ({tax_class})", _plain(tax), width))
    out.append(
        left_right(
            f"{label('total', lang)} ({receipt.item_count} {label('items', lang)})",
            receipt.total.format(),
            width,
        )
    )
    if receipt.discount_total.minor:
        out.append(left_right(label("savings", lang), _plain(receipt.discount_total), width))
    for method, amount, reference in receipt.tenders:
        out.append(left_right(f"{label('paid', lang)} {method}", _plain(amount), width))
        if reference:
            out.append("  " + reference[: width - 2])
    if receipt.member:
        out.append(left_right(label("member", lang), receipt.member, width))
    if receipt.points is not None:
        out.append(left_right(label("points", lang), str(receipt.points), width))
    out.append(rule)
    if receipt.collected:
        out += collected_lines(receipt.collected, lang, width)
        out.append(rule)
    if receipt.exit_code:
        out.append(center(label("exit", lang)))
    out.append(center(label("thanks", lang)))
    return out


def collected_lines(collected: tuple[CollectedOrder, ...], lang: str, width: int) -> list[str]:
    """The group-buy orders collected: each order's reference and buyer, then its goods."""
    out = [label("pickup", lang)]
    for order in collected:
        out.append(left_right(f"{label('order', lang)} {order.ref}", order.buyer, width))
        out += [
            left_right("  " + line.name(lang), f"x {line.units}", width) for line in order.lines
        ]
    return out


def pickup_slip(
    store: StoreInfo,
    kiosk_id: str,
    collected: tuple[CollectedOrder, ...],
    at: datetime,
    lang: str,
    width: int = 42,
) -> list[str]:
    """The slip printed for group-buy orders collected with nothing bought (its exit code
    is printed apart, as a QR): what was collected, when, and where to show the code."""

    def center(text: str) -> str:
        return " " * max(0, (width - cells(text)) // 2) + text

    units = sum(order.units for order in collected)
    return [
        center(store.name),
        "-" * width,
        left_right(f"{label('kiosk', lang)} {kiosk_id}", at.strftime("%Y-%m-%d %H:%M"), width),
        *collected_lines(collected, lang, width),
        left_right("", f"{units} {label('items', lang)}", width),
        "-" * width,
        center(label("exit", lang)),
        center(label("thanks", lang)),
    ]


def transfer_slip(
    store: StoreInfo,
    kiosk_id: str,
    number: str,
    total: Money,
    item_count: int,
    until: datetime,
    lang: str,
    width: int = 42,
) -> list[str]:
    """The slip printed for a suspended cart (its transfer code is printed apart, as a
    QR): what it is, how much, until when, and the number a lane without a scanner types."""

    def center(text: str) -> str:
        return " " * max(0, (width - cells(text)) // 2) + text

    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return [
        center(store.name),
        "-" * width,
        center(f"*** {label('suspended', lang)} ***"),
        left_right(
            f"{label('kiosk', lang)} {kiosk_id}", f"{item_count} {label('items', lang)}", width
        ),
        left_right(label("total", lang), _plain(total), width),
        left_right(label("until", lang), until.strftime("%Y-%m-%d %H:%M"), width),
        "-" * width,
        center(label("resume", lang)),
        center(f"{label('number', lang)} {grouped}"),
    ]


def render_refund(
    plan: RefundPlan,
    sale: Mapping[str, Any],
    refund_id: str,
    store: StoreInfo,
    *,
    refunded: bool,
    method: str,
    staff_id: str,
    at: datetime,
    lang: str,
    width: int = 42,
) -> list[str]:
    """The refund receipt: which lines came back, how much, to what, and the points."""
    rule = "-" * width
    names = {int(line["line_no"]): line.get("names") or {} for line in sale["lines"]}

    def money(minor: int) -> str:
        return _plain(Money(minor, plan.currency))

    out = [" " * max(0, (width - cells(store.name)) // 2) + store.name]
    out.append(" " * max(0, (width - cells(label("refund", lang))) // 2) + label("refund", lang))
    out.append(rule)
    out.append(
        left_right(
            f"{label('sale', lang)} #{sale['sequence']}", at.strftime("%Y-%m-%d %H:%M"), width
        )
    )
    out.append(left_right(f"{label('kiosk', lang)} {sale['kiosk_id']}", refund_id[-12:], width))
    out.append(rule)
    for line in plan.lines:
        name = names.get(line.line_no, {})
        text = name.get(lang) or name.get("en") or f"#{line.line_no}"
        out.append(left_right(fit(text, width - 12), f"-{money(line.amount_minor)}", width))
        out.append(f"  {line.quantity} x")
    out.append(rule)
    total = Money(plan.amount_minor, plan.currency).format()
    out.append(left_right(label("refunded" if refunded else "pending", lang), total, width))
    out.append(left_right(label("to", lang), method, width))
    if plan.points_taken_back:
        out.append(left_right(label("points_back", lang), str(-plan.points_taken_back), width))
    if plan.points_returned:
        out.append(left_right(label("points_returned", lang), str(plan.points_returned), width))
    out.extend(f"{label('coupon_back', lang)}: {code}" for code in plan.coupons_returned)
    out.append(left_right(label("by", lang), staff_id, width))
    return out
