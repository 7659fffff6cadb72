"""Fixtures for the scanner's tests: the sample of real barcode photos the repository ships.

`tests/data/barcodes/` holds a small, licensed cut of the shared corpus (see its README), so
these tests run in any clone; the full corpus is only for the benchmarks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "barcodes"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
