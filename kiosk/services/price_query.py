"""Where `kiosk price` finds what it prices against: the import CSVs, or the kiosk's own
data (its policy, catalog and the offers it last pulled). The pricing itself is the
domain's (`kiosk.domain.price_query`)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.catalog import Product
from kiosk.domain.catalog_csv import read_catalog
from kiosk.domain.codes import Gtin, parse_product_code
from kiosk.domain.coupons import coupon_from_csv
from kiosk.domain.errors import CatalogError, KioskError
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.members import TierPolicy, carrefour_tiers
from kiosk.domain.policy import StorePolicy
from kiosk.domain.price_query import Offers, PriceQueryError
from kiosk.domain.promotions import offer_rows, promotion_from_csv
from kiosk.services.config import with_central
from kiosk.services.loyalty import LoyaltySettings, OfferCatalog
from kiosk.services.setup import load_setup
from kiosk.store.uow import KioskStore


def offers_from_csv(
    policy: StorePolicy,
    catalog: Path,
    promotions: Path | None = None,
    coupons: Path | None = None,
    tiers: TierPolicy | None = None,
) -> Offers:
    """Read the catalog, promotions and coupons CSVs (the import formats); any bad row
    refuses the query, named by file and row."""
    parsed = read_catalog(io.StringIO(_text(catalog)), policy.tax_classes.keys())
    if parsed.errors:
        raise CatalogError(f"{catalog.name} {parsed.errors[0]}")
    tz = ZoneInfo(policy.timezone)
    return Offers(
        products={p.gtin: p for p in parsed.products},
        promotions=tuple(_offers(promotions, lambda row: promotion_from_csv(row, tz))),
        coupons=tuple(_offers(coupons, lambda row: coupon_from_csv(row, tz))),
        policy=policy,
        tiers=tiers or carrefour_tiers(),
    )


def offers_from_store(store: KioskStore, request: Any) -> Offers:
    """The kiosk's own data: its policy, the catalog entries the basket names, and the
    promotions, coupons and tier policy it last pulled (as the checkout prices)."""
    policy = with_central(load_setup(store).policy, store.settings)
    products: dict[Gtin, Product] = {}
    items = request.get("items") if isinstance(request, dict) else None
    for item in items if isinstance(items, list) else []:
        text = item.get("code") if isinstance(item, dict) else None
        try:
            gtin = parse_product_code(str(text), rcn_rules=policy.rcn_rules).gtin
        except KioskError:
            continue  # refused later, with the checkout's reason
        product = store.catalog.get(gtin)
        if product is not None:  # keyed by the code scanned and by its own GTIN
            products[gtin] = products[product.gtin] = product
    catalog = OfferCatalog(store.loyalty, LoyaltySettings())
    engine = catalog.engine()
    return Offers(
        products, engine.promotions, tuple(engine.coupons.values()), policy, catalog.tiers()
    )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PriceQueryError(f"cannot read {path}: {exc}") from None


def _offers(path: Path | None, parse: Any) -> Iterable[Any]:
    if path is None:
        return []
    found = []
    try:
        for number, row in offer_rows(io.StringIO(_text(path))):
            try:
                found.append(parse(row))
            except (KioskError, ValueError) as exc:
                raise OfferError(f"row {number}: {exc}") from exc
    except OfferError as exc:
        raise OfferError(f"{path.name} {exc}") from exc
    return found
