"""Promotions: what a store runs (multi-buys, N for a price, buy X get Y, percent or amount
off items, member-tier prices, basket thresholds), their wire and CSV forms, and how one
promotion evaluates on a basket.

Amounts are integer minor units of `currency`; percentages are basis points
(2000 = 20 %). The engine that chooses between promotions and stacks them is
`kiosk.domain.offers`; here each promotion only says what it *would* save.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from kiosk.domain.basket import BASIS_POINTS, Basket, BasketLine, Scope
from kiosk.domain.catalog import LANGUAGES
from kiosk.domain.codes import normalize_gtin
from kiosk.domain.errors import CodeError, MoneyError
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.money import CURRENCY_EXPONENT, Money, allocate_minor
from kiosk.domain.spreadsheet import SpreadsheetRows

LIST_SEPARATOR = "|"


class PromotionKind(enum.StrEnum):
    PERCENT_OFF = "percent_off"  # percent off each unit in scope (from min_quantity units)
    AMOUNT_OFF = "amount_off"  # amount off each unit in scope
    MULTI_BUY = "multi_buy"  # buy `buy`, get `get` of the same scope at percent off (3 for 2)
    N_FOR_PRICE = "n_for_price"  # `buy` units in scope for `amount`
    BUY_X_GET_Y = "buy_x_get_y"  # buy `buy` in scope, get `get` in reward_scope at percent off
    TIER_PRICE = "tier_price"  # members of `tiers` pay `amount` per unit (per kg when weighed)
    BASKET = "basket"  # spend `threshold` in scope: `amount` or percent off (every full
    #                    threshold with `repeat`: 满100减10)


ITEM_KINDS = frozenset(
    {
        PromotionKind.PERCENT_OFF,
        PromotionKind.AMOUNT_OFF,
        PromotionKind.MULTI_BUY,
        PromotionKind.N_FOR_PRICE,
        PromotionKind.BUY_X_GET_Y,
    }
)


_Kind = TypeVar("_Kind", bound=enum.StrEnum)


def offer_kind(kinds: type[_Kind], code: str) -> _Kind:
    """An offer's kind from its code, as a CSV row or the wire names it.

    A code this version does not know is refused with the ones it does, so an operator
    sees a typo for what it is (and a kiosk older than its service, a kind it cannot
    price yet).
    """
    try:
        return kinds(code)
    except ValueError:
        known = ", ".join(k.value for k in kinds)
        raise OfferError(
            f"unknown kind {code!r}: one of {known}",
            say="offer_kind",
            params={"value": code, "kinds": known},
        ) from None


def known_currency(code: str) -> str:
    """`code`, if the kiosks price in it: an offer in any other never applies, silently.

    Checked where offers are made (a file, the console, the feed's validator), not where
    they are read: one stored before the check was added still reads, and never applies,
    as it always did.
    """
    if code not in CURRENCY_EXPONENT:
        raise OfferError(
            f"currency {code!r} is not one the kiosks know",
            say="currency_unknown",
            params={"value": code},
        )
    return code


def currency_from_csv(text: str | None) -> str:
    """An offer row's currency: any case, CNY when blank (as the store rules form takes it)."""
    return known_currency((text or "").strip().upper() or "CNY")


# The kinds as module names for code that compares them per evaluation, on every scan:
# `PromotionKind.X` takes the slow path of a metaclass with `__getattr__` (`EnumType`),
# several times the cost of a global.
_PERCENT_OFF = PromotionKind.PERCENT_OFF
_AMOUNT_OFF = PromotionKind.AMOUNT_OFF
_MULTI_BUY = PromotionKind.MULTI_BUY
_N_FOR_PRICE = PromotionKind.N_FOR_PRICE
_BUY_X_GET_Y = PromotionKind.BUY_X_GET_Y


@dataclass(frozen=True, slots=True)
class Promotion:
    promotion_id: str
    name: str
    kind: PromotionKind
    currency: str
    scope: Scope = field(default_factory=Scope)
    reward_scope: Scope | None = None
    percent_bp: int = 0
    amount: int = 0
    buy: int = 0
    get: int = 0
    min_quantity: int = 0
    threshold: int = 0
    repeat: bool = False
    tiers: frozenset[str] = frozenset()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int = 100
    stackable: bool = False
    campaign_id: str = ""
    max_per_sale: int = 0
    names: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        pid = self.promotion_id
        if not pid or len(pid) > 64:
            raise OfferError("a promotion needs an id of 1 to 64 characters", say="offer_id")
        if not 0 <= self.percent_bp <= BASIS_POINTS:
            raise OfferError(f"promotion {pid}: percent must be between 0 and 100", say="percent")
        if self.amount < 0 or self.threshold < 0 or self.max_per_sale < 0:
            raise OfferError(f"promotion {pid}: amounts must not be negative", say="below_zero")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise OfferError(f"promotion {pid}: it ends before it starts", say="ends_first")
        for moment in (self.starts_at, self.ends_at):
            if moment is not None and moment.tzinfo is None:
                raise OfferError(f"promotion {pid}: times need a timezone")
        kind = self.kind
        needs: dict[PromotionKind, bool] = {
            PromotionKind.PERCENT_OFF: self.percent_bp > 0,
            PromotionKind.AMOUNT_OFF: self.amount > 0,
            PromotionKind.MULTI_BUY: self.buy >= 1 and self.get >= 1 and self.percent_bp > 0,
            PromotionKind.N_FOR_PRICE: self.buy >= 2 and self.amount > 0,
            PromotionKind.BUY_X_GET_Y: self.buy >= 1
            and self.get >= 1
            and self.percent_bp > 0
            and self.reward_scope is not None
            and not self.reward_scope.everything,
            # A member price of 0 gives the goods away: a blank amount read as 0 did
            # (a free item is a percent off of 100 %, said as such).
            PromotionKind.TIER_PRICE: bool(self.tiers)
            and not self.scope.everything
            and self.amount > 0,
            PromotionKind.BASKET: self.threshold > 0 and (self.amount > 0) != (self.percent_bp > 0),
        }
        if not needs[kind]:
            raise OfferError(
                f"promotion {pid}: a {kind.value} promotion is missing its terms",
                say="terms",
                params={"kind": kind.value},
            )
        if kind in ITEM_KINDS and self.scope.everything:
            raise OfferError(
                f"promotion {pid}: an item promotion needs items, brands or categories",
                say="item_scope",
            )
        if kind is PromotionKind.BASKET and self.repeat and self.percent_bp:
            raise OfferError(f"promotion {pid}: only an amount off can repeat", say="repeat")

    def active(self, now: datetime, tier: str | None) -> bool:
        if self.starts_at is not None and now < self.starts_at:
            return False
        if self.ends_at is not None and now >= self.ends_at:
            return False
        return not self.tiers or (tier is not None and tier in self.tiers)

    @property
    def group_size(self) -> int:
        if self.kind is _MULTI_BUY:
            return self.buy + self.get
        if self.kind is _N_FOR_PRICE:
            return self.buy
        return 0


# ------------------------------------------------------------------ evaluation
@dataclass(frozen=True, slots=True)
class Application:
    """What one promotion (or coupon) would do: save `saving`, taking units of lines."""

    saving: int
    lines: tuple[int, ...]  # basket line indexes the discount is spread over
    takes: tuple[tuple[int, int], ...] = ()  # (line index, units) for non-stackable item offers
    parts: tuple[tuple[int, int], ...] = ()
    """(line index, amount): where a free-unit offer's saving lands, on the lines of the
    units it gives away, so an item coupon cannot discount a unit that was free. Empty:
    spread over `lines`."""


def land_on_rewards(app: Application | None, rewards: Mapping[int, int]) -> Application | None:
    """`app` with its saving landing on the reward units' lines, in proportion to the
    rewards' value there (largest remainder: the parts add up to the saving)."""
    if app is None:
        return None
    indexes = sorted(i for i, value in rewards.items() if value > 0)
    if not indexes:
        return app
    shares = allocate_minor(app.saving, [rewards[i] for i in indexes])
    return Application(app.saving, app.lines, app.takes, tuple(zip(indexes, shares, strict=True)))


_COUNT = itemgetter(2)  # of a run (value, line index, count)
_ROOM, _INDEX = attrgetter("room"), attrgetter("index")  # of a basket line


def _by_value_desc(run: tuple[int, int, int]) -> tuple[int, int]:
    return (-run[0], run[1])


def _first(runs: list[tuple[int, int, int]], count: int) -> list[tuple[int, int, int]]:
    """The runs of the first `count` units (the last run cut short)."""
    out = []
    for value, index, n in runs:
        if count <= 0:
            break
        if n > count:
            n = count
        out.append((value, index, n))
        count -= n
    return out


def _application(saving: int, used: list[tuple[int, int, int]]) -> Application | None:
    """What taking the units of `used` (runs: value, line index, count) saves, if anything."""
    if saving <= 0 or not used:
        return None
    counts: dict[int, int] = {}
    for _, index, n in used:
        counts[index] = counts.get(index, 0) + n
    takes = tuple(sorted(counts.items()))
    return Application(saving, tuple([i for i, _ in takes]), takes)


def is_reward(promo: Promotion, line: BasketLine) -> bool:
    """A line a buy-X-get-Y promotion may reward (in the reward scope, not a trigger)."""
    scope = promo.reward_scope
    return (
        scope is not None
        and scope.matches(line.gtin, line.product)
        and not promo.scope.matches(line.gtin, line.product)
    )


def evaluate_item(
    promo: Promotion,
    basket: Basket,
    lines: list[BasketLine],
    *,
    free_only: bool,
    reward_lines: list[BasketLine] | None = None,
) -> Application | None:
    """What an item promotion saves on `lines` (units not yet taken when `free_only`)."""
    kind = promo.kind
    if kind is _BUY_X_GET_Y and reward_lines is not None and not reward_lines:
        return None  # nothing to reward
    cap = promo.max_per_sale
    # Runs of equal units (value, line index, count), never expanding them one by one;
    # sorted like `Basket.units` (most valuable first, ties by line order) where the
    # order matters, and only once the count says there may be a saving.
    runs = basket.runs(lines, free_only=free_only)
    total = sum(map(_COUNT, runs))
    if kind is _PERCENT_OFF or kind is _AMOUNT_OFF:
        if not total or total < max(promo.min_quantity, 1):
            return None
        if not cap:
            if kind is _PERCENT_OFF:
                saving = basket.percent(sum(v * n for v, _, n in runs), promo.percent_bp)
            else:
                saving = sum(min(promo.amount, v) * n for v, _, n in runs)
            if saving <= 0:
                return None
            takes = tuple(sorted([(i, n) for _, i, n in runs]))
            return Application(saving, tuple([i for i, _ in takes]), takes)
        runs.sort(key=_by_value_desc)
        chosen = _first(runs, cap)
        if kind is _PERCENT_OFF:
            saving = basket.percent(sum(v * n for v, _, n in chosen), promo.percent_bp)
        else:
            amount = promo.amount
            saving = sum((amount if amount < v else v) * n for v, _, n in chosen)
        return _application(saving, chosen)
    if kind is _MULTI_BUY:
        size = promo.group_size
        if total < size:
            return None  # not one group
        runs.sort(key=_by_value_desc)
        get = promo.get
        groups = total // size
        if cap:
            groups = min(groups, cap)
        chosen = _first(runs, groups * size)
        # Sorted most valuable first and cut into groups: the cheapest of each group is
        # the reward, which also maximises the total of the rewards. The rewards are the
        # units at positions p with p % size >= size - get: a run's are those up to its
        # end less those up to its start (the end of the run before; none before the first).
        free_from = size - get
        reward_total = 0
        pos = rewards_before = 0
        on_line: dict[int, int] = {}
        for value, index, count in chosen:
            pos += count
            rewards_to_end = (pos // size) * get + max(0, pos % size - free_from)
            reward = value * (rewards_to_end - rewards_before)
            reward_total += reward
            on_line[index] = on_line.get(index, 0) + reward
            rewards_before = rewards_to_end
        saving = basket.percent(reward_total, promo.percent_bp)
        return land_on_rewards(_application(saving, chosen), on_line)
    if kind is _N_FOR_PRICE:
        size = promo.buy
        if total < size:
            return None  # not one group
        runs.sort(key=_by_value_desc)
        # Groups of `size` units, most valuable first, while a group beats the price
        # (later groups are cheaper still). Whole groups inside one run are all alike,
        # so they are counted at once: one pass over the runs, not one per group.
        price = promo.amount
        left = total // size
        if cap:
            left = min(left, cap)
        saving = 0
        used: list[tuple[int, int, int]] = []
        part: list[tuple[int, int, int]] = []  # a group begun in an earlier run
        part_units = part_value = 0
        for value, index, count in runs:
            if part_units:
                step = min(count, size - part_units)
                part.append((value, index, step))
                part_units += step
                part_value += value * step
                count -= step
                if part_units < size:
                    continue
                if part_value <= price:
                    break
                saving += part_value - price
                used.extend(part)
                left -= 1
                part, part_units, part_value = [], 0, 0
                if not left:
                    break
            whole = min(count // size, left)
            if whole:
                if size * value <= price:
                    break
                saving += (size * value - price) * whole
                used.append((value, index, whole * size))
                left -= whole
                count -= whole * size
                if not left:
                    break
            if count:
                part, part_units, part_value = [(value, index, count)], count, value * count
        return _application(saving, used)
    if kind is _BUY_X_GET_Y:
        reward_scope = promo.reward_scope
        assert reward_scope is not None  # checked in __post_init__
        if total < promo.buy:
            return None  # not one group
        if reward_lines is None:
            reward_lines = [line for line in basket.lines if is_reward(promo, line)]
        rewards = basket.runs(reward_lines, free_only=free_only)
        groups = min(total // promo.buy, sum(map(_COUNT, rewards)) // promo.get)
        if not groups:
            return None
        # The cheapest qualify, keep the rest: cheapest first, ties by line order (runs
        # with the same value and line are the same line listed twice: equal tuples).
        triggers = sorted(runs)
        rewards.sort(key=_by_value_desc)
        if cap:
            groups = min(groups, cap)
        got = _first(rewards, groups * promo.get)  # the most valuable rewards
        saving = basket.percent(sum(v * n for v, _, n in got), promo.percent_bp)
        on_line = {}
        for value, index, count in got:
            on_line[index] = on_line.get(index, 0) + value * count
        return land_on_rewards(
            _application(saving, _first(triggers, groups * promo.buy) + got), on_line
        )
    raise OfferError(f"{kind.value} is not an item promotion")  # a programming error


def evaluate_basket(
    promo: Promotion, basket: Basket, lines: list[BasketLine]
) -> Application | None:
    spend = sum(map(_ROOM, lines))
    if not lines or spend < promo.threshold:
        return None
    if promo.percent_bp:
        saving = basket.percent(spend, promo.percent_bp)
    else:
        times = spend // promo.threshold if promo.repeat else 1
        if promo.max_per_sale:
            times = min(times, promo.max_per_sale)
        saving = promo.amount * times
    if saving <= 0:
        return None
    return Application(min(saving, spend), tuple(map(_INDEX, lines)))


# ------------------------------------------------------------------ wire and CSV
def scope_to_wire(scope: Scope) -> dict[str, list[str]]:
    return {
        "gtins": sorted(scope.gtins),
        "brands": sorted(scope.brands),
        "categories": sorted(scope.categories),
        "exclude_gtins": sorted(scope.exclude_gtins),
    }


def scope_from_wire(data: Mapping[str, Any] | None) -> Scope:
    if not data:
        return Scope()
    return Scope(
        frozenset(map(str, data.get("gtins", ()))),
        frozenset(map(str, data.get("brands", ()))),
        frozenset(map(str, data.get("categories", ()))),
        frozenset(map(str, data.get("exclude_gtins", ()))),
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


YEARS = (2000, 2999)
"""The years an offer's time may fall in: a typed year like 0202 or 9999 is a mistake, and
at the calendar's ends the reports' date arithmetic (the weeks before a promotion) has no
room left."""


def in_years(day: date) -> bool:
    """Whether a day (or a moment's) falls in `YEARS`: the one check of offers, console
    filters and reports."""
    return YEARS[0] <= day.year <= YEARS[1]


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}")
"""A calendar date alone, extended (2026-12-24) or compact (20261224): both are that day."""


def parse_when(value: Any, tz: tzinfo = UTC, *, end: bool = False) -> datetime | None:
    """An ISO time with offset, or a date (start of that day, or start of the next day for
    an end) in the store's timezone; within `YEARS`.

    A date is `YYYY-MM-DD` or `YYYYMMDD`, one day either way: Python's `fromisoformat`
    reads `20261224` as a moment, midnight at the start of the 24th, so an offer typed
    with it ended a day early. A week date alone (`2026-W52`, `2026-W52-4`) is refused:
    as an end it could mean the week or its first day.
    """
    if value in (None, ""):
        return None
    text = str(value).strip()
    day_only = _DAY.fullmatch(text) is not None
    try:
        if day_only:
            moment = datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz)
        elif _is_week_date(text):
            raise ValueError(text)
        else:
            parsed = datetime.fromisoformat(text)
            moment = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)
    except ValueError:
        raise OfferError(
            f"{text!r} is not a date or an ISO time", say="when", params={"value": text}
        ) from None
    if not in_years(moment):
        raise OfferError(
            f"{text!r} is not between the years {YEARS[0]} and {YEARS[1]}",
            say="years",
            params={"value": text, "first": YEARS[0], "last": YEARS[1]},
        )
    return moment + timedelta(days=1) if end and day_only else moment


def _is_week_date(text: str) -> bool:
    """Whether `text` is an ISO date with no time that is not a calendar date."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def promotion_to_wire(promo: Promotion) -> dict[str, Any]:
    return {
        "promotion_id": promo.promotion_id,
        "name": promo.name,
        "names": dict(promo.names),
        "kind": promo.kind.value,
        "currency": promo.currency,
        "scope": scope_to_wire(promo.scope),
        "reward_scope": scope_to_wire(promo.reward_scope) if promo.reward_scope else None,
        "percent_bp": promo.percent_bp,
        "amount_minor": promo.amount,
        "buy": promo.buy,
        "get": promo.get,
        "min_quantity": promo.min_quantity,
        "threshold_minor": promo.threshold,
        "repeat": promo.repeat,
        "tiers": sorted(promo.tiers),
        "starts_at": _when(promo.starts_at),
        "ends_at": _when(promo.ends_at),
        "priority": promo.priority,
        "stackable": promo.stackable,
        "campaign_id": promo.campaign_id,
        "max_per_sale": promo.max_per_sale,
    }


def promotion_from_wire(data: Mapping[str, Any]) -> Promotion:
    try:
        return Promotion(
            promotion_id=str(data["promotion_id"]),
            name=str(data.get("name", "")) or str(data["promotion_id"]),
            names={str(k): str(v) for k, v in dict(data.get("names") or {}).items()},
            kind=offer_kind(PromotionKind, data["kind"]),
            currency=str(data["currency"]),
            scope=scope_from_wire(data.get("scope")),
            reward_scope=(
                scope_from_wire(data["reward_scope"]) if data.get("reward_scope") else None
            ),
            percent_bp=int(data.get("percent_bp", 0)),
            amount=int(data.get("amount_minor", 0)),
            buy=int(data.get("buy", 0)),
            get=int(data.get("get", 0)),
            min_quantity=int(data.get("min_quantity", 0)),
            threshold=int(data.get("threshold_minor", 0)),
            repeat=bool(data.get("repeat", False)),
            tiers=frozenset(map(str, data.get("tiers", ()))),
            starts_at=parse_when(data.get("starts_at")),
            ends_at=parse_when(data.get("ends_at")),
            priority=int(data.get("priority", 100)),
            stackable=bool(data.get("stackable", False)),
            campaign_id=str(data.get("campaign_id") or ""),
            max_per_sale=int(data.get("max_per_sale", 0)),
        )
    except OfferError:
        raise
    except (AttributeError, KeyError, OverflowError, TypeError, ValueError) as exc:
        # Named with the offer (`UNREADABLE`'s own errors, but for the domain's).
        raise OfferError(f"promotion {data.get('promotion_id')!r}: {exc}") from exc


def split_list(text: str | None) -> frozenset[str]:
    return frozenset(p.strip() for p in (text or "").split(LIST_SEPARATOR) if p.strip())


def parse_percent(text: str | None, column: str) -> int:
    """ "20" or "12.5" (percent) → basis points, exactly."""
    if not text or not text.strip():
        return 0
    try:
        return Money.parse(text.strip(), "CNY").minor  # two decimals: the same arithmetic as bp
    except MoneyError:
        raise OfferError(
            f"{column}: {text!r} is not a percentage (e.g. 12.5)",
            say="not_percent",
            params={"column": column, "value": text},
        ) from None


def parse_amount(text: str | None, currency: str, column: str) -> int:
    """An amount in the one format `Money.parse` documents; blank is zero."""
    if not text or not text.strip():
        return 0
    try:
        return Money.parse(text.strip(), currency).minor
    except MoneyError as exc:
        raise OfferError(
            f"{column}: {exc}", say="in_column", params={"column": column, "detail": exc}
        ) from None


def parse_count(text: str | None, column: str, default: int = 0) -> int:
    """A whole number of ASCII digits; `int()` alone would take "+5", "1_0" and "٣"."""
    cleaned = (text or "").strip()
    if not cleaned:
        return default
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > _MAX_COUNT_DIGITS:
        raise OfferError(
            f"{column} must be a whole number, got {text!r}",
            say="whole_number",
            params={"column": column, "value": text},
        )
    return int(cleaned)


_MAX_COUNT_DIGITS = 9
_TRUE, _FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n"}


def parse_bool(text: str | None, column: str, default: bool = False) -> bool:
    """1/0, true/false or yes/no; blank is `default`. A typo is refused, not read as no."""
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return default
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise OfferError(
        f"{column} must be 1/0, true/false or yes/no, got {text!r}",
        say="yes_no",
        params={"column": column, "value": text},
    )


def offer_rows(handle: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a promotions or coupons CSV with their row number as a spreadsheet
    shows it (`SpreadsheetRows`: header = 1, a cell with a line break is one row); blank
    rows skipped.

    Both the kiosk's import and the central service's read offers through this, so a
    bad row is named the same way on either side.
    """
    for line, row in SpreadsheetRows(handle, OfferError):
        if None in row:  # DictReader files surplus fields under None
            more = OfferError("more fields than the header has", say="more_fields")
            raise OfferError(
                f"row {line}: {more}", say="csv_row", params={"row": line, "detail": more}
            )
        cleaned = {k: (v or "") for k, v in row.items()}
        if any(v.strip() for v in cleaned.values()):
            yield line, cleaned


def gtin_list(text: str | None) -> frozenset[str]:
    """GTINs as typed in a spreadsheet (8, 12, 13 or 14 digits), as GTIN-14 keys."""
    try:
        return frozenset(normalize_gtin(g) for g in split_list(text))
    except CodeError as exc:
        raise OfferError(str(exc), say=exc.say, params=exc.params) from None


def scope_from_csv(row: Mapping[str, str], prefix: str = "") -> Scope:
    return Scope(
        gtin_list(row.get(f"{prefix}gtins")),
        split_list(row.get(f"{prefix}brands")),
        split_list(row.get(f"{prefix}categories")),
        gtin_list(row.get(f"{prefix}exclude_gtins")),
    )


NAME_COLUMNS = {f"name_{language}": language for language in LANGUAGES}
"""Optional CSV columns with an offer's name per kiosk language (`name` is the fallback)."""


def names_from_csv(row: Mapping[str, str]) -> dict[str, str]:
    return {
        language: text
        for column, language in NAME_COLUMNS.items()
        if (text := (row.get(column) or "").strip())
    }


PROMOTION_CSV_COLUMNS = [
    "promotion_id",
    "name",
    *NAME_COLUMNS,
    "kind",
    "currency",
    "gtins",
    "brands",
    "categories",
    "exclude_gtins",
    "reward_gtins",
    "reward_brands",
    "reward_categories",
    "percent",
    "amount",
    "buy",
    "get",
    "min_quantity",
    "threshold",
    "repeat",
    "tiers",
    "starts_at",
    "ends_at",
    "priority",
    "stackable",
    "campaign_id",
    "max_per_sale",
]


def scope_to_csv(scope: Scope, prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}gtins": LIST_SEPARATOR.join(sorted(scope.gtins)),
        f"{prefix}brands": LIST_SEPARATOR.join(sorted(scope.brands)),
        f"{prefix}categories": LIST_SEPARATOR.join(sorted(scope.categories)),
        **({} if prefix else {"exclude_gtins": LIST_SEPARATOR.join(sorted(scope.exclude_gtins))}),
    }


def percent_text(bp: int) -> str:
    """Basis points as `parse_percent` reads them ("12.50" for 1250); blank for none."""
    return Money(bp, "CNY").plain() if bp else ""


def amount_text(minor: int, currency: str) -> str:
    return Money(minor, currency).plain() if minor else ""


def names_to_csv(names: Mapping[str, str]) -> dict[str, str]:
    return {column: names.get(language, "") for column, language in NAME_COLUMNS.items()}


def promotion_to_csv(promo: Promotion) -> dict[str, str]:
    """A promotion as a row of the promotions CSV: `promotion_from_csv` reads it back
    unchanged (times as ISO with their offset, so no store timezone is assumed)."""
    return {
        "promotion_id": promo.promotion_id,
        "name": promo.name,
        **names_to_csv(promo.names),
        "kind": promo.kind.value,
        "currency": promo.currency,
        **scope_to_csv(promo.scope),
        **scope_to_csv(promo.reward_scope or Scope(), "reward_"),
        "percent": percent_text(promo.percent_bp),
        "amount": amount_text(promo.amount, promo.currency),
        "buy": str(promo.buy or ""),
        "get": str(promo.get or ""),
        "min_quantity": str(promo.min_quantity or ""),
        "threshold": amount_text(promo.threshold, promo.currency),
        "repeat": "1" if promo.repeat else "0",
        "tiers": LIST_SEPARATOR.join(sorted(promo.tiers)),
        "starts_at": _when(promo.starts_at) or "",
        "ends_at": _when(promo.ends_at) or "",
        "priority": str(promo.priority),
        "stackable": "1" if promo.stackable else "0",
        "campaign_id": promo.campaign_id,
        "max_per_sale": str(promo.max_per_sale or ""),
    }


def promotion_from_csv(row: Mapping[str, str], tz: tzinfo = UTC) -> Promotion:
    """One row of the promotions CSV (docs/loyalty.md): amounts as decimals, lists by '|'."""
    pid = (row.get("promotion_id") or "").strip()
    try:
        currency = currency_from_csv(row.get("currency"))
        reward = scope_from_csv(row, "reward_")
        return Promotion(
            promotion_id=pid,
            name=(row.get("name") or "").strip() or pid,
            names=names_from_csv(row),
            kind=offer_kind(PromotionKind, (row.get("kind") or "").strip()),
            currency=currency,
            scope=scope_from_csv(row),
            reward_scope=None if reward.everything else reward,
            percent_bp=parse_percent(row.get("percent"), "percent"),
            amount=parse_amount(row.get("amount"), currency, "amount"),
            buy=parse_count(row.get("buy"), "buy"),
            get=parse_count(row.get("get"), "get"),
            min_quantity=parse_count(row.get("min_quantity"), "min_quantity"),
            threshold=parse_amount(row.get("threshold"), currency, "threshold"),
            repeat=parse_bool(row.get("repeat"), "repeat"),
            tiers=split_list(row.get("tiers")),
            starts_at=parse_when(row.get("starts_at"), tz),
            ends_at=parse_when(row.get("ends_at"), tz, end=True),
            priority=parse_count(row.get("priority"), "priority", 100),
            stackable=parse_bool(row.get("stackable"), "stackable"),
            campaign_id=(row.get("campaign_id") or "").strip(),
            max_per_sale=parse_count(row.get("max_per_sale"), "max_per_sale"),
        )
    except OfferError:
        raise
    except ValueError as exc:
        raise OfferError(f"promotion {pid!r}: {exc}") from exc
