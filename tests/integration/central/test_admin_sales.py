"""Finding a sale in the console, on both engines and over HTTP: by number, day, kiosk and
member code, with its lines, discounts, taxes, tenders, refunds and its kiosk's chain
status; a store manager sees their own stores' sales only. The integrity review: what a
real kiosk's re-sent sales left for review, for HQ and the store's own manager only."""

from __future__ import annotations

import html
import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from central.admin import integrity, pages, sale_search
from central.admin.sale_search import SaleQuery
from central.admin.service import Account, Actor, Role
from central.errors import Forbidden, Invalid, NotFound
from central.loyalty import members as loyalty_members
from central.loyalty.tables import members
from central.sales import checks
from central.sales.tables import journal, journal_issues, refunds, sales
from kiosk.domain.ids import uuid7
from kiosk.domain.sale import Sale
from tests.integration.central.test_admin import ACCOUNTS, add_account, audit, signed_in
from tests.integration.central.test_admin_members import member_at_a_kiosk
from tests.integration.central.test_loyalty_central import LAYS, PHONE, Kiosk
from tests.integration.conftest import TEST_SECRET, CentralHarness

HQ = Account("hq", "HQ", Role.HQ_ADMIN, frozenset())
OTHER_STORE = Account("sm2", "SM2", Role.STORE_MANAGER, frozenset({"S002"}))
COKE = "6951287001010"


@pytest.fixture
def sold(
    central: CentralHarness, demo_products: list[dict[str, Any]], tmp_path: Path
) -> Iterator[tuple[Kiosk, Sale, Sale, str]]:
    """Two sales at a real kiosk, synced: one by a member (Lay's twice, second bag half
    price), one without; a refund of the first as the refunds feature stores it."""
    till, member_id = member_at_a_kiosk(central, demo_products, tmp_path)
    first = till.sell(LAYS, LAYS)
    second = till.sell(COKE)
    till.sync()
    with central.engine.begin() as conn:
        conn.execute(insert(refunds).values(
            refund_id="01900000-0000-7000-8000-00000000f001", sale_id=first.sale_id,
            kiosk_id=first.kiosk_id, store_id=first.store_id, method="demo", amount_minor=375,
            currency="CNY", status="refunded", body_hash="0" * 64, document="{}",
            created_at=1_800_000_000_000, updated_at=1_800_000_000_000))  # fmt: skip
    yield till, first, second, member_id
    till.close()


def test_sales_are_found_by_number_day_kiosk_and_member(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]
) -> None:
    _, first, second, _ = sold
    day = first.created_at.date().isoformat()
    with central.engine.connect() as conn:
        code = conn.execute(select(members.c.member_code)).scalar_one()

        def ids(**fields: str) -> list[str]:
            rows = sale_search.find(conn, HQ, SaleQuery(**fields), TEST_SECRET)
            return [r.sale_id for r in rows]

        assert ids(number=str(second.sequence)) == [second.sale_id]
        assert ids(number=first.sale_id[:13]) == [first.sale_id]
        assert sorted(ids(kiosk_id=first.kiosk_id)) == sorted([first.sale_id, second.sale_id])
        assert len(ids(day_from=day, day_to=day)) == 2
        assert ids(day_from="2099-01-01") == []
        assert ids(member_code=code) == [first.sale_id]
        with pytest.raises(Invalid):
            ids(member_code=PHONE)  # a phone would sit in the address: the Members page
        with pytest.raises(Invalid):
            ids(day_from="23/11/2026")
        # The calendar's end (no day after it) and a number past any sale's: refused with
        # words, where they were a 500.
        with pytest.raises(Invalid, match="between the years 2000 and 2999"):
            ids(day_to="9999-12-31")
        with pytest.raises(Invalid, match="no kiosk numbers a sale"):
            ids(number="9" * 20)
        with pytest.raises(NotFound):
            ids(member_code="MNOSUCHCODE")
        shown = sale_search.detail(conn, HQ, first.sale_id)
        assert [d["rule_id"] for d in shown.document["discounts"]] == ["lays-2nd-half"]
        assert shown.row.total.minor == first.priced.total.minor
        assert [(r.amount.minor, r.status) for r in shown.refunds] == [(375, "refunded")]
        assert (shown.chain_issues, shown.conflicts) == (0, 0)
        # Its own journal entry arrived, commits to the document as stored, and the
        # chain up to it is whole.
        assert shown.entry is not None
        assert shown.entry.whole
        assert (shown.entry.digest_matches, shown.entry.missing_before) == (True, 0)
        later = sale_search.detail(conn, HQ, second.sale_id).entry
        assert later is not None
        assert later.index > shown.entry.index
        # Another store's manager neither finds nor opens it.
        assert sale_search.find(conn, OTHER_STORE, SaleQuery(number="1"), TEST_SECRET) == []
        with pytest.raises(Forbidden):
            sale_search.detail(conn, OTHER_STORE, first.sale_id)


