"""The scanner's settings: one frozen value the composition root builds from settings."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from kiosk.domain.scan import Symbology
from scanner.errors import ConfigError
from scanner.symbols import RETAIL


class ConfirmRule(enum.StrEnum):
    """What makes a camera read trusted enough to become a scan."""

    EITHER = "either"
    """A second frame, or a second decoder agreeing in the same frame."""
    FRAMES = "frames"
    """A second frame, whatever the decoders say."""
    NONE = "none"
    """The first read (still images, where no second frame comes)."""


@dataclass(frozen=True, slots=True)
class ScannerConfig:
    """Everything the scanner can be told; defaults suit a 720p USB webcam at a kiosk.

    `source` is a camera index ("0"), a device path ("/dev/video0"), a video file, a folder
    of images, or an rtsp/http(s) URL. `width`, `height`, `fps`, `autofocus`, `focus` and
    `exposure` are asked of the camera; None leaves the camera's own setting.
    """

    source: str = "0"
    width: int | None = 1280
    height: int | None = 720
    fps: float | None = 30.0
    autofocus: bool | None = None
    focus: float | None = None
    exposure: float | None = None
    symbologies: frozenset[Symbology] = RETAIL
    time_budget_ms: float = 30.0
    search_budget_ms: float = 200.0
    confirm: ConfirmRule = ConfirmRule.EITHER
    confirm_frames: int = 2
    leave_after_s: float = 1.0
    repeat_after_s: float | None = None
    loop: bool = False
    preview_fps: float = 10.0
    preview_width: int = 640
    stall_after_s: float = 3.0
    reopen_min_s: float = 0.5
    reopen_max_s: float = 15.0
    stats_every_s: float = 1.0

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ConfigError("scanner source is empty: give a camera index, path or URL")
        for name in ("width", "height"):
            value = getattr(self, name)
            if value is not None and not 16 <= value <= 8192:
                raise ConfigError(f"scanner {name} {value} is out of range 16..8192")
        if self.fps is not None and not 0 < self.fps <= 240:
            raise ConfigError(f"scanner fps {self.fps} is out of range (0, 240]")
        if not self.symbologies:
            raise ConfigError("scanner symbologies is empty: nothing could ever be read")
        if not self.symbologies <= RETAIL:
            extra = ", ".join(sorted(s.value for s in self.symbologies - RETAIL))
            raise ConfigError(f"scanner symbologies outside the retail set: {extra}")
        positive = (
            "time_budget_ms",
            "search_budget_ms",
            "leave_after_s",
            "preview_fps",
            "stall_after_s",
        )
        for name in (*positive, "reopen_min_s", "stats_every_s"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"scanner {name} must be positive")
        if self.reopen_max_s < self.reopen_min_s:
            raise ConfigError("scanner reopen_max_s is below reopen_min_s")
        if self.confirm_frames < 1:
            raise ConfigError("scanner confirm_frames must be at least 1")
        if self.repeat_after_s is not None and self.repeat_after_s <= 0:
            raise ConfigError("scanner repeat_after_s must be positive or None")
        if self.preview_width < 16:
            raise ConfigError("scanner preview_width must be at least 16")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ScannerConfig:
        """Build from the kiosk's settings (keys as the field names); unknown keys are errors."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(f"unknown scanner settings: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, raw in data.items():
            values[name] = _coerce(name, raw)
        return cls(**values)


_INTS = frozenset({"width", "height", "confirm_frames", "preview_width"})
_FLOATS = frozenset(
    {
        "fps",
        "focus",
        "exposure",
        "time_budget_ms",
        "search_budget_ms",
        "leave_after_s",
        "repeat_after_s",
        "preview_fps",
        "stall_after_s",
        "reopen_min_s",
        "reopen_max_s",
        "stats_every_s",
    }
)
_NULLABLE = frozenset(
    {"width", "height", "fps", "autofocus", "focus", "exposure", "repeat_after_s"}
)


def _coerce(name: str, raw: Any) -> Any:
    if raw is None:
        if name in _NULLABLE:
            return None
        raise ConfigError(f"scanner setting {name} cannot be empty")
    try:
        if name == "source":
            return str(raw)
        if name in ("autofocus", "loop"):
            return _boolean(name, raw)
        if name == "confirm":
            return ConfirmRule(str(raw).lower())
        if name == "symbologies":
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return frozenset(_symbology(str(s).strip()) for s in items if str(s).strip())
        if isinstance(raw, bool):
            raise ConfigError(f"scanner setting {name} must be a number, not {raw!r}")
        if name in _INTS:
            return int(raw)
        if name in _FLOATS:
            return float(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"scanner setting {name}={raw!r} is not valid: {exc}") from None
    raise ConfigError(f"scanner setting {name} has no parser")


def _boolean(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"scanner setting {name}={raw!r} is not true or false")


def _symbology(text: str) -> Symbology:
    wanted = text.lower().replace("_", "").replace("-", "").replace(" ", "")
    for symbology in Symbology:
        names = (symbology.value, symbology.name)
        if any(
            wanted == n.lower().replace("_", "").replace("-", "").replace(" ", "") for n in names
        ):
            return symbology
    raise ConfigError(f"unknown symbology {text!r}")
