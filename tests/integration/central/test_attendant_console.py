"""The attendant flow end to end, in a real headless Chromium against a running service
and a real kiosk core: the kiosk raises an alert → the console's tile shows it → staff
press "Coming" → the kiosk shows who is coming → staff clear it at the kiosk → the console
lists it as cleared. Then the service restarts under the open console, which reconnects
by itself. Screenshots (SCREENSHOTS=1) land in docs/screenshots/attendant/.
"""

from __future__ import annotations

import os
import queue
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.attendant.tables import attendant_live
from central.config import Settings
from central.embedded import start
from demo.store import DEMO_PIN, DEMO_STAFF, DemoStore, seed_demo_store
from kiosk.domain.alerts import AlertState, RemoteCommand
from kiosk.domain.codes import display_gtin
from kiosk.services.shopper import ShopperSession
from kiosk.store.uow import KioskStore
from sync.attendant import AttendantLink
from sync.attendant_protocol import KioskLive
from sync.enrolment import enroll
from sync.relay import OutboxRelay
from tests.helpers import REPO
from tests.integration.central.test_attendant import PIN, add_staff, live, report
from tests.integration.conftest import TEST_SECRET, CentralHarness, make_central
from tests.integration.kiosk.session_driver import Driver, running
from tools.browser import MISSING, available, chromium

SHOTS = REPO / "docs" / "screenshots" / "attendant"
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser() -> Iterator[Any]:
    if not available():
        pytest.skip(MISSING)
    with chromium() as launched:
        yield launched


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[Any, CentralHarness]]:
    handle, harness = make_central(f"sqlite:///{tmp_path / 'central.db'}")
    add_staff(harness)
    try:
        yield handle, harness
    finally:
        harness.session.close()
        handle.stop()
        harness.engine.dispose()


def kiosk_home(tmp_path: Path, harness: CentralHarness, name: str) -> tuple[Path, DemoStore]:
    home = tmp_path / name.replace(" ", "-")
    demo = seed_demo_store(home, REPO / "assets")
    store = KioskStore.open(home / "kiosk.db")
    enroll(store, harness.url, harness.enrolment_code("S001"), name=name, force=True)
    store.close()
    return home, demo


def kiosk_live(drive: Driver) -> KioskLive:
    priced = drive.session.state.priced
    return KioskLive(state="paused" if drive.session.locked else "scanning",
                     item_count=priced.item_count, total_minor=priced.total.minor,
                     currency=priced.total.currency, at="2026-12-04T10:00:00+08:00")  # fmt: skip


