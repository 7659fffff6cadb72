"""Errors of the payment providers; all are `CentralError`s, so they become problems.

CentralError
├── Invalid                     422
│   ├── PaymentConflict             same payment id, different body
│   └── UnknownProvider             the store has no such provider configured
├── NotifyRefused          4xx/5xx  a provider callback that is not proven (signature,
│                                   replay, unknown order, mismatch): nothing changes
├── ProviderRefused         502     the provider answered, but said no (bad parameters)
│   └── CertificateRefused          WeChat Pay certificates that cannot be trusted
└── ProviderUnavailable     503     the provider did not answer in time: retry
"""

from __future__ import annotations

from central.errors import CentralError, Invalid


class PaymentConflict(Invalid):
    reason = "payment_conflict"


class UnknownProvider(Invalid):
    reason = "unknown_provider"


class NotifyRefused(CentralError):
    """A callback that is refused. `status` is what the provider is answered with."""

    title = "Callback refused"

    def __init__(self, message: str, *, reason: str, status: int = 400) -> None:
        super().__init__(message, reason=reason)
        self.status = status


class ProviderRefused(CentralError):
    status = 502
    reason = "provider_refused"
    title = "Payment provider refused"


class NoPublicUrl(CentralError):
    """Real payments need the service's own address configured (`CENTRAL_PUBLIC_URL`):
    QR codes, callbacks and receipt links are never built from a request's unsigned Host."""

    status = 503
    reason = "no_public_url"


class ProviderUnavailable(CentralError):
    status = 503
    reason = "provider_unavailable"
    title = "Payment provider unavailable"
