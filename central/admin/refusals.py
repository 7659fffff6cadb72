"""A refusal's words in the console's other languages.

The service's errors speak English (the API's problem documents, the logs). One that names
its words (`CentralError.say`, with `params`) is shown to a Chinese or Korean console page
in that page's language; one that does not (a domain validator's detail: an offer's field,
a catalog row's check digit) keeps its English words.
"""

from __future__ import annotations

from collections.abc import Mapping

from central.errors import CentralError

REFUSALS: Mapping[str, Mapping[str, str]] = {
    "zh_CN": {
        "login_form": "登录名为 2 至 64 个小写字母、数字、“.”、“_”或“-”。",
        "name_length": "姓名为 1 至 100 个字符。",
        "unknown_role": "未知角色“{value}”。",
        "not_store_id": "“{value}”不是门店编号（最多 64 个字母、数字、“.”、“_”或“-”）。",
        "manager_store": "店长至少需要一家门店。",
        "password_short": "密码至少 {least} 个字符。",
        "login_taken": "登录名“{value}”已被使用。",
        "no_account": "没有账户“{value}”。",
        "self_demote": "不能降级或停用自己的账户，请另一位总部管理员操作。",
        "values_required": "{fields}：必须填写。",
        "currency_unknown": "自助收银机不支持币种“{value}”。",
        "share_range": "抽查比例须为 0 至 100 %，不能是 {value}。",
        "hours_range": "挂起的购物车保留 1 至 {most} 小时，不能是 {value}。",
        "no_rules": "总部没有为门店 {store} 设置规则。",
        "code_hours": "注册码有效期为 1 至 720 小时。",
        "no_kiosk": "没有自助收银机 {value}。",
        "pin_short": "PIN 至少为 {least} 位数字。",
        "staff_taken": "员工编号“{value}”已被使用。",
        "no_staff": "没有员工“{value}”。",
        "plu_taken": "PLU {plu} 已用于商品 {gtin}，请先在那里清除。",
        "no_product": "没有商品 {value}。",
        "bad_date": "“{value}”不是日期，请按 2026-11-23 的格式输入（2000 至 2999 年）。",
        "sale_number": "没有销售号为 {value} 的销售（销售号最多 18 位）。",
        "member_code_here": "此处请输入会员码（按电话号码查找会员请到“会员”页）。",
        "bad_phone": "这不像是电话号码，请输入 7 至 15 位数字。",
        "preview_quantity": "数量 {value} 不是 1 至 {most} 的整数。",
        "refund_or_reject": "请选择退款或拒绝，并写明原因。",
        "form_sent": (
            "此表单已提交过（页面被刷新）：门店 {store} 的注册码只显示一次，有效期至 {until}；"
            "如未记下，请在下方另建一个。"
        ),
    },
    "ko": {
        "login_form": "로그인 이름은 영문 소문자, 숫자, '.', '_', '-'로 된 2~64자입니다.",
        "name_length": "이름은 1~100자입니다.",
        "unknown_role": "알 수 없는 역할 '{value}'입니다.",
        "not_store_id": (
            "'{value}'은(는) 매장 번호가 아닙니다(영문, 숫자, '.', '_', '-' 최대 64자)."
        ),
        "manager_store": "매장 관리자에게는 매장이 하나 이상 있어야 합니다.",
        "password_short": "비밀번호는 {least}자 이상입니다.",
        "login_taken": "로그인 이름 '{value}'은(는) 이미 사용 중입니다.",
        "no_account": "'{value}' 계정이 없습니다.",
        "self_demote": (
            "자신의 계정은 강등하거나 비활성화할 수 없습니다. 다른 본사 관리자에게 요청하세요."
        ),
        "values_required": "{fields}: 값을 입력해야 합니다.",
        "currency_unknown": "키오스크는 통화 '{value}'을(를) 지원하지 않습니다.",
        "share_range": "검사 비율은 0~100 %입니다({value}은(는) 안 됩니다).",
        "hours_range": "보류한 장바구니는 1~{most}시간 보관됩니다({value}은(는) 안 됩니다).",
        "no_rules": "본사가 {store} 매장에 정한 규칙이 없습니다.",
        "code_hours": "등록 코드는 1~720시간 유효합니다.",
        "no_kiosk": "키오스크 {value}이(가) 없습니다.",
        "pin_short": "PIN은 {least}자리 이상의 숫자입니다.",
        "staff_taken": "직원 번호 '{value}'은(는) 이미 사용 중입니다.",
        "no_staff": "직원 '{value}'이(가) 없습니다.",
        "plu_taken": "PLU {plu}은(는) 이미 상품 {gtin}에 쓰이고 있습니다. 먼저 그곳에서 지우세요.",
        "no_product": "상품 {value}이(가) 없습니다.",
        "bad_date": "'{value}'은(는) 날짜가 아닙니다. 2026-11-23 형식으로 입력하세요(2000~2999년).",
        "sale_number": "판매 번호가 {value}인 판매는 없습니다(판매 번호는 최대 18자리).",
        "member_code_here": "여기에는 회원 코드를 입력하세요(전화번호로 찾으려면 회원 페이지로).",
        "bad_phone": "전화번호가 아닌 것 같습니다. 7~15자리 숫자를 입력하세요.",
        "preview_quantity": "수량 {value}은(는) 1~{most} 사이의 정수가 아닙니다.",
        "refund_or_reject": "환불 또는 거절을 고르고 이유를 적으세요.",
        "form_sent": (
            "이 양식은 이미 제출되었습니다(페이지를 새로 고침함). "
            "{store} 매장의 등록 코드는 한 번만 표시되며 {until}까지 유효합니다. "
            "적어 두지 않았다면 아래에서 새로 만드세요."
        ),
    },
}


def refusal(lang: str, exc: CentralError) -> str:
    """The refusal in the page's language where its words are known, else its English."""
    words = REFUSALS.get(lang, {}).get(exc.say or "")
    return words.format_map(exc.params) if words else str(exc)
