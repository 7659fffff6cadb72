"""The catalog, promotions and coupons CSV formats: one amount format, strict numbers and
flags, every refusal naming its row, and no crash but the format's own error."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.catalog import Plu, Product, Unit, product_from_wire, product_to_wire
from kiosk.domain.catalog_csv import (
    KNOWN,
    catalog_clashes,
    parse_catalog_csv,
    product_from_row,
    product_to_row,
    read_catalog,
)
from kiosk.domain.coupons import (
    COUPON_CSV_COLUMNS,
    coupon_from_csv,
    coupon_from_wire,
    coupon_to_csv,
    coupon_to_wire,
)
from kiosk.domain.errors import CatalogError
from kiosk.domain.loyalty_errors import OfferError
from kiosk.domain.money import Money
from kiosk.domain.promotions import (
    PROMOTION_CSV_COLUMNS,
    YEARS,
    offer_rows,
    promotion_from_csv,
    promotion_from_wire,
    promotion_to_csv,
    promotion_to_wire,
)
from tests.helpers import PARSER_EXAMPLES, REPO, gtin13, make_product
from tests.unit.kiosk.loyalty_data import COUPONS, PROMOTIONS

CATALOG_HEADER = "gtin,name_en,tax_class,price,currency,unit,age_min,deposit\n"


def _catalog(*rows: str) -> tuple[list[int], list[str]]:
    result = read_catalog(io.StringIO(CATALOG_HEADER + "".join(rows)))
    return [p.price.minor for p in result.products], [str(e) for e in result.errors]


def test_a_decimal_comma_is_refused_with_its_row_not_read_as_a_hundred_times_more() -> None:
    prices, errors = _catalog(
        "6901234567892,Tea,standard,12.80,CNY,,,\n",
        '6935412001014,Water,standard,"12,80",CNY,,,\n',
    )
    assert prices == [1280]
    assert len(errors) == 1
    assert errors[0].startswith("row 3: '12,80' is not an amount")


@pytest.mark.parametrize(
    "cell", ["-1.00", "+1.00", "1_000", "\uff11\uff12", "1.2.3", "1.234", "1 000"]
)
def test_catalog_prices_and_deposits_take_one_format(cell: str) -> None:
    _, errors = _catalog(f"6901234567892,Tea,standard,{cell},CNY,,,\n")
    assert [e.split(":")[0] for e in errors] == ["row 2"]
    _, errors = _catalog(f"6901234567892,Tea,standard,1.00,CNY,,,{cell}\n")
    assert [e.split(":")[0] for e in errors] == ["row 2"]


@pytest.mark.parametrize("age", ["\u00b2", "+18", "1_8", "18000"])
def test_age_is_plain_digits(age: str) -> None:
    _, errors = _catalog(f"6901234567892,Tea,standard,1.00,CNY,,{age},\n")
    assert len(errors) == 1
    assert errors[0].startswith("row 2: age_min")


LOOSE_HEADER = "gtin,name_en,tax_class,price,currency,unit,plu,picture\n"


def _loose(*rows: str) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    result = read_catalog(io.StringIO(LOOSE_HEADER + "".join(rows)))
    return [(p.plu, p.picture) for p in result.products], [str(e) for e in result.errors]


def test_plu_and_picture_are_optional_and_kept() -> None:
    found, errors = _loose(
        "2210001000000,Fuji Apples,reduced,12.80,CNY,kg,4131,fuji-apples.png\n",
        "2210002000009,Bananas,reduced,6.98,CNY,kg, 94011 ,\n",
        "6901234567892,Tea,standard,1.00,CNY,each,,\n",
    )
    assert errors == []
    assert found == [("4131", "fuji-apples.png"), ("94011", None), (None, None)]


@pytest.mark.parametrize(
    ("plu", "picture", "column"),
    [
        ("411", "", "plu"),  # too short
        ("2999", "", "plu"),  # below IFPS's 3000-4999
        ("5000", "", "plu"),
        ("74011", "", "plu"),  # 5 digits start with 9 (organic) or 8
        ("９４０１１", "", "plu"),  # full-width digits
        ("4011", "../secret.png", "picture"),  # never a path
        ("4011", "Apples.PNG", "picture"),
        ("4011", "apples.gif", "picture"),
    ],
)
def test_bad_plu_or_picture_is_listed_with_its_row(plu: str, picture: str, column: str) -> None:
    found, errors = _loose(
        "2210001000000,Fuji Apples,reduced,12.80,CNY,kg,4131,\n",
        f"2210002000009,Bananas,reduced,6.98,CNY,kg,{plu},{picture}\n",
    )
    assert found == [("4131", None)]
    assert len(errors) == 1
    assert errors[0].startswith(f"row 3: {column}")


def test_plu_and_picture_travel_only_when_set() -> None:
    """A catalog feed item without them keeps its old document (no new feed sequence)."""
    found = read_catalog(
        io.StringIO(
            LOOSE_HEADER
            + "2210001000000,Fuji Apples,reduced,12.80,CNY,kg,4131,fuji-apples.png\n"
            + "6901234567892,Tea,standard,1.00,CNY,each,,\n"
        )
    ).products
    apples, tea = (product_to_wire(p) for p in found)
    assert (apples["plu"], apples["picture"]) == ("4131", "fuji-apples.png")
    assert "plu" not in tea
    assert "picture" not in tea
    assert [product_from_wire(w) for w in (apples, tea)] == found
    with pytest.raises(CatalogError):
        product_from_wire({**apples, "picture": "../../etc/passwd"})


def test_a_plu_names_one_product() -> None:
    _, errors = _loose(
        "2210001000000,Fuji Apples,reduced,12.80,CNY,kg,4131,\n",
        "2210002000009,Big Fuji Apples,reduced,14.80,CNY,kg,4131,\n",
    )
    assert errors == ["row 3: plu already used on row 2"]


WATER, WATER_CASE, APPLES = make_product(1), gtin13("169354120010"), make_product(2, unit=Unit.KG)
CATALOG = (replace(WATER, extra_gtins=(WATER_CASE,)), replace(APPLES, plu=Plu("4131")))


def _clashes(*incoming: Product) -> dict[str, str]:
    return {g: str(e) for g, e in catalog_clashes(incoming, CATALOG).items()}


def test_a_code_or_plu_names_one_product_across_the_catalog() -> None:
    """An extra code (outer pack) is looked up at the kiosk by the code alone: another
    product claiming water's code or case code would ring the case up as itself."""
    gala = make_product(3, unit=Unit.KG)
    assert _clashes(replace(gala, extra_gtins=(WATER.gtin,))) == {
        gala.gtin: f"{WATER.gtin} is another product's GTIN; a code names one product"
    }
    assert _clashes(replace(gala, extra_gtins=(WATER_CASE,))) == {
        gala.gtin: f"{WATER_CASE} is already an extra code of product {WATER.gtin}; "
        "remove it there first"
    }
    new = replace(make_product(4), gtin=WATER_CASE)  # a new product: its GTIN is the case's
    assert _clashes(new) == {
        WATER_CASE: f"{WATER_CASE} is already an extra code of product {WATER.gtin}; "
        "remove it there first"
    }
    assert _clashes(replace(gala, plu=Plu("4131"))) == {
        gala.gtin: f"plu 4131 is already used by {APPLES.gtin}; clear it there first"
    }
    said = catalog_clashes([replace(gala, extra_gtins=(WATER_CASE,))], CATALOG)[gala.gtin]
    assert (said.say, said.params) == ("code_taken", {"code": WATER_CASE, "gtin": WATER.gtin})


