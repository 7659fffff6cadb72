"""The whole schema: every feature's tables on the one `central.db.metadata`.

Alembic's `env.py` targets `metadata` from here, and the schema test compares the
migrated database with it, so a table added to a feature without its migration fails.
"""

from __future__ import annotations

from central.admin import tables as admin_tables
from central.analytics import tables as analytics_tables
from central.attendant import tables as attendant_tables
from central.db import metadata
from central.exit_codes import tables as exit_code_tables
from central.feeds import tables as feed_tables
from central.groupbuy import tables as groupbuy_tables
from central.kiosks import tables as kiosk_tables
from central.loyalty import tables as loyalty_tables
from central.payments import tables as payment_tables
from central.receipts import tables as receipt_tables
from central.sales import tables as sale_tables
from central.transfers import tables as transfer_tables

FEATURE_TABLES = (
    kiosk_tables,
    feed_tables,
    sale_tables,
    loyalty_tables,
    payment_tables,
    exit_code_tables,
    receipt_tables,
    attendant_tables,
    transfer_tables,
    admin_tables,
    groupbuy_tables,
    analytics_tables,
)

__all__ = ["FEATURE_TABLES", "metadata"]
