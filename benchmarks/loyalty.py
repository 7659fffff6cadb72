"""`python -m benchmarks.loyalty`: speed of members, coupons and promotions, as a table.

- reprice a 200-line cart against 500 active promotions and 50 coupons in the cart
  (the engine alone, and through `price_cart`), goal <= 5 ms on one core;
- member lookup online (signed request to a real central service on loopback, SQLite),
  goal p95 <= 100 ms; and offline from the kiosk's cache, goal <= 1 ms.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core import build_core
from benchmarks.kiosk_core import bench_gtin
from kiosk.domain.basket import Scope
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.catalog import Product
from kiosk.domain.codes import Gtin
from kiosk.domain.coupons import CouponDefinition, CouponGrant, CouponKind, CouponSource
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.offers import OfferEngine, OfferRule, OfferSession
from kiosk.domain.pricing import PricingContext, price_cart
from kiosk.domain.promotions import Promotion, PromotionKind
from kiosk.services.checkout import KioskIdentity
from kiosk.services.config import demo_policy
from kiosk.services.loyalty import LoyaltyKeys, LoyaltySettings, OfferCatalog
from kiosk.services.member_port import LookupUnavailable
from kiosk.services.members import Members
from kiosk.services.setup import database_path, initialise
from kiosk.store.uow import KioskStore

BRANDS = 60
CATEGORIES = 20


def _product(n: int) -> Product:
    return Product(
        gtin=bench_gtin(n),
        names={"en": f"Product {n}"},
        brand=f"brand-{n % BRANDS}",
        category=f"cat-{n % CATEGORIES}",
        tax_class="standard" if n % 3 else "reduced",
        price=Money(100 + (n * 37) % 5000, "CNY"),
    )


def _promotions(rng: random.Random, catalog: int, count: int) -> list[Promotion]:
    kinds = [
        PromotionKind.PERCENT_OFF,
        PromotionKind.AMOUNT_OFF,
        PromotionKind.MULTI_BUY,
        PromotionKind.N_FOR_PRICE,
        PromotionKind.BUY_X_GET_Y,
        PromotionKind.TIER_PRICE,
        PromotionKind.BASKET,
    ]
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        pick = rng.random()
        if pick < 0.6:
            scope = Scope(gtins=frozenset(bench_gtin(rng.randrange(catalog)) for _ in range(3)))
        elif pick < 0.85:
            scope = Scope(brands=frozenset({f"brand-{rng.randrange(BRANDS)}"}))
        else:
            scope = Scope(categories=frozenset({f"cat-{rng.randrange(CATEGORIES)}"}))
        terms: dict[str, object] = {
            PromotionKind.PERCENT_OFF: {"percent_bp": 500 + rng.randrange(2000)},
            PromotionKind.AMOUNT_OFF: {"amount": 50, "stackable": i % 5 == 0},
            PromotionKind.MULTI_BUY: {"buy": 2, "get": 1, "percent_bp": 10_000},
            PromotionKind.N_FOR_PRICE: {"buy": 3, "amount": 500},
            PromotionKind.BUY_X_GET_Y: {
                "buy": 2,
                "get": 1,
                "percent_bp": 5000,
                "reward_scope": Scope(gtins=frozenset({bench_gtin(rng.randrange(catalog))})),
            },
            PromotionKind.TIER_PRICE: {"amount": 90, "tiers": frozenset({"royal"})},
            PromotionKind.BASKET: {"threshold": 10_000, "amount": 1000, "repeat": True},
        }[kind]  # type: ignore[assignment]
        if kind is PromotionKind.TIER_PRICE:
            # A member price is set per item (per GTIN), at a little under the shelf price.
            n = rng.randrange(catalog)
            scope = Scope(gtins=frozenset({bench_gtin(n)}))
            terms = {"amount": _product(n).price.minor * 9 // 10, "tiers": frozenset({"royal"})}
        if kind is PromotionKind.BASKET and i < 35:
            scope = Scope()  # a handful of storewide thresholds; the rest by brand/category
        out.append(
            Promotion(
                f"p{i:04d}",
                f"promotion {i}",
                kind,
                "CNY",
                scope=scope,
                priority=50 + 10 * (i % 5),
                **terms,  # type: ignore[arg-type]
            )
        )
    return out


def _coupons(rng: random.Random, count: int) -> list[CouponDefinition]:
    out = []
    for i in range(count):
        kind = [CouponKind.BRAND, CouponKind.CATEGORY, CouponKind.BASKET][i % 3]
        scope = {
            CouponKind.BRAND: Scope(brands=frozenset({f"brand-{rng.randrange(BRANDS)}"})),
            CouponKind.CATEGORY: Scope(categories=frozenset({f"cat-{rng.randrange(CATEGORIES)}"})),
            CouponKind.BASKET: Scope(),
        }[kind]
        out.append(
            CouponDefinition(
                f"c{i:03d}",
                f"coupon {i}",
                kind,
                "CNY",
                scope=scope,
                amount=100 + 100 * (i % 5),
                min_spend=1000 * (i % 4),
                stackable=i % 5 == 0,  # most wallet coupons do not combine
            )
        )
    return out


CPU: list[float] = []  # CPU time of the last `_timed` run (this thread only)


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds per call; the thread's CPU milliseconds go to `CPU`, which
    stays honest when other processes share the machine."""
    samples = []
    CPU.clear()
    for _ in range(repeat):
        cpu = time.thread_time()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        CPU.append((time.thread_time() - cpu) * 1000)
    return samples


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


