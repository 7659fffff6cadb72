"""Who is calling: a signed request as received, and the caller its check proved.

Plain values, so every feature's service can take an `AuthedKiosk` without depending
on the kiosks feature that checks signatures (`central.kiosks.service`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuthedKiosk:
    kiosk_id: str
    store_id: str
    key_id: str


@dataclass(frozen=True, slots=True)
class AuthedOperator:
    token_id: str
    name: str


@dataclass(frozen=True, slots=True)
class SignedRequest:
    method: str
    path: str
    query: str
    body: bytes
    headers: Mapping[str, str]
