from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from semicluster.plans.models import Unit
from semicluster.projects import services
from semicluster.projects.models import LightChange, Problem, Project, Ticket, TicketStatus
from semicluster.projects.tests.conftest import TODAY, M, make_project

pytestmark = pytest.mark.django_db


def set_library(version, **changes):
    version.document["project_library"].update(changes)
    version.save()


# --- threshold -----------------------------------------------------------------------------------------


def test_a_project_of_exactly_50_million_enters_the_library(kunshan_plan, personas):
    project = make_project(actor=personas["admin"], total_investment=50 * M)
    assert project.in_library
    assert "纳入重大项目库" in project.admission_note


def test_a_small_project_is_kept_as_ordinary_when_the_plan_says_so(kunshan_plan, personas):
    assert kunshan_plan.document["project_library"]["below_threshold"] == "keep_as_ordinary"
    project = make_project(actor=personas["admin"], total_investment=49_999_999)
    assert not project.in_library
    assert "作为一般项目管理" in project.admission_note


def test_a_small_project_is_refused_with_the_amounts_when_the_plan_refuses(kunshan_plan, personas):
    set_library(kunshan_plan, below_threshold="refuse")
    with pytest.raises(ValidationError) as caught:
        make_project(actor=personas["admin"], total_investment=30 * M)
    message = " ".join(caught.value.message_dict["total_investment"])
    assert "总投资3000万元，入库标准5000万元，未达标准，不予入库" in message
    assert Project.objects.count() == 0


def test_raising_the_investment_above_the_threshold_moves_an_ordinary_project_into_the_library(
    kunshan_plan, personas
):
    project = make_project(actor=personas["admin"], total_investment=10 * M)
    services.project_save(actor=personas["admin"], instance=project, data={"total_investment": 80 * M})
    project.refresh_from_db()
    assert project.in_library


def test_an_owner_not_yet_registered_is_created_in_the_enterprise_library(kunshan_plan, personas):
    from semicluster.core.testing import synthetic_credit_code
    from semicluster.enterprises.models import Enterprise

    code = synthetic_credit_code()
    data = {
        "name": "新企业项目",
        "area": personas["kfq_officer"].area,
        "town": personas["kfq_officer"].area.towns.first(),
        "node": personas["kfq_officer"].area.focus_nodes.first(),
        "category": "new",
        "total_investment": 60 * M,
        "source": "investment_lead",
    }
    result = services.project_save(
        actor=personas["admin"],
        data=data,
        new_owner={"credit_code": code, "name": "新注册企业（测试）", "ownership": "private"},
    )
    project = result.project
    owner = Enterprise.objects.get(credit_code=code)
    assert project.owner == owner and owner.area == project.area and owner.primary_node == project.node
    assert owner.history.latest().history_user == personas["admin"]


# --- lifecycle ------------------------------------------------------------------------------------------


def test_a_transition_is_validated_and_kept_in_history_with_who_and_what(kunshan_plan, personas):
    admin = personas["admin"]
    project = make_project(actor=admin, planned_start=date(2025, 3, 1))
    services.project_transition(actor=admin, project=project, target="preparation", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        services.project_transition(actor=admin, project=project, target="in_production", today=TODAY)
    assert "进入投产阶段须填写实际开工日期" in " ".join(caught.value.message_dict["stage"])
    project.refresh_from_db()
    assert project.stage == "preparation"

    services.project_transition(
        actor=admin, project=project, target="started", dates={"actual_start": date(2025, 4, 2)}, today=TODAY
    )
    project.refresh_from_db()
    assert (project.stage, project.actual_start) == ("started", date(2025, 4, 2))
    latest = project.history.latest()
    assert latest.history_user == admin and latest.history_change_reason == "stage preparation → started"


def test_suspension_needs_a_reason_and_resumes_where_it_left(kunshan_plan, personas):
    admin = personas["admin"]
    project = make_project(actor=admin)
    services.project_transition(actor=admin, project=project, target="signed", today=TODAY)
    with pytest.raises(ValidationError):
        services.project_transition(actor=admin, project=project, target="suspended", today=TODAY)
    services.project_transition(
        actor=admin, project=project, target="suspended", reason="资金未落实", today=TODAY
    )
    project.refresh_from_db()
    assert (project.stage, project.suspended_from, project.suspension_reason) == (
        "suspended",
        "signed",
        "资金未落实",
    )
    with pytest.raises(ValidationError):
        services.project_transition(actor=admin, project=project, target="reserve", today=TODAY)
    services.project_transition(actor=admin, project=project, target="signed", today=TODAY)
    project.refresh_from_db()
    assert (project.stage, project.suspended_from, project.suspension_reason) == ("signed", "", "")


def test_editing_dates_that_contradict_the_stage_is_refused(kunshan_plan, personas):
    project = make_project(actor=personas["admin"])
    with pytest.raises(ValidationError) as caught:
        services.project_save(
            actor=personas["admin"], instance=project, data={"actual_start": date(2025, 5, 1)}, today=TODAY
        )
    assert "stage" in caught.value.message_dict


# --- progress and lights ------------------------------------------------------------------------------


def started_project(admin, **fields):
    fields.setdefault("annual_plans", {2025: 120 * M})
    project = make_project(actor=admin, planned_start=date(2025, 2, 1), **fields)
    services.project_transition(
        actor=admin, project=project, target="started", dates={"actual_start": date(2025, 2, 10)}, today=TODAY
    )
    return project


def test_a_year_to_date_report_below_an_earlier_month_is_refused_naming_both(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=5,
        ytd_completed=50 * M,
        reported_at=date(2025, 6, 5),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as caught:
        services.project_progress_record(
            actor=admin, project=project, year=2025, month=6, ytd_completed=40 * M, today=TODAY
        )
    message = " ".join(caught.value.message_dict["ytd_completed"])
    assert "2025-06" in message and "2025-05" in message


def test_a_report_for_a_future_month_is_refused(kunshan_plan, personas):
    project = started_project(personas["admin"])
    with pytest.raises(ValidationError):
        services.project_progress_record(
            actor=personas["admin"], project=project, year=2025, month=12, ytd_completed=M, today=TODAY
        )


def test_the_light_changes_only_when_the_data_does_and_every_change_is_kept(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    # June, 60 of 120 M: exactly on schedule, green.
    services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=6,
        ytd_completed=60 * M,
        reported_at=date(2025, 6, 20),
        today=TODAY,
    )
    project.refresh_from_db()
    assert project.light == "green"
    changes = LightChange.objects.filter(project=project).count()

    # The same report again: nothing changes, no history.
    result = services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=6,
        ytd_completed=60 * M,
        reported_at=date(2025, 6, 20),
        today=TODAY,
    )
    assert not result.changed and LightChange.objects.filter(project=project).count() == changes
    # Recomputing without new data changes nothing either.
    assert services.lights_recompute_all() == 0

    # A corrected June figure 36 M: 30.0 %, 20 points behind → yellow, and the change is recorded.
    result = services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=6,
        ytd_completed=36 * M,
        reported_at=date(2025, 6, 25),
        today=TODAY,
    )
    assert result.light_changed
    project.refresh_from_db()
    assert project.light == "yellow"
    last = LightChange.objects.filter(project=project).first()
    assert (last.previous, last.colour, last.changed_by) == ("green", "yellow", admin)
    assert [r["code"] for r in last.reasons] == ["behind_schedule"]
    assert "落后序时进度20.0个百分点" in last.reasons[0]["text_zh"]
    assert project.light_measures["gap_points"] == "-20.0"


