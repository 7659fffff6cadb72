"""WeChat Pay platform keys: pinned ones, and platform certificates downloaded and rotated.

WeChat Pay signs every answer and callback with a platform key and names it in the
`Wechatpay-Serial` header. Merchants either pin WeChat's **platform public key**
(serial `PUB_KEY_ID_…`; changed by hand in the merchant portal) or use **platform
certificates**, which WeChat renews before they expire: a new certificate is listed
by `GET /v3/certificates` ahead of time, and WeChat later switches to signing with
it. A merchant that follows the documented flow keeps working across the switch:

- download the list on start and every 12 hours (WeChat recommends refreshing well
  inside the overlap of the old and the new certificate), and store it, so callbacks
  verify after a restart even while WeChat's API is not reachable;
- on a serial it does not know, download once more (at most once a minute, so forged
  serials cannot make it hammer WeChat) and look again;
- trust a downloaded certificate only if it decrypts with the APIv3 key (AES-256-GCM:
  only WeChat and the merchant hold that key), its own serial number is the one listed,
  and the list's answer is signed by a key already trusted or, on the very first
  download, by one of the certificates in it (WeChat's documented bootstrap);
- never use a certificate outside its validity, nor one WeChat no longer lists.

Both modes work together (WeChat's migration from certificates to the public key signs
with either for a while): a pinned key and downloaded certificates are looked up by the
same serial.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from central.payments.errors import ProviderRefused
from central.payments.providers import wechat_crypto as wc

CERTIFICATES = "/v3/certificates"
REFRESH_EVERY_MS = 12 * 3600 * 1000
# On-demand downloads (an unknown serial) at most this often.
ON_DEMAND_GAP_MS = 60 * 1000


class CertificateRefused(ProviderRefused):
    """A downloaded certificate list that cannot be trusted; nothing from it is used."""

    reason = "certificates_refused"
    title = "WeChat Pay certificates refused"


@dataclass(frozen=True, slots=True)
class PlatformCertificate:
    serial: str  # upper-case hex, as in `Wechatpay-Serial`
    pem: bytes
    effective_ms: int
    expire_ms: int

    def valid_at(self, now_ms: int) -> bool:
        return self.effective_ms <= now_ms < self.expire_ms


class CertificateStore(Protocol):
    """Where downloaded certificates are kept across restarts (the central database)."""

    def load(self, mchid: str) -> list[PlatformCertificate]: ...

    def save(
        self, mchid: str, certificates: Sequence[PlatformCertificate], now_ms: int
    ) -> None: ...


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def certificate_of(serial: str, pem: bytes) -> PlatformCertificate:
    """A platform certificate checked against the serial it was listed under."""
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise CertificateRefused(f"certificate {serial} does not parse: {exc}") from None
    try:
        listed = int(serial, 16)
    except ValueError:
        raise CertificateRefused(f"serial {serial!r} is not hexadecimal") from None
    if cert.serial_number != listed:
        raise CertificateRefused(f"certificate listed as {serial} carries another serial")
    if not isinstance(cert.public_key(), rsa.RSAPublicKey):
        raise CertificateRefused(f"certificate {serial} does not hold an RSA key")
    return PlatformCertificate(
        serial.upper(),
        pem,
        _ms(cert.not_valid_before_utc),
        _ms(cert.not_valid_after_utc),
    )


def decrypt_listing(body: bytes, apiv3_key: bytes) -> list[PlatformCertificate]:
    """The certificates of a `GET /v3/certificates` answer, each decrypted and checked."""
    try:
        entries = json.loads(body)["data"]
        if not isinstance(entries, list):
            raise TypeError("data is not a list")
        out = []
        for entry in entries:
            sealed = entry["encrypt_certificate"]
            if sealed.get("algorithm") != "AEAD_AES_256_GCM":
                raise CertificateRefused(f"unknown algorithm {sealed.get('algorithm')!r}")
            pem = wc.decrypt_resource(
                apiv3_key,
                str(sealed["nonce"]),
                str(sealed.get("associated_data", "")),
                str(sealed["ciphertext"]),
            )
            out.append(certificate_of(str(entry["serial_no"]), pem))
    except wc.WeChatCryptoError:
        raise CertificateRefused("a certificate does not decrypt with the APIv3 key") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CertificateRefused(f"malformed certificate list: {exc}") from None
    return out


class PlatformKeys:
    """The platform keys one merchant account trusts, by serial."""

    def __init__(
        self,
        mchid: str,
        pinned: Mapping[str, bytes],
        store: CertificateStore | None,
        clock_ms: Callable[[], int],
    ) -> None:
        self._mchid = mchid
        self._pinned = {s: wc.load_public_key(p) for s, p in pinned.items()}
        self._pinned_until = {
            s: certificate_of(s, p).expire_ms
            for s, p in pinned.items()
            if b"BEGIN CERTIFICATE" in p
        }
        self._store = store
        self._clock = clock_ms
        self._downloaded: dict[str, tuple[PlatformCertificate, rsa.RSAPublicKey]] = {}
        self._fetched_at: int | None = None
        self._asked_at: int | None = None
        if store is not None:
            self._remember(store.load(mchid))

    @property
    def downloads(self) -> bool:
        return self._store is not None

    def _remember(self, certificates: Sequence[PlatformCertificate]) -> None:
        for c in certificates:
            self._downloaded[c.serial] = (c, wc.load_public_key(c.pem))

    def key(self, serial: str) -> rsa.RSAPublicKey | None:
        """The key for a serial, if trusted and valid now."""
        now = self._clock()
        if serial in self._pinned:
            until = self._pinned_until.get(serial)
            return self._pinned[serial] if until is None or now < until else None
        held = self._downloaded.get(serial.upper())
        if held is None or not held[0].valid_at(now):
            return None
        return held[1]

    def certificates(self) -> list[PlatformCertificate]:
        return sorted((c for c, _ in self._downloaded.values()), key=lambda c: c.effective_ms)

    def due(self) -> bool:
        """A scheduled download is due (never made, or older than 12 hours)."""
        if not self.downloads:
            return False
        return self._fetched_at is None or self._clock() - self._fetched_at >= REFRESH_EVERY_MS

    def may_ask(self, serial: str) -> bool:
        """An unknown serial may trigger a download now (and the attempt is counted)."""
        if not self.downloads or serial in self._pinned:
            return False
        now = self._clock()
        if self._asked_at is not None and now - self._asked_at < ON_DEMAND_GAP_MS:
            return False
        self._asked_at = now
        return True

    def accept(self, headers: Mapping[str, str], body: bytes, apiv3_key: bytes) -> list[str]:
        """Take a `GET /v3/certificates` answer: check it, keep and store what is new.

        Returns the serials now held. Raises `CertificateRefused` (keeping the keys held
        before) when the list or its signature cannot be trusted."""
        listed = decrypt_listing(body, apiv3_key)
        h = {k.lower(): v for k, v in headers.items()}
        serial = h.get("wechatpay-serial", "")
        signer = self.key(serial)
        if signer is None:
            first = {c.serial: c for c in listed}.get(serial.upper())
            if first is None:
                raise CertificateRefused(f"the list is signed by unknown serial {serial!r}")
            signer = wc.load_public_key(first.pem)
        message = wc.response_message(
            h.get("wechatpay-timestamp", ""), h.get("wechatpay-nonce", ""), body
        )
        if not wc.rsa_verify(signer, message, h.get("wechatpay-signature", "")):
            raise CertificateRefused("the certificate list is not signed by WeChat Pay")
        now = self._clock()
        # The list is what WeChat stands behind now: a certificate no longer listed
        # (withdrawn) is no longer trusted.
        self._downloaded.clear()
        self._remember([c for c in listed if c.expire_ms > now])
        if self._store is not None:
            self._store.save(self._mchid, self.certificates(), now)
        self._fetched_at = now
        return [c.serial for c in self.certificates()]

    def status(self) -> list[dict[str, Any]]:
        now = self._clock()
        rows: list[dict[str, Any]] = [
            {"serial": s, "source": "pinned", "expire_ms": self._pinned_until.get(s)}
            for s in sorted(self._pinned)
        ]
        rows += [
            {
                "serial": c.serial,
                "source": "downloaded",
                "effective_ms": c.effective_ms,
                "expire_ms": c.expire_ms,
                "valid": c.valid_at(now),
            }
            for c in self.certificates()
        ]
        return rows
