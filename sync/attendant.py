"""The kiosk's side of the attendant link: its live state to the store's console, and the
console's decisions ("coming", pause) back to the kiosk.

Alerts themselves travel through the outbox relay (durable, exactly once, also after a
time offline); this link carries what is only worth sending while it is true: the
kiosk's state, cart size and health, every `report_s` and at once after `wake()`. Two
plain threads: one reports, one long-polls for commands and hands each to `on_command`
on its own thread (the caller moves it to the session's). A command is confirmed in the
report after `on_command` returned; until then the service sends it again, which is
harmless (applying one twice changes nothing).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.domain.alerts import RemoteCommand
from kiosk.domain.errors import KioskError
from sync.attendant_protocol import AttendantAnswer, KioskLive
from sync.client import CentralClient
from sync.errors import SyncError
from sync.protocol import ANSWER

log = logging.getLogger(__name__)

REPORT_PATH = "/v1/attendant/report"
COMMANDS_PATH = "/v1/attendant/commands"


class AttendantLink:
    def __init__(
        self,
        client_factory: Callable[[], CentralClient],
        live: Callable[[], KioskLive],
        on_command: Callable[[RemoteCommand], None],
        *,
        report_s: float = 5.0,
        wait_s: float = 20.0,
    ) -> None:
        self._client_factory = client_factory
        self._live = live
        self._on_command = on_command
        self._report_s = report_s
        self._wait_s = wait_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._done: set[int] = set()  # applied, not yet confirmed to the service
        self._seen: set[int] = set()  # applied: never applied again when sent again
        self._threads: list[threading.Thread] = []
        self.reports = 0

    def start(self) -> None:
        if self._threads:
            return
        for name, target in (("attendant-report", self._report_loop),
                             ("attendant-commands", self._command_loop)):  # fmt: skip
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """Report now (the kiosk's state changed)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    # ------------------------------------------------------------------ the loops
    def _report_loop(self) -> None:
        client: CentralClient | None = None
        try:
            while not self._stop.is_set():
                try:
                    client = client or self._client_factory()
                    self.report(client)
                except (SyncError, KioskError) as exc:
                    log.info("attendant report failed: %s", exc)
                self._wake.wait(self._report_s)
                self._wake.clear()
        finally:
            if client is not None:
                client.close()

    def _command_loop(self) -> None:
        client: CentralClient | None = None
        try:
            while not self._stop.is_set():
                try:
                    client = client or self._client_factory()
                    answer = client.call(
                        "GET", COMMANDS_PATH, query={"wait": int(self._wait_s)}, attempts=1
                    )
                    self._apply(AttendantAnswer.model_validate(answer, context=ANSWER))
                except (SyncError, KioskError) as exc:
                    log.info("attendant commands failed: %s", exc)
                    self._stop.wait(self._report_s)
        finally:
            if client is not None:
                client.close()

    def report(self, client: CentralClient) -> None:
        """One report: the live state and the commands applied since the last one."""
        with self._lock:
            done = sorted(self._done)
        body = {"live": self._live().model_dump(mode="json"), "alerts": [], "done": done}
        answer = AttendantAnswer.model_validate(
            client.call("POST", REPORT_PATH, body=body), context=ANSWER
        )
        with self._lock:
            self._done -= set(done)
        self.reports += 1
        self._apply(answer)

    def _apply(self, answer: AttendantAnswer) -> None:
        applied = False
        for command in answer.commands:
            with self._lock:
                if command.command_id in self._seen:
                    # Sent again before our confirmation landed: confirm, do not redo.
                    self._done.add(command.command_id)
                    continue
                self._seen.add(command.command_id)
            self._on_command(
                RemoteCommand(
                    command.command_id,
                    command.kind,
                    command.staff_id,
                    command.staff_name,
                    command.alert_id,
                )
            )
            with self._lock:
                self._done.add(command.command_id)
            applied = True
        if applied:
            self.wake()
