"""Exit codes: signed on the kiosk, verified offline by staff or a gate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.exit_code import (
    PREFIX,
    ExitFlag,
    ExitPass,
    b45decode,
    b45encode,
    encode,
    split,
)
from kiosk.domain.ids import IdFactory
from kiosk.domain.policy import StorePolicy
from kiosk.domain.sale import Sale, Tender
from kiosk.services.checkout import Checkout, KioskIdentity
from kiosk.services.exit_codes import (
    ExitCodeSigner,
    ExitCodeVerifier,
    ensure_signing_key,
    public_key_hex,
)
from kiosk.store.uow import KioskStore
from tests.helpers import FixedClock, make_product


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_base45_matches_rfc_9285(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@given(st.binary(max_size=300))
def test_base45_round_trip(data: bytes) -> None:
    assert b45decode(b45encode(data)) == data


def sell(store: KioskStore, policy: StorePolicy, clock: FixedClock) -> Sale:
    store.catalog.upsert_many([make_product(1, price=1250)])
    checkout = Checkout(store, KioskIdentity("K01", "S001"), policy, clock, IdFactory())
    checkout.scan(make_product(1).gtin[1:])
    checkout.scan(make_product(1).gtin[1:])
    state = checkout.begin_payment()
    return checkout.complete_sale(Tender("p", "demo", state.priced.total))


@pytest.fixture
def signed(store: KioskStore, policy: StorePolicy, clock: FixedClock) -> tuple[Sale, str, str]:
    key = ensure_signing_key(store)
    sale = sell(store, policy, clock)
    return sale, ExitCodeSigner(key).sign(sale), public_key_hex(key)


def test_a_fresh_code_verifies_offline_once(
    store: KioskStore, clock: FixedClock, signed: tuple[Sale, str, str]
) -> None:
    sale, code, public = signed
    assert code.startswith(PREFIX)
    verifier = ExitCodeVerifier({"K01": public}, store)
    first = verifier.verify(code, clock.now() + timedelta(minutes=3))
    assert first.ok
    assert first.exit_pass is not None
    assert (first.exit_pass.sale_id, first.exit_pass.total_minor, first.exit_pass.item_count) == (
        sale.sale_id,
        2500,
        2,
    )
    second = verifier.verify(code, clock.now() + timedelta(minutes=4))
    assert (second.ok, second.reason, second.times_seen) == (False, "already_used", 2)


def test_the_code_fits_a_small_qr(signed: tuple[Sale, str, str]) -> None:
    qr = segno.make(signed[1], error="m")
    assert qr.mode == "alphanumeric"
    assert qr.version <= 8


def test_tampered_forged_expired_and_foreign_codes_are_refused(
    store: KioskStore, clock: FixedClock, signed: tuple[Sale, str, str]
) -> None:
    _, code, public = signed
    verifier = ExitCodeVerifier({"K01": public}, store, validity=timedelta(hours=2))
    data, signature = split(code)
    cheaper = ExitPass.from_signed_bytes(data)
    tampered = encode(replace(cheaper, total_minor=1), signature)
    assert verifier.verify(tampered, clock.now()).reason == "forged"
    other_key = Ed25519PrivateKey.generate()
    forged = encode(cheaper, other_key.sign(data))
    assert verifier.verify(forged, clock.now()).reason == "forged"
    assert verifier.verify(code, clock.now() + timedelta(hours=3)).reason == "expired"
    assert verifier.verify("https://example.com", clock.now()).reason == "exit_code_foreign"
    assert verifier.verify(PREFIX + "???", clock.now()).reason == "exit_code_invalid"
    assert ExitCodeVerifier({}, store).verify(code, clock.now()).reason == "unknown_kiosk"


def test_attended_payments_are_flagged_for_a_bag_check(
    store: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    key = ensure_signing_key(store)
    sale = sell(store, policy, clock)
    code = ExitCodeSigner(key).sign(sale, attended=True)
    verdict = ExitCodeVerifier({"K01": public_key_hex(key)}, store).verify(code, clock.now())
    assert verdict.ok
    assert verdict.audit
    assert verdict.exit_pass is not None
    assert verdict.exit_pass.flags & ExitFlag.ATTENDED


def test_the_signing_key_is_made_once_and_kept(store: KioskStore) -> None:
    assert public_key_hex(ensure_signing_key(store)) == public_key_hex(ensure_signing_key(store))


def test_verify_exit_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from app.cli import main
    from kiosk.services.config import demo_policy
    from kiosk.services.setup import initialise

    home = tmp_path / "k"
    store = KioskStore.open(home / "kiosk.db")
    initialise(store, KioskIdentity("K01", "S001"), demo_policy())
    sale = sell(store, demo_policy(), FixedClock(datetime.now(UTC)))
    code = ExitCodeSigner(ensure_signing_key(store)).sign(sale)
    store.close()
    runner = CliRunner()
    first = runner.invoke(main, ["--home", str(home), "verify-exit", code])
    assert first.exit_code == 0, first.output
    assert "VALID" in first.output
    assert f"sale #{sale.sequence}" in first.output
    again = runner.invoke(main, ["--home", str(home), "verify-exit", code])
    assert again.exit_code == 1
    assert "REFUSED: already used" in again.output
    key = runner.invoke(main, ["--home", str(home), "exit-key"])
    assert key.output.startswith("K01 ")
