"""Group-buy campaigns, their products, orders and lines, refunds, pickups, webhooks,
reviews and after-sales problems.

Times are Unix milliseconds, amounts minor units. A refund row is unique per order,
kind (`difference`, `cancel`, `unclaimed`, `problem`) and problem ('' but for kind
`problem`): that constraint is what makes a cut-off run twice, or killed half-way and
run again, give each buyer their difference once, and a problem resolved twice refund
once.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from central.db import metadata

groupbuy_campaigns = Table(
    "groupbuy_campaigns",
    metadata,
    Column("campaign_id", String(36), primary_key=True),
    Column("store_id", String(64), nullable=False, index=True),
    Column("leader", String(128), nullable=False),
    Column("title", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cutoff_ms", BigInteger, nullable=False),
    Column("pickup_from_ms", BigInteger, nullable=False),
    Column("pickup_until_ms", BigInteger, nullable=False),
    Column("commission_bp", Integer, nullable=False),
    # "refund": unclaimed goods are refunded after the window; "keep": kept `keep_days` more.
    Column("unclaimed_policy", String(8), nullable=False),
    Column("keep_days", Integer, nullable=False),
    # Hours after a product's pickup that problems with it are taken; NULL (campaigns made
    # before migration 0019) takes them any time.
    Column("after_sales_hours", Integer),
    Column("webhook_url", String(500)),
    # open -> cut_off (orders frozen, refunds recorded) -> closed (unclaimed handled)
    Column("status", String(16), nullable=False),
    Column("final_buyers", Integer),
    Column("cut_off_ms", BigInteger),
    Column("created_by", String(128), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)

groupbuy_items = Table(
    "groupbuy_items",
    metadata,
    Column(
        "campaign_id",
        String(36),
        ForeignKey("groupbuy_campaigns.campaign_id"),
        primary_key=True,
    ),
    Column("gtin", String(14), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("names", Text, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("tiers", Text, nullable=False),  # JSON [[min_buyers, price_minor], ...]
    Column("per_person", Integer, nullable=False),
    Column("stock", Integer, nullable=False),
)

groupbuy_orders = Table(
    "groupbuy_orders",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("campaign_id", String(36), ForeignKey("groupbuy_campaigns.campaign_id"), nullable=False),
    Column("buyer", String(64), nullable=False),
    # HMAC of the buyer's phone: the per-person limit counts by it, the number is not kept.
    Column("buyer_key", String(64), nullable=False),
    # pending -> paid -> ready -> collected | partly_collected; cancelled, expired,
    # unclaimed (refunded after the window), kept (held longer by the campaign's policy)
    Column("status", String(20), nullable=False),
    Column("payment_id", String(36), nullable=False, unique=True),
    Column("paid_minor", BigInteger, nullable=False),
    Column("final_minor", BigInteger),
    Column("created_ms", BigInteger, nullable=False),
    Column("paid_ms", BigInteger),
    Column("ready_ms", BigInteger),
    Column("collected_ms", BigInteger),
    Column("kept_until_ms", BigInteger),
    Index("ix_groupbuy_orders_campaign_status", "campaign_id", "status"),
    Index("ix_groupbuy_orders_campaign_buyer", "campaign_id", "buyer_key"),
)

groupbuy_lines = Table(
    "groupbuy_lines",
    metadata,
    Column("order_id", String(36), ForeignKey("groupbuy_orders.order_id"), primary_key=True),
    Column("gtin", String(14), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_minor", BigInteger, nullable=False),
    Column("final_unit_minor", BigInteger),
    Column("collected", Integer, nullable=False),
)

groupbuy_refunds = Table(
    "groupbuy_refunds",
    metadata,
    Column("refund_id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("groupbuy_orders.order_id"), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    # pending (recorded, not yet sent) -> processing | refunded | failed
    Column("status", String(12), nullable=False),
    Column("provider_ref", String(128)),
    Column("failure", String(200)),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("problem_id", String(36), nullable=False, server_default=""),
    UniqueConstraint(
        "order_id", "kind", "problem_id", name="uq_groupbuy_refunds_order_kind_problem"
    ),
)

groupbuy_pickups = Table(
    "groupbuy_pickups",
    metadata,
    # The pickup's own id (from the kiosk or the store's screen): a re-send is one pickup.
    Column("pickup_id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("groupbuy_orders.order_id"), nullable=False),
    Column("lines", Text, nullable=False),  # JSON {gtin: units}
    Column("by", String(128), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    # stored, or over: more than was left (two kiosks handing out one order offline)
    Column("result", String(8), nullable=False),
    # The kiosk's sale in progress when the order was collected (its cart's id): what the
    # shopper bought besides, for the report's extra basket spend. None from staff.
    Column("sale_id", String(36)),
    Index("ix_groupbuy_pickups_order", "order_id"),
    Index("ix_groupbuy_pickups_sale", "sale_id"),
)

groupbuy_webhooks = Table(
    "groupbuy_webhooks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign_id", String(36), ForeignKey("groupbuy_campaigns.campaign_id"), nullable=False),
    Column("url", String(500), nullable=False),
    Column("body", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("delivered_ms", BigInteger),
    Column("last_error", String(200)),
    Column("created_ms", BigInteger, nullable=False),
    Index("ix_groupbuy_webhooks_pending", "delivered_ms", "attempts"),
)

groupbuy_reviews = Table(
    "groupbuy_reviews",
    metadata,
    # One per order, made once something was collected; the buyer may change it.
    Column("order_id", String(36), ForeignKey("groupbuy_orders.order_id"), primary_key=True),
    Column("campaign_id", String(36), ForeignKey("groupbuy_campaigns.campaign_id"), nullable=False),
    Column("stars", Integer, nullable=False),
    Column("text", String(500), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Index("ix_groupbuy_reviews_campaign", "campaign_id"),
)

groupbuy_problems = Table(
    "groupbuy_problems",
    metadata,
    # Made by the buyer's page: a re-sent report is the same problem.
    Column("problem_id", String(36), primary_key=True),
    Column("order_id", String(36), ForeignKey("groupbuy_orders.order_id"), nullable=False),
    Column("campaign_id", String(36), ForeignKey("groupbuy_campaigns.campaign_id"), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("gtin", String(14), nullable=False),
    Column("quantity", Integer, nullable=False),
    # damaged, missing, wrong_item, quality, other
    Column("reason", String(12), nullable=False),
    Column("note", String(500), nullable=False),
    # open -> refunded | rejected
    Column("status", String(10), nullable=False),
    Column("amount_minor", BigInteger),
    Column("answer", String(500)),  # the store's reason for a rejection
    Column("resolved_by", String(128)),
    Column("created_ms", BigInteger, nullable=False),
    Column("resolved_ms", BigInteger),
    Index("ix_groupbuy_problems_order", "order_id"),
    Index("ix_groupbuy_problems_store_status", "store_id", "status"),
    Index("ix_groupbuy_problems_campaign", "campaign_id", "status"),
)

groupbuy_problem_photos = Table(
    "groupbuy_problem_photos",
    metadata,
    # The buyer's photo of what was wrong, as kept (`central.groupbuy.photos.kept_photo`):
    # re-encoded as JPEG, at most 1600 px a side, without the phone's metadata.
    Column("problem_id", String(36), ForeignKey("groupbuy_problems.problem_id"), primary_key=True),
    Column("jpeg", LargeBinary, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)
