"""Group-buy after-sales through the real service on loopback (SQLite and PostgreSQL):
ratings once collected, problems on collected units, the store's refund (once, however
often or concurrently it is sent, and never more than the line's final price) or
rejection, who may do what, the leader's page, the report's new figures (with the
extra basket spend of shoppers who collected at a kiosk), and signed webhooks checked
by a real receiver on loopback."""

from __future__ import annotations

import html
import json
import struct
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import select, update

from central import cli as central_cli_module
from central.admin.service import Role
from central.admin.tables import admin_audit
from central.cli import main as central_cli
from central.config import PHOTO_KEEP_DAYS
from central.groupbuy import routes as groupbuy_routes
from central.groupbuy.photos import DECODERS, KeptPhoto, kept_photo
from central.groupbuy.tables import (
    groupbuy_campaigns,
    groupbuy_problem_photos,
    groupbuy_problems,
    groupbuy_refunds,
)
from kiosk.domain.pickup import short_ref
from kiosk.services.pickups import PickupCounter
from sync.groupbuy_protocol import verify_webhook
from sync.protocol import encode_secret
from sync.worker import sync_round
from tests.integration.central.groupbuy_support import (
    HOUR,
    WATER,
    WEBHOOK_SECRET,
    Receiver,
    campaign_body,
    iso,
    join_and_pay,
    new_campaign,
    order,
    payments,
    receiver,
)
from tests.integration.central.test_admin import add_account, signed_in
from tests.integration.central.test_central_sales import sale
from tests.integration.central.test_groupbuy_faults import _wallet
from tests.integration.central.test_groupbuy_kiosk import _kiosk, _now
from tests.integration.conftest import TEST_SECRET
from tests.integration.payments.conftest import PaymentsHarness, problem

DAY_S = 86_400

__all__ = ["payments", "receiver"]  # fixtures


