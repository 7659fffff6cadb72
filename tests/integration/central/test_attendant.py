"""The attendant link over real HTTP: kiosk reports, staff sign-in, "coming", pause,
commands delivered until confirmed, the event stream, the report, and bad input."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from argon2 import PasswordHasher
from click.testing import CliRunner

from central.attendant import service
from central.cli import main as central_cli
from central.feeds import service as feeds
from kiosk.domain.alerts import Alert, AlertReason
from kiosk.domain.catalog import Product, product_to_wire
from kiosk.domain.codes import Gtin
from kiosk.domain.money import Money
from kiosk.services.alerts import ALERT_KIND
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.enrolment import Credential
from sync.errors import ProtocolError
from sync.protocol import encode_secret
from sync.relay import OutboxRelay
from tests.integration.conftest import TEST_SECRET, CentralHarness

PIN = "2468"
STAFF = [
    {"staff_id": "E100", "name": "Li Na", "role": "associate", "pin": PIN},
    {"staff_id": "E200", "name": "Kim Min", "role": "supervisor", "pin": "1357"},
    {"staff_id": "E300", "name": "Gone", "role": "associate", "pin": "9999", "active": False},
]


def add_staff(central: CentralHarness) -> None:
    hasher = PasswordHasher()
    records = [
        {**{k: v for k, v in s.items() if k != "pin"}, "pin_hash": hasher.hash(str(s["pin"]))}
        for s in STAFF
    ]
    with central.engine.begin() as conn:
        feeds.write(conn, "staff", records, [])


def live(state: str = "scanning", items: int = 3, total: int = 2590) -> dict[str, Any]:
    return {"state": state, "item_count": items, "total_minor": total, "currency": "CNY",
            "camera": "ok", "printer": "ok",
            "at": "2026-12-04T10:00:00+08:00"}  # fmt: skip


def alert(
    alert_id: str, version: int, state: str, reason: str = "age_check", **extra: Any
) -> dict[str, Any]:
    return {"alert_id": alert_id, "reason": reason, "state": state, "version": version,
            "raised_at": "2026-12-04T10:00:00+08:00", **extra}  # fmt: skip


def report(client: CentralClient, alerts: list[dict[str, Any]], done: list[int] | None = None,
           **live_args: Any) -> dict[str, Any]:  # fmt: skip
    body = {"live": live(**live_args), "alerts": alerts, "done": done or []}
    answer: dict[str, Any] = client.call("POST", "/v1/attendant/report", body=body)
    return answer


class Console:
    """A staff member's browser session (cookie jar, CSRF token) against the console."""

    def __init__(self, central: CentralHarness, store_id: str = "S001") -> None:
        self.base = f"{central.url}/attendant/{store_id}/"
        self.http = requests.Session()
        self.csrf = ""

    def sign_in(self, staff_id: str, pin: str) -> requests.Response:
        answer = self.http.post(self.base + "sign-in", data={"staff_id": staff_id, "pin": pin},
                                allow_redirects=False, timeout=30)  # fmt: skip
        if answer.status_code == 303:
            page = self.http.get(self.base, timeout=30).text
            self.csrf = page.split("name='csrf' content='")[1].split("'")[0]
        return answer

    def post(self, path: str, csrf: str | None = None) -> requests.Response:
        token = self.csrf if csrf is None else csrf
        headers = {"X-CSRF-Token": token} if token else {}
        return self.http.post(self.base + path, headers=headers, timeout=30)


@pytest.fixture
def store(central: CentralHarness) -> Iterator[tuple[CentralHarness, Credential, CentralClient]]:
    add_staff(central)
    credential = central.enrol("S001", name="Kiosk 1")
    central.enrol("S002", name="Elsewhere")
    client = central.client(credential)
    yield central, credential, client
    client.close()


def picture(central: CentralHarness, store_id: str = "S001", later_ms: int = 0) -> dict[str, Any]:
    with central.engine.connect() as conn:
        return service.snapshot(conn, store_id, service_now() + later_ms)


def service_now() -> int:
    import time

    return int(time.time() * 1000)


