"""Enrolment publishes the kiosk's exit-code key: the service can then check its receipts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.ids import IdFactory
from kiosk.domain.sale import Tender
from kiosk.services.checkout import Checkout
from kiosk.services.exit_codes import ExitCodeSigner, ensure_signing_key, public_key_hex
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore
from sync.enrolment import enroll
from tests.helpers import FixedClock, make_product
from tests.integration.conftest import CentralHarness


def test_enrolment_registers_the_exit_key_and_the_service_verifies_receipts(
    central: CentralHarness, tmp_path: Path
) -> None:
    store = KioskStore.open(tmp_path / "kiosk.db")
    credential = enroll(store, central.url, central.enrolment_code())
    keys = central.op("GET", "/v1/ops/exit-keys")
    assert keys.status_code == 200, keys.text
    registered = {k["kiosk_id"]: k["public_key"] for k in keys.json()}
    assert registered[credential.kiosk_id] == public_key_hex(ensure_signing_key(store))

    setup = load_setup(store)
    store.catalog.upsert_many([make_product(1, price=990)])
    now = FixedClock(datetime.now(UTC))
    checkout = Checkout(store, setup.identity, setup.policy, now, IdFactory())
    checkout.scan(make_product(1).gtin[1:])
    state = checkout.begin_payment()
    sale = checkout.complete_sale(Tender("p", "demo", state.priced.total))
    code = ExitCodeSigner(ensure_signing_key(store)).sign(sale)
    verdict = central.op("POST", "/v1/exit-codes/verify", json={"code": code}).json()
    assert (verdict["reason"], verdict["sale_id"]) == ("valid", sale.sale_id)
    again = central.op("POST", "/v1/exit-codes/verify", json={"code": code}).json()
    assert again["reason"] == "already_used"
    forged = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
    assert central.op("POST", "/v1/exit-codes/verify", json={"code": forged}).json()["reason"] in (
        "forged",
        "exit_code_invalid",
    )
    store.close()