def test_a_product_brought_again_keeps_its_codes_and_a_code_moves_with_both_products() -> None:
    assert _clashes(*CATALOG) == {}
    assert _clashes(replace(CATALOG[0], price=Money(250, "CNY"))) == {}
    # The case code and the PLU move to Gala when water and the apples come without them.
    gala = replace(make_product(3, unit=Unit.KG), extra_gtins=(WATER_CASE,), plu=Plu("4131"))
    assert _clashes(gala, WATER, APPLES) == {}
    assert set(_clashes(gala, WATER)) == {gala.gtin}  # the apples keep the PLU


@given(st.permutations(range(6)), st.integers(0, 5))
def test_a_catalog_without_clashes_brought_again_in_any_part_has_none(
    order: list[int], cut: int
) -> None:
    products = [replace(make_product(n), extra_gtins=(gtin13(f"1690{n:08d}"),)) for n in order]
    assert catalog_clashes(products[:cut], products) == {}
    assert catalog_clashes(products[cut:], products) == {}


def _offer(columns: list[str], **cells: str) -> dict[str, str]:
    return {column: cells.get(column, "") for column in columns}


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("amount", "12,80"),
        ("amount", "-1"),
        ("threshold", "1_000"),
        ("percent", "+10"),
        ("buy", "+2"),
        ("buy", "1_0"),
        ("buy", "\u0663"),  # Arabic-Indic three
        ("priority", "-1"),
        ("stackable", "ture"),
        ("repeat", "2"),
    ],
)
def test_promotion_cells_are_strict(column: str, cell: str) -> None:
    cells = {"promotion_id": "p", "kind": "multi_buy", "buy": "2", "get": "1", "percent": "100"}
    row = _offer(PROMOTION_CSV_COLUMNS, **{**cells, column: cell})
    with pytest.raises(OfferError, match=column):
        promotion_from_csv(row, UTC)


