"""One loose item on the kiosk's scale, from "place it on the scale" to a stable weight
the shopper confirms (`ShopperSession.weigh`, `docs/scale.md`).

The scale's own stability flag decides what is stable; this module decides what may be
sold. The platform must first be seen empty: goods already lying on it when weighing
starts are weighed again from nothing, and a scale that drifted a few grams (or reads
below zero: a tare left over, a plate lifted off) is zeroed first. Zeroing happens only on
a platform that is empty or lighter than empty, so it can never hide goods being weighed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kiosk.domain.catalog import Product
from kiosk.domain.money import Money, Rounding
from kiosk.domain.pricing import weighed_price
from kiosk.domain.scale import ScaleReading, ScaleState, ZeroResult

ZERO_DRIFT_G = 10
"""At most this much on a platform that should be empty is drift, zeroed away; more is
goods the shopper must take off first."""


class WeighStage(enum.StrEnum):
    CLEAR = "clear"
    """Something is on the scale already: take everything off first."""
    PLACE = "place"
    """The scale is empty: place the item."""
    HOLD_STILL = "hold_still"
    """The weight is still changing."""
    READY = "ready"
    """A stable weight and its price: the shopper may add it."""
    OVER_CAPACITY = "over_capacity"


class ScaleCommand(enum.StrEnum):
    """What the session asks of the scale's thread."""

    START = "start"
    """Weigh: report readings until STOP."""
    ZERO = "zero"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class WeighingView:
    """What the weighing screen shows."""

    product: Product
    stage: WeighStage
    grams: int | None = None
    """The live net weight (None until the scale has said one)."""
    price: Money | None = None
    """Only at READY: the weight × the price per kg, by the store's rounding."""


@dataclass(frozen=True, slots=True)
class WeighingShown:
    view: WeighingView | None
    """None: the weighing is over (added, cancelled, or the scale failed)."""


@dataclass(frozen=True, slots=True)
class ScaleAsked:
    command: ScaleCommand


class Weighing:
    """The state of one weighing; fed the scale's readings, it says what to show."""

    def __init__(self, product: Product, rounding: Rounding) -> None:
        self.product = product
        self._rounding = rounding
        self.stage = WeighStage.PLACE
        self._reading: ScaleReading | None = None
        self._empty_seen = False
        self._zeroing = False

    def read(self, reading: ScaleReading) -> ScaleCommand | None:
        """Take a reading; returns ZERO when the scale should be zeroed now."""
        state, grams = reading.state, reading.grams or 0
        if state is ScaleState.BUSY:
            return None
        self._reading = reading
        if state is ScaleState.OVER_CAPACITY:
            self.stage = WeighStage.OVER_CAPACITY
            return None
        stable = state is ScaleState.STABLE
        below_zero = state is ScaleState.UNDER_ZERO or (stable and grams < 0)
        drift = not self._empty_seen and stable and 0 < grams <= ZERO_DRIFT_G
        if below_zero or drift:
            if self._empty_seen:
                self.stage = WeighStage.PLACE
            return self._zero()
        if not self._empty_seen:
            if stable and grams == 0:
                self._empty_seen = True
                self.stage = WeighStage.PLACE
            else:
                self.stage = WeighStage.CLEAR
            return None
        if state is ScaleState.MOVING:
            self.stage = WeighStage.HOLD_STILL
        else:
            self.stage = WeighStage.READY if reading.sellable else WeighStage.PLACE
        return None

    def _zero(self) -> ScaleCommand | None:
        if self._zeroing:
            return None  # asked already: wait for its answer
        self._zeroing = True
        return ScaleCommand.ZERO

    def zeroed(self, result: ZeroResult) -> None:
        """The scale's answer to ZERO. Out of range means goods are on it after all."""
        self._zeroing = False
        if result is ZeroResult.OUT_OF_RANGE and not self._empty_seen:
            self.stage = WeighStage.CLEAR

    def sellable_grams(self) -> int | None:
        """The weight the shopper may add now: stable, positive, after an empty scale."""
        reading = self._reading
        if self.stage is WeighStage.READY and reading is not None and reading.sellable:
            return reading.grams
        return None

    def view(self) -> WeighingView:
        reading = self._reading
        grams = reading.grams if reading is not None else None
        sellable = self.sellable_grams()
        price = (
            weighed_price(self.product.price, sellable, self._rounding)
            if sellable is not None
            else None
        )
        return WeighingView(self.product, self.stage, grams, price)
