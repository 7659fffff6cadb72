"""Configuration: flags override environment variables, which override defaults.

Secrets are never in the repository: the master key comes from `CENTRAL_SECRET_KEY`
(base64url, shared by every replica of a chain) or, for a single store on SQLite, from
a key file generated with mode 0600 next to the database at first start.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from central.errors import ConfigError
from kiosk.domain.policy import OverrideBounds

DEFAULT_DB_URL = "sqlite:///var/central.db"
DEFAULT_MAX_BODY = 8 * 1024 * 1024
PHOTO_KEEP_DAYS = 90
"""Days a group-buy buyer's photo is kept once its problem is resolved: time for the buyer
to dispute the store's decision with their bank or wallet, and no longer, since the photo
was given for that one purpose. An open problem keeps its photo."""
MAX_PHOTO_KEEP_DAYS = 3650
"""Ten years: a longer setting is a mistake (and a huge one would overflow the cut-off)."""
KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    secret_key: bytes
    max_body_bytes: int = DEFAULT_MAX_BODY
    signature_window_s: int = 300
    migrate_on_start: bool = True
    price_override: OverrideBounds = field(default_factory=OverrideBounds)
    """The chain's bounds on staff price overrides, which every sale is re-checked against
    (`CENTRAL_OVERRIDE_FLOOR_BP`, `CENTRAL_OVERRIDE_CEILING_BP`: basis points of the
    shelf price; the kiosks' store policy says the same)."""
    webhook_secrets: Mapping[str, tuple[bytes, ...]] = field(default_factory=dict)
    """Group-buy webhook secrets by store id, `*` for every other store
    (`CENTRAL_GROUPBUY_WEBHOOK_SECRETS`, a JSON object of a text or a list of texts):
    deliveries are signed with each of the store's (the new and the old while a secret is
    rotated, so the receiver may change over when it likes), and a campaign with a webhook
    needs its store to have one."""

    photo_keep_days: int = PHOTO_KEEP_DAYS
    """`CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS`: days a resolved group-buy problem's photo is kept
    (1 to `MAX_PHOTO_KEEP_DAYS`)."""

    def webhook_secrets_for(self, store_id: str) -> tuple[bytes, ...]:
        return self.webhook_secrets.get(store_id) or self.webhook_secrets.get("*") or ()


def normalize_db_url(url: str) -> str:
    """Accept plain `postgresql://` DSNs and a bare SQLite path; pick the psycopg 3 driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    return url


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix + ":memory:":
        return Path(url[len(prefix) :])
    return None


def load_secret_key(db_url: str, env: Mapping[str, str]) -> bytes:
    text = env.get("CENTRAL_SECRET_KEY", "").strip()
    if text:
        return _decode_key(text, "CENTRAL_SECRET_KEY")
    key_file = env.get("CENTRAL_SECRET_FILE", "").strip()
    path = Path(key_file) if key_file else None
    if path is None:
        db_path = sqlite_path(db_url)
        if db_path is None:
            raise ConfigError(
                "set CENTRAL_SECRET_KEY (the same value on every replica; make one with "
                "`central secret`) or CENTRAL_SECRET_FILE: a PostgreSQL deployment has no "
                "local folder to keep a generated key in"
            )
        path = db_path.with_name(db_path.name + ".key")
    if path.exists():
        return _decode_key(path.read_text().strip(), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created exclusively with 0600 so a second process starting at the same moment
    # cannot overwrite the first one's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decode_key(path.read_text().strip(), str(path))
    with os.fdopen(fd, "w") as handle:
        handle.write(new_secret_key() + "\n")
    return _decode_key(path.read_text().strip(), str(path))


def new_secret_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).rstrip(b"=").decode()


def _decode_key(text: str, where: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise ConfigError(f"{where} is not base64url text") from exc
    if len(raw) < 16:
        raise ConfigError(f"{where} is too short: use at least 16 random bytes")
    return raw


def settings_from(
    env: Mapping[str, str], db_url: str | None = None, max_body_bytes: int | None = None
) -> Settings:
    url = normalize_db_url(db_url or env.get("CENTRAL_DB_URL", "") or DEFAULT_DB_URL)
    body = max_body_bytes or int(env.get("CENTRAL_MAX_BODY_BYTES", DEFAULT_MAX_BODY))
    default = OverrideBounds()
    try:
        bounds = OverrideBounds(
            int(env.get("CENTRAL_OVERRIDE_FLOOR_BP", default.floor_bp)),
            int(env.get("CENTRAL_OVERRIDE_CEILING_BP", default.ceiling_bp)),
        )
    except ValueError as exc:
        raise ConfigError(f"price override bounds: {exc}") from exc
    keep = env.get("CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS", "").strip() or str(PHOTO_KEEP_DAYS)
    if not (keep.isascii() and keep.isdigit()) or not 1 <= int(keep) <= MAX_PHOTO_KEEP_DAYS:
        raise ConfigError(
            "CENTRAL_GROUPBUY_PHOTO_KEEP_DAYS must be a whole number of days, "
            f"1 to {MAX_PHOTO_KEEP_DAYS}: {keep!r}"
        )
    return Settings(
        db_url=url,
        secret_key=load_secret_key(url, env),
        max_body_bytes=body,
        price_override=bounds,
        webhook_secrets=webhook_secrets_from(env.get("CENTRAL_GROUPBUY_WEBHOOK_SECRETS", "")),
        photo_keep_days=int(keep),
    )


MAX_WEBHOOK_SECRETS = 3
"""A store's secrets at once: a rotation needs two, and a third covers one begun again
before the receiver changed over."""


def webhook_secrets_from(text: str) -> dict[str, tuple[bytes, ...]]:
    """`{"S001": "secret", "*": "secret for the other stores"}`; each at least 16 bytes.

    While a secret is rotated a store has a list, `{"S001": ["new secret", "old secret"]}`
    (at most `MAX_WEBHOOK_SECRETS`): every delivery carries a signature under each, so the
    receiver may move to the new one at any time before the old is taken off the list.
    """
    if not text.strip():
        return {}
    try:
        found = json.loads(text)
    except ValueError as exc:
        raise ConfigError("CENTRAL_GROUPBUY_WEBHOOK_SECRETS is not a JSON object") from exc
    if not isinstance(found, dict):
        raise ConfigError("CENTRAL_GROUPBUY_WEBHOOK_SECRETS is not a JSON object")
    secrets: dict[str, tuple[bytes, ...]] = {}
    for store, value in found.items():
        texts = [value] if isinstance(value, str) else value
        if (
            not isinstance(texts, list)
            or not 0 < len(texts) <= MAX_WEBHOOK_SECRETS
            or not all(isinstance(t, str) for t in texts)
        ):
            raise ConfigError(
                "CENTRAL_GROUPBUY_WEBHOOK_SECRETS maps store ids to a text, or a list of "
                f"1 to {MAX_WEBHOOK_SECRETS} texts while one is rotated"
            )
        secrets[store] = tuple(t.encode() for t in texts)
    short = sorted(k for k, v in secrets.items() if any(len(t) < 16 for t in v))
    if short:
        raise ConfigError(f"group-buy webhook secrets too short (16 bytes at least): {short}")
    return secrets
