from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.scoring import normalize, score_image
from kiosk.domain.codes import expand_upce
from kiosk.domain.scan import Symbology
from scanner.config import ConfirmRule, ScannerConfig
from scanner.errors import ConfigError
from scanner.symbols import canonical_ean_upc, compress_upce, split_aim


def test_from_mapping_parses_kiosk_settings() -> None:
    config = ScannerConfig.from_mapping(
        {
            "source": "/dev/video2",
            "width": "1920",
            "fps": 15,
            "autofocus": "off",
            "symbologies": "EAN-13, qr code,datamatrix",
            "confirm": "FRAMES",
            "repeat_after_s": None,
        }
    )
    assert config.width == 1920
    assert config.fps == 15.0
    assert config.autofocus is False
    assert config.symbologies == {Symbology.EAN13, Symbology.QR, Symbology.DATAMATRIX}
    assert config.confirm is ConfirmRule.FRAMES


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"colour": 1}, "unknown scanner settings"),
        ({"fps": 0}, "fps"),
        ({"width": "wide"}, "width"),
        ({"symbologies": "Code 39"}, "unknown symbology"),
        ({"symbologies": []}, "empty"),
        ({"loop": "maybe"}, "true or false"),
        ({"source": " "}, "source"),
        ({"reopen_min_s": 5, "reopen_max_s": 1}, "reopen_max_s"),
        ({"time_budget_ms": True}, "number"),
        ({"search_budget_ms": 0}, "search_budget_ms must be positive"),
    ],
)
def test_bad_settings_say_what_is_wrong(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ScannerConfig.from_mapping(data)


@given(st.from_regex(r"[01][0-9]{10}", fullmatch=True))
def test_compress_upce_inverts_expand(body: str) -> None:
    from kiosk.domain.codes import check_digit

    upca = body + str(check_digit(body))
    short = compress_upce(upca)
    if short is not None:
        assert expand_upce(short) == upca


@given(st.text(max_size=20), st.sampled_from(sorted(Symbology, key=str)))
def test_canonical_never_raises_and_keeps_digits(text: str, symbology: Symbology) -> None:
    result = canonical_ean_upc(text, symbology)
    if result is not None:
        assert result[0].isdigit()
        assert len(result[0]) in (8, 12, 13)


def test_canonical_forms() -> None:
    assert canonical_ean_upc("0036602301467", Symbology.EAN13) == (
        "036602301467",
        Symbology.UPCA,
    )
    assert canonical_ean_upc("0012000006494", Symbology.UPCE) == ("01264904", Symbology.UPCE)
    assert canonical_ean_upc("4006381333932", Symbology.EAN13) is None
    assert split_aim("]E04006381333931") == ("]E0", "4006381333931")
    assert split_aim("]E") == (None, "]E")


def test_scoring_rules_of_the_corpus_readme() -> None:
    assert normalize("036602301467", "upca") == "0036602301467"
    assert normalize("01264904", "upce") == "0012000006494"
    assert normalize("978073520044951299", "ean13-extension") == "9780735200449"
    assert normalize("]e0(01)90012345678908", "rssexpanded") == "0190012345678908"
    assert normalize("90012345678908", "rss14") == "0190012345678908"
    score = score_image(["b"], family="qrcode", set_name="qrcode-2", expected="a", also=["b"])
    assert not score.hit
    assert not score.wrong
    blurry = score_image(["1"], family="ean13", set_name="ean13-5", expected="2")
    assert blurry.wrong
    assert not blurry.counted
    assert not blurry.hit


def test_the_shipped_photo_sample_stands_on_its_own(
    corpus: Path, manifest: list[dict[str, Any]]
) -> None:
    # The tests must pass in a clone with no ../shared: every photo they read is in the
    # repository, with the licence and origin it came under.
    repo = Path(__file__).resolve().parents[3]
    assert corpus.is_relative_to(repo)
    assert "Apache License" in (corpus / "LICENSE").read_text(encoding="utf-8")
    for entry in manifest:
        assert (corpus / entry["file"]).is_file(), entry["file"]
        assert entry["origin"].split("/")[0] in ("zxing", "zxing-cpp"), entry["origin"]
