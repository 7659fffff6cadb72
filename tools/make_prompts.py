"""Record the kiosk's spoken prompts with espeak-ng (Debian's `espeak-ng`), at build time:
`python -m tools.make_prompts [--out DIR]` (default assets/prompts; `./dev setup` runs it).

One WAV per language and `Prompt`, `<out>/<language>/<prompt>.wav`, from the texts in
`ui.prompts` as the `.ts` translations have them: nothing is recorded by hand, and a changed
text or translation is recorded again by the next setup. The files are not committed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.domain.catalog import LANGUAGES
from kiosk.services.session import Prompt
from ui.i18n import qm_path
from ui.prompts import prompt_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "prompts"
I18N = ROOT / "assets" / "i18n"
VOICES = {"zh_CN": "cmn-latn-pinyin", "ko": "ko", "en": "en-us"}
"""espeak-ng's voice for each kiosk language (Mandarin, Korean, American English).

Mandarin is spoken from pinyin: Debian's espeak-ng reads Chinese characters with its
`cmn` voice through a small dictionary that falls back to English for most of them, so a
welcome of 30 characters came out as 17 s of "huan-five ying-two…" read in English."""
SPEED = {"zh_CN": 210, "ko": 150, "en": 150}
"""Words a minute: a little slower than espeak-ng's 175 for English and Korean, for people
listening hard. In pinyin every syllable is a word to espeak-ng, so 150 was 2.5 syllables
a second, half the pace of ordinary Mandarin; 210 is a calm 3.5."""
_PINYIN_PAUSES = str.maketrans({"。": ". ", "，": ", ", "、": ", ", "？": "? ", "！": "! "})


def speech_input(language: str, text: str) -> str:
    """What espeak-ng is given for `text`: Chinese as pinyin with tone numbers (the
    neutral tone as 5), its punctuation as the pauses espeak-ng knows."""
    if language != "zh_CN":
        return text
    syllables = lazy_pinyin(
        text.translate(_PINYIN_PAUSES), style=Style.TONE3, neutral_tone_with_five=True
    )
    spoken = " ".join(" ".join(syllables).split())
    for mark in ".,?!":
        spoken = spoken.replace(f" {mark}", mark)
    return spoken


def record(out: Path = OUT) -> list[Path]:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng not found: install it (./dev setup does)")
    app = QCoreApplication.instance() or QCoreApplication([])
    made = []
    for language in LANGUAGES:
        translator = QTranslator()
        qm = qm_path(I18N, language)
        if qm.exists() and not translator.load(str(qm)):  # English is the source: no .qm
            raise SystemExit(f"cannot load translations {qm}")
        app.installTranslator(translator)
        try:
            folder = out / language
            folder.mkdir(parents=True, exist_ok=True)
            for prompt in Prompt:
                path = folder / f"{prompt.value}.wav"
                subprocess.run(  # noqa: S603 - espeak-ng with our own texts
                    [espeak, "-v", VOICES[language], "-s", str(SPEED[language]),
                     "-w", str(path), speech_input(language, prompt_text(prompt))],
                    check=True,
                )  # fmt: skip
                made.append(path)
        finally:
            app.removeTranslator(translator)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    made = record(args.out)
    print(f"recorded {len(made)} prompts into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
