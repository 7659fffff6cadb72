"""The console's reports page (`/admin/reports`): the filters, one chart per report, and a
CSV link for each. The console (`central.admin.routes`) checks the session and the role
and wraps the body in its layout; this module chooses what a role may see and renders.

The charts are drawn in the browser by ECharts (Apache-2.0, `static/echarts.min.js`,
vendored from npm with its LICENSE and NOTICE: nothing is fetched from elsewhere) and
`static/reports.js`; the figures travel in the page as a JSON data block, so the page's
Content-Security-Policy allows scripts from this origin only, and no inline script.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Connection

from central.analytics.reports import COLUMNS, REPORTS, Filters
from central.csv_report import to_csv
from central.errors import Invalid
from kiosk.domain.money import exponent_of

STATIC = Path(__file__).with_name("static")
STATIC_PREFIX = "/analytics/static/"
STATIC_TYPES = {
    "echarts.min.js": "text/javascript",
    "reports.js": "text/javascript",
    "LICENSE.echarts": "text/plain",
    "NOTICE.echarts": "text/plain",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The console's policy plus this origin's scripts (ECharts and the page's own)."""

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "store": "Store", "kiosk": "Kiosk", "from": "From", "to": "To", "show": "Show",
        "all_stores": "All stores", "csv": "CSV", "nothing": "No sales in this period.",
        "sales-by-day": "Sales by day", "sales-by-hour": "Sales by hour of day",
        "baskets": "Basket size and value", "coupon-funnel": "Coupon funnel by kind",
        "promotion-effect": "Promotion effect (before → during)", "tiers": "Members by tier",
        "kiosk-use": "Kiosk use", "tier-moves": "Members' tier moves",
        "moved": "Members moved", "scan_to_pay": "First scan → paid (s, average)",
        "sales": "Sales", "revenue": "Revenue", "items": "Items",
        "issued": "Issued", "claimed": "Claimed", "redeemed": "Redeemed",
        "before": "Before", "during": "During", "members": "Members",
        "per_hour": "Sales per hour used", "help": "Help calls per 100 sales",
        "average": "Average basket value",
        "bad_period": "Check the period: dates as YYYY-MM-DD, the first not after the last.",
    },
    "zh_CN": {
        "store": "门店", "kiosk": "自助机", "from": "开始", "to": "结束", "show": "查看",
        "all_stores": "全部门店", "csv": "CSV", "nothing": "此期间没有销售。",
        "sales-by-day": "每日销售", "sales-by-hour": "分时段销售",
        "baskets": "客单件数与客单价", "coupon-funnel": "各类优惠券转化",
        "promotion-effect": "促销效果（活动前 → 活动中）", "tiers": "各等级会员",
        "kiosk-use": "自助机使用", "tier-moves": "会员等级变动",
        "moved": "变动人数", "scan_to_pay": "首次扫码至支付（秒，平均）",
        "sales": "笔数", "revenue": "销售额", "items": "件数",
        "issued": "发放", "claimed": "领取", "redeemed": "核销",
        "before": "活动前", "during": "活动中", "members": "会员数",
        "per_hour": "每使用小时笔数", "help": "每百笔呼叫次数", "average": "平均客单价",
        "bad_period": "请检查日期：格式为 YYYY-MM-DD，开始不能晚于结束。",
    },
    "ko": {
        "store": "매장", "kiosk": "키오스크", "from": "시작", "to": "종료", "show": "보기",
        "all_stores": "전체 매장", "csv": "CSV", "nothing": "이 기간에 판매가 없습니다.",
        "sales-by-day": "일별 판매", "sales-by-hour": "시간대별 판매",
        "baskets": "장바구니 크기와 금액", "coupon-funnel": "종류별 쿠폰 전환",
        "promotion-effect": "프로모션 효과 (이전 → 기간 중)", "tiers": "등급별 회원",
        "kiosk-use": "키오스크 이용", "tier-moves": "회원 등급 변동",
        "moved": "변동 회원 수", "scan_to_pay": "첫 스캔 → 결제 (초, 평균)",
        "sales": "건수", "revenue": "매출", "items": "품목 수",
        "issued": "발행", "claimed": "받기", "redeemed": "사용",
        "before": "이전", "during": "기간 중", "members": "회원 수",
        "per_hour": "이용 시간당 판매", "help": "판매 100건당 호출", "average": "평균 객단가",
        "bad_period": "기간을 확인하세요: YYYY-MM-DD 형식, 시작이 종료보다 늦으면 안 됩니다.",
    },
}  # fmt: skip
CHART_ORDER = (
    "sales-by-day", "sales-by-hour", "baskets", "coupon-funnel", "promotion-effect", "tiers",
    "tier-moves", "kiosk-use",
)  # fmt: skip


