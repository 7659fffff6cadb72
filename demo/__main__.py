"""`python -m demo` (what `./dev demo` runs): a fresh store, the demo catalog and a
shopper's journey.

With a display it opens the kiosk window (webcam, else the demo video); without one (or
with --offscreen/--screens) it drives the scripted journey through the real screens
offscreen and saves a screenshot of each. --text prints the journey only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk.domain.catalog import LANGUAGES

ASSETS = Path(__file__).resolve().parents[1] / "assets"


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/demo"),
    show_default=True,
    help="Where the demo keeps its database and screenshots.",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--text", is_flag=True, help="The text-only journey, without the UI.")
@click.option(
    "--screens",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run the scripted journey offscreen and save every screen here (default OUT/screens).",
)
@click.option("--offscreen", is_flag=True, help="The scripted journey even with a display.")
@click.option("--one-language", is_flag=True, help="Screenshots in --lang only.")
@click.option(
    "--camera", default=None, help="Window demo camera (default: webcam, else the demo video)."
)
@click.option("--fullscreen", is_flag=True, help="Window demo in kiosk mode (full screen).")
@click.option(
    "--console",
    is_flag=True,
    help="After the offscreen journey, keep the central service up for the back-office "
    "console (/admin/) until Ctrl-C.",
)
def main(
    out: Path,
    lang: str,
    text: bool,
    screens: Path | None,
    offscreen: bool,
    one_language: bool,
    camera: str | None,
    fullscreen: bool,
    console: bool,
) -> None:
    """Run the demo: a fresh store, the demo catalog and a shopper's journey."""
    if text:
        from demo.text import run_demo

        sys.exit(run_demo(out, lang, ASSETS))
    from demo.screens import has_display, run_offscreen_journey, run_window_demo

    if console or offscreen or screens is not None or not has_display():
        sys.exit(run_offscreen_journey(out, lang, ASSETS, screens, not one_language, console))
    sys.exit(run_window_demo(out, lang, ASSETS, camera, fullscreen))


if __name__ == "__main__":
    main()
