"""WeChat Pay platform keys: what a downloaded certificate list must prove before any
key in it is trusted, and when a trusted key stops being used."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import strategies as st

from central.payments.providers import wechat_crypto as wc
from central.payments.providers.wechat_certs import (
    ON_DEMAND_GAP_MS,
    CertificateRefused,
    PlatformCertificate,
    PlatformKeys,
    decrypt_listing,
)
from simulators.wechat_pay import SimCertificate, WeChatSimulator

APIV3 = b"0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


class MemoryStore:
    def __init__(self) -> None:
        self.saved: dict[str, list[PlatformCertificate]] = {}

    def load(self, mchid: str) -> list[PlatformCertificate]:
        return list(self.saved.get(mchid, []))

    def save(self, mchid: str, certificates: Sequence[PlatformCertificate], now_ms: int) -> None:
        self.saved[mchid] = list(certificates)


@pytest.fixture(scope="module")
def sim() -> WeChatSimulator:
    simulator = WeChatSimulator(mode="certificate", apiv3_key=APIV3)
    simulator.certificates.clear()
    simulator.issue_certificate(NOW - timedelta(days=30), days=365)
    simulator.use(simulator.certificates[0].serial)
    return simulator


def _answer(sim: WeChatSimulator) -> tuple[dict[str, str], bytes]:
    body = json.dumps(sim.certificate_list()).encode()
    return sim.sign_answer(body), body


def _keys(store: MemoryStore | None = None, now: list[int] | None = None) -> PlatformKeys:
    clock = now or [NOW_MS]
    return PlatformKeys("1900000109", {}, store or MemoryStore(), lambda: clock[0])


def test_first_download_is_trusted_through_the_apiv3_key_and_its_own_signature(
    sim: WeChatSimulator,
) -> None:
    keys = _keys()
    assert keys.due()
    assert keys.key(sim.platform_serial) is None
    headers, body = _answer(sim)
    assert keys.accept(headers, body, APIV3) == [sim.platform_serial]
    assert keys.key(sim.platform_serial) is not None
    assert keys.key(sim.platform_serial.lower()) is not None, "serials compare as hex"
    assert not keys.due()


def test_a_list_that_is_tampered_or_signed_by_a_stranger_changes_nothing(
    sim: WeChatSimulator,
) -> None:
    store = MemoryStore()
    keys = _keys(store)
    headers, body = _answer(sim)
    keys.accept(headers, body, APIV3)
    held = store.saved["1900000109"]
    with pytest.raises(CertificateRefused, match="APIv3"):
        keys.accept(headers, body, b"x" * 32)
    forged = body.replace(b'"data"', b'"data" ', 1)
    with pytest.raises(CertificateRefused, match="not signed"):
        keys.accept(headers, forged, APIV3)
    with pytest.raises(CertificateRefused, match="unknown serial"):
        keys.accept({**headers, "Wechatpay-Serial": "AB" * 20}, body, APIV3)
    assert store.saved["1900000109"] == held
    assert keys.key(sim.platform_serial) is not None


def test_a_certificate_listed_under_another_serial_is_refused(sim: WeChatSimulator) -> None:
    listing = sim.certificate_list()
    listing["data"][0]["serial_no"] = "1" * 40
    with pytest.raises(CertificateRefused, match="another serial"):
        decrypt_listing(json.dumps(listing).encode(), APIV3)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=12,
    )
)
def test_any_answer_body_is_either_certificates_or_a_refusal(doc: object) -> None:
    body = json.dumps({"data": doc}).encode()
    with contextlib.suppress(CertificateRefused):
        assert decrypt_listing(body, APIV3) == []


def test_certificates_are_used_only_within_their_validity_and_survive_a_restart(
    sim: WeChatSimulator,
) -> None:
    store = MemoryStore()
    clock = [NOW_MS]
    keys = _keys(store, clock)
    keys.accept(*_answer(sim), APIV3)
    restarted = _keys(store, clock)
    assert restarted.key(sim.platform_serial) is not None, "read back from the store"
    assert restarted.due(), "a restart downloads again at the next call"
    clock[0] = int((NOW + timedelta(days=336)).timestamp() * 1000)
    assert restarted.key(sim.platform_serial) is None, "expired"
    clock[0] = int((NOW - timedelta(days=31)).timestamp() * 1000)
    assert restarted.key(sim.platform_serial) is None, "not yet effective"


def test_a_pinned_certificate_expires_and_a_pinned_public_key_does_not(
    sim: WeChatSimulator,
) -> None:
    cert: SimCertificate = sim.certificates[0]
    clock = [NOW_MS]
    keys = PlatformKeys(
        "1900000109",
        {cert.serial: cert.pem, "PUB_KEY_ID_1": wc_public_pem(cert)},
        None,
        lambda: clock[0],
    )
    assert not keys.downloads
    assert not keys.due()
    assert not keys.may_ask("AB")
    assert keys.key(cert.serial) is not None
    assert keys.key("PUB_KEY_ID_1") is not None
    clock[0] = int((NOW + timedelta(days=400)).timestamp() * 1000)
    assert keys.key(cert.serial) is None
    assert keys.key("PUB_KEY_ID_1") is not None


def wc_public_pem(cert: SimCertificate) -> bytes:
    return cert.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_unknown_serials_may_ask_for_a_download_once_a_minute() -> None:
    clock = [NOW_MS]
    keys = _keys(None, clock)
    assert keys.may_ask("A1")
    assert not keys.may_ask("A2")
    clock[0] += ON_DEMAND_GAP_MS - 1
    assert not keys.may_ask("A3")
    clock[0] += 1
    assert keys.may_ask("A4")


def test_the_listing_decrypts_what_the_simulator_sealed(sim: WeChatSimulator) -> None:
    (cert,) = decrypt_listing(json.dumps(sim.certificate_list()).encode(), APIV3)
    assert cert.serial == sim.platform_serial
    assert wc.load_public_key(cert.pem).public_numbers() == (
        sim.platform_key.public_key().public_numbers()
    )
