"""The back office's pages, rendered on the server with no script at all.

Every value reaches the page through `render`, which escapes whatever is not already
`Html`: escaping is the default, not something each page must remember. That is the
one thing a template engine (Jinja2 with autoescape) would add here, for a dozen plain
pages, so it is ~20 lines instead of a dependency. Words in zh_CN, ko and en; the language
is picked from `?lang=`, then the browser's, like the attendant console.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode

from central.admin.integrity import ChainIssue, Conflict, Dealt, Review
from central.admin.member_data import MemberView
from central.admin.offers import (
    CAMPAIGN_FIELDS,
    NEW_CAMPAIGN,
    NEW_FORM,
    PREVIEW_LINES,
    PREVIEW_MAX_QUANTITY,
    Basket,
    Feed,
    OfferRow,
    State,
)
from central.admin.sale_search import SaleDetail, SaleQuery, SaleRow
from central.admin.service import (
    RULES_CURRENCY,
    Account,
    AuditEntry,
    FleetRow,
    Permission,
    Role,
    StaffRow,
    StoreRulesRow,
)
from central.clock import iso_ms
from kiosk.domain.catalog import Product
from kiosk.domain.coupons import CouponKind
from kiosk.domain.money import CURRENCY_EXPONENT, Money
from kiosk.domain.policy import StoreRules
from kiosk.domain.promotions import PromotionKind
from kiosk.domain.staff import Role as StaffRole

LANGUAGES = ("zh_CN", "ko", "en")
CSS_PATH = "/admin/static/admin.css"


class Html(str):
    """Markup that is safe as it is (built by `render` from a trusted template)."""

    __slots__ = ()


def render(template: str, **values: Any) -> Html:
    """`template` (trusted text) with `{name}` fields, each value escaped unless `Html`."""

    def safe(value: Any) -> str:
        if isinstance(value, Html):
            return value
        if value is None:
            return ""
        return escape(str(value), quote=True)

    return Html(template.format(**{k: safe(v) for k, v in values.items()}))


def join(parts: Iterable[Html]) -> Html:
    return Html("".join(parts))


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "console": "Back office",
        "sign_in": "Sign in",
        "login": "Login",
        "password": "Password",
        "wrong": "Wrong login or password.",
        "locked": "Too many wrong passwords: this account is locked for 15 minutes.",
        "throttled": "Too many wrong attempts from here: wait two minutes.",
        "sign_out": "Sign out",
        "fleet": "Fleet",
        "staff": "Staff",
        "accounts": "Accounts",
        "audit": "Audit log",
        "reports": "Reports",
        "kiosk": "Kiosk",
        "store": "Store",
        "version": "Version",
        "heartbeat": "Last heartbeat",
        "backlog": "To sync",
        "alerts": "Open alerts",
        "camera": "Camera",
        "printer": "Printer",
        "sync_problems": "Sync problems: {n}",
        "state": "State",
        "revoked": "Revoked",
        "active": "Active",
        "inactive": "Inactive",
        "revoke": "Revoke",
        "never": "never",
        "new_code": "New enrolment code",
        "hours": "Valid for (hours)",
        "create": "Create",
        "code_made": "Enrolment code (shown once: type it on the new kiosk)",
        "valid_until": "valid until",
        "confirm_revoke": "Revoke this kiosk?",
        "revoke_why": "Its requests are refused from now on; it must be enrolled again "
        "with a new code to sell.",
        "cancel": "Cancel",
        "kiosk_revoked": "Kiosk revoked.",
        "staff_no": "Staff number",
        "name": "Name",
        "role": "Role",
        "pin": "PIN",
        "new_pin": "New PIN",
        "save": "Save",
        "set_pin": "Set PIN",
        "add_staff": "Add a staff member",
        "add": "Add",
        "deactivate": "Deactivate",
        "activate": "Activate",
        "saved": "Saved.",
        "stores": "Stores (store managers; comma-separated)",
        "new_account": "New account",
        "set_password": "Set password",
        "new_password": "New password (12+ characters)",
        "when": "When",
        "who": "Who",
        "what": "What",
        "target": "On",
        "before": "Before",
        "after": "After",
        "from": "From",
        "older": "Older entries",
        "forbidden": "Not allowed",
        "forbidden_why": "Your role does not allow this.",
        "missing": "Not found",
        "missing_why": "There is no such page or item here (it may have been removed, or the "
        "address mistyped).",
        "not_done": "Not done",
        "not_done_why": "This could not be done, and nothing was changed.",
        "back_home": "Back to the console",
        "none": "—",
        "yes": "yes",
        "no": "no",
        "badge": "Badge",
        "locked_until": "locked until",
        "ok": "OK",
        "connectivity": "Link",
        "actions": "Actions",
        "account_saved": "Account saved.",
        "password_saved": "Password set; the account's sessions were ended.",
        "no_kiosks": "No kiosks yet: make an enrolment code below.",
        "hq_admin": "HQ admin",
        "store_manager": "Store manager",
        "marketing": "Marketing",
        "read_only": "Read only",
        "associate": "Associate",
        "supervisor": "Supervisor",
        "manager": "Manager",
        "catalog": "Catalog",
        "search": "Search",
        "search_label": "GTIN, name, brand or category",
        "product": "Product",
        "price": "Price",
        "tax_class": "Tax class",
        "unit": "Unit",
        "age_min": "Minimum age",
        "sellable": "For sale",
        "recalled": "Recalled",
        "recalled_lots": "Recalled lots (|-separated)",
        "deposit": "Deposit",
        "plu": "PLU (loose produce, e.g. 4131)",
        "picture": "Picture (file name, e.g. fuji-apples.png)",
        "brand": "Brand",
        "category": "Category",
        "currency": "Currency",
        "name_en": "Name (English)",
        "name_zh_CN": "Name (Chinese)",
        "name_ko": "Name (Korean)",
        "recall": "Recall",
        "recall_whole": "Recall the whole product",
        "recall_help": "Kiosks refuse a recalled product, or an item of a recalled lot, "
        "from their next catalog pull.",
        "import": "Import a CSV",
        "import_help": "The kiosk's catalog CSV format, with its header row, UTF-8, at most "
        "4 MB (import a larger catalog in parts). With any bad row nothing is imported, "
        "and every bad row is listed.",
        "csv_file": "CSV file",
        "csv_paste": "Or paste the CSV (used when no file is chosen)",
        "file_too_large": "The file is larger than 4 MB: split it and import the parts.",
        "file_not_utf8": 'The file is not UTF-8 text: save it as "CSV UTF-8" and try again.',
        "imported": "Catalog imported.",
        "bad_rows": "Nothing imported: fix these rows",
        "no_products": "No product matches.",
        "edit": "Edit",
        "promotions": "Promotions",
        "coupons": "Coupons",
        "campaigns": "Seasonal campaigns",
        "preview": "Pricing preview",
        "promotion_id": "Promotion ID",
        "coupon_id": "Coupon ID",
        "campaign_id": "Campaign ID",
        "kind": "Kind",
        "gtins": "Items (GTINs, |-separated)",
        "brands": "Brands (|-separated)",
        "categories": "Categories (|-separated)",
        "exclude_gtins": "Except items (GTINs)",
        "reward_gtins": "Reward items (GTINs)",
        "reward_brands": "Reward brands",
        "reward_categories": "Reward categories",
        "percent": "Percent off (e.g. 12.5)",
        "amount": "Amount",
        "buy": "Buy (units)",
        "get": "Get (units)",
        "min_quantity": "Minimum units",
        "threshold": "Spend threshold",
        "repeat": "Repeat for every threshold",
        "tiers": "Member tiers (|-separated)",
        "starts_at": "Starts (date or ISO time)",
        "ends_at": "Ends (a date is included)",
        "priority": "Priority",
        "stackable": "Stacks with others",
        "max_per_sale": "Most times per sale",
        "min_spend": "Minimum spend",
        "per_member_limit": "Uses per member",
        "member_only": "Members only",
        "offline_ok": "Usable offline",
        "utc_offset": "UTC offset of typed dates",
        "season": "Season",
        "scheduled": "Scheduled",
        "running": "Running",
        "ended": "Ended",
        "end_now": "End now",
        "end_help": "A running offer ends at once; one that has not started is withdrawn. Kiosks "
        "stop applying it from their next offers pull.",
        "offer_ended": "Ended: kiosks stop applying it from their next pull.",
        "offer_withdrawn": "Withdrawn before it started.",
        "new_promotion": "New promotion",
        "new_coupon": "New coupon",
        "new_campaign": "New campaign",
        "no_offers": "None yet.",
        "offer_help": "Checked as a row of the kiosk's CSV: amounts like 12.50, lists separated "
        "by |, yes and no as 1 and 0. Kiosks get it with their next offers pull.",
        "kind_percent_off": "Percent off",
        "kind_amount_off": "Amount off",
        "kind_multi_buy": "Multi-buy (3 for 2)",
        "kind_n_for_price": "N for a price",
        "kind_buy_x_get_y": "Buy X get Y",
        "kind_tier_price": "Member tier price",
        "kind_basket": "Basket (spend and save)",
        "kind_item": "Single item",
        "kind_brand": "Brand",
        "kind_category": "Category",
        "preview_help": "Price a basket through the kiosks' own pricing engine with the promotions "
        "and coupons as stored now: the same answer a kiosk gives once it has pulled "
        "them.",
        "quantity": "Quantity",
        "tier": "Member tier",
        "no_member": "Not a member",
        "coupon": "Coupon",
        "no_coupon": "No coupon",
        "at": "Priced at (blank: now)",
        "price_it": "Price it",
        "unit_price": "Unit price",
        "discount": "Discount",
        "why": "Why",
        "subtotal": "Subtotal",
        "discount_total": "Discounts",
        "discounts_heading": "Discounts",
        "total": "Total",
        "accepted": "Accepted",
        "refused": "Refused",
        "points_earned": "Points earned",
        "tax_note": "Taxes are the store's and are not shown: the central service keeps no "
        "tax rates. Where prices include tax (as in China) this total is what the "
        "kiosk charges.",
        "not_sold": "Not sold",
        "pick": "Pick items from the catalog",
        "offer_name": "Name",
        "starts": "Starts",
        "ends": "Ends",
        "basket": "Basket",
        "members": "Members",
        "member_find": "Member code or phone number",
        "find": "Find",
        "phone_note": "The service holds no phone numbers, only a keyed hash of each: type the "
        "whole number to find its member. What you type is neither stored nor logged.",
        "member_not_found": "No member with this code or phone number.",
        "member_code": "Member code",
        "points": "Points",
        "signed_up": "Signed up",
        "marketing_consent": "Marketing consent",
        "merged": "Merged member ids",
        "ledger": "Points ledger",
        "sale": "Sale",
        "wallet": "Wallet coupons",
        "code": "Code",
        "used": "Used",
        "available": "Available",
        "export": "Export the member's data (JSON)",
        "export_help": "Everything the service holds about this member, for an access request: "
        "the record, points, wallet, coupon uses and sales. The export is audited.",
        "erase": "Erase the member",
        "erase_help": "On the member's request: the phone's hash and the member code are replaced, "
        "marketing consent withdrawn, unused wallet coupons removed and the balance "
        "forfeited. Sales, used coupons and the points ledger stay under an id "
        "that leads to nobody, so every total still adds up. This cannot be undone.",
        "erase_confirm": "The request is checked: erase this member",
        "member_erased": "Erased",
        "erased_done": "The member was erased.",
        "sales": "Sales",
        "groupbuy": "Group-buy",
        "sale_number": "Sale number or id",
        "day_from": "From (date)",
        "day_to": "To (date)",
        "any_kiosk": "Any kiosk",
        "no_sales": "No sale matches.",
        "sales_help": "The 50 newest sales that match every field given. Times are the kiosk's, "
        "as the receipt shows them.",
        "number": "No.",
        "items": "Items",
        "training": "Training",
        "taxes": "Taxes",
        "tax": "Tax",
        "tenders": "Payments",
        "method": "Method",
        "reference": "Reference",
        "refunds": "Refunds",
        "no_refunds": "No refunds.",
        "voided": "Voided",
        "sale_paid": "Paid",
        "sale_voided": "Voided",
        "refund_processing": "Processing",
        "refund_refunded": "Refunded",
        "refund_failed": "Failed",
        "coupon_unknown_coupon": "This coupon is not known here.",
        "coupon_bad_signature": "This coupon's code is not genuine.",
        "coupon_expired": "This coupon has expired.",
        "coupon_not_yet_valid": "This coupon is not valid yet.",
        "coupon_member_only": "Only for members: scan the member code to use it.",
        "coupon_other_member": "This coupon belongs to another member.",
        "coupon_tier_only": "Only for members of certain tiers.",
        "coupon_already_used": "This coupon has already been used.",
        "coupon_limit_reached": "This member has used it as often as it allows.",
        "coupon_not_offline": "This coupon needs a connection to the service.",
        "coupon_no_qualifying_items": "No item in the basket qualifies for this coupon.",
        "coupon_below_minimum_spend": "The basket is below this coupon's minimum spend.",
        "coupon_not_combinable": "Not combined: another coupon saves more.",
        "coupon_wrong_currency": "This coupon is in another currency.",
        "spend_more": "spend {amount} more",
        "integrity": "Integrity",
        "sale_conflicts": "Copies of this sale that arrived with another body, kept for review:",
        "integrity_help": "What the kiosks sent that the service kept aside: an id sent again "
        "with another body, a sale its checks refused, a coupon used twice. Nothing here was "
        "merged; compare the document with what is stored, and fix it at its kiosk.",
        "conflicts": "Conflicts kept for review",
        "no_conflicts": "No conflicts.",
        "chain": "Journal chain",
        "chain_help": "Breaks in a kiosk's hash chain, journal entries re-sent with another "
        "body, and numbers still missing (a gap closes by itself when the missing sale or "
        "entry arrives).",
        "no_chain_issues": "No breaks or gaps.",
        "received": "Received",
        "sent": "What",
        "id": "Id",
        "reason": "Reason",
        "document": "Document",
        "show_document": "Show",
        "position": "Number",
        "detail": "Detail",
        "entity_sale": "Sale",
        "entity_journal": "Journal entry",
        "entity_member": "Member sign-up",
        "entity_ledger": "Points event",
        "entity_redemption": "Coupon use",
        "issue_chain_break": "Chain break",
        "issue_conflict": "Entry re-sent differently",
        "issue_gap": "Missing",
        "chain_ok": "Journal chain: no breaks or conflicts recorded for this kiosk.",
        "chain_issues": "Journal chain: breaks or conflicts recorded for this kiosk:",
        "receipt": "Receipt",
        "open_receipt": "Open the receipt as the shopper got it "
        "(the e-receipt page, valid for an hour)",
        "journal_entry": "Journal entry",
        "journal_missing": "The kiosk's journal entry of this sale has not arrived yet.",
        "digest_ok": "Its digest matches the sale as stored.",
        "digest_bad": "Its digest does not match the sale as stored.",
        "chain_whole": "The chain up to it is whole: no entry missing, no break recorded.",
        "entries_missing": "Journal entries before it not received yet:",
        "issues_before": "Breaks or conflicts recorded up to it:",
        "dealt_with": "Dealt with",
        "dealt_help": "Marked by a person after looking into it; the item stays as the kiosk "
        "sent it. A gap closes by itself when what is missing arrives.",
        "newest_open": "The newest {shown} of {total}: each one dealt with brings an older one "
        "into the list.",
        "newest_dealt": "The newest {shown} of {total}.",
        "dealt_range": "{range} of {total}, newest first.",
        "newest_page": "Newest",
        "why_body_differs": "Sent again with a different body",
        "why_sequence_reused": "Its sale number belongs to another sale",
        "why_kiosk_mismatch": "Names another kiosk than the one that sent it",
        "why_store_mismatch": "Another store than the kiosk's",
        "why_time": "A time that cannot be read",
        "why_currency": "An unknown currency",
        "why_arithmetic": "The amounts do not add up",
        "why_bounds": "A number out of range",
        "why_shape": "Not in the expected form",
        "why_override": "A price change without its staff, reason or price",
        "why_entry_differs": "A journal entry sent again with another body",
        "why_phone_registered": "The phone already belongs to another member",
        "why_kind": "Points of a kind only operators may book",
        "why_sign": "Points with the wrong sign",
        "why_no_sale": "Points without a sale",
        "why_unknown_sale": "Points for a sale the service does not have",
        "why_sale_not_paid": "Points for a sale not paid (or a training sale)",
        "why_member_mismatch": "Points for another member than the sale's",
        "why_over_balance": "More points spent than the member has",
        "why_already_earned": "Points earned twice for one sale",
        "why_over_policy": "More points than any tier earns for the sale",
        "why_member_erased": "Points for a member erased on request (the kiosk had not "
        "pulled the erasure yet)",
        "why_double_use": "A coupon used twice",
        "why_points_differ": "The refund's points differ from the service's",
        "why_coupon_not_returned": "A coupon the refund gives back is not the sale's",
        "mark_dealt": "Mark as dealt with",
        "dealt_note": "What was done",
        "dealt_done": "Marked as dealt with.",
        "reopen": "Reopen",
        "reopen_why": "Why reopen",
        "reopened": "Reopened: the item is open again.",
        "dealt_by": "By",
        "no_dealt": "Nothing marked as dealt with yet.",
        "home_store": "Home store",
        "chain_wide": "Chain-wide",
        "staff_scope": "A store manager sees, adds and changes the staff of their own stores "
        "and those without a home store.",
        "member": "Member",
        "rules": "Store rules",
        "store_kiosks": "{store} · kiosks: {n}",
        "rules_set": "Set by the chain: the store's kiosks take these up from their next sale.",
        "rules_own": "The chain sets none: each kiosk uses the rules it was set up with.",
        "rules_own_set": "Rules saved here apply to all of the store's kiosks: choose every "
        "value (the kiosks' own are not known here).",
        "rules_currency_differs": "These rules are in {rules}, but the store's kiosks sell in "
        "{sales}: they refuse the rules until they are saved in {sales}.",
        "rules_unreadable": "The rules stored for this store cannot be read ({why}): the kiosks "
        "keep their last good ones. Save them again.",
        "rule_remove": "Shoppers may remove their own items",
        "rule_quantity": "Most of one item per sale",
        "rule_coupons": "A refunded sale's coupons go back to the member's wallet",
        "rule_transfer": "A suspended cart can be resumed for (hours)",
        "rule_audit_percent": "Bag checks: share of sales (%)",
        "rule_audit_over": "Bag checks: every sale over (blank: none)",
        "rules_withdraw": "Let the kiosks use their own",
        "rules_new": "Set rules for another store",
        "rules_scope": "Store rules are the chain's: only head office changes them, since they "
        "include the bag checks that guard against the store's own losses.",
    },
    "zh_CN": {
        "console": "后台管理",
        "sign_in": "登录",
        "login": "账号",
        "password": "密码",
        "wrong": "账号或密码错误。",
        "locked": "密码错误次数过多：账号已锁定 15 分钟。",
        "throttled": "此处尝试次数过多：请等待两分钟。",
        "sign_out": "退出",
        "fleet": "设备",
        "staff": "员工",
        "accounts": "账号管理",
        "audit": "操作日志",
        "reports": "报表",
        "kiosk": "自助机",
        "store": "门店",
        "version": "版本",
        "heartbeat": "最近心跳",
        "backlog": "待同步",
        "alerts": "未处理提醒",
        "camera": "摄像头",
        "printer": "打印机",
        "sync_problems": "同步问题：{n} 个",
        "state": "状态",
        "revoked": "已停用",
        "active": "启用",
        "inactive": "停用",
        "revoke": "停用设备",
        "never": "从未",
        "new_code": "新的注册码",
        "hours": "有效期（小时）",
        "create": "生成",
        "code_made": "注册码（只显示一次：请在新设备上输入）",
        "valid_until": "有效期至",
        "confirm_revoke": "确定停用这台自助机？",
        "revoke_why": "此后它的请求将被拒绝；需用新的注册码重新注册才能销售。",
        "cancel": "取消",
        "kiosk_revoked": "已停用该设备。",
        "staff_no": "员工号",
        "name": "姓名",
        "role": "角色",
        "pin": "密码",
        "new_pin": "新密码",
        "save": "保存",
        "set_pin": "重设密码",
        "add_staff": "添加员工",
        "add": "添加",
        "deactivate": "停用",
        "activate": "启用",
        "saved": "已保存。",
        "stores": "门店（店长适用；用逗号分隔）",
        "new_account": "新建账号",
        "set_password": "设置密码",
        "new_password": "新密码（至少 12 位）",
        "when": "时间",
        "who": "操作人",
        "what": "操作",
        "target": "对象",
        "before": "之前",
        "after": "之后",
        "from": "来源",
        "older": "更早的记录",
        "forbidden": "无权操作",
        "forbidden_why": "您的角色不允许此操作。",
        "missing": "未找到",
        "missing_why": "没有这个页面或条目（可能已被删除，或地址有误）。",
        "not_done": "未执行",
        "not_done_why": "无法执行此操作，未做任何更改。",
        "back_home": "返回后台首页",
        "none": "—",
        "yes": "是",
        "no": "否",
        "badge": "工牌",
        "locked_until": "锁定至",
        "ok": "正常",
        "connectivity": "网络",
        "actions": "操作",
        "account_saved": "账号已保存。",
        "password_saved": "密码已设置；该账号的所有会话已结束。",
        "no_kiosks": "暂无设备：请在下方生成注册码。",
        "hq_admin": "总部管理员",
        "store_manager": "店长",
        "marketing": "市场",
        "read_only": "只读",
        "associate": "店员",
        "supervisor": "主管",
        "manager": "经理",
        "catalog": "商品",
        "search": "搜索",
        "search_label": "条码、名称、品牌或品类",
        "product": "商品",
        "price": "价格",
        "tax_class": "税类",
        "unit": "单位",
        "age_min": "最低年龄",
        "sellable": "可售",
        "recalled": "已召回",
        "recalled_lots": "召回批次（用 | 分隔）",
        "deposit": "押金",
        "plu": "PLU 码（散装果蔬，如 4131）",
        "picture": "图片（文件名，如 fuji-apples.png）",
        "brand": "品牌",
        "category": "品类",
        "currency": "币种",
        "name_en": "名称（英文）",
        "name_zh_CN": "名称（中文）",
        "name_ko": "名称（韩文）",
        "recall": "召回",
        "recall_whole": "召回整个商品",
        "recall_help": "自助机下次同步商品后，将拒绝已召回的商品或召回批次的商品。",
        "import": "导入 CSV",
        "import_help": "自助机的商品 CSV 格式，含表头，UTF-8 编码，不超过 4 MB"
        "（更大的商品目录请分批导入）。只要有一行错误就不导入，并列出所有错误行。",
        "csv_file": "CSV 文件",
        "csv_paste": "或粘贴 CSV 内容（未选择文件时使用）",
        "file_too_large": "文件超过 4 MB：请拆分后分批导入。",
        "file_not_utf8": "文件不是 UTF-8 文本：请另存为“CSV UTF-8”后重试。",
        "imported": "商品已导入。",
        "bad_rows": "未导入：请修正以下各行",
        "no_products": "没有匹配的商品。",
        "edit": "编辑",
        "promotions": "促销",
        "coupons": "优惠券",
        "campaigns": "季节活动",
        "preview": "价格预览",
        "promotion_id": "促销编号",
        "coupon_id": "优惠券编号",
        "campaign_id": "活动编号",
        "kind": "类型",
        "gtins": "商品条码（用 | 分隔）",
        "brands": "品牌（用 | 分隔）",
        "categories": "品类（用 | 分隔）",
        "exclude_gtins": "排除商品（条码）",
        "reward_gtins": "赠品商品（条码）",
        "reward_brands": "赠品品牌",
        "reward_categories": "赠品品类",
        "percent": "折扣百分比（如 12.5）",
        "amount": "金额",
        "buy": "购买件数",
        "get": "赠送件数",
        "min_quantity": "最少件数",
        "threshold": "满额门槛",
        "repeat": "每满重复",
        "tiers": "会员等级（用 | 分隔）",
        "starts_at": "开始（日期或 ISO 时间）",
        "ends_at": "结束（含该日）",
        "priority": "优先级",
        "stackable": "可叠加",
        "max_per_sale": "每单最多次数",
        "min_spend": "最低消费",
        "per_member_limit": "每位会员限用次数",
        "member_only": "仅限会员",
        "offline_ok": "离线可用",
        "utc_offset": "日期的时区（UTC 偏移）",
        "season": "季节",
        "scheduled": "未开始",
        "running": "进行中",
        "ended": "已结束",
        "end_now": "立即结束",
        "end_help": "进行中的将立即结束；尚未开始的将被撤回。自助机下次同步优惠后不再使用。",
        "offer_ended": "已结束：自助机下次同步后不再使用。",
        "offer_withdrawn": "已在开始前撤回。",
        "new_promotion": "新建促销",
        "new_coupon": "新建优惠券",
        "new_campaign": "新建活动",
        "no_offers": "暂无。",
        "offer_help": "按自助机的 CSV 格式检查：金额如 12.50，列表用 | "
        "分隔，是/否填 1/0。自助机下次同步优惠时获取。",
        "kind_percent_off": "折扣",
        "kind_amount_off": "立减",
        "kind_multi_buy": "买赠（买3付2）",
        "kind_n_for_price": "N件特价",
        "kind_buy_x_get_y": "买X送Y",
        "kind_tier_price": "会员价",
        "kind_basket": "满减",
        "kind_item": "单品",
        "kind_brand": "品牌",
        "kind_category": "品类",
        "preview_help": "用自助机自己的计价引擎、按当前保存的促销和优惠券为一篮商品计"
        "价：与自助机同步后的结果相同。",
        "quantity": "数量",
        "tier": "会员等级",
        "no_member": "非会员",
        "coupon": "优惠券",
        "no_coupon": "不用券",
        "at": "计价时间（留空为现在）",
        "price_it": "计价",
        "unit_price": "单价",
        "discount": "优惠",
        "why": "原因",
        "subtotal": "小计",
        "discount_total": "优惠合计",
        "discounts_heading": "优惠明细",
        "total": "合计",
        "accepted": "可用",
        "refused": "不可用",
        "points_earned": "获得积分",
        "tax_note": "税率由门店设置，此处不显示：中心服务不保存税率。价格含税时（"
        "如在中国），此合计即自助机收取的金额。",
        "not_sold": "不可售",
        "pick": "从商品中选择",
        "offer_name": "名称",
        "starts": "开始",
        "ends": "结束",
        "basket": "购物篮",
        "members": "会员",
        "member_find": "会员码或手机号",
        "find": "查找",
        "phone_note": "中心服务不保存手机号，只保存其加密哈希：请输入完整号码查找会"
        "员。输入的号码不会被保存或记录。",
        "member_not_found": "没有此会员码或手机号的会员。",
        "member_code": "会员码",
        "points": "积分",
        "signed_up": "注册时间",
        "marketing_consent": "营销许可",
        "merged": "已合并的会员编号",
        "ledger": "积分明细",
        "sale": "销售单",
        "wallet": "券包",
        "code": "券码",
        "used": "已使用",
        "available": "可用",
        "export": "导出会员数据（JSON）",
        "export_help": "用于个人信息查阅请求：中心服务保存的此会员全部数据（档案、积"
        "分、券包、用券记录、销售）。导出会被记录。",
        "erase": "删除会员",
        "erase_help": "应会员要求：替换手机号哈希和会员码，撤回营销许可，移除未用的"
        "券，积分余额作废。销售、已用的券和积分明细保留在一个无法关联"
        "到个人的编号下，各项合计不变。此操作不可撤销。",
        "erase_confirm": "已核实请求：删除此会员",
        "member_erased": "已删除",
        "erased_done": "会员已删除。",
        "sales": "销售",
        "groupbuy": "团购售后",
        "sale_number": "销售单号或编号",
        "day_from": "起始日期",
        "day_to": "截止日期",
        "any_kiosk": "全部自助机",
        "no_sales": "没有匹配的销售。",
        "sales_help": "显示符合所有已填条件的最新 50 笔销售。时间为自助机时间，与小票一致。",
        "number": "单号",
        "items": "件数",
        "training": "练习",
        "taxes": "税额",
        "tax": "税",
        "tenders": "支付",
        "method": "方式",
        "reference": "参考号",
        "refunds": "退款",
        "no_refunds": "无退款。",
        "voided": "已作废",
        "sale_paid": "已支付",
        "sale_voided": "已作废",
        "refund_processing": "处理中",
        "refund_refunded": "已退款",
        "refund_failed": "失败",
        "coupon_unknown_coupon": "本店不认识这张优惠券。",
        "coupon_bad_signature": "优惠券码不是真的。",
        "coupon_expired": "优惠券已过期。",
        "coupon_not_yet_valid": "优惠券尚未生效。",
        "coupon_member_only": "仅限会员：请先扫描会员码。",
        "coupon_other_member": "这张优惠券属于其他会员。",
        "coupon_tier_only": "仅限特定等级的会员。",
        "coupon_already_used": "优惠券已被使用。",
        "coupon_limit_reached": "该会员的使用次数已达上限。",
        "coupon_not_offline": "这张优惠券需要联网使用。",
        "coupon_no_qualifying_items": "购物篮中没有适用此优惠券的商品。",
        "coupon_below_minimum_spend": "未达到此优惠券的最低消费。",
        "coupon_not_combinable": "不可叠加：另一张优惠券更划算。",
        "coupon_wrong_currency": "优惠券的币种不同。",
        "spend_more": "还差 {amount}",
        "integrity": "数据完整性",
        "sale_conflicts": "收到过内容不同的此销售单副本，已搁置待审核：",
        "integrity_help": "自助机发送、但服务端搁置待查的数据：同一编号却内容不同、未通过校验的"
        "销售单、重复使用的优惠券。这些都没有被合并；请把原始文档与已存数据对照，并在对应自助机上处理。",
        "conflicts": "待审核的冲突",
        "no_conflicts": "没有冲突。",
        "chain": "日志链",
        "chain_help": "自助机哈希链的断裂、内容不同的重发日志条目，以及仍缺失的编号"
        "（缺失的销售单或条目到达后，缺口会自动消失）。",
        "no_chain_issues": "没有断裂或缺口。",
        "received": "接收时间",
        "sent": "内容",
        "id": "ID",
        "reason": "原因",
        "document": "文档",
        "show_document": "查看",
        "position": "编号",
        "detail": "详情",
        "entity_sale": "销售单",
        "entity_journal": "日志条目",
        "entity_member": "会员注册",
        "entity_ledger": "积分事件",
        "entity_redemption": "优惠券使用",
        "issue_chain_break": "链断裂",
        "issue_conflict": "条目重发内容不同",
        "issue_gap": "缺失",
        "chain_ok": "日志链：此自助机没有断链或冲突记录。",
        "chain_issues": "日志链：此自助机有断链或冲突记录：",
        "receipt": "小票",
        "open_receipt": "打开顾客收到的小票（电子小票页面，一小时内有效）",
        "journal_entry": "日志条目",
        "journal_missing": "此销售单在自助机日志中的条目尚未收到。",
        "digest_ok": "其摘要与存储的销售单一致。",
        "digest_bad": "其摘要与存储的销售单不一致。",
        "chain_whole": "到此条目为止的日志链完整：没有缺失条目，也没有断链记录。",
        "entries_missing": "此条目之前尚未收到的日志条目：",
        "issues_before": "到此条目为止记录的断链或冲突：",
        "dealt_with": "已处理",
        "dealt_help": "由人员核查后标记；该项仍保留自助机发送时的原样。"
        "缺口会在缺失的数据到达后自动关闭。",
        "newest_open": "显示最新的 {shown} 项，共 {total} 项：每处理一项，更早的一项便进入列表。",
        "newest_dealt": "显示最新的 {shown} 项，共 {total} 项。",
        "dealt_range": "第 {range} 项，共 {total} 项（最新的在前）。",
        "newest_page": "最新",
        "why_body_differs": "以不同内容重复发送",
        "why_sequence_reused": "其销售编号已属于另一笔销售",
        "why_kiosk_mismatch": "所写自助机与发送的自助机不同",
        "why_store_mismatch": "门店与自助机所属门店不同",
        "why_time": "时间无法识别",
        "why_currency": "未知币种",
        "why_arithmetic": "金额合计不符",
        "why_bounds": "数值超出范围",
        "why_shape": "格式不符",
        "why_override": "改价缺少员工、原因或价格",
        "why_entry_differs": "日志条目以不同内容重复发送",
        "why_phone_registered": "该手机号已属于另一位会员",
        "why_kind": "只有运营人员可以记入的积分类型",
        "why_sign": "积分正负号错误",
        "why_no_sale": "积分没有对应的销售",
        "why_unknown_sale": "积分对应的销售不在服务中",
        "why_sale_not_paid": "积分对应的销售未付款（或为培训销售）",
        "why_member_mismatch": "积分所属会员与销售的会员不同",
        "why_over_balance": "使用的积分超过会员余额",
        "why_already_earned": "同一笔销售重复获得积分",
        "why_over_policy": "积分超过任何等级在该销售可得的数量",
        "why_member_erased": "积分属于已应要求删除的会员（该自助机尚未获取删除记录）",
        "why_double_use": "优惠券被使用两次",
        "why_points_differ": "退款的积分与服务记录不同",
        "why_coupon_not_returned": "退款退回的优惠券不属于该销售",
        "mark_dealt": "标记为已处理",
        "dealt_note": "处理说明",
        "dealt_done": "已标记为已处理。",
        "reopen": "重新打开",
        "reopen_why": "重新打开的原因",
        "reopened": "已重新打开：该项回到待处理列表。",
        "dealt_by": "处理人",
        "no_dealt": "还没有标记为已处理的项。",
        "home_store": "所属门店",
        "chain_wide": "全连锁",
        "staff_scope": "店长可查看、添加和修改本人门店的员工以及未指定所属门店的员工。",
        "member": "会员",
        "rules": "门店规则",
        "store_kiosks": "{store} · {n} 台设备",
        "rules_set": "由总部设定：本门店的设备从下一笔交易起采用。",
        "rules_own": "总部未设定：各设备沿用安装时的规则。",
        "rules_own_set": "在此保存的规则适用于本门店所有设备："
        "请逐项填写（此处无法得知设备自身的规则）。",
        "rules_currency_differs": "这些规则的币种是 {rules}，但本门店的自助机以 {sales} 销售："
        "以 {sales} 保存之前，自助机不会采用这些规则。",
        "rules_unreadable": "本门店已存的规则无法读取（{why}）："
        "设备沿用上次有效的规则。请重新保存。",
        "rule_remove": "顾客可自行删除商品",
        "rule_quantity": "每笔交易同一商品最多件数",
        "rule_coupons": "退款后，该笔交易使用的优惠券退回会员卡包",
        "rule_transfer": "挂起的购物车可恢复的时长（小时）",
        "rule_audit_percent": "抽查购物袋：抽查交易比例（%）",
        "rule_audit_over": "抽查购物袋：金额超过（留空：不设）的每笔交易",
        "rules_withdraw": "改用设备自身规则",
        "rules_new": "为其他门店设定规则",
        "rules_scope": "门店规则由总部管理：其中的购物袋抽查用于防范门店损耗，只有总部可以修改。",
    },
    "ko": {
        "console": "백오피스",
        "sign_in": "로그인",
        "login": "아이디",
        "password": "비밀번호",
        "wrong": "아이디 또는 비밀번호가 틀렸습니다.",
        "locked": "비밀번호를 여러 번 틀려 이 계정이 15분간 잠겼습니다.",
        "throttled": "이곳에서 시도가 너무 많습니다. 2분 후에 다시 시도하세요.",
        "sign_out": "로그아웃",
        "fleet": "기기",
        "staff": "직원",
        "accounts": "계정 관리",
        "audit": "작업 기록",
        "reports": "보고서",
        "kiosk": "키오스크",
        "store": "매장",
        "version": "버전",
        "heartbeat": "최근 신호",
        "backlog": "동기화 대기",
        "alerts": "미처리 알림",
        "camera": "카메라",
        "printer": "프린터",
        "sync_problems": "동기화 문제: {n}건",
        "state": "상태",
        "revoked": "사용 중지됨",
        "active": "사용",
        "inactive": "중지",
        "revoke": "사용 중지",
        "never": "없음",
        "new_code": "새 등록 코드",
        "hours": "유효 시간(시간)",
        "create": "만들기",
        "code_made": "등록 코드(한 번만 표시됩니다: 새 키오스크에 입력하세요)",
        "valid_until": "유효 기한",
        "confirm_revoke": "이 키오스크를 사용 중지할까요?",
        "revoke_why": "지금부터 이 기기의 요청은 거부됩니다. 다시 판매하려면 새 코드로 다시 "
        "등록해야 합니다.",
        "cancel": "취소",
        "kiosk_revoked": "키오스크를 사용 중지했습니다.",
        "staff_no": "직원 번호",
        "name": "이름",
        "role": "역할",
        "pin": "PIN",
        "new_pin": "새 PIN",
        "save": "저장",
        "set_pin": "PIN 재설정",
        "add_staff": "직원 추가",
        "add": "추가",
        "deactivate": "중지",
        "activate": "사용",
        "saved": "저장했습니다.",
        "stores": "매장(점장용, 쉼표로 구분)",
        "new_account": "새 계정",
        "set_password": "비밀번호 설정",
        "new_password": "새 비밀번호(12자 이상)",
        "when": "시각",
        "who": "작업자",
        "what": "작업",
        "target": "대상",
        "before": "이전",
        "after": "이후",
        "from": "접속 위치",
        "older": "이전 기록",
        "forbidden": "권한 없음",
        "forbidden_why": "현재 역할로는 이 작업을 할 수 없습니다.",
        "missing": "찾을 수 없음",
        "missing_why": "그런 페이지나 항목이 없습니다(삭제되었거나 주소가 잘못되었을 수 있습니다).",
        "not_done": "처리되지 않음",
        "not_done_why": "처리할 수 없었고 아무것도 바뀌지 않았습니다.",
        "back_home": "백오피스 첫 화면으로",
        "none": "—",
        "yes": "예",
        "no": "아니요",
        "badge": "사원증",
        "locked_until": "잠금 해제 시각",
        "ok": "정상",
        "connectivity": "네트워크",
        "actions": "작업",
        "account_saved": "계정을 저장했습니다.",
        "password_saved": "비밀번호를 설정했습니다. 이 계정의 모든 세션이 종료되었습니다.",
        "no_kiosks": "아직 기기가 없습니다. 아래에서 등록 코드를 만드세요.",
        "hq_admin": "본사 관리자",
        "store_manager": "점장",
        "marketing": "마케팅",
        "read_only": "읽기 전용",
        "associate": "직원",
        "supervisor": "주임",
        "manager": "매니저",
        "catalog": "상품",
        "search": "검색",
        "search_label": "바코드, 이름, 브랜드 또는 분류",
        "product": "상품",
        "price": "가격",
        "tax_class": "세금 유형",
        "unit": "단위",
        "age_min": "최소 연령",
        "sellable": "판매 가능",
        "recalled": "회수됨",
        "recalled_lots": "회수 로트(| 로 구분)",
        "deposit": "보증금",
        "plu": "PLU(무포장 농산물, 예: 4131)",
        "picture": "사진(파일 이름, 예: fuji-apples.png)",
        "brand": "브랜드",
        "category": "분류",
        "currency": "통화",
        "name_en": "이름(영어)",
        "name_zh_CN": "이름(중국어)",
        "name_ko": "이름(한국어)",
        "recall": "회수",
        "recall_whole": "상품 전체 회수",
        "recall_help": "키오스크는 다음 상품 동기화부터 회수된 상품이나 회수 로트의 상품을 "
        "거부합니다.",
        "import": "CSV 가져오기",
        "import_help": "키오스크의 상품 CSV 형식(머리글 포함), UTF-8, 최대 4MB입니다"
        "(더 큰 카탈로그는 나누어 가져오세요). 잘못된 행이 하나라도 있으면 아무것도 "
        "가져오지 않고 잘못된 행을 모두 보여 줍니다.",
        "csv_file": "CSV 파일",
        "csv_paste": "또는 CSV 내용 붙여 넣기(파일을 고르지 않았을 때 사용)",
        "file_too_large": "파일이 4MB보다 큽니다. 나누어 가져오세요.",
        "file_not_utf8": '파일이 UTF-8 텍스트가 아닙니다. "CSV UTF-8"로 저장한 뒤 다시 시도하세요.',
        "imported": "상품을 가져왔습니다.",
        "bad_rows": "가져오지 않았습니다: 다음 행을 고치세요",
        "no_products": "일치하는 상품이 없습니다.",
        "edit": "편집",
        "promotions": "프로모션",
        "coupons": "쿠폰",
        "campaigns": "시즌 캠페인",
        "preview": "가격 미리보기",
        "promotion_id": "프로모션 ID",
        "coupon_id": "쿠폰 ID",
        "campaign_id": "캠페인 ID",
        "kind": "유형",
        "gtins": "상품 바코드(| 로 구분)",
        "brands": "브랜드(| 로 구분)",
        "categories": "분류(| 로 구분)",
        "exclude_gtins": "제외 상품(바코드)",
        "reward_gtins": "증정 상품(바코드)",
        "reward_brands": "증정 브랜드",
        "reward_categories": "증정 분류",
        "percent": "할인율 %(예: 12.5)",
        "amount": "금액",
        "buy": "구매 수량",
        "get": "증정 수량",
        "min_quantity": "최소 수량",
        "threshold": "기준 구매 금액",
        "repeat": "기준 금액마다 반복",
        "tiers": "회원 등급(| 로 구분)",
        "starts_at": "시작(날짜 또는 ISO 시각)",
        "ends_at": "종료(해당 날짜 포함)",
        "priority": "우선순위",
        "stackable": "중복 적용",
        "max_per_sale": "구매당 최대 횟수",
        "min_spend": "최소 구매 금액",
        "per_member_limit": "회원당 사용 한도",
        "member_only": "회원 전용",
        "offline_ok": "오프라인 사용 가능",
        "utc_offset": "입력한 날짜의 UTC 오프셋",
        "season": "시즌",
        "scheduled": "예정",
        "running": "진행 중",
        "ended": "종료됨",
        "end_now": "지금 종료",
        "end_help": "진행 중인 것은 바로 종료되고, 시작 전인 것은 철회됩"
        "니다. 키오스크는 다음 동기화부터 적용하지 않습니다.",
        "offer_ended": "종료했습니다. 키오스크는 다음 동기화부터 적용하지 않습니다.",
        "offer_withdrawn": "시작 전에 철회했습니다.",
        "new_promotion": "새 프로모션",
        "new_coupon": "새 쿠폰",
        "new_campaign": "새 캠페인",
        "no_offers": "아직 없습니다.",
        "offer_help": "키오스크 CSV 형식으로 검사합니다: 금액은 12.50처"
        "럼, 목록은 | 로 구분, 예/아니요는 1/0. 키오스"
        "크는 다음 동기화 때 받습니다.",
        "kind_percent_off": "퍼센트 할인",
        "kind_amount_off": "금액 할인",
        "kind_multi_buy": "묶음 증정(2+1)",
        "kind_n_for_price": "N개 특가",
        "kind_buy_x_get_y": "X 구매 시 Y 증정",
        "kind_tier_price": "회원 등급가",
        "kind_basket": "구매 금액 할인",
        "kind_item": "단일 상품",
        "kind_brand": "브랜드",
        "kind_category": "분류",
        "preview_help": "키오스크와 같은 가격 엔진으로, 현재 저장된 프로모션과"
        " 쿠폰을 적용해 장바구니 가격을 계산합니다. 키오스크가"
        " 동기화한 뒤의 결과와 같습니다.",
        "quantity": "수량",
        "tier": "회원 등급",
        "no_member": "비회원",
        "coupon": "쿠폰",
        "no_coupon": "쿠폰 없음",
        "at": "가격 기준 시각(비우면 지금)",
        "price_it": "계산",
        "unit_price": "단가",
        "discount": "할인",
        "why": "이유",
        "subtotal": "소계",
        "discount_total": "할인 합계",
        "discounts_heading": "할인 내역",
        "total": "합계",
        "accepted": "적용됨",
        "refused": "거부됨",
        "points_earned": "적립 포인트",
        "tax_note": "세금은 매장 설정이라 표시하지 않습니다(중앙 서비스는 "
        "세율을 보관하지 않습니다). 가격에 세금이 포함된 경우"
        " 이 합계가 키오스크가 받는 금액입니다.",
        "not_sold": "판매 불가",
        "pick": "상품에서 고르기",
        "offer_name": "이름",
        "starts": "시작",
        "ends": "종료",
        "basket": "장바구니",
        "members": "회원",
        "member_find": "회원 코드 또는 휴대폰 번호",
        "find": "찾기",
        "phone_note": "중앙 서비스는 휴대폰 번호를 보관하지 않고 키 해시만 "
        "보관합니다. 전체 번호를 입력해 회원을 찾으세요. 입력"
        "한 번호는 저장되거나 기록되지 않습니다.",
        "member_not_found": "이 코드나 번호의 회원이 없습니다.",
        "member_code": "회원 코드",
        "points": "포인트",
        "signed_up": "가입 시각",
        "marketing_consent": "마케팅 동의",
        "merged": "병합된 회원 ID",
        "ledger": "포인트 내역",
        "sale": "판매",
        "wallet": "쿠폰함",
        "code": "코드",
        "used": "사용함",
        "available": "사용 가능",
        "export": "회원 데이터 내보내기(JSON)",
        "export_help": "열람 요청용: 이 회원에 대해 서비스가 보관한 모든 데"
        "이터(기록, 포인트, 쿠폰함, 쿠폰 사용, 판매). 내"
        "보내기는 기록됩니다.",
        "erase": "회원 삭제",
        "erase_help": "회원의 요청에 따라 휴대폰 해시와 회원 코드를 바꾸고, "
        "마케팅 동의를 철회하고, 쓰지 않은 쿠폰을 없애고, 포"
        "인트 잔액을 소멸시킵니다. 판매, 사용한 쿠폰, 포인트"
        " 내역은 누구에게도 연결되지 않는 ID로 남아 모든 합"
        "계가 그대로 맞습니다. 되돌릴 수 없습니다.",
        "erase_confirm": "요청을 확인했습니다: 이 회원을 삭제",
        "member_erased": "삭제됨",
        "erased_done": "회원을 삭제했습니다.",
        "sales": "판매",
        "groupbuy": "공동구매 A/S",
        "sale_number": "판매 번호 또는 ID",
        "day_from": "시작 날짜",
        "day_to": "종료 날짜",
        "any_kiosk": "모든 키오스크",
        "no_sales": "일치하는 판매가 없습니다.",
        "sales_help": "입력한 모든 조건에 맞는 최근 판매 50건입니다. 시각"
        "은 영수증과 같은 키오스크 시각입니다.",
        "number": "번호",
        "items": "수량",
        "training": "연습",
        "taxes": "세금",
        "tax": "세금",
        "tenders": "결제",
        "method": "방식",
        "reference": "참조 번호",
        "refunds": "환불",
        "no_refunds": "환불 없음.",
        "voided": "취소됨",
        "sale_paid": "결제됨",
        "sale_voided": "취소됨",
        "refund_processing": "처리 중",
        "refund_refunded": "환불됨",
        "refund_failed": "실패",
        "coupon_unknown_coupon": "이 매장에서 알 수 없는 쿠폰입니다.",
        "coupon_bad_signature": "진짜 쿠폰 코드가 아닙니다.",
        "coupon_expired": "기간이 지난 쿠폰입니다.",
        "coupon_not_yet_valid": "아직 사용할 수 없는 쿠폰입니다.",
        "coupon_member_only": "회원 전용: 회원 코드를 먼저 스캔하세요.",
        "coupon_other_member": "다른 회원의 쿠폰입니다.",
        "coupon_tier_only": "특정 등급 회원 전용입니다.",
        "coupon_already_used": "이미 사용한 쿠폰입니다.",
        "coupon_limit_reached": "이 회원의 사용 한도에 도달했습니다.",
        "coupon_not_offline": "이 쿠폰은 서비스에 연결되어야 사용할 수 있습니다.",
        "coupon_no_qualifying_items": "장바구니에 이 쿠폰이 적용되는 상품이 없습니다.",
        "coupon_below_minimum_spend": "이 쿠폰의 최소 구매 금액에 못 미칩니다.",
        "coupon_not_combinable": "함께 쓸 수 없음: 다른 쿠폰이 더 많이 할인됩니다.",
        "coupon_wrong_currency": "다른 통화의 쿠폰입니다.",
        "spend_more": "{amount} 더 구매",
        "integrity": "무결성",
        "sale_conflicts": "내용이 다른 이 판매의 사본이 도착해 검토용으로 보관됨:",
        "integrity_help": "키오스크가 보냈지만 서비스가 검토용으로 따로 둔 것입니다: 같은 ID에 "
        "다른 내용, 검사를 통과하지 못한 판매, 두 번 사용된 쿠폰. 아무것도 병합되지 않았습니다. "
        "문서를 저장된 내용과 비교하고 해당 키오스크에서 바로잡으세요.",
        "conflicts": "검토할 충돌",
        "no_conflicts": "충돌이 없습니다.",
        "chain": "저널 체인",
        "chain_help": "키오스크 해시 체인의 끊김, 다른 내용으로 다시 보낸 저널 항목, 아직 "
        "빠진 번호입니다(빠진 판매나 항목이 도착하면 저절로 사라집니다).",
        "no_chain_issues": "끊김이나 빠진 번호가 없습니다.",
        "received": "받은 시각",
        "sent": "대상",
        "id": "ID",
        "reason": "사유",
        "document": "문서",
        "show_document": "보기",
        "position": "번호",
        "detail": "내용",
        "entity_sale": "판매",
        "entity_journal": "저널 항목",
        "entity_member": "회원 가입",
        "entity_ledger": "포인트 내역",
        "entity_redemption": "쿠폰 사용",
        "issue_chain_break": "체인 끊김",
        "issue_conflict": "다른 내용으로 재전송",
        "issue_gap": "빠짐",
        "chain_ok": "저널 체인: 이 키오스크에 기록된 끊김이나 충돌이 없습니다.",
        "chain_issues": "저널 체인: 이 키오스크에 기록된 끊김 또는 충돌:",
        "receipt": "영수증",
        "open_receipt": "고객이 받은 영수증 열기 (전자 영수증 페이지, 1시간 동안 유효)",
        "journal_entry": "저널 항목",
        "journal_missing": "이 판매의 키오스크 저널 항목이 아직 도착하지 않았습니다.",
        "digest_ok": "다이제스트가 저장된 판매와 일치합니다.",
        "digest_bad": "다이제스트가 저장된 판매와 일치하지 않습니다.",
        "chain_whole": "이 항목까지 체인이 온전합니다: 빠진 항목도, 기록된 끊김도 없습니다.",
        "entries_missing": "이 항목 앞에서 아직 받지 못한 저널 항목:",
        "issues_before": "이 항목까지 기록된 끊김 또는 충돌:",
        "dealt_with": "처리됨",
        "dealt_help": "담당자가 확인한 뒤 표시한 항목입니다. 항목은 키오스크가 보낸 그대로 "
        "남습니다. 빠진 번호는 해당 데이터가 도착하면 저절로 닫힙니다.",
        "newest_open": "전체 {total}건 중 최신 {shown}건입니다. 한 건을 처리할 때마다 이전 "
        "항목이 목록에 들어옵니다.",
        "newest_dealt": "전체 {total}건 중 최신 {shown}건입니다.",
        "dealt_range": "전체 {total}건 중 {range}번째입니다(최신순).",
        "newest_page": "최신",
        "why_body_differs": "다른 내용으로 다시 전송됨",
        "why_sequence_reused": "판매 번호가 이미 다른 판매에 속함",
        "why_kiosk_mismatch": "보낸 키오스크와 다른 키오스크가 적힘",
        "why_store_mismatch": "키오스크의 매장과 다른 매장",
        "why_time": "읽을 수 없는 시각",
        "why_currency": "알 수 없는 통화",
        "why_arithmetic": "금액이 맞지 않음",
        "why_bounds": "범위를 벗어난 숫자",
        "why_shape": "형식이 맞지 않음",
        "why_override": "직원, 사유 또는 가격이 없는 가격 변경",
        "why_entry_differs": "다른 내용으로 다시 전송된 저널 항목",
        "why_phone_registered": "이미 다른 회원의 휴대폰 번호",
        "why_kind": "운영자만 기록할 수 있는 종류의 포인트",
        "why_sign": "부호가 잘못된 포인트",
        "why_no_sale": "판매 없는 포인트",
        "why_unknown_sale": "서비스에 없는 판매의 포인트",
        "why_sale_not_paid": "결제되지 않은 판매(또는 교육용 판매)의 포인트",
        "why_member_mismatch": "판매의 회원과 다른 회원의 포인트",
        "why_over_balance": "회원 잔액보다 많이 사용한 포인트",
        "why_already_earned": "한 판매에 두 번 적립된 포인트",
        "why_over_policy": "어떤 등급으로도 그 판매에서 받을 수 없는 포인트",
        "why_member_erased": "요청으로 삭제된 회원의 포인트(키오스크가 아직 삭제 기록을 받지 못함)",
        "why_double_use": "두 번 사용된 쿠폰",
        "why_points_differ": "환불의 포인트가 서비스 기록과 다름",
        "why_coupon_not_returned": "환불로 돌려준 쿠폰이 그 판매의 것이 아님",
        "mark_dealt": "처리됨으로 표시",
        "dealt_note": "처리 내용",
        "dealt_done": "처리됨으로 표시했습니다.",
        "reopen": "다시 열기",
        "reopen_why": "다시 여는 이유",
        "reopened": "다시 열었습니다. 항목이 미처리 목록으로 돌아갔습니다.",
        "dealt_by": "처리자",
        "no_dealt": "처리됨으로 표시된 항목이 아직 없습니다.",
        "home_store": "소속 매장",
        "chain_wide": "전 매장",
        "staff_scope": "매장 관리자는 자기 매장 직원과 소속 매장이 없는 직원을 보고, "
        "추가하고, 변경할 수 있습니다.",
        "member": "회원",
        "rules": "매장 규칙",
        "store_kiosks": "{store} · 기기 {n}대",
        "rules_set": "본사 설정: 이 매장 기기는 다음 거래부터 적용합니다.",
        "rules_own": "본사 설정 없음: 각 기기는 설치할 때의 규칙을 씁니다.",
        "rules_own_set": "여기서 저장한 규칙은 이 매장의 모든 기기에 적용됩니다. 모든 값을 "
        "정하세요(기기 자체 규칙은 여기서 알 수 없습니다).",
        "rules_currency_differs": "이 규칙은 {rules} 기준이지만 이 매장 기기는 {sales}(으)로 "
        "판매합니다. {sales}(으)로 다시 저장할 때까지 기기는 이 규칙을 받지 않습니다.",
        "rules_unreadable": "이 매장에 저장된 규칙을 읽을 수 없습니다({why}). 기기는 마지막으로 "
        "받은 올바른 규칙을 씁니다. 다시 저장하세요.",
        "rule_remove": "고객이 직접 상품을 뺄 수 있음",
        "rule_quantity": "한 거래에서 같은 상품 최대 개수",
        "rule_coupons": "환불하면 그 거래에 쓴 쿠폰을 회원 지갑에 돌려줌",
        "rule_transfer": "보류한 장바구니를 다시 열 수 있는 시간(시간)",
        "rule_audit_percent": "가방 확인: 확인할 거래 비율(%)",
        "rule_audit_over": "가방 확인: 이 금액을 넘는 모든 거래(비우면 없음)",
        "rules_withdraw": "기기 자체 규칙 사용",
        "rules_new": "다른 매장 규칙 설정",
        "rules_scope": "매장 규칙은 본사가 관리합니다. 매장 손실을 막는 가방 확인이 들어 있어 "
        "본사만 바꿀 수 있습니다.",
    },
}

NAV: tuple[tuple[str, str, Permission], ...] = (
    ("fleet", "/admin/fleet", Permission.VIEW_FLEET),
    ("rules", "/admin/rules", Permission.VIEW_FLEET),
    ("staff", "/admin/staff", Permission.VIEW_STAFF),
    ("catalog", "/admin/catalog", Permission.VIEW_CATALOG),
    ("promotions", "/admin/promotions", Permission.VIEW_OFFERS),
    ("coupons", "/admin/coupons", Permission.VIEW_OFFERS),
    ("campaigns", "/admin/campaigns", Permission.VIEW_OFFERS),
    ("preview", "/admin/preview", Permission.VIEW_OFFERS),
    ("members", "/admin/members", Permission.VIEW_MEMBERS),
    ("sales", "/admin/sales", Permission.VIEW_SALES),
    ("reports", "/admin/reports", Permission.VIEW_REPORTS),
    ("integrity", "/admin/integrity", Permission.REVIEW_INTEGRITY),
    ("groupbuy", "/admin/groupbuy", Permission.VIEW_SALES),
    ("accounts", "/admin/accounts", Permission.MANAGE_ACCOUNTS),
    ("audit", "/admin/audit", Permission.VIEW_AUDIT),
)

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f5f8;color:#17202c;font:17px/1.45 system-ui,"Noto Sans CJK SC",
"Noto Sans",sans-serif}
header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px;padding:10px 18px;
background:#123a6b;color:#fff}
header .brand{font-size:20px;font-weight:700;margin-right:auto}
header nav{display:flex;flex-wrap:wrap;gap:4px}
header a{color:#fff;text-decoration:none;padding:10px 14px;border-radius:8px;min-height:44px;
display:inline-block}
header a[aria-current=page]{background:#fff;color:#123a6b;font-weight:700}
header a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{
outline:3px solid #f5b301;outline-offset:2px}
header .who{font-size:15px;opacity:.9}
a.photo{display:block;margin-top:6px}a.photo img{max-width:160px;max-height:120px;
border-radius:6px;border:1px solid #c9d1dc}
header form{margin:0}
header button{background:transparent;color:#fff;border:2px solid #fff}
main{padding:18px;max-width:1400px;margin:0 auto}
h1{font-size:26px;margin:6px 0 14px}
h2{font-size:20px;margin:26px 0 10px}
.scroll{overflow-x:auto;background:#fff;border-radius:12px;border:1px solid #d5dbe4}
table{border-collapse:collapse;width:100%;font-size:17px}
th,td{text-align:left;padding:12px 14px;border-bottom:1px solid #e3e7ee;vertical-align:top}
th{background:#e9eef5;font-size:15px;color:#2b3a4f;white-space:nowrap}
tr:last-child td{border-bottom:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.mono{font-family:ui-monospace,"Noto Sans Mono",monospace;font-size:15px}
.bad{color:#a31b12;font-weight:700}
.muted{color:#5a6678}
form.card{background:#fff;border:1px solid #d5dbe4;border-radius:12px;padding:16px;
display:flex;flex-wrap:wrap;gap:14px;align-items:flex-end}
form.inline{display:inline-flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0}
label{display:flex;flex-direction:column;gap:4px;font-size:15px;color:#2b3a4f}
input,select{font:inherit;padding:9px 10px;border:2px solid #aab4c3;border-radius:8px;
min-height:44px;background:#fff;color:#17202c}
button,.button{font:inherit;font-weight:600;padding:9px 16px;min-height:44px;border-radius:8px;
border:2px solid #123a6b;background:#123a6b;color:#fff;cursor:pointer;text-decoration:none;
display:inline-block}
button.quiet,.button.quiet{background:#fff;color:#123a6b}
button.danger,.button.danger{background:#a31b12;border-color:#a31b12;color:#fff}
.note{background:#e6f4ea;border:1px solid #9fd3ad;color:#1e5631;padding:12px 16px;
border-radius:10px;margin:0 0 14px}
.error{background:#fdecea;border:1px solid #f0aaa3;color:#8a1c12;padding:12px 16px;
border-radius:10px;margin:0 0 14px;font-weight:600}
textarea{font:15px/1.4 ui-monospace,monospace;width:100%;padding:9px;border:2px solid #aab4c3;
border-radius:8px}
div.card{background:#fff;border:1px solid #d5dbe4;border-radius:12px;padding:16px;
display:flex;flex-wrap:wrap;gap:14px}
.wide{flex:1 1 100%}
.nowrap{white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}
dt{color:#2b3a4f;font-size:15px}dd{margin:0}
label.check{flex-direction:row;align-items:center;gap:10px;min-height:44px}
label.check input{width:24px;height:24px;min-height:0}
dl.card{background:#fff;border:1px solid #d5dbe4;border-radius:12px;padding:16px}
section[data-store]{margin:0 0 22px}
section[data-store] h2{margin:0 0 4px}
section[data-store] > form:not(.card){margin-top:8px}
input:disabled,select:disabled{background:#eef1f5;color:#3d4959;border-style:dashed}
.code{font-size:34px;font-weight:700;letter-spacing:3px}
.signin{max-width:420px;margin:60px auto;background:#fff;border-radius:14px;padding:26px;
border:1px solid #d5dbe4;display:flex;flex-direction:column;gap:16px}
.signin h1{margin:0}
.signin button{min-height:52px;font-size:19px}
.langs{display:flex;gap:6px}
summary{cursor:pointer;min-height:44px;padding:10px 0;color:#123a6b;font-weight:600;
white-space:nowrap}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:6px 0 0;max-width:60ch}
.langs a{padding:6px 10px;font-size:15px;min-height:0}
@media (max-width:820px){body{font-size:16px}main{padding:10px}th,td{padding:10px}
header{padding:8px 10px}}
"""


