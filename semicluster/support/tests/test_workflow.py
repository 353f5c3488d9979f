"""The application workflow at the Django level: transitions, roles, return and resubmission,
duplicate refusal, the budget flag, 一事一议 and the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from semicluster.support import selectors, services
from semicluster.support.models import Action, LedgerEntry, Status
from semicluster.support.tests.conftest import FULL_MASK, MPW, at, cost, facts

pytestmark = pytest.mark.django_db


def actions(application):
    return [step.action for step in application.steps.order_by("at", "id")]


def test_an_application_walks_from_draft_to_disbursement_with_a_dated_step_for_each(
    flow, firm_user, personas
):
    application = flow.create(firm_user, costs=[cost("2000000"), cost("500000", item="wafer")])
    assert application.status == Status.DRAFT and application.number == f"SP-2025-{application.pk:05d}"
    flow.submit(firm_user, application)
    application = flow.to_reviewed(application)
    application = flow.approve(application)
    # Full mask, not a priority field: 30 % of 2.5 m.
    assert application.status == Status.APPROVED
    assert application.award_amount == application.computed_amount == Decimal("750000.00")
    application = services.application_disburse(
        actor=personas["admin"],
        application=application,
        paid_on=dt.date(2025, 6, 30),
        reference="财拨2025-17号",
    )
    assert application.status == Status.DISBURSED and application.disbursed_amount == Decimal("750000.00")
    assert actions(application) == [
        Action.CREATED,
        Action.SUBMITTED,
        Action.PRE_REVIEWED,
        Action.REVIEWED,
        Action.APPROVED,
        Action.DISBURSED,
    ]
    steps = list(application.steps.order_by("at", "id"))
    assert [s.to_status for s in steps[1:]] == [
        Status.SUBMITTED,
        Status.PRE_REVIEWED,
        Status.REVIEWED,
        Status.APPROVED,
        Status.DISBURSED,
    ]
    assert steps[2].actor == personas["kfq_officer"] and steps[3].actor == personas["admin"]
    assert all(s.at for s in steps)
    assert application.applied_on == dt.date(2025, 5, 10)
    # simple-history kept every save of the application.
    assert application.history.count() >= 6


def test_a_returned_application_is_corrected_and_resubmitted(flow, firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))
    application = services.application_pre_review(
        actor=personas["kfq_officer"], application=application, passed=False, reason="缺少流片合同", at=at(11)
    )
    assert application.status == Status.RETURNED
    assert application.steps.get(action=Action.RETURNED).reason == "缺少流片合同"
    application = services.application_update(
        actor=firm_user,
        application=application,
        data={"product": "DDIC-A1 rev.B"},
        costs=[cost("1000000", contract_ref="HT-2025-009")],
        at=at(12),
    )
    application = services.application_submit(actor=firm_user, application=application, at=at(13))
    assert application.status == Status.SUBMITTED
    assert actions(application)[-3:] == [Action.RETURNED, Action.EDITED, Action.RESUBMITTED]
    # The application date is the first submission: a correction does not move it out of the window.
    assert application.applied_on == dt.date(2025, 5, 10)


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2025, 2, 28, 10, 0), dt.datetime(2025, 12, 1, 0, 30)],
    ids=["before the window opens", "after the window closed"],
)
def test_a_submission_outside_the_application_window_is_refused_naming_the_window(flow, firm_user, moment):
    application = flow.create(firm_user)
    with pytest.raises(ValidationError) as refusal:
        services.application_submit(actor=firm_user, application=application, at=timezone.make_aware(moment))
    assert refusal.value.code == "outside_window"
    message = refusal.value.messages[0]
    assert "申报期为 2025-03-01 至 2025-11-30" in message
    assert "the application window is 2025-03-01 to 2025-11-30" in message
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.applied_on is None
    assert actions(application) == [Action.CREATED]


def test_the_last_day_of_the_window_is_inside_it_in_local_time(flow, firm_user):
    # 23:30 on 30 November in Kunshan is still 30 November, though UTC has it at 15:30.
    late = timezone.make_aware(dt.datetime(2025, 11, 30, 23, 30))
    application = services.application_submit(actor=firm_user, application=flow.create(firm_user), at=late)
    assert application.status == Status.SUBMITTED and application.applied_on == dt.date(2025, 11, 30)


def test_a_returned_application_first_submitted_in_time_is_resubmitted_after_the_window_closed(
    flow, firm_user, personas
):
    application = flow.submit(firm_user, flow.create(firm_user), day=25)
    application = services.application_pre_review(
        actor=personas["kfq_officer"], application=application, passed=False, reason="缺少流片合同", at=at(27)
    )
    after_the_window = timezone.make_aware(dt.datetime(2025, 12, 15, 10, 0))
    application = services.application_update(
        actor=firm_user,
        application=application,
        data={"product": "DDIC-A1 rev.B"},
        at=after_the_window,
    )
    application = services.application_submit(actor=firm_user, application=application, at=after_the_window)
    assert application.status == Status.SUBMITTED
    assert actions(application)[-1] == Action.RESUBMITTED
    assert application.applied_on == dt.date(2025, 5, 25)  # still the first, in-time submission


@pytest.mark.parametrize("stage", ["city_review", "decision"])
def test_city_review_and_decision_can_also_return_for_correction(flow, firm_user, personas, stage):
    application = flow.submit(firm_user, flow.create(firm_user))
    admin = personas["admin"]
    if stage == "city_review":
        application = services.application_pre_review(
            actor=personas["kfq_officer"], application=application, passed=True
        )
        application = services.application_review(
            actor=admin, application=application, passed=False, reason="发票不清"
        )
    else:
        application = flow.to_reviewed(application)
        application = services.application_decide(
            actor=admin, application=application, outcome="return", reason="请补充合同"
        )
    assert application.status == Status.RETURNED
    assert flow.submit(firm_user, application, day=20).status == Status.SUBMITTED


def test_reject_needs_a_reason_and_is_final(flow, firm_user, personas):
    application = flow.to_reviewed(flow.submit(firm_user, flow.create(firm_user)))
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=personas["admin"], application=application, outcome="reject", reason=" "
        )
    application = services.application_decide(
        actor=personas["admin"], application=application, outcome="reject", reason="非首次流片"
    )
    assert application.status == Status.REJECTED and application.decision_reason == "非首次流片"
    with pytest.raises(ValidationError):
        services.application_update(actor=firm_user, application=application, data={"product": "x"})
    assert not LedgerEntry.objects.exists()


def test_each_step_belongs_to_its_role_and_scope(flow, firm_user, personas, other_firm_user):
    application = flow.create(firm_user)
    with pytest.raises(PermissionError):  # another firm cannot submit this firm's application
        services.application_submit(actor=other_firm_user, application=application)
    application = flow.submit(firm_user, application)
    for actor in (personas["gxq_officer"], personas["admin"], firm_user):  # not the firm's area officer
        with pytest.raises(PermissionError):
            services.application_pre_review(actor=actor, application=application, passed=True)
    application = services.application_pre_review(
        actor=personas["kfq_officer"], application=application, passed=True
    )
    with pytest.raises(PermissionError):
        services.application_review(actor=personas["kfq_officer"], application=application, passed=True)
    with pytest.raises(ValidationError):  # a step out of order
        services.application_decide(
            actor=personas["admin"], application=application, outcome="approve", reason="ok"
        )
    assert application.steps.count() == 3


def test_a_second_claim_for_the_same_tape_out_is_refused_with_a_pointer_to_the_first(flow, firm_user):
    first = flow.submit(firm_user, flow.create(firm_user))
    second = flow.create(
        firm_user, product="ddic-a1 ", costs=[cost("300000")]
    )  # same tape-out, spelling noise
    with pytest.raises(services.DuplicateClaim) as refused:
        flow.submit(firm_user, second, day=11)
    assert refused.value.earlier == first
    assert str(first) in refused.value.messages[0]
    second.refresh_from_db()
    assert second.status == Status.DRAFT
    refusal = second.steps.get(action=Action.REFUSED_DUPLICATE)
    assert refusal.data["earlier"] == first.pk and str(first) in refusal.reason


def test_the_same_invoice_claimed_by_another_firm_is_refused(flow, firm_user, other_firm_user):
    line = cost("800000")
    first = flow.submit(firm_user, flow.create(firm_user, costs=[line]))
    copied = dict(line, invoice_number=" " + line["invoice_number"])
    second = flow.create(other_firm_user, program=MPW, mask="mpw", product="MEMS-X", costs=[copied])
    with pytest.raises(services.DuplicateClaim) as refused:
        flow.submit(other_firm_user, second)
    assert refused.value.earlier == first and refused.value.conflict.kind == "same_invoice"


def test_a_resubmission_is_not_a_duplicate_of_itself(flow, firm_user, personas):
    application = flow.submit(firm_user, flow.create(firm_user))
    application = services.application_pre_review(
        actor=personas["kfq_officer"], application=application, passed=False, reason="补充材料"
    )
    assert flow.submit(firm_user, application, day=12).status == Status.SUBMITTED


def test_an_invoice_twice_in_one_application_is_refused_before_saving(flow, firm_user):
    line = cost("100000")
    with pytest.raises(ValidationError) as refused:
        flow.create(firm_user, costs=[line, dict(line, item="wafer")])
    assert "costs" in refused.value.message_dict


def test_budget_exhaustion_is_flagged_before_approval(flow, personas):
    from semicluster.core.testing import make_enterprise, make_user

    users = []
    for index in range(4):
        firm = make_enterprise(area="kfq", node="iot-asic")
        users.append(make_user("enterprise_user", f"mpw-{index}", enterprise=firm))
    # MPW example program: 50 % of cost, ≤ 3 m per firm, 10 m budget. Three firms take 9 m.
    for user in users[:3]:
        flow.submitted_and_approved(user, program=MPW, mask="mpw", costs=[cost("6000000", item="mpw-fee")])
    last = flow.to_reviewed(
        flow.submit(
            users[3], flow.create(users[3], program=MPW, mask="mpw", costs=[cost("6000000", item="mpw-fee")])
        )
    )
    preview = services.award_preview(last)
    assert preview.over_budget and preview.budget_remaining == Decimal("1000000.00")
    with pytest.raises(ValidationError) as flagged:
        flow.approve(last)
    assert flagged.value.code == "over_budget"
    last.refresh_from_db()
    assert last.status == Status.REVIEWED and last.over_budget is False
    approved = flow.approve(last, confirm_over_budget=True)
    assert approved.award_amount == Decimal("1000000.00") and approved.over_budget
    row = next(r for r in selectors.ledger() if r.program_code == MPW)
    assert (row.budget, row.committed, row.remaining) == (
        Decimal("10000000.00"),
        Decimal("10000000.00"),
        Decimal("0.00"),
    )


def test_prior_awards_this_year_count_against_the_firms_cap(flow, firm_user):
    # MPW: ≤ 3 m per firm per program per year. A first award of 2 m leaves room for 1 m.
    flow.submitted_and_approved(firm_user, program=MPW, mask="mpw", costs=[cost("4000000", item="mpw-fee")])
    second = flow.submitted_and_approved(
        firm_user, program=MPW, mask="mpw", product="DDIC-B2", costs=[cost("4000000", item="mpw-fee")]
    )
    assert second.award_amount == Decimal("1000000.00")
    step = next(s for s in second.computation["steps"] if s["code"] == "cap_per_firm_program_year")
    assert step["applied"] and step["numbers"]["prior"] == "2000000.00"


def test_override_keeps_both_amounts_with_reason_and_approver(flow, firm_user, personas):
    application = flow.to_reviewed(flow.submit(firm_user, flow.create(firm_user)))
    admin = personas["admin"]
    application = services.application_override(
        actor=admin, application=application, amount=Decimal("450000.00"), reason="重大项目，一事一议"
    )
    application = flow.approve(application)
    assert application.computed_amount == Decimal("300000.00")
    assert application.award_amount == application.override_amount == Decimal("450000.00")
    assert application.override_by == admin and application.override_reason == "重大项目，一事一议"
    document = application.computation
    assert document["computed_amount"] == "300000.00" and document["final_amount"] == "450000.00"
    assert document["override"]["approver"] == admin.username
    assert document["steps"][-1]["code"] == "override"
    # After approval, a new 一事一议 amount moves the ledger commitment with it.
    application = services.application_override(
        actor=admin, application=application, amount=Decimal("400000.00"), reason="复议调整"
    )
    assert application.award_amount == Decimal("400000.00")
    assert selectors.budget_committed(FULL_MASK, 2025) == Decimal("400000.00")


def test_an_override_above_the_remaining_budget_is_refused(flow, firm_user, personas):
    application = flow.to_reviewed(flow.submit(firm_user, flow.create(firm_user)))
    with pytest.raises(ValidationError):
        services.application_override(
            actor=personas["admin"], application=application, amount=Decimal("30000000.01"), reason="x"
        )
    application.refresh_from_db()
    assert application.override_amount is None


def test_an_ineligible_application_cannot_be_approved_and_the_reason_is_explained(flow, firm_user, personas):
    # A full-mask program pays first tape-outs only.
    application = flow.to_reviewed(flow.submit(firm_user, flow.create(firm_user, first_tapeout=False)))
    with pytest.raises(ValidationError) as refused:
        flow.approve(application)
    assert refused.value.code == "nothing_to_award"
    preview = services.award_preview(application)
    assert not preview.eligible
    assert any(c.code == "first_tapeout" and not c.ok for c in preview.eligibility)


def test_the_ledger_tracks_budget_committed_disbursed_and_remaining(flow, firm_user, personas):
    application = flow.submitted_and_approved(firm_user, costs=[cost("2000000")])
    services.application_disburse(
        actor=personas["admin"], application=application, paid_on=dt.date(2025, 7, 1), reference="V-1"
    )
    row = next(r for r in selectors.ledger() if r.program_code == FULL_MASK)
    assert row.budget == Decimal("30000000.00")
    assert row.committed == row.disbursed == Decimal("600000.00")
    assert row.remaining == Decimal("29400000.00")


def test_a_future_payment_date_is_refused(flow, firm_user, personas):
    application = flow.submitted_and_approved(firm_user)
    with pytest.raises(ValidationError):
        services.application_disburse(
            actor=personas["admin"], application=application, paid_on=dt.date(2099, 1, 1), reference="V-2"
        )


def test_historical_applications_import_through_the_same_checks(firm, personas):
    row = services.HistoricalApplication(
        enterprise=firm,
        program_code=FULL_MASK,
        facts=facts(),
        costs=(cost("1000000"),),
        submitted_on=dt.date(2025, 4, 1),
        status=Status.DISBURSED,
        decided_on=dt.date(2025, 5, 1),
        award=Decimal("280000.00"),
        paid_on=dt.date(2025, 6, 1),
        payment_ref="财拨2025-3号",
        source_ref="历史申请.xlsx!A7",
    )
    imported = services.application_import(actor=personas["admin"], row=row)
    assert imported.status == Status.DISBURSED and imported.award_amount == Decimal("280000.00")
    assert imported.computed_amount == Decimal("300000.00")  # kept beside the historical decision
    assert imported.applied_on == dt.date(2025, 4, 1)
    assert services.application_import(actor=personas["admin"], row=row) == imported  # idempotent
    assert LedgerEntry.objects.filter(application=imported, kind="disburse").count() == 1
