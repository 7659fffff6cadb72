"""Delta feeds (cursor paging with tombstones) and members (lookup, sign-up, ledger)."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from central.loyalty.tables import member_ledger, members
from central.sales.service import body_hash
from kiosk.domain.ids import IdFactory
from kiosk.domain.members import member_code_for, phone_hash
from sync.errors import ProtocolError
from sync.protocol import decode_secret
from tests.integration.central.test_central_sales import push, sale
from tests.integration.conftest import CentralHarness

IDS = IdFactory()


def pull_all(
    central: CentralHarness, client: Any, feed: str, cursor: str = "", limit: int = 7
) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.call("GET", f"/v1/feeds/{feed}", query={"cursor": cursor, "limit": limit})
        items += page["items"]
        cursor = page["cursor"]
        if not page["more"]:
            return items, cursor


def test_catalog_pages_by_cursor_with_tombstones(
    central: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    products = demo_products[:20]
    assert central.op("PUT", "/v1/admin/feeds/catalog", json={"items": products}).json() == {
        "changed": 20
    }
    client = central.client(central.enrol())
    items, cursor = pull_all(central, client, "catalog")
    assert sorted(i["key"] for i in items) == sorted(p["gtin"] for p in products)
    assert all(not i["deleted"] for i in items)
    # Nothing new: an empty page, same position.
    again, same = pull_all(central, client, "catalog", cursor)
    assert again == []
    # Re-sending identical items changes nothing; a price change and a deletion do.
    assert central.op("PUT", "/v1/admin/feeds/catalog", json={"items": products}).json() == {
        "changed": 0
    }
    changed = products[0] | {"price_minor": products[0]["price_minor"] + 10}
    body = {"items": [changed], "delete": [products[1]["gtin"]]}
    assert central.op("PUT", "/v1/admin/feeds/catalog", json=body).json() == {"changed": 2}
    delta, _ = pull_all(central, client, "catalog", same)
    assert [(i["key"], i["deleted"]) for i in delta] == [
        (products[0]["gtin"], False),
        (products[1]["gtin"], True),
    ]
    assert delta[0]["data"]["price_minor"] == changed["price_minor"]
    # A first pull skips tombstones on its first page (the kiosk holds nothing yet); later
    # pages keep them, since the kiosk may hold items from earlier pages by then.
    fresh, _ = pull_all(central, client, "catalog", limit=100)
    assert len(fresh) == 19
    assert len([i for i in pull_all(central, client, "catalog")[0] if not i["deleted"]]) == 19


def test_bad_products_and_cursors_are_refused(
    central: CentralHarness, demo_products: list[dict[str, Any]]
) -> None:
    bad = demo_products[0] | {"price_minor": 1.5}
    answer = central.op("PUT", "/v1/admin/feeds/catalog", json={"items": [bad]})
    assert answer.status_code == 422
    assert answer.json()["reason"] == "bad_product"
    client = central.client(central.enrol())
    with pytest.raises(ProtocolError) as caught:
        client.call("GET", "/v1/feeds/catalog", query={"cursor": "garbage!"})
    assert (caught.value.status, caught.value.reason) == (422, "bad_cursor")
    other_epoch = "djEuZGVhZGJlZWYuMTA"  # "v1.deadbeef.10": minted by another database
    with pytest.raises(ProtocolError) as caught:
        client.call("GET", "/v1/feeds/catalog", query={"cursor": other_epoch})
    assert (caught.value.status, caught.value.reason) == (410, "cursor_expired")
    with pytest.raises(ProtocolError) as caught:
        client.call("GET", "/v1/feeds/promotions")
    assert caught.value.status == 422


def test_staff_and_rules_feeds(central: CentralHarness) -> None:
    pin_hash = PasswordHasher().hash("4321")
    staff = {
        "staff_id": "E7",
        "name": "Li Na",
        "role": "supervisor",
        "pin_hash": pin_hash,
        "badge_hash": "ab" * 32,
    }
    assert central.op("PUT", "/v1/admin/feeds/staff", json={"items": [staff]}).status_code == 200
    clear = staff | {"pin_hash": "4321"}
    assert central.op("PUT", "/v1/admin/feeds/staff", json={"items": [clear]}).status_code == 422
    rule = {
        "rule_id": "rcn-22",
        "prefix": "22",
        "item_digits": 5,
        "value": "weight",
        "value_digits": 5,
        "decimals": 3,
        "verifier": False,
    }
    assert central.op("PUT", "/v1/admin/feeds/rules", json={"items": [rule]}).status_code == 200
    # A layout the kiosks could not read (12 digits, and a string for a number) is refused
    # at once, naming the rule.
    for bad in (rule | {"item_digits": 4}, rule | {"decimals": "3"}, {"rule_id": "x"}):
        answer = central.op("PUT", "/v1/admin/feeds/rules", json={"items": [bad]})
        assert (answer.status_code, answer.json()["reason"]) == (422, "bad_rule"), answer.text
        assert bad["rule_id"] in answer.json()["detail"]
    client = central.client(central.enrol())
    staff_items, _ = pull_all(central, client, "staff")
    assert staff_items[0]["data"]["pin_hash"] == pin_hash
    rules, _ = pull_all(central, client, "rules")
    assert rules[0]["data"] == rule


def signup(store_id: str, key: bytes, phone: str) -> dict[str, Any]:
    return {
        "member_id": IDS.new(),
        "phone_hash": phone_hash(key, phone),
        "consent": {
            "terms_version": "2026-01",
            "marketing": True,
            "given_at": "2026-11-23T10:00:00Z",
        },
        "store_id": store_id,
        "created_at": "2026-11-23T10:00:00Z",
    }


def test_member_sign_up_lookup_and_ledger(central: CentralHarness) -> None:
    cred = central.enrol()
    client = central.client(cred)
    key = decode_secret(cred.member_phone_key)
    member = signup(cred.store_id, key, "+86 139 0000 1111")
    [stored] = client.call("POST", "/v1/members/batch", body={"members": [member]})["results"]
    assert stored == {
        "member_id": member["member_id"],
        "result": "stored",
        "member_code": member_code_for(member["member_id"]),
        "detail": "",
    }
    [dup] = client.call("POST", "/v1/members/batch", body={"members": [member]})["results"]
    assert dup["result"] == "duplicate"
    # Sent without earlier hashes (an older kiosk), it is hashed as the service hashed it
    # before they existed: a sign-up an older service stored and a kiosk sends again after
    # the upgrade stays a duplicate, not a conflict; an empty list is the same sign-up.
    with central.engine.begin() as conn:
        stored_hash = conn.execute(
            select(members.c.body_hash).where(members.c.member_id == member["member_id"])
        ).scalar_one()
    assert stored_hash == body_hash(member)
    same = member | {"legacy_phone_hashes": []}
    [dup] = client.call("POST", "/v1/members/batch", body={"members": [same]})["results"]
    assert dup["result"] == "duplicate"
    # Another member with the same phone is a conflict: one phone, one member.
    twin = signup(cred.store_id, key, "+8613900001111")
    [clash] = client.call("POST", "/v1/members/batch", body={"members": [twin]})["results"]
    assert clash["result"] == "conflict"
    assert clash["member_code"] == stored["member_code"]

    first, second = (
        sale(cred, n, total=total, member_id=member["member_id"])
        for n, total in ((1, 12_000), (2, 3_000))
    )
    push(central, cred, [first, second])
    events = [
        event(member["member_id"], kind, points, sold["sale_id"])
        for kind, points, sold in (("earn", 120, first), ("earn", 30, second),
                                   ("redeem", -50, second))
    ]  # fmt: skip
    results = client.call("POST", "/v1/ledger/batch", body={"events": events})["results"]
    assert [r["result"] for r in results] == ["stored"] * 3
    results = client.call(
        "POST", "/v1/ledger/batch", body={"events": [events[0], events[0] | {"points": 9}]}
    )["results"]
    assert [r["result"] for r in results] == ["duplicate", "conflict"]

    by_code = client.call("GET", "/v1/members/lookup", query={"member_code": stored["member_code"]})
    by_phone = client.call("GET", "/v1/members/lookup", query={"phone_hash": member["phone_hash"]})
    assert by_code == by_phone
    assert by_code["points"] == 100
    assert by_code["consent"]["marketing"] is True
    with pytest.raises(ProtocolError) as caught:
        client.call("GET", "/v1/members/lookup", query={"member_code": "MNOPE"})
    assert (caught.value.status, caught.value.reason) == (404, "no_member")
    with pytest.raises(ProtocolError) as caught:
        client.call("GET", "/v1/members/lookup")
    assert caught.value.status == 422


def test_heartbeat_shows_in_fleet(central: CentralHarness) -> None:
    cred = central.enrol(name="till 3")
    beat = {
        "app_version": "0.1.0",
        "queue_depth": 7,
        "oldest_unsent_at": "2026-11-23T09:00:00Z",
        "last_sync_at": None,
        "connectivity": "degraded",
        "camera_fps": 24.5,
        "errors": ["printer offline"],
    }
    ack = central.client(cred).call("POST", "/v1/heartbeat", body=beat)
    assert ack["server_time"] > 0
    [kiosk] = central.op("GET", "/v1/admin/fleet").json()["kiosks"]
    assert kiosk["name"] == "till 3"
    assert kiosk["last_seen_at"] is not None
    assert kiosk["heartbeat"]["queue_depth"] == 7
    assert kiosk["heartbeat"]["camera_fps"] == 24.5
    assert kiosk["heartbeat"]["errors"] == ["printer offline"]


def event(member_id: str, kind: str, points: int, sale_id: str | None) -> dict[str, Any]:
    return {"event_id": IDS.new(), "member_id": member_id, "kind": kind, "points": points,
            "sale_id": sale_id, "at": "2026-11-23T10:00:00+08:00"}  # fmt: skip


def test_points_follow_only_from_a_held_sale_of_the_kiosks_store(central: CentralHarness) -> None:
    cred, elsewhere = central.enrol("S001"), central.enrol("S002")
    key = decode_secret(cred.member_phone_key)
    member = signup(cred.store_id, key, "+86 139 0000 2222")
    client = central.client(cred)
    client.call("POST", "/v1/members/batch", body={"members": [member]})
    mid = member["member_id"]
    bought = sale(cred, 1, total=5_000, member_id=mid)  # 50 points at 1x
    anonymous = sale(cred, 2, total=5_000)
    training = sale(cred, 3, total=5_000, member_id=mid, training=True)
    push(central, cred, [bought, anonymous, training])
    attempts = {
        "unknown_sale": (client, event(mid, "earn", 10**9, IDS.new())),
        "no_sale": (client, event(mid, "earn", 10, None)),
        "kind": (client, event(mid, "adjust", 10**9, bought["sale_id"])),
        "sign": (client, event(mid, "earn", -10, bought["sale_id"])),
        "over_policy": (client, event(mid, "earn", 10**6, bought["sale_id"])),
        "member_mismatch": (client, event(mid, "earn", 10, anonymous["sale_id"])),
        "sale_not_paid": (client, event(mid, "earn", 10, training["sale_id"])),
        "store_mismatch": (central.client(elsewhere), event(mid, "earn", 10, bought["sale_id"])),
        "over_balance": (client, event(mid, "redeem", -1, bought["sale_id"])),
    }
    for reason, (who, sent) in attempts.items():
        [answer] = who.call("POST", "/v1/ledger/batch", body={"events": [sent]})["results"]
        assert (answer["result"], answer["detail"]) == ("conflict", reason)
    [earned] = client.call(
        "POST", "/v1/ledger/batch", body={"events": [event(mid, "earn", 50, bought["sale_id"])]}
    )["results"]
    assert earned["result"] == "stored"
    again = event(mid, "earn", 50, bought["sale_id"])
    [twice] = client.call("POST", "/v1/ledger/batch", body={"events": [again]})["results"]
    assert (twice["result"], twice["detail"]) == ("conflict", "already_earned")
    spend = [event(mid, "redeem", -30, bought["sale_id"]) for _ in range(2)]
    results = client.call("POST", "/v1/ledger/batch", body={"events": spend})["results"]
    assert [(r["result"], r["detail"]) for r in results] == [
        ("stored", ""), ("conflict", "over_balance")
    ]  # fmt: skip
    code = member_code_for(mid)
    assert client.call("GET", "/v1/members/lookup", query={"member_code": code})["points"] == 20
    flagged = {c["reason"] for c in central.op("GET", "/v1/admin/conflicts").json()}
    assert flagged == {*attempts, "already_earned"}
    with central.engine.begin() as conn:
        stores = {r.store_id for r in conn.execute(select(member_ledger.c.store_id))}
    assert stores == {"S001"}
