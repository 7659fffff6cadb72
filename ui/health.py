"""The staff health view's figures: camera and decoder from the scanner's stats, the
receipt printer from the session's last print, sync and queue from the sync status (or,
without sync, the local outbox depth).

Read on the UI thread every few seconds while staff look at it: the sync status is two
indexed SQLite reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Slot

from kiosk.services.session import PrinterStatus
from scanner.loop import ScannerStats
from sync.connectivity import State
from sync.worker import SyncStatus
from ui.models import HealthModel

SyncStatusSource = Callable[[], SyncStatus]


class HealthMonitor(QObject):
    """Collects the latest figures and fills a `HealthModel` on `refresh`."""

    def __init__(
        self,
        model: HealthModel,
        sync_status: SyncStatusSource,
        when: Callable[[datetime], str] = datetime.isoformat,
    ) -> None:
        super().__init__()
        self.model = model
        self._sync_status = sync_status
        self._when = when  # the staff member's language and the store's time zone
        self.stats: ScannerStats | None = None
        self.camera_state = ""
        self.camera_message = ""
        self.printer = PrinterStatus.UNKNOWN

    @Slot(str)
    def on_printer_status(self, status: str) -> None:
        self.printer = PrinterStatus(status)

    @Slot(object)
    def on_stats(self, stats: ScannerStats) -> None:
        self.stats = stats

    @Slot(str, str)
    def on_camera_status(self, state: str, message: str) -> None:
        self.camera_state = state
        self.camera_message = message

    @Slot()
    def refresh(self) -> None:
        rows: list[tuple[str, str, bool]] = []
        stats = self.stats
        state = self.camera_state or (stats.state if stats else "")
        camera_ok = state in ("live", "ended")
        rows.append(
            (
                QCoreApplication.translate("Health", "Camera"),
                (state or QCoreApplication.translate("Health", "not started"))
                + (f" ({self.camera_message})" if self.camera_message and not camera_ok else ""),
                camera_ok,
            )
        )
        if stats is not None:
            rows += [
                (
                    QCoreApplication.translate("Health", "Camera frame rate"),
                    f"{stats.capture_fps:.1f} fps",
                    stats.capture_fps >= 10,
                ),
                (
                    QCoreApplication.translate("Health", "Decoded frames per second"),
                    f"{stats.decode_fps:.1f} fps",
                    True,
                ),
                (
                    QCoreApplication.translate("Health", "Decode time (median / 95th)"),
                    f"{stats.decode_ms_median:.1f} / {stats.decode_ms_p95:.1f} ms",
                    stats.decode_ms_p95 < 100,
                ),
                (
                    QCoreApplication.translate("Health", "Dropped frames"),
                    str(stats.frames_dropped),
                    True,
                ),
                (
                    QCoreApplication.translate("Health", "Camera reconnects"),
                    str(stats.reopen_count),
                    stats.reopen_count == 0,
                ),
                (QCoreApplication.translate("Health", "Scans"), str(stats.scans), True),
            ]
        printer = {
            PrinterStatus.UNKNOWN: QCoreApplication.translate("Health", "not used yet"),
            PrinterStatus.OK: QCoreApplication.translate("Health", "ok"),
            PrinterStatus.PAPER_OUT: QCoreApplication.translate("Health", "out of paper"),
            PrinterStatus.ERROR: QCoreApplication.translate("Health", "error"),
            PrinterStatus.OFFLINE: QCoreApplication.translate("Health", "not connected"),
        }
        rows.append(
            (
                QCoreApplication.translate("Health", "Receipt printer"),
                printer[self.printer],
                self.printer in (PrinterStatus.OK, PrinterStatus.UNKNOWN),
            )
        )
        sync = self._sync_status()
        names = {
            State.ONLINE: QCoreApplication.translate("Health", "online"),
            State.DEGRADED: QCoreApplication.translate("Health", "degraded"),
            State.OFFLINE: QCoreApplication.translate("Health", "offline"),
        }
        connectivity = (
            names[sync.connectivity]
            if sync.enrolled
            else QCoreApplication.translate("Health", "not enrolled (stand-alone)")
        )
        rows += [
            (
                QCoreApplication.translate("Health", "Central service"),
                connectivity,
                sync.connectivity is State.ONLINE or not sync.enrolled,
            ),
            (
                QCoreApplication.translate("Health", "Waiting to sync"),
                str(sync.queue_depth),
                sync.queue_depth < 100,
            ),
            (
                QCoreApplication.translate("Health", "Last sync"),
                self._when(datetime.fromisoformat(sync.last_sync_at))
                if sync.last_sync_at
                else QCoreApplication.translate("Health", "never"),
                sync.last_sync_at is not None or not sync.enrolled,
            ),
        ]
        if sync.refused:
            # Rules, products or offers a newer service sent that this version cannot read
            # (`kiosk sync status` lists them): the kiosk sells without them until updated.
            rows.append(
                (
                    QCoreApplication.translate("Health", "Updates refused"),
                    QCoreApplication.translate("Health", "{count}: update this kiosk").format(
                        count=sync.refused
                    ),
                    False,
                )
            )
        if sync.last_error:
            rows.append(
                (QCoreApplication.translate("Health", "Last sync error"), sync.last_error, False)
            )
        self.model.set_rows(rows)