def shoot(page: Any, name: str, tmp_path: Path) -> None:
    folder = SHOTS if os.environ.get("SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
    assert (folder / name).stat().st_size > 5000


def test_kiosk_calls_console_answers_staff_clear_at_the_kiosk(
    service: tuple[Any, CentralHarness], browser: Any, tmp_path: Path
) -> None:
    handle, central = service
    home, demo = kiosk_home(tmp_path, central, "Kiosk 1")
    other = central.client(central.enrol("S001", name="Kiosk 2"))
    report(other, [], state="idle", items=0, total=0)
    page = browser.new_context(viewport=TABLET, locale="en-GB").new_page()
    # The pages allow their own script and style only: anything else would be refused,
    # and Chromium says so on the console.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    answer = page.goto(f"{central.url}/attendant/S001/?lang=en")
    assert answer is not None
    assert "script-src 'sha256-" in answer.headers["content-security-policy"]
    page.fill("#staff_id", "E100")
    page.fill("#pin", PIN)
    page.click("#sign_in")
    page.wait_for_selector(".tile")
    commands: queue.Queue[RemoteCommand] = queue.Queue()
    with running(home) as drive:
        client = central.client(drive.core.credential)
        link = AttendantLink(
            lambda: central.client(drive.core.credential),
            lambda: kiosk_live(drive),
            commands.put,
            report_s=0.2,
            wait_s=5,
        )
        link.start()
        try:
            drive.scan(display_gtin(demo.fixed[0].gtin))
            drive.do(ShopperSession.call_assistance)
            OutboxRelay(drive.core.store, client).drain()
            # The kiosk that needs someone comes first, red, with the reason.
            page.wait_for_selector(".tile.alert .why", timeout=5000)
            first = page.locator(".tile").first
            assert "Kiosk 1" in first.locator(".name").inner_text()
            assert "Shopper asks for help" in first.locator(".why").inner_text()
            shoot(page, "console-alert-tablet-en.png", tmp_path)
            page.click(".tile.alert button.go")
            command = commands.get(timeout=10)
            assert (command.kind, command.staff_name) == ("acknowledge", "Li Na")
            drive.do(lambda s: s.desk.remote(command))
            assert [(a.state, a.acknowledged_by) for a in drive.session.alerts] == [
                (AlertState.ACKNOWLEDGED, "E100")
            ]
            assert drive.session.coming() == "Li Na"
            OutboxRelay(drive.core.store, client).drain()
            page.wait_for_selector(".tile.taken", timeout=5000)
            assert "Li Na on the way" in page.locator(".tile.taken .wait").inner_text()
            # Staff at the kiosk: sign in (the alert is theirs), sign out (done here).
            drive.do(lambda s: s.desk.pin(DEMO_STAFF.staff_id, DEMO_PIN))
            drive.do(lambda s: s.desk.sign_out())
            assert drive.session.alerts == ()
            OutboxRelay(drive.core.store, client).drain()
            page.wait_for_selector(".tile.taken", state="detached", timeout=5000)
            assert "cleared" in page.locator("#recent").inner_text()
            # The service restarts under the open console: it says so, then catches up.
            port = int(central.url.rsplit(":", 1)[1])
            handle.stop()
            page.wait_for_selector("#banner.on", timeout=10000)
            settings = Settings(db_url=central.db_url, secret_key=TEST_SECRET)
            restarted = start(central.db_url, port=port, settings=settings)
            try:
                page.wait_for_selector("#banner.on", state="detached", timeout=15000)
                page.wait_for_selector(".tile", timeout=5000)
                assert page.locator(".tile").count() == 2
            finally:
                restarted.stop()
        finally:
            link.stop()
            client.close()
            other.close()

    assert refused == []


def test_console_screenshots_in_three_languages(
    service: tuple[Any, CentralHarness], browser: Any, tmp_path: Path
) -> None:
    """Phone and tablet widths, zh_CN / ko / en, with one kiosk waiting for an age check,
    one whose alert is taken, one idle and one unreachable."""
    _handle, central = service
    clients = [central.client(central.enrol("S001", name=f"Kiosk {n}")) for n in range(1, 5)]
    age, taken = str(uuid.uuid4()), str(uuid.uuid4())
    report(clients[0], [{"alert_id": age, "reason": "age_check", "state": "raised", "version": 1,
                         "line_no": 2, "amount_minor": 1890, "currency": "CNY",
                         "raised_at": "2026-12-04T10:00:00+08:00"}])  # fmt: skip
    report(clients[1], [{"alert_id": taken, "reason": "unknown_item", "state": "acknowledged",
                         "version": 2, "acknowledged_by": "Kim Min",
                         "raised_at": "2026-12-04T10:00:00+08:00"}], state="paying")  # fmt: skip
    report(clients[2], [], state="idle", items=0, total=0)
    with central.engine.begin() as conn:  # Kiosk 4 last heard from long ago
        gone = clients[3].credential
        assert gone is not None
        row = {"kiosk_id": gone.kiosk_id, "store_id": "S001", "reported_ms": 1_000,
               "data": KioskLive.model_validate(live()).model_dump_json()}  # fmt: skip
        conn.execute(attendant_live.insert().values(**row))
    for lang in ("zh_CN", "ko", "en"):
        for label, viewport in (("tablet", TABLET), ("phone", PHONE)):
            page = browser.new_context(viewport=viewport, device_scale_factor=1).new_page()
            page.goto(f"{central.url}/attendant/S001/?lang={lang}")
            if label == "tablet":
                shoot(page, f"sign-in-{label}-{lang}.png", tmp_path)
            page.fill("#staff_id", "E100")
            page.fill("#pin", PIN)
            page.click("#sign_in")
            page.wait_for_selector(".tile.alert")
            assert page.locator(".tile").count() == 4
            assert page.locator(".tile.gone").count() == 1
            shoot(page, f"console-{label}-{lang}.png", tmp_path)
            page.context.close()
    for client in clients:
        client.close()
