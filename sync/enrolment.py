"""Enrolling a kiosk with the central service, and reading the credential back."""

from __future__ import annotations

from typing import Any

from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import POLICY_KEY, demo_policy, policy_from_settings
from kiosk.services.exit_codes import ensure_signing_key, public_key_hex
from kiosk.services.setup import BADGE_KEY, initialise
from kiosk.store.uow import KioskStore
from sync.client import CentralClient, Credential
from sync.errors import EnrolmentRefused, NotEnrolled, ProtocolError
from sync.payment_protocol import ExitKey
from sync.protocol import ANSWER, API_PREFIX, EnrollResponse, decode_secret
from sync.pullers import PULLED
from sync.relay import ROUTES

CREDENTIAL_KEY = "sync.credential"


def load_credential(store: KioskStore) -> Credential:
    data = store.settings.get(CREDENTIAL_KEY)
    if data is None:
        raise NotEnrolled(
            "this kiosk is not enrolled with a central service: run "
            "`kiosk enroll --central URL --code CODE` with a code from the operator"
        )
    return Credential.from_settings(data)


def find_credential(store: KioskStore) -> Credential | None:
    """The credential, or None for a kiosk that is not enrolled (a stand-alone kiosk)."""
    data = store.settings.get(CREDENTIAL_KEY)
    return None if data is None else Credential.from_settings(data)


def enroll(
    store: KioskStore,
    central_url: str,
    code: str,
    *,
    name: str = "",
    app_version: str = "",
    force: bool = False,
    client: CentralClient | None = None,
) -> Credential:
    """Spend a one-time code for this kiosk's credential and record the identity it names.

    Refuses while sales are still queued for another enrolment (unless `force`): they
    carry the old kiosk id and would be refused as conflicts by the new one.
    """
    queued = store.outbox.depth(ROUTES)
    if store.settings.get(CREDENTIAL_KEY) is not None and queued and not force:
        raise EnrolmentRefused(
            "this kiosk still has unsent data for its current enrolment: run "
            "`kiosk sync now` until the queue is empty, or enrol with --force",
            reason="queue_not_empty",
        )
    client = client or CentralClient(central_url)
    body: dict[str, Any] = {"code": code.strip(), "name": name, "app_version": app_version}
    try:
        # Spending the code is not idempotent: a retry after a lost answer would find the
        # code used. Retry only what never reached the service.
        answer = client.call("POST", f"{API_PREFIX}/enrol", body=body, attempts=3)
    except ProtocolError as exc:
        raise EnrolmentRefused(
            f"the central service refused the code: {exc} (ask the operator for a new one)"
        ) from exc
    reply = EnrollResponse.model_validate(answer, context=ANSWER)
    credential = Credential(
        central_url=central_url.rstrip("/"),
        kiosk_id=reply.kiosk_id,
        store_id=reply.store_id,
        key_id=reply.key_id,
        secret=reply.secret,
        member_phone_key=reply.member_phone_key,
        staff_badge_key=reply.staff_badge_key,
    )
    stored_policy = store.settings.get(POLICY_KEY)
    policy = (
        policy_from_settings(stored_policy)
        if stored_policy is not None and stored_policy.get("store_id") == reply.store_id
        else demo_policy(reply.store_id)
    )
    with store.transaction():
        store.settings.set(CREDENTIAL_KEY, credential.to_settings())
        # Staff badges are hashed with the chain's key so badges enrolled centrally work
        # on every kiosk (kiosk.services.staff_auth hashes with this setting).
        store.settings.set(BADGE_KEY, decode_secret(reply.staff_badge_key).hex())
        # Another service (or the same one rebuilt) starts every feed over: a full pull
        # leaves the kiosk holding exactly what this service holds.
        for feed in PULLED.values():
            store.settings.set(feed.cursor, "")
        initialise(store, KioskIdentity(reply.kiosk_id, reply.store_id), policy)
    register_exit_key(store, CentralClient(credential.central_url, credential))
    return credential


def register_exit_key(store: KioskStore, client: CentralClient) -> None:
    """Publish this kiosk's exit-code public key, so the service and the store's gates can
    check its receipts. Idempotent (PUT); enrolment calls it once."""
    key = public_key_hex(ensure_signing_key(store))
    client.call("PUT", f"{API_PREFIX}/kiosk/exit-key", body=ExitKey(public_key=key).model_dump())
