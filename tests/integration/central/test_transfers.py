"""Suspended carts at the central service, over real HTTP and the kiosks' own outbox
relay: each cart's suspension and resume stored once; two kiosks that both resumed the
same code while offline give one resume and one double-resume row, never two resumes."""

from __future__ import annotations

import json
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from central.cli import main as central_cli
from central.transfers.tables import cart_transfers
from kiosk.domain.transfer import CartTransfer, TransferLine
from kiosk.services.exit_codes import ensure_signing_key, public_key_hex
from kiosk.services.transfers import (
    KIOSK_KEYS_KEY,
    RESUMED,
    SUSPENDED,
    TRANSFER_KIND,
    RegistryUnavailable,
    ResumedAt,
    TransferCheck,
    TransferSigner,
    TransferVerifier,
    transfer_report,
)
from kiosk.store.uow import KioskStore
from sync.client import CentralClient
from sync.enrolment import Credential, register_exit_key
from sync.errors import ProtocolError
from sync.protocol import encode_secret
from sync.relay import CONFLICTS_KEY, OutboxRelay
from sync.transfers import CentralTransferRegistry
from sync.worker import pull_store_keys
from tests.helpers import gtin13
from tests.integration.conftest import FAST_RETRY, TEST_SECRET, CentralHarness

AT = datetime(2026, 12, 4, 14, 5, tzinfo=UTC)


def a_transfer(kiosk_id: str) -> CartTransfer:
    return CartTransfer(
        cart_id=str(uuid.uuid4()),
        kiosk_id=kiosk_id,
        store_id="S001",
        suspended_at=AT,
        expires_at=AT + timedelta(hours=2),
        suspended_by="1001",
        currency="CNY",
        lines=(TransferLine(gtin13("690123456789"), 2, 350),),
    )


def queued(
    store: KioskStore,
    transfer: CartTransfer,
    event: str,
    kiosk_id: str,
    minutes: int,
    code: str | None = None,
) -> dict[str, Any]:
    facts: dict[str, Any] = (
        {"reason": "wallet forgotten", "item_count": 2, "total_minor": 700, "code": code}
        if event == SUSPENDED
        else {"cart": str(uuid.uuid4()), "lines": 1, "dropped": [], "price_changed": []}
    )
    at = AT + timedelta(minutes=minutes)
    row = transfer_report(transfer, event, kiosk_id=kiosk_id, at=at, staff_id="1001", extra=facts)
    store.outbox.add(TRANSFER_KIND, f"{transfer.cart_id}:{event}", row, at)
    return row


def kiosk(central: CentralHarness, tmp_path: Path, name: str) -> tuple[Credential, KioskStore]:
    return central.enrol("S001", name=name), KioskStore.open(tmp_path / f"{name}.db")


@dataclass
class Shop:
    """Three enrolled kiosks of one store, and a cart suspended at the first."""

    kiosks: list[tuple[Credential, KioskStore]]
    own_keys: dict[str, str]
    transfer: CartTransfer
    code: str

    @classmethod
    def open(cls, central: CentralHarness, tmp_path: Path) -> Shop:
        kiosks = [kiosk(central, tmp_path, name) for name in ("K-01", "K-02", "K-03")]
        first, k1 = kiosks[0]
        transfer = a_transfer(first.kiosk_id)
        key = ensure_signing_key(k1)
        own_keys = {first.kiosk_id: public_key_hex(key)}
        return cls(kiosks, own_keys, transfer, TransferSigner(key).sign(transfer))

    def close(self) -> None:
        for _credential, store in self.kiosks:
            store.close()


