"""The console's group-buy page: the buyers' after-sales problems of the stores the
account runs, each with a refund or a reject form, and the latest decisions."""

from __future__ import annotations

from collections.abc import Sequence

from central.admin.pages import Html, _table, _when, csrf_field, join, layout, render
from central.admin.service import Account, Permission
from kiosk.domain.money import Money
from sync.groupbuy_protocol import ProblemView

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "help": "Problems buyers reported with what they collected. Refund gives back the "
        "units at the price they paid after the cut-off, once; reject needs a reason, "
        "which the buyer sees.",
        "open": "Open problems", "none_open": "No open problems.", "recent": "Decided",
        "none_recent": "Nothing decided yet.", "reported": "Reported", "store": "Store",
        "buyer": "Buyer", "product": "Product", "units": "Units", "reason": "Reason",
        "note": "Note", "decided": "Decided", "refund": "Refund", "decide": "Decision",
        "reject": "Reject",
        "answer": "Reason for rejecting", "outcome": "Outcome", "by": "By",
        "refunded": "refunded", "rejected": "rejected", "r_damaged": "Damaged",
        "r_missing": "Missing", "r_wrong_item": "Wrong item", "r_quality": "Quality",
        "r_other": "Other", "photo": "The buyer's photo",
    },
    "zh_CN": {
        "help": "买家对已取商品提出的售后申请。退款按截单后实付单价退回所报数量，只退一次；"
        "拒绝须写明原因，买家可以看到。",
        "open": "待处理售后", "none_open": "没有待处理的售后。", "recent": "已处理",
        "none_recent": "还没有处理记录。", "reported": "申请时间", "store": "门店",
        "buyer": "买家", "product": "商品", "units": "数量", "reason": "原因",
        "note": "说明", "decided": "处理时间", "refund": "退款", "decide": "处理", "reject": "拒绝",
        "answer": "拒绝原因", "outcome": "结果", "by": "处理人",
        "refunded": "已退款", "rejected": "已拒绝", "r_damaged": "商品破损",
        "r_missing": "少件", "r_wrong_item": "发错商品", "r_quality": "质量问题",
        "r_other": "其他", "photo": "买家照片",
    },
    "ko": {
        "help": "구매자가 수령한 상품에 대해 신청한 A/S입니다. 환불은 마감 후 최종 단가로 "
        "신청 수량만큼 한 번만 돌려줍니다. 거절하려면 사유를 적어야 하며 구매자에게 보입니다.",
        "open": "처리 대기 A/S", "none_open": "처리 대기 중인 A/S가 없습니다.",
        "recent": "처리 완료", "none_recent": "아직 처리한 내역이 없습니다.",
        "reported": "신청 시각", "store": "매장", "buyer": "구매자", "product": "상품",
        "units": "수량", "reason": "사유", "note": "설명", "decided": "처리 시각", "refund": "환불",
        "decide": "처리", "reject": "거절", "answer": "거절 사유", "outcome": "결과",
        "by": "처리자", "refunded": "환불됨", "rejected": "거절됨", "r_damaged": "파손",
        "r_missing": "수량 부족", "r_wrong_item": "오배송", "r_quality": "품질 문제",
        "r_other": "기타", "photo": "구매자 사진",
    },
}  # fmt: skip


def _product(p: ProblemView, lang: str) -> str:
    return p.names.get(lang) or p.names.get("en") or p.gtin


def groupbuy_page(
    lang: str,
    who: Account,
    csrf: str,
    open_problems: Sequence[ProblemView],
    decided: Sequence[ProblemView],
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = TEXTS[lang]
    can_resolve = who.can(Permission.RESOLVE_GROUPBUY)

    def decide(p: ProblemView) -> Html:
        if not can_resolve:
            return Html("")
        refund = Money(p.refundable_minor, p.currency).format()
        return render(
            '<form method="post" action="/admin/groupbuy/problems/{id}">{csrf}'
            '<input type="hidden" name="action" value="refund">'
            '<button id="refund_{id}">{refund} {amount}</button></form>'
            '<form method="post" action="/admin/groupbuy/problems/{id}">{csrf}'
            '<input type="hidden" name="action" value="reject">'
            '<label>{answer}<input name="answer" maxlength="500" required></label>'
            '<button class="secondary" id="reject_{id}">{reject}</button></form>',
            id=p.problem_id,
            csrf=csrf_field(csrf),
            refund=t["refund"],
            amount=refund,
            answer=t["answer"],
            reject=t["reject"],
        )

    def photo(p: ProblemView) -> Html:
        if not p.photo:
            return Html("")
        return render(
            '<a class="photo" href="/admin/groupbuy/problems/{id}/photo" target="_blank">'
            '<img src="/admin/groupbuy/problems/{id}/photo" alt="{alt}" loading="lazy"></a>',
            id=p.problem_id,
            alt=t["photo"],
        )

    rows = [
        render(
            '<tr data-problem="{id}"><td class="nowrap">{at}</td><td>{store}</td>'
            "<td>{buyer}</td><td>{product}</td><td class='num'>{units}</td><td>{reason}</td>"
            "<td>{note}{photo}</td><td>{decide}</td></tr>",
            id=p.problem_id,
            at=_when(p.created_at),
            store=p.store_id,
            buyer=p.buyer,
            product=_product(p, lang),
            units=p.quantity,
            reason=t[f"r_{p.reason}"],
            note=p.note,
            photo=photo(p),
            decide=decide(p),
        )
        for p in open_problems
    ]
    done = [
        render(
            '<tr data-decided="{id}"><td class="nowrap">{at}</td><td>{store}</td>'
            "<td>{buyer}</td><td>{product}</td><td class='num'>{units}</td><td>{reason}</td>"
            "<td>{outcome}</td><td>{by}</td></tr>",
            id=p.problem_id,
            at=_when(p.resolved_at),
            store=p.store_id,
            buyer=p.buyer,
            product=_product(p, lang),
            units=p.quantity,
            reason=t[f"r_{p.reason}"],
            outcome=f"{t[p.status]} {Money(p.amount_minor, p.currency).format()}"
            if p.amount_minor is not None
            else f"{t[p.status]}: {p.answer or ''}",
            by=p.resolved_by,
        )
        for p in decided
    ]
    head = ("reported", "store", "buyer", "product", "units", "reason", "note", "decide")
    done_head = ("decided", "store", "buyer", "product", "units", "reason", "outcome", "by")
    body = render(
        "<p>{help}</p><h2>{open}</h2>{open_table}<h2>{recent}</h2>{done_table}",
        help=t["help"],
        open=t["open"],
        open_table=_table([t[h] for h in head], rows, label=t["open"])
        if rows
        else render("<p id='none_open'>{n}</p>", n=t["none_open"]),
        recent=t["recent"],
        done_table=_table([t[h] for h in done_head], done, label=t["recent"])
        if done
        else render("<p>{n}</p>", n=t["none_recent"]),
    )
    return layout(lang, who, csrf, "groupbuy", join([body]), note=note, error=error)
