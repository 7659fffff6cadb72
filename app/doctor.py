"""`kiosk doctor`: checks the things a kiosk needs and says what to fix.

An entry point, not the core: it may touch the camera, the network and devices.
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import requests

from kiosk.domain.errors import KioskError
from kiosk.services.setup import SCALE_PORT_KEY, STATIC_QR_KEY, load_setup
from kiosk.store.uow import KioskStore
from scale.serial_scale import SerialScale
from sync.enrolment import find_credential
from sync.relay import ROUTES

LOW_DISK_BYTES = 200 * 1024 * 1024
CENTRAL_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    optional: bool = False


def check_database(path: Path) -> list[Check]:
    if not path.exists():
        return [
            Check(
                "database",
                False,
                f"{path} does not exist",
                "run `kiosk init` or `kiosk enroll` first",
            )
        ]
    try:
        store = KioskStore.open(path)
    except KioskError as exc:
        return [Check("database", False, exc.message, "see the message above")]
    try:
        setup = load_setup(store)
        checks = [
            Check(
                "database",
                True,
                f"{path} schema v{store.store.schema_version()}, "
                f"{store.catalog.count()} products, {store.sales.count()} sales",
            ),
            Check(
                "identity",
                True,
                f"kiosk {setup.identity.kiosk_id} of store {setup.identity.store_id}",
            ),
        ]
        checks.append(check_payments(store))
        checks.append(check_scale(store.settings.get(SCALE_PORT_KEY)))
        depth = store.outbox.depth(ROUTES)
        checks.append(
            Check(
                "sync queue",
                depth < 1000,
                f"{depth} records waiting (oldest {store.outbox.oldest_pending_at(ROUTES)})"
                if depth
                else "nothing waiting",
                "check the network and run `kiosk sync now`",
            )
        )
    except KioskError as exc:
        checks = [Check("database", False, exc.message)]
    finally:
        store.close()
    free = shutil.disk_usage(path.parent).free
    checks.append(
        Check(
            "disk",
            free > LOW_DISK_BYTES,
            f"{free // 2**20} MiB free",
            "free disk space: the kiosk needs room to record sales",
        )
    )
    return checks


def check_payments(store: KioskStore) -> Check:
    """Fail closed: without a payment service or the store's static QR the kiosk cannot
    take money, and it says so instead of selling."""
    credential = find_credential(store)
    if credential is not None:
        return Check("payments", True, f"wallet payments through {credential.central_url}")
    if store.settings.get(STATIC_QR_KEY):
        return Check(
            "payments",
            True,
            "not enrolled: the store's static QR only, each payment confirmed by staff",
        )
    return Check(
        "payments",
        False,
        "no payment service and no static QR: the kiosk cannot take payments",
        "run `kiosk enroll --central URL --code CODE`, or `kiosk static-qr PAYLOAD`",
    )


def check_scale(port: str | None) -> Check:
    """The kiosk's scale answers a weight request; a kiosk without one still sells (loose
    goods go to the weighing counter), so this never stops the kiosk."""
    if port is None:
        return Check("scale", True, "no scale: loose goods are weighed at the weighing counter")
    try:
        with SerialScale(port) as scale:
            reading = scale.weight()
    except KioskError as exc:
        return Check(
            "scale",
            False,
            exc.message,
            "check the scale's cable and power, that it speaks MT-SICS at 9600 8N1, and "
            "`kiosk scale PORT`",
            optional=True,
        )
    weight = "" if reading.grams is None else f" {reading.grams} g"
    return Check("scale", True, f"{port} answers: {reading.state}{weight}")


def check_camera(spec: str) -> Check:
    import cv2

    source: int | str = int(spec) if spec.isdigit() else spec
    if isinstance(source, str) and not os.path.exists(source):
        return Check(
            "camera",
            False,
            f"{source} does not exist",
            "plug the camera in, or pass --camera with its /dev/video path",
            optional=True,
        )
    capture = cv2.VideoCapture(source)
    try:
        if not capture.isOpened():
            return Check(
                "camera",
                False,
                f"camera {spec} cannot be opened",
                "plug a UVC camera in (ls /dev/video*); the demo runs without one",
                optional=True,
            )
        ok, frame = capture.read()
        if not ok or frame is None:
            return Check(
                "camera",
                False,
                f"camera {spec} opened but gave no picture",
                "another program may be using it; close it",
                optional=True,
            )
        height, width = frame.shape[:2]
        return Check("camera", True, f"camera {spec}: {width}x{height}")
    finally:
        capture.release()


def check_central(url: str) -> Check:
    try:
        response = requests.get(url.rstrip("/") + "/v1/health", timeout=CENTRAL_TIMEOUT_S)
    except requests.RequestException as exc:
        return Check(
            "central",
            False,
            f"{url} unreachable ({type(exc).__name__})",
            "check the network cable/Wi-Fi and the URL; sales are kept until it is back",
            optional=True,
        )
    if response.status_code != 200:
        return Check(
            "central",
            False,
            f"{url} answered {response.status_code}",
            "ask the chain's operators whether the service is up",
            optional=True,
        )
    return Check("central", True, f"{url} reachable")


def check_printer(spec: str) -> Check:
    if spec.startswith("tcp://"):
        target = urlparse(spec)
        try:
            with socket.create_connection((target.hostname or "", target.port or 9100), 3):
                return Check("printer", True, f"{spec} accepts connections")
        except OSError as exc:
            return Check(
                "printer",
                False,
                f"{spec}: {exc.strerror or exc}",
                "switch the printer on and check its network address",
                optional=True,
            )
    path = Path(spec)
    if not path.exists():
        return Check(
            "printer",
            False,
            f"{spec} does not exist",
            "plug the printer in (USB printers appear as /dev/usb/lp*)",
            optional=True,
        )
    if not os.access(path, os.W_OK):
        return Check(
            "printer",
            False,
            f"{spec} is not writable",
            "add the kiosk user to the 'lp' group",
            optional=True,
        )
    return Check("printer", True, f"{spec} is ready")


def run_checks(db: Path, camera: str, central: str | None, printer: str | None) -> list[Check]:
    checks = check_database(db)
    checks.append(check_camera(camera))
    checks.append(
        check_central(central)
        if central
        else Check(
            "central",
            False,
            "no central service configured",
            "run `kiosk enroll --central URL --code CODE`",
            optional=True,
        )
    )
    checks.append(
        check_printer(printer)
        if printer
        else Check(
            "printer",
            False,
            "no printer configured",
            "pass --printer; e-receipts work without one",
            optional=True,
        )
    )
    return checks