@pytest.mark.parametrize("central_db_url", ["sqlite"], indirect=True)
def test_the_sales_pages(central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]) -> None:
    _, first, _, _ = sold
    for role, (login, stores) in ACCOUNTS.items():
        add_account(central, login, role, stores)
    add_account(central, "sm2", Role.STORE_MANAGER, ["S002"])
    ro = signed_in(central, ACCOUNTS[Role.READ_ONLY][0])
    found = ro.get("/admin/sales", params={"kiosk": first.kiosk_id}).text
    assert f'data-sale="{first.sale_id}"' in found
    page = ro.get(f"/admin/sales/{first.sale_id}").text
    assert "lays-2nd-half" in page
    assert "Lay&#x27;s Classic Potato Chips 70g" in page
    assert 'data-refund="01900000-0000-7000-8000-00000000f001"' in page
    assert 'id="chain"' in page
    assert 'id="journal" data-whole="1"' in page
    # The receipt as the shopper got it: their e-receipt page, by a signed link.
    link = re.search(r'id="receipt" href="([^"]+)"', page)
    assert link is not None
    receipt = ro.get(html.unescape(link[1]))
    assert receipt.status_code == 200
    assert "Lay&#x27;s Classic Potato Chips 70g" in receipt.text
    assert f"#{first.sequence}" in receipt.text
    # Its time as the console writes times, not ISO text ("2026-11-23T09:30:00+00:00").
    when = re.search(r"<dd>(\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d)</dd>", page)
    assert when is not None
    assert first.created_at.strftime("%Y-%m-%d %H:%M") in when[1]
    chinese = ro.get(f"/admin/sales/{first.sale_id}", params={"lang": "zh_CN"}).text
    assert "lang=zh" in chinese
    # The discount by its offer's own name in the page's language (the sale carries the
    # base name), under a heading that is not "discount total"; a product is named, not
    # a person ("姓名").
    row = re.search(r'<tr data-discount="lays-2nd-half">.*?</tr>', chinese)
    assert row is not None
    assert "乐事薯片：第二包半价" in row[0]
    assert "<h2>优惠明细</h2>" in chinese
    assert '<th scope="col">名称</th>' in chinese
    assert "姓名" not in chinese
    # The sale's state and its refund's, in the page's language.
    korean = ro.get(f"/admin/sales/{first.sale_id}", params={"lang": "ko"}).text
    assert "결제됨" in korean
    assert "환불됨" in korean
    assert "결제됨" in ro.get("/admin/sales", params={"kiosk": first.kiosk_id}).text
    assert ro.get("/admin/sales", params={"from": "yesterday"}).status_code == 422
    other = signed_in(central, "sm2")
    assert f'data-sale="{first.sale_id}"' not in other.get("/admin/sales?number=1").text
    assert other.get(f"/admin/sales/{first.sale_id}").status_code == 403
    marketing = signed_in(central, ACCOUNTS[Role.MARKETING][0])
    assert marketing.get("/admin/sales").status_code == 403


