"""The back office's pages, rendered on the server with no script at all.

Every value reaches the page through `render`, which escapes whatever is not already
`Html`: escaping is the default, not something each page must remember. That is the
one thing a template engine (Jinja2 with autoescape) would add here, for a dozen plain
pages, so it is ~20 lines instead of a dependency. Words in zh_CN, ko and en; the language
is picked from `?lang=`, then the browser's, like the attendant console.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from central.admin.service import (
    Account,
    AuditEntry,
    FleetRow,
    Permission,
    Role,
    StaffRow,
)
from central.clock import iso_ms
from kiosk.domain.catalog import Product
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
        "import_help": "Paste the file (the kiosk's catalog CSV format, with its header "
        "row). With any bad row nothing is imported, and every bad row is listed.",
        "imported": "Catalog imported.",
        "bad_rows": "Nothing imported: fix these rows",
        "no_products": "No product matches.",
        "edit": "Edit",
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
        "import_help": "粘贴文件内容（自助机的商品 CSV 格式，含表头）。"
        "只要有一行错误就不导入，并列出所有错误行。",
        "imported": "商品已导入。",
        "bad_rows": "未导入：请修正以下各行",
        "no_products": "没有匹配的商品。",
        "edit": "编辑",
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
        "import_help": "파일 내용을 붙여 넣으세요(키오스크의 상품 CSV 형식, 머리글 포함). "
        "잘못된 행이 하나라도 있으면 아무것도 가져오지 않고 잘못된 행을 모두 보여 줍니다.",
        "imported": "상품을 가져왔습니다.",
        "bad_rows": "가져오지 않았습니다: 다음 행을 고치세요",
        "no_products": "일치하는 상품이 없습니다.",
        "edit": "편집",
    },
}

NAV: tuple[tuple[str, str, Permission], ...] = (
    ("fleet", "/admin/fleet", Permission.VIEW_FLEET),
    ("staff", "/admin/staff", Permission.VIEW_STAFF),
    ("catalog", "/admin/catalog", Permission.VIEW_CATALOG),
    ("reports", "/admin/reports", Permission.VIEW_REPORTS),
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
.code{font-size:34px;font-weight:700;letter-spacing:3px}
.signin{max-width:420px;margin:60px auto;background:#fff;border-radius:14px;padding:26px;
border:1px solid #d5dbe4;display:flex;flex-direction:column;gap:16px}
.signin button{min-height:52px;font-size:19px}
.langs{display:flex;gap:6px}
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
        '<form class="signin" method="post" action="/admin/login">{messages}'
        '<label for="login">{login_label}</label>'
        '<input id="login" name="login" autocomplete="username" required value="{login}">'
        '<label for="password">{password}</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        "required>{csrf}"
        '<input type="hidden" name="lang" value="{lang}">'
        '<button id="sign_in">{sign_in}</button></form>',
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
            '<span class="mono muted">{short}</span></td><td>{store}</td><td>{version}</td>'
            "<td>{beat}<br><span class='muted'>{link}</span></td>"
            '<td class="num{backlog_bad}">{backlog}</td><td class="num{alerts_bad}">{alerts}</td>'
            "<td>{camera}</td><td>{printer}</td><td>{action}</td></tr>",
            id=k.kiosk_id,
            name=k.name,
            short=k.kiosk_id[:8],
            store=k.store_id,
            version=k.version or t["none"],
            beat=(k.last_heartbeat or t["never"]).replace("T", " ")[:19],
            link=k.connectivity or "",
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
                '{csrf}<label for="store_id">{store}</label>{store_input}'
                '<label for="ttl_hours">{hours}</label>'
                '<input id="ttl_hours" name="ttl_hours" type="number" min="1" max="720" value="72">'
                '<button id="make_code">{create}</button></form>',
                new_code=t["new_code"],
                csrf=csrf_field(csrf),
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

    def row(s: StaffRow) -> Html:
        state = t["active"] if s.active else t["inactive"]
        if not manage:
            return render(
                "<tr><td class='mono'>{id}</td><td>{name}</td><td>{role}</td><td>{state}</td>"
                "<td>{pin}</td></tr>",
                id=s.staff_id,
                name=s.name,
                role=t.get(s.role, s.role),
                state=state,
                pin=t["yes"] if s.has_pin else t["no"],
            )
        return render(
            '<tr data-staff="{id}"><td class="mono">{id}</td><td>{name}</td><td>'
            '<form class="inline" method="post" action="/admin/staff/{id}">{csrf}'
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

    headers = [t["staff_no"], t["name"], t["role"], t["state"], t["pin"]]
    if manage:
        headers.append(t["actions"])
    parts = [_table(headers, (row(s) for s in rows), label=t["staff"])]
    if manage:
        parts.append(
            render(
                '<h2>{add_staff}</h2><form class="card" method="post" action="/admin/staff">{csrf}'
                '<label>{staff_no}<input name="staff_id" id="new_staff_id" required '
                'maxlength="128"></label>'
                '<label>{name}<input name="name" id="new_staff_name" required maxlength="100">'
                '</label><label>{role}<select name="role" id="new_staff_role">'
                "{roles}</select></label>"
                '<label>{pin}<input name="pin" id="new_staff_pin" type="password" '
                'inputmode="numeric" autocomplete="new-password" required></label>'
                '<button id="add_staff">{add}</button></form>',
                add_staff=t["add_staff"],
                csrf=csrf_field(csrf),
                staff_no=t["staff_no"],
                name=t["name"],
                role=t["role"],
                roles=_options(_staff_roles(t), "associate"),
                pin=t["pin"],
                add=t["add"],
            )
        )
    return layout(lang, who, csrf, "staff", join(parts), note=note, error=error)


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
        headers = [t[h] for h in ("product", "name", "brand", "price", "tax_class", "state")]
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
                '<h2>{title}</h2><form class="card" method="post" action="/admin/catalog/import">'
                '{csrf}<label class="wide">{help}<textarea name="csv" id="csv" rows="8" '
                'required>{pasted}</textarea></label><button id="import">{button}</button></form>',
                title=t["import"],
                csrf=csrf_field(csrf),
                help=t["import_help"],
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