def test_a_report_shows_in_its_store_only_and_an_alert_never_goes_back(store: Any) -> None:
    central, _credential, client = store
    alert_id = str(uuid.uuid4())
    report(client, [alert(alert_id, 1, "raised", line_no=2, amount_minor=1890, currency="CNY")])
    [tile] = picture(central)["kiosks"]
    assert (tile["name"], tile["reachable"], tile["live"]["item_count"]) == ("Kiosk 1", True, 3)
    assert [(a["reason"], a["state"], a["line_no"], a["amount_minor"]) for a in tile["alerts"]] == [
        ("age_check", "raised", 2, 1890)
    ]
    assert picture(central, "S002")["kiosks"][0]["alerts"] == []
    # Cleared at the kiosk (version 2); a late copy of version 1 changes nothing.
    report(client, [alert(alert_id, 2, "cleared", closed_by="E100",
                          closed_at="2026-12-04T10:01:30+08:00")])  # fmt: skip
    report(client, [alert(alert_id, 1, "raised")])
    shot = picture(central)
    assert shot["kiosks"][0]["alerts"] == []
    assert [(a["alert_id"], a["state"], a["closed_by"], a["closed_by_name"])
            for a in shot["recent"]] == [(alert_id, "cleared", "E100", "Li Na")]  # fmt: skip
    # Silent for longer than three reports: the tile says so instead of looking fine.
    assert (
        picture(central, later_ms=service.UNREACHABLE_AFTER_MS + 1)["kiosks"][0]["reachable"]
        is False
    )


def test_an_alert_names_its_item_on_the_console(store: Any) -> None:
    """The catalog's names of the product, for the console's language; an unknown item
    (not in the catalog) by its code alone."""
    central, _credential, client = store
    names = {"en": "Red Star Erguotou 500ml", "zh_CN": "红星 二锅头 500ml", "ko": "훙싱 얼궈터우"}
    erguotou = Product(Gtin("06901234000016"), names, "Red Star", "spirits", "standard",
                       Money(1500, "CNY"), age_min=18)  # fmt: skip
    with central.engine.begin() as conn:
        feeds.write(conn, "catalog", [product_to_wire(erguotou)], [])
    report(client, [
        alert(str(uuid.uuid4()), 1, "raised", line_no=1, gtin=erguotou.gtin),
        alert(str(uuid.uuid4()), 1, "raised", "unknown_item", gtin="06999999999997"),
    ])  # fmt: skip
    [tile] = picture(central)["kiosks"]
    assert [(a["gtin"], a["item_names"]) for a in tile["alerts"]] == [
        (erguotou.gtin, names),
        ("06999999999997", {}),
    ]


def test_an_alert_id_of_another_kiosk_is_refused(store: Any) -> None:
    central, _credential, client = store
    other = central.client(central.enrol("S001", name="Kiosk 2"))
    alert_id = str(uuid.uuid4())
    report(client, [alert(alert_id, 1, "raised")])
    with pytest.raises(ProtocolError, match="another kiosk"):
        report(other, [alert(alert_id, 2, "cleared")])
    other.close()


def test_sign_in_checks_pin_activity_and_locks_a_guessed_number(store: Any) -> None:
    central, _credential, _client = store
    console = Console(central)
    wrong = console.sign_in("E100", "0000")
    assert wrong.status_code == 401
    assert "id='error'" in wrong.text
    assert console.sign_in("E300", "9999").status_code == 401  # deactivated
    assert console.sign_in("NOBODY", PIN).status_code == 401
    ok = console.sign_in("E100", PIN)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/attendant/s001/" in cookie
    assert console.http.get(console.base, timeout=30).text.count("Li Na") == 1
    # Another store's console does not take this store's session.
    assert console.http.get(f"{central.url}/attendant/S002/events", timeout=30).status_code == 401
    # Ten wrong PINs for one staff number in a minute: locked, even with the right PIN.
    guesser = Console(central)
    for _ in range(10):
        guesser.sign_in("E200", "0000")
    locked = guesser.sign_in("E200", "1357")
    assert locked.status_code == 429
    assert Console(central).sign_in("E100", PIN).status_code == 303  # others unaffected


