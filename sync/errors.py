"""The sync layer's errors: one root, each a plain-words reason the UI can show.

SyncError
├── NotEnrolled           the kiosk has no credential yet (`kiosk enroll`)
├── EnrolmentRefused      the central service refused the enrolment code
├── TransportError        the service could not be reached or answered 5xx / garbage
│   └── RetriesExhausted  every retry of one request failed
├── AuthRefused           the service refused the kiosk's credential (revoked, clock skew)
└── ProtocolError         the service answered 4xx with a problem document we cannot fix by retrying

Every error carries `reason` (a stable machine code) and an English message.
"""

from __future__ import annotations


class SyncError(Exception):
    """Root of everything `sync` raises on purpose."""

    reason: str = "sync"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class NotEnrolled(SyncError):
    reason = "not_enrolled"


class EnrolmentRefused(SyncError):
    reason = "enrolment_refused"


class TransportError(SyncError):
    reason = "transport"


class RetriesExhausted(TransportError):
    reason = "retries_exhausted"


class AuthRefused(SyncError):
    reason = "auth_refused"


class ProtocolError(SyncError):
    """A 4xx answer. `status` and `problem` come from the service's problem document."""

    reason = "protocol"

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        problem: dict[str, object] | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason)
        self.status = status
        self.problem = problem or {}