def test_progress_with_a_new_stage_moves_the_project_through_the_lifecycle(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=9,
        ytd_completed=100 * M,
        stage="completed",
        milestone_dates={"actual_completion": date(2025, 9, 20)},
        today=TODAY,
    )
    project.refresh_from_db()
    assert (project.stage, project.actual_completion) == ("completed", date(2025, 9, 20))


# --- problems and tickets -----------------------------------------------------------------------------


def test_overdue_problems_escalate_once_into_tickets_to_their_owner_unit(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    zrzyj = Unit.objects.get(code="zrzyj")
    overdue = services.problem_add(
        actor=admin,
        project=project,
        description="用地指标未落实",
        category="land",
        owner_unit=zrzyj,
        deadline=date(2025, 10, 31),
        raised_on=date(2025, 9, 1),
    )
    services.problem_add(
        actor=admin,
        project=project,
        description="电力增容",
        category="power",
        owner_unit=zrzyj,
        deadline=date(2025, 12, 31),
        raised_on=date(2025, 9, 1),
    )
    first = services.problems_escalate(actor=admin, today=TODAY)
    assert [t.problem for t in first.created] == [overdue]
    ticket = first.created[0]
    assert ticket.unit == zrzyj and ticket.reply_deadline == date(2025, 11, 22)
    assert ticket.number == f"DB2025-{overdue.pk:05d}"
    again = services.problems_escalate(actor=admin, today=TODAY)
    assert again.created == [] and again.already == 1
    assert Ticket.objects.count() == 1


def test_a_reply_and_then_resolving_the_problem_close_the_ticket(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    problem = services.problem_add(
        actor=admin,
        project=project,
        description="环评批复",
        category="permits",
        owner_unit=Unit.objects.get(code="fgw"),
        deadline=date(2025, 10, 1),
        raised_on=date(2025, 9, 1),
    )
    (ticket,) = services.problems_escalate(today=TODAY).created
    services.ticket_reply(actor=personas["unit_officer"], ticket=ticket, text="已协调，预计11月底批复")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPLIED
    services.problem_resolve(
        actor=admin, problem=problem, resolution="已取得批复", resolved_on=date(2025, 11, 20)
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closing_note, ticket.closed_on) == (
        "closed",
        "已取得批复",
        date(2025, 11, 20),
    )
    with pytest.raises(ValidationError):
        services.ticket_reply(actor=admin, ticket=ticket, text="再次答复")
    assert Problem.objects.get(pk=problem.pk).history.latest().history_change_reason == "problem resolved"


def test_an_overdue_problem_turns_the_light_yellow_with_its_reason(kunshan_plan, personas):
    admin = personas["admin"]
    project = started_project(admin)
    services.project_progress_record(
        actor=admin,
        project=project,
        year=2025,
        month=6,
        ytd_completed=60 * M,
        reported_at=date(2025, 6, 20),
        today=TODAY,
    )
    services.problem_add(
        actor=admin,
        project=project,
        description="人才公寓",
        category="staff",
        owner_unit=Unit.objects.get(code="rsj"),
        deadline=date(2025, 6, 10),
        raised_on=date(2025, 5, 1),
    )
    project.refresh_from_db()
    assert project.light == "yellow"
    assert [r["code"] for r in project.light_reasons] == ["problems_overdue"]
    assert Decimal(project.light_measures["ytd_completion_pct"]) == Decimal("50.0")
