"""Exit codes verified centrally: registered kiosk keys, first use wins, re-use reported."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.domain.exit_code import PREFIX, ExitFlag, ExitPass, b45decode, b45encode, encode
from tests.integration.payments.conftest import Kiosk, PaymentsHarness, problem


def _key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _code(
    key: Ed25519PrivateKey,
    kiosk_id: str,
    *,
    paid_at: datetime | None = None,
    flags: ExitFlag = ExitFlag.NONE,
    sale_id: str | None = None,
) -> str:
    exit_pass = ExitPass(
        kiosk_id=kiosk_id,
        sale_id=sale_id or str(uuid.uuid4()),
        sequence=7,
        total_minor=2350,
        currency="CNY",
        item_count=3,
        paid_at=paid_at or datetime.now(UTC),
        flags=flags,
    )
    return encode(exit_pass, key.sign(exit_pass.signed_bytes()))


def _register(kiosk: Kiosk) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    answer = kiosk.request("PUT", "/v1/kiosk/exit-key", {"public_key": _key_hex(key)})
    assert answer.status_code == 200, answer.text
    return key


def test_first_use_passes_and_second_use_is_reported(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    keys = payments.op("GET", "/v1/ops/exit-keys").json()
    assert [k["kiosk_id"] for k in keys] == [kiosk.credential.kiosk_id]
    code = _code(key, kiosk.credential.kiosk_id)
    first = kiosk.request("POST", "/v1/exit-codes/verify", {"code": code}).json()
    assert first["ok"] is True
    assert first["reason"] == "valid"
    assert first["total_minor"] == 2350
    # A gate with an operator token scans the same receipt again.
    second = payments.op("POST", "/v1/exit-codes/verify", json={"code": code}).json()
    assert second["ok"] is False
    assert second["reason"] == "already_used"
    assert second["first_used_at"] == first["first_used_at"]
    assert second["times_seen"] == 2
    reuses = payments.op("GET", "/v1/ops/exit-codes/reuses").json()
    assert len(reuses) == 1
    assert reuses[0]["first_used_by"] == f"kiosk:{kiosk.credential.kiosk_id}"
    assert reuses[0]["reused_by"] == "operator:test operator"


def test_tampered_foreign_expired_and_unknown_codes(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    kid = kiosk.credential.kiosk_id

    def verdict(code: str) -> str:
        answer = kiosk.request("POST", "/v1/exit-codes/verify", {"code": code})
        assert answer.status_code == 200, answer.text
        assert answer.json()["ok"] is False
        return str(answer.json()["reason"])

    good = _code(key, kid)
    raw = bytearray(b45decode(good[len(PREFIX) :]))
    raw[-70] ^= 0x01  # one bit of the signed part (the total), signature unchanged
    assert verdict(PREFIX + b45encode(bytes(raw))) == "forged"
    assert verdict(_code(Ed25519PrivateKey.generate(), kid)) == "forged"
    assert verdict(_code(key, "another-kiosk")) == "unknown_kiosk"
    assert verdict(_code(key, kid, paid_at=datetime.now(UTC) - timedelta(hours=3))) == "expired"
    assert (
        verdict(_code(key, kid, paid_at=datetime.now(UTC) + timedelta(hours=1)))
        == "from_the_future"
    )
    assert verdict(_code(key, kid, flags=ExitFlag.TRAINING)) == "training"
    assert verdict("https://example.com/not-ours") == "exit_code_foreign"
    assert verdict(PREFIX + "AAAA") == "exit_code_invalid"
    # None of those counted as a use.
    assert payments.op("GET", "/v1/ops/exit-codes/reuses").json() == []


def test_exit_code_checks_need_a_kiosk_or_an_operator(payments: PaymentsHarness) -> None:
    answer = requests.post(
        payments.url + "/v1/exit-codes/verify", json={"code": "EX1.AAAA"}, timeout=30
    )
    problem(answer, 401, "unsigned")
    bad = requests.post(
        payments.url + "/v1/exit-codes/verify",
        json={"code": "EX1.AAAA"},
        headers={"Authorization": "Bearer cop_x_y"},
        timeout=30,
    )
    problem(bad, 401, "bad_token")
    kiosk = payments.kiosk()
    problem(
        kiosk.request("PUT", "/v1/kiosk/exit-key", {"public_key": "00" * 31}), 422, "validation"
    )


def test_a_kiosk_checks_only_its_own_stores_codes(payments: PaymentsHarness) -> None:
    """Another store's gate neither passes a receipt nor uses it up: the code still opens
    its own store's gate first time. An operator's token is the chain's."""
    till = payments.kiosk("S001")
    code = _code(_register(till), till.credential.kiosk_id)
    elsewhere = payments.kiosk("S002").request("POST", "/v1/exit-codes/verify", {"code": code})
    assert elsewhere.status_code == 200, elsewhere.text
    assert (elsewhere.json()["ok"], elsewhere.json()["reason"]) == (False, "unknown_kiosk")
    assert elsewhere.json()["times_seen"] == 0
    home = payments.kiosk("S001").request("POST", "/v1/exit-codes/verify", {"code": code})
    assert (home.json()["ok"], home.json()["reason"]) == (True, "valid")
    gate = payments.kiosk("S002")
    theirs = _code(_register(gate), gate.credential.kiosk_id)
    by_operator = payments.op("POST", "/v1/exit-codes/verify", json={"code": theirs}).json()
    assert (by_operator["ok"], by_operator["reason"]) == (True, "valid")