def resend_changed(central: CentralHarness, till: Kiosk, sale: Sale) -> str:
    """`sale` re-sent with another time (a conflict kept for review, never merged), and a
    copy numbered one past the next (a gap until the sale between arrives); the copy's id."""
    with central.engine.connect() as conn:
        stored = json.loads(
            conn.execute(
                select(sales.c.document).where(sales.c.sale_id == sale.sale_id)
            ).scalar_one()
        )
    changed = {**stored, "created_at": "2026-12-01T09:00:00+08:00"}
    later = {**stored, "sale_id": str(uuid7(1_800_000_000_000, 42)), "sequence": sale.sequence + 2}
    answer = till.client.call("POST", "/v1/sales/batch", body={"sales": [changed, later]})
    assert [r["result"] for r in answer["results"]] == ["conflict", "stored"]
    return str(later["sale_id"])


def test_the_integrity_review_lists_what_a_kiosk_sent_twice_and_what_is_missing(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]
) -> None:
    till, first, second, _ = sold
    resend_changed(central, till, second)
    mine = Account("sm1", "SM1", Role.STORE_MANAGER, frozenset({first.store_id}))
    with central.engine.connect() as conn:
        for who in (HQ, mine):
            review = integrity.review(conn, who)
            assert [(c.entity, c.entity_id, c.reason) for c in review.conflicts] == [
                ("sale", second.sale_id, "body_differs")
            ]
            assert '"created_at": "2026-12-01T09:00:00+08:00"' in review.conflicts[0].document
            assert review.conflicts[0].kiosk.kiosk_id == till.credential.kiosk_id
            assert [(i.kind, i.detail) for i in review.issues] == [
                ("gap", f"sales {second.sequence + 1} missing")
            ]
        assert integrity.review(conn, OTHER_STORE) == integrity.Review((), ())
        with pytest.raises(Forbidden):
            integrity.review(conn, Account("ro", "RO", Role.READ_ONLY, frozenset()))
    # The page, in the page's language; the other store's manager sees neither.
    for role, (login, stores) in ACCOUNTS.items():
        add_account(central, login, role, stores)
    add_account(central, "sm2", Role.STORE_MANAGER, ["S002"])
    page = signed_in(central, ACCOUNTS[Role.STORE_MANAGER][0]).get("/admin/integrity?lang=zh_CN")
    assert f'data-conflict="{second.sale_id}"' in page.text
    assert "body_differs" in page.text
    assert "以不同内容重复发送" in page.text  # the reason in words, the code under it
    assert "2026-12-01T09:00:00+08:00" in page.text
    assert 'data-issue="gap"' in page.text
    assert "待审核的冲突" in page.text
    # The sale's own page says a copy of it is kept for review, and links there.
    shown = signed_in(central, "hq").get(f"/admin/sales/{second.sale_id}").text
    assert 'id="sale_conflicts"' in shown
    assert 'href="/admin/integrity"' in shown
    assert (
        'id="sale_conflicts"'
        not in signed_in(central, "hq").get(f"/admin/sales/{first.sale_id}").text
    )
    other = signed_in(central, "sm2").get("/admin/integrity").text
    assert "data-conflict" not in other
    assert "data-issue" not in other
    for role in (Role.MARKETING, Role.READ_ONLY):
        assert signed_in(central, ACCOUNTS[role][0]).get("/admin/integrity").status_code == 403


def test_every_reason_the_service_keeps_an_item_for_has_words() -> None:
    """The sale checks' and the points checks' reasons are read from their code, so a new
    one without words fails here; the others are the literals the services record."""
    found = set(re.findall(r'_Bad\("(\w+)"', inspect.getsource(checks)))
    found |= set(re.findall(r'return "(\w+)"', inspect.getsource(loyalty_members._ledger_refusal)))
    found |= {"body_differs", "sequence_reused", "entry_differs", "phone_registered",
              "double_use", "points_differ", "coupon_not_returned"}  # fmt: skip
    assert len(found) > 20
    for lang in pages.LANGUAGES:
        assert {f"why_{code}" for code in found} <= pages.TEXTS[lang].keys(), lang
    conflict = integrity.Conflict("sale", "s1", integrity.Kiosk("k", "K", "S001"), "new_code",
                                  "2026-12-01T00:00:00.000Z", "{}")  # fmt: skip
    page = pages.integrity_page("en", HQ, "x", integrity.Review((conflict,), ()))
    assert '<span class="mono">new_code</span>' in page  # a code without words: the code