def _collected_orders(
    payments: PaymentsHarness, quantities: list[int], **overrides: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A campaign whose buyers paid (three: the tier drops to ¥35.90 at the cut-off),
    cut off and ready; nothing collected yet."""
    campaign = new_campaign(payments, **overrides)
    buyers = [
        join_and_pay(payments, campaign, f"1370000{n:04d}", quantity)
        for n, quantity in enumerate(quantities)
    ]
    payments.clock.advance(HOUR + 1)
    cid = campaign["campaign_id"]
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/cut-off").status_code == 200
    assert payments.op("POST", f"/v1/groupbuy/campaigns/{cid}/ready", json={}).status_code == 200
    return campaign, [{**order(payments, b), "token": b["token"]} for b in buyers]


def _collect(payments: PaymentsHarness, mine: dict[str, Any], **extra: Any) -> None:
    body = {"pickup_id": str(uuid.uuid4()), "code": mine["pickup_code"], **extra}
    answer = payments.op("POST", "/v1/ops/groupbuy/pickups", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == "stored"


def _as_buyer(
    payments: PaymentsHarness, method: str, mine: dict[str, Any], what: str, body: Any,
    token: str | None = None,
) -> requests.Response:  # fmt: skip
    return requests.request(
        method, f"{payments.url}/v1/groupbuy/orders/{mine['order_id']}/{what}", json=body,
        headers={"X-Order-Token": token if token is not None else mine["token"]}, timeout=30,
    )  # fmt: skip


def _report_problem(
    payments: PaymentsHarness, mine: dict[str, Any], quantity: int, reason: str,
    problem_id: str | None = None, token: str | None = None,
) -> requests.Response:  # fmt: skip
    body = {"problem_id": problem_id or str(uuid.uuid4()), "gtin": WATER, "quantity": quantity,
            "reason": reason, "note": "the case was split open"}  # fmt: skip
    return _as_buyer(payments, "POST", mine, "problems", body, token)


def _resolve(
    payments: PaymentsHarness, problem_id: str, action: str, answer: str = ""
) -> requests.Response:
    return payments.op(
        "POST", f"/v1/groupbuy/problems/{problem_id}/resolve",
        json={"action": action, "answer": answer},
    )  # fmt: skip


def _problem_refunds(payments: PaymentsHarness) -> list[Any]:
    with payments.harness.engine.connect() as conn:
        return list(
            conn.execute(select(groupbuy_refunds).where(groupbuy_refunds.c.kind == "problem"))
        )


def test_rate_report_refund_once_reject_and_the_report(payments: PaymentsHarness) -> None:
    campaign, (mine, theirs, _) = _collected_orders(payments, [2, 1, 1])
    cid = campaign["campaign_id"]
    assert mine["final_minor"] == 2 * 3590  # paid ¥39.90 a case, the difference came back
    # Nothing collected yet: nothing to rate or report.
    problem(_as_buyer(payments, "PUT", mine, "review", {"stars": 5}), 422,
            "groupbuy_not_collected")  # fmt: skip
    problem(_report_problem(payments, mine, 1, "damaged"), 422, "groupbuy_not_collected")
    _collect(payments, mine)
    _collect(payments, theirs)

    # Only the order's own token opens it: a wrong one, or another buyer's, finds nothing.
    problem(_as_buyer(payments, "PUT", mine, "review", {"stars": 1}, token="x" * 32), 404,
            "order_not_found")  # fmt: skip
    problem(_as_buyer(payments, "PUT", mine, "review", {"stars": 1}, token=theirs["token"]),
            404, "order_not_found")  # fmt: skip
    problem(_report_problem(payments, mine, 1, "damaged", token=theirs["token"]), 404,
            "order_not_found")  # fmt: skip
    assert _as_buyer(payments, "PUT", mine, "review", {"stars": 6}).status_code == 422

    # One review per order; sending again changes it.
    first = _as_buyer(payments, "PUT", mine, "review", {"stars": 3, "text": "heavy to carry"})
    assert first.status_code == 200, first.text
    again = _as_buyer(payments, "PUT", mine, "review", {"stars": 5, "text": "fixed quickly"})
    assert again.json()["review"]["stars"] == 5
    assert again.json()["review"]["text"] == "fixed quickly"
    assert _as_buyer(payments, "PUT", theirs, "review", {"stars": 4}).status_code == 200
    public = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}").json()
    assert (public["ratings"], public["rating_avg"]) == (2, 4.5)

    # Problems: at most the collected units, each unit once; a re-sent report is one problem.
    problem(_report_problem(payments, mine, 3, "damaged"), 422, "problem_quantity")
    damaged = str(uuid.uuid4())
    for _ in range(2):
        sent = _report_problem(payments, mine, 1, "damaged", problem_id=damaged)
        assert sent.status_code == 200, sent.text
    assert [p["problem_id"] for p in sent.json()["problems"]] == [damaged]
    problem(_report_problem(payments, mine, 2, "quality"), 422, "problem_quantity")
    quality = _report_problem(payments, mine, 1, "quality").json()["problems"][1]["problem_id"]
    opened = payments.op("GET", "/v1/groupbuy/problems?store=S001").json()
    assert {p["problem_id"] for p in opened} == {damaged, quality}
    assert payments.op("GET", "/v1/groupbuy/problems?store=S002").json() == []
    assert opened[0]["refundable_minor"] == 3590  # the final price, not the ¥39.90 paid

    # The refund, sent three times (a double click, a retry): the wallet pays once.
    ledger = _wallet(payments)
    for _ in range(3):
        done = _resolve(payments, damaged, "refund")
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["amount_minor"]) == ("refunded", 3590)
    assert list(ledger.moved.values()) == [3590]
    assert len(_problem_refunds(payments)) == 1
    problem(_resolve(payments, damaged, "reject", "changed our mind"), 422, "problem_resolved")
    problem(_resolve(payments, quality, "reject"), 422, "problem_answer")
    rejected = _resolve(payments, quality, "reject", "the date is fine: best before 2027")
    assert rejected.json()["status"] == "rejected"
    problem(_resolve(payments, quality, "refund"), 422, "problem_resolved")
    assert list(ledger.moved.values()) == [3590]

    # The buyer sees both outcomes; the rejected unit may be reported again.
    seen = order(payments, mine)
    assert [(p["status"], p["amount_minor"]) for p in seen["problems"]] == [
        ("refunded", 3590), ("rejected", None)]  # fmt: skip
    assert {"kind": "problem", "amount_minor": 3590, "status": "refunded"} in seen["refunds"]
    assert _report_problem(payments, mine, 1, "other").status_code == 200

    report = payments.op("GET", f"/v1/groupbuy/campaigns/{cid}/report").json()
    assert (report["ratings"], report["rating_avg"]) == (2, 4.5)
    assert report["problems"] == {"damaged": 1, "quality": 1, "other": 1}
    assert (report["problems_open"], report["problems_refunded_minor"]) == (1, 3590)
    assert report["refunds"]["problem"] == {"count": 1, "amount_minor": 3590}
    # Revenue is what buyers kept paying: 2 + 1 + 1 cases at ¥35.90, less the refunded one.
    assert report["revenue_minor"] == 3 * 3590
    assert report["commission_minor"] == 539  # 5 % of ¥107.70, rounded half up


def test_two_stores_at_once_resolve_one_problem_and_it_is_refunded_once(
    payments: PaymentsHarness,
) -> None:
    _, (mine,) = _collected_orders(payments, [3])
    _collect(payments, mine)
    ledger = _wallet(payments)
    pid = _report_problem(payments, mine, 3, "missing").json()["problems"][0]["problem_id"]
    answers: list[int] = []
    go = threading.Barrier(4)

    def resolve() -> None:
        go.wait()
        answers.append(_resolve(payments, pid, "refund").status_code)

    threads = [threading.Thread(target=resolve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [200] * 4
    # One buyer of three at ¥39.90: no tier reached, so the final price is what was paid.
    assert list(ledger.moved.values()) == [3 * 3990]
    assert [int(r.amount_minor) for r in _problem_refunds(payments)] == [3 * 3990]


def _phone_photo() -> bytes:
    """A 12-megapixel phone JPEG with where it was taken in its EXIF."""
    image = np.full((3000, 4000, 3), 200, np.uint8)
    cv2.circle(image, (2000, 1500), 800, (30, 30, 160), -1)  # the broken egg
    done, data = cv2.imencode(".jpg", image)
    assert done
    exif = b"Exif\x00\x00" + b"GPS 31.2304N 121.4737E"
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + data.tobytes()[2:]


def _report_on_the_page(
    payments: PaymentsHarness, mine: dict[str, Any], photo: bytes, lang: str = "zh_CN",
    token: str | None = None, timeout: float = 30,
) -> requests.Response:  # fmt: skip
    """The buyer's problem form as a phone sends it: multipart, with the camera's photo, to
    the address the page gives it (its token and language in the query)."""
    token = mine["token"] if token is None else token
    fields = {"t": token, "lang": lang, "problem_id": str(uuid.uuid4()), "gtin": WATER,
              "quantity": "1", "reason": "damaged", "note": "碎了"}  # fmt: skip
    return requests.post(
        f"{payments.url}/g/o/{mine['order_id']}/problem", params={"t": token, "lang": lang},
        data=fields, files={"photo": ("IMG_0001.JPG", photo, "image/jpeg")},
        allow_redirects=False, timeout=timeout,
    )  # fmt: skip


def test_the_after_sales_forms_ask_again_for_a_number_that_is_not_one(
    payments: PaymentsHarness,
) -> None:
    _, (mine,) = _collected_orders(payments, [1])
    _collect(payments, mine)
    for typed in ("\u00b2", "\u0663"):  # both pass str.isdigit(); int() refuses "²"
        review = requests.post(
            f"{payments.url}/g/o/{mine['order_id']}/review",
            data={"t": mine["token"], "lang": "en", "stars": typed, "text": "fresh"},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert review.status_code == 422, (typed, review.status_code)
        assert "Choose 1 to 5 stars" in html.unescape(review.text)
        fields = {"t": mine["token"], "lang": "ko", "problem_id": str(uuid.uuid4()),
                  "gtin": WATER, "quantity": typed, "reason": "damaged", "note": ""}  # fmt: skip
        reported = requests.post(f"{payments.url}/g/o/{mine['order_id']}/problem",
                                 data=fields, allow_redirects=False, timeout=30)  # fmt: skip
        assert reported.status_code == 422, (typed, reported.status_code)
        assert "상품, 수량, 사유를 선택하세요" in html.unescape(reported.text)
        # The form is read before the token is checked: a stranger's is unknown all the same.
        for which, field in (("review", "stars"), ("problem", "quantity")):
            stranger = requests.post(f"{payments.url}/g/o/{mine['order_id']}/{which}",
                                     data={"t": "x" * 32, field: typed}, timeout=30)  # fmt: skip
            assert stranger.status_code == 404, (which, typed, stranger.status_code)
    after = order(payments, mine)
    assert (after["review"], after["problems"]) == (None, [])


def test_a_buyer_s_photo_reaches_the_store_small_and_without_where_it_was_taken(
    payments: PaymentsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (mine, theirs) = _collected_orders(payments, [2, 1])
    _collect(payments, mine, lines={WATER: 1})  # the other bottle is still to collect
    _collect(payments, theirs)
    # The problem form asks for a photo, and sends it as a phone's browser does.
    page = requests.get(f"{payments.url}/g/o/{mine['order_id']}/problem",
                        params={"t": mine["token"], "lang": "zh_CN"}, timeout=30).text  # fmt: skip
    assert "enctype='multipart/form-data'" in page
    assert "name='photo'" in page
    assert "照片（选填" in page
    # What is no photo is refused in the buyer's words, and nothing is reported.
    refused = _report_on_the_page(payments, mine, b"GIF89a" + bytes(64))
    assert refused.status_code == 422
    assert "照片无法读取" in html.unescape(refused.text)
    # A photo is decoded only for the order's own buyer (the service runs in this process:
    # its decoder is watched): with another's token the order is unknown, and nothing of
    # the photo is looked at.
    decoded: list[int] = []
    monkeypatch.setattr(groupbuy_routes, "kept_photo",
                        lambda data: decoded.append(len(data)) or kept_photo(data))  # fmt: skip
    stranger = _report_on_the_page(payments, mine, _phone_photo(), token="x" * 32)
    assert stranger.status_code == 404
    assert decoded == []
    # Over 12 MB, the page says so in the buyer's language (the service's 8 MB body limit
    # leaves this route its own); up to it, a photo with its camera's padding is taken.
    huge = _report_on_the_page(payments, mine, _phone_photo() + bytes(13 * 1024 * 1024))
    assert huge.status_code == 422
    assert "照片太大（最多 12 MB）" in html.unescape(huge.text)
    # The route's own cap holds for a body of any encoding: a form without a photo is a
    # few kilobytes.
    flood = requests.post(f"{payments.url}/g/o/{mine['order_id']}/problem",
                          data={"note": "x" * (1024 * 1024)}, timeout=60)  # fmt: skip
    assert flood.status_code == 413
    assert order(payments, mine)["problems"] == []
    sent = _report_on_the_page(payments, mine, _phone_photo() + bytes(9 * 1024 * 1024))
    assert sent.status_code == 303, sent.text
    assert len(decoded) == 1
    [reported] = order(payments, mine)["problems"]
    assert reported["photo"] is True
    pid = reported["problem_id"]
    # Kiosks read ready orders strictly: the new field stays out of what they are sent.
    ready = payments.kiosk("S001").request("GET", "/v1/groupbuy/ready-orders").json()
    [still_to_collect] = [o for o in ready if o["order_id"] == mine["order_id"]]
    assert [set(p) for p in still_to_collect["problems"]] == [set(reported) - {"photo"}]
    # Without a photo (or from a page before the field), a report is as before.
    assert _report_problem(payments, theirs, 1, "missing").json()["problems"][0]["photo"] is False
    # The operator's API and the console give the kept JPEG: small, no EXIF.
    answer = payments.op("GET", f"/v1/groupbuy/problems/{pid}/photo")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["cache-control"] == "private, no-store"
    kept = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_COLOR)
    assert kept is not None
    assert kept.shape == (1200, 1600, 3)
    assert b"GPS" not in answer.content
    central = payments.harness
    add_account(central, "mgr1", Role.STORE_MANAGER, ["S001"])
    add_account(central, "mgr2", Role.STORE_MANAGER, ["S002"])
    own, other = signed_in(central, "mgr1"), signed_in(central, "mgr2")
    listed = own.get("/admin/groupbuy?lang=zh_CN").text
    assert f'<img src="/admin/groupbuy/problems/{pid}/photo" alt="买家照片"' in listed
    assert own.get(f"/admin/groupbuy/problems/{pid}/photo").content == answer.content
    # Another store's manager sees no such problem, nor its photo.
    assert other.get(f"/admin/groupbuy/problems/{pid}/photo").status_code == 404
    theirs_id = order(payments, theirs)["problems"][0]["problem_id"]
    assert payments.op("GET", f"/v1/groupbuy/problems/{theirs_id}/photo").status_code == 404
    signed_out = requests.get(f"{payments.url}/admin/groupbuy/problems/{pid}/photo",
                              allow_redirects=False, timeout=30)  # fmt: skip
    assert signed_out.status_code in (303, 401)
    assert requests.get(f"{payments.url}/v1/groupbuy/problems/{pid}/photo",
                        timeout=30).status_code == 401  # fmt: skip


def test_past_eight_photos_waiting_the_next_buyer_is_asked_to_send_again(
    payments: PaymentsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (mine,) = _collected_orders(payments, [3])
    _collect(payments, mine)
    # The decoders are held (the service runs in this process): two photos are decoding,
    # and the next eight wait for them in the event loop.
    release, decoding = threading.Event(), threading.Semaphore(0)
    decoded: list[int] = []

    def held(data: bytes) -> KeptPhoto:
        decoded.append(len(data))
        decoding.release()
        assert release.wait(60)
        return kept_photo(data)

    monkeypatch.setattr(groupbuy_routes, "kept_photo", held)
    done, data = cv2.imencode(".jpg", np.full((480, 640, 3), 90, np.uint8))
    assert done
    photo = data.tobytes()
    answers: list[requests.Response] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            answers.append(_report_on_the_page(payments, mine, photo, timeout=180))
        except requests.RequestException as exc:  # seen by the test, not lost with it
            failures.append(exc)

    senders = [threading.Thread(target=send) for _ in range(DECODERS + groupbuy_routes.MAX_WAITING)]
    for sender in senders:
        sender.start()
    try:
        for _ in range(DECODERS):
            assert decoding.acquire(timeout=60)
        [decoders] = [d for d in groupbuy_routes._LIMITERS.values() if d.borrowed_tokens]
        deadline = time.monotonic() + 60
        while decoders.statistics().tasks_waiting < groupbuy_routes.MAX_WAITING:
            assert time.monotonic() < deadline, decoders.statistics()
            release.wait(0.01)  # polls the queue; the photos are held, not timed
        # One more is not queued behind them: its buyer is asked to send it again, in
        # their language, and nothing of it is decoded or reported.
        busy = _report_on_the_page(payments, mine, photo)
        assert busy.status_code == 422
        assert "正在处理的照片较多" in html.unescape(busy.text)
        assert len(decoded) == DECODERS
        assert order(payments, mine)["problems"] == []
    finally:
        release.set()
        for sender in senders:
            sender.join(180)
    assert not failures
    assert not any(sender.is_alive() for sender in senders)
    # The queued ones were decoded in turn and reported while units were left to report.
    assert len(decoded) == DECODERS + groupbuy_routes.MAX_WAITING
    reported = order(payments, mine)["problems"]
    assert [a.status_code for a in answers].count(303) == len(reported) == 3
    assert all(p["photo"] for p in reported)


def test_a_photo_is_forgotten_its_days_after_the_problem_is_resolved(
    payments: PaymentsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (mine, theirs) = _collected_orders(payments, [1, 1])
    for buyer in (mine, theirs):
        _collect(payments, buyer)
        assert _report_on_the_page(payments, buyer, _phone_photo()).status_code == 303
    first, second = (order(payments, b)["problems"][0]["problem_id"] for b in (mine, theirs))
    engine = payments.harness.engine

    def kept() -> set[str]:
        with engine.begin() as conn:
            return set(conn.execute(select(groupbuy_problem_photos.c.problem_id)).scalars())

    # An open problem keeps its photo however long it waits.
    payments.clock.advance(2 * PHOTO_KEEP_DAYS * DAY_S)
    payments.clock.freeze()  # the boundary to the millisecond
    assert _resolve(payments, first, "reject", "the seal is intact").status_code == 200
    assert kept() == {first, second}
    payments.clock.advance(PHOTO_KEEP_DAYS * DAY_S - 0.001)
    assert payments.op("GET", f"/v1/groupbuy/problems/{first}/photo").status_code == 200
    assert order(payments, mine)["problems"][0]["photo"] is True
    # Its days after the decision, to the millisecond, it is gone to every reader, though
    # nothing has deleted it yet ...
    payments.clock.advance(0.001)
    gone = payments.op("GET", f"/v1/groupbuy/problems/{first}/photo")
    assert gone.status_code == 404
    assert f"deleted {PHOTO_KEEP_DAYS} days after" in gone.json()["detail"]
    assert order(payments, mine)["problems"][0]["photo"] is False
    assert order(payments, theirs)["problems"][0]["photo"] is True
    assert kept() == {first, second}
    # ... and the next decision deletes it, keeping the photo of the problem it decides.
    assert _resolve(payments, second, "refund").status_code == 200
    assert kept() == {second}
    # Where no more problems are resolved, the command deletes what is due, in batches.
    with engine.begin() as conn:
        conn.execute(
            update(groupbuy_problems)
            .where(groupbuy_problems.c.problem_id == second)
            .values(resolved_ms=time.time_ns() // 1_000_000 - 3 * DAY_S * 1000)
        )
    monkeypatch.setattr(central_cli_module, "FORGET_BATCH", 1)  # a full batch: another

    def forget(days: str) -> str:
        env = {"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET),
               "CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS": days}  # fmt: skip
        cli = CliRunner().invoke(
            central_cli, ["groupbuy", "forget-photos", "--db", payments.harness.db_url], env=env
        )
        assert cli.exit_code == 0, cli.output
        return cli.output

    assert forget("4").startswith("0 photos deleted")
    assert kept() == {second}
    assert forget("3").startswith("1 photos deleted")
    assert kept() == set()
    # The decisions and the buyers' notes stay: only the photos go.
    assert [p["status"] for p in order(payments, mine)["problems"]] == ["rejected"]
    assert [p["status"] for p in order(payments, theirs)["problems"]] == ["refunded"]


def test_the_console_shows_and_resolves_only_the_managers_store(
    payments: PaymentsHarness,
) -> None:
    _, (mine,) = _collected_orders(payments, [1])
    _collect(payments, mine)
    pid = _report_problem(payments, mine, 1, "wrong_item").json()["problems"][0]["problem_id"]
    central = payments.harness
    add_account(central, "mgr1", Role.STORE_MANAGER, ["S001"])
    add_account(central, "mgr2", Role.STORE_MANAGER, ["S002"])
    add_account(central, "ro", Role.READ_ONLY, [])
    other, ro, own = (signed_in(central, login) for login in ("mgr2", "ro", "mgr1"))
    assert pid not in other.get("/admin/groupbuy").text
    assert other.post(f"/admin/groupbuy/problems/{pid}", {"action": "refund"}).status_code == 422
    assert pid in ro.get("/admin/groupbuy").text
    assert f"refund_{pid}" not in ro.get("/admin/groupbuy").text  # no forms for read-only
    assert ro.post(f"/admin/groupbuy/problems/{pid}", {"action": "refund"}).status_code == 403
    assert order(payments, mine)["problems"][0]["status"] == "open"
    own.get("/admin/groupbuy?lang=ko")
    unclear = own.post(f"/admin/groupbuy/problems/{pid}", {"action": "maybe"})
    assert unclear.status_code == 422
    assert "환불 또는 거절을 고르고 이유를 적으세요." in unclear.text
    page = own.get("/admin/groupbuy?lang=en")
    assert f'id="refund_{pid}"' in page.text
    assert "Wrong item" in page.text
    assert own.post(f"/admin/groupbuy/problems/{pid}", {"action": "refund"}).status_code == 303
    assert order(payments, mine)["problems"][0]["status"] == "refunded"
    assert order(payments, mine)["problems"][0]["resolved_by"] == "mgr1"
    done = own.get("/admin/groupbuy?lang=zh_CN").text
    assert f'data-decided="{pid}"' in done
    assert "已退款 39.90 CNY" in done
    with central.engine.connect() as conn:
        (entry,) = conn.execute(
            select(admin_audit).where(admin_audit.c.action == "groupbuy_problem_refund")
        ).all()
    assert (entry.actor, entry.target) == ("mgr1", pid)


def test_the_leaders_page_with_joins_tier_and_commission(payments: PaymentsHarness) -> None:
    campaign, _ = _collected_orders(payments, [1, 1, 1])
    other = new_campaign(payments, leader="Li (building 5)", title="Building 5 rice")
    url = campaign["leader_url"]
    assert url is not None
    assert other["leader_url"] != url
    page = requests.get(url + "&lang=en", timeout=30)
    assert page.status_code == 200
    assert campaign["title"] in page.text
    assert other["title"] not in page.text  # another leader's campaign
    assert "<td class='n buyers'>3</td>" in page.text
    # 3 × ¥35.90 = ¥107.70, 5 %: ¥5.39 (rounded half up once).
    assert "<td class='n commission'><b>5.39 CNY</b>" in page.text
    forged = url.rsplit("&s=", 1)[0] + "&s=" + "0" * 24
    assert requests.get(forged, timeout=30).status_code == 404


def test_extra_basket_spend_of_shoppers_who_collected_at_a_kiosk(
    payments: PaymentsHarness, tmp_path: Path
) -> None:
    campaign, (shopper, only_collects, staff_hands) = _collected_orders(payments, [1, 1, 1])
    client, store = _kiosk(payments, tmp_path, "a")
    credential = client.credential
    sync_round(store, client)
    counter, now = PickupCounter(store), _now(payments)
    shopping, abandoned = str(uuid.uuid4()), str(uuid.uuid4())
    counter.hand_out(counter.verify(shopper["pickup_code"], now), now, sale_id=shopping)
    # This one leaves without buying: its cart never becomes a sale.
    counter.hand_out(counter.verify(only_collects["pickup_code"], now), now, sale_id=abandoned)
    assert sync_round(store, client).relay.sent == 2
    _collect(payments, staff_hands)  # at the service desk: no kiosk sale
    bought = sale(credential, 1, total=1250) | {"sale_id": shopping}
    answer = client.call("POST", "/v1/sales/batch", body={"sales": [bought]})
    assert answer["results"][0]["result"] == "stored"
    report = payments.op("GET", f"/v1/groupbuy/campaigns/{campaign['campaign_id']}/report").json()
    assert report["orders_by_status"]["collected"] == 3
    assert (report["collectors_who_shopped"], report["extra_sales"],
            report["extra_spend_minor"]) == (1, 1, 1250)  # fmt: skip
    store.close()


def test_the_e_receipt_names_the_orders_collected_with_the_sale(
    payments: PaymentsHarness, tmp_path: Path
) -> None:
    # As the paper receipt does: the shopper's phone copy shows what they took home prepaid.
    _, (shopper,) = _collected_orders(payments, [1])
    client, store = _kiosk(payments, tmp_path, "a")
    sync_round(store, client)
    counter, now = PickupCounter(store), _now(payments)
    shopping, other = str(uuid.uuid4()), str(uuid.uuid4())
    counter.hand_out(counter.verify(shopper["pickup_code"], now), now, sale_id=shopping)
    assert sync_round(store, client).relay.sent == 1
    sales = [sale(client.credential, n, total=1250) | {"sale_id": s}
             for n, s in ((1, shopping), (2, other))]  # fmt: skip
    answer = client.call("POST", "/v1/sales/batch", body={"sales": sales})
    assert [r["result"] for r in answer["results"]] == ["stored", "stored"]

    def page(sale_id: str, lang: str) -> str:
        link = client.call("POST", f"/v1/sales/{sale_id}/receipt-link", body={"lang": lang})
        got = requests.get(link["url"], timeout=30)
        assert got.status_code == 200
        return got.text

    ref = short_ref(shopper["order_id"])
    (line,) = shopper["lines"]
    english = page(shopping, "en")
    assert "GROUP-BUY PICKUP (PREPAID)" in english
    assert f"Order {ref}</b></td><td class='amt'>{html.escape(shopper['buyer'])}" in english
    assert f"<td>{html.escape(line['names']['en'])}</td><td class='amt'>× 1</td>" in english
    chinese = page(shopping, "zh")
    assert "团购提货（已预付）" in chinese
    assert html.escape(line["names"]["zh_CN"]) in chinese
    # A sale with nothing collected has no such part.
    assert "PICKUP" not in page(other, "en")
    store.close()


def test_webhooks_are_signed_and_a_receiver_checks_them(
    payments: PaymentsHarness, receiver: Receiver
) -> None:
    # No secret for S002: its campaign cannot have a webhook (it would go unsigned).
    refused = payments.op("POST", "/v1/groupbuy/campaigns", json={
        **_campaign_body(payments, receiver.url), "store_id": "S002"})  # fmt: skip
    problem(refused, 422, "webhook_secret")
    _, buyers = _collected_orders(payments, [1], webhook_url=receiver.url)
    assert receiver.got.wait(10)
    (body,), (headers,) = receiver.bodies, receiver.headers
    assert json.loads(body)["order_ids"] == [buyers[0]["order_id"]]
    now = payments.clock() // 1000
    assert verify_webhook(WEBHOOK_SECRET, headers, body, now)
    assert headers["X-Groupbuy-Signature"].startswith("v1=")
    assert headers["X-Groupbuy-Delivery"].isdigit()
    # A changed body, another secret, an old timestamp: refused.
    assert not verify_webhook(WEBHOOK_SECRET, headers, body.replace(b"ready", b"reaDy"), now)
    assert not verify_webhook(b"another secret, sixteen+", headers, body, now)
    assert not verify_webhook(WEBHOOK_SECRET, headers, body, now + 301)
    assert not verify_webhook(WEBHOOK_SECRET, {}, body, now)


def test_a_webhook_secret_is_rotated_without_a_changeover(
    payments: PaymentsHarness, receiver: Receiver
) -> None:
    """CENTRAL_GROUPBUY_WEBHOOK_SECRETS='{"S001": ["<new>", "<old>"]}': each delivery is
    signed under both, so the receiver moves to the new secret when it likes."""
    new = b"the new webhook secret for S001"
    central = payments.app.state.central
    central.settings = replace(central.settings, webhook_secrets={"S001": (new, WEBHOOK_SECRET)})
    _collected_orders(payments, [1], webhook_url=receiver.url)
    assert receiver.got.wait(10)
    (body,), (headers,) = receiver.bodies, receiver.headers
    now = payments.clock() // 1000
    assert headers["X-Groupbuy-Signature"].count("v1=") == 2
    assert verify_webhook(WEBHOOK_SECRET, headers, body, now)  # the receiver not moved yet
    assert verify_webhook(new, headers, body, now)  # and moved
    assert not verify_webhook(b"another secret, sixteen+", headers, body, now)


def _campaign_body(payments: PaymentsHarness, hook: str) -> dict[str, Any]:
    return {
        "campaign_id": str(uuid.uuid4()), "store_id": "S001", "leader": "Wang",
        "title": "Hooked", "currency": "CNY",
        "cutoff_at": iso(payments, HOUR), "pickup_from": iso(payments, 2 * HOUR),
        "pickup_until": iso(payments, 3 * HOUR), "commission_bp": 0, "webhook_url": hook,
        "items": [{"gtin": WATER, "price_minor": 3990, "per_person": 3, "stock": 5}],
    }  # fmt: skip


def test_problems_are_taken_within_the_after_sales_window(payments: PaymentsHarness) -> None:
    campaign, (mine, theirs) = _collected_orders(payments, [1, 1], after_sales_hours=24)
    assert campaign["after_sales_hours"] == 24
    before = datetime.fromisoformat(iso(payments, 0))
    _collect(payments, mine)
    after = datetime.fromisoformat(iso(payments, 0))
    [line] = order(payments, mine)["lines"]
    assert line["may_report"] is True
    window = datetime.fromisoformat(line["report_until"]) - timedelta(hours=24)
    assert before <= window <= after  # 24 hours from the pickup
    payments.clock.advance(23 * HOUR)
    assert _report_problem(payments, mine, 1, "damaged").status_code == 200
    payments.clock.advance(2 * HOUR)
    problem(_report_problem(payments, mine, 1, "quality"), 422, "after_sales_closed")
    [line] = order(payments, mine)["lines"]
    assert line["may_report"] is False
    # The same code handed out again on a kiosk that was offline (refused as more than was
    # left) does not open the window again.
    again = {"pickup_id": str(uuid.uuid4()), "code": mine["pickup_code"]}
    assert payments.op("POST", "/v1/ops/groupbuy/pickups", json=again).json()["result"] == "over"
    assert order(payments, mine)["lines"] == [line]
    problem(_report_problem(payments, mine, 1, "quality"), 422, "after_sales_closed")
    assert [p["quantity"] for p in order(payments, mine)["problems"]] == [1]
    # A campaign made before the window existed keeps taking reports, as it promised.
    with payments.harness.engine.begin() as conn:
        conn.execute(
            update(groupbuy_campaigns)
            .where(groupbuy_campaigns.c.campaign_id == campaign["campaign_id"])
            .values(after_sales_hours=None)
        )
    _collect(payments, theirs)
    payments.clock.advance(30 * 24 * HOUR)
    [line] = order(payments, theirs)["lines"]
    assert (line["may_report"], line["report_until"]) == (True, None)
    assert _report_problem(payments, theirs, 1, "damaged").status_code == 200
    # Out of range: refused with the field named.
    for hours in (0, 721):
        answer = payments.op(
            "POST", "/v1/groupbuy/campaigns",
            json={**campaign_body(payments), "after_sales_hours": hours},
        )  # fmt: skip
        assert answer.status_code == 422
        assert "after_sales_hours" in answer.text
