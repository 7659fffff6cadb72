"""The attendant console's pages: sign-in, and the store's kiosks as tiles.

Server-rendered, no build step: the tiles are drawn by a short script from the event
stream (`/attendant/{store}/events`). Kiosks that need someone come first, the longest
waiting first, with a sound when a new alert arrives. Words in zh_CN, ko and en.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from central.attendant.service import ConsoleSession

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Attendant", "sign_in": "Sign in", "staff_id": "Staff number", "pin": "PIN",
        "wrong_pin": "Wrong staff number or PIN (too many tries lock it for a minute).",
        "sign_out": "Sign out", "coming": "Coming", "pause": "Pause", "resume": "Resume",
        "items": "items", "waiting": "waiting", "on_the_way": "on the way",
        "unreachable": "Unreachable since", "never": "Not heard from yet",
        "idle": "Idle", "scanning": "Scanning", "paying": "Paying", "paused": "Paused",
        "staff": "Staff mode", "closed": "Closed", "camera": "Camera", "printer": "Printer",
        "backlog": "To sync", "all_fine": "Nothing needs you", "recent": "Lately",
        "reconnecting": "Connection lost: reconnecting…", "cleared": "cleared",
        "withdrawn": "withdrawn", "line": "line", "ok": "OK", "no_paper": "no paper",
        "error": "error", "offline": "offline", "lost": "lost", "stalled": "stalled",
        "none": "—", "taken": "Someone is already on the way",
    },
    "zh_CN": {
        "title": "值守台", "sign_in": "登录", "staff_id": "员工号", "pin": "密码",
        "wrong_pin": "员工号或密码错误（多次错误将锁定一分钟）。",
        "sign_out": "退出", "coming": "马上到", "pause": "暂停", "resume": "恢复",
        "items": "件", "waiting": "已等待", "on_the_way": "正在前往",
        "unreachable": "失去联系，自", "never": "尚未收到消息",
        "idle": "空闲", "scanning": "扫码中", "paying": "支付中", "paused": "已暂停",
        "staff": "员工模式", "closed": "已关闭", "camera": "摄像头", "printer": "打印机",
        "backlog": "待同步", "all_fine": "暂无需要处理的事项", "recent": "最近",
        "reconnecting": "连接中断，正在重连…", "cleared": "已处理",
        "withdrawn": "已撤回", "line": "行", "ok": "正常", "no_paper": "缺纸",
        "error": "故障", "offline": "离线", "lost": "无信号", "stalled": "卡顿",
        "none": "—", "taken": "已有同事前往",
    },
    "ko": {
        "title": "관리 화면", "sign_in": "로그인", "staff_id": "직원 번호", "pin": "PIN",
        "wrong_pin": "직원 번호 또는 PIN이 틀렸습니다(여러 번 틀리면 1분간 잠깁니다).",
        "sign_out": "로그아웃", "coming": "가는 중", "pause": "일시 중지", "resume": "재개",
        "items": "개", "waiting": "대기", "on_the_way": "가는 중",
        "unreachable": "연결 끊김, 이후", "never": "아직 소식 없음",
        "idle": "대기 중", "scanning": "스캔 중", "paying": "결제 중", "paused": "일시 중지됨",
        "staff": "직원 모드", "closed": "닫힘", "camera": "카메라", "printer": "프린터",
        "backlog": "동기화 대기", "all_fine": "처리할 일이 없습니다", "recent": "최근",
        "reconnecting": "연결이 끊겼습니다. 다시 연결 중…", "cleared": "처리됨",
        "withdrawn": "취소됨", "line": "줄", "ok": "정상", "no_paper": "용지 없음",
        "error": "오류", "offline": "오프라인", "lost": "신호 없음", "stalled": "멈춤",
        "none": "—", "taken": "이미 다른 직원이 가는 중입니다",
    },
}  # fmt: skip

# What each alert reason says on a tile (the kiosk's reason codes).
REASONS: dict[str, dict[str, str]] = {
    "en": {
        "shopper_call": "Shopper asks for help",
        "age_check": "Age check",
        "unknown_item": "Unknown item",
        "recalled_item": "Recalled item",
        "unsellable_item": "Item not for sale",
        "item_removal": "Item to take off",
        "price_query": "Price query",
        "printer_paper_out": "Printer out of paper",
        "printer_error": "Printer fault",
        "camera_fault": "Camera fault",
        "attended_payment": "Payment to confirm",
        "exit_audit": "Bag check",
        "repeated_failed_scans": "Repeated failed scans",
        "pickup_bring": "Bring a group-buy order",
        "pickup_problem": "Group-buy pickup problem",
    },
    "zh_CN": {
        "shopper_call": "顾客呼叫",
        "age_check": "年龄核验",
        "unknown_item": "未知商品",
        "recalled_item": "召回商品",
        "unsellable_item": "不可售商品",
        "item_removal": "需取消商品",
        "price_query": "价格疑问",
        "printer_paper_out": "打印机缺纸",
        "printer_error": "打印机故障",
        "camera_fault": "摄像头故障",
        "attended_payment": "待确认付款",
        "exit_audit": "出口抽检",
        "repeated_failed_scans": "多次扫码失败",
        "pickup_bring": "送团购订单",
        "pickup_problem": "团购提货异常",
    },
    "ko": {
        "shopper_call": "고객 호출",
        "age_check": "연령 확인",
        "unknown_item": "알 수 없는 상품",
        "recalled_item": "회수 상품",
        "unsellable_item": "판매 불가 상품",
        "item_removal": "취소할 상품",
        "price_query": "가격 문의",
        "printer_paper_out": "프린터 용지 없음",
        "printer_error": "프린터 오류",
        "camera_fault": "카메라 오류",
        "attended_payment": "결제 확인 필요",
        "exit_audit": "가방 확인",
        "repeated_failed_scans": "스캔 반복 실패",
        "pickup_bring": "공동구매 주문 전달",
        "pickup_problem": "공동구매 수령 문제",
    },
}

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#17202c;font:16px/1.35 system-ui,"Noto Sans CJK SC",
"Noto Sans CJK KR","Noto Sans",sans-serif}
header{display:flex;align-items:center;gap:12px;padding:12px 16px;background:#0f5cc0;color:#fff;
position:sticky;top:0;z-index:2}
header h1{font-size:20px;margin:0;flex:1}
header button,header select{font:inherit;font-size:15px;padding:8px 12px;border-radius:10px;
border:2px solid #fff;background:transparent;color:#fff;min-height:44px}
#banner{display:none;background:#fff3c4;color:#6b4d00;padding:10px 16px;font-weight:600}
#banner.on{display:block}
main{padding:14px;display:grid;gap:14px;grid-template-columns:repeat(auto-fill,minmax(290px,1fr))}
.tile{background:#fff;border-radius:16px;padding:14px;border:3px solid #d8dee8;
display:flex;flex-direction:column;gap:8px;min-height:150px}
.tile.alert{border-color:#d93025;box-shadow:0 0 0 3px #f6c7c3}
.tile.taken{border-color:#e08a00;box-shadow:none}
.tile.gone{border-color:#8a94a6;background:#f4f5f7}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:8px}
.name{font-size:20px;font-weight:700;white-space:nowrap}
.tile.gone .cart{color:#8a94a6}
.state{font-size:14px;font-weight:700;padding:3px 10px;border-radius:999px;background:#e7f0fd;
color:#0f5cc0;white-space:nowrap}
.state.bad{background:#fde7e6;color:#b3261e}
.cart{font-size:15px;color:#4a5568}
.why{font-size:19px;font-weight:700;color:#b3261e}
.tile.taken .why{color:#9a5b00}
.wait{font-size:14px;color:#4a5568}
.health{display:flex;flex-wrap:wrap;gap:6px;font-size:13px;color:#4a5568}
.health span{background:#f1f3f6;border-radius:8px;padding:2px 8px}
.health .bad{background:#fde7e6;color:#b3261e;font-weight:600}
.actions{display:flex;gap:8px;margin-top:auto}
.actions button{flex:1;font:inherit;font-weight:700;font-size:17px;min-height:52px;
border-radius:12px;border:2px solid #0f5cc0;background:#fff;color:#0f5cc0}
.actions button.go{background:#d93025;border-color:#d93025;color:#fff}
#recent{padding:0 14px 24px}
#recent h2{font-size:16px;color:#4a5568;margin:6px 0}
#recent li{color:#4a5568;font-size:14px}
#empty{padding:4px 16px 0;color:#2e7d32;font-weight:600}
form.signin{max-width:380px;margin:40px auto;background:#fff;border-radius:16px;padding:24px;
display:flex;flex-direction:column;gap:14px}
form.signin input{font:inherit;font-size:22px;padding:12px;border-radius:10px;
border:2px solid #c5ccd8}
form.signin button{font:inherit;font-size:20px;font-weight:700;min-height:56px;border-radius:12px;
border:0;background:#0f5cc0;color:#fff}
.err{color:#b3261e;font-weight:600}
"""