def test_coming_is_taken_once_and_reaches_the_kiosk_until_it_confirms(store: Any) -> None:
    central, _credential, client = store
    alert_id = str(uuid.uuid4())
    report(client, [alert(alert_id, 1, "raised", reason="shopper_call")])
    first, second = Console(central), Console(central)
    assert first.sign_in("E100", PIN).status_code == 303
    assert second.sign_in("E200", "1357").status_code == 303
    assert first.post(f"alerts/{alert_id}/acknowledge").status_code == 204
    taken = second.post(f"alerts/{alert_id}/acknowledge")
    assert taken.status_code == 409
    assert "Li Na" in taken.json()["detail"]
    [tile] = picture(central)["kiosks"]
    taken_view = tile["alerts"][0]
    # The number is kept (as the kiosk keeps it); the console shows the name.
    assert (taken_view["state"], taken_view["acknowledged_by"]) == ("acknowledged", "E100")
    assert taken_view["acknowledged_by_name"] == "Li Na"
    # The kiosk gets the command, by long-poll at once and with every report, until done.
    waiting = client.call("GET", "/v1/attendant/commands", query={"wait": 5})
    [command] = waiting["commands"]
    assert (command["kind"], command["alert_id"], command["staff_name"]) == (
        "acknowledge", alert_id, "Li Na")  # fmt: skip
    again = report(client, [alert(alert_id, 1, "raised")])  # a report crossing the command
    assert [c["command_id"] for c in again["commands"]] == [command["command_id"]]
    assert picture(central)["kiosks"][0]["alerts"][0]["state"] == "acknowledged"
    done = report(client, [alert(alert_id, 2, "acknowledged", acknowledged_by="E100",
                                 acknowledged_at="2026-12-04T10:00:20+08:00")],
                  done=[command["command_id"]])  # fmt: skip
    assert done["commands"] == []
    assert client.call("GET", "/v1/attendant/commands", query={"wait": 0.2})["commands"] == []
    # Pause and resume from afar are commands too.
    assert second.post(f"kiosks/{_credential.kiosk_id}/pause").status_code == 204
    assert [c["kind"] for c in report(client, [])["commands"]] == ["pause"]


def test_console_actions_need_a_session_and_its_csrf_token(store: Any) -> None:
    central, credential, client = store
    alert_id = str(uuid.uuid4())
    report(client, [alert(alert_id, 1, "raised")])
    anonymous = Console(central)
    assert anonymous.post(f"alerts/{alert_id}/acknowledge", csrf="x").status_code == 401
    console = Console(central)
    console.sign_in("E100", PIN)
    assert console.post(f"alerts/{alert_id}/acknowledge", csrf="").status_code == 422
    assert console.post(f"alerts/{alert_id}/acknowledge", csrf="forged").status_code == 403
    assert console.post(f"kiosks/{credential.kiosk_id}/explode").status_code == 404
    assert console.post("kiosks/not-ours/pause").status_code == 404
    assert console.post(f"alerts/{uuid.uuid4()}/acknowledge").status_code == 404
    assert picture(central)["kiosks"][0]["alerts"][0]["state"] == "raised"
    assert console.post("sign-out").status_code == 204
    assert console.post(f"alerts/{alert_id}/acknowledge").status_code == 401


def test_malformed_reports_are_refused_with_a_problem(store: Any) -> None:
    _central, _credential, client = store
    bad = [
        {"live": {**live(), "state": "dancing"}, "alerts": []},
        {"live": {**live(), "total_minor": -1}, "alerts": []},
        {"live": live(), "alerts": [alert("not-a-uuid", 1, "raised")]},
        {"live": live(), "alerts": [alert(str(uuid.uuid4()), 0, "raised")]},
        {"live": live(), "alerts": [alert(str(uuid.uuid4()), 1, "raised", reason="Bad Reason")]},
        # Command ids past the column's range were a 500 (found by schemathesis).
        {"live": live(), "alerts": [], "done": [137766978936598824782659584]},
        {"live": live(), "alerts": [], "done": [2**31]},
        {"live": live(), "alerts": [], "done": [0]},
    ]
    for body in bad:
        with pytest.raises(ProtocolError) as info:
            client.call("POST", "/v1/attendant/report", body=body, attempts=1)
        assert info.value.status == 422, body


