"""Exit-pass audits: which paid sales staff check the bag of before the exit pass is given.

The store's policy (`kiosk.domain.policy.AuditPolicy`) names a share of sales in basis
points and an amount over which every sale is checked. The share is drawn from an
HMAC-SHA256 of the sale id under a key only the kiosk holds
(`kiosk.services.exit_codes.ExitCodeSigner.audit_key`):

- **deterministic**: the same sale always gets the same answer (a restart, a replay of the
  done screen, or a test never draw again, so nobody can retry their way out of a check);
- **not predictable by the shopper**: without the key the draw is a uniform number, and the
  sale id is only known once the sale is paid; neither the time, the basket nor the
  sequence number gives it away (a hash of the sale id alone could be computed by anyone
  who knows the id format, and `random` would not be repeatable);
- **exact in integers**: the first 8 bytes of the MAC, modulo 10,000, are below the rate
  with probability rate / 10,000 (the modulo bias of 2⁶⁴ mod 10⁴ is below 10⁻¹⁵).
"""

from __future__ import annotations

import enum
import hashlib
import hmac

from kiosk.domain.policy import BASIS_POINTS, AuditPolicy


class AuditCause(enum.StrEnum):
    """Why a sale was picked: journalled with the alert, so reports can tell the two apart."""

    AMOUNT = "amount"
    """The total is over the store's amount: every such sale is checked."""
    DRAWN = "drawn"
    """The sale came up in the random share."""


def audit_draw(key: bytes, sale_id: str) -> int:
    """The sale's draw, 0..9,999: uniform for anyone without `key`."""
    mac = hmac.new(key, sale_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "big") % BASIS_POINTS


def select_for_audit(
    policy: AuditPolicy, key: bytes, sale_id: str, total_minor: int
) -> AuditCause | None:
    """Whether (and why) staff check this sale's bag before its exit pass is given."""
    if policy.over_minor is not None and total_minor > policy.over_minor:
        return AuditCause.AMOUNT
    if policy.rate_bp and audit_draw(key, sale_id) < policy.rate_bp:
        return AuditCause.DRAWN
    return None