def test_two_offline_resumes_of_one_cart_give_one_resume_and_a_flagged_double(
    central: CentralHarness, tmp_path: Path
) -> None:
    (first, k1), (second, k2), (third, k3) = (
        kiosk(central, tmp_path, name) for name in ("K-01", "K-02", "K-03")
    )
    transfer = a_transfer(first.kiosk_id)
    queued(k1, transfer, SUSPENDED, first.kiosk_id, 0)
    queued(k2, transfer, RESUMED, second.kiosk_id, 10)
    queued(k3, transfer, RESUMED, third.kiosk_id, 12)  # offline too: it could not know
    reports = []
    for credential, store in ((first, k1), (second, k2), (third, k3)):
        with closing(central.client(credential)) as client:
            reports.append(OutboxRelay(store, client).drain())
    assert [(r.sent, r.conflicts) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    assert all(store.outbox.depth() == 0 for store in (k1, k2, k3))
    [conflict] = k3.settings.get(CONFLICTS_KEY)
    assert conflict["kind"] == TRANSFER_KIND
    assert conflict["detail"].startswith(f"already resumed at kiosk {second.kiosk_id}")

    answer = central.op("GET", "/v1/ops/reports/transfers")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["suspended"], report["resumed"], report["open"]) == (1, 1, 0)
    [double] = report["double_resumes"]
    assert (double["cart_id"], double["first_kiosk_id"], double["kiosk_id"]) == (
        transfer.cart_id,
        second.kiosk_id,
        third.kiosk_id,
    )
    printed = CliRunner().invoke(
        central_cli,
        ["report", "transfers", "--json", "--db", central.db_url],
        env={"CENTRAL_SECRET_KEY": encode_secret(TEST_SECRET)},
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == report
    for store in (k1, k2, k3):
        store.close()


def test_a_resend_is_a_duplicate_and_a_kiosk_speaks_only_for_itself(
    central: CentralHarness, tmp_path: Path
) -> None:
    (first, k1), (second, k2) = (kiosk(central, tmp_path, n) for n in ("K-01", "K-02"))
    transfer = a_transfer(first.kiosk_id)
    row = queued(k1, transfer, SUSPENDED, first.kiosk_id, 0)
    with closing(central.client(first)) as client:
        assert OutboxRelay(k1, client).drain().sent == 1
        again = client.call("POST", "/v1/transfers/batch", body={"transfers": [row]})
        assert [r["result"] for r in again["results"]] == ["duplicate"]
    with (
        closing(central.client(second)) as client,
        pytest.raises(ProtocolError, match="another kiosk"),
    ):
        # K-02 reporting K-01's suspension: refused, whatever it holds.
        client.call("POST", "/v1/transfers/batch", body={"transfers": [row]}, attempts=1)
    report = central.op("GET", "/v1/ops/reports/transfers").json()
    assert (report["suspended"], report["resumed"], report["open"]) == (1, 0, 1)
    for store in (k1, k2):
        store.close()


def test_the_report_needs_an_operator(central: CentralHarness) -> None:
    answer = central.session.get(central.url + "/v1/ops/reports/transfers", timeout=30)
    assert answer.status_code == 401


def test_a_kiosk_learns_the_keys_of_its_stores_kiosks_to_check_their_codes(
    central: CentralHarness, tmp_path: Path
) -> None:
    (first, k1), (second, k2) = (kiosk(central, tmp_path, n) for n in ("K-01", "K-02"))
    other, k3 = central.enrol("S002", name="Elsewhere"), KioskStore.open(tmp_path / "k3.db")
    for credential, store in ((first, k1), (second, k2), (other, k3)):
        with closing(central.client(credential)) as client:
            register_exit_key(store, client)
    with closing(central.client(second)) as client:
        pull_store_keys(k2, client)
    keys = k2.settings.get(KIOSK_KEYS_KEY)
    assert keys == {
        first.kiosk_id: public_key_hex(ensure_signing_key(k1)),
        second.kiosk_id: public_key_hex(ensure_signing_key(k2)),
    }  # not the other store's kiosk
    # With them, K-02 checks a code K-01 signed, offline.
    transfer = a_transfer(first.kiosk_id)
    code = TransferSigner(ensure_signing_key(k1)).sign(transfer)
    verifier = TransferVerifier({}, k2, "S001")
    assert verifier.verify(code, AT + timedelta(minutes=1)).check is TransferCheck.VALID
    for store in (k1, k2, k3):
        store.close()


def test_an_online_kiosk_claims_the_resume_so_a_second_kiosk_refuses_the_code(
    central: CentralHarness, tmp_path: Path
) -> None:
    shop = Shop.open(central, tmp_path)
    _first, (second, k2), (third, k3) = shop.kiosks
    own_keys, transfer, code = shop.own_keys, shop.transfer, shop.code
    now = AT + timedelta(minutes=10)
    with closing(central.client(second)) as c2, closing(central.client(third)) as c3:
        at_second = TransferVerifier(own_keys, k2, "S001", CentralTransferRegistry(c2))
        at_third = TransferVerifier(own_keys, k3, "S001", CentralTransferRegistry(c3))
        granted = at_second.claim(at_second.verify(code, now), "1001", now)
        assert granted.check is TransferCheck.VALID
        # Asking again (a kiosk that claimed, then lost power before resuming) is granted.
        assert at_second.claim(at_second.verify(code, now), "1001", now).ok
        # Online, the third kiosk learns at once that the cart went elsewhere.
        refused = at_third.claim(at_third.verify(code, now), "1002", now + timedelta(minutes=2))
        assert refused.check is TransferCheck.ALREADY_USED
        assert refused.used == ResumedAt(second.kiosk_id, now.isoformat())
    # The claimant's own report completes its claim; the cart has one resume, no double.
    queued(k2, transfer, RESUMED, second.kiosk_id, 11)
    with closing(central.client(second)) as client:
        assert OutboxRelay(k2, client).drain().sent == 1
    report = central.op("GET", "/v1/ops/reports/transfers").json()
    assert (report["resumed"], report["double_resumes"]) == (1, [])
    with central.engine.connect() as conn:
        [document] = conn.execute(
            select(cart_transfers.c.document).where(cart_transfers.c.event == RESUMED)
        ).scalars()
    assert "claim" not in json.loads(document)
    assert json.loads(document)["lines"] == 1
    # A kiosk that resumed offline anyway is still flagged as a double when it syncs.
    queued(k3, transfer, RESUMED, third.kiosk_id, 12)
    with closing(central.client(third)) as client:
        assert OutboxRelay(k3, client).drain().conflicts == 1
    [double] = central.op("GET", "/v1/ops/reports/transfers").json()["double_resumes"]
    assert (double["first_kiosk_id"], double["kiosk_id"]) == (second.kiosk_id, third.kiosk_id)
    shop.close()


def test_a_claim_names_an_offline_resume_and_an_unreachable_service_lets_the_kiosk_decide(
    central: CentralHarness, tmp_path: Path
) -> None:
    shop = Shop.open(central, tmp_path)
    _first, (second, k2), (third, k3) = shop.kiosks
    own_keys, transfer, code = shop.own_keys, shop.transfer, shop.code
    queued(k2, transfer, RESUMED, second.kiosk_id, 10)  # resumed at K-02 while offline
    with closing(central.client(second)) as client:
        assert OutboxRelay(k2, client).drain().sent == 1
    now = AT + timedelta(minutes=20)
    with closing(central.client(third)) as client:
        verifier = TransferVerifier(own_keys, k3, "S001", CentralTransferRegistry(client))
        refused = verifier.claim(verifier.verify(code, now), "1002", now)
    assert refused.check is TransferCheck.ALREADY_USED
    assert refused.used is not None
    assert refused.used.kiosk_id == second.kiosk_id
    # The service down: the kiosk's own checks decide, at once (one attempt).
    with closing(CentralClient("http://127.0.0.1:9", third, retry=FAST_RETRY)) as down:
        verifier = TransferVerifier(own_keys, k3, "S001", CentralTransferRegistry(down))
        assert verifier.claim(verifier.verify(code, now), "1002", now).ok
    shop.close()


def test_a_slip_number_finds_its_code_for_the_store_s_kiosks_only(
    central: CentralHarness, tmp_path: Path
) -> None:
    (first, k1), (second, k2) = (kiosk(central, tmp_path, n) for n in ("K-01", "K-02"))
    other, k3 = central.enrol("S002", name="Elsewhere"), KioskStore.open(tmp_path / "k3.db")
    transfer = a_transfer(first.kiosk_id)
    code = TransferSigner(ensure_signing_key(k1)).sign(transfer)
    row = queued(k1, transfer, SUSPENDED, first.kiosk_id, 0, code=code)
    with closing(central.client(first)) as client:
        assert OutboxRelay(k1, client).drain().sent == 1
    number = row["number"]
    with closing(central.client(second)) as client:
        found = TransferVerifier({}, k2, "S001", CentralTransferRegistry(client))
        assert found.code_for(number) == code
        unknown = "0000000000" if number != "0000000000" else "1111111111"
        assert found.code_for(unknown) is None
        with pytest.raises(ProtocolError) as malformed:
            client.call("GET", "/v1/transfers/number/12345", attempts=1)
        assert malformed.value.status == 422
    with closing(central.client(other)) as client:
        # Another store's kiosk: as if the number did not exist.
        assert (
            TransferVerifier({}, k3, "S002", CentralTransferRegistry(client)).code_for(number)
            is None
        )
    with (
        closing(CentralClient("http://127.0.0.1:9", second, retry=FAST_RETRY)) as down,
        pytest.raises(RegistryUnavailable),
    ):
        TransferVerifier({}, k2, "S001", CentralTransferRegistry(down)).code_for(number)
    for store in (k1, k2, k3):
        store.close()
