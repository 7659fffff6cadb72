"""Connectivity as the UI shows it: online, degraded or offline.

- online: the last request succeeded at the first attempt;
- degraded: requests get through, but only after retries, or the service answers
  with errors (5xx, busy database);
- offline: the last attempts could not reach the service at all.

Listeners are called on the thread that made the request (the sync thread); a Qt
wrapper re-emits them as signals on the UI thread.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class State(enum.StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Snapshot:
    state: State
    last_success_at: float | None
    last_error: str
    consecutive_failures: int


class Connectivity:
    # Two failed attempts in a row without reaching the service: call it offline.
    OFFLINE_AFTER = 2

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._state = State.OFFLINE
        self._last_success: float | None = None
        self._last_error = ""
        self._failures = 0
        self._listeners: list[Callable[[State], None]] = []

    def subscribe(self, listener: Callable[[State], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(self._state, self._last_success, self._last_error, self._failures)

    @property
    def state(self) -> State:
        return self.snapshot().state

    def succeeded(self, *, retried: bool = False) -> None:
        with self._lock:
            self._failures = 0
            self._last_success = self._clock()
            self._set(State.DEGRADED if retried else State.ONLINE)

    def failed(self, error: str, *, reachable: bool = False) -> None:
        with self._lock:
            self._failures += 1
            self._last_error = error
            if reachable or self._failures < self.OFFLINE_AFTER:
                self._set(State.DEGRADED)
            else:
                self._set(State.OFFLINE)

    def _set(self, state: State) -> None:
        # Called with the lock held; listeners must be quick and must not call back in.
        if state is self._state:
            return
        self._state = state
        for listener in list(self._listeners):
            listener(state)
