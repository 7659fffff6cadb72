"""The central database as the store of downloaded WeChat Pay platform certificates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, delete, insert, select

from central.payments.providers.wechat_certs import PlatformCertificate
from central.payments.tables import wechat_certificates as t


class DbCertificateStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load(self, mchid: str) -> list[PlatformCertificate]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.mchid == mchid)).all()
        return [
            PlatformCertificate(r.serial_no, r.certificate.encode(), r.effective_at, r.expire_at)
            for r in rows
        ]

    def save(self, mchid: str, certificates: Sequence[PlatformCertificate], now_ms: int) -> None:
        """The set held now replaces the one stored (expired certificates drop out)."""
        with self._engine.begin() as conn:
            conn.execute(delete(t).where(t.c.mchid == mchid))
            if certificates:
                conn.execute(
                    insert(t),
                    [
                        {
                            "mchid": mchid,
                            "serial_no": c.serial,
                            "certificate": c.pem.decode(),
                            "effective_at": c.effective_ms,
                            "expire_at": c.expire_ms,
                            "fetched_at": now_ms,
                        }
                        for c in certificates
                    ],
                )