@dataclass(frozen=True)
class ReportsPage:
    """What the console answers: the page's body, or one report as CSV, or a refusal."""

    body: str = ""
    csv: str | None = None
    error: str | None = None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None  # `Filters` checks the years


def filters_for(query: Mapping[str, str], stores: frozenset[str] | None) -> Filters:
    """The filters asked for, within what the account may see: `stores` None is the
    chain; a store manager sees one of their own stores (the first, unless one is asked)."""
    store = query.get("store_id") or None
    if stores is not None and store not in stores:
        store = min(stores)
    try:
        return Filters(store, query.get("kiosk_id") or None, _day(query.get("from")),
                       _day(query.get("to")))  # fmt: skip
    except ValueError as exc:
        raise Invalid(str(exc), reason="bad_period") from exc


def reports_page(
    conn: Connection, query: Mapping[str, str], lang: str, stores: frozenset[str] | None
) -> ReportsPage:
    t = TEXTS[lang]
    try:
        filters = filters_for(query, stores)
    except Invalid:
        return ReportsPage(body=_form(t, Filters(), stores), error=t["bad_period"])
    wanted = query.get("csv", "")
    if wanted in REPORTS:
        return ReportsPage(csv=to_csv(REPORTS[wanted](conn, filters), COLUMNS[wanted]))
    data = {name: REPORTS[name](conn, filters) for name in CHART_ORDER}
    labels = {k: t[k] for k in ("sales", "revenue", "items", "issued", "claimed", "redeemed",
                                "before", "during", "members", "per_hour", "help",
                                "average", "moved", "scan_to_pay")}  # fmt: skip
    # The charts draw one currency, the one most sales were in (the CSVs have them all).
    counts: dict[str, int] = {}
    for row in data["sales-by-day"]:
        counts[row["currency"]] = counts.get(row["currency"], 0) + row["sales"]
    currency = max(counts, key=lambda c: counts[c]) if counts else "CNY"
    # A JSON data block is not run; "<" escaped so no value can close the element.
    blob = json.dumps(
        {"reports": data, "labels": labels, "currency": currency,
         "exponent": exponent_of(currency)},
        ensure_ascii=False,
    )  # fmt: skip
    blob = blob.replace("<", "\\u003c")
    sections = []
    for name in CHART_ORDER:
        csv = "/admin/reports?" + urlencode(_query(filters) | {"csv": name})
        sections.append(
            f'<section><h2>{escape(t[name])} <a class="button quiet" href="{escape(csv)}" '
            f'download="{name}.csv">{t["csv"]}</a></h2>'
            f'<div class="chart" id="chart-{name}" data-chart="{name}" role="img" '
            f'aria-label="{escape(t[name])}"></div></section>'
        )
    empty = "" if data["sales-by-day"] else f'<p class="muted">{escape(t["nothing"])}</p>'
    return ReportsPage(
        body=_form(t, filters, stores) + empty + "".join(sections)
        + f'<script type="application/json" id="analytics-data">{blob}</script>'
        + f'<script src="{STATIC_PREFIX}echarts.min.js"></script>'
        + f'<script src="{STATIC_PREFIX}reports.js"></script>'
    )  # fmt: skip


def _query(f: Filters) -> dict[str, str]:
    values = {"store_id": f.store_id, "kiosk_id": f.kiosk_id,
              "from": f.since.isoformat() if f.since else None,
              "to": f.until.isoformat() if f.until else None}  # fmt: skip
    return {k: v for k, v in values.items() if v}


def _form(t: Mapping[str, str], f: Filters, stores: frozenset[str] | None) -> str:
    if stores is None:
        store = (f'<input name="store_id" id="store_id" value="{escape(f.store_id or "")}" '
                 f'placeholder="{escape(t["all_stores"])}" maxlength="64">')  # fmt: skip
    else:
        options = "".join(
            f'<option value="{escape(s)}"{" selected" if s == f.store_id else ""}>{escape(s)}'
            "</option>"
            for s in sorted(stores)
        )
        store = f'<select name="store_id" id="store_id">{options}</select>'
    q = _query(f)
    return (
        '<form class="card" method="get" action="/admin/reports">'
        f'<label for="store_id">{escape(t["store"])}{store}</label>'
        f'<label for="kiosk_id">{escape(t["kiosk"])}<input name="kiosk_id" id="kiosk_id" '
        f'value="{escape(q.get("kiosk_id", ""))}" maxlength="64"></label>'
        f'<label for="from">{escape(t["from"])}<input type="date" name="from" id="from" '
        f'value="{q.get("from", "")}"></label>'
        f'<label for="to">{escape(t["to"])}<input type="date" name="to" id="to" '
        f'value="{q.get("to", "")}"></label>'
        f'<button id="show">{escape(t["show"])}</button></form>'
    )