def _t(lang: str) -> dict[str, str]:
    return TEXTS[lang]


def _langs(lang: str, path: str) -> Html:
    links = [
        render(
            '<a href="{href}" lang="{tag}"{current}>{label}</a>',
            href=f"{path}?lang={code}",
            tag=code.replace("_", "-"),
            label=label,
            current=Html(' aria-current="true"' if code == lang else ""),
        )
        for code, label in (("zh_CN", "中文"), ("ko", "한국어"), ("en", "English"))
    ]
    return render('<div class="langs">{links}</div>', links=join(links))


def _document(lang: str, title: str, body: Html) -> str:
    return render(
        '<!doctype html><html lang="{tag}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex"><title>{title}</title>'
        '<link rel="stylesheet" href="{css}"></head><body>{body}</body></html>',
        tag=lang.replace("_", "-"),
        title=title,
        css=CSS_PATH,
        body=body,
    )


def _messages(note: str | None, error: str | None) -> Html:
    parts = []
    if note:
        parts.append(render('<p class="note" role="status">{n}</p>', n=note))
    if error:
        parts.append(render('<p class="error" role="alert" id="error">{e}</p>', e=error))
    return join(parts)


def layout(
    lang: str,
    who: Account,
    csrf: str,
    current: str,
    body: Html,
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    links = [
        render(
            '<a href="{href}"{cur}>{label}</a>',
            href=href,
            label=t[key],
            cur=Html(' aria-current="page"' if key == current else ""),
        )
        for key, href, permission in NAV
        if who.can(permission)
    ]
    header = render(
        '<header><span class="brand">{console}</span><nav aria-label="{console}">{links}</nav>'
        '<span class="who">{name} · {role}</span>{langs}'
        '<form method="post" action="/admin/logout">{csrf}'
        '<button id="sign_out">{sign_out}</button></form></header>',
        console=t["console"],
        links=join(links),
        name=who.name,
        role=t[who.role.value],
        langs=_langs(lang, f"/admin/{current}"),
        csrf=csrf_field(csrf),
        sign_out=t["sign_out"],
    )
    main = render(
        "<main><h1>{title}</h1>{messages}{body}</main>",
        title=t[current],
        messages=_messages(note, error),
        body=body,
    )
    return _document(lang, f"{t[current]} · {t['console']}", Html(header + main))


def csrf_field(token: str) -> Html:
    return render('<input type="hidden" name="csrf" value="{v}">', v=token)


def _table(headers: Sequence[str], rows: Iterable[Html], *, label: str) -> Html:
    head = join(render('<th scope="col">{h}</th>', h=h) for h in headers)
    return render(
        '<div class="scroll"><table aria-label="{label}"><thead><tr>{head}</tr></thead>'
        "<tbody>{rows}</tbody></table></div>",
        label=label,
        head=head,
        rows=join(rows),
    )


def _options(values: Iterable[tuple[str, str]], chosen: str) -> Html:
    return join(
        render(
            '<option value="{v}"{sel}>{label}</option>',
            v=v,
            label=label,
            sel=Html(" selected" if v == chosen else ""),
        )
        for v, label in values
    )


# ------------------------------------------------------------------ sign-in
def sign_in_page(lang: str, csrf: str, *, error: str | None = None, login: str = "") -> str:
    t = _t(lang)
    body = render(
        '<header><span class="brand">{console}</span>{langs}</header>'
        # The form is the page's main landmark and names it, for a screen reader's user.
        '<main><form class="signin" method="post" action="/admin/login"><h1>{sign_in}</h1>'
        "{messages}"
        '<label for="login">{login_label}</label>'
        '<input id="login" name="login" autocomplete="username" required value="{login}">'
        '<label for="password">{password}</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        "required>{csrf}"
        '<input type="hidden" name="lang" value="{lang}">'
        '<button id="sign_in">{sign_in}</button></form></main>',
        console=t["console"],
        langs=_langs(lang, "/admin/login"),
        messages=_messages(None, t[error] if error else None),
        login_label=t["login"],
        login=login,
        password=t["password"],
        csrf=csrf_field(csrf),
        lang=lang,
        sign_in=t["sign_in"],
    )
    return _document(lang, f"{t['sign_in']} · {t['console']}", body)


def problem_page(lang: str, who: Account, csrf: str, status: int, detail: str) -> str:
    """A console address with nothing behind it (404) or a request it refused: what
    happened in the page's language, the service's own words under it, and the way back."""
    t = _t(lang)
    key = "missing" if status == 404 else "not_done"
    body = render(
        '<p>{why}</p><p class="muted">{detail}</p><p><a href="/admin/">{back}</a></p>',
        why=t[f"{key}_why"],
        detail=detail,
        back=t["back_home"],
    )
    return layout(lang, who, csrf, key, body)


def forbidden_page(lang: str, who: Account, csrf: str) -> str:
    t = _t(lang)
    body = render("<p>{why}</p>", why=t["forbidden_why"])
    return layout(lang, who, csrf, "forbidden", body)


# ------------------------------------------------------------------ fleet
def fleet_page(
    lang: str,
    who: Account,
    csrf: str,
    rows: Sequence[FleetRow],
    *,
    code: tuple[str, str, str] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    manage = who.can(Permission.MANAGE_FLEET)

    def health(value: str | None) -> Html:
        if value is None:
            return render('<span class="muted">{n}</span>', n=t["none"])
        if value in ("ok", "none"):
            return render("{v}", v=t["ok"] if value == "ok" else t["none"])
        return render('<span class="bad">{v}</span>', v=value)

    def problems(lines: Sequence[str]) -> Html:
        if not lines:
            return Html("")
        return render(
            '<details class="problems"><summary class="bad">{n}</summary><ul>{items}</ul>'
            "</details>",
            n=t["sync_problems"].format(n=len(lines)),
            items=join(render("<li>{line}</li>", line=line) for line in lines),
        )

    def row(k: FleetRow) -> Html:
        if k.revoked:
            action: Html = render('<span class="bad">{r}</span>', r=t["revoked"])
        elif manage and who.runs(k.store_id):
            action = render(
                '<a class="button danger" href="/admin/fleet/{id}/revoke" '
                'data-revoke="{id}">{revoke}</a>',
                id=k.kiosk_id,
                revoke=t["revoke"],
            )
        else:
            action = Html("")
        return render(
            '<tr data-kiosk="{id}"><td><strong>{name}</strong><br>'
            '<span class="mono muted">{short}</span></td><td>{store}</td>'
            "<td>{version}{problems}</td>"
            "<td>{beat}<br><span class='muted'>{link}</span></td>"
            '<td class="num{backlog_bad}">{backlog}</td><td class="num{alerts_bad}">{alerts}</td>'
            "<td>{camera}</td><td>{printer}</td><td>{action}</td></tr>",
            id=k.kiosk_id,
            name=k.name,
            short=k.kiosk_id[:8],
            store=k.store_id,
            version=k.version or t["none"],
            problems=problems(k.problems),
            beat=(k.last_heartbeat or t["never"]).replace("T", " ")[:19],
            # A revoked kiosk cannot report any more: its last "online" would read as now.
            link="" if k.revoked else k.connectivity or "",
            backlog=t["none"] if k.backlog is None else k.backlog,
            backlog_bad=Html(" bad" if k.backlog else ""),
            alerts=k.open_alerts,
            alerts_bad=Html(" bad" if k.open_alerts else ""),
            camera=health(k.camera),
            printer=health(k.printer),
            action=action,
        )

    headers = [
        t[h]
        for h in (
            "kiosk",
            "store",
            "version",
            "heartbeat",
            "backlog",
            "alerts",
            "camera",
            "printer",
            "actions",
        )
    ]
    parts = []
    if code is not None:
        parts.append(
            render(
                '<div class="note" role="status"><p>{made} · {store}</p>'
                '<p class="code mono" id="code">{code}</p><p>{until} {expires}</p></div>',
                made=t["code_made"],
                store=code[1],
                code=code[0],
                until=t["valid_until"],
                expires=code[2].replace("T", " ")[:16] + " UTC",
            )
        )
    if rows:
        parts.append(_table(headers, (row(k) for k in rows), label=t["fleet"]))
    else:
        parts.append(render("<p>{n}</p>", n=t["no_kiosks"]))
    if manage:
        stores = sorted(who.stores)
        store_input = (
            render(
                '<select id="store_id" name="store_id">{o}</select>',
                o=_options(((s, s) for s in stores), stores[0]),
            )
            if who.role is Role.STORE_MANAGER
            else Html('<input id="store_id" name="store_id" required size="10">')
        )
        parts.append(
            render(
                '<h2>{new_code}</h2><form class="card" method="post" action="/admin/fleet/codes">'
                '{csrf}<input type="hidden" name="once" value="{once}">'
                '<label for="store_id">{store}</label>{store_input}'
                '<label for="ttl_hours">{hours}</label>'
                '<input id="ttl_hours" name="ttl_hours" type="number" min="1" max="720" value="72">'
                '<button id="make_code">{create}</button></form>',
                new_code=t["new_code"],
                csrf=csrf_field(csrf),
                # One per page: the page shown after a code was made holds a new one.
                once=secrets.token_urlsafe(16),
                store=t["store"],
                store_input=store_input,
                hours=t["hours"],
                create=t["create"],
            )
        )
    return layout(lang, who, csrf, "fleet", join(parts), note=note, error=error)


def revoke_page(lang: str, who: Account, csrf: str, kiosk: FleetRow) -> str:
    t = _t(lang)
    body = render(
        '<form class="card" method="post" action="/admin/fleet/{id}/revoke">{csrf}'
        "<div><h2>{question}</h2><p><strong>{name}</strong> · {store} · "
        '<span class="mono">{id}</span></p><p>{why}</p></div>'
        '<button class="danger" id="confirm_revoke">{revoke}</button>'
        '<a class="button quiet" href="/admin/fleet">{cancel}</a></form>',
        id=kiosk.kiosk_id,
        csrf=csrf_field(csrf),
        question=t["confirm_revoke"],
        name=kiosk.name,
        store=kiosk.store_id,
        why=t["revoke_why"],
        revoke=t["revoke"],
        cancel=t["cancel"],
    )
    return layout(lang, who, csrf, "fleet", body)


# ------------------------------------------------------------------ staff
def _staff_roles(t: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(r.value, t[r.value]) for r in StaffRole]


def staff_page(
    lang: str,
    who: Account,
    csrf: str,
    rows: Sequence[StaffRow],
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    manage = who.can(Permission.MANAGE_STAFF)
    managed = sorted(who.stores) if who.role is Role.STORE_MANAGER else None

    def home_field(chosen: str | None, label: str, field_id: str = "") -> Html:
        """A store manager picks one of their stores (or none); others type a store id."""
        ident = render(' id="{i}"', i=field_id) if field_id else Html("")
        if managed is not None:
            choices = [("", t["chain_wide"]), *((s, s) for s in managed)]
            return render(
                '<select name="home_store"{ident} aria-label="{label}">{options}</select>',
                ident=ident,
                label=label,
                options=_options(choices, chosen or ""),
            )
        return render(
            '<input name="home_store"{ident} value="{v}" size="8" maxlength="64" '
            'pattern="[A-Za-z0-9_.\\-]{{1,64}}" placeholder="{chain}" aria-label="{label}">',
            ident=ident,
            v=chosen or "",
            chain=t["chain_wide"],
            label=label,
        )

    def row(s: StaffRow) -> Html:
        state = t["active"] if s.active else t["inactive"]
        if not manage:
            return render(
                "<tr><td class='mono'>{id}</td><td>{name}</td><td>{home}</td><td>{role}</td>"
                "<td>{state}</td><td>{pin}</td></tr>",
                id=s.staff_id,
                name=s.name,
                home=s.home_store or t["chain_wide"],
                role=t.get(s.role, s.role),
                state=state,
                pin=t["yes"] if s.has_pin else t["no"],
            )
        return render(
            '<tr data-staff="{id}"><td class="mono">{id}</td><td>{name}</td><td>'
            '<form class="inline" method="post" action="/admin/staff/{id}">{csrf}'
            "{home}"
            '<select name="role" aria-label="{role_label} {id}">{roles}</select>'
            '<input type="hidden" name="active" value="{active}">'
            '<button class="quiet">{save}</button></form></td>'
            "<td>{state}</td><td>"
            '<form class="inline" method="post" action="/admin/staff/{id}/pin">{csrf}'
            '<input name="pin" type="password" inputmode="numeric" autocomplete="new-password" '
            'size="6" aria-label="{new_pin} {id}" required>'
            '<button class="quiet">{set_pin}</button></form></td><td>'
            '<form class="inline" method="post" action="/admin/staff/{id}">{csrf}'
            '<input type="hidden" name="role" value="{role}">'
            '<input type="hidden" name="active" value="{toggle}">'
            '<button class="{toggle_class}">{toggle_label}</button></form></td></tr>',
            id=s.staff_id,
            name=s.name,
            csrf=csrf_field(csrf),
            home=home_field(s.home_store, f"{t['home_store']} {s.staff_id}"),
            role_label=t["role"],
            roles=_options(_staff_roles(t), s.role),
            active="1" if s.active else "0",
            save=t["save"],
            state=state,
            new_pin=t["new_pin"],
            set_pin=t["set_pin"],
            role=s.role,
            toggle="0" if s.active else "1",
            toggle_class="danger" if s.active else "quiet",
            toggle_label=t["deactivate"] if s.active else t["activate"],
        )

    if manage:
        headers = [t["staff_no"], t["name"], f"{t['home_store']} · {t['role']}", t["state"],
                   t["pin"], t["actions"]]  # fmt: skip
    else:
        headers = [t["staff_no"], t["name"], t["home_store"], t["role"], t["state"], t["pin"]]
    parts = [_table(headers, (row(s) for s in rows), label=t["staff"])]
    if managed is not None:
        parts.insert(0, render('<p class="muted">{w}</p>', w=t["staff_scope"]))
    if manage:
        parts.append(
            render(
                '<h2>{add_staff}</h2><form class="card" method="post" action="/admin/staff">{csrf}'
                '<label>{staff_no}<input name="staff_id" id="new_staff_id" required '
                'maxlength="128"></label>'
                '<label>{name}<input name="name" id="new_staff_name" required maxlength="100">'
                "</label><label>{home_label}{home}</label><label>{role}"
                '<select name="role" id="new_staff_role">'
                "{roles}</select></label>"
                '<label>{pin}<input name="pin" id="new_staff_pin" type="password" '
                'inputmode="numeric" autocomplete="new-password" required></label>'
                '<button id="add_staff">{add}</button></form>',
                add_staff=t["add_staff"],
                csrf=csrf_field(csrf),
                staff_no=t["staff_no"],
                name=t["name"],
                home_label=t["home_store"],
                home=home_field(managed[0] if managed else None, t["home_store"], "new_staff_home"),
                role=t["role"],
                roles=_options(_staff_roles(t), "associate"),
                pin=t["pin"],
                add=t["add"],
            )
        )
    return layout(lang, who, csrf, "staff", join(parts), note=note, error=error)


# ------------------------------------------------------------------ store rules
def stores_page(
    lang: str,
    who: Account,
    csrf: str,
    rows: Sequence[StoreRulesRow],
    *,
    note: str | None = None,
    error: str | None = None,
    typed: tuple[str, Mapping[str, str]] | None = None,
) -> str:
    """`typed`: a refused form's store ("" for the form of a new store) and fields, shown
    again as typed."""
    t = _t(lang)
    manage = who.can(Permission.MANAGE_STORE_RULES)

    def percent(rules: StoreRules) -> str:
        bp = rules.exit_audit.rate_bp  # basis points: hundredths of a percent
        return f"{bp // 100}.{bp % 100:02d}"

    def over(rules: StoreRules) -> str:
        amount = rules.exit_audit.over_minor
        return "" if amount is None else Money(amount, rules.currency).plain()

    def values(rules: StoreRules | None) -> dict[str, str]:
        """The form's fields for `rules`; with none, every field empty: the kiosks' own are
        not known here, and a value shown as if it were theirs would be saved unread."""
        if rules is None:
            return {}
        return {
            "shopper_may_remove": "1" if rules.shopper_may_remove else "",
            "max_quantity": str(rules.max_quantity_per_line),
            "refund_returns_coupons": "1" if rules.refund_returns_coupons else "",
            "transfer_hours": str(rules.transfer_validity_hours),
            "audit_percent": percent(rules),
            "audit_over": over(rules),
        }

    def form(store: str | None, filled: Mapping[str, str], currency: str) -> Html:
        """The rules' fields as `filled`; `store` None: a store id field first (a store
        not listed). `currency`: the amount's, unless `filled` names one."""
        at = store or "new"
        typed = filled.get("currency", "")
        chosen = typed if typed in CURRENCY_EXPONENT else currency
        return render(
            '<form class="card rules" method="post" action="{action}">{csrf}'
            "{store_field}"
            '<label class="check"><input type="checkbox" name="shopper_may_remove" value="1"'
            "{remove}> {remove_label}</label>"
            '<label>{quantity_label}<input name="max_quantity" id="quantity_{at}" '
            'type="number" min="1" max="999" required value="{quantity}"></label>'
            '<label class="check"><input type="checkbox" name="refund_returns_coupons" '
            'value="1"{coupons}> {coupons_label}</label>'
            '<label>{transfer_label}<input name="transfer_hours" id="transfer_{at}" '
            'type="number" min="1" max="24" required value="{transfer}"></label>'
            '<label>{percent_label}<input name="audit_percent" id="percent_{at}" '
            'inputmode="decimal" maxlength="6" required value="{percent}"></label>'
            '<label>{over_label}<input name="audit_over" id="over_{at}" inputmode="decimal" '
            'maxlength="16" value="{over}"></label>'
            '<label>{currency_label}<select name="currency" id="currency_{at}">{currencies}'
            "</select></label>"
            '<button id="save_{at}">{save}</button></form>',
            action=f"/admin/rules/{store}" if store else "/admin/rules",
            csrf=csrf_field(csrf),
            store_field=Html("")
            if store
            else render(
                '<label>{label}<input name="store_id" id="new_store_id" required '
                'maxlength="64" pattern="[A-Za-z0-9_.\\-]{{1,64}}" value="{store}"></label>',
                label=t["store"],
                store=filled.get("store_id", ""),
            ),
            at=at,
            remove=Html(" checked" if filled.get("shopper_may_remove") == "1" else ""),
            remove_label=t["rule_remove"],
            quantity_label=t["rule_quantity"],
            quantity=filled.get("max_quantity", ""),
            coupons=Html(" checked" if filled.get("refund_returns_coupons") == "1" else ""),
            coupons_label=t["rule_coupons"],
            transfer_label=t["rule_transfer"],
            transfer=filled.get("transfer_hours", ""),
            percent_label=t["rule_audit_percent"],
            percent=filled.get("audit_percent", ""),
            over_label=t["rule_audit_over"],
            over=filled.get("audit_over", ""),
            currency_label=t["currency"],
            currencies=join(
                render(
                    '<option value="{c}"{selected}>{c}</option>',
                    c=code,
                    selected=Html(" selected" if code == chosen else ""),
                )
                for code in sorted(CURRENCY_EXPONENT)
            ),
            save=t["save"],
        )

    def shown(rules: StoreRules) -> Html:
        """The rules in words, for those who may not change them."""
        items = [
            (t["rule_remove"], t["yes"] if rules.shopper_may_remove else t["no"]),
            (t["rule_quantity"], str(rules.max_quantity_per_line)),
            (t["rule_coupons"], t["yes"] if rules.refund_returns_coupons else t["no"]),
            (t["rule_transfer"], str(rules.transfer_validity_hours)),
            (t["rule_audit_percent"], percent(rules)),
            (t["rule_audit_over"], f"{over(rules)} {rules.currency}" if over(rules) else t["none"]),
        ]
        return render(
            '<dl class="card rules">{items}</dl>',
            items=join(render("<dt>{k}</dt><dd>{v}</dd>", k=k, v=v) for k, v in items),
        )

    listed = {row.store_id for row in rows}

    def filled(store: str | None, rules: StoreRules | None) -> Mapping[str, str]:
        """What the form for `store` shows: what was just typed there if it was refused (a
        store not listed was typed into the form for a new one, or is shown there)."""
        if typed is not None:
            typed_store, fields = typed
            if typed_store and typed_store == store:
                return fields
            if store is None and typed_store not in listed:
                return {**fields, "store_id": typed_store or fields.get("store_id", "")}
        return values(rules)

    def section(row: StoreRulesRow) -> Html:
        body = (
            form(row.store_id, filled(row.store_id, row.rules), row.sells_in or row.currency)
            if manage
            else (shown(row.rules) if row.rules else "")
        )
        if row.unreadable:
            state = t["rules_unreadable"].format(why=row.unreadable)
        elif row.rules and row.sells_in not in (None, row.rules.currency):
            state = t["rules_currency_differs"].format(rules=row.rules.currency, sales=row.sells_in)
        elif row.rules:
            state = t["rules_set"]
        else:
            state = t["rules_own"]
        withdraw = (
            render(
                '<form method="post" action="/admin/rules/{store}">{csrf}'
                '<input type="hidden" name="withdraw" value="1">'
                '<button class="quiet" id="withdraw_{store}">{label}</button></form>',
                store=row.store_id,
                csrf=csrf_field(csrf),
                label=t["rules_withdraw"],
            )
            if manage and row.rules
            else ""
        )
        return render(
            '<section data-store="{store}"><h2>{title}</h2><p class="muted">{state}</p>'
            "{choose}{body}{withdraw}</section>",
            store=row.store_id,
            title=t["store_kiosks"].format(store=row.store_id, n=row.kiosks),
            state=state,
            choose=render('<p class="muted">{w}</p>', w=t["rules_own_set"])
            if manage and not row.rules
            else "",
            body=body,
            withdraw=withdraw,
        )

    parts = [render('<p class="muted">{w}</p>', w=t["rules_scope"])]
    parts += [section(row) for row in rows]
    if manage:
        parts.append(render("<h2>{new}</h2>", new=t["rules_new"]))
        parts.append(form(None, filled(None, None), RULES_CURRENCY))
    return layout(lang, who, csrf, "rules", join(parts), note=note, error=error)


# ------------------------------------------------------------------ accounts
def accounts_page(
    lang: str,
    who: Account,
    csrf: str,
    rows: Sequence[Account],
    now_ms: int,
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    roles = [(r.value, t[r.value]) for r in Role]

    def row(a: Account) -> Html:
        locked = a.locked_until_ms is not None and a.locked_until_ms > now_ms
        return render(
            '<tr data-account="{login}"><td class="mono">{login}</td><td colspan="2">'
            '<form class="inline" method="post" action="/admin/accounts/{login}">{csrf}'
            '<input name="name" value="{name}" aria-label="{name_label} {login}" size="14">'
            '<select name="role" aria-label="{role_label} {login}">{roles}</select>'
            '<input name="stores" value="{stores}" aria-label="{stores_label} {login}" size="12">'
            '<select name="active" aria-label="{state_label} {login}">{states}</select>'
            '<button class="quiet">{save}</button></form>{lock}</td><td>'
            '<form class="inline" method="post" action="/admin/accounts/{login}/password">{csrf}'
            '<input name="password" type="password" autocomplete="new-password" minlength="12" '
            'aria-label="{new_password} {login}" required size="14">'
            '<button class="quiet">{set_password}</button></form></td></tr>',
            login=a.login,
            csrf=csrf_field(csrf),
            name=a.name,
            name_label=t["name"],
            role_label=t["role"],
            roles=_options(roles, a.role.value),
            stores=", ".join(sorted(a.stores)),
            stores_label=t["stores"],
            state_label=t["state"],
            states=_options((("1", t["active"]), ("0", t["inactive"])), "1" if a.active else "0"),
            save=t["save"],
            lock=render(
                ' <span class="bad">{l}</span>',
                l=t["locked_until"] + " " + _clock(a.locked_until_ms or 0),
            )
            if locked
            else Html(""),
            new_password=t["new_password"],
            set_password=t["set_password"],
        )

    headers = [t["login"], t["name"] + " · " + t["role"], t["stores"], t["password"]]
    parts = [_table(headers, (row(a) for a in rows), label=t["accounts"])]
    parts.append(
        render(
            '<h2>{new_account}</h2><form class="card" method="post" action="/admin/accounts">{csrf}'
            '<label>{login}<input name="login" id="new_login" required maxlength="64"></label>'
            '<label>{name}<input name="name" id="new_name" required maxlength="100"></label>'
            '<label>{role}<select name="role" id="new_role">{roles}</select></label>'
            '<label>{stores}<input name="stores" id="new_stores"></label>'
            '<label>{password}<input name="password" id="new_password" type="password" '
            'autocomplete="new-password" minlength="12" required></label>'
            '<button id="create_account">{create}</button></form>',
            new_account=t["new_account"],
            csrf=csrf_field(csrf),
            login=t["login"],
            name=t["name"],
            role=t["role"],
            roles=_options(roles, Role.READ_ONLY.value),
            stores=t["stores"],
            password=t["new_password"],
            create=t["create"],
        )
    )
    return layout(lang, who, csrf, "accounts", join(parts), note=note, error=error)


def _clock(ms: int) -> str:
    return iso_ms(ms).replace("T", " ")[:16] + " UTC"


# ------------------------------------------------------------------ audit
def audit_page(lang: str, who: Account, csrf: str, entries: Sequence[AuditEntry]) -> str:
    t = _t(lang)

    def row(e: AuditEntry) -> Html:
        return render(
            '<tr><td class="mono">{at}</td><td>{actor}</td><td class="mono">{action}</td>'
            '<td class="mono">{target}</td><td class="mono">{before}</td>'
            '<td class="mono">{after}</td><td class="mono">{source}</td></tr>',
            at=e.at.replace("T", " ")[:19],
            actor=e.actor,
            action=e.action,
            target=e.target,
            before=e.before or t["none"],
            after=e.after or t["none"],
            source=e.source,
        )

    headers = [t[h] for h in ("when", "who", "what", "target", "before", "after", "from")]
    parts = [_table(headers, (row(e) for e in entries), label=t["audit"])]
    if entries:
        parts.append(
            render(
                '<p><a href="/admin/audit?before={id}">{older}</a></p>',
                id=entries[-1].audit_id,
                older=t["older"],
            )
        )
    return layout(lang, who, csrf, "audit", join(parts))


# ------------------------------------------------------------------ catalog
PRODUCT_FIELDS = (
    "name_zh_CN",
    "name_en",
    "name_ko",
    "brand",
    "category",
    "price",
    "currency",
    "tax_class",
    "unit",
    "age_min",
    "sellable",
    "deposit",
    "plu",
    "picture",
)


def catalog_page(
    lang: str,
    who: Account,
    csrf: str,
    products: Sequence[Product],
    query: str,
    *,
    bad_rows: Sequence[str] = (),
    pasted: str = "",
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)

    def row(p: Product) -> Html:
        lots = " | ".join(sorted(p.recalled_lots))
        state = t["recalled"] if p.recalled else (f"{t['recalled']}: {lots}" if lots else "")
        return render(
            '<tr data-gtin="{gtin}"><td class="mono"><a href="/admin/catalog/{gtin}">{gtin}</a>'
            '</td><td>{name}</td><td>{brand}</td><td class="num">{price}</td><td>{tax}</td>'
            '<td class="bad">{state}</td></tr>',
            gtin=p.gtin,
            name=p.name(lang),
            brand=p.brand,
            price=p.price.format(),
            tax=p.tax_class,
            state=state,
        )

    parts = [
        render(
            '<form class="card" method="get" action="/admin/catalog" role="search">'
            '<label>{label}<input name="q" id="q" value="{q}" size="30"></label>'
            '<button id="search">{search}</button></form><h2></h2>',
            label=t["search_label"],
            q=query,
            search=t["search"],
        )
    ]
    if products:
        columns = ("product", "name", "brand", "price", "tax_class", "state")
        headers = [_label(t, h) for h in columns]
        parts.append(_table(headers, (row(p) for p in products), label=t["catalog"]))
    else:
        parts.append(render("<p>{n}</p>", n=t["no_products"]))
    if bad_rows:
        items = join(render("<li>{r}</li>", r=r) for r in bad_rows)
        parts.append(
            render(
                '<div class="error" role="alert" id="bad_rows"><p>{title}</p>'
                "<ul>{items}</ul></div>",
                title=t["bad_rows"],
                items=items,
            )
        )
    if who.can(Permission.MANAGE_CATALOG):
        parts.append(
            render(
                '<h2>{title}</h2><form class="card" method="post" action="/admin/catalog/import" '
                'enctype="multipart/form-data">{csrf}<p class="wide">{help}</p>'
                '<label class="wide">{file_label}<input type="file" name="file" id="csv_file" '
                'accept=".csv,text/csv"></label>'
                '<label class="wide">{paste_label}<textarea name="csv" id="csv" rows="6">'
                "{pasted}</textarea></label>"
                '<button id="import">{button}</button></form>',
                title=t["import"],
                csrf=csrf_field(csrf),
                help=t["import_help"],
                file_label=t["csv_file"],
                paste_label=t["csv_paste"],
                pasted=pasted,
                button=t["import"],
            )
        )
    return layout(lang, who, csrf, "catalog", join(parts), note=note, error=error)


def product_page(
    lang: str,
    who: Account,
    csrf: str,
    product: Product,
    row: Mapping[str, str],
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    manage = who.can(Permission.MANAGE_CATALOG)
    disabled = Html("" if manage else " disabled")
    fields = join(
        render(
            '<label>{label}<input name="{name}" id="f_{name}" value="{value}"{disabled}></label>',
            label=t[name],
            name=name,
            value=row.get(name, ""),
            disabled=disabled,
        )
        for name in PRODUCT_FIELDS
    )
    parts = [
        render(
            "<h2>{name} · <span class='mono'>{gtin}</span></h2>",
            name=product.name(lang),
            gtin=product.gtin,
        )
    ]
    if manage:
        parts.append(
            render(
                '<form class="card" method="post" action="/admin/catalog/{gtin}">{csrf}{fields}'
                '<button id="save_product">{save}</button></form>'
                '<h2>{recall}</h2><form class="card" method="post" '
                'action="/admin/catalog/{gtin}/recall">{csrf}<p class="wide">{help}</p>'
                '<label><span><input type="checkbox" name="whole" value="1" id="recall_whole"'
                "{checked}> {whole}</span></label>"
                '<label>{lots_label}<input name="lots" id="recall_lots" value="{lots}"></label>'
                '<button class="danger" id="recall">{recall}</button></form>',
                gtin=product.gtin,
                csrf=csrf_field(csrf),
                fields=fields,
                save=t["save"],
                recall=t["recall"],
                help=t["recall_help"],
                checked=Html(" checked" if product.recalled else ""),
                whole=t["recall_whole"],
                lots_label=t["recalled_lots"],
                lots="|".join(sorted(product.recalled_lots)),
            )
        )
    else:
        parts.append(render('<div class="card">{fields}</div>', fields=fields))
    return layout(lang, who, csrf, "catalog", join(parts), note=note, error=error)


# ------------------------------------------------------------------ promotions and coupons
BOOLEAN_COLUMNS = {"repeat": "0", "stackable": "0", "member_only": "0", "offline_ok": "1"}
"""Yes/no columns with their default: a select, never a checkbox, whose absence from an
unticked form would read as the CSV's default rather than "no"."""
KINDS: dict[Feed, tuple[str, ...]] = {
    Feed.PROMOTIONS: tuple(k.value for k in PromotionKind),
    Feed.COUPONS: tuple(k.value for k in CouponKind),
}


def _when(text: str | None) -> str:
    """An ISO time as `2026-12-24 08:00 +08:00` (seconds and their fractions left out)."""
    if not text:
        return ""
    return f"{text[:16].replace('T', ' ')} {text[19:].lstrip('.0123456789')}".strip()


def _state(t: Mapping[str, str], state: State) -> Html:
    css = {State.RUNNING: "", State.SCHEDULED: "muted", State.ENDED: "bad"}[state]
    return render('<span class="{c}">{s}</span>', c=css, s=t[state.value])


def _label(t: Mapping[str, str], column: str) -> str:
    """An offer's or campaign's "name" is a name, not a person's (the staff pages' word)."""
    return t["offer_name"] if column == "name" else t[column]


def _offer_fields(
    t: Mapping[str, str],
    feed: Feed,
    row: Mapping[str, str],
    campaign_ids: Sequence[str],
    *,
    manage: bool,
    new: bool,
) -> Html:
    parts = []
    for column in feed.columns:
        value = row.get(column, "")
        locked = Html("" if manage and (new or column != feed.key) else " disabled")
        if column == "kind":
            choices: Iterable[tuple[str, str]] = ((k, t[f"kind_{k}"]) for k in KINDS[feed])
        elif column in BOOLEAN_COLUMNS:
            choices = (("1", t["yes"]), ("0", t["no"]))
            value = value or BOOLEAN_COLUMNS[column]
        elif column == "campaign_id":
            # A campaign the offer names but the feed lacks (an older import) stays chosen.
            known = [*campaign_ids, *([value] if value and value not in campaign_ids else [])]
            choices = [("", t["none"]), *((c, c) for c in known)]
        else:
            parts.append(
                render(
                    '<label>{label}<input name="{n}" id="f_{n}" value="{v}"{locked}></label>',
                    label=_label(t, column),
                    n=column,
                    v=value,
                    locked=locked,
                )
            )
            continue
        parts.append(
            render(
                '<label>{label}<select name="{n}" id="f_{n}"{locked}>{o}</select></label>',
                label=_label(t, column),
                n=column,
                o=_options(choices, value),
                locked=locked,
            )
        )
    return join(parts)


def _offer_table(t: Mapping[str, str], feed: Feed, rows: Sequence[OfferRow]) -> Html:
    def row(o: OfferRow) -> Html:
        return render(
            '<tr data-offer="{key}"><td class="mono nowrap"><a href="/admin/{feed}/{key}">{key}'
            "</a></td><td>{name}</td><td>{kind}</td><td class='mono nowrap'>{campaign}</td>"
            '<td class="mono">{starts}</td><td class="mono">{ends}</td><td class="nowrap">{state}'
            "</td></tr>",
            feed=feed.value,
            key=o.key,
            name=o.name,
            kind=t.get(f"kind_{o.kind}", o.kind),
            campaign=o.campaign_id,
            starts=_when(o.starts_at),
            ends=_when(o.ends_at),
            state=_state(t, o.state),
        )

    if not rows:
        return render("<p>{n}</p>", n=t["no_offers"])
    headers = [t[h] for h in (feed.key, "offer_name", "kind", "campaign_id", "starts", "ends")]
    return _table([*headers, t["state"]], (row(o) for o in rows), label=t[feed.value])


def offers_page(
    lang: str,
    who: Account,
    csrf: str,
    feed: Feed,
    rows: Sequence[OfferRow],
    campaign_ids: Sequence[str],
    *,
    form: Mapping[str, str] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    parts = [_offer_table(t, feed, rows)]
    if who.can(Permission.MANAGE_OFFERS):
        parts.append(
            render(
                '<h2 id="new">{title}</h2><form class="card" method="post" action="/admin/{feed}">'
                '{csrf}<p class="wide">{help}</p>{fields}<button id="create_offer">{create}'
                "</button></form>",
                title=t[f"new_{feed.noun}"],
                feed=feed.value,
                csrf=csrf_field(csrf),
                help=t["offer_help"],
                fields=_offer_fields(
                    t, feed, form or NEW_FORM, campaign_ids, manage=True, new=True
                ),
                create=t["create"],
            )
        )
    return layout(lang, who, csrf, feed.value, join(parts), note=note, error=error)


def offer_page(
    lang: str,
    who: Account,
    csrf: str,
    feed: Feed,
    key: str,
    row: Mapping[str, str],
    state: State,
    campaign_ids: Sequence[str],
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    manage = who.can(Permission.MANAGE_OFFERS)
    fields = _offer_fields(t, feed, row, campaign_ids, manage=manage, new=False)
    parts = [
        render(
            "<h2>{name} · <span class='mono'>{key}</span> · {state}</h2>",
            name=row.get("name", ""),
            key=key,
            state=_state(t, state),
        )
    ]
    if not manage:
        parts.append(render('<div class="card">{fields}</div>', fields=fields))
        return layout(lang, who, csrf, feed.value, join(parts), note=note, error=error)
    parts.append(
        render(
            '<form class="card" method="post" action="/admin/{feed}/{key}">{csrf}'
            '<p class="wide">{help}</p>{fields}<button id="save_offer">{save}</button></form>',
            feed=feed.value,
            key=key,
            csrf=csrf_field(csrf),
            help=t["offer_help"],
            fields=fields,
            save=t["save"],
        )
    )
    if state is not State.ENDED:
        parts.append(
            render(
                '<h2>{end}</h2><form class="card" method="post" '
                'action="/admin/{feed}/{key}/end">{csrf}<p class="wide">{help}</p>'
                '<button class="danger" id="end_now">{end}</button></form>',
                end=t["end_now"],
                feed=feed.value,
                key=key,
                csrf=csrf_field(csrf),
                help=t["end_help"],
            )
        )
    return layout(lang, who, csrf, feed.value, join(parts), note=note, error=error)


# ------------------------------------------------------------------ campaigns
def _campaign_fields(
    t: Mapping[str, str], row: Mapping[str, str], *, manage: bool, new: bool
) -> Html:
    return join(
        render(
            '<label>{label}<input name="{n}" id="c_{n}" value="{v}"{locked}></label>',
            label=_label(t, name),
            n=name,
            v=row.get(name, ""),
            locked=Html("" if manage and (new or name != "campaign_id") else " disabled"),
        )
        for name in CAMPAIGN_FIELDS
    )


def campaigns_page(
    lang: str,
    who: Account,
    csrf: str,
    rows: Sequence[Mapping[str, Any]],
    counts: Mapping[str, tuple[int, int]],
    *,
    form: Mapping[str, str] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)

    def row(c: Mapping[str, Any]) -> Html:
        promotions, coupons = counts.get(c["campaign_id"], (0, 0))
        return render(
            '<tr data-campaign="{id}"><td class="mono nowrap"><a href="/admin/campaigns/{id}">{id}'
            "</a></td><td>{name}</td><td>{season}</td><td class='mono'>{starts}</td>"
            '<td class="mono">{ends}</td><td class="num">{promotions}</td>'
            '<td class="num">{coupons}</td></tr>',
            id=c["campaign_id"],
            name=c.get("name", ""),
            season=c.get("season", ""),
            starts=_when(c.get("starts_at")),
            ends=_when(c.get("ends_at")),
            promotions=promotions,
            coupons=coupons,
        )

    headers = [t[h] for h in ("campaign_id", "offer_name", "season", "starts", "ends")]
    parts = [
        _table(
            [*headers, t["promotions"], t["coupons"]], (row(c) for c in rows), label=t["campaigns"]
        )
        if rows
        else render("<p>{n}</p>", n=t["no_offers"])
    ]
    if who.can(Permission.MANAGE_OFFERS):
        parts.append(
            render(
                '<h2>{title}</h2><form class="card" method="post" action="/admin/campaigns">'
                '{csrf}{fields}<button id="create_campaign">{create}</button></form>',
                title=t["new_campaign"],
                csrf=csrf_field(csrf),
                fields=_campaign_fields(t, form or NEW_CAMPAIGN, manage=True, new=True),
                create=t["create"],
            )
        )
    return layout(lang, who, csrf, "campaigns", join(parts), note=note, error=error)


def campaign_page(
    lang: str,
    who: Account,
    csrf: str,
    key: str,
    row: Mapping[str, str],
    offers: Mapping[Feed, Sequence[OfferRow]],
    *,
    note: str | None = None,
    error: str | None = None,
) -> str:
    t = _t(lang)
    manage = who.can(Permission.MANAGE_OFFERS)
    fields = _campaign_fields(t, row, manage=manage, new=False)
    parts = [
        render("<h2>{name} · <span class='mono'>{key}</span></h2>", name=row.get("name"), key=key),
        render(
            '<form class="card" method="post" action="/admin/campaigns/{key}">{csrf}{fields}'
            '<button id="save_campaign">{save}</button></form>',
            key=key,
            csrf=csrf_field(csrf),
            fields=fields,
            save=t["save"],
        )
        if manage
        else render('<div class="card">{fields}</div>', fields=fields),
    ]
    for feed, rows in offers.items():
        parts.append(render("<h2>{title}</h2>", title=t[feed.value]))
        parts.append(_offer_table(t, feed, rows))
    return layout(lang, who, csrf, "campaigns", join(parts), note=note, error=error)


# ------------------------------------------------------------------ pricing preview
def preview_page(
    lang: str,
    who: Account,
    csrf: str,
    basket: Basket,
    tiers: Sequence[str],
    coupon_ids: Sequence[str],
    suggestions: Sequence[Product],
    priced: Mapping[str, Any] | None,
    *,
    error: str | None = None,
    names: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    t = _t(lang)
    items = list(basket.items) + [("", 1)] * (PREVIEW_LINES - len(basket.items))
    lines = join(
        render(
            '<label>{product} {n}<input name="gtin" id="gtin_{n}" value="{gtin}" '
            'list="catalog_gtins" inputmode="numeric" size="16"></label>'
            '<label>{quantity} {n}<input name="qty" id="qty_{n}" type="number" min="1" '
            'max="{most}" value="{qty}"></label>',
            most=PREVIEW_MAX_QUANTITY,
            product=t["product"],
            quantity=t["quantity"],
            n=n,
            gtin=gtin,
            qty=qty,
        )
        for n, (gtin, qty) in enumerate(items, start=1)
    )
    datalist = join(
        render('<option value="{gtin}">{name}</option>', gtin=p.gtin, name=p.name(lang))
        for p in suggestions
    )
    parts = [
        render(
            '<form class="card" method="get" action="/admin/preview">'
            '<p class="wide">{help} <a href="/admin/catalog">{pick}</a></p>{lines}'
            '<datalist id="catalog_gtins">{datalist}</datalist>'
            '<label>{tier}<select name="tier" id="tier">{tiers}</select></label>'
            '<label>{coupon}<select name="coupon" id="coupon">{coupons}</select></label>'
            '<label>{at}<input name="at" id="at" value="{at_value}" size="24"></label>'
            '<button id="price_it">{price_it}</button></form>',
            help=t["preview_help"],
            pick=t["pick"],
            lines=lines,
            datalist=datalist,
            tier=t["tier"],
            tiers=_options([("", t["no_member"]), *((x, x) for x in tiers)], basket.tier),
            coupon=t["coupon"],
            coupons=_options(
                [("", t["no_coupon"]), *((c, c) for c in coupon_ids)], basket.coupon_id
            ),
            at=t["at"],
            at_value=basket.at,
            price_it=t["price_it"],
        )
    ]
    if priced is not None:
        parts.append(_priced(lang, priced, names))
    return layout(lang, who, csrf, "preview", join(parts), error=error)


def _discounts(
    lang: str,
    rows: Iterable[tuple[str, str, str]],
    names: Mapping[str, Mapping[str, str]] | None,
) -> Html:
    """Each discount with its offer, why it applied, and how much: the preview's and a
    sale's, alike. `rows`: (rule id, the pricing's own words, amount); the offer's name
    in the page's language replaces those words where `names` has it (`offer_names`), and
    a coupon's rule (`coupon:<id>:<code>`) shows as its coupon's id."""
    t = _t(lang)

    def offer(rule: str) -> str:
        parts = rule.split(":")
        return parts[1] if parts[0] == "coupon" and len(parts) > 2 else rule

    rows = [
        (offer(rule), (names or {}).get(rule, {}).get(lang) or why, amount)
        for rule, why, amount in rows
    ]
    return _table(
        [t["discount"], t["why"], t["amount"]],
        (
            render(
                '<tr data-discount="{rule}"><td class="mono">{rule}</td><td>{why}</td>'
                '<td class="num">{amount}</td></tr>',
                rule=rule,
                why=why,
                amount=amount,
            )
            for rule, why, amount in rows
        ),
        label=t["discounts_heading"],
    )


NOT_SOLD: Mapping[str, Mapping[str, str]] = {
    "zh_CN": {
        "unknown_product": "不在商品目录中。",
        "not_sellable": "此商品不可销售。",
        "recalled": "此商品（或此批次）已召回。",
        "expired": "此商品已过保质期。",
        "needs_weight": "称重商品：请给出重量（克）。",
        "not_by_weight": "此商品不按重量销售。",
        "invalid_code": "这不是商品编码。",
        "check_digit": "校验位不对（输错或读错）。",
        "bad_price_label": "价格标签无效。",
        "quantity_limit": "超过每单限购数量。",
        "duplicate_serial": "此序列号已在购物车中。",
    },
    "ko": {
        "unknown_product": "상품 목록에 없습니다.",
        "not_sellable": "판매할 수 없는 상품입니다.",
        "recalled": "회수된 상품(또는 로트)입니다.",
        "expired": "유통기한이 지난 상품입니다.",
        "needs_weight": "무게를 재는 상품입니다. 무게(그램)를 입력하세요.",
        "not_by_weight": "무게로 파는 상품이 아닙니다.",
        "invalid_code": "상품 코드가 아닙니다.",
        "check_digit": "체크 디지트가 맞지 않습니다(잘못 입력했거나 잘못 읽음).",
        "bad_price_label": "가격 라벨이 올바르지 않습니다.",
        "quantity_limit": "한 번에 살 수 있는 수량을 넘었습니다.",
        "duplicate_serial": "이 일련번호는 이미 장바구니에 있습니다.",
    },
}
"""Why the preview does not sell an item, by its reason code, on Chinese and Korean pages
(English pages show the domain's own message, which names the item; a reason not listed
keeps it too)."""


def _coupon_refusal(
    t: Mapping[str, str], verdict: Mapping[str, Any], money: Callable[[int], str]
) -> str:
    """Why a coupon does not apply, in the page's language: the domain's message is
    English; its reason code (`CouponRefusal`) is there to be translated."""
    words = t[f"coupon_{verdict['reason']}"]
    need = verdict.get("need_amount")
    return f"{words} {t['spend_more'].format(amount=money(need))}" if need else words


def _sale_state(t: Mapping[str, str], status: str, training: bool) -> str:
    return t["training"] if training else t.get(f"sale_{status}", status)


def _priced(
    lang: str, priced: Mapping[str, Any], names: Mapping[str, Mapping[str, str]] | None
) -> Html:
    t = _t(lang)
    currency = str(priced["currency"])

    def money(minor: int) -> str:
        return Money(minor, currency).format()

    lines = _table(
        [_label(t, h) for h in ("product", "name", "quantity", "unit_price", "amount", "discount")]
        + [t["total"]],
        (
            render(
                '<tr data-line="{no}"><td class="mono">{gtin}</td><td>{name}</td>'
                '<td class="num">{qty}</td><td class="num">{unit}</td><td class="num">{gross}</td>'
                '<td class="num">{discount}</td><td class="num">{amount}</td></tr>',
                no=line["line_no"],
                gtin=line["gtin"],
                name=line["name"],
                qty=line["quantity"],
                unit=money(line["unit_price"]),
                gross=money(line["gross"]),
                discount=money(line["own_discount"] + line["shared_discount"]),
                amount=money(line["amount"]),
            )
            for line in priced["lines"]
        ),
        label=t["preview"],
    )
    discounts = _discounts(
        lang,
        ((d["rule_id"], d["description"], money(d["amount"])) for d in priced["discounts"]),
        names,
    )
    verdicts = join(
        render(
            '<p data-coupon="{id}"><strong>{id}</strong>: {verdict}{saving}{message}</p>',
            id=v["coupon_id"],
            verdict=t["accepted"] if v["accepted"] else t["refused"],
            saving=f" −{money(v['saving'])}" if v["saving"] else "",
            message=f" — {_coupon_refusal(t, v, money)}" if v["reason"] else "",
        )
        for v in priced["coupons"]
    )
    refused = join(
        render(
            '<p class="bad">{not_sold}: {code}: {message}</p>',
            not_sold=t["not_sold"],
            code=r["code"],
            message=NOT_SOLD.get(lang, {}).get(r["reason"], r["message"]),
        )
        for r in priced["refused"]
    )
    totals = render(
        '<div class="card" id="totals"><p>{subtotal_label}: <strong>{subtotal}</strong></p>'
        '<p>{discount_label}: <strong id="discount_total">{discount}</strong></p>'
        '<p>{total_label}: <strong id="total">{total}</strong></p>'
        "<p>{points_label}: {points}</p></div>"
        '<p class="muted">{tax_note}</p>',
        subtotal_label=t["subtotal"],
        subtotal=money(priced["subtotal"]),
        discount_label=t["discount_total"],
        discount=money(priced["discount_total"]),
        total_label=t["total"],
        total=money(priced["total"]),
        points_label=t["points_earned"],
        points=priced["points"]["earned"],
        tax_note=t["tax_note"],
    )
    return join(
        [
            render("<h2>{b}</h2>", b=t["basket"]),
            refused,
            lines,
            render("<h2>{d}</h2>", d=t["discounts_heading"]),
            discounts,
            verdicts,
            totals,
        ]
    )


# ------------------------------------------------------------------ members
def members_page(
    lang: str, who: Account, csrf: str, *, typed: str = "", error: str | None = None
) -> str:
    t = _t(lang)
    body = render(
        '<form class="card" method="post" action="/admin/members" role="search">{csrf}'
        '<p class="wide">{note}</p><label>{label}<input name="q" id="member_q" value="{typed}" '
        'required maxlength="32" autocomplete="off" size="24"></label>'
        '<button id="find_member">{find}</button></form>',
        csrf=csrf_field(csrf),
        note=t["phone_note"],
        label=t["member_find"],
        typed=typed,
        find=t["find"],
    )
    return layout(lang, who, csrf, "members", body, error=error)


def member_page(
    lang: str, who: Account, csrf: str, member: MemberView, *, note: str | None = None
) -> str:
    t = _t(lang)
    facts = [
        (t["member_code"], member.member_code if not member.erased else t["member_erased"]),
        (t["tier"], member.tier),
        (t["points"], str(member.points)),
        (t["signed_up"], f"{_when(member.signed_up_at)} · {member.store_id}"),
        (t["marketing_consent"], t["yes"] if member.marketing else t["no"]),
    ]
    if member.merged_ids:
        facts.append((t["merged"], ", ".join(member.merged_ids)))
    parts = [
        render(
            "<h2><span class='mono'>{id}</span>{erased}</h2>",
            id=member.member_id,
            erased=render(' · <span class="bad">{e}</span>', e=t["member_erased"])
            if member.erased
            else Html(""),
        ),
        render(
            '<div class="card" id="member_facts"><dl>{facts}</dl></div>',
            facts=join(render("<dt>{k}</dt><dd>{v}</dd>", k=k, v=v) for k, v in facts),
        ),
        render("<h2>{title}</h2>", title=t["ledger"]),
        _table(
            [t["when"], t["kind"], t["points"], t["sale"]],
            (
                render(
                    '<tr><td class="mono">{at}</td><td>{kind}</td><td class="num">{points}</td>'
                    '<td class="mono">{sale}</td></tr>',
                    at=e.at.replace("T", " ")[:19],
                    kind=e.kind,
                    points=e.points,
                    sale=e.sale_id or "",
                )
                for e in member.ledger
            ),
            label=t["ledger"],
        ),
        render("<h2>{title}</h2>", title=t["wallet"]),
        _table(
            [t["code"], t["coupon"], t["campaign_id"], t["state"]],
            (
                render(
                    '<tr><td class="mono">{code}</td><td class="mono">{coupon}</td>'
                    '<td class="mono">{campaign}</td><td>{state}</td></tr>',
                    code=w.code,
                    coupon=w.coupon_id,
                    campaign=w.campaign_id,
                    state=t["used"] if w.used else t["available"],
                )
                for w in member.wallet
            ),
            label=t["wallet"],
        ),
    ]
    if who.can(Permission.EXPORT_MEMBERS):
        parts.append(
            render(
                '<h2>{title}</h2><form class="card" method="post" '
                'action="/admin/members/{id}/export">{csrf}<p class="wide">{help}</p>'
                '<button id="export_member">{title}</button></form>',
                title=t["export"],
                id=member.member_id,
                csrf=csrf_field(csrf),
                help=t["export_help"],
            )
        )
    if who.can(Permission.ERASE_MEMBERS) and not member.erased:
        parts.append(
            render(
                '<h2>{title}</h2><form class="card" method="post" '
                'action="/admin/members/{id}/erase">{csrf}<p class="wide">{help}</p>'
                '<label><span><input type="checkbox" name="confirm" value="1" '
                'id="erase_confirm" required> {confirm}</span></label>'
                '<button class="danger" id="erase_member">{title}</button></form>',
                title=t["erase"],
                id=member.member_id,
                csrf=csrf_field(csrf),
                help=t["erase_help"],
                confirm=t["erase_confirm"],
            )
        )
    return layout(lang, who, csrf, "members", join(parts), note=note)


# ------------------------------------------------------------------ sales
def _sale_rows(t: Mapping[str, str], rows: Sequence[SaleRow]) -> Html:
    def row(s: SaleRow) -> Html:
        state = _sale_state(t, s.status, s.training)
        return render(
            '<tr data-sale="{id}"><td class="mono nowrap"><a href="/admin/sales/{id}">{seq}</a>'
            '</td><td class="mono">{at}</td><td>{kiosk}</td><td>{store}</td>'
            '<td class="num">{items}</td><td class="num">{total}</td><td>{state}</td></tr>',
            id=s.sale_id,
            seq=s.sequence,
            at=s.created_at.replace("T", " ")[:19],
            kiosk=s.kiosk_name,
            store=s.store_id,
            items=s.item_count,
            total=s.total.format(),
            state=state,
        )

    headers = [t[h] for h in ("number", "when", "kiosk", "store", "items", "total", "state")]
    return _table(headers, (row(s) for s in rows), label=t["sales"])


def sales_page(
    lang: str,
    who: Account,
    csrf: str,
    query: SaleQuery,
    kiosk_choices: Sequence[tuple[str, str]],
    rows: Sequence[SaleRow] | None,
    *,
    error: str | None = None,
) -> str:
    t = _t(lang)
    parts = [
        render(
            '<form class="card" method="get" action="/admin/sales" role="search">'
            '<p class="wide">{help}</p>'
            '<label>{number}<input name="number" id="s_number" value="{number_v}" size="14">'
            '</label><label>{kiosk}<select name="kiosk" id="s_kiosk">{kiosks}</select></label>'
            '<label>{day_from}<input name="from" id="s_from" type="date" value="{from_v}">'
            '</label><label>{day_to}<input name="to" id="s_to" type="date" value="{to_v}">'
            '</label><label>{member}<input name="member" id="s_member" value="{member_v}" '
            'size="14"></label><button id="find_sales">{find}</button></form>',
            help=t["sales_help"],
            number=t["sale_number"],
            number_v=query.number,
            kiosk=t["kiosk"],
            kiosks=_options([("", t["any_kiosk"]), *kiosk_choices], query.kiosk_id),
            day_from=t["day_from"],
            from_v=query.day_from,
            day_to=t["day_to"],
            to_v=query.day_to,
            member=t["member_code"],
            member_v=query.member_code,
            find=t["find"],
        )
    ]
    if rows is not None:
        parts.append(_sale_rows(t, rows) if rows else render("<p>{n}</p>", n=t["no_sales"]))
    return layout(lang, who, csrf, "sales", join(parts), error=error)


def _journal(lang: str, t: Mapping[str, str], sale: SaleDetail) -> Html:
    """The sale's own journal entry and the kiosk's chain up to it."""
    entry = sale.entry
    if entry is None:
        return render('<p class="muted" id="journal">{w}</p>', w=t["journal_missing"])
    words = [t["digest_ok"] if entry.digest_matches else t["digest_bad"]]
    if entry.missing_before:
        words.append(f"{t['entries_missing']} {entry.missing_before}")
    if entry.issues_before:
        words.append(f"{t['issues_before']} {entry.issues_before}")
    if entry.whole:
        words.append(t["chain_whole"])
    return render(
        '<p class="{css}" id="journal" data-whole="{whole}">{h} #{n}: {words}</p>',
        css="note" if entry.whole else "error",
        whole="1" if entry.whole else "0",
        h=t["journal_entry"],
        n=entry.index,
        # Chinese sentences end in their own full stop and run on without a space.
        words=("" if lang == "zh_CN" else " ").join(words),
    )


def sale_page(
    lang: str,
    who: Account,
    csrf: str,
    sale: SaleDetail,
    receipt_url: str | None = None,
    *,
    names: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """`names`: the discounts' offers' names by language (`offers.offer_names`)."""
    t = _t(lang)
    doc, currency = sale.document, sale.row.total.currency

    def money(minor: int | None) -> str:
        return "" if minor is None else Money(minor, currency).format()

    def name(line: Mapping[str, Any]) -> str:
        names = line.get("names") or {}
        return str(names.get(lang) or next(iter(names.values()), "") or line["gtin"])

    lines = _table(
        [_label(t, h) for h in ("product", "name", "quantity", "unit_price", "amount", "discount")]
        + [t["state"]],
        (
            render(
                '<tr data-line="{no}"><td class="mono">{gtin}</td><td>{name}</td>'
                '<td class="num">{qty}</td><td class="num">{unit}</td><td class="num">{gross}</td>'
                '<td class="num">{discount}</td><td class="{css}">{state}</td></tr>',
                no=line["line_no"],
                gtin=line["gtin"],
                name=name(line),
                qty=f"{line['weight_g']} g" if line.get("weight_g") else line["quantity"],
                unit=money(line.get("unit_price_minor")),
                gross=money(line.get("gross_minor")),
                discount=money(line.get("discount_minor")),
                css="bad" if line.get("state") == "voided" else "",
                state=t["voided"] if line.get("state") == "voided" else "",
            )
            for line in doc.get("lines", [])
        ),
        label=t["product"],
    )
    discounts = _discounts(
        lang,
        (
            (d["rule_id"], d.get("description", ""), money(d["amount_minor"]))
            for d in doc.get("discounts", [])
        ),
        names,
    )
    taxes = _table(
        [t["tax_class"], t["amount"], t["tax"]],
        (
            render(
                '<tr><td>{cls} ({rate}%)</td><td class="num">{gross}</td>'
                '<td class="num">{tax}</td></tr>',
                cls=x["tax_class"],
                rate=Money(x["rate_bp"], "CNY").plain(),
                gross=money(x["gross_minor"]),
                tax=money(x["tax_minor"]),
            )
            for x in doc.get("taxes", [])
        ),
        label=t["taxes"],
    )
    tenders = _table(
        [t["method"], t["amount"], t["reference"]],
        (
            render(
                '<tr><td>{method}</td><td class="num">{amount}</td><td class="mono">{ref}</td>'
                "</tr>",
                method=x["method"],
                amount=money(x["amount_minor"]),
                ref=x.get("reference") or "",
            )
            for x in doc.get("tenders", [])
        ),
        label=t["tenders"],
    )
    refund_rows = (
        _table(
            [t["when"], t["method"], t["amount"], t["state"]],
            (
                render(
                    '<tr data-refund="{id}"><td class="mono">{at}</td><td>{method}</td>'
                    '<td class="num">{amount}</td><td>{status}</td></tr>',
                    id=r.refund_id,
                    at=_clock(r.created_ms),
                    method=r.method,
                    amount=r.amount.format(),
                    status=t.get(f"refund_{r.status}", r.status),
                )
                for r in sale.refunds
            ),
            label=t["refunds"],
        )
        if sale.refunds
        else render("<p>{n}</p>", n=t["no_refunds"])
    )
    s = sale.row
    facts = [
        (t["number"], f"{s.sequence} · {s.sale_id}"),
        (t["when"], _when(s.created_at)),
        (t["kiosk"], f"{s.kiosk_name} · {s.store_id}"),
        (t["state"], _sale_state(t, s.status, s.training)),
        (t["member"], doc.get("member_id") or t["none"]),
        (t["subtotal"], money(doc.get("subtotal_minor"))),
        (t["discount_total"], money(doc.get("discount_minor"))),
        (t["total"], s.total.format()),
    ]
    chain = (
        render('<p class="note" id="chain">{ok}</p>', ok=t["chain_ok"])
        if not sale.chain_issues
        else render(
            '<p class="error" id="chain">{bad} {n}</p>', bad=t["chain_issues"], n=sale.chain_issues
        )
    )
    if sale.conflicts:
        review = who.can(Permission.REVIEW_INTEGRITY)
        chain = render(
            '{chain}<p class="error" id="sale_conflicts">{words} {n}{link}</p>',
            chain=chain,
            words=t["sale_conflicts"],
            n=sale.conflicts,
            link=render(' · <a href="/admin/integrity">{i}</a>', i=t["integrity"])
            if review
            else "",
        )
    body = join(
        [
            render(
                '<div class="card" id="sale_facts"><dl>{facts}</dl></div>',
                facts=join(render("<dt>{k}</dt><dd>{v}</dd>", k=k, v=v) for k, v in facts),
            ),
            chain,
            _journal(lang, t, sale),
            render(
                '<h2>{h}</h2><p><a id="receipt" href="{href}">{open}</a></p>',
                h=t["receipt"],
                href=receipt_url,
                open=t["open_receipt"],
            )
            if receipt_url
            else Html(""),
            render("<h2>{h}</h2>", h=t["product"]),
            lines,
            render("<h2>{h}</h2>", h=t["discounts_heading"]),
            discounts,
            render("<h2>{h}</h2>", h=t["taxes"]),
            taxes,
            render("<h2>{h}</h2>", h=t["tenders"]),
            tenders,
            render("<h2>{h}</h2>", h=t["refunds"]),
            refund_rows,
        ]
    )
    return layout(lang, who, csrf, "sales", body)


# ------------------------------------------------------------------ integrity
def _dealt_form(
    t: Mapping[str, str],
    csrf: str,
    kind: str,
    item_id: int,
    paged: Mapping[str, int],
    *,
    reopen: bool = False,
) -> Html:
    """Mark an item as dealt with, or (`reopen`) take the mark back; either with a note.
    The form carries the lists' pages (`paged`): the review comes back to them."""
    return render(
        '<form class="inline" method="post" action="/admin/integrity/{kind}/{id}{to}{q}">{csrf}'
        '<input name="{field}" required maxlength="500" size="14" '
        'aria-label="{note} ({kind} {id})" placeholder="{note}">'
        '<button class="quiet">{mark}</button></form>',
        kind=kind,
        id=item_id,
        to="/reopen" if reopen else "",
        q=f"?{urlencode(paged)}" if paged else "",
        csrf=csrf_field(csrf),
        field="why" if reopen else "note",
        note=t["reopen_why" if reopen else "dealt_note"],
        mark=t["reopen" if reopen else "mark_dealt"],
    )


def integrity_page(
    lang: str,
    who: Account,
    csrf: str,
    found: Review,
    *,
    before: Mapping[str, int] | None = None,
    note: str | None = None,
    error: str | None = None,
) -> str:
    """`before`: the dealt-with lists' pages, as the query gives them (`conflicts_before`,
    `chain_before`); a link that pages one list keeps the other where it is."""
    t = _t(lang)
    paged = dict(before or {})

    def kiosk(name: str, store: str) -> str:
        return f"{name} · {store}" if store else name

    def reason(code: str) -> Html:
        # The words for the reasons the service gives, and the code as the API reports it.
        words = t.get(f"why_{code}")
        if words is None:
            return render('<span class="mono">{code}</span>', code=code)
        return render('{words}<br><span class="mono muted">{code}</span>', words=words, code=code)

    def conflict_row(c: Conflict, last: Html) -> Html:
        return render(
            '<tr data-conflict="{id}"><td class="nowrap">{at}</td><td>{kiosk}</td><td>{what}</td>'
            '<td class="mono">{id}</td><td>{reason}</td><td><details><summary>'
            '{show}</summary><pre class="mono">{document}</pre></details></td><td>{last}</td>'
            "</tr>",
            id=c.entity_id,
            at=_when(c.received_at),
            kiosk=kiosk(c.kiosk.name, c.kiosk.store_id),
            what=t.get(f"entity_{c.entity}", c.entity),
            reason=reason(c.reason),
            show=t["show_document"],
            document=c.document,
            last=last,
        )

    def issue_row(i: ChainIssue, last: Html) -> Html:
        return render(
            '<tr data-issue="{kind}"><td>{kiosk}</td><td>{kind_name}</td>'
            '<td class="num">{index}</td><td>{detail}</td><td class="nowrap">{at}</td>'
            "<td>{last}</td></tr>",
            kind=i.kind,
            kiosk=kiosk(i.kiosk.name, i.kiosk.store_id),
            kind_name=t.get(f"issue_{i.kind}", i.kind),
            index=i.index,
            detail=i.detail,
            at=_when(i.detected_at),
            last=last,
        )

    def dealt(d: Dealt | None, kind: str, item_id: int | None) -> Html:
        if d is None:
            return Html("")
        return render(
            '<span class="nowrap">{by} {login} · {at}</span><br>{note}{reopen}',
            by=t["dealt_by"],
            login=d.login,
            at=_when(d.at),
            note=d.note,
            reopen=Html("")
            if item_id is None
            else _dealt_form(t, csrf, kind, item_id, paged, reopen=True),
        )

    conflicts = [
        conflict_row(c, _dealt_form(t, csrf, "conflict", c.item_id, paged)) for c in found.conflicts
    ]
    issues = [
        issue_row(
            i, Html("") if i.item_id is None else _dealt_form(t, csrf, "chain", i.item_id, paged)
        )
        for i in found.issues
    ]
    done = [conflict_row(c, dealt(c.dealt, "conflict", c.item_id)) for c in found.dealt_conflicts]
    done_issues = [issue_row(i, dealt(i.dealt, "chain", i.item_id)) for i in found.dealt_issues]

    def newest(key: str, shown: int, total: int) -> Html:
        # The lists hold the newest items only: say so when there are more.
        if total <= shown:
            return Html("")
        return render('<p class="muted more">{n}</p>', n=t[key].format(shown=shown, total=total))

    def pages_of(param: str, ids: Sequence[int], total: int, newer: int) -> Html:
        # Newest first, as the audit log pages: "older" continues after the last item shown.
        if newer == 0 and total <= len(ids):
            return Html("")
        if not ids:  # paged past the end (items reopened since): back to the start
            says = ""
        elif newer == 0:
            says = t["newest_dealt"].format(shown=len(ids), total=total)
        else:
            first, last = newer + 1, newer + len(ids)
            shown = f"{first}–{last}" if last > first else str(first)
            says = t["dealt_range"].format(range=shown, total=total)

        def link(key: str, to: int | None) -> Html:
            query = urlencode({k: v for k, v in {**paged, param: to}.items() if v is not None})
            return render(' <a href="/admin/integrity{q}#dealt">{label}</a>',
                          q=f"?{query}" if query else "", label=t[key])  # fmt: skip

        return render(
            '<p class="muted more">{says}{newest}{older}</p>',
            says=says,
            newest=link("newest_page", None) if newer else Html(""),
            older=link("older", ids[-1]) if ids and newer + len(ids) < total else Html(""),
        )

    open_chain = sum(i.item_id is not None for i in found.issues)
    conflict_headers = [t[h] for h in ("received", "kiosk", "sent", "id", "reason", "document")]
    issue_headers = [t[h] for h in ("kiosk", "kind", "position", "detail", "when")]
    body = render(
        "<p>{help}</p><h2>{conflicts}</h2>{conflict_table}{more_conflicts}<h2>{chain}</h2>"
        '<p>{chain_help}</p>{issue_table}{more_chain}<h2 id="dealt">{dealt}</h2><p>{dealt_help}</p>'
        "{dealt_tables}",
        more_conflicts=newest("newest_open", len(found.conflicts), found.open_conflict_count),
        more_chain=newest("newest_open", open_chain, found.open_chain_count),
        help=t["integrity_help"],
        conflicts=t["conflicts"],
        conflict_table=_table([*conflict_headers, t["actions"]], conflicts, label=t["conflicts"])
        if conflicts
        else render("<p>{n}</p>", n=t["no_conflicts"]),
        chain=t["chain"],
        chain_help=t["chain_help"],
        issue_table=_table([*issue_headers, t["actions"]], issues, label=t["chain"])
        if issues
        else render("<p>{n}</p>", n=t["no_chain_issues"]),
        dealt=t["dealt_with"],
        dealt_help=t["dealt_help"],
        dealt_tables=join(
            [
                _table([*conflict_headers, t["dealt_with"]], done, label=t["conflicts"])
                if done
                else Html(""),
                pages_of(
                    "conflicts_before",
                    [c.item_id for c in found.dealt_conflicts],
                    found.dealt_conflict_count,
                    found.dealt_conflicts_newer,
                ),
                _table([*issue_headers, t["dealt_with"]], done_issues, label=t["chain"])
                if done_issues
                else Html(""),
                pages_of(
                    "chain_before",
                    [i.item_id for i in found.dealt_issues if i.item_id is not None],
                    found.dealt_chain_count,
                    found.dealt_chain_newer,
                ),
            ]
        )
        if done or done_issues or found.dealt_conflicts_newer or found.dealt_chain_newer
        else render("<p>{n}</p>", n=t["no_dealt"]),
    )
    return layout(lang, who, csrf, "integrity", body, note=note, error=error)
