"""Update and compile the UI's translations: `python -m tools.i18n [--check]`.

1. `pyside6-lupdate` reads every `tr()`/`translate()` string under `ui/` into
   `assets/i18n/kiosk_<lang>.ts`, keeping the translations already there (new strings come
   in as unfinished: translate them in Qt Linguist or in the XML);
2. `pyside6-lrelease` compiles each `.ts` into the `.qm` the kiosk loads.

The `.qm` files are committed, so a fresh clone runs without this step; `tests/ui` checks
that every `.ts` is complete and that the committed `.qm` match them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "assets" / "i18n"
TRANSLATED = ("zh_CN", "ko")  # English is the source language


def tool(name: str) -> str:
    """The Qt tool next to this Python (the venv's), else on PATH."""
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def update() -> None:
    for lang in TRANSLATED:
        ts = I18N / f"kiosk_{lang}.ts"
        subprocess.run(  # noqa: S603 - our own tool with fixed arguments
            [tool("pyside6-lupdate"), *sources(), "-ts", str(ts), "-target-language", lang,
             "-no-obsolete", "-locations", "none"],
            cwd=ROOT,
            check=True,
        )  # fmt: skip


def release(out: Path = I18N) -> list[Path]:
    made = []
    for lang in TRANSLATED:
        qm = out / f"kiosk_{lang}.qm"
        subprocess.run(  # noqa: S603 - our own tool with fixed arguments
            [tool("pyside6-lrelease"), "-silent", str(I18N / f"kiosk_{lang}.ts"), "-qm", str(qm)],
            check=True,
        )
        made.append(qm)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-update", action="store_true", help="Only compile the .ts files.")
    args = parser.parse_args()
    if not args.no_update:
        update()
    for qm in release():
        print(qm.relative_to(ROOT))


if __name__ == "__main__":
    main()
