"""Errors of the loyalty part of the core (members, coupons, promotions, points).

KioskError (kiosk.domain.errors)
└── LoyaltyError            anything the loyalty engine refuses, with a `reason`
    ├── OfferError          a promotion or coupon definition is invalid (bad CSV row, feed item)
    ├── MemberError         a member code, phone or sign-up is refused
    ├── CouponRejected      a coupon cannot be used in this cart (`reason` says why)
    └── PointsError         a points redemption is refused (balance, offline cap)
"""

from __future__ import annotations

from kiosk.domain.errors import KioskError


class LoyaltyError(KioskError):
    reason = "loyalty"


class OfferError(LoyaltyError):
    reason = "bad_offer"


class MemberError(LoyaltyError):
    reason = "member"


class CouponRejected(LoyaltyError):
    reason = "coupon_rejected"


class PointsError(LoyaltyError):
    reason = "points"
