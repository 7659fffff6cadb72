"""The scanner benchmark's tests use the scanner tests' photos."""

from tests.unit.scanner.conftest import corpus, manifest

__all__ = ["corpus", "manifest"]
