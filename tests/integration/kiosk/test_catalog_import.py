"""Catalog CSV import: every bad row reported by number, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.catalog import Unit
from kiosk.domain.codes import check_digit
from kiosk.domain.errors import CatalogError
from kiosk.domain.money import Money
from kiosk.services.catalog_import import import_catalog
from kiosk.store.uow import KioskStore
from tests.helpers import gtin13

HEADER = (
    "gtin,name_en,name_zh_CN,name_ko,tax_class,price,currency,unit,age_min,deposit,"
    "extra_gtins,recalled_lots\n"
)
TAX = {"standard", "reduced"}
G1, G2, G3 = (gtin13(f"69012345678{n}")[1:] for n in range(3))
PACK = "1" + gtin13("69012345678" + "0")[2:-1]


def write(tmp_path: Path, body: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "catalog.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def test_good_file_imports_every_field(store: KioskStore, tmp_path: Path) -> None:
    pack = PACK + str(check_digit(PACK))
    path = write(
        tmp_path,
        f"{G1},Jasmine tea,茉莉花茶,재스민차,standard,3.50,CNY,each,0,0.50,"
        f"{pack},L1|L2\n"
        f"{G2},Apples,苹果,사과,reduced,12.80,CNY,kg,,,,\n"
        f"{G3},Beer,啤酒,맥주,standard,6.5,CNY,each,18,,,\n",
    )
    report = import_catalog(store, path, TAX)
    assert report.ok
    assert report.imported == 3
    tea = store.catalog.get(gtin13(G1[:-1]))
    assert tea is not None
    assert tea.name("ko") == "재스민차"
    assert tea.price == Money(350, "CNY")
    assert tea.deposit == Money(50, "CNY")
    assert tea.recalled_lots == {"L1", "L2"}
    assert store.catalog.get(tea.extra_gtins[0]) == tea  # the 6-pack code finds the product
    apples = store.catalog.get(gtin13(G2[:-1]))
    assert apples is not None
    assert apples.unit is Unit.KG
    beer = store.catalog.get(gtin13(G3[:-1]))
    assert beer is not None
    assert beer.age_min == 18


def test_bad_rows_are_all_listed_and_nothing_is_imported(store: KioskStore, tmp_path: Path) -> None:
    bad_check = G1[:-1] + str((int(G1[-1]) + 1) % 10)
    path = write(
        tmp_path,
        f"{G1},Tea,,,standard,3.50,CNY,each,,,,\n"
        f"{bad_check},Typo,,,standard,1.00,CNY,each,,,,\n"
        f"{G2},Lux,,,luxury,1.00,CNY,each,,,,\n"
        f"{G3},Cheap,,,standard,1.001,CNY,each,,,,\n"
        f"{G1},Again,,,standard,1.00,CNY,each,,,,\n"
        f"{G2},Heavy,,,standard,1.00,CNY,litre,,,,\n"
        f"{G2},Extra,,,standard,1.00,CNY,each,,,,,surplus\n"
        f"{G3},Old,,,standard,1.00,CNY,each,abc,,,\n",
    )
    report = import_catalog(store, path, TAX)
    assert not report.ok
    assert report.imported == 0
    assert store.catalog.count() == 0
    by_row = {e.row: e.message for e in report.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert "check digit" in by_row[3]
    assert "luxury" in by_row[4]
    assert "decimals" in by_row[5]
    assert "row 2" in by_row[6]
    assert "unit" in by_row[7]
    assert "more fields" in by_row[8]
    assert "age_min" in by_row[9]


def test_a_failed_import_leaves_the_previous_catalog_alone(
    store: KioskStore, tmp_path: Path
) -> None:
    assert import_catalog(store, write(tmp_path, f"{G1},Tea,,,standard,3.50,CNY,,,,,\n"), TAX).ok
    report = import_catalog(
        store,
        write(tmp_path, f"{G1},Tea,,,standard,9.99,CNY,,,,,\n{G2},,,,standard,1.00,CNY,,,,,\n"),
        TAX,
    )
    assert not report.ok
    tea = store.catalog.get(gtin13(G1[:-1]))
    assert tea is not None
    assert tea.price == Money(350, "CNY")


@pytest.mark.parametrize(
    ("header", "body", "encoding", "message"),
    [
        ("gtin,name_en,price\n", "", "utf-8", "required columns: tax_class, currency"),
        ("gtin,name_en,tax_class,price,currency,colour\n", "", "utf-8", "unknown columns"),
        (HEADER, f"{G1},Thé,,,standard,1.00,CNY,,,,,\n", "latin-1", "not UTF-8"),
        (HEADER, f'{G1},"unterminated,,,standard,1.00,CNY,,,,,\n', "utf-8", "not valid CSV"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(
    store: KioskStore, tmp_path: Path, header: str, body: str, encoding: str, message: str
) -> None:
    with pytest.raises(CatalogError, match=message):
        import_catalog(store, write(tmp_path, body, header, encoding), TAX)
    assert store.catalog.count() == 0


def test_byte_order_mark_from_excel_is_accepted(store: KioskStore, tmp_path: Path) -> None:
    path = write(tmp_path, f"{G1},Tea,,,standard,3.50,CNY,,,,,\n", "\ufeff" + HEADER)
    assert import_catalog(store, path, TAX).imported == 1


def test_loose_goods_keep_plu_and_picture_and_are_listed_for_the_picker_with_pinyin(
    store: KioskStore, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        f"{G1},Jasmine tea,茉莉花茶,재스민차,standard,3.50,CNY,each,,,\n"
        f"{G2},Fuji Apples,红富士苹果,후지 사과,reduced,12.80,CNY,kg,4131,fuji-apples.png\n"
        f"{G3},Rye Bread,黑麦面包,호밀빵,reduced,9.90,CNY,each,,rye-bread.png\n",
        header="gtin,name_en,name_zh_CN,name_ko,tax_class,price,currency,unit,plu,picture,"
        "recalled_lots\n",
    )
    assert import_catalog(store, path, TAX).ok
    apples = store.catalog.get(gtin13(G2[:-1]))
    assert apples is not None
    assert (apples.plu, apples.picture) == ("4131", "fuji-apples.png")
    listed = {e.product.name("en"): e for e in store.catalog.looked_up()}
    assert sorted(listed) == ["Fuji Apples", "Rye Bread"]  # the barcoded tea is scanned
    # pinyin was worked out at import: the picker only compares strings
    assert listed["Fuji Apples"].initials == ("hfspg",)
    assert listed["Rye Bread"].initials == ("hmmb",)
