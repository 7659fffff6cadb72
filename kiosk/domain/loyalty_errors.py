"""Errors of the loyalty part of the core (members, coupons, promotions, points).

KioskError (kiosk.domain.errors)
└── LoyaltyError            anything the loyalty engine refuses, with a `reason`
    ├── OfferError          a promotion or coupon definition is invalid (bad CSV row, feed item)
    ├── MemberError         a member code, phone or sign-up is refused
    ├── CouponRejected      a coupon cannot be used in this cart (`reason` says why)
    └── PointsError         a points redemption is refused (balance, offline cap)
"""

from __future__ import annotations

from kiosk.domain.errors import KioskError, Reason


class LoyaltyError(KioskError):
    reason = Reason.LOYALTY


class OfferError(LoyaltyError):
    reason = Reason.BAD_OFFER


class MemberError(LoyaltyError):
    reason = Reason.MEMBER


class CouponRejected(LoyaltyError):
    reason = Reason.COUPON_REJECTED


class PointsError(LoyaltyError):
    reason = Reason.POINTS
