"""Debian's headless Chromium, driven by Playwright, for page tests, screenshots and
benchmarks: no browser download (this machine has no outside network), the flags that keep
it from reaching for one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
MISSING = "Debian's chromium is not installed (apt-get install chromium)"


def available() -> bool:
    return Path(CHROMIUM).exists() and shutil.which("chromium") is not None


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched browser (a Playwright `Browser`), closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
