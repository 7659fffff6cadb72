"""The central service's errors: one root; each maps to one HTTP status and problem type.

CentralError
├── ConfigError          the service cannot start as configured (no secret key, bad URL)
├── Unauthorized   401   unsigned, wrongly signed, expired, replayed, unknown or revoked credential
├── Forbidden      403   authenticated, but not allowed (e.g. a kiosk writing for another kiosk)
├── EnrolmentRefused 403 the one-time code is unknown, used or expired
├── NotFound       404   no such member, kiosk, …
├── Invalid        422   well-formed JSON that breaks a rule the schema cannot express
├── PayloadTooLarge 413  the request body is over the configured limit
├── TooManyAttempts 429  too many wrong enrolment codes or operator tokens from one address
├── CursorExpired  410   a pull cursor from another database or an older epoch: pull from scratch
└── Unavailable    503   the database is unreachable or busy: retry later

`reason` is a stable machine code for clients; the message is plain English. `say` names
the same refusal's words in the console's other languages (`central.admin.refusals`), filled
with `params`: a reason code covers several messages (`bad_policy`: a required value, a
share, a currency), and clients keep matching on the reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.domain.errors import KioskError


class CentralError(Exception):
    """Root of everything the central service raises on purpose."""

    status: int = 500
    reason: str = "error"
    title: str = "Internal error"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        say: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        self.say = say
        self.params: Mapping[str, object] = params or {}


class ConfigError(CentralError):
    reason = "config"
    title = "Configuration error"


class Unauthorized(CentralError):
    status = 401
    reason = "unauthorized"
    title = "Not authenticated"


class Forbidden(CentralError):
    status = 403
    reason = "forbidden"
    title = "Forbidden"


class TooManyAttempts(CentralError):
    status = 429
    reason = "throttled"
    title = "Too many attempts"


class EnrolmentRefused(CentralError):
    status = 403
    reason = "enrolment_refused"
    title = "Enrolment refused"


class NotFound(CentralError):
    status = 404
    reason = "not_found"
    title = "Not found"


class Invalid(CentralError):
    status = 422
    reason = "invalid"
    title = "Unprocessable request"

    @classmethod
    def of(cls, exc: KioskError | ValueError, reason: str, message: str = "") -> Invalid:
        """A domain validator's refusal (an offer's field, a catalog row's, an amount) as
        the service's, its words kept for the console (`KioskError.say`; a ValueError has
        none, and keeps its English)."""
        words = exc if isinstance(exc, KioskError) else KioskError(str(exc))
        return cls(message or words.message, reason=reason, say=words.say or None,
                   params=words.params)  # fmt: skip


class PayloadTooLarge(CentralError):
    status = 413
    reason = "too_large"
    title = "Request body too large"


class CursorExpired(CentralError):
    status = 410
    reason = "cursor_expired"
    title = "Cursor expired"


class Unavailable(CentralError):
    status = 503
    reason = "unavailable"
    title = "Service unavailable"
