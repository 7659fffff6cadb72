"""The loyalty side of a finished sale: points earned and spent, coupons redeemed,
written once and queued for the central service.

`build_core` has the checkout call `book_sale` with every sale it commits. The sale and
its booking are two transactions; the cart's coupons and points stay saved until the
booking has run, and `recover()` books at start-up any paid sale a crash left unbooked,
so nothing is lost and nothing is booked twice (`LoyaltyRepository.booked`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.domain.coupons import COUPON_RULE_PREFIX
from kiosk.domain.ids import IdFactory
from kiosk.domain.ledger import LedgerEvent, LedgerKind
from kiosk.domain.money import Money
from kiosk.domain.offers import POINTS_RULE_PREFIX
from kiosk.domain.sale import Sale, SaleStatus
from kiosk.services.loyalty import LoyaltySettings, OfferCatalog
from kiosk.services.members import Members
from kiosk.services.ports import Clock
from kiosk.store.loyalty import Redemption
from kiosk.store.uow import KioskStore


@dataclass(frozen=True, slots=True)
class Booked:
    """What `book_sale` wrote: ledger events and coupon redemptions (all queued to sync)."""

    events: tuple[LedgerEvent, ...] = ()
    redemptions: tuple[Redemption, ...] = ()


class LoyaltyBooking:
    def __init__(
        self,
        store: KioskStore,
        members: Members,
        catalog: OfferCatalog,
        settings: LoyaltySettings,
        clock: Clock,
        ids: IdFactory,
        store_id: str,
    ) -> None:
        self._store = store
        self._repo = store.loyalty
        self._members = members
        self._catalog = catalog
        self._settings = settings
        self._clock = clock
        self._ids = ids
        self._store_id = store_id

    def book_sale(self, sale: Sale) -> Booked:
        """Book a sale the checkout has just committed (paid or voided)."""
        with self._store.transaction():
            if self._repo.session(sale.sale_id) is None and not _has_loyalty(sale):
                return Booked()
            booked = self._book(sale.to_wire()) if sale.status is SaleStatus.PAID else Booked()
            self._repo.delete_session(sale.sale_id)
        return booked

    def recover(self, current_cart_id: str) -> int:
        """Book sales a crash left unbooked (their loyalty state is still saved), and
        forget the loyalty state of carts abandoned before the current one. Run once at
        start-up; returns how many sales it settled."""
        self._repo.delete_stale_sessions(current_cart_id)
        count = 0
        for sale_id in self._repo.sessions_of_finished_sales():
            document = self._store.sales.document(sale_id)
            with self._store.transaction():
                if document is not None and document["status"] == SaleStatus.PAID.value:
                    self._book(document)
                self._repo.delete_session(sale_id)
            count += 1
        return count

    def _book(self, document: Mapping[str, Any]) -> Booked:
        sale_id = str(document["sale_id"])
        if self._repo.booked(sale_id):
            return Booked()  # a second call (retry, recovery after a crash) books nothing
        if document.get("training"):
            # Practice sales move no real points or coupons (the central service
            # refuses points from them as `sale_not_paid`).
            return Booked()
        now = self._clock.now()
        at = now.isoformat()
        member_id = document.get("member_id")
        currency = str(document["currency"])
        events: list[LedgerEvent] = []
        redemptions: list[Redemption] = []
        session = self._repo.session(sale_id) or {"grants": []}
        sources = {g["code"]: g["source"] for g in session.get("grants", [])}
        member = self._members.cached(member_id) if member_id else None
        online = member is not None and self._members.is_online(member.member_id)
        for d in document.get("discounts", []):
            rule_id = str(d["rule_id"])
            if rule_id.startswith(COUPON_RULE_PREFIX):
                _, coupon_id, code = rule_id.split(":", 2)
                definition = self._catalog.coupon(coupon_id)
                redemption = Redemption(
                    self._ids.new(),
                    code,
                    coupon_id,
                    member_id,
                    sale_id,
                    at,
                    {
                        "amount_minor": int(d["amount_minor"]),
                        "currency": currency,
                        "source": sources.get(code, "printed"),
                        "offline": not online,
                        "campaign_id": definition.campaign_id if definition else "",
                        "kind": definition.kind.value if definition else "",
                    },
                )
                self._repo.add_redemption(redemption)
                self._store.outbox.add(
                    "coupon_redemption",
                    redemption.redemption_id,
                    _redemption_wire(redemption, self._store_id),
                    now,
                )
                redemptions.append(redemption)
            elif rule_id.startswith(POINTS_RULE_PREFIX) and member_id:
                rule = self._settings.points
                spent = int(d["amount_minor"]) // rule.unit_minor * rule.points_per_unit
                events.append(
                    LedgerEvent(
                        self._ids.new(),
                        member_id,
                        LedgerKind.REDEEM,
                        -spent,
                        at,
                        sale_id,
                        {"amount_minor": int(d["amount_minor"]), "offline": not online},
                    )
                )
        if member_id:
            tiers = self._catalog.tiers()
            paid = int(document["total_minor"]) - int(document.get("deposit_minor", 0))
            tier = member.tier if member else tiers.base.tier
            multiplier = tiers.rule(tier).points_multiplier_bp
            earned = self._settings.points.earned(Money(max(paid, 0), currency), multiplier)
            if earned > 0:
                events.append(
                    LedgerEvent(
                        self._ids.new(),
                        member_id,
                        LedgerKind.EARN,
                        earned,
                        at,
                        sale_id,
                        {"paid_minor": paid, "tier": tier, "multiplier_bp": multiplier},
                    )
                )
        for event in events:
            self._repo.append_event(event)
            self._store.outbox.add("ledger", event.event_id, event.to_wire(), now)
        return Booked(tuple(events), tuple(redemptions))


def _has_loyalty(sale: Sale) -> bool:
    return sale.cart.member_id is not None or any(
        d.rule_id.startswith(COUPON_RULE_PREFIX) for d in sale.priced.discounts
    )


def _redemption_wire(r: Redemption, store_id: str) -> dict[str, Any]:
    """The `coupon_redemption` outbox row: what the central service's loyalty API takes."""
    return {
        "redemption_id": r.redemption_id,
        "code": r.code,
        "coupon_id": r.coupon_id,
        "member_id": r.member_id,
        "sale_id": r.sale_id,
        "store_id": store_id,
        "at": r.at,
        "amount_minor": int(r.data["amount_minor"]),
        "currency": str(r.data["currency"]),
        "source": str(r.data["source"]),
        "offline": bool(r.data["offline"]),
    }
