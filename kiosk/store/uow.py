"""The unit of work: every repository over one connection, and one transaction for all."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kiosk.store.database import BUSY_TIMEOUT_MS, Store, open_store
from kiosk.store.loyalty import LoyaltyRepository
from kiosk.store.repositories import (
    AlertRepository,
    CartRepository,
    CatalogRepository,
    CounterRepository,
    ExitScanRepository,
    FeedMarkRepository,
    JournalRepository,
    OutboxRepository,
    PaymentRepository,
    RefundRepository,
    SaleRepository,
    SettingsRepository,
    StaffRepository,
    TransferRepository,
)


class KioskStore:
    """All of the kiosk's tables through one connection; open one per thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.catalog = CatalogRepository(store)
        self.carts = CartRepository(store)
        self.counters = CounterRepository(store)
        self.sales = SaleRepository(store)
        self.journal = JournalRepository(store)
        self.outbox = OutboxRepository(store)
        self.settings = SettingsRepository(store)
        self.staff = StaffRepository(store)
        self.payments = PaymentRepository(store)
        self.exit_scans = ExitScanRepository(store)
        self.feed_marks = FeedMarkRepository(store)
        self.loyalty = LoyaltyRepository(store)
        self.alerts = AlertRepository(store)
        self.transfers = TransferRepository(store)
        self.refunds = RefundRepository(store)

    @classmethod
    def open(
        cls, path: str | Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, handed_over: bool = False
    ) -> KioskStore:
        """`handed_over`: the store is opened here and then used by one other thread."""
        return cls(open_store(path, busy_timeout_ms, check_same_thread=not handed_over))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[KioskStore]:
        """Everything written inside commits together or not at all."""
        with self.store.transaction():
            yield self

    def close(self) -> None:
        self.store.close()