def test_the_event_stream_sends_the_store_when_it_changes(store: Any) -> None:
    central, _credential, client = store
    console = Console(central)
    console.sign_in("E100", PIN)
    with console.http.get(console.base + "events", stream=True, timeout=30) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines(decode_unicode=True)
        first = _next_picture(lines)
        assert first["kiosks"][0]["alerts"] == []
        alert_id = str(uuid.uuid4())
        report(client, [alert(alert_id, 1, "raised", reason="unknown_item")])
        second = _next_picture(lines)
        assert [a["alert_id"] for a in second["kiosks"][0]["alerts"]] == [alert_id]


def _next_picture(lines: Iterator[str]) -> dict[str, Any]:
    event = ""
    for line in lines:
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "store":
            data: dict[str, Any] = json.loads(line[6:])
            return data
    raise AssertionError("the stream ended")


def test_the_alerts_report_counts_and_times(store: Any) -> None:
    central, _credential, client = store
    ids = [str(uuid.uuid4()) for _ in range(3)]
    report(client, [
        alert(ids[0], 3, "cleared", acknowledged_at="2026-12-04T10:00:20+08:00",
              closed_at="2026-12-04T10:01:00+08:00", closed_by="E100"),
        alert(ids[1], 2, "cleared", reason="unknown_item",
              acknowledged_at="2026-12-04T10:00:40+08:00",
              closed_at="2026-12-04T10:02:00+08:00", closed_by="E100"),
        alert(ids[2], 1, "raised", reason="exit_audit", amount_minor=120000, currency="CNY"),
    ])  # fmt: skip
    answer = central.op("GET", "/v1/ops/reports/alerts").json()
    # A bag check the kiosk picked (`kiosk.domain.audit`) counts under its own reason.
    assert answer["by_reason"] == {"age_check": 1, "exit_audit": 1, "unknown_item": 1}
    assert answer["open"] == 1
    assert answer["acknowledge_s"] == {"count": 2, "median": 30.0, "p90": 40.0}
    assert answer["clear_s"] == {"count": 2, "median": 90.0, "p90": 120.0}
    assert (
        central.session.get(central.url + "/v1/ops/reports/alerts", timeout=30).status_code == 401
    )
    cli = CliRunner().invoke(
        central_cli,
        ["report", "alerts", "--json", "--db", central.db_url],
        env={"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
    )
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output) == answer


def test_the_outbox_relay_delivers_each_alert_change_once(store: Any, tmp_path: Any) -> None:
    """The kiosk's alert rows (Alert.to_wire, one per version) reach the console through
    the ordinary relay: stored once, a resend is a duplicate, the newest version wins."""
    central, credential, client = store
    kiosk = KioskStore.open(tmp_path / "kiosk.db")
    at = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    raised = Alert(str(uuid.uuid4()), credential.kiosk_id, AlertReason.UNKNOWN_ITEM, at,
                   line_no=3)  # fmt: skip
    taken = raised.acknowledge("E100", at + timedelta(seconds=20))
    for alert_doc in (raised, taken):
        kiosk.outbox.add(ALERT_KIND, f"{alert_doc.alert_id}:{alert_doc.version}",
                         alert_doc.to_wire(), at)  # fmt: skip
    first = OutboxRelay(kiosk, client).drain()
    assert (first.sent, first.duplicates, kiosk.outbox.depth()) == (2, 0, 0)
    [tile] = picture(central)["kiosks"]
    assert [(a["reason"], a["state"], a["line_no"]) for a in tile["alerts"]] == [
        ("unknown_item", "acknowledged", 3)
    ]
    # The same rows again (a kiosk that lost the answer): duplicates, nothing turns back.
    answer = client.call("POST", "/v1/attendant/alerts/batch",
                         body={"alerts": [raised.to_wire(), taken.to_wire()]})  # fmt: skip
    assert [r["result"] for r in answer["results"]] == ["duplicate", "duplicate"]
    foreign = {**raised.to_wire(), "kiosk_id": "someone-else", "version": 9}
    with pytest.raises(ProtocolError, match="another kiosk"):
        client.call("POST", "/v1/attendant/alerts/batch", body={"alerts": [foreign]}, attempts=1)
    kiosk.close()