@dataclass(frozen=True, slots=True)
class RepriceInputs:
    """The benchmark's cart, catalog, offers and shopper (a test pins its result)."""

    cart: Cart
    products: dict[Gtin, Product]
    context: PricingContext
    engine: OfferEngine
    session: OfferSession


def reprice_inputs(
    lines: int = 200,
    promotions: int = 500,
    coupons: int = 50,
    *,
    seed: int = 11,
    now: datetime | None = None,
) -> RepriceInputs:
    rng = random.Random(seed)
    catalog_size = 2000
    products = {p.gtin: p for p in (_product(n) for n in range(catalog_size))}
    chosen = rng.sample(range(catalog_size), lines)
    cart = Cart(
        "bench",
        tuple(CartLine(i + 1, bench_gtin(n), quantity=1 + i % 4) for i, n in enumerate(chosen)),
    )
    promos = _promotions(rng, catalog_size, promotions)
    definitions = _coupons(rng, coupons)
    engine = OfferEngine(promos, definitions)
    grants = tuple(
        CouponGrant(f"W-{i:03d}", c.coupon_id, CouponSource.WALLET, "m-1")
        for i, c in enumerate(definitions)
    )
    session = OfferSession("m-1", "royal", grants)
    context = PricingContext(demo_policy(), now or datetime.now(UTC), "m-1", "royal", products)
    return RepriceInputs(cart, products, context, engine, session)


def bench_reprice(lines: int = 200, promotions: int = 500, coupons: int = 50) -> dict[str, float]:
    inputs = reprice_inputs(lines, promotions, coupons)
    cart, products, context = inputs.cart, inputs.products, inputs.context
    engine, session = inputs.engine, inputs.session
    base = price_cart(cart, products, context)
    rule = OfferRule(engine, session)
    engine_ms = _timed(lambda: engine.evaluate(base.lines, context, session), 200)
    engine_cpu = list(CPU)
    full_ms = _timed(lambda: price_cart(cart, products, context, [rule]), 200)
    full_cpu = list(CPU)
    result = engine.evaluate(base.lines, context, session)
    return {
        "engine_med": _stats(engine_ms)[0],
        "engine_p95": _stats(engine_ms)[1],
        "full_med": _stats(full_ms)[0],
        "full_p95": _stats(full_ms)[1],
        "engine_cpu": _stats(engine_cpu)[0],
        "engine_cpu_p95": _stats(engine_cpu)[1],
        "full_cpu": _stats(full_cpu)[0],
        "full_cpu_p95": _stats(full_cpu)[1],
        "discounts": len(result.discounts),
        "accepted": sum(1 for v in result.verdicts if v.accepted),
    }


