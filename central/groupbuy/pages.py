"""Pages of group-buy: the store's printable pick list, and the shopper's phone pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import segno

from kiosk.domain.money import Money
from sync.groupbuy_protocol import PROBLEM_REASONS, CampaignReport, CampaignView, OrderView

_PRINT_CSS = """
body{font:14px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
table{border-collapse:collapse;width:100%;margin-bottom:18px}
th,td{border:1px solid #999;padding:4px 8px;text-align:left}
td.n{text-align:right}.ref{font:600 15px ui-monospace,monospace}
@media print{.noprint{display:none}}
"""


def pick_list_page(title: str, store_id: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """One table per order (what goes in each bag), then the totals per product (what to
    take from the stockroom)."""
    totals: dict[tuple[str, str], int] = {}
    orders: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        orders.setdefault(str(row["order"]), []).append(row)
        key = (str(row["gtin"]), str(row["product"]))
        totals[key] = totals.get(key, 0) + int(row["quantity"])
    sum_rows = "".join(
        f"<tr><td>{escape(gtin)}</td><td>{escape(name)}</td><td class='n'>{n}</td></tr>"
        for (gtin, name), n in sorted(totals.items())
    )
    bags = "".join(
        f"<tr><td class='ref'>{escape(ref)}</td><td>{escape(str(lines[0]['buyer']))}</td><td>"
        + "<br>".join(f"{escape(str(line['product']))} × {int(line['quantity'])}" for line in lines)
        + "</td><td>☐</td></tr>"
        for ref, lines in orders.items()
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · pick list</title><style>{_PRINT_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>Store {escape(store_id)} · {len(orders)} orders</p>"
        "<h2>Products · 商品合计</h2><table id='totals'><tr><th>GTIN</th><th>Product</th>"
        f"<th>Units</th></tr>{sum_rows}</table>"
        "<h2>Orders · 订单</h2><table id='orders'><tr><th>Order</th><th>Buyer</th>"
        f"<th>Goods</th><th>Packed</th></tr>{bags}</table>"
        "<button class='noprint' onclick='window.print()'>Print · 打印</button></body></html>"
    )


# ---------------------------------------------------------------- the shopper's phone

TEXT: dict[str, dict[str, str]] = {
    "zh_CN": {
        "html": "zh-CN", "joined": "人已参团", "now": "当前团购价",
        "next": "再有 {n} 人参团，降至 {price}", "lowest": "已达最低价",
        "group_price": "团购价", "cutoff": "截单时间", "pickup": "自提时间",
        "store": "自提门店", "left": "剩余 {n}", "limit": "每人限购 {n}",
        "name": "称呼", "phone": "手机号", "order": "下单并支付",
        "closed": "本团已截单", "tiers": "阶梯价", "from_n": "满 {n} 人",
        "status": "订单状态", "pay": "去支付", "paid": "已付款",
        "final": "截单后实付", "refund": "退款", "cancel": "取消订单",
        "code": "到店出示此码，在自助机扫码取货", "refresh": "刷新",
        "pending": "待支付", "st_paid": "已支付，等待截单", "ready": "可以取货了",
        "partly_collected": "已取部分", "collected": "已取货", "cancelled": "已取消",
        "expired": "未支付，已关闭", "unclaimed": "未取货，已退款", "kept": "为你保留中",
        "k_difference": "差价退款", "k_cancel": "取消退款", "k_unclaimed": "未取货退款",
        "rf_refunded": "已退回", "rf_pending": "处理中", "rf_processing": "处理中",
        "rf_failed": "失败，请联系门店", "total": "合计",
        "form_error": "请填写称呼、手机号，并至少选择一件商品",
        "k_problem": "售后退款", "ratings": "{n} 条评价", "no_ratings": "暂无评价",
        "rate": "评价本次团购", "your_review": "我的评价", "edit_review": "修改评价",
        "stars": "评分", "star_n": "{n} 星", "review_text": "说点什么（选填）",
        "send_review": "提交评价", "problem": "售后申请", "report": "申请售后",
        "which": "哪件商品", "how_many": "数量", "reason": "原因", "note": "补充说明（选填）",
        "photo": "照片（选填，拍下问题所在）",
        "photo_error": "照片无法读取：请上传 JPEG 或 PNG 照片，或不附照片提交",
        "photo_too_large": "照片太大（最多 12 MB）：请换一张较小的照片，或不附照片提交",
        "photo_busy": "正在处理的照片较多，请稍等片刻再提交",
        "send_problem": "提交申请", "r_damaged": "商品破损", "r_missing": "少件",
        "r_wrong_item": "发错商品", "r_quality": "质量问题", "r_other": "其他",
        "p_open": "门店处理中", "p_refunded": "已退款 {amount}", "p_rejected": "未通过：{answer}",
        "back": "返回订单", "review_error": "请选择 1 到 5 星",
        "problem_error": "请选择商品、数量和原因",
        "report_until": "售后申请可提交至 {until}", "reports_closed": "售后申请已于 {until} 截止",
        "leader_title": "团长中心", "campaign": "团购", "buyers": "参团人数",
        "tier": "已达价格", "revenue": "成交额", "commission": "佣金",
        "problems_open": "待处理售后", "c_open": "进行中", "c_cut_off": "已截单",
        "c_closed": "已结束", "no_campaigns": "还没有团购",
    },
    "ko": {
        "html": "ko", "joined": "명 참여", "now": "현재 공동구매가",
        "next": "{n}명 더 참여하면 {price}", "lowest": "최저가 달성",
        "group_price": "공동구매가", "cutoff": "마감", "pickup": "픽업 시간",
        "store": "픽업 매장", "left": "남은 수량 {n}", "limit": "1인 {n}개 한정",
        "name": "이름", "phone": "휴대폰 번호", "order": "주문하고 결제",
        "closed": "마감된 공동구매입니다", "tiers": "단계별 가격", "from_n": "{n}명부터",
        "status": "주문 상태", "pay": "결제하기", "paid": "결제 금액",
        "final": "마감 후 최종 금액", "refund": "환불", "cancel": "주문 취소",
        "code": "매장 셀프 계산대에서 이 코드를 스캔하고 상품을 받으세요",
        "refresh": "새로고침", "pending": "결제 대기", "st_paid": "결제 완료, 마감 대기",
        "ready": "픽업 준비 완료", "partly_collected": "일부 수령", "collected": "수령 완료",
        "cancelled": "취소됨", "expired": "미결제로 종료", "unclaimed": "미수령, 환불됨",
        "kept": "보관 중", "k_difference": "차액 환불", "k_cancel": "취소 환불",
        "k_unclaimed": "미수령 환불", "rf_refunded": "환불 완료", "rf_pending": "처리 중",
        "rf_processing": "처리 중", "rf_failed": "실패, 매장에 문의하세요", "total": "합계",
        "form_error": "이름과 휴대폰 번호를 입력하고 상품을 하나 이상 선택하세요",
        "k_problem": "A/S 환불", "ratings": "리뷰 {n}개", "no_ratings": "아직 리뷰가 없습니다",
        "rate": "이 공동구매 평가하기", "your_review": "내 리뷰", "edit_review": "리뷰 수정",
        "stars": "별점", "star_n": "{n}점", "review_text": "한마디 (선택)",
        "send_review": "리뷰 등록", "problem": "A/S 신청", "report": "문제 신고",
        "which": "상품", "how_many": "수량", "reason": "사유", "note": "추가 설명 (선택)",
        "photo": "사진 (선택, 문제 부분을 찍어 주세요)",
        "photo_error": "사진을 읽을 수 없습니다. JPEG 또는 PNG 사진을 올리거나 사진 없이 "
        "보내 주세요",
        "photo_too_large": "사진이 너무 큽니다(최대 12 MB). 더 작은 사진을 올리거나 사진 없이 "
        "보내 주세요",
        "photo_busy": "처리 중인 사진이 많습니다. 잠시 후 다시 보내 주세요",
        "send_problem": "신청하기", "r_damaged": "파손", "r_missing": "수량 부족",
        "r_wrong_item": "오배송", "r_quality": "품질 문제", "r_other": "기타",
        "p_open": "매장에서 처리 중", "p_refunded": "{amount} 환불 완료",
        "p_rejected": "거절됨: {answer}", "back": "주문으로 돌아가기",
        "review_error": "별점을 1~5점 중에서 고르세요",
        "problem_error": "상품, 수량, 사유를 선택하세요",
        "report_until": "{until}까지 A/S를 신청할 수 있습니다",
        "reports_closed": "A/S 신청이 {until}에 마감되었습니다",
        "leader_title": "리더 페이지", "campaign": "공동구매", "buyers": "참여 인원",
        "tier": "달성 가격", "revenue": "매출", "commission": "수수료",
        "problems_open": "처리 대기 A/S", "c_open": "진행 중", "c_cut_off": "마감됨",
        "c_closed": "종료", "no_campaigns": "공동구매가 아직 없습니다",
    },
    "en": {
        "html": "en", "joined": "joined", "now": "Group price now",
        "next": "{n} more buyers and it drops to {price}", "lowest": "Lowest price reached",
        "group_price": "Group price", "cutoff": "Orders close", "pickup": "Pickup",
        "store": "Pickup store", "left": "{n} left", "limit": "Max {n} per person",
        "name": "Your name", "phone": "Phone", "order": "Order and pay",
        "closed": "This group-buy has closed", "tiers": "Price tiers",
        "from_n": "from {n} buyers", "status": "Order status", "pay": "Pay now",
        "paid": "Paid", "final": "Final price", "refund": "Refund", "cancel": "Cancel order",
        "code": "Scan this code at a self-checkout in the store to collect your order",
        "refresh": "Refresh", "pending": "Waiting for payment",
        "st_paid": "Paid, waiting for the cut-off", "ready": "Ready for pickup",
        "partly_collected": "Partly collected", "collected": "Collected",
        "cancelled": "Cancelled", "expired": "Not paid, closed",
        "unclaimed": "Not collected, refunded", "kept": "Kept for you",
        "k_difference": "Price difference", "k_cancel": "Cancellation",
        "k_unclaimed": "Not collected", "rf_refunded": "refunded", "rf_pending": "in progress",
        "rf_processing": "in progress", "rf_failed": "failed: ask the store", "total": "Total",
        "form_error": "Fill in your name and phone, and choose at least one product",
        "k_problem": "After-sales refund", "ratings": "{n} ratings", "no_ratings": "No ratings yet",
        "rate": "Rate this group-buy", "your_review": "Your rating",
        "edit_review": "Change your rating", "stars": "Stars", "star_n": "{n} stars",
        "review_text": "A few words (optional)", "send_review": "Send rating",
        "problem": "After-sales", "report": "Report a problem", "which": "Which product",
        "how_many": "How many", "reason": "What is wrong", "note": "Details (optional)",
        "photo": "Photo (optional: what is wrong)",
        "photo_error": "The photo could not be read: send a JPEG or PNG photo, or none",
        "photo_too_large": "The photo is too large (12 MB at most): send a smaller one, or none",
        "photo_busy": "Many photos are being sent just now: send it again in a moment",
        "send_problem": "Send to the store", "r_damaged": "Damaged", "r_missing": "Missing",
        "r_wrong_item": "Wrong item", "r_quality": "Quality", "r_other": "Other",
        "p_open": "The store is looking at it", "p_refunded": "Refunded {amount}",
        "p_rejected": "Declined: {answer}", "back": "Back to the order",
        "review_error": "Choose 1 to 5 stars",
        "problem_error": "Choose the product, how many and what is wrong",
        "report_until": "Problems can be reported until {until}",
        "reports_closed": "Problem reports closed at {until}",
        "leader_title": "Leader's page", "campaign": "Group-buy", "buyers": "Buyers",
        "tier": "Price reached", "revenue": "Revenue", "commission": "Commission",
        "problems_open": "Open problems", "c_open": "Open", "c_cut_off": "Cut off",
        "c_closed": "Closed", "no_campaigns": "No group-buys yet",
    },
}  # fmt: skip

_PHONE_CSS = """
body{margin:0;background:#f4f1ea;font:16px/1.45 system-ui,-apple-system,"Noto Sans CJK SC",
"Noto Sans CJK KR","Noto Sans",sans-serif;color:#222}
main{max-width:440px;margin:0 auto;background:#fff;min-height:100vh;padding:18px 16px 40px;
box-sizing:border-box}
h1{font-size:21px;margin:4px 0 6px}.muted{color:#6b6b6b;font-size:14px}
.langs{text-align:right;font-size:13px}.langs a{margin-left:10px;color:#b4441c}
.joined{display:flex;justify-content:space-between;align-items:center;background:#fff4e8;
border-radius:12px;padding:10px 14px;margin:12px 0}
.joined b{font-size:22px;color:#d9480f}.next{font-size:13px;color:#8a4b14}
.item{border-top:1px solid #eee;padding:12px 0;display:grid;grid-template-columns:1fr auto;
gap:4px 10px}.price{font-size:22px;font-weight:700;color:#d9480f}
.was{text-decoration:line-through;color:#999;font-size:13px;margin-left:6px}
.tiers{font-size:12px;color:#6b6b6b}.tiers .on{color:#d9480f;font-weight:700}
input{font:inherit;padding:10px;border:1px solid #ccc;border-radius:8px;width:100%;
box-sizing:border-box}input.qty{width:72px;text-align:center}
label{display:block;margin-top:10px;font-size:14px}
button,.button{display:block;width:100%;margin-top:18px;padding:14px;border:0;border-radius:12px;
font:700 18px system-ui,sans-serif;background:#d9480f;color:#fff;text-align:center;
text-decoration:none;box-sizing:border-box}
.secondary{background:#eceae4;color:#333;font-weight:600;font-size:16px}
.status{font-size:20px;font-weight:700;margin:10px 0;color:#0b7a3e}
.status.pending{color:#b26a00}.status.off{color:#888}
.error{background:#fdecea;color:#a4271b;border-radius:8px;padding:10px;margin:10px 0}
.qr{text-align:center;margin:16px 0}.qr svg{width:240px;height:240px}
table{width:100%;border-collapse:collapse;font-size:15px}td{padding:6px 0}
td.n{text-align:right;white-space:nowrap}
.rating{color:#b26a00;font-size:15px;margin:2px 0}
.stars{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:4px;margin:8px 0}
.stars input{position:absolute;opacity:0;width:1px;height:1px}
.stars label{display:inline-block;margin:0;font-size:40px;line-height:48px;width:48px;
text-align:center;color:#ccc;cursor:pointer}
.stars input:checked~label,.stars label:hover,.stars label:hover~label{color:#f59f00}
.stars input:focus-visible+label{outline:3px solid #1c6dd0;border-radius:8px}
textarea,select{font:inherit;padding:10px;border:1px solid #ccc;border-radius:8px;width:100%;
box-sizing:border-box;background:#fff}
.choice{display:flex;align-items:center;gap:10px;border:1px solid #ddd;border-radius:10px;
padding:10px;margin:8px 0;min-height:48px}.choice input{width:24px;height:24px;margin:0}
.box{background:#f7f7f5;border-radius:12px;padding:10px 14px;margin:14px 0}
.box h2{font-size:17px;margin:0 0 6px}.problem{border-top:1px solid #e4e2dc;padding:8px 0}
.problem:first-of-type{border-top:0}.outcome{font-weight:600}.outcome.refunded{color:#0b7a3e}
.outcome.rejected{color:#a4271b}.outcome.open{color:#b26a00}
.card{border:1px solid #e4e2dc;border-radius:12px;padding:12px 14px;margin:12px 0}
.card h2{font-size:18px;margin:0 0 6px}.card table td{padding:3px 0}
.sr{position:absolute;left:-9999px}fieldset{border:0;padding:0;margin:10px 0}
"""

_LOCAL_TIMES = (
    "<script>document.querySelectorAll('time').forEach(function(t){t.textContent="
    "new Date(t.dateTime).toLocaleString(document.documentElement.lang,"
    "{dateStyle:'medium',timeStyle:'short'})})</script>"
)


def _t(lang: str, key: str, **values: object) -> str:
    return escape(TEXT[lang][key].format(**values))


def _money(minor: int, currency: str) -> str:
    return escape(Money(minor, currency).format())


def _name(names: Mapping[str, str], lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


def _stars(n: int) -> str:
    return "★" * n + "☆" * (5 - n)


def rating_line(lang: str, count: int, average: float | None) -> str:
    if not count or average is None:
        return f"<div class='rating' id='rating'>{_t(lang, 'no_ratings')}</div>"
    return (
        f"<div class='rating' id='rating'><span aria-hidden='true'>{_stars(round(average))}"
        f"</span> <b>{average:.1f}</b> · {_t(lang, 'ratings', n=count)}</div>"
    )


def _when(iso: str) -> str:
    return f"<time datetime='{escape(iso)}'>{escape(iso[:16].replace('T', ' '))} UTC</time>"


def _phone_page(lang: str, title: str, body: str, self_url: str) -> str:
    links = "".join(
        f"<a href='{escape(self_url)}&amp;lang={code}'>{name}</a>"
        for code, name in (("zh_CN", "中文"), ("ko", "한국어"), ("en", "English"))
        if code != lang
    )
    return (
        f'<!doctype html><html lang="{TEXT[lang]["html"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_PHONE_CSS}</style></head><body><main>"
        f"<div class='langs'>{links}</div>{body}</main>{_LOCAL_TIMES}</body></html>"
    )


def campaign_page(
    view: CampaignView, lang: str, share: str, order_id: str, error: str | None = None
) -> str:
    """The campaign as the chat group's link opens it: who joined, the price now, the
    next tier, and the order form (a fresh order id in it, so a double tap is one order)."""
    self_url = f"/g/{view.campaign_id}?s={share}"
    items = []
    for item in view.items:
        tiers = " · ".join(
            f"<span class='{'on' if n == item.level else ''}'>"
            f"{_t(lang, 'group_price') if n == 0 else _t(lang, 'from_n', n=b)} "
            f"{_money(p, view.currency)}</span>"
            for n, (b, p) in enumerate(
                [(1, item.base_minor), *((t.min_buyers, t.price_minor) for t in item.tiers)]
            )
        )
        was = (
            f"<span class='was'>{_money(item.base_minor, view.currency)}</span>"
            if item.price_minor != item.base_minor
            else ""
        )
        qty = (
            f"<input class='qty' type='number' inputmode='numeric' min='0' "
            f"max='{min(item.per_person, item.left)}' value='0' name='qty_{item.gtin}' "
            f"id='qty_{item.gtin}' aria-label='{escape(_name(item.names, lang))}'>"
            if view.status == "open" and item.left
            else ""
        )
        items.append(
            f"<div class='item'><div><div>{escape(_name(item.names, lang))}</div>"
            f"<span class='price'>{_money(item.price_minor, view.currency)}</span>{was}"
            f"<div class='tiers'>{tiers}</div><div class='muted'>"
            f"{_t(lang, 'left', n=item.left)} · {_t(lang, 'limit', n=item.per_person)}"
            f"</div></div><div>{qty}</div></div>"
        )
    following = [i.next_tier for i in view.items if i.next_tier is not None]
    nearest = min(following, key=lambda t: t.min_buyers) if following else None
    next_text = (
        _t(lang, "lowest")
        if nearest is None
        else _t(
            lang,
            "next",
            n=nearest.min_buyers - view.buyers,
            price=Money(nearest.price_minor, view.currency).format(),
        )
    )
    if view.status == "open":
        form = (
            f"<form method='post' action='/g/{escape(view.campaign_id)}/join' id='join'>"
            f"<input type='hidden' name='s' value='{escape(share)}'>"
            f"<input type='hidden' name='lang' value='{lang}'>"
            f"<input type='hidden' name='order_id' value='{escape(order_id)}'>"
            f"{''.join(items)}"
            f"<label>{_t(lang, 'name')}<input name='buyer' id='buyer' maxlength='64' required>"
            f"</label><label>{_t(lang, 'phone')}<input name='phone' id='phone' type='tel' "
            "inputmode='tel' pattern='\\+?[0-9]{5,20}' required></label>"
            f"<button id='order'>{_t(lang, 'order')}</button></form>"
        )
    else:
        form = "".join(items) + f"<div class='status off'>{_t(lang, 'closed')}</div>"
    body = (
        f"<h1>{escape(view.title)}</h1><div class='muted'>{escape(view.leader)}</div>"
        f"{rating_line(lang, view.ratings, view.rating_avg)}"
        f"<div class='joined'><div><b id='buyers'>{view.buyers}</b> "
        f"{_t(lang, 'joined')}</div><div class='next' id='next'>{next_text}"
        "</div></div>"
        f"<div class='muted'>{_t(lang, 'cutoff')}: {_when(view.cutoff_at)}<br>"
        f"{_t(lang, 'pickup')}: {_when(view.pickup_from)} – {_when(view.pickup_until)}<br>"
        f"{_t(lang, 'store')}: {escape(view.store_id)}</div>"
        + (f"<div class='error' id='error'>{escape(error)}</div>" if error else "")
        + form
    )
    return _phone_page(lang, view.title, body, self_url)


def order_page(
    order: OrderView, campaign: CampaignView, lang: str, token: str, can_cancel: bool
) -> str:
    """The shopper's order: its status, what was paid and given back, the pay button
    while it is unpaid, the pickup code once paid, and cancel before the cut-off."""
    self_url = f"/g/o/{order.order_id}?t={token}"
    status_key = "st_paid" if order.status == "paid" else order.status
    tone = {"pending": "pending", "cancelled": "off", "expired": "off", "unclaimed": "off"}
    lines = "".join(
        f"<tr><td>{escape(_name(line.names, lang))} × {line.quantity}</td>"
        f"<td class='n'>{_money(line.quantity * line.unit_minor, order.currency)}</td></tr>"
        for line in order.lines
    )
    money = f"<tr><td><b>{_t(lang, 'paid')}</b></td><td class='n' id='paid'>" + (
        f"{_money(order.paid_minor, order.currency)}</td></tr>"
    )
    if order.final_minor is not None:
        money += (
            f"<tr><td>{_t(lang, 'final')}</td><td class='n' id='final'>"
            f"{_money(order.final_minor, order.currency)}</td></tr>"
        )
    refunds = "".join(
        f"<tr class='refund'><td>{_t(lang, 'k_' + r.kind)}"
        f" · {_t(lang, 'rf_' + r.status)}</td>"
        f"<td class='n'>−{_money(r.amount_minor, order.currency)}</td></tr>"
        for r in order.refunds
    )
    actions = ""
    if order.pay_url:
        actions += (
            f"<a class='button' id='pay' href='{escape(order.pay_url)}'>{_t(lang, 'pay')}</a>"
        )
    if order.pickup_code:
        svg = segno.make(order.pickup_code, error="m").svg_inline(scale=4, border=2)
        actions += (
            f"<div class='qr' id='pickup'>{svg}<div class='muted'>{_t(lang, 'code')}</div></div>"
        )
    actions += _after_sales(order, lang, token)
    if can_cancel:
        actions += (
            f"<form method='post' action='/g/o/{escape(order.order_id)}/cancel'>"
            f"<input type='hidden' name='t' value='{escape(token)}'>"
            f"<input type='hidden' name='lang' value='{lang}'>"
            f"<button class='secondary' id='cancel'>{_t(lang, 'cancel')}</button></form>"
        )
    actions += (
        f"<a class='button secondary' id='refresh' href='{escape(self_url)}&amp;lang={lang}'>"
        f"{_t(lang, 'refresh')}</a>"
    )
    body = (
        f"<h1>{escape(campaign.title)}</h1><div class='muted'>{_t(lang, 'status')} · "
        f"{escape(order.buyer)}</div>"
        f"<div class='status {tone.get(order.status, '')}' id='status'>{_t(lang, status_key)}</div>"
        f"<table>{lines}{money}{refunds}</table>"
        f"<div class='muted'>{_t(lang, 'pickup')}: {_when(campaign.pickup_from)} – "
        f"{_when(campaign.pickup_until)} · {escape(campaign.store_id)}</div>{actions}"
    )
    return _phone_page(lang, campaign.title, body, self_url)


def collected(order: OrderView) -> bool:
    """Something of the order was handed out: it may be rated, and problems reported."""
    return any(line.collected > 0 for line in order.lines)


def reportable(order: OrderView) -> bool:
    """A problem may still be reported with something collected (its window is open)."""
    return any(line.may_report for line in order.lines)


def _outcome(order: OrderView, lang: str, problem_status: str, amount: int | None,
             answer: str | None) -> str:  # fmt: skip
    if problem_status == "refunded":
        text = _t(lang, "p_refunded", amount=Money(amount or 0, order.currency).format())
    elif problem_status == "rejected":
        text = _t(lang, "p_rejected", answer=answer or "")
    else:
        text = _t(lang, "p_open")
    return f"<div class='outcome {problem_status}'>{text}</div>"


def _until(lang: str, iso: str, key: str = "report_until") -> str:
    """A text with a time in it: the template escaped, the `<time>` element put in."""
    return escape(TEXT[lang][key]).format(until=_when(iso))


def _after_sales(order: OrderView, lang: str, token: str) -> str:
    """Once collected: the buyer's rating (or the way to give one) and their problems
    with the store's answers, and the way to report one."""
    if not collected(order):
        return ""
    base = f"/g/o/{escape(order.order_id)}"
    query = f"?t={escape(token)}&amp;lang={lang}"
    review = order.review
    rated = (
        f"<div class='rating' id='my_rating'><span aria-hidden='true'>{_stars(review.stars)}"
        f"</span> {_t(lang, 'star_n', n=review.stars)}</div>"
        + (f"<div>{escape(review.text)}</div>" if review.text else "")
        if review is not None
        else ""
    )
    label = "edit_review" if review is not None else "rate"
    problems = "".join(
        f"<div class='problem' data-problem='{escape(p.problem_id)}'>"
        f"{escape(_name(p.names, lang))} × {p.quantity} · {_t(lang, 'r_' + p.reason)}"
        + (f"<div class='muted'>{escape(p.note)}</div>" if p.note else "")
        + _outcome(order, lang, p.status, p.amount_minor, p.answer)
        + "</div>"
        for p in order.problems
    )
    # The window: the first of the products still open to close (the problem page has
    # each one's), else when the last one closed (a campaign made before windows existed
    # has none to show).
    still = reportable(order)
    ends = [line.report_until for line in order.lines
            if line.report_until and line.may_report == still]  # fmt: skip
    window = ""
    if ends:
        words = (_until(lang, min(ends)) if still
                 else _until(lang, max(ends), "reports_closed"))  # fmt: skip
        window = f"<div class='muted' id='report_window'>{words}</div>"
    report = (
        f"<a class='button secondary' id='report' href='{base}/problem{query}'>"
        f"{_t(lang, 'report')}</a>"
        if still
        else ""
    )
    return (
        f"<div class='box' id='review'><h2>{_t(lang, 'your_review')}</h2>{rated}"
        f"<a class='button secondary' id='rate' href='{base}/review{query}'>"
        f"{_t(lang, label)}</a></div>"
        f"<div class='box' id='problems'><h2>{_t(lang, 'problem')}</h2>{problems}"
        f"{window}{report}</div>"
    )


def _form_head(
    order: OrderView, lang: str, token: str, action: str, error: str | None, *, files: bool = False
) -> str:
    # A form with a file also names its token and language in its address: a body too
    # large to read still gets its page back, in its language.
    target = f"/g/o/{escape(order.order_id)}/{action}"
    if files:
        target += f"?t={escape(token)}&amp;lang={lang}"
    encoding = " enctype='multipart/form-data'" if files else ""
    return (
        (f"<div class='error' id='error'>{escape(error)}</div>" if error else "")
        + f"<form method='post' action='{target}' id='{action}'{encoding}>"
        f"<input type='hidden' name='t' value='{escape(token)}'>"
        f"<input type='hidden' name='lang' value='{lang}'>"
    )


def review_page(
    order: OrderView, campaign: CampaignView, lang: str, token: str, error: str | None = None
) -> str:
    """Stars (large radio buttons, right to left so CSS can light the ones before the
    chosen) and an optional text; the buyer's review, if any, filled in to change."""
    chosen = order.review.stars if order.review is not None else 0
    stars = "".join(
        f"<input type='radio' name='stars' value='{n}' id='star{n}'"
        f"{' checked' if n == chosen else ''}>"
        f"<label for='star{n}' title='{_t(lang, 'star_n', n=n)}'>★"
        f"<span class='sr'>{_t(lang, 'star_n', n=n)}</span></label>"
        for n in range(5, 0, -1)
    )
    text = escape(order.review.text) if order.review is not None else ""
    body = (
        f"<h1>{escape(campaign.title)}</h1><div class='muted'>{_t(lang, 'rate')} · "
        f"{escape(order.buyer)}</div>"
        + _form_head(order, lang, token, "review", error)
        + f"<fieldset><legend>{_t(lang, 'stars')}"
        f"</legend><div class='stars'>{stars}</div></fieldset>"
        f"<label>{_t(lang, 'review_text')}<textarea name='text' id='text' rows='4' "
        f"maxlength='500'>{text}</textarea></label>"
        f"<button id='send'>{_t(lang, 'send_review')}</button></form>"
        f"<a class='button secondary' id='back' href='/g/o/{escape(order.order_id)}"
        f"?t={escape(token)}&amp;lang={lang}'>{_t(lang, 'back')}</a>"
    )
    return _phone_page(lang, campaign.title, body, f"/g/o/{order.order_id}/review?t={token}")


def problem_page(
    order: OrderView, campaign: CampaignView, lang: str, token: str, problem_id: str,
    error: str | None = None,
) -> str:  # fmt: skip
    """Which collected product, how many, what is wrong and a note; a fresh problem id
    in the form, so a double tap is one report."""
    lines = [line for line in order.lines if line.may_report]
    choices = "".join(
        f"<label class='choice'><input type='radio' name='gtin' value='{escape(line.gtin)}' "
        f"id='line_{escape(line.gtin)}'{' checked' if len(lines) == 1 else ''}>"
        f"<span>{escape(_name(line.names, lang))} × {line.collected}"
        + (
            f"<br><small class='muted'>{_until(lang, line.report_until)}</small>"
            if line.report_until
            else ""
        )
        + "</span></label>"
        for line in lines
    )
    most = max((line.collected for line in lines), default=1)
    reasons = "".join(f"<option value='{r}'>{_t(lang, 'r_' + r)}</option>" for r in PROBLEM_REASONS)
    body = (
        f"<h1>{escape(campaign.title)}</h1><div class='muted'>{_t(lang, 'report')} · "
        f"{escape(order.buyer)}</div>"
        + _form_head(order, lang, token, "problem", error, files=True)
        + f"<input type='hidden' name='problem_id' value='{escape(problem_id)}'>"
        f"<fieldset><legend>{_t(lang, 'which')}"
        f"</legend>{choices}</fieldset>"
        f"<label>{_t(lang, 'how_many')}<input class='qty' type='number' inputmode='numeric' "
        f"name='quantity' id='quantity' min='1' max='{most}' value='1' required></label>"
        f"<label>{_t(lang, 'reason')}<select name='reason' id='reason'>{reasons}</select></label>"
        f"<label>{_t(lang, 'note')}<textarea name='note' id='note' rows='4' maxlength='500'>"
        "</textarea></label>"
        # A phone offers its camera for this field (`capture`), or its photos.
        f"<label>{_t(lang, 'photo')}<input type='file' name='photo' id='photo' "
        "accept='image/jpeg,image/png' capture='environment'></label>"
        f"<button id='send'>{_t(lang, 'send_problem')}</button></form>"
        f"<a class='button secondary' id='back' href='/g/o/{escape(order.order_id)}"
        f"?t={escape(token)}&amp;lang={lang}'>{_t(lang, 'back')}</a>"
    )
    return _phone_page(lang, campaign.title, body, f"/g/o/{order.order_id}/problem?t={token}")


def leader_page(
    leader: str, self_url: str, lang: str,
    campaigns: Sequence[tuple[CampaignView, CampaignReport]],
) -> str:  # fmt: skip
    """The leader's campaigns: joins, the price reached, revenue and commission so far
    (final once the campaign is closed), ratings and open problems."""
    cards = []
    for view, report in campaigns:
        tiers = "".join(
            f"<tr><td>{escape(_name(item.names, lang))}</td>"
            f"<td class='n'>{_money(item.price_minor, view.currency)}</td></tr>"
            for item in view.items
        )
        cards.append(
            f"<div class='card' data-campaign='{escape(view.campaign_id)}'>"
            f"<h2>{escape(view.title)}</h2><div class='muted'>{_t(lang, 'c_' + view.status)}"
            f" · {_t(lang, 'cutoff')}: {_when(view.cutoff_at)}</div>"
            f"{rating_line(lang, view.ratings, view.rating_avg)}<table>"
            f"<tr><td>{_t(lang, 'buyers')}</td><td class='n buyers'>{report.buyers}</td></tr>"
            f"<tr><td colspan='2' class='muted'>{_t(lang, 'tier')}</td></tr>{tiers}"
            f"<tr><td>{_t(lang, 'revenue')}</td><td class='n revenue'>"
            f"{_money(report.revenue_minor, view.currency)}</td></tr>"
            f"<tr><td><b>{_t(lang, 'commission')}</b> ({report.commission_bp / 100:g}%)</td>"
            f"<td class='n commission'><b>{_money(report.commission_minor, view.currency)}</b>"
            f"</td></tr><tr><td>{_t(lang, 'problems_open')}</td>"
            f"<td class='n'>{report.problems_open}</td></tr></table></div>"
        )
    body = (
        f"<h1>{_t(lang, 'leader_title')}</h1><div class='muted' id='leader'>{escape(leader)}"
        "</div>" + ("".join(cards) or f"<p>{_t(lang, 'no_campaigns')}</p>")
    )
    return _phone_page(lang, TEXT[lang]["leader_title"], body, self_url)
