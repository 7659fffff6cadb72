"""Where a kiosk keeps its data, who it is, and the store rules it runs under."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.errors import KioskError, Reason
from kiosk.domain.policy import StorePolicy
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import POLICY_KEY, policy_from_settings, policy_to_settings
from kiosk.store.uow import KioskStore

IDENTITY_KEY = "kiosk_identity"
BADGE_KEY = "badge_key"
HOME_ENV = "KIOSK_HOME"
STATIC_QR_KEY = "payments.static_qr"
"""The store's static payment QR, shown when the kiosk cannot reach the payment service."""
PAYMENT_METHOD_KEY = "payments.default_method"
"""What the payment screen asks for first: `code` (the shopper shows their wallet's payment
code, the usual way at Chinese self-checkouts) or `qr` (the kiosk shows a QR; default)."""
PAYMENT_METHODS = ("qr", "code")
SCALE_PORT_KEY = "scale_port"
"""The serial port of the kiosk's scale (`/dev/ttyUSB0`, `COM3`, `socket://host:port`);
unset: the kiosk has no scale and sends shoppers with loose goods to the weighing counter."""
BAG_KEY = "bag_gtin"
"""The GTIN of the carrier bag the kiosk offers once a sale when the shopper taps Pay (stores
must charge for bags, so it is sold as a priced line); unset: no bag is offered."""


def default_home() -> Path:
    """`$KIOSK_HOME`, else the XDG data folder of the user running the kiosk."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "scan-to-buy-kiosk"


def database_path(home: Path) -> Path:
    return home / "kiosk.db"


class NotInitialised(KioskError):
    reason = Reason.NOT_INITIALISED


@dataclass(frozen=True, slots=True)
class KioskSetup:
    identity: KioskIdentity
    policy: StorePolicy
    badge_key: bytes


def initialise(store: KioskStore, identity: KioskIdentity, policy: StorePolicy) -> KioskSetup:
    """Record identity and policy; keeps an existing badge key so badges stay valid."""
    with store.transaction():
        store.settings.set(
            IDENTITY_KEY, {"kiosk_id": identity.kiosk_id, "store_id": identity.store_id}
        )
        store.settings.set(POLICY_KEY, policy_to_settings(policy))
        if store.settings.get(BADGE_KEY) is None:
            store.settings.set(BADGE_KEY, secrets.token_hex(32))
    return load_setup(store)


def load_setup(store: KioskStore) -> KioskSetup:
    identity = store.settings.get(IDENTITY_KEY)
    policy = store.settings.get(POLICY_KEY)
    key = store.settings.get(BADGE_KEY)
    if identity is None or policy is None or key is None:
        raise NotInitialised(
            "this kiosk is not set up yet: run `kiosk enroll --central URL --code CODE` "
            "(or `kiosk init` for a stand-alone kiosk)"
        )
    return KioskSetup(
        KioskIdentity(identity["kiosk_id"], identity["store_id"]),
        policy_from_settings(policy),
        bytes.fromhex(key),
    )
