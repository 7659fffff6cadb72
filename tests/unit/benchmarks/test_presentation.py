"""The presentation benchmark's clips and real-time playback, on fake pipelines and clocks."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import cv2
import numpy as np

from benchmarks import presentation as p
from benchmarks import scoring


class _Costly:
    """Takes a fixed time per frame on a fake clock; trusts `text` from frame `from_index` on."""

    name = "fake"

    def __init__(self, clock: list[float], cost_s: float, from_index: int, text: str) -> None:
        self._clock = clock
        self._cost = cost_s
        self._from = from_index
        self._text = text
        self.seen: list[int] = []

    def reset(self) -> None:
        self.seen = []

    def feed(self, frame: p.Image, at: float) -> list[str]:
        self.seen.append(round(at * p.FPS))
        self._clock[0] += self._cost
        return [self._text] if self.seen[-1] >= self._from else []


def _play(cost_s: float, from_index: int, count: int = 30) -> tuple[p.Outcome, list[int]]:
    clock = [0.0]
    pipeline = _Costly(clock, cost_s, from_index, "123")
    frames = lambda i: np.zeros((2, 2), np.uint8)  # noqa: E731
    outcome = p.present(frames, count, pipeline, clock=lambda: clock[0])
    return outcome, pipeline.seen


def test_a_fast_pipeline_sees_every_frame_and_reads_when_done() -> None:
    outcome, seen = _play(0.010, from_index=4)
    assert seen == [0, 1, 2, 3, 4]
    assert outcome.texts == ("123",)
    assert outcome.at is not None
    assert abs(outcome.at - (4 / 30 + 0.010)) < 1e-9


def test_a_slow_pipeline_gets_the_newest_frame_others_are_replaced() -> None:
    # 50 ms per frame at 30 fps: frame 0 ends at 50 ms, when frame 1 (33 ms) is the newest;
    # frame 1 ends at 100 ms (frame 3 is newest: 2 was replaced), and so on.
    outcome, seen = _play(0.050, from_index=5)
    assert seen == [0, 1, 3, 4, 6]
    assert outcome.at is not None
    assert abs(outcome.at - 0.250) < 1e-9


def test_no_read_in_the_clip_gives_no_time() -> None:
    outcome, seen = _play(0.010, from_index=99, count=30)
    assert outcome == p.Outcome((), None, 30)
    assert seen == list(range(30))


def test_two_frame_trust_needs_the_same_text_twice() -> None:
    reads = iter([["A"], ["B"], ["B", "A"], []])
    trust = p.TwoFrameTrust("peer", lambda frame: next(reads))
    frame = np.zeros((2, 2), np.uint8)
    assert [trust.feed(frame, 0.0) for _ in range(3)] == [[], [], ["A", "B"]]
    trust.reset()
    assert trust.feed(frame, 0.0) == []


def test_clips_are_seeded_and_the_product_slides_to_a_stop() -> None:
    photo = np.full((60, 200), 255, np.uint8)
    photo[10:50, 20:180:8] = 0

    def clip() -> p.Clip:
        rng = np.random.default_rng(p.seed_for("textured:x.png"))
        params = p.ClipParams.draw(rng)
        return p.Clip(photo, background=p.textured_background(rng), params=params)

    a, b = clip(), clip()
    assert a.params == b.params
    assert np.array_equal(a.frame(7), b.frame(7))
    assert a.frame(0).shape == (p.HEIGHT, p.WIDTH)
    assert 0.30 <= a.params.width_frac <= 0.55
    assert abs(a.params.tilt_deg) <= 8
    speeds = [a.centre_x(i / p.FPS)[1] for i in range(30)]
    assert speeds[0] > 1000
    assert speeds == sorted(speeds, reverse=True)
    assert speeds[-1] == 0
    assert a.centre_x(1.0)[0] == a.params.stop_x * p.WIDTH


def test_a_wrong_read_of_what_a_mislabelled_photo_shows_is_marked_not_excused() -> None:
    tally = p.PresentationTally(clips=2, right=0, wrong=1, mislabelled=1)
    assert "| 1 (1 mislabelled) |" in tally.cells()
    book = "zxing-cpp/ean13-2/23.webp"
    assert scoring.shows_mislabelled(["9784872348880"], file=book, family="ean13")
    assert not scoring.shows_mislabelled(["9780804816632"], file=book, family="ean13")
    assert not scoring.shows_mislabelled(["9784872348880"], file="other.png", family="ean13")
    # The corpus's rules still count it as wrong.
    assert scoring.score_image(
        ["9784872348880"], family="ean13", set_name="ean13-2", expected="9780804816632"
    ).wrong


class _Fixed:
    """Trusts `text` on its first frame, or reads nothing."""

    def __init__(self, name: str, text: str | None) -> None:
        self.name = name
        self._text = text

    def reset(self) -> None:
        pass

    def feed(self, frame: p.Image, at: float) -> list[str]:
        return [self._text] if self._text else []


def test_speed_is_also_compared_on_the_clips_every_pipeline_read(tmp_path: Path) -> None:
    photo = np.full((60, 200), 255, np.uint8)
    assert cv2.imwrite(str(tmp_path / "a.png"), photo)
    entry = {"file": "a.png", "family": "ean13", "set": "s", "expected": "4006381333931"}
    right = _Fixed("reads", "4006381333931")
    rows: list[dict[str, object]] = []
    tallies = p.run_presentation(
        [entry], tmp_path, [right, _Fixed("misses", None)], record=rows.append
    )
    # Each clip's outcome per pipeline, for comparing runs clip by clip.
    assert [(r["background"], r["pipeline"], r["right"], r["texts"]) for r in rows] == [
        ("textured", "reads", True, ["4006381333931"]),
        ("textured", "misses", False, []),
        ("plain", "reads", True, ["4006381333931"]),
        ("plain", "misses", False, []),
    ]
    assert rows[1]["ms"] is None
    assert rows[0]["ms"] == round(tallies["textured", "all", "reads"].ms[0], 2)
    tally = tallies["textured", "all", "reads"]
    assert tally.right == 1
    assert len(tally.ms) == 1
    assert tally.shared_ms == []  # the other pipeline missed the clip
    assert tally.cells().endswith("| nan (0) | 0")
    tallies = p.run_presentation([entry], tmp_path, [right, _Fixed("also", "4006381333931")])
    assert tallies["plain", "all", "also"].shared_ms == tallies["plain", "all", "also"].ms
    assert len(tallies["plain", "a.png", "reads"].shared_ms) == 1


def test_the_every_clip_median_counts_a_miss_as_a_wait_past_the_second() -> None:
    tally = p.PresentationTally(clips=5, right=3, ms=[100.0, 900.0, 300.0])
    assert tally.every_clip_median() == 900.0  # 100, 300, 900, miss, miss
    # A late read more only brings the median wait down; the median over reads rises.
    later = p.PresentationTally(clips=5, right=4, ms=[100.0, 900.0, 300.0, 950.0])
    assert later.every_clip_median() == 900.0
    assert statistics.median(later.ms) > statistics.median(tally.ms)
    assert p.PresentationTally(clips=3, right=1, ms=[50.0]).cells().endswith("| > 1000")
    assert math.isnan(p.PresentationTally().every_clip_median())