def test_two_gates_at_once_one_passes(payments: PaymentsHarness) -> None:
    from concurrent.futures import ThreadPoolExecutor

    kiosk = payments.kiosk()
    key = _register(kiosk)
    code = _code(key, kiosk.credential.kiosk_id)
    gates = [payments.kiosk() for _ in range(2)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(
                lambda i: gates[i % 2].request("POST", "/v1/exit-codes/verify", {"code": code}),
                range(8),
            )
        )
    verdicts = sorted(a.json()["reason"] for a in answers)
    assert verdicts == ["already_used"] * 7 + ["valid"]
    assert len(payments.op("GET", "/v1/ops/exit-codes/reuses").json()) == 7


def test_a_key_change_waits_for_an_operator_and_old_codes_keep_verifying(
    payments: PaymentsHarness,
) -> None:
    kiosk = payments.kiosk()
    kid = kiosk.credential.kiosk_id
    old = _register(kiosk)
    before = _code(old, kid)  # signed while the old key was in force
    # A stolen signing credential alone: the new key is only pending, its codes forged.
    thief = Ed25519PrivateKey.generate()
    answer = kiosk.request("PUT", "/v1/kiosk/exit-key", {"public_key": _key_hex(thief)})
    assert answer.json()["status"] == "pending"
    stolen = _code(thief, kid)
    assert kiosk.request("POST", "/v1/exit-codes/verify", {"code": stolen}).json()["reason"] == (
        "forged"
    )
    # The operator approves a genuine change: new codes verify, the earlier ones too.
    new = Ed25519PrivateKey.generate()
    kiosk.request("PUT", "/v1/kiosk/exit-key", {"public_key": _key_hex(new)})
    approved = payments.op("POST", f"/v1/ops/exit-keys/{kid}/approve").json()
    assert (approved["public_key"], approved["status"]) == (_key_hex(new), "active")
    payments.clock.advance(1)
    for code in (before, _code(new, kid)):
        verdict = kiosk.request("POST", "/v1/exit-codes/verify", {"code": code}).json()
        assert (verdict["ok"], verdict["reason"]) == (True, "valid")
    # The pending thief's key was superseded, not approved.
    assert (
        kiosk.request("POST", "/v1/exit-codes/verify", {"code": _code(thief, kid)}).json()["reason"]
        == "forged"
    )
    problem(payments.op("POST", f"/v1/ops/exit-keys/{kid}/approve"), 404, "no_pending_key")


def test_codes_of_a_revoked_kiosk_are_refused_from_the_revocation_on(
    payments: PaymentsHarness,
) -> None:
    kiosk, gate = payments.kiosk(), payments.kiosk()
    kid = kiosk.credential.kiosk_id
    key = _register(kiosk)
    earlier = _code(key, kid, paid_at=datetime.now(UTC) - timedelta(minutes=1))
    assert payments.op("POST", f"/v1/admin/kiosks/{kid}/revoke").status_code == 204
    later = _code(key, kid, paid_at=datetime.now(UTC) + timedelta(seconds=2))
    refused = gate.request("POST", "/v1/exit-codes/verify", {"code": later}).json()
    assert (refused["ok"], refused["reason"]) == (False, "revoked")
    passed = gate.request("POST", "/v1/exit-codes/verify", {"code": earlier}).json()
    assert (passed["ok"], passed["reason"]) == (True, "valid")


def test_codes_for_sales_never_received_pass_but_are_flagged(payments: PaymentsHarness) -> None:
    kiosk = payments.kiosk()
    key = _register(kiosk)
    sale_id = str(uuid.uuid4())
    verdict = kiosk.request(
        "POST", "/v1/exit-codes/verify", {"code": _code(key, kiosk.credential.kiosk_id,
                                                          sale_id=sale_id)}
    ).json()  # fmt: skip
    assert (verdict["ok"], verdict["sale_known"]) == (True, False)
    [flagged] = payments.op("GET", "/v1/ops/exit-codes/unknown-sales").json()
    assert (flagged["sale_id"], flagged["kiosk_id"]) == (sale_id, kiosk.credential.kiosk_id)
