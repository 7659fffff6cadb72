"""Receipts: the text layout, and the bytes that reach real ESC/POS printer connections."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from kiosk.domain.catalog import Unit
from kiosk.domain.ids import IdFactory
from kiosk.domain.money import Money
from kiosk.domain.pickup import CollectedLine, CollectedOrder
from kiosk.domain.policy import StorePolicy
from kiosk.domain.pricing import Discount, PricedLine, PricingContext
from kiosk.domain.receipt import (
    Receipt,
    StoreInfo,
    build_receipt,
    cells,
    pickup_slip,
    render_text,
)
from kiosk.domain.sale import Tender
from kiosk.domain.staff import Role, Staff
from kiosk.services.checkout import Checkout, KioskIdentity
from kiosk.services.printing import PrinterConfig, PrinterError, ReceiptPrinter
from kiosk.store.uow import KioskStore
from tests.helpers import FixedClock, gtin13, make_product

STORE = StoreInfo("家乐福 Carrefour 古北店", "上海市长宁区水城南路268号", "91310000MA1FL0000X")
EXIT = "EX1.ABCDEF0123"


@pytest.fixture
def receipt(store: KioskStore, policy: StorePolicy, clock: FixedClock) -> Receipt:
    tea = replace(
        make_product(1, price=350),
        names={"zh_CN": "东方树叶 茉莉花茶 500ml", "en": "Oriental Leaf Jasmine Tea 500ml"},
    )
    apples = make_product(2, price=1280, unit=Unit.KG, tax_class="reduced")
    store.catalog.upsert_many([tea, apples, make_product(3, price=900)])
    checkout = Checkout(store, KioskIdentity("K01", "S001"), policy, clock, IdFactory())
    checkout.scan(tea.gtin[1:])
    checkout.scan(tea.gtin[1:])
    label = gtin13("2200002" + "00734")
    checkout.scan(label[1:])
    checkout.scan(make_product(3).gtin[1:])
    checkout.void_line(Staff("9", "Sue", Role.SUPERVISOR), 3, "damaged")
    state = checkout.begin_payment()
    sale = checkout.complete_sale(Tender("p-1", "wechat", state.priced.total, "4200001234"))
    return build_receipt(
        sale, STORE, "zh_CN", exit_code=EXIT, e_receipt_url="https://central.example/r/abc"
    )


def test_text_layout_fits_the_paper_in_cells(receipt: Receipt) -> None:
    lines = render_text(receipt, "zh_CN", width=42)
    assert all(cells(line) <= 42 for line in lines)
    text = "\n".join(lines)
    assert "东方树叶 茉莉花茶 500ml" in text
    assert "2 x 3.50" in text
    assert "0.734 kg x 12.80/kg" in text
    assert "已作废" in text  # the voided line is shown as such
    assert "合计 (3 件)" in text
    assert "16.40 CNY" in text  # 7.00 + 9.40 (9.3952 rounded half up)
    assert "出口处请出示此码" in text


def test_narrow_paper_cuts_names_by_display_width(receipt: Receipt) -> None:
    assert all(cells(line) <= 32 for line in render_text(receipt, "ko", width=32))


COLLECTED = (
    CollectedOrder(
        "0192f3a4-5b6c-7d8e-9f00-112233aabbcc", "p-1", "李**",
        (CollectedLine("06935412001014", {"zh_CN": "农夫山泉 饮用天然水 550ml（整箱 24 瓶装）",
                                          "en": "Water"}, 2),),
    ),
)  # fmt: skip


def test_collected_group_buy_orders_are_listed_apart_from_the_total(receipt: Receipt) -> None:
    lines = render_text(replace(receipt, collected=COLLECTED), "zh_CN", width=32)
    assert all(cells(line) <= 32 for line in lines)
    text = "\n".join(lines)
    assert "团购提货（已预付）" in text
    assert "订单 AABBCC" in text
    assert "合计 (3 件)" in text  # the collected goods are prepaid: not in the sale's total
    assert lines.index("团购提货（已预付）") > next(
        n for n, line in enumerate(lines) if line.startswith("合计")
    )


def test_the_pickup_slip_of_a_pickup_with_nothing_bought(clock: FixedClock) -> None:
    lines = pickup_slip(STORE, "K01", COLLECTED, clock.now(), "en")
    assert all(cells(line) <= 42 for line in lines)
    assert any(line.startswith("Order AABBCC") and line.endswith("李**") for line in lines)
    assert any(line.strip().endswith("x 2") for line in lines)
    assert "Show this code at the exit" in "\n".join(lines)


def test_file_printer_gets_escpos_bytes(receipt: Receipt, tmp_path: Path) -> None:
    out = tmp_path / "lp0"
    ReceiptPrinter(PrinterConfig(f"file:{out}")).print(receipt, "zh_CN")
    data = out.read_bytes()
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    assert b"\x1c&" in data  # double-byte mode on
    assert "东方树叶".encode("gb18030") in data
    assert b"\x1d(k" in data  # native QR
    assert EXIT.encode() in data
    assert data.endswith(b"\x1dV\x00")  # cut


def test_printer_that_cannot_be_reached(receipt: Receipt, tmp_path: Path) -> None:
    with pytest.raises(PrinterError) as info:
        ReceiptPrinter(PrinterConfig(f"file:{tmp_path}/missing/lp0")).print(receipt, "en")
    assert info.value.reason == "printer_offline"
    with pytest.raises(PrinterError):
        ReceiptPrinter(PrinterConfig("tcp://127.0.0.1:9")).print(receipt, "en")


class _FakeNetworkPrinter(socketserver.BaseRequestHandler):
    """A loopback stand-in for a network receipt printer: it answers ESC/POS status
    queries (DLE EOT 4) like a real one and records what it was sent."""

    def handle(self) -> None:
        server: _PrinterServer = self.server  # type: ignore[assignment]
        while chunk := self.request.recv(4096):
            server.received += chunk
            if b"\x10\x04\x04" in chunk:
                self.request.sendall(bytes([server.paper_byte]))
        server.session_over.set()


class _PrinterServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    received = b""
    paper_byte = 0x12
    session_over = threading.Event()


@pytest.fixture
def network_printer() -> Iterator[_PrinterServer]:
    server = _PrinterServer(("127.0.0.1", 0), _FakeNetworkPrinter)
    server.session_over = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_network_printer_out_of_paper_prints_nothing(
    receipt: Receipt, network_printer: _PrinterServer
) -> None:
    network_printer.paper_byte = 0x72  # paper end sensors set
    port = network_printer.server_address[1]
    with pytest.raises(PrinterError) as info:
        ReceiptPrinter(PrinterConfig(f"tcp://127.0.0.1:{port}")).print(receipt, "en")
    assert info.value.reason == "printer_no_paper"
    assert EXIT.encode() not in network_printer.received


def test_network_printer_with_paper_prints(
    receipt: Receipt, network_printer: _PrinterServer
) -> None:
    port = network_printer.server_address[1]
    ReceiptPrinter(PrinterConfig(f"tcp://127.0.0.1:{port}", encoding="cp949")).print(receipt, "ko")
    assert network_printer.session_over.wait(10)
    assert "합계".encode("cp949") in network_printer.received


@dataclass(frozen=True)
class ItemAndBasketOff:
    """¥1 off line 1 (its own) and ¥1 off the basket (spread over every line)."""

    rule_id = "test"

    def discounts(self, lines: tuple[PricedLine, ...], context: PricingContext) -> list[Discount]:
        every = tuple(line.line_no for line in lines)
        return [
            Discount("item", "tea ¥1 off", Money(100, "CNY"), (1,)),
            Discount("basket", "¥1 off the basket", Money(100, "CNY"), every, shared=True),
        ]


def test_lines_carry_their_own_savings_and_the_basket_s_are_listed_once(
    store: KioskStore, policy: StorePolicy, clock: FixedClock
) -> None:
    tea, water = make_product(1, price=350), make_product(2, price=900)
    store.catalog.upsert_many([tea, water])
    checkout = Checkout(
        store, KioskIdentity("K01", "S001"), policy, clock, IdFactory(), rules=[ItemAndBasketOff()]
    )
    checkout.scan(tea.gtin[1:])
    checkout.scan(water.gtin[1:])
    state = checkout.begin_payment()
    sale = checkout.complete_sale(Tender("p-1", "wechat", state.priced.total, "4200001234"))
    receipt = build_receipt(sale, STORE, "en")
    assert [line.discount.minor for line in receipt.lines] == [100, 0]  # as the cart showed
    assert {d: a.minor for d, a in receipt.discounts} == {
        "tea ¥1 off": 100,
        "¥1 off the basket": 100,
    }
    # Nothing counted twice: lines, less the lines' own savings and the basket's, is the total.
    gross = sum(line.amount.minor for line in receipt.lines)
    own = sum(line.discount.minor for line in receipt.lines)
    assert gross - own - 100 == receipt.total.minor == 350 + 900 - 200