def bench_offline_lookup(folder: Path) -> list[float]:
    class Down:
        def by_code(self, member_code: str) -> None:
            raise LookupUnavailable("down")

        def by_phone_hashes(self, digests: Sequence[str]) -> None:
            raise LookupUnavailable("down")

    store = KioskStore.open(folder / "offline.db")
    keys = LoyaltyKeys.from_chain_key(b"bench-chain-key-0123456789abcdef")
    ids = IdFactory()

    class Clock:
        def now(self) -> datetime:
            return datetime.now(UTC)

    settings = LoyaltySettings()
    catalog = OfferCatalog(store.loyalty, settings)
    service = Members(store, Clock(), ids, keys, settings, catalog, "S001", lookup=Down())
    cards = []
    for n in range(2000):
        view = service.sign_up(f"1380000{n:04d}", consent=True)
        cards.append(service.card_qr(view.member_id))
    rng = random.Random(3)
    picks = [rng.choice(cards) for _ in range(2000)]
    it = iter(picks)
    samples = _timed(lambda: service.by_qr(next(it)), len(picks))
    store.close()
    return samples


def bench_online_lookup(folder: Path, repeat: int = 300) -> tuple[list[float], list[float]]:
    """Wall-clock ms of a member found by code, and of a sign-up's question for a Chinese
    mobile no member has (its hash and the two keypad forms older kiosks made)."""
    import requests

    from central.config import Settings
    from central.db import create_db_engine
    from central.embedded import start
    from central.kiosks.service import add_operator
    from kiosk.domain.members import member_code_for, phone_hash, phone_hashes
    from sync.client import CentralClient, Credential
    from sync.loyalty import CentralMemberLookup
    from sync.protocol import decode_secret

    db_url = f"sqlite:///{folder / 'central.db'}"
    handle = start(
        db_url, settings=Settings(db_url=db_url, secret_key=b"bench-secret-key-32-bytes-long!!")
    )
    try:
        engine = create_db_engine(db_url, pool=False)
        with engine.begin() as conn:
            token = add_operator(conn, "bench", int(time.time() * 1000))
        engine.dispose()
        session = requests.Session()
        code = session.post(
            handle.url + "/v1/admin/enrolment-codes",
            json={"store_id": "S001"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()["code"]
        reply = session.post(handle.url + "/v1/enrol", json={"code": code}, timeout=10).json()
        fields = ("kiosk_id", "store_id", "key_id", "secret", "member_phone_key")
        credential = Credential(
            central_url=handle.url,
            staff_badge_key=reply["staff_badge_key"],
            **{k: reply[k] for k in fields},
        )
        client = CentralClient(handle.url, credential)
        ids = IdFactory()
        members = []
        key = decode_secret(credential.member_phone_key)
        for start_n in range(0, 1000, 250):
            batch = []
            for n in range(start_n, start_n + 250):
                member_id = ids.new()
                members.append(member_code_for(member_id))
                batch.append(
                    {
                        "member_id": member_id,
                        "phone_hash": phone_hash(key, f"1390000{n:04d}"),
                        "consent": {"terms_version": "1", "marketing": False, "given_at": "x"},
                        "store_id": "S001",
                        "created_at": "2026-11-23T00:00:00+00:00",
                    }
                )
            client.call("POST", "/v1/members/batch", body={"members": batch})
        lookup = CentralMemberLookup(client)
        rng = random.Random(5)
        lookup.by_code(members[0])  # warm the connection
        by_code = _timed(lambda: lookup.by_code(rng.choice(members)), repeat)
        unknown = [phone_hashes(key, f"1370000{n:04d}") for n in range(repeat)]
        asks = iter(unknown)
        return by_code, _timed(lambda: lookup.by_phone_hashes(next(asks)), repeat)
    finally:
        handle.stop()


def bench_checkout(folder: Path, lines: int = 200) -> list[float]:
    """`Checkout.state()` for a 200-line cart through the live loyalty rule: the cart's
    coupons and member read from SQLite, the engine rebuilt only when offers change."""
    rng = random.Random(11)
    home = folder / "checkout"
    store = KioskStore.open(database_path(home))
    initialise(store, KioskIdentity("K", "S001"), demo_policy())
    catalog_size = 2000
    store.catalog.upsert_many(_product(n) for n in range(catalog_size))
    store.close()
    core = build_core(home)
    checkout = core.checkout
    core.store.loyalty.save_promotions(_promotions(rng, catalog_size, 500))
    definitions = _coupons(rng, 50)
    core.store.loyalty.save_coupons(definitions)
    member = core.members.sign_up("13800000000", consent=True)
    checkout.set_member(member.member_id)
    for n in rng.sample(range(catalog_size), lines):
        checkout.scan(bench_gtin(n)[1:])
    from kiosk.domain.coupons import printed_code

    for i, d in enumerate(definitions):
        checkout.add_coupon(printed_code(core.members.keys.coupon, d.coupon_id, f"{i:04d}"))
    samples = _timed(checkout.state, 100)
    core.close()
    return samples


def run() -> None:
    rows: list[tuple[str, str, str, str]] = []
    r = bench_reprice()
    rows.append(
        (
            "offers engine: 200 lines, 500 promotions, 50 coupons",
            f"median {r['engine_med']:.2f} ms, p95 {r['engine_p95']:.2f} ms; CPU median "
            f"{r['engine_cpu']:.2f} ms, p95 {r['engine_cpu_p95']:.2f} ms "
            f"({r['discounts']:.0f} discounts, {r['accepted']:.0f} coupons applied)",
            "<= 5 ms",
            "ok" if r["engine_cpu_p95"] <= 5 else "MISSED",
        )
    )
    rows.append(
        (
            "price_cart with the engine (same cart)",
            f"median {r['full_med']:.2f} ms, p95 {r['full_p95']:.2f} ms; CPU median "
            f"{r['full_cpu']:.2f} ms, p95 {r['full_cpu_p95']:.2f} ms",
            "<= 5 ms",
            "ok" if r["full_cpu_p95"] <= 5 else "MISSED",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        med, p95 = _stats(bench_checkout(folder))
        cpu, cpu95 = _stats(CPU)
        rows.append(
            (
                "Checkout.state() with the live loyalty rule (SQLite, 50 coupons in the cart)",
                f"median {med:.2f} ms, p95 {p95:.2f} ms; "
                f"CPU median {cpu:.2f} ms, p95 {cpu95:.2f} ms",
                "(context)",
                "",
            )
        )
        med, p95 = _stats(bench_offline_lookup(folder))
        cpu = _stats(CPU)[1]
        rows.append(
            (
                "member by QR, offline from the cache (2,000 members)",
                f"median {med:.3f} ms, p95 {p95:.3f} ms; CPU p95 {cpu:.3f} ms",
                "<= 1 ms",
                "ok" if p95 <= 1 else "MISSED",
            )
        )
        try:
            found, unknown = bench_online_lookup(folder)
            for what, samples in (
                ("member lookup online (signed, loopback, SQLite)", found),
                ("the same, a new number's three hashes in one question (sign-up)", unknown),
            ):
                med, p95 = _stats(samples)
                rows.append(
                    (
                        what,
                        f"median {med:.1f} ms, p95 {p95:.1f} ms",
                        "p95 <= 100 ms",
                        "ok" if p95 <= 100 else "MISSED",
                    )
                )
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not crash
            rows.append(("member lookup online", f"not measured: {exc}", "p95 <= 100 ms", "?"))
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"Machine: {machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"Date: {datetime.now(UTC):%Y-%m-%d}")
    print()
    print("| what | result | goal | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    run()
