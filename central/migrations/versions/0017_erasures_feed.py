"""The erasures feed holds the members erased before it existed.

Revision ID: 0017_erasures_feed
Revises: 0016_alert_item

Since this revision an erasure writes the member's ids to the `erasures` feed, which the
kiosks pull to forget the member (`central.loyalty.members.erase`). Members erased
before would otherwise stay cached at the kiosks that knew them, their card accepted:
their ids (merged ones included) are written to the feed here, as `erase` writes them.
The data only: the schema is unchanged.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0017_erasures_feed"
down_revision = "0016_alert_item"
branch_labels = None
depends_on = None

FEED = "erasures"
ERASED_TERMS = "erased"  # central.loyalty.members.ERASED_TERMS, as of this revision

members = sa.table("members", sa.column("member_id"), sa.column("consent"))
aliases = sa.table("loyalty_member_aliases", sa.column("member_id"), sa.column("canonical_id"))
items = sa.table(
    "feed_items",
    sa.column("feed"),
    sa.column("key"),
    sa.column("seq"),
    sa.column("deleted"),
    sa.column("data"),
)
counters = sa.table("feed_counters", sa.column("feed"), sa.column("value"))


def upgrade() -> None:
    conn = op.get_bind()
    erased = {
        r.member_id
        for r in conn.execute(sa.select(members.c.member_id, members.c.consent))
        if json.loads(r.consent).get("terms_version") == ERASED_TERMS
    }
    if not erased:
        return
    merged = sa.select(aliases.c.member_id).where(aliases.c.canonical_id.in_(sorted(erased)))
    ids = erased | {r.member_id for r in conn.execute(merged)}
    listed = sa.select(items.c.key).where(items.c.feed == FEED)
    missing = sorted(ids - {r.key for r in conn.execute(listed)})
    if not missing:
        return
    last = conn.execute(sa.select(counters.c.value).where(counters.c.feed == FEED)).scalar()
    if last is None:
        conn.execute(sa.insert(counters).values(feed=FEED, value=len(missing)))
        last = 0
    else:
        conn.execute(
            sa.update(counters).where(counters.c.feed == FEED).values(value=last + len(missing))
        )
    conn.execute(
        sa.insert(items),
        [
            {
                "feed": FEED,
                "key": member_id,
                "seq": last + 1 + i,
                "deleted": False,
                "data": json.dumps({"member_id": member_id}, sort_keys=True),
            }
            for i, member_id in enumerate(missing)
        ],
    )


def downgrade() -> None:
    # The items stay: an older service serves the feed to nobody, and an upgrade again
    # finds them listed.
    pass
