"""The innovation-leader library: rounds, scoring with evidence, adjustment, decisions, review, exit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from semicluster.accounts.models import Role
from semicluster.core.testing import make_enterprise, make_user
from semicluster.cultivation import selectors, services
from semicluster.cultivation.models import ExitFlag, LeaderCandidate

from .conftest import STRONG_DECLARED, TODAY, strong_firm

pytestmark = pytest.mark.django_db


def _scored(personas, open_round, firm, declared=STRONG_DECLARED):
    candidate = services.candidate_add(
        actor=personas["admin"], round=open_round, enterprise=firm, declared=declared
    )
    services.round_score(actor=personas["admin"], round=open_round, today=TODAY)
    candidate.refresh_from_db()
    return candidate


def test_a_strong_candidate_scores_with_evidence_behind_every_number(personas, open_round):
    candidate = _scored(personas, open_round, strong_firm())
    assert candidate.passes_bars
    evidence = candidate.evidence
    innovation = next(c for c in evidence["criteria"] if c["code"] == "innovation-capability")
    rd = next(p for p in innovation["proxies"] if p["code"] == "rd-intensity")
    # 8 % R&D intensity on a 3–10 % line is 5/7 of 100 points.
    assert rd["value"] == "8.00" and rd["points"] == "71.43" and "2024" in rd["source"]
    parts = sum(Decimal(c["points"]) for c in evidence["criteria"])
    assert parts == Decimal(evidence["total"]) == candidate.score


def test_missing_data_follows_each_proxys_policy(personas, open_round):
    # No R&D staff declared (reweight), no local figures (reweight), no patents (zero).
    declared = {"own_brand_revenue": "1500000000"}
    candidate = _scored(personas, open_round, strong_firm(), declared)
    innovation = next(c for c in candidate.evidence["criteria"] if c["code"] == "innovation-capability")
    staff = next(p for p in innovation["proxies"] if p["code"] == "rd-staff-share")
    assert staff["counted"] is False and staff["value"] is None
    assert innovation["score"] == "71.43"  # R&D intensity carries the whole criterion
    cluster = next(c for c in candidate.evidence["criteria"] if c["code"] == "cluster-leading")
    assert cluster["score"] is None and cluster["note"] is not None
    core = next(c for c in candidate.evidence["criteria"] if c["code"] == "key-core-technology")
    patents = next(p for p in core["proxies"] if p["code"] == "invention-patents")
    assert patents["counted"] is True and patents["points"] == "0.00"


def test_missing_rd_spend_disqualifies_and_admission_is_refused(personas, open_round):
    firm = make_enterprise()
    from semicluster.core.testing import add_value

    add_value(firm, "revenue", 2024, Decimal(900_000_000))
    candidate = _scored(personas, open_round, firm, STRONG_DECLARED)
    assert candidate.evidence["disqualified"] and not candidate.passes_bars
    with pytest.raises(ValidationError, match="不能入库"):
        services.candidate_decide(actor=personas["admin"], candidate=candidate, admit=True)


def test_rejection_needs_a_reason_and_is_recorded(personas, open_round):
    candidate = _scored(personas, open_round, strong_firm())
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=personas["admin"], candidate=candidate, admit=False, reason=" ")
    services.candidate_decide(
        actor=personas["admin"], candidate=candidate, admit=False, reason="名额有限，下批次再议"
    )
    candidate.refresh_from_db()
    assert candidate.decision == "rejected" and candidate.decision_reason == "名额有限，下批次再议"
    assert candidate.history.first().history_user == personas["admin"]


def test_an_expert_adjustment_needs_a_reason_stays_within_bounds_and_can_lift_a_candidate(
    personas, open_round
):
    candidate = _scored(personas, open_round, strong_firm())
    admin = personas["admin"]
    with pytest.raises(ValidationError):
        services.candidate_adjust(actor=admin, candidate=candidate, adjustment=Decimal(5), reason="")
    with pytest.raises(ValidationError):
        services.candidate_adjust(actor=admin, candidate=candidate, adjustment=Decimal(11), reason="太多")
    # Raise the bar of the minimum total above the computed score: the adjustment decides.
    open_round.model_document = {**open_round.model_document, "min_total": str(candidate.score + 3)}
    open_round.save()
    candidate.refresh_from_db()
    assert services.admission_problems(candidate)
    services.candidate_adjust(actor=admin, candidate=candidate, adjustment=Decimal(4), reason="牵头国家专项")
    candidate.refresh_from_db()
    assert candidate.final_score == candidate.score + 4 and services.admission_problems(candidate) == []


def test_publishing_admits_members_carrying_their_round_and_counts_them_from_that_day(personas, open_round):
    admin = personas["admin"]
    admitted = _scored(personas, open_round, strong_firm())
    rejected = _scored(personas, open_round, strong_firm())
    services.candidate_decide(actor=admin, candidate=admitted, admit=True)
    with pytest.raises(ValidationError, match="未决定"):
        services.round_publish(actor=admin, round=open_round, on=TODAY)
    services.candidate_decide(actor=admin, candidate=rejected, admit=False, reason="示范带动作用不足")
    [member] = services.round_publish(actor=admin, round=open_round, on=TODAY)
    assert member.admission_round == open_round and member.enterprise_id == admitted.enterprise_id
    assert selectors.leader_member_ids(TODAY) == {admitted.enterprise_id}
    assert selectors.leader_member_ids(TODAY - dt.timedelta(days=1)) == set()
    with pytest.raises(ValidationError):
        services.candidate_add(actor=admin, round=open_round, enterprise=strong_firm())


def test_the_annual_review_flags_members_below_the_bars_and_exit_is_a_recorded_decision(personas, open_round):
    from semicluster.core.testing import add_value

    admin = personas["admin"]
    keeps = _scored(personas, open_round, strong_firm())
    slips = _scored(personas, open_round, strong_firm())
    for candidate in (keeps, slips):
        services.candidate_decide(actor=admin, candidate=candidate, admit=True)
    services.round_publish(actor=admin, round=open_round, on=dt.date(2025, 3, 1))
    # 2025: both grow 20 % with a 12 % margin; one keeps 8 % R&D intensity, the other drops to 1 %.
    for candidate, rd in ((keeps, "192000000"), (slips, "24000000")):
        add_value(candidate.enterprise, "revenue", 2025, Decimal(2_400_000_000))
        add_value(candidate.enterprise, "rd", 2025, Decimal(rd))
        add_value(candidate.enterprise, "profit", 2025, Decimal(288_000_000))
        add_value(candidate.enterprise, "employees", 2025, 1000)
    review = services.review_run(actor=admin, data_year=2025, today=dt.date(2026, 3, 1))
    [flag] = list(review.flags.all())
    assert flag.member.enterprise_id == slips.enterprise_id
    assert any("创新能力强" in reason["zh"] for reason in flag.reasons)
    with pytest.raises(ValidationError):
        services.flag_resolve(actor=admin, flag=flag, exit=True, reason="")
    services.flag_resolve(
        actor=admin, flag=flag, exit=True, reason="研发投入强度连续下降", on=dt.date(2026, 3, 15)
    )
    flag.member.refresh_from_db()
    assert flag.member.exited_on == dt.date(2026, 3, 15) and flag.member.exit_reason == "研发投入强度连续下降"
    assert ExitFlag.objects.get(pk=flag.pk).resolution == "exit"
    assert selectors.leader_member_ids(dt.date(2026, 3, 14)) == {keeps.enterprise_id, slips.enterprise_id}
    assert selectors.leader_member_ids(dt.date(2026, 3, 15)) == {keeps.enterprise_id}


def test_an_enterprise_user_applies_for_their_own_firm_only(personas, open_round):
    user = personas["enterprise_user"]
    own = services.candidate_add(
        actor=user, round=open_round, enterprise=user.enterprise, declared={"rd_staff": 5}
    )
    assert own.origin == LeaderCandidate.Origin.APPLICATION
    with pytest.raises(PermissionError):
        services.candidate_add(actor=user, round=open_round, enterprise=make_enterprise(area="kfq"))


def test_a_district_officer_proposes_firms_of_their_area_only(personas, open_round):
    officer = personas["kfq_officer"]
    proposal = services.candidate_add(actor=officer, round=open_round, enterprise=make_enterprise(area="kfq"))
    assert proposal.origin == LeaderCandidate.Origin.PROPOSAL
    with pytest.raises(PermissionError):
        services.candidate_add(actor=officer, round=open_round, enterprise=make_enterprise(area="gxq"))


def test_only_the_city_admin_scores_decides_and_publishes(personas, open_round):
    candidate = services.candidate_add(actor=personas["admin"], round=open_round, enterprise=strong_firm())
    for role in ("leader", "kfq_officer", "enterprise_user"):
        with pytest.raises(PermissionError):
            services.round_score(actor=personas[role], round=open_round)
        with pytest.raises(PermissionError):
            services.candidate_decide(actor=personas[role], candidate=candidate, admit=False, reason="x")
    with pytest.raises(PermissionError):
        services.round_open(actor=make_user(Role.LEADER), name="x", data_year=2024)


@pytest.mark.parametrize(
    ("declared", "field"),
    [({"rd_staff": -1}, "rd_staff"), ({"patents": 3}, "patents"), ({"rd_staff": "1.5"}, "rd_staff")],
)
def test_declared_facts_are_checked_with_the_field_named(declared, field):
    with pytest.raises(ValidationError) as error:
        services.clean_declared(declared)
    assert field in error.value.message_dict


def test_the_library_progress_counts_members_against_the_plan_target_by_area(personas, open_round):
    admin = personas["admin"]
    for area in ("kfq", "kfq", "gxq"):
        services.candidate_decide(
            actor=admin, candidate=_scored(personas, open_round, strong_firm(area=area)), admit=True
        )
    services.round_publish(actor=admin, round=open_round, on=TODAY)
    progress = selectors.library_progress(user=personas["kfq_officer"], as_of=TODAY)
    assert (progress.members, progress.target, progress.remaining) == (3, 80, 77)
    assert dict(progress.by_area) == {"开发区": 2, "高新区": 1}
