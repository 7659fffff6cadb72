"""The offers engine: which promotions, coupons and points apply to a cart, in what order,
and what the shopper could still gain. Deterministic, pure, and fast enough to run on
every scan (an index by GTIN, brand and category keeps it linear in the cart).

The rules, in the order the engine applies them (docs/loyalty.md says the same):
1. **Member prices** (`tier_price`): a price change, not a promotion. A line's price
   for the member's tier replaces the shelf price (the lowest wins if several match);
   everything below computes on member prices.
2. **Item promotions**, by `priority` (lower first; the store's order). Within one
   priority, the *non-stackable* promotions compete for units: the engine takes the one
   that saves the shopper most, then re-evaluates the rest on the units left (ties: the
   smaller promotion id), so a unit is in at most one non-stackable promotion. Then the
   *stackable* promotions of that priority apply on top, in promotion-id order, on
   what is left of every unit in scope. A lower priority number always goes first,
   even if a later one would save more: that is the store's call.
3. **Basket promotions** (spend thresholds), by priority the same way; a non-stackable
   basket promotion takes its lines, so two of them never count the same goods.
4. **Coupons**, on what the promotions left (a coupon's minimum spend counts prices
   after promotions): at most one *non-stackable* coupon per sale (the one that saves
   most; the others are refused as `not_combinable`), then every *stackable* coupon.
   Item, brand and category coupons before basket coupons; then by coupon id and code.
5. **Points** redemption, last, on what is left.
Every discount names its promotion or coupon. Discounts never exceed what is left on
their lines (the pricing core also caps them), so a total can never go negative.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse
from operator import attrgetter

from kiosk.domain.basket import BASIS_POINTS, Basket, BasketLine, ScopeIndex
from kiosk.domain.catalog import Unit as SaleUnit
from kiosk.domain.coupons import (
    CouponDefinition,
    CouponGrant,
    CouponKind,
    CouponRefusal,
    CouponUsage,
    CouponVerdict,
    coupon_outcome,
    precheck,
)
from kiosk.domain.money import Money, divide
from kiosk.domain.pricing import GRAMS_PER_KG, Discount, PricedLine, PricingContext
from kiosk.domain.promotions import (
    ITEM_KINDS,
    Application,
    Promotion,
    PromotionKind,
    evaluate_basket,
    evaluate_item,
    is_reward,
)

POINTS_RULE_PREFIX = "points:"

# The kinds the engine compares per promotion on every scan, as module names: a lookup
# on the enum class takes its metaclass's slow path (`EnumType.__getattr__`).
_PERCENT_OFF, _MULTI_BUY = PromotionKind.PERCENT_OFF, PromotionKind.MULTI_BUY
_N_FOR_PRICE, _BUY_X_GET_Y = PromotionKind.N_FOR_PRICE, PromotionKind.BUY_X_GET_Y
_TIER_PRICE, _BASKET = PromotionKind.TIER_PRICE, PromotionKind.BASKET
_ADD_ITEMS_KINDS = ITEM_KINDS - {_BUY_X_GET_Y}  # those with an "add N more" hint

# A line's role for a promotion the index finds near it (see `OfferEngine._promos_for`).
_MAIN, _REWARD, _NEAR = 1, 2, 0
_LINE_CACHE_LIMIT = 100_000  # kinds of line remembered per engine (a catalog's worth)
_UNITS, _TAKEN, _INDEX = attrgetter("units"), attrgetter("taken"), attrgetter("index")
_BASKET_TAKEN = attrgetter("basket_taken")
_SPEND = attrgetter("spend")


@dataclass(frozen=True, slots=True)
class Hint:
    """A next-best offer: "add 1 more for 3 for 2", "spend ¥12.30 more for ¥10 off".

    `message` is English for logs; the UI builds its own text from the fields.
    """

    rule_id: str
    name: str
    kind: str  # "add_items" | "spend_more"
    need_units: int
    need_amount: Money | None
    saving: Money
    message: str


@dataclass(frozen=True, slots=True)
class PointsRequest:
    """Spend up to `points` of the member's balance: `points_per_unit` points are worth
    `unit_minor` (100 points = ¥1.00 by default)."""

    member_id: str
    points: int
    points_per_unit: int = 100
    unit_minor: int = 100


@dataclass(frozen=True, slots=True)
class OfferSession:
    """Who is shopping and what they brought: member, tier, coupons, points to spend."""

    member_id: str | None = None
    tier: str | None = None
    grants: tuple[CouponGrant, ...] = ()
    usage: CouponUsage = field(default_factory=CouponUsage)
    online: bool = True
    points: PointsRequest | None = None


@dataclass(frozen=True, slots=True)
class OfferResult:
    discounts: tuple[Discount, ...]
    verdicts: tuple[CouponVerdict, ...]
    hints: tuple[Hint, ...]
    points_used: int = 0
    applied: tuple[str, ...] = field(default=())  # promotion and coupon ids, in order

    def verdict(self, code: str) -> CouponVerdict | None:
        return next((v for v in self.verdicts if v.code == code), None)


class OfferEngine:
    """The active offers, indexed once (rebuild when the promotion or coupon feeds change)."""

    def __init__(
        self, promotions: Iterable[Promotion], coupons: Iterable[CouponDefinition] = ()
    ) -> None:
        self.promotions = tuple(sorted(promotions, key=lambda p: p.promotion_id))
        self.coupons: dict[str, CouponDefinition] = {c.coupon_id: c for c in coupons}
        self._index = ScopeIndex(
            (p, [p.scope] + ([p.reward_scope] if p.reward_scope else [])) for p in self.promotions
        )
        self._coupon_index = ScopeIndex((c, [c.scope]) for c in self.coupons.values())
        # What the scopes say about a kind of line (its GTIN, brand and category), worked
        # out on first sight and kept: a cart's lines recur on every scan.
        self._line_promos: dict[tuple[str, ...], tuple[tuple[Promotion, int], ...]] = {}
        self._line_coupons: dict[tuple[str, ...], tuple[CouponDefinition, ...]] = {}

    def _promos_for(self, line: BasketLine) -> tuple[tuple[Promotion, int], ...]:
        """The promotions the index finds near a line, once each in the index's order, with
        the line's role: _MAIN (in the main scope), _REWARD (a buy-X-get-Y reward) or
        _NEAR (neither: an excluded GTIN, say; the promotion is still a candidate)."""
        product = line.product
        key = (line.gtin,) if product is None else (line.gtin, product.brand, product.category)
        entries = self._line_promos.get(key)
        if entries is None:
            seen: set[str] = set()
            found: list[tuple[Promotion, int]] = []
            for promo in self._index.near(line.gtin, product):
                if promo.promotion_id in seen:
                    continue
                seen.add(promo.promotion_id)
                if promo.scope.matches(line.gtin, product):
                    found.append((promo, _MAIN))
                elif promo.reward_scope is not None and is_reward(promo, line):
                    found.append((promo, _REWARD))
                else:
                    found.append((promo, _NEAR))
            entries = tuple(found)
            if len(self._line_promos) >= _LINE_CACHE_LIMIT:
                self._line_promos.clear()
            self._line_promos[key] = entries
        return entries

    def _coupons_for(self, line: BasketLine) -> tuple[CouponDefinition, ...]:
        """The coupon definitions whose (named) scope covers a line, once each, in the
        index's order."""
        product = line.product
        key = (line.gtin,) if product is None else (line.gtin, product.brand, product.category)
        entries = self._line_coupons.get(key)
        if entries is None:
            seen: set[str] = set()
            found: list[CouponDefinition] = []
            for d in self._coupon_index.near(line.gtin, product):
                if d.coupon_id not in seen:
                    seen.add(d.coupon_id)
                    if d.scope.matches(line.gtin, product):
                        found.append(d)
            entries = tuple(found)
            if len(self._line_coupons) >= _LINE_CACHE_LIMIT:
                self._line_coupons.clear()
            self._line_coupons[key] = entries
        return entries

    # ------------------------------------------------------------------ lookup
    def _candidates(
        self,
        basket: Basket,
        context: PricingContext,
        tier: str | None,
        rewards: dict[str, list[BasketLine]],
    ) -> dict[str, tuple[Promotion, list[BasketLine]]]:
        """Active promotions touching the cart, with the lines in their (main) scope;
        `rewards` receives the reward lines of buy-X-get-Y promotions."""
        found: dict[str, tuple[Promotion, list[BasketLine]]] = {}
        rejected: set[str] = set()
        currency = basket.currency

        def consider(promo: Promotion) -> bool:
            pid = promo.promotion_id
            if pid in rejected:
                return False
            if pid not in found:
                if promo.currency != currency or not promo.active(context.now, tier):
                    rejected.add(pid)
                    return False
                found[pid] = (promo, [])
            return True

        for promo in self._index.everywhere:
            if consider(promo):
                excluded = promo.scope.exclude_gtins
                found[promo.promotion_id][1].extend(
                    [line for line in basket.lines if line.gtin not in excluded]
                    if excluded
                    else basket.lines
                )
        now = context.now
        for line in basket.lines:
            for promo, role in self._promos_for(line):
                pid = promo.promotion_id
                entry = found.get(pid)
                if entry is None:
                    if pid in rejected:
                        continue
                    if promo.currency != currency or not promo.active(now, tier):
                        rejected.add(pid)
                        continue
                    entry = found[pid] = (promo, [])
                if role == _MAIN:
                    entry[1].append(line)
                elif role == _REWARD:
                    rewards.setdefault(pid, []).append(line)
        return found

    # ------------------------------------------------------------------ engine
    def evaluate(
        self, lines: Sequence[PricedLine], context: PricingContext, session: OfferSession
    ) -> OfferResult:
        policy = context.policy
        basket = Basket(lines, context.products, policy.currency, policy.rounding)
        rewards: dict[str, list[BasketLine]] = {}
        cands = self._candidates(basket, context, session.tier, rewards)
        applied: list[str] = []

        # The candidates by stage (and priority), in one pass.
        tier_promos: list[tuple[Promotion, list[BasketLine]]] = []
        item_levels: dict[int, list[tuple[Promotion, list[BasketLine]]]] = {}
        basket_levels: dict[int, list[tuple[Promotion, list[BasketLine]]]] = {}
        for c in cands.values():
            kind = c[0].kind
            if kind in ITEM_KINDS:
                item_levels.setdefault(c[0].priority, []).append(c)
            elif kind is _BASKET:
                basket_levels.setdefault(c[0].priority, []).append(c)
            elif kind is _TIER_PRICE:
                tier_promos.append(c)

        # 1. member prices
        if tier_promos:
            self._member_prices(basket, tier_promos, context, applied)
        basket.start_item_stage()

        # 2. item promotions, 3. basket promotions
        for priority in sorted(item_levels):
            self._level(basket, item_levels[priority], applied, rewards, basket_stage=False)
        basket.start_basket_stage()
        for priority in sorted(basket_levels):
            self._level(basket, basket_levels[priority], applied, rewards, basket_stage=True)

        # 4. coupons
        verdicts = self._coupons(basket, context, session, applied)

        # 5. points
        points_used = 0
        if session.points is not None and session.points.points > 0:
            points_used = self._points(basket, session.points)

        hints = self._hints(basket, cands, verdicts, applied)
        return OfferResult(tuple(basket.applied), verdicts, hints, points_used, tuple(applied))

    def _member_prices(
        self,
        basket: Basket,
        tier_promos: list[tuple[Promotion, list[BasketLine]]],
        context: PricingContext,
        applied: list[str],
    ) -> None:
        best: dict[int, tuple[int, str, Promotion]] = {}
        for promo, lines in tier_promos:
            for line in lines:
                product = line.product
                if product is None or line.labelled:
                    continue  # a price label's amount is what the shopper pays
                if product.unit is SaleUnit.KG and line.weight_g is not None:
                    # per kg × weight, rounded once by the store's rule (as the shelf price is)
                    member_gross = divide(
                        promo.amount * line.weight_g, GRAMS_PER_KG, basket.rounding
                    )
                else:
                    member_gross = promo.amount * line.units
                saving = line.gross - member_gross
                if saving <= 0:
                    continue
                pid = promo.promotion_id
                current = best.get(line.index)
                # The lowest member price wins; equal savings: the smaller promotion id.
                if (
                    current is None
                    or saving > current[0]
                    or (saving == current[0] and pid < current[1])
                ):
                    best[line.index] = (saving, pid, promo)
        for index in sorted(best):
            saving, pid, promo = best[index]
            if basket.apply(pid, promo.name, saving, (index,)) is not None and pid not in applied:
                applied.append(pid)

    def _level(
        self,
        basket: Basket,
        level: list[tuple[Promotion, list[BasketLine]]],
        applied: list[str],
        rewards: Mapping[str, list[BasketLine]],
        *,
        basket_stage: bool,
    ) -> None:
        def evaluate(promo: Promotion, lines: list[BasketLine], free: bool) -> Application | None:
            if basket_stage:
                pool = list(filterfalse(_BASKET_TAKEN, lines)) if free else lines
                return evaluate_basket(promo, basket, pool)
            reward_lines = None
            if promo.kind is _BUY_X_GET_Y:
                reward_lines = rewards.get(promo.promotion_id, [])
            return evaluate_item(promo, basket, lines, free_only=free, reward_lines=reward_lines)

        heap: list[tuple[int, str]] = []
        by_id: dict[str, tuple[Promotion, list[BasketLine], tuple[int, ...]]] = {}
        # The last evaluation of each promotion stays good until a line it reads changes:
        # `changed` says when each line last changed (counting applications), `seen` when
        # each promotion was last evaluated.
        last: dict[str, Application | None] = {}
        seen: dict[str, int] = {}
        changed = [0] * len(basket.lines)
        clock = 0
        stackable: list[tuple[Promotion, list[BasketLine]]] = []
        for promo, lines in level:
            if promo.stackable:
                stackable.append((promo, lines))
                continue
            app = evaluate(promo, lines, True)
            if app is not None:
                pid = promo.promotion_id
                read = lines
                if not basket_stage and promo.kind is _BUY_X_GET_Y:
                    read = lines + rewards.get(pid, [])
                by_id[pid] = (promo, lines, tuple(map(_INDEX, read)))
                heap.append((-app.saving, pid))
                last[pid] = app
                seen[pid] = clock
        heapq.heapify(heap)
        # Lazy greedy: a saving can only shrink as units are taken, so a popped entry
        # whose fresh saving still equals its key is the true best of what is left.
        while heap:
            neg, pid = heapq.heappop(heap)
            promo, lines, reads = by_id[pid]
            when = seen[pid]
            if clock > when and max(map(changed.__getitem__, reads), default=0) > when:
                app = last[pid] = evaluate(promo, lines, True)
                seen[pid] = clock
            else:
                app = last[pid]  # its lines are as they were: the same answer
            if app is None:
                continue
            if app.saving != -neg:
                heapq.heappush(heap, (-app.saving, pid))
                continue
            # Taking units, marking basket lines and applying touch `app.lines` only.
            for index, units in app.takes:
                basket.lines[index].taken += units
            if basket_stage:
                for index in app.lines:
                    basket.lines[index].basket_taken = True
            if _apply(basket, pid, promo.name, app, basket_stage):
                applied.append(pid)
            clock += 1
            for index in app.lines:
                changed[index] = clock
        stackable.sort(key=lambda c: c[0].promotion_id)
        for promo, lines in stackable:
            app = evaluate(promo, lines, False)
            if app is not None and _apply(
                basket, promo.promotion_id, promo.name, app, basket_stage
            ):
                applied.append(promo.promotion_id)

    def _coupons(
        self,
        basket: Basket,
        context: PricingContext,
        session: OfferSession,
        applied: list[str],
    ) -> tuple[CouponVerdict, ...]:
        verdicts: dict[str, CouponVerdict] = {}
        usable: list[tuple[CouponGrant, CouponDefinition]] = []
        uses: dict[str, int] = dict(session.usage.member_uses)
        seen_codes: set[str] = set()

        def order(grant: CouponGrant) -> tuple[int, str, str]:
            definition = self.coupons.get(grant.coupon_id)
            is_basket = definition is not None and definition.kind is CouponKind.BASKET
            return (1 if is_basket else 0, grant.coupon_id, grant.code)

        ordered = sorted(session.grants, key=order)
        usage = CouponUsage(session.usage.used_codes, uses)  # a view: sees `uses` grow
        for grant in ordered:
            definition = self.coupons.get(grant.coupon_id)
            if grant.code in seen_codes:
                continue
            seen_codes.add(grant.code)
            refusal = precheck(
                definition,
                grant,
                now=context.now,
                member_id=session.member_id,
                tier=session.tier,
                usage=usage,
                online=session.online,
            )
            if (
                refusal is None
                and definition is not None
                and definition.currency != basket.currency
            ):
                refusal = CouponVerdict(
                    grant.code,
                    grant.coupon_id,
                    False,
                    CouponRefusal.WRONG_CURRENCY,
                    "not valid in this store",
                )
            if refusal is not None or definition is None:
                verdicts[grant.code] = refusal or CouponVerdict(grant.code, grant.coupon_id, False)
                continue
            uses[definition.coupon_id] = uses.get(definition.coupon_id, 0) + 1
            usable.append((grant, definition))

        scoped: dict[str, list[BasketLine]] = {}
        wanted = {d.coupon_id for _, d in usable}
        everywhere = {d.coupon_id for d in self._coupon_index.everywhere}
        for line in basket.lines:
            for d in self._coupons_for(line):
                if d.coupon_id in wanted:
                    scoped.setdefault(d.coupon_id, []).append(line)

        def scope_lines(definition: CouponDefinition) -> list[BasketLine]:
            if definition.coupon_id in everywhere:
                excluded = definition.scope.exclude_gtins
                if not excluded:
                    return basket.lines  # shared: counted once for all such coupons
                return [ln for ln in basket.lines if ln.gtin not in excluded]
            return scoped.get(definition.coupon_id, [])

        # What is left on a coupon's lines, counted once per list of lines until the next
        # discount changes it (by id; the entry holds the list, so the id stays its own).
        counted: dict[int, tuple[list[BasketLine], int, tuple[int, ...]]] = {}

        def outcome(definition: CouponDefinition) -> Application | CouponVerdict:
            lines = scope_lines(definition)
            entry = counted.get(id(lines))
            if entry is None:
                # (a line listed twice is the same line: one entry, as in `evaluate_coupon`)
                values = {line.index: line.room for line in lines if line.room > 0}
                entry = counted[id(lines)] = (lines, sum(values.values()), tuple(sorted(values)))
            return coupon_outcome(definition, basket, entry[1], entry[2])

        # The one non-stackable coupon: the best for the shopper.
        exclusive = [(g, d) for g, d in usable if not d.stackable]
        best: tuple[int, CouponGrant, CouponDefinition, Application] | None = None
        for grant, definition in exclusive:
            found = outcome(definition)
            if isinstance(found, CouponVerdict):
                verdicts[grant.code] = _for(grant, found)
                continue
            if best is None or found.saving > best[0]:
                best = (found.saving, grant, definition, found)
        for grant, definition in exclusive:
            if grant.code in verdicts:
                continue
            if best is not None and grant.code == best[1].code:
                kept = basket.apply(
                    _coupon_rule(grant),
                    definition.name,
                    best[3].saving,
                    best[3].lines,
                    shared=True,
                )
                counted.clear()
                verdicts[grant.code] = _accepted(grant, kept)
                if kept is not None:
                    applied.append(definition.coupon_id)
            else:
                verdicts[grant.code] = CouponVerdict(
                    grant.code,
                    grant.coupon_id,
                    False,
                    CouponRefusal.NOT_COMBINABLE,
                    "only one of these coupons can be used per purchase: the best one is applied",
                )
        for grant, definition in usable:
            if definition.stackable:
                found = outcome(definition)
                if isinstance(found, CouponVerdict):
                    verdicts[grant.code] = _for(grant, found)
                    continue
                kept = basket.apply(
                    _coupon_rule(grant), definition.name, found.saving, found.lines, shared=True
                )
                counted.clear()
                verdicts[grant.code] = _accepted(grant, kept)
                if kept is not None:
                    applied.append(definition.coupon_id)
        return tuple(verdicts[g.code] for g in ordered if g.code in verdicts)

    def _points(self, basket: Basket, request: PointsRequest) -> int:
        left = sum(line.room for line in basket.lines)
        blocks = min(request.points // request.points_per_unit, left // request.unit_minor)
        if blocks <= 0:
            return 0
        indexes = [line.index for line in basket.lines if line.room > 0]
        basket.apply(
            POINTS_RULE_PREFIX + request.member_id,
            f"{blocks * request.points_per_unit} points",
            blocks * request.unit_minor,
            indexes,
            shared=True,
        )
        return blocks * request.points_per_unit

    # ------------------------------------------------------------------ hints
    def _hints(
        self,
        basket: Basket,
        cands: Mapping[str, tuple[Promotion, list[BasketLine]]],
        verdicts: Iterable[CouponVerdict],
        applied: Iterable[str],
    ) -> tuple[Hint, ...]:
        hints: list[Hint] = []
        granted = set(applied)
        for promo, lines in cands.values():
            hint = _promotion_hint(basket, promo, lines, promo.promotion_id in granted)
            if hint is not None:
                hints.append(hint)
        for verdict in verdicts:
            if (
                verdict.reason is CouponRefusal.BELOW_MINIMUM_SPEND
                and verdict.need_amount is not None
            ):
                definition = self.coupons[verdict.coupon_id]
                saving = definition.amount or basket.percent(
                    definition.min_spend, definition.percent_bp
                )
                hints.append(
                    Hint(
                        verdict.coupon_id,
                        definition.name,
                        "spend_more",
                        0,
                        verdict.need_amount,
                        basket.money(saving),
                        f"spend {verdict.need_amount.format()} more to use {definition.name}",
                    )
                )
        # The cheapest way to unlock a saving first: what the shopper must add, less what
        # it saves; then the bigger saving; then the rule id.
        hints.sort(key=lambda h: (_net_cost(h), -h.saving.minor, h.rule_id))
        return tuple(hints)


def _net_cost(hint: Hint) -> int:
    return (hint.need_amount.minor if hint.need_amount else 0) - hint.saving.minor


def _promotion_hint(
    basket: Basket, promo: Promotion, lines: list[BasketLine], granted: bool
) -> Hint | None:
    kind = promo.kind
    if kind is _BASKET:
        return _spend_hint(basket, promo, lines, granted) if lines else None
    if kind not in _ADD_ITEMS_KINDS:
        return None  # no hint for buy X get Y or member prices
    count = sum(map(_UNITS, lines)) - sum(map(_TAKEN, lines))  # the free units
    if count == 0:
        return None
    group = promo.group_size
    size = group or max(promo.min_quantity, 1)
    if (group and count % size == 0) or (not group and count >= size):
        return None  # nothing to gain by adding (cheap test before sorting units)
    # The free units as runs (value, line, count), most valuable first like `Basket.units`.
    free = basket.sorted_runs(lines, free_only=True)
    if not free:
        return None
    free_count = sum(r[2] for r in free)
    cheapest = free[-1][0]
    if kind is _MULTI_BUY or kind is _N_FOR_PRICE:
        rest = free_count % group
        if rest == 0:
            return None
        need = group - rest
        if kind is _MULTI_BUY:
            saving = basket.percent(cheapest * min(promo.get, group), promo.percent_bp)
        else:
            saving = _last_units_total(free, rest) + need * cheapest - promo.amount
        if saving <= 0:
            return None
    else:  # percent or amount off, from a minimum quantity
        if free_count >= max(promo.min_quantity, 1):
            return None
        need = promo.min_quantity - free_count
        total = sum(v * n for v, _, n in free) + need * cheapest
        saving = (
            basket.percent(total, promo.percent_bp)
            if kind is _PERCENT_OFF
            else promo.amount * promo.min_quantity
        )
    return Hint(
        promo.promotion_id,
        promo.name,
        "add_items",
        need,
        basket.money(need * cheapest),
        basket.money(saving),
        f"add {need} more for {promo.name}",
    )


def _spend_hint(
    basket: Basket, promo: Promotion, lines: list[BasketLine], granted: bool
) -> Hint | None:
    # The spend the rule counted (after stages 1-2), not what is left once it and the
    # coupons have applied: at exactly ¥100 the next "every ¥100" step is ¥100 away.
    spend = sum(map(_SPEND, lines))
    if spend >= promo.threshold and not promo.repeat:
        return None
    if granted and (not promo.repeat or promo.percent_bp):
        return None  # granted already, and more spend does not grant it again
    short = promo.threshold - (spend % promo.threshold if promo.repeat else spend)
    saving = promo.amount or basket.percent(promo.threshold, promo.percent_bp)
    if promo.max_per_sale and promo.repeat and spend // promo.threshold >= promo.max_per_sale:
        return None
    if 2 * short > promo.threshold:
        return None  # not yet half-way: a hint would be noise
    need = basket.money(short)
    return Hint(
        promo.promotion_id,
        promo.name,
        "spend_more",
        0,
        need,
        basket.money(saving),
        f"spend {need.format()} more for {promo.name}",
    )


def _last_units_total(runs: list[tuple[int, int, int]], count: int) -> int:
    """The value of the last `count` units of `runs`."""
    total = 0
    for value, _, n in reversed(runs):
        if count <= 0:
            break
        step = n if n < count else count
        total += value * step
        count -= step
    return total


def _apply(basket: Basket, pid: str, name: str, app: Application, shared: bool) -> bool:
    """Apply a promotion's saving where it lands; True if any of it was kept."""
    if not app.parts:
        return basket.apply(pid, name, app.saving, app.lines, shared=shared) is not None
    kept = False
    for index, amount in app.parts:
        kept = basket.apply(pid, name, amount, (index,), shared=shared) is not None or kept
    return kept


def _coupon_rule(grant: CouponGrant) -> str:
    return f"coupon:{grant.coupon_id}:{grant.code}"


def _for(grant: CouponGrant, verdict: CouponVerdict) -> CouponVerdict:
    return CouponVerdict(
        grant.code,
        grant.coupon_id,
        False,
        verdict.reason,
        verdict.message,
        need_amount=verdict.need_amount,
    )


def _accepted(grant: CouponGrant, kept: Discount | None) -> CouponVerdict:
    if kept is None:
        return CouponVerdict(
            grant.code,
            grant.coupon_id,
            False,
            CouponRefusal.NO_QUALIFYING_ITEMS,
            "nothing left to discount",
        )
    return CouponVerdict(grant.code, grant.coupon_id, True, saving=kept.amount)


@dataclass(frozen=True, slots=True)
class OfferRule:
    """The engine as a `PricingRule` for `price_cart` (rule ids name each offer)."""

    engine: OfferEngine
    session: OfferSession = field(default_factory=OfferSession)
    rule_id: str = "offers"

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        return list(self.engine.evaluate(lines, context, self.session).discounts)


assert BASIS_POINTS == 10_000
