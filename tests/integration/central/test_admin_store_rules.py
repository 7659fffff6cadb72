"""A store's rules set in the console (head office only), audited, written to the feed the
store's kiosks pull; store managers see their stores' rules and change nothing."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from central.admin import service
from central.admin.tables import admin_audit
from central.cli import main as central_cli
from central.feeds import service as feeds
from sync.protocol import encode_secret
from tests.integration.central.test_admin import PASSWORD, console_on, signed_in
from tests.integration.central.test_central_sales import push, sale
from tests.integration.conftest import TEST_SECRET, CentralHarness

FORM = {
    "max_quantity": "24",
    "refund_returns_coupons": "1",
    "transfer_hours": "4",
    "audit_percent": "5",
    "audit_over": "500.00",
}
FIELD_IDS = {
    "max_quantity": "quantity",
    "transfer_hours": "transfer",
    "audit_percent": "percent",
    "audit_over": "over",
}
SAVED = {
    "store_id": "S001",
    "shopper_may_remove": False,  # its box left unticked
    "max_quantity_per_line": 24,
    "refund_returns_coupons": True,
    "transfer_validity_hours": 4,
    "exit_audit_rate_bp": 500,
    "exit_audit_over_minor": 50_000,
    "currency": "CNY",
}


@pytest.fixture
def console(central_db_url: str) -> Iterator[CentralHarness]:
    """Both engines (`central_db_url`)."""
    with console_on(central_db_url) as harness:
        yield harness


def audit(central: CentralHarness) -> list[tuple[str, str, str, str | None, str | None]]:
    with central.engine.connect() as conn:
        rows = conn.execute(
            admin_audit.select()
            .where(admin_audit.c.action.like("store_rules.%"))
            .order_by(admin_audit.c.audit_id)
        )
        return [(r.actor, r.action, r.target, r.before, r.after) for r in rows]


def held(central: CentralHarness, store: str) -> dict[str, object] | None:
    with central.engine.connect() as conn:
        return feeds.item(conn, "policies", store)


def test_head_office_sets_a_stores_rules_and_withdraws_them(console: CentralHarness) -> None:
    console.enrol("S001", name="Kiosk A")
    console.enrol("S002", name="Kiosk B")
    hq = signed_in(console, "hq")
    page = html.unescape(hq.get("/admin/rules").text)
    assert "S001 · kiosks: 1" in page
    assert "S002 · kiosks: 1" in page
    assert page.count("The chain sets none") == 2
    # Nothing is filled in for them: the kiosks' own rules are not known here, and a value
    # that looked like theirs would be saved for the whole store unread.
    section = page[page.index('data-store="S001"') : page.index('data-store="S002"')]
    assert (
        'name="max_quantity" id="quantity_S001" type="number" min="1" max="999" required '
        'value=""' in section
    )
    assert " checked" not in section

    done = hq.post("/admin/rules/S001", FORM)
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/rules?done=saved"
    assert held(console, "S001") == SAVED
    assert held(console, "S002") is None
    [entry] = audit(console)
    assert entry[:4] == ("hq", "store_rules.update", "S001", None)
    assert json.loads(entry[4] or "{}") == {k: v for k, v in SAVED.items() if k != "store_id"}
    # The form shows what was saved, in the console's units.
    page = hq.get("/admin/rules").text
    section = page[page.index('data-store="S001"') : page.index('data-store="S002"')]
    assert 'value="24"' in section
    assert 'value="5.00"' in section
    assert 'value="500.00"' in section
    assert 'name="shopper_may_remove" value="1">' in section  # not checked

    # A store with no kiosk yet gets rules too, from the form at the end; refused, that
    # form shows what was typed, store id included.
    refused = hq.post("/admin/rules", {**FORM, "store_id": "S009", "audit_percent": "x"})
    assert refused.status_code == 422
    assert re.search(r'id="new_store_id"[^>]*value="S009"', refused.text)
    assert re.search(r'id="percent_new"[^>]*value="x"', refused.text)
    assert hq.post("/admin/rules", {**FORM, "store_id": "S009"}).status_code == 303
    assert held(console, "S009") == {**SAVED, "store_id": "S009"}

    withdrawn = hq.post("/admin/rules/S001", {"withdraw": "1"})
    assert withdrawn.status_code == 303
    assert held(console, "S001") is None
    last = audit(console)[-1]
    assert last[:3] == ("hq", "store_rules.withdraw", "S001")
    assert last[4] is None
    # Nothing left to withdraw: said so, nothing written.
    again = hq.post("/admin/rules/S001", {"withdraw": "1"})
    assert again.status_code == 422
    assert "the chain sets no rules for S001" in html.unescape(again.text)
    assert len(audit(console)) == 3


def test_a_wrong_value_is_named_in_the_pages_language(console: CentralHarness) -> None:
    # The form's own checks were translated; the kiosk's parsers' words were English.
    console.enrol("S001", name="Kiosk A")
    hq = signed_in(console, "hq")
    hq.get("/admin/rules?lang=zh_CN")
    words = {
        "max_quantity": ("+5", "max_quantity 须为整数，不能是“+5”。"),
        "audit_percent": ("abc", "audit_percent：“abc”不是百分比（如 12.5）。"),
        "audit_over": ("5,00", "audit_over：“5,00”不是金额"),
    }
    for field, (value, says) in words.items():
        answer = hq.post("/admin/rules/S001", {**FORM, field: value})
        assert answer.status_code == 422, field
        assert says in html.unescape(answer.text), field
    krw = hq.post("/admin/rules/S001", {**FORM, "currency": "KRW", "audit_over": "500.50"})
    assert "audit_over：KRW 金额没有小数：“500.50”。" in html.unescape(krw.text)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"audit_percent": "abc"}, "is not a percentage"),
        ({"audit_percent": "150"}, "audit_percent: a share of 0 to 100 %, not 150"),
        ({"audit_over": "-5"}, "audit_over"),
        ({"max_quantity": "0"}, "1..999 of one item"),
        ({"max_quantity": "+5"}, "max_quantity must be a whole number"),
        ({"transfer_hours": "48"}, "transfer_hours: a suspended cart keeps 1 to 24 hours"),
        # A blank read as 0 would turn bag checks off.
        ({"audit_percent": " "}, "audit_percent: a value is required"),
        ({"max_quantity": "", "transfer_hours": ""}, "max_quantity, transfer_hours: a value"),
        ({"currency": "XYZ"}, "currency: 'XYZ' is not one the kiosks know"),
        # A won has no hundredths: "500.50" is not an amount in KRW.
        ({"currency": "KRW", "audit_over": "500.50"}, "audit_over"),
    ],
)
def test_a_wrong_value_is_named_and_nothing_is_saved(
    console: CentralHarness, change: dict[str, str], says: str
) -> None:
    console.enrol("S001", name="Kiosk A")
    hq = signed_in(console, "hq")
    answer = hq.post("/admin/rules/S001", {**FORM, **change})
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert says in page
    assert held(console, "S001") is None
    assert audit(console) == []
    # What was typed is shown again in the store's form, to be corrected, not retyped.
    section = page[page.index('data-store="S001"') :]
    typed = {**FORM, **change}
    for name, field in FIELD_IDS.items():
        assert re.search(rf'id="{field}_S001"[^>]*value="{re.escape(typed[name])}"', section)
    assert re.search(r'name="refund_returns_coupons" value="1" checked', section)


def test_a_stores_amount_is_in_its_own_currency(console: CentralHarness) -> None:
    """The form offers the currency the store's kiosks sell in (their sales say so), saves
    the amount in its minor units, and names the currency wherever the amount is shown."""
    seoul = console.enrol("S003", name="Seoul")
    console.enrol("S001", name="Kiosk A")
    [stored] = push(console, seoul, [sale(seoul, 1, total=12_000, currency="KRW")])
    assert stored["result"] == "stored"
    hq = signed_in(console, "hq")
    page = hq.get("/admin/rules").text

    def chosen(page: str, store: str) -> str:
        found = re.search(rf'id="currency_{store}">.*?<option value="(\w+)" selected>', page)
        assert found, store
        return found.group(1)

    assert chosen(page, "S003") == "KRW"  # from its sales
    assert chosen(page, "S001") == "CNY"  # no sales: the chain's
    assert chosen(page, "new") == "CNY"
    saved = hq.post("/admin/rules/S003", {**FORM, "audit_over": "50000", "currency": "KRW"})
    assert saved.status_code == 303
    assert held(console, "S003") == {
        **SAVED,
        "store_id": "S003",
        "exit_audit_over_minor": 50_000,  # won: no minor digits
        "currency": "KRW",
    }
    page = hq.get("/admin/rules").text
    assert chosen(page, "S003") == "KRW"
    assert re.search(r'id="over_S003"[^>]*value="50000"', page)

    # A currency the kiosks do not know is refused, and the form offers the store's again
    # (not the list's first, which a second click would have saved).
    refused = hq.post("/admin/rules/S003", {**FORM, "audit_over": "1", "currency": "XYZ"})
    assert refused.status_code == 422
    assert chosen(refused.text, "S003") == "KRW"
    # A form without the field (a page from before it) keeps the store's currency.
    assert hq.post("/admin/rules/S003", {**FORM, "audit_over": "70000"}).status_code == 303
    assert held(console, "S003") == {
        **SAVED,
        "store_id": "S003",
        "exit_audit_over_minor": 70_000,
        "currency": "KRW",
    }
    # Rules saved in another currency than the store sells in (as the console saved them
    # before it asked): the kiosks refuse them, the page says so and offers the store's.
    assert hq.post("/admin/rules/S003", {**FORM, "currency": "CNY"}).status_code == 303
    page = html.unescape(hq.get("/admin/rules").text)
    section = page[page.index('data-store="S003"') :]
    assert "These rules are in CNY, but the store's kiosks sell in KRW" in section
    assert chosen(page, "S003") == "KRW"
    assert "sell in" not in page[page.index('data-store="S001"') : page.index('data-store="S003"')]


def test_store_managers_see_their_stores_rules_and_change_nothing(
    console: CentralHarness,
) -> None:
    console.enrol("S001", name="Kiosk A")
    console.enrol("S002", name="Kiosk B")
    hq = signed_in(console, "hq")
    for store in ("S001", "S002"):
        assert hq.post(f"/admin/rules/{store}", FORM).status_code == 303
    mgr = signed_in(console, "mgr")
    page = mgr.get("/admin/rules")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'data-store="S001"' in text
    assert 'data-store="S002"' not in text
    main = text[text.index("<main>") :]
    assert "<form" not in main
    assert "Bag checks: share of sales (%)</dt><dd>5.00</dd>" in main
    assert "every sale over (blank: none)</dt><dd>500.00 CNY</dd>" in main  # with its currency
    for path, form in (
        ("/admin/rules/S001", {**FORM, "audit_percent": "0"}),
        ("/admin/rules/S001", {"withdraw": "1"}),
        ("/admin/rules", {**FORM, "store_id": "S001"}),
    ):
        assert mgr.post(path, form).status_code == 403
    assert held(console, "S001") == SAVED
    assert [e[0] for e in audit(console)] == ["hq", "hq"]


def test_rules_an_older_service_stored_unreadable_do_not_take_the_page_down(
    console: CentralHarness,
) -> None:
    unchecked = {"policies": lambda d: (str(d["store_id"]), dict(d))}  # an older service's
    with console.engine.begin() as conn:
        feeds.write(conn, "policies", [{"store_id": "S003", "max_quantity_per_line": "lots"}],
                    [], validators=unchecked)  # fmt: skip
    page = signed_in(console, "hq").get("/admin/rules")
    assert page.status_code == 200
    assert "The rules stored for this store cannot be read" in html.unescape(page.text)
    # Saved again through the form, they are read.
    assert signed_in(console, "hq").post("/admin/rules/S003", FORM).status_code == 303
    assert held(console, "S003") == {**SAVED, "store_id": "S003"}


def test_a_store_typed_in_another_case_is_the_store_the_chain_knows(
    console: CentralHarness,
) -> None:
    # `s001` for S001 made a store of its own: a kiosk enrolled there missed S001's rules,
    # and its sales S001's reports.
    console.enrol("S001", name="Kiosk 1")
    hq = signed_in(console, "hq")
    assert hq.post("/admin/rules", {**FORM, "store_id": "s001"}).status_code == 303
    assert held(console, "S001") == {**SAVED, "store_id": "S001"}
    assert held(console, "s001") is None
    made = hq.post("/admin/accounts", {"login": "li.na", "name": "李娜", "role": "store_manager",
                                       "stores": "s001, s009", "password": PASSWORD})  # fmt: skip
    assert made.status_code == 303
    with console.engine.connect() as conn:
        found = service.account(conn, "li.na")
    assert found is not None
    assert found.stores == {"S001", "s009"}  # a store the chain does not know keeps its case
    # S001's manager makes a code for "s001": their store (it was refused as another one),
    # and the kiosk enrolled with it is S001's.
    mgr = signed_in(console, "mgr")
    answer = mgr.post("/admin/fleet/codes", {"store_id": "s001", "ttl_hours": "2"})
    assert answer.status_code == 200, answer.text
    code = re.search(r'id="code">([A-Z0-9-]+)<', answer.text)
    assert code, answer.text
    enrolled = console.session.post(f"{console.url}/v1/enrol", timeout=30,
                                    json={"code": code[1], "name": "New"})  # fmt: skip
    assert enrolled.json()["store_id"] == "S001"
    # The operators' command line too.
    ran = CliRunner().invoke(
        central_cli,
        ["enroll-code", "--store", "s001", "--db", console.db_url],
        env={"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
    )
    assert ran.exit_code == 0, ran.output
    by_cli = console.session.post(f"{console.url}/v1/enrol", timeout=30,
                                  json={"code": ran.stdout.strip(), "name": "CLI"})  # fmt: skip
    assert by_cli.json()["store_id"] == "S001"
    # A staff member's home store, set by HQ and by S001's manager.
    staff = {"name": "Wang", "role": "associate", "pin": "8642"}
    assert (
        hq.post("/admin/staff", {**staff, "staff_id": "E701", "home_store": "s001"}).status_code
        == 303
    )
    assert (
        mgr.post("/admin/staff", {**staff, "staff_id": "E702", "home_store": "s001"}).status_code
        == 303
    )
    with console.engine.connect() as conn:
        homes = {
            s: (feeds.item(conn, "staff", s) or {}).get("home_store") for s in ("E701", "E702")
        }
    assert homes == {"E701": "S001", "E702": "S001"}
    # Another store in any case is still another store's: refused to S001's manager.
    console.enrol("S002", name="Kiosk 2")
    assert mgr.post("/admin/fleet/codes", {"store_id": "s002", "ttl_hours": "2"}).status_code == 403
    theirs = {**staff, "staff_id": "E703", "home_store": "s002"}
    assert mgr.post("/admin/staff", theirs).status_code == 403


def test_a_store_known_in_two_cases_keeps_the_one_typed(console: CentralHarness) -> None:
    # Made before ids were matched whatever their case: each stays itself.
    console.enrol("S003", name="Upper")
    console.enrol("s003", name="Lower")
    with console.engine.connect() as conn:
        assert service.known_store(conn, "s003") == "s003"
        assert service.known_store(conn, "S003") == "S003"
        assert service.known_store(conn, "S0O3") == "S0O3"  # a store the chain does not know