_SCRIPT = """
const T = JSON.parse(document.getElementById('texts').textContent);
const R = JSON.parse(document.getElementById('reasons').textContent);
const LANG = document.documentElement.lang.replace('-', '_');
// A GTIN-14 as its label prints it (kiosk.domain.codes.display_gtin).
const gtin = g => g.startsWith('000000') ? g.slice(6) : g.startsWith('0') ? g.slice(1) : g;
const CSRF = document.querySelector('meta[name=csrf]').content;
const BASE = document.querySelector('meta[name=base]').content;
const main = document.querySelector('main'), banner = document.getElementById('banner');
let heard = new Set(), first = true, offset = 0, picture = null;
function beep() {
  try {
    const ctx = new AudioContext(), o = ctx.createOscillator(), g = ctx.createGain();
    o.frequency.value = 880; o.connect(g); g.connect(ctx.destination);
    g.gain.setValueAtTime(0.2, ctx.currentTime); o.start(); o.stop(ctx.currentTime + 0.35);
  } catch (e) {}
}
function el(tag, cls, text) {
  const e = document.createElement(tag); if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text; return e;
}
function money(minor, cur) {
  if (minor === null || minor === undefined) return '';
  // Minor units by the currency's own digits (ISO 4217: 2 for CNY, 0 for KRW).
  const f = new Intl.NumberFormat(document.documentElement.lang.replace('_', '-'),
    {style: 'currency', currency: cur || 'CNY'});
  return f.format(minor / 10 ** f.resolvedOptions().maximumFractionDigits);
}
function clock(iso) {
  return new Date(iso).toLocaleTimeString(document.documentElement.lang,
                                          {hour: '2-digit', minute: '2-digit'});
}
function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() + offset - Date.parse(iso)) / 1000));
  return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}
async function act(path, button) {
  button.disabled = true;
  const r = await fetch(BASE + path, {method: 'POST', headers: {'X-CSRF-Token': CSRF},
                                      credentials: 'same-origin'});
  if (r.status === 409) alert(T.taken);
  else if (r.status === 401) location.reload();
  button.disabled = false;
}
function oldest(k) {
  const open = k.alerts.filter(a => a.state === 'raised');
  return open.length ? Date.parse(open[0].received_at) : Infinity;
}
function tile(k) {
  const t = el('section', 'tile'); t.dataset.kiosk = k.kiosk_id;
  const live = k.live, raised = k.alerts.filter(a => a.state === 'raised');
  if (!k.reachable) t.classList.add('gone');
  else if (raised.length) t.classList.add('alert');
  else if (k.alerts.length) t.classList.add('taken');
  const top = el('div', 'top'); top.append(el('span', 'name', k.name));
  const state = !k.reachable ? (k.reported_at ? T.unreachable + ' ' +
      clock(k.reported_at) : T.never) : T[live.state];
  top.append(el('span', 'state' + (k.reachable ? '' : ' bad'), state)); t.append(top);
  if (live) t.append(el('div', 'cart', live.item_count + ' ' + T.items + ' · ' +
      money(live.total_minor, live.currency)));
  for (const a of k.alerts) {
    const why = el('div', 'why', (R[a.reason] || a.reason.replaceAll('_', ' ')) +
      (a.gtin ? ' · ' + (a.item_names[LANG] || gtin(a.gtin)) : '') +
      (a.line_no ? ' · ' + T.line + ' ' + a.line_no : '') +
      (a.amount_minor !== null ? ' · ' + money(a.amount_minor, a.currency) : ''));
    why.dataset.alert = a.alert_id; t.append(why);
    t.append(el('div', 'wait', a.state === 'acknowledged'
      ? (a.acknowledged_by_name || '') + ' ' + T.on_the_way
      : T.waiting + ' ' + ago(a.received_at)));
  }
  if (live && k.reachable) {  // an unreachable kiosk's last health is not its health now
    const h = el('div', 'health');
    const bad = (v) => v !== 'ok' && v !== 'none';
    h.append(el('span', bad(live.camera) ? 'bad' : '', T.camera + ': ' + T[live.camera]));
    h.append(el('span', bad(live.printer) ? 'bad' : '', T.printer + ': ' + T[live.printer]));
    if (k.backlog !== null) {
      h.append(el('span', k.backlog ? 'bad' : '', T.backlog + ': ' + k.backlog));
    }
    t.append(h);
  }
  const actions = el('div', 'actions');
  for (const a of raised) {
    const b = el('button', 'go', T.coming); b.dataset.ack = a.alert_id;
    b.onclick = () => act('alerts/' + a.alert_id + '/acknowledge', b); actions.append(b);
  }
  if (k.reachable) {
    const paused = live && live.state === 'paused';
    const b = el('button', '', paused ? T.resume : T.pause);
    b.onclick = () => act('kiosks/' + k.kiosk_id + (paused ? '/resume' : '/pause'), b);
    actions.append(b);
  }
  t.append(actions);
  return t;
}
function draw() {
  if (!picture) return;
  const kiosks = [...picture.kiosks].sort((a, b) => oldest(a) - oldest(b) ||
      (a.reachable - b.reachable) || a.name.localeCompare(b.name));
  main.replaceChildren(...kiosks.map(tile));
  const anything = picture.kiosks.some(k => k.alerts.length || !k.reachable);
  document.getElementById('empty').textContent = anything ? '' : T.all_fine;
  const list = document.querySelector('#recent ul');
  list.replaceChildren(...picture.recent.slice().reverse().map(a => el('li', '',
    clock(a.raised_at) + ' · ' + a.kiosk_id.slice(0, 8) + ' · ' +
    (R[a.reason] || a.reason) + ' · ' + T[a.state] +
    (a.closed_by_name ? ' (' + a.closed_by_name + ')' : ''))));
  document.querySelector('#recent h2').textContent = picture.recent.length ? T.recent : '';
}
function connect() {
  const source = new EventSource(BASE + 'events');
  source.addEventListener('store', (e) => {
    banner.classList.remove('on');
    picture = JSON.parse(e.data);
    offset = Date.parse(picture.server_time) - Date.now();
    let fresh = false;
    for (const k of picture.kiosks) for (const a of k.alerts)
      if (a.state === 'raised' && !heard.has(a.alert_id)) { heard.add(a.alert_id); fresh = true; }
    if (fresh && !first) beep();
    first = false; draw();
    window.lastPicture = performance.now();
  });
  source.addEventListener('signed_out', () => { source.close(); location.reload(); });
  source.onerror = () => { banner.textContent = T.reconnecting; banner.classList.add('on'); };
}
document.getElementById('signout').onclick = async () => {
  await fetch(BASE + 'sign-out', {method: 'POST', headers: {'X-CSRF-Token': CSRF}});
  location.reload();
};
setInterval(draw, 1000);
connect();
"""


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