def test_coupon_offline_ok_false_means_false() -> None:
    # Read as "not 0" it used to mean true: a coupon meant to be online-only went offline.
    row = _offer(COUPON_CSV_COLUMNS, coupon_id="c", kind="basket", amount="5", offline_ok="false")
    assert coupon_from_csv(row, UTC).offline_ok is False
    assert coupon_from_csv({**row, "offline_ok": ""}, UTC).offline_ok is True
    with pytest.raises(OfferError, match="offline_ok"):
        coupon_from_csv({**row, "offline_ok": "nein"}, UTC)


def test_offer_rows_count_rows_as_a_spreadsheet_does() -> None:
    text = 'coupon_id,name,kind,amount\na,"two\nlines",basket,5\n\nb,B,basket,"5,00"\n'
    numbered = list(offer_rows(io.StringIO(text)))
    # Header 1; a cell with a line break is one row of a spreadsheet; the blank row counts.
    assert [n for n, _ in numbered] == [2, 4]
    with pytest.raises(OfferError, match="row 2: more fields"):
        list(offer_rows(io.StringIO("coupon_id,kind\nx,basket,extra\n")))


@given(
    st.lists(
        st.lists(st.text(st.characters(blacklist_characters="\r\x00"), max_size=6), min_size=2,
                 max_size=2),
        min_size=1, max_size=6,
    ),
    st.data(),
)  # fmt: skip
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_a_quote_left_open_is_named_by_the_row_of_its_record(
    rows: list[list[str]], data: st.DataObject
) -> None:
    # A spreadsheet numbers records, a cell with line breaks being one row; a record
    # whose cells are all blank is skipped, but keeps its number.
    numbered = list(offer_rows(io.StringIO(_csv(["promotion_id", "kind"], rows))))
    assert [n for n, _ in numbered] == [
        n for n, cells in enumerate(rows, start=2) if any(cell.strip() for cell in cells)
    ]
    assert [list(row.values()) for _, row in numbered] == [
        cells for cells in rows if any(cell.strip() for cell in cells)
    ]
    broken = data.draw(st.integers(0, len(rows) - 1))
    blank = "\n" * data.draw(st.integers(0, 2))
    # Every record as it was written, blank lines, then one whose second cell opens a
    # quote it never closes: the rest of the file is swallowed into it.
    text = _csv(["promotion_id", "kind"], rows[:broken]) + blank + 'x,"never closed\ny,z\n'
    with pytest.raises(OfferError) as refused:
        list(offer_rows(io.StringIO(text)))
    assert refused.value.say == "not_csv"
    assert refused.value.params["row"] == broken + 2 + len(blank)


def test_csv_syntax_is_refused_with_the_row_and_python_s_words() -> None:
    header = "promotion_id,kind\n"
    with pytest.raises(OfferError, match=r"row 3: not valid CSV: ',' expected"):
        list(offer_rows(io.StringIO(header + "a,b\n" + 'c,"d"e\n')))
    with pytest.raises(CatalogError) as refused:
        read_catalog(io.StringIO('gtin,"name_en\n'))
    assert refused.value.params == {"row": 1, "detail": "unexpected end of data"}
    with pytest.raises(CatalogError, match="row 3: not valid CSV"):
        _catalog("4006381333931,a,standard,1.00,CNY,,,\n", '4006381333931,"a"b,standard\n')


@pytest.mark.parametrize("read", [promotion_from_csv, coupon_from_csv])
def test_an_unknown_kind_is_refused_with_the_kinds_there_are(read: Any) -> None:
    with pytest.raises(OfferError) as refused:
        read({"promotion_id": "p", "coupon_id": "p", "kind": "percent-off", "percent": "5"})
    assert refused.value.say == "offer_kind"
    assert refused.value.params["value"] == "percent-off"
    assert "basket" in refused.value.params["kinds"]


