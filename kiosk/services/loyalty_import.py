"""Load promotions and coupons from CSV straight into a kiosk's cache: for a store that
runs without a central service, for demos, and for tests. The format is the one the
central service imports (docs/loyalty.md); all rows or none, the first bad row named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.domain.coupons import coupon_from_csv, coupon_to_wire
from kiosk.domain.errors import KioskError
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.promotions import offer_rows, promotion_from_csv, promotion_to_wire
from kiosk.store.loyalty import COUPON, PROMOTION
from kiosk.store.uow import KioskStore

Parser = Callable[[dict[str, str], tzinfo], tuple[str, dict[str, object]]]


def _promotion(row: dict[str, str], tz: tzinfo) -> tuple[str, dict[str, object]]:
    p = promotion_from_csv(row, tz)
    return p.promotion_id, promotion_to_wire(p)


def _coupon(row: dict[str, str], tz: tzinfo) -> tuple[str, dict[str, object]]:
    c = coupon_from_csv(row, tz)
    return c.coupon_id, coupon_to_wire(c)


KINDS: dict[str, tuple[str, Parser]] = {
    "promotions": (PROMOTION, _promotion),
    "coupons": (COUPON, _coupon),
}


@dataclass(frozen=True, slots=True)
class OfferImport:
    kind: str
    imported: int


def import_offers(
    store: KioskStore, path: Path, kind: str, timezone: str = "Asia/Shanghai"
) -> OfferImport:
    """Import `path` as `kind` ("promotions" or "coupons"); dates are in `timezone`."""
    if kind not in KINDS:
        raise OfferError(f"cannot import {kind!r}: choose promotions or coupons")
    offer_kind, parse = KINDS[kind]
    tz = ZoneInfo(timezone)
    items = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in offer_rows(handle):
                try:
                    items.append(parse(row, tz))
                except (KioskError, ValueError) as exc:
                    raise OfferError(f"row {number}: {exc}") from exc
    except OfferError as exc:
        raise OfferError(f"{path.name} {exc}") from exc
    except UnicodeDecodeError as exc:
        raise OfferError(f"{path.name} is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise OfferError(f"cannot read {path}: {exc}") from exc
    store.loyalty.put_offers(offer_kind, items)
    return OfferImport(kind, len(items))