POLICY = (
    # The page's own script and style, by their hashes, and nothing else: no other
    # script, no style attribute, no frame; it talks to its own origin only (the event
    # stream and the actions). The JSON blocks are data, which no policy has to allow.
    f"default-src 'none'; script-src {_sha256(_SCRIPT)}; style-src {_sha256(_CSS)}; "
    "connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _page(lang: str, title: str, head: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang.replace("_", "-")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title>{head}<style>{_CSS}</style></head><body>{body}</body></html>"
    )


def sign_in_page(store_id: str, lang: str, *, error: str | None) -> str:
    t = TEXTS[lang]
    message = f"<p class='err' id='error'>{escape(t[error])}</p>" if error else ""
    return _page(
        lang,
        f"{t['title']} · {store_id}",
        "",
        f"<header><h1>{escape(t['title'])} · {escape(store_id)}</h1></header>"
        f"<form class='signin' method='post' action='/attendant/{escape(store_id)}/sign-in'>"
        f"{message}<label>{escape(t['staff_id'])}<br>"
        "<input name='staff_id' id='staff_id' autocomplete='username' required></label>"
        f"<label>{escape(t['pin'])}<br><input name='pin' id='pin' type='password' "
        "inputmode='numeric' autocomplete='current-password' required></label>"
        f"<input type='hidden' name='lang' value='{escape(lang)}'>"
        f"<button id='sign_in'>{escape(t['sign_in'])}</button></form>",
    )


def console_page(store_id: str, who: ConsoleSession, lang: str) -> str:
    t = TEXTS[lang]
    # JSON inside <script type=application/json>: "</" is escaped so no text can close it.
    texts = json.dumps(t, ensure_ascii=False).replace("</", "<\\/")
    reasons = json.dumps(REASONS[lang], ensure_ascii=False).replace("</", "<\\/")
    head = (
        f"<meta name='csrf' content='{escape(who.csrf)}'>"
        f"<meta name='base' content='/attendant/{escape(store_id)}/'>"
    )
    return _page(
        lang,
        f"{t['title']} · {store_id}",
        head,
        f"<header><h1>{escape(t['title'])} · {escape(store_id)}</h1>"
        f"<span>{escape(who.staff_name)}</span>"
        f"<button id='signout'>{escape(t['sign_out'])}</button></header>"
        "<div id='banner' role='status'></div><div id='empty' role='status'></div>"
        "<main aria-live='polite'></main><section id='recent'><h2></h2><ul></ul></section>"
        f"<script type='application/json' id='texts'>{texts}</script>"
        f"<script type='application/json' id='reasons'>{reasons}</script>"
        f"<script>{_SCRIPT}</script>",
    )
