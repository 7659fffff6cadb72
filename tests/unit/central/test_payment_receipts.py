"""E-receipt links (HMAC, expiry) and the page rendered from a stored sale document."""

from __future__ import annotations

from central.payments.config import StoreConfig
from central.receipts import service as receipts
from central.receipts.service import StoredSale

MASTER = b"master-key-for-receipt-link-tests"
SALE = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
NOW_MS = 1_795_000_000_000


def test_links_verify_only_for_their_sale_and_until_they_expire() -> None:
    expires = NOW_MS // 1000 + 3600
    sig = receipts.signature(MASTER, SALE, expires, "S001")
    assert receipts.link_ok(MASTER, SALE, expires, "S001", sig, NOW_MS)
    assert not receipts.link_ok(MASTER, SALE, expires + 1, "S001", sig, NOW_MS)
    assert not receipts.link_ok(MASTER, SALE.replace("5b", "5c"), expires, "S001", sig, NOW_MS)
    assert not receipts.link_ok(MASTER, SALE, expires, "S002", sig, NOW_MS)
    other = b"another-master-key-0123456789abc"
    assert not receipts.link_ok(other, SALE, expires, "S001", sig, NOW_MS)
    assert not receipts.link_ok(MASTER, SALE, expires, "S001", sig, (expires + 1) * 1000)
    forever = receipts.signature(MASTER, SALE, receipts.NO_EXPIRY, "S001")
    assert receipts.link_ok(MASTER, SALE, receipts.NO_EXPIRY, "S001", forever, 10**15)
    url = receipts.link("https://pay.example/", MASTER, SALE, expires, "S001", "ko")
    assert url == f"https://pay.example/r/{SALE}?exp={expires}&st=S001&sig={sig}&lang=ko"


def _doc(name: str) -> dict[str, object]:
    return {
        "sale_id": SALE, "store_id": "S001", "sequence": 3, "currency": "KRW",
        "created_at": "2026-11-23T13:05:00+09:00", "status": "paid", "training": True,
        "lines": [{"line_no": 1, "gtin": "1", "names": {"ko": name, "en": "Kimchi"},
                   "state": "active", "quantity": 2, "weight_g": None,
                   "unit_price_minor": 4500, "gross_minor": 9000, "discount_minor": 0}],
        "discounts": [], "taxes": [], "tenders": [], "subtotal_minor": 9000,
        "deposit_minor": 0, "total_minor": 9000, "item_count": 2,
    }  # fmt: skip


def test_page_escapes_what_the_kiosk_sent_and_marks_training() -> None:
    html = receipts.render(
        StoredSale(_doc("<script>alert(1)</script>김치"), None),
        StoreConfig(merchant_name="Demo & Co"),
        "ko",
        f"/r/{SALE}?exp=0&sig=x",
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Demo &amp; Co" in html
    assert "9,000 KRW" in html
    assert "교육 모드" in html  # training banner in Korean
    assert '<html lang="ko">' in html
    assert "<svg" not in html  # no exit code handed in


def test_english_falls_back_to_english_names() -> None:
    html = receipts.render(StoredSale(_doc("김치"), "EX1.TEST"), StoreConfig(), "en", "/r/x?")
    assert "Kimchi" in html
    assert "<svg" in html