def test_the_journal_status_of_a_sale_whose_entry_has_not_arrived(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]
) -> None:
    _, _, second, _ = sold
    with central.engine.begin() as conn:  # as if the journal batch were still on its way
        conn.execute(journal.delete().where(journal.c.idx > 1))
        shown = sale_search.detail(conn, HQ, second.sale_id)
    assert shown.entry is None
    conn_page = pages.sale_page("en", HQ, "x", shown)
    assert 'id="journal"' in conn_page
    assert "has not arrived yet" in conn_page


def test_a_conflict_and_a_chain_issue_are_marked_as_dealt_with(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]
) -> None:
    till, first, second, _ = sold
    resend_changed(central, till, second)
    with central.engine.begin() as conn:  # a chain break, as the journal ingest records one
        conn.execute(insert(journal_issues).values(
            kiosk_id=first.kiosk_id, kind="chain_break", idx=3, detail="prev_hash differs",
            detected_at=1_800_000_000_000))  # fmt: skip
    for role, (login, stores) in ACCOUNTS.items():
        add_account(central, login, role, stores)
    add_account(central, "sm2", Role.STORE_MANAGER, ["S002"])
    with central.engine.connect() as conn:
        review = integrity.review(conn, HQ)
    [conflict] = review.conflicts
    [chain_break] = [i for i in review.issues if i.kind == "chain_break"]
    assert chain_break.item_id is not None
    assert [i.item_id for i in review.issues if i.kind == "gap"] == [None]
    conflict_path = f"/admin/integrity/conflict/{conflict.item_id}"
    note = {"note": "Kiosk clock was reset; the first copy is the right one."}
    # Refused server-side: without the session's token, for read-only and marketing
    # accounts, for another store's manager, and without a note.
    mgr = signed_in(central, ACCOUNTS[Role.STORE_MANAGER][0])
    assert mgr.post(conflict_path, note, csrf=False).status_code == 403
    for login in (ACCOUNTS[Role.READ_ONLY][0], ACCOUNTS[Role.MARKETING][0], "sm2"):
        assert signed_in(central, login).post(conflict_path, note).status_code == 403
    assert mgr.post(conflict_path, {"note": "  "}).status_code == 422
    with central.engine.connect() as conn:
        assert len(integrity.review(conn, HQ).conflicts) == 1
    assert [a.action for a in audit(central) if a.action.startswith("integrity")] == []
    # The store's manager marks the conflict, HQ the chain break.
    answer = mgr.post(conflict_path, note)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/integrity?done=dealt_done"
    hq = signed_in(central, "hq")
    chain_path = f"/admin/integrity/chain/{chain_break.item_id}"
    assert hq.post(chain_path, {"note": "Restored from backup, checked"}).status_code == 303
    assert hq.post(chain_path, {"note": "again"}).status_code == 422  # once only
    with central.engine.connect() as conn:
        after = integrity.review(conn, HQ)
    assert after.conflicts == ()
    assert [i.kind for i in after.issues] == ["gap"]  # a gap is never marked: it closes
    [dealt] = after.dealt_conflicts
    assert dealt.dealt is not None
    assert (dealt.entity_id, dealt.dealt.login, dealt.dealt.note) == (
        second.sale_id, ACCOUNTS[Role.STORE_MANAGER][0], note["note"])  # fmt: skip
    assert [i.dealt.login for i in after.dealt_issues if i.dealt] == ["hq"]
    entries = [a for a in audit(central) if a.action == "integrity.dealt"]
    assert [(e.actor, e.target) for e in entries] == [
        (ACCOUNTS[Role.STORE_MANAGER][0], f"conflict {conflict.item_id}"),
        ("hq", f"chain {chain_break.item_id}"),
    ]
    assert json.loads(entries[0].before)["reason"] == "body_differs"
    assert json.loads(entries[0].after)["note"] == note["note"]
    page = hq.get("/admin/integrity?lang=ko").text
    assert "처리됨" in page
    assert note["note"] in page
    assert f'action="{conflict_path}"' not in page
    assert f'action="{conflict_path}/reopen"' in page


