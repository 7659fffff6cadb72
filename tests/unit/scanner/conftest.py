"""Fixtures for the scanner's tests: the shared corpus of real barcode photos."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parents[3] / ".." / "shared" / "corpus" / "barcodes"


@pytest.fixture(scope="session")
def corpus() -> Path:
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.is_file():
        pytest.fail(f"the barcode corpus is missing: expected {manifest.resolve()}")
    return CORPUS


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
