"""Generate the kiosk's sounds into assets/sounds: `python -m tools.make_sounds [--out DIR]`.

Synthesised (sine tones with short fades, 16-bit mono 22.05 kHz) so they are small, free of
licences and the same on every run: a bright short beep for a scan, a low double buzz for
an error, a rising three-note chime for a payment, a falling ding-dong asking for attention
("are you still there?").
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path

RATE = 22050
FADE_S = 0.008

# (frequency Hz, seconds) per note; 0 Hz is a pause.
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "scan": [(2400.0, 0.09)],
    "error": [(220.0, 0.16), (0.0, 0.06), (196.0, 0.22)],
    "paid": [(784.0, 0.12), (988.0, 0.12), (1319.0, 0.28)],
    "attention": [(880.0, 0.18), (0.0, 0.05), (660.0, 0.32)],
}


def _note(freq: float, seconds: float, volume: float = 0.5) -> list[int]:
    count = int(RATE * seconds)
    fade = int(RATE * FADE_S)
    out = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade) if fade else 1.0
        sample = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
        out.append(int(32767 * volume * envelope * sample))
    return out


def write_sound(path: Path, notes: list[tuple[float, float]]) -> None:
    samples = [s for freq, seconds in notes for s in _note(freq, seconds)]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("assets/sounds"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        write_sound(args.out / f"{name}.wav", notes)
        print(args.out / f"{name}.wav")


if __name__ == "__main__":
    main()
