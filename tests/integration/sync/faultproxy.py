"""A loopback HTTP proxy that injects the network's worst habits, seeded and counted.

Faults per request: drop before forwarding, drop after the service answered (the
kiosk never learns its batch was stored), delay, TCP reset part-way through the
request or the response, a 5xx before or after the service handled the request,
and a duplicated delivery (the request reaches the service twice). Each client
connection carries one exchange; the upstream can be re-pointed while running
(the central process is restarted on another port after kill -9).
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter

FAULTS = (
    "pass",
    "drop",
    "drop_after",
    "delay",
    "reset_request",
    "reset_response",
    "5xx_before",
    "5xx_after",
    "duplicate",
)
BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 21\r\n"
    b"Connection: close\r\n\r\n<h1>Bad Gateway</h1>\n"
)
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
    b"Connection: close\r\n\r\nbusy!\n"
)


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: what a crashed middlebox does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _read_request(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() != b"connection":
            kept.append(line)
    kept.append(b"Connection: close")
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, upstream_port: int, seed: int, fault_rate: float = 0.3) -> None:
        self.upstream_port = upstream_port
        self.fault_rate = fault_rate
        self.counts: Counter[str] = Counter()
        # The service "goes down" after this many requests: every later one is answered
        # 502 without reaching it (set back to None to bring it up again).
        self.down_after: int | None = None
        self.requests = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        # close() alone does not wake a thread blocked in accept() on Linux; shutdown does.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)

    def _choose(self) -> tuple[str, random.Random]:
        with self._lock:
            fault = "pass"
            if self._rng.random() < self.fault_rate:
                fault = self._rng.choice(FAULTS[1:])
            self.counts[fault] += 1
            return fault, random.Random(self._rng.random())

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes | None:
        try:
            with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60) as up:
                up.sendall(request)
                chunks = []
                while chunk := up.recv(65536):
                    chunks.append(chunk)
                return b"".join(chunks) or None
        except OSError:
            return None

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(60)
        try:
            request = _read_request(client)
            if request is None:
                client.close()
                return
            with self._lock:
                self.requests += 1
                down = self.down_after is not None and self.requests > self.down_after
            if down:
                client.sendall(BAD_GATEWAY)
                client.close()
                return
            fault, rng = self._choose()
            if fault == "drop":
                client.close()
                return
            if fault == "5xx_before":
                client.sendall(BAD_GATEWAY)
                client.close()
                return
            if fault == "delay":
                time.sleep(rng.uniform(0.05, 0.5))  # the fault itself: a slow network
            if fault == "reset_request":
                try:
                    with socket.create_connection(
                        ("127.0.0.1", self.upstream_port), timeout=5
                    ) as up:
                        up.sendall(request[: rng.randint(1, max(1, len(request) - 1))])
                        _reset(up)
                except OSError:
                    pass
                _reset(client)
                return
            response = self._forward(request)
            if fault == "duplicate":
                second = self._forward(request)
                response = rng.choice([response, second])
            if response is None:
                client.sendall(BAD_GATEWAY)
                client.close()
                return
            if fault == "drop_after":
                client.close()
                return
            if fault == "5xx_after":
                client.sendall(UNAVAILABLE)
                client.close()
                return
            if fault == "reset_response":
                client.sendall(response[: rng.randint(1, max(1, len(response) - 1))])
                _reset(client)
                return
            client.sendall(response)
            client.close()
        except OSError:
            client.close()
