"""The scanner's errors: one root, each a plain-words reason the UI can show.

ScannerError
├── ConfigError             a scanner setting is missing, of the wrong type or out of range
├── FrameError              a frame is empty, corrupt or of a shape no decoder takes
└── SourceError             a frame source cannot deliver frames
    ├── SourceUnavailable   the camera, file, folder or stream cannot be opened
    └── SourceEnded         a video or image folder has no more frames (not a fault)

Every error carries `reason`, a stable machine code the UI translates.
"""

from __future__ import annotations


class ScannerError(Exception):
    """Root of everything the scanner raises on purpose."""

    reason: str = "scanner"


class ConfigError(ScannerError):
    reason = "scanner_config"


class FrameError(ScannerError):
    reason = "bad_frame"


class SourceError(ScannerError):
    reason = "source"


class SourceUnavailable(SourceError):
    reason = "source_unavailable"


class SourceEnded(SourceError):
    reason = "source_ended"