def test_the_review_says_how_many_items_its_newest_lists_leave_out(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first, _, _ = sold
    monkeypatch.setattr(integrity, "DEALT_LIMIT", 1)
    with central.engine.begin() as conn:  # five chain breaks, as the journal ingest records them
        for idx in range(3, 8):
            conn.execute(insert(journal_issues).values(
                kiosk_id=first.kiosk_id, kind="chain_break", idx=idx, detail="prev_hash differs",
                detected_at=1_800_000_000_000 + idx))  # fmt: skip
        for issue in integrity.review(conn, HQ).issues[:2]:  # the oldest two dealt with
            assert issue.item_id is not None
            integrity.mark_dealt(conn, HQ, Actor("hq", "test"), "chain", issue.item_id,
                                 "checked", 1_800_000_100_000)  # fmt: skip
        review = integrity.review(conn, HQ, limit=2)
    assert [i.index for i in review.issues] == [6, 7]  # the newest two open, oldest first
    assert (review.open_chain_count, review.open_conflict_count) == (3, 0)
    assert (review.dealt_chain_count, review.dealt_conflict_count) == (2, 0)
    assert len(review.dealt_issues) == 1
    page = pages.integrity_page("en", HQ, "x", review)
    assert "The newest 2 of 3: each one dealt with brings an older one into the list." in page
    assert "The newest 1 of 2." in page
    monkeypatch.undo()
    with central.engine.connect() as conn:  # everything listed: nothing to say
        whole = pages.integrity_page("zh_CN", HQ, "x", integrity.review(conn, HQ))
    assert "显示最新" not in whole
    assert html.unescape(whole).count("prev_hash differs") == 3 + 2


def test_the_dealt_with_lists_page_back_through_older_items(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first, _, _ = sold
    monkeypatch.setattr(integrity, "DEALT_LIMIT", 2)  # the server runs in this process
    with central.engine.begin() as conn:  # five chain breaks, all dealt with
        for idx in range(3, 8):
            conn.execute(insert(journal_issues).values(
                kiosk_id=first.kiosk_id, kind="chain_break", idx=idx, detail="prev_hash differs",
                detected_at=1_800_000_000_000 + idx))  # fmt: skip
        for issue in integrity.review(conn, HQ).issues:
            if issue.item_id is not None:
                integrity.mark_dealt(conn, HQ, Actor("hq", "test"), "chain", issue.item_id,
                                     f"checked {issue.index}", 1_800_000_100_000)  # fmt: skip
        newest = integrity.review(conn, HQ)
        second = integrity.review(conn, HQ, chain_before=newest.dealt_issues[-1].item_id)
        last = integrity.review(conn, HQ, chain_before=second.dealt_issues[-1].item_id)
    pages_seen = [newest, second, last]
    assert [[i.index for i in p.dealt_issues] for p in pages_seen] == [[7, 6], [5, 4], [3]]
    assert [p.dealt_chain_newer for p in pages_seen] == [0, 2, 4]
    assert {p.dealt_chain_count for p in pages_seen} == {5}
    older, oldest = (p.dealt_issues[-1].item_id for p in (newest, second))
    # Over HTTP: each page says where it is; its links keep the other list's page (here a
    # conflicts page past every conflict, which has nothing to show).
    add_account(central, "hq", Role.HQ_ADMIN, [])
    hq = signed_in(central, "hq")
    page = html.unescape(hq.get(f"/admin/integrity?conflicts_before=9&chain_before={older}").text)
    assert "3–4 of 5, newest first." in page
    assert "checked 5" in page
    assert "checked 7" not in page
    assert '<a href="/admin/integrity?conflicts_before=9#dealt">Newest</a>' in page
    assert f'href="/admin/integrity?conflicts_before=9&chain_before={oldest}#dealt"' in page
    first_page = html.unescape(hq.get("/admin/integrity").text)
    assert "The newest 2 of 5." in first_page
    assert f'<a href="/admin/integrity?chain_before={older}#dealt">Older entries</a>' in first_page
    end = html.unescape(hq.get(f"/admin/integrity?chain_before={oldest}&lang=zh_CN").text)
    assert "第 5 项，共 5 项（最新的在前）。" in end
    assert "更早的记录" not in end  # nothing older
    for bad in ("0", "soon", str(2**63)):
        assert hq.get(f"/admin/integrity?chain_before={bad}").status_code == 422
    # A mark reopened far back in the list comes back to its page, the form carrying it.
    paged = f"conflicts_before=9&chain_before={older}"
    reopen = f"/admin/integrity/chain/{second.dealt_issues[0].item_id}/reopen?{paged}"
    assert f'action="{reopen}"' in page
    answer = hq.post(reopen, {"why": "Marked by mistake"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/admin/integrity?done=reopened&{paged}"
    refused = hq.post(reopen, {"why": " "})  # no reason: the page it was on, with the error
    assert refused.status_code == 422
    assert "第 3–4 项，共 4 项" in html.unescape(refused.text)  # the language chosen last


def test_a_mark_made_in_error_is_reopened_with_a_reason(
    central: CentralHarness, sold: tuple[Kiosk, Sale, Sale, str]
) -> None:
    till, _, second, _ = sold
    resend_changed(central, till, second)
    for role, (login, stores) in ACCOUNTS.items():
        add_account(central, login, role, stores)
    add_account(central, "sm2", Role.STORE_MANAGER, ["S002"])
    with central.engine.connect() as conn:
        [conflict] = integrity.review(conn, HQ).conflicts
    path = f"/admin/integrity/conflict/{conflict.item_id}"
    mgr = signed_in(central, ACCOUNTS[Role.STORE_MANAGER][0])
    why = {"why": "Marked the wrong line: the second copy is the right one."}
    # Nothing to take back yet.
    assert mgr.post(f"{path}/reopen", why).status_code == 422
    assert mgr.post(path, {"note": "First copy kept"}).status_code == 303
    # Refused server-side: without the token, for read-only accounts, another store's
    # manager, and without a reason.
    assert mgr.post(f"{path}/reopen", why, csrf=False).status_code == 403
    for login in (ACCOUNTS[Role.READ_ONLY][0], "sm2"):
        assert signed_in(central, login).post(f"{path}/reopen", why).status_code == 403
    assert mgr.post(f"{path}/reopen", {"why": " "}).status_code == 422
    answer = mgr.post(f"{path}/reopen", why)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/integrity?done=reopened"
    with central.engine.connect() as conn:
        again = integrity.review(conn, HQ)
    assert [c.item_id for c in again.conflicts] == [conflict.item_id]
    assert again.dealt_conflicts == ()
    [entry] = [a for a in audit(central) if a.action == "integrity.reopened"]
    assert (entry.actor, entry.target) == (
        ACCOUNTS[Role.STORE_MANAGER][0],
        f"conflict {conflict.item_id}",
    )
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (before["by"], before["note"]) == (ACCOUNTS[Role.STORE_MANAGER][0], "First copy kept")
    assert after == {"dealt_with": False, "why": why["why"]}
    assert "Reopened: the item is open again." in mgr.get("/admin/integrity?done=reopened").text
    # Open again, it can be marked again.
    assert mgr.post(path, {"note": "Second copy kept"}).status_code == 303
