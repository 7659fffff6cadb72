"""A refusal's words in the console's other languages.

The service's errors speak English (the API's problem documents, the logs). One that names
its words (`CentralError.say`, with `params`) is shown to a Chinese or Korean console page
in that page's language, and so is a domain validator's detail that names them
(`KioskError.say`: an offer's field, a catalog row's check digit, an amount), which the
service passes on (`Invalid.of`). One that does not keeps its English words.
"""

from __future__ import annotations

from collections.abc import Mapping

from central.errors import CentralError
from kiosk.domain.errors import KioskError

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
        # A domain validator's detail (`kiosk.domain`, `KioskError.say`): an offer's or a
        # catalog row's field, an amount, a product number; `detail` is another's words.
        "not_amount": "“{value}”不是金额：请只写数字，最多一个“.”（如 12.80）。",
        "decimals": "“{value}”的小数位超过 {currency} 允许的 {most} 位。",
        "no_decimals": "{currency} 金额没有小数：“{value}”。",
        "amount_range": "金额“{value}”超出范围。",
        "gtin_digits": "“{value}”不是商品编码：只能是数字。",
        "gtin_length": "“{value}”有 {count} 位数字；商品编码（GTIN）为 8、12、13 或 14 位。",
        "check_digit": "“{value}”的校验位不对（输错或读错）。",
        "offer_id": "促销编号须为 1 至 64 个字符。",
        "percent": "折扣百分比须在 0 至 100 之间。",
        "below_zero": "金额不能为负数。",
        "ends_first": "结束时间须晚于开始时间。",
        "terms": "此类促销缺少条件（数量、折扣或金额）。",
        "item_scope": "单品促销须指定商品、品牌或品类。",
        "repeat": "只有立减金额的促销可以按“每满”重复。",
        "when": "“{value}”不是日期或 ISO 时间（如 2026-11-23 或 2026-11-23T10:00）。",
        "years": "“{value}”不在 {first} 至 {last} 年之间。",
        "not_percent": "{column}：“{value}”不是百分比（如 12.5）。",
        "in_column": "{column}：{detail}",
        "whole_number": "{column} 须为整数，不能是“{value}”。",
        "yes_no": "{column} 须为 1/0、true/false 或 yes/no，不能是“{value}”。",
        "more_fields": "字段比表头多。",
        "csv_row": "第 {row} 行：{detail}",
        "not_csv": (
            "从第 {row} 行起不是有效的 CSV（{detail}），多半是引号未成对："
            "请在表格软件中检查这一行，另存为“CSV UTF-8”后重新导入。"
        ),
        "offer_kind": "没有“{value}”这种类型，可用的类型：{kinds}。",
        "stored_currency": (
            "此优惠的币种“{value}”不是自助收银机支持的币种，因此从未生效："
            "请重新填写币种和金额（原存储的最小单位数值：{stored}）。"
        ),
        "coupon_id": "优惠券编号须为 1 至 64 个字符，且不含“.”。",
        "either": "减免金额和折扣百分比须填写其中一项，且只填一项。",
        "ranges": "金额或百分比超出范围。",
        "limit_below_zero": "每位会员的限用次数不能为负数。",
        "coupon_scope": "此类优惠券须列出其适用的商品、品牌或品类。",
        "tax_class": "税率类别“{value}”不是本店的税率类别（{known}）。",
        "unit": "单位须为 each 或 kg，不能是“{value}”。",
        "gtin_used": "此商品编码已在第 {row} 行使用。",
        "plu_used": "此 PLU 已在第 {row} 行使用。",
        "code_is_gtin": "{code} 是另一件商品的商品编码：一个编码只能对应一件商品。",
        "code_taken": "{code} 已是商品 {gtin} 的附加编码，请先在那里删除。",
        "missing_columns": "表头缺少必需的列：{columns}。",
        "unknown_columns": "未知的列（请检查拼写）：{columns}。",
        "plu": (
            "PLU“{value}”无效：须为 3000 至 4999 的 4 位数，或在其前加 9（有机）或 8 的 5 位数。"
        ),
        "picture": (
            "图片须为文件名，如 fuji-apples.png（a–z、0–9、- 和 _；.png、.jpg 或 .svg），"
            "不能是“{value}”。"
        ),
        "no_name": "商品没有名称。",
        "price_below_zero": "商品价格不能为负数。",
        "deposit": "押金无效：须与价格同一币种，且不能为负数。",
        "age": "最低购买年龄须在 0 至 25 之间，不能是 {value}。",
        "header_only": "文件只有表头，没有商品：未导入任何内容。",
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
        # A domain validator's detail (`kiosk.domain`, `KioskError.say`).
        "not_amount": "'{value}'은(는) 금액이 아닙니다. 숫자와 '.' 하나만 쓰세요(예: 12.80).",
        "decimals": "'{value}'의 소수 자릿수가 {currency}에서 허용하는 {most}자리를 넘습니다.",
        "no_decimals": "{currency} 금액에는 소수가 없습니다: '{value}'.",
        "amount_range": "금액 '{value}'이(가) 범위를 벗어났습니다.",
        "gtin_digits": "'{value}'은(는) 상품 번호가 아닙니다. 숫자만 쓸 수 있습니다.",
        "gtin_length": (
            "'{value}'은(는) {count}자리입니다. 상품 번호(GTIN)는 8, 12, 13 또는 14자리입니다."
        ),
        "check_digit": "'{value}'의 체크 디지트가 맞지 않습니다(잘못 입력했거나 잘못 읽음).",
        "offer_id": "프로모션 ID는 1~64자입니다.",
        "percent": "할인율은 0~100 사이여야 합니다.",
        "below_zero": "금액은 음수일 수 없습니다.",
        "ends_first": "종료 시각은 시작 시각보다 늦어야 합니다.",
        "terms": "이 종류의 프로모션에 조건(수량, 할인율 또는 금액)이 빠져 있습니다.",
        "item_scope": "상품 프로모션에는 상품, 브랜드 또는 카테고리가 있어야 합니다.",
        "repeat": "금액 할인만 반복해서 적용할 수 있습니다.",
        "when": "'{value}'은(는) 날짜나 ISO 시각이 아닙니다(예: 2026-11-23, 2026-11-23T10:00).",
        "years": "'{value}'은(는) {first}년과 {last}년 사이가 아닙니다.",
        "not_percent": "{column}: '{value}'은(는) 백분율이 아닙니다(예: 12.5).",
        "in_column": "{column}: {detail}",
        "whole_number": "{column}은(는) 정수여야 합니다('{value}'은(는) 안 됩니다).",
        "yes_no": (
            "{column}은(는) 1/0, true/false 또는 yes/no여야 합니다('{value}'은(는) 안 됩니다)."
        ),
        "more_fields": "헤더보다 필드가 많습니다.",
        "csv_row": "{row}행: {detail}",
        "not_csv": (
            "{row}행부터 올바른 CSV가 아닙니다({detail}). 대개 따옴표가 닫히지 않은 경우입니다. "
            "스프레드시트에서 이 행을 확인하고 'CSV UTF-8'로 다시 저장한 뒤 가져오세요."
        ),
        "offer_kind": "'{value}' 유형은 없습니다. 사용할 수 있는 유형: {kinds}.",
        "stored_currency": (
            "이 혜택의 통화 '{value}'은(는) 키오스크가 지원하지 않아 한 번도 적용되지 않았습니다. "
            "통화와 금액을 다시 입력하세요(저장된 최소 단위 값: {stored})."
        ),
        "coupon_id": "쿠폰 ID는 '.' 없이 1~64자입니다.",
        "either": "할인 금액과 할인율 중 하나만 입력하세요.",
        "ranges": "금액 또는 할인율이 범위를 벗어났습니다.",
        "limit_below_zero": "회원당 사용 한도는 음수일 수 없습니다.",
        "coupon_scope": "이 종류의 쿠폰에는 적용할 상품, 브랜드 또는 카테고리가 있어야 합니다.",
        "tax_class": "과세 유형 '{value}'은(는) 이 매장의 과세 유형({known})이 아닙니다.",
        "unit": "단위는 each 또는 kg여야 합니다('{value}'은(는) 안 됩니다).",
        "gtin_used": "이 상품 번호는 이미 {row}행에 있습니다.",
        "plu_used": "이 PLU는 이미 {row}행에 있습니다.",
        "code_is_gtin": "{code}은(는) 다른 상품의 상품 번호입니다. 한 번호는 한 상품에만 쓰입니다.",
        "code_taken": "{code}은(는) 이미 상품 {gtin}의 추가 번호입니다. 먼저 그곳에서 지우세요.",
        "missing_columns": "헤더에 필수 열이 없습니다: {columns}.",
        "unknown_columns": "알 수 없는 열입니다(철자를 확인하세요): {columns}.",
        "plu": (
            "PLU '{value}'이(가) 올바르지 않습니다. 3000~4999의 4자리, "
            "또는 앞에 9(유기농)나 8을 붙인 5자리여야 합니다."
        ),
        "picture": (
            "이미지 파일 이름은 fuji-apples.png 같은 형식이어야 합니다"
            "(a–z, 0–9, -, _; .png, .jpg, .svg). '{value}'은(는) 안 됩니다."
        ),
        "no_name": "상품에 이름이 없습니다.",
        "price_below_zero": "상품 가격은 음수일 수 없습니다.",
        "deposit": "보증금이 올바르지 않습니다. 가격과 같은 통화이고 0 이상이어야 합니다.",
        "age": "구매 가능 최소 연령은 0~25입니다({value}은(는) 안 됩니다).",
        "header_only": "파일에 헤더만 있고 상품이 없습니다. 아무것도 가져오지 않았습니다.",
    },
}


def refusal(lang: str, exc: CentralError | KioskError) -> str:
    """The refusal in the page's language where its words are known, else its English; an
    error among its `params` (a CSV row's, an offer's field's detail) in turn."""
    words = REFUSALS.get(lang, {}).get(exc.say or "")
    if not words:
        return str(exc)
    return words.format_map(
        {
            name: refusal(lang, value) if isinstance(value, CentralError | KioskError) else value
            for name, value in exc.params.items()
        }
    )
