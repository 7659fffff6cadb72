"""One basket, every entry point, one price: the simulator's core (training), the core the
demo and the benchmarks build, the Qt-free session, the kiosk's window and `kiosk price`.

They all go through `app.core.build_core`; this holds them to it, promotions included, so a
simulated sale is never priced differently from a shopper's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from app.core import CoreOptions, build_core
from demo.store import DemoStore
from kiosk.domain.codes import display_gtin
from kiosk.domain.pricing import PricedCart
from kiosk.domain.scan import ScanEvent, ScanSource, Symbology
from kiosk.services.checkout import CartState
from kiosk.services.shopper import ShopperSession
from tests.ui.conftest import KitFactory


def basket(demo: DemoStore) -> list[str]:
    """Enough of the catalog, some twice, to pass the demo store's basket promotions."""
    products = demo.fixed[:9]
    return [display_gtin(p.gtin) for p in [*products, *products[:3]]]


def summary(priced: PricedCart) -> tuple[int, int, list[tuple[str, int]]]:
    discounts = sorted((d.rule_id, d.amount.minor) for d in priced.discounts)
    return priced.total.minor, priced.discount_total.minor, discounts


def test_a_basket_costs_the_same_through_every_entry_point(
    make_kit: KitFactory, seeded: tuple[Path, DemoStore], tmp_path: Path, home: Path
) -> None:
    seed, demo = seeded
    codes = basket(demo)

    def fresh(name: str) -> Path:
        """Each entry point starts from the demo store as seeded, with an empty cart."""
        target = tmp_path / name
        shutil.copytree(seed, target)
        return target

    answers: dict[str, tuple[int, int, list[tuple[str, int]]]] = {}

    # `kiosk price` reads the kiosk's data and changes nothing: ask it first.
    items = [{"code": code} for code in codes]
    (tmp_path / "basket.json").write_text(json.dumps({"items": items}), encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(home), "price", str(tmp_path / "basket.json")])
    assert result.exit_code == 0, result.output
    query = json.loads(result.output)
    answers["kiosk price"] = (
        query["total"],
        query["discount_total"],
        sorted((d["rule_id"], d["amount"]) for d in query["discounts"]),
    )

    for name, options in (("simulator", CoreOptions(training=True)), ("demo", CoreOptions())):
        core = build_core(fresh(name), options)
        try:
            state: CartState | None = None
            for code in codes:
                state = core.checkout.scan(code)
            assert state is not None
            answers[name] = summary(state.priced)
        finally:
            core.close()

    core = build_core(fresh("session"))
    try:
        session = ShopperSession(core)
        for code in codes:
            session.scan(ScanEvent(code, Symbology.EAN13, ScanSource.CAMERA, 0.0))
        answers["session"] = summary(session.state.priced)
    finally:
        core.close()

    kit = make_kit()
    for code in codes:
        kit.scan(code, Symbology.EAN13)
    answers["window"] = summary(kit.kiosk.session.state.priced)

    assert answers["window"][1] > 0, "the basket must meet a promotion to prove anything"
    first = answers["window"]
    assert all(answer == first for answer in answers.values()), answers