@pytest.mark.parametrize("read", [promotion_from_csv, coupon_from_csv])
def test_an_offer_is_in_a_currency_the_kiosks_know(read: Any) -> None:
    row = {"promotion_id": "p", "coupon_id": "p", "kind": "basket", "percent": "5",
           "threshold": "10", "gtins": "4006381333931"}  # fmt: skip
    # Typed in any case, as the store rules form takes it.
    assert read({**row, "currency": " krw "}).currency == "KRW"
    assert read(row).currency == "CNY"
    # An offer in a currency no kiosk prices in would never apply, and say nothing.
    with pytest.raises(OfferError) as refused:
        read({**row, "currency": "RMB"})
    assert (refused.value.say, refused.value.params) == ("currency_unknown", {"value": "RMB"})


def test_an_offer_from_the_wire_names_a_kind_it_does_not_know_and_reads_any_currency() -> None:
    promotion = promotion_to_wire(PROMOTIONS[0])
    coupon = coupon_to_wire(COUPONS[0])
    for data, read in ((promotion, promotion_from_wire), (coupon, coupon_from_wire)):
        with pytest.raises(OfferError, match="unknown kind 'lucky_draw': one of "):
            read({**data, "kind": "lucky_draw"})
        # One stored before the currency was checked (where offers are made) still reads,
        # and never applies, as before.
        assert read({**data, "currency": "usd"}).currency == "usd"


# ---------------------------------------------------------------- fuzz: no crash but ours
_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "1", "0", "12.80", "12,80", "-1", "abc", "2026-13-01", "true", "|"]),
    st.from_regex(r"[0-9]{1,14}(\.[0-9]{1,3})?", fullmatch=True),
)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def _table(draw: st.DrawFn, columns: list[str]) -> str:
    header = draw(
        st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns), unique=True)
    )
    rows = draw(st.lists(st.lists(_cell, min_size=len(header), max_size=len(header)), max_size=4))
    return _csv(header, rows)


@given(st.one_of(_table(list(KNOWN)), st.text(max_size=200)))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_catalog_reader_fails_only_with_its_error(text: str) -> None:
    try:
        result = read_catalog(io.StringIO(text))
    except CatalogError:
        return
    for error in result.errors:
        assert error.row >= 2


@given(st.one_of(_table(PROMOTION_CSV_COLUMNS), st.text(max_size=200)))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_promotion_reader_fails_only_with_its_error(text: str) -> None:
    try:
        for _, row in offer_rows(io.StringIO(text)):
            promotion_from_csv(row, UTC)
    except OfferError:
        pass


@given(st.one_of(_table(COUPON_CSV_COLUMNS), st.text(max_size=200)))
@settings(max_examples=PARSER_EXAMPLES, deadline=None)
def test_coupon_reader_fails_only_with_its_error(text: str) -> None:
    try:
        for _, row in offer_rows(io.StringIO(text)):
            coupon_from_csv(row, UTC)
    except OfferError:
        pass


def test_a_product_written_as_a_row_reads_back_unchanged() -> None:
    # The back office fills its edit form with `product_to_row` and checks the edit with
    # `product_from_row`: an untouched form must change nothing.
    parsed = parse_catalog_csv(REPO / "assets" / "demo" / "catalog.csv")
    assert parsed.products
    for product in parsed.products:
        assert product_from_row(product_to_row(product), None) == product
    assert set(product_to_row(parsed.products[0])) == set(KNOWN)


# ------------------------------------------------------------------ offers written back
windows = st.tuples(
    st.one_of(
        st.none(),
        # Up to ten years before the last year a date may have: an offer runs for up
        # to 10**8 s (about three years), and its end must be a date too.
        st.datetimes(
            datetime(YEARS[0], 1, 1), datetime(YEARS[1] - 10, 12, 1), timezones=st.just(UTC)
        ).map(lambda d: d.replace(microsecond=0)),
    ),
    st.integers(min_value=1, max_value=10**8),
)


@pytest.mark.parametrize(
    ("offers", "to_csv", "from_csv", "columns"),
    [
        (PROMOTIONS, promotion_to_csv, promotion_from_csv, PROMOTION_CSV_COLUMNS),
        (COUPONS, coupon_to_csv, coupon_from_csv, COUPON_CSV_COLUMNS),
    ],
)
@given(data=st.data(), window=windows)
def test_an_offer_written_as_a_row_reads_back_unchanged(
    offers: Any, to_csv: Any, from_csv: Any, columns: list[str], data: Any, window: Any
) -> None:
    offer = data.draw(st.sampled_from(offers))
    starts, seconds = window
    offer = replace(
        offer, starts_at=starts, ends_at=starts + timedelta(seconds=seconds) if starts else None
    )
    row = to_csv(offer)
    assert set(row) <= set(columns)
    assert from_csv(row, timezone(timedelta(hours=8))) == offer
