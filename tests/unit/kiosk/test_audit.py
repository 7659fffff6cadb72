"""Which sales are picked for a bag check (`kiosk.domain.audit`): the store's share, drawn
from a keyed hash of the sale id, and every sale over the store's amount."""

from __future__ import annotations

import math
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.audit import AuditCause, audit_draw, select_for_audit
from kiosk.domain.handoff import Handoff
from kiosk.domain.policy import BASIS_POINTS, AuditPolicy
from tests.unit.kiosk.test_handoff import STEPS

keys = st.binary(min_size=16, max_size=32)
sale_ids = st.uuids().map(str)
rates = st.integers(0, BASIS_POINTS)
SALES = 4_000


@given(keys, rates)
@settings(max_examples=60, deadline=None)
def test_the_share_picked_is_the_policy_s_rate(key: bytes, rate: int) -> None:
    """Over 4,000 sales the share picked lies within five standard deviations of the
    rate (a false alarm about once in 3.5 million runs)."""
    policy = AuditPolicy(rate_bp=rate)
    picked = sum(
        select_for_audit(policy, key, str(uuid.UUID(int=i * 7919 + 1)), 100) is not None
        for i in range(SALES)
    )
    p = rate / BASIS_POINTS
    sigma = math.sqrt(SALES * p * (1 - p))
    assert abs(picked - SALES * p) <= 5 * sigma + 1


@given(keys, sale_ids, rates, rates)
def test_the_same_sale_gets_the_same_answer_and_a_higher_rate_keeps_it(
    key: bytes, sale_id: str, a: int, b: int
) -> None:
    low, high = sorted((a, b))
    first = select_for_audit(AuditPolicy(low), key, sale_id, 100)
    assert select_for_audit(AuditPolicy(low), key, sale_id, 100) == first  # deterministic
    if first is not None:
        assert select_for_audit(AuditPolicy(high), key, sale_id, 100) is AuditCause.DRAWN
    assert 0 <= audit_draw(key, sale_id) < BASIS_POINTS


@given(keys, sale_ids)
def test_no_rate_picks_none_and_the_full_rate_picks_every_sale(key: bytes, sale_id: str) -> None:
    assert select_for_audit(AuditPolicy(0), key, sale_id, 10**9) is None
    assert select_for_audit(AuditPolicy(BASIS_POINTS), key, sale_id, 0) is AuditCause.DRAWN


@given(keys, sale_ids, st.integers(0, 10**7), st.integers(0, 10**7))
def test_every_sale_over_the_amount_is_picked_and_none_at_it(
    key: bytes, sale_id: str, over: int, total: int
) -> None:
    cause = select_for_audit(AuditPolicy(0, over_minor=over), key, sale_id, total)
    assert cause == (AuditCause.AMOUNT if total > over else None)


def test_the_draw_depends_on_the_key_so_the_shopper_cannot_work_it_out() -> None:
    """The same sales under two keys: the picks differ (a hash of the sale id alone
    would give everyone the same, computable answer)."""
    policy = AuditPolicy(rate_bp=2_000)
    ids = [str(uuid.UUID(int=i)) for i in range(1, 500)]
    first = [select_for_audit(policy, b"k" * 32, i, 1) for i in ids]
    second = [select_for_audit(policy, b"q" * 32, i, 1) for i in ids]
    assert first != second


@pytest.mark.parametrize(("rate", "over"), [(-1, None), (BASIS_POINTS + 1, None), (0, -1)])
def test_a_policy_out_of_range_is_refused(rate: int, over: int | None) -> None:
    with pytest.raises(ValueError, match="audit"):
        AuditPolicy(rate, over)


def test_a_bag_check_holds_the_pass_until_staff_clear_it() -> None:
    audited = Handoff().audited()
    assert audited.held
    assert audited.finish() == audited  # Done does not even ask: there is no pass yet
    assert not audited.audit_cleared().held
    assert audited.with_e_receipt().held  # the e-receipt carries the pass: it waits too
    assert not Handoff().finish().audited().asking


@given(st.lists(st.sampled_from([*sorted(STEPS), "audited", "audit_cleared"]), max_size=12))
def test_whatever_the_shopper_taps_a_pending_bag_check_keeps_the_pass(steps: list[str]) -> None:
    every = {**STEPS, "audited": Handoff.audited, "audit_cleared": Handoff.audit_cleared}
    handoff = Handoff()
    pending = False
    for step in steps:
        handoff = every[step](handoff)
        pending = step == "audited" or (pending and step != "audit_cleared")
        assert handoff.audit is pending
        if pending:
            assert handoff.held
            assert handoff.finish() == handoff
