"""The loyalty tables' upgrade path and the coupon uses a refund gives back
(kiosk.store.loyalty, store migration 10)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.store.loyalty import Redemption
from kiosk.store.uow import KioskStore
from tests.helpers import old_kiosk_database


def test_upgrading_keeps_coupon_redemptions_and_lets_a_returned_code_be_redeemed_again(
    tmp_path: Path,
) -> None:
    """Schema 10 rebuilds `loyalty_redemptions` (a code's UNIQUE becomes one standing
    redemption per code): the redemptions made before the upgrade are kept, still block
    their code, and a code a refund gave back may be redeemed once more, not twice."""
    path = tmp_path / "old.db"
    conn = old_kiosk_database(path, 9)
    conn.execute(
        "INSERT INTO loyalty_redemptions VALUES ('r1', 'CODE-1', 'c', 'm', 's1', 't', '{}')"
    )
    conn.commit()
    conn.close()
    store = KioskStore.open(path)
    try:
        loyalty = store.loyalty
        assert loyalty.used_codes(["CODE-1"]) == {"CODE-1"}
        assert loyalty.return_coupons("s1", ["CODE-1"], "refund-1") == ["CODE-1"]
        assert loyalty.return_coupons("s1", ["CODE-1"], "refund-2") == []
        assert loyalty.used_codes(["CODE-1"]) == frozenset()
        again = Redemption("r2", "CODE-1", "c", "m", "s2", "t", {})
        loyalty.add_redemption(again)
        assert loyalty.used_codes(["CODE-1"]) == {"CODE-1"}
        with pytest.raises(StoreError):
            loyalty.add_redemption(replace(again, redemption_id="r3", sale_id="s3"))
        # A refund refused centrally takes nothing from the use made since: r1 stays
        # given back, r2 stands; one refused with no use since restores its redemption.
        loyalty.undo_return("refund-1")
        assert loyalty.return_coupons("s2", ["CODE-1"], "refund-3") == ["CODE-1"]
        loyalty.undo_return("refund-3")
        assert loyalty.used_codes(["CODE-1"]) == {"CODE-1"}
        assert [r.redemption_id for r in loyalty.redemptions()] == ["r1", "r2"]
    finally:
        store.close()


def test_a_use_the_central_count_included_and_a_later_refund_gave_back_is_taken_off(
    tmp_path: Path,
) -> None:
    """The member's per-coupon count is the central one at lookup plus `member_uses`: a
    use it included (delivered before the lookup) that a refund here gave back after the
    lookup counts -1, so the member may use the coupon again offline within the limit."""
    store = KioskStore.open(tmp_path / "k.db")
    try:
        loyalty = store.loyalty
        loyalty.add_redemption(Redemption("r1", "CODE-1", "c", "m", "s1", "2026-12-01T10:00", {}))
        store.outbox.add("coupon_redemption", "r1", {}, datetime(2026, 12, 1, 10, tzinfo=UTC))
        [sent] = store.outbox.pending(kind="coupon_redemption")
        store.outbox.mark_sent([sent.id], datetime(2026, 12, 1, 10, 5, tzinfo=UTC))
        looked_up = "2026-12-02T00:00:00+00:00"
        assert loyalty.member_uses("m", looked_up) == {}  # the central count has it
        assert loyalty.member_uses("m", "") == {"c": 1}  # a member signed up here
        refund = {"refund_id": "f1", "sale_id": "s1", "created_at": "2026-12-03T09:00:00+00:00"}
        store.refunds.add(refund, "cash")
        loyalty.return_coupons("s1", ["CODE-1"], "f1")
        assert loyalty.member_uses("m", looked_up) == {"c": -1}
        assert loyalty.member_uses("m", "2026-12-04T00:00:00+00:00") == {}  # it knows
        assert loyalty.member_uses("m", "") == {}
    finally:
        store.close()
