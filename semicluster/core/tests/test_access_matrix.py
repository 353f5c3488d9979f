"""Every named URL × every role of SPEC §1 (and the anonymous public) against the declared policy.

A URL with no entry in `semicluster.core.access_policy.POLICY` fails here: new pages need a
decision about who may see them. Admin and API URLs are covered by Django's admin permissions and by
the API tests (which enumerate every operation from the OpenAPI document).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.core.access_policy import FORBIDDEN, LOGIN, NOT_FOUND, OK, POLICY, ROLES
from semicluster.core.testing import add_value, make_enterprise, make_user
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, ChainNode, PlanVersion, Town, Unit
from semicluster.plans.selectors import current_plan_version

EXCLUDED_NAMESPACES = {"admin", "api"}
EXCLUDED_NAMES = {"set_language", "javascript-catalog"}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.regex.groupindex)


def all_named_urls() -> dict[str, list[str]]:
    urls = {}
    for name, params in walk(get_resolver().url_patterns):
        if name not in EXCLUDED_NAMES:
            urls[name] = params
    return urls


def test_every_named_url_has_a_declared_policy():
    missing = sorted(set(all_named_urls()) - set(POLICY))
    assert not missing, f"URLs without an access-policy entry in core/access_policy.py: {missing}"


def test_the_policy_names_only_urls_that_exist():
    stale = sorted(set(POLICY) - set(all_named_urls()))
    assert not stale, f"policy entries for URLs that no longer exist: {stale}"


# Builders for URL arguments: each creates an object in the kfq area and returns it.
SAMPLES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "enterprise": lambda ctx: make_enterprise(area="kfq"),
    "plan_version": lambda ctx: PlanVersion.objects.first(),
}


def register_sample(
    name: str,
) -> Callable[[Callable[[dict[str, Any]], Any]], Callable[[dict[str, Any]], Any]]:
    def decorator(builder: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
        SAMPLES[name] = builder
        return builder

    return decorator


# ---- sample builders for the domain apps ------------------------------------------------------------
# Each object sits in the kfq area, is owned by another firm than the enterprise user's, and (where the
# model has a unit scope) is assigned to another unit than fgw: so gxq, fgw and the firm user expect 404.

TODAY = dt.date(2025, 11, 15)


def _admin(ctx: dict[str, Any]) -> Any:
    return ctx["city_admin"]


def _version() -> PlanVersion:
    version = current_plan_version()
    assert version is not None, "the Kunshan plan is loaded by the users fixture"
    return version


def _kfq_firm() -> Enterprise:
    return make_enterprise(area="kfq")


@register_sample("work_item")
def _work_item(ctx: dict[str, Any]) -> Any:
    from semicluster.accountability import services
    from semicluster.accountability.models import WorkItem

    services.work_items_sync(actor=_admin(ctx), version=_version())
    return WorkItem.objects.exclude(lead_unit__code="fgw").exclude(co_units__code="fgw").first()


@register_sample("escalation")
def _escalation(ctx: dict[str, Any]) -> Any:
    from semicluster.accountability.models import Escalation

    return Escalation.objects.create(
        plan_version=_version(),
        unit=Unit.objects.get(code="gxj"),
        period_key="2025-10",
        item_codes=[],
        due_date=dt.date(2025, 11, 5),
        issued_on=dt.date(2025, 11, 10),
        message="请报送进展",
    )


@register_sample("meeting")
def _meeting(ctx: dict[str, Any]) -> Any:
    from semicluster.accountability import services

    return services.meeting_record(
        actor=_admin(ctx),
        version=_version(),
        date=dt.date(2025, 10, 20),
        title="领导小组会议（测试）",
        attendees="领导小组成员",
        topics="项目推进",
        decisions=[("加快推进（测试）", Unit.objects.get(code="gxj"), dt.date(2025, 12, 31))],
    )


@register_sample("decision")
def _decision(ctx: dict[str, Any]) -> Any:
    return _meeting(ctx).decisions.first()


@register_sample("bulletin")
def _bulletin(ctx: dict[str, Any]) -> Any:
    from semicluster.accountability import services

    bulletin = services.bulletin_draft(
        actor=_admin(ctx),
        version=_version(),
        period_key="2025-10",
        as_of=dt.date(2025, 11, 10),
    )
    return services.bulletin_issue(actor=_admin(ctx), bulletin=bulletin)


@register_sample("bulletin_docx")
def _bulletin_docx(ctx: dict[str, Any]) -> Any:
    return {"pk": _bulletin(ctx).pk, "fmt": "docx"}


@register_sample("chain_node")
def _chain_node(ctx: dict[str, Any]) -> Any:
    return {"code": ChainNode.objects.order_by("sort")[0].code}


@register_sample("target")
def _target(ctx: dict[str, Any]) -> Any:
    from semicluster.chain.services import target_save

    return target_save(
        actor=_admin(ctx),
        data={
            "name": "目标公司（测试）",
            "category": "multinational",
            "country": "US",
            "estimated_investment": Decimal("2000000000"),
            "intended_area": Area.objects.get(code="kfq"),
            "responsible_unit": Unit.objects.get(code="swj"),
            "supply_items": [],
        },
        nodes=ChainNode.objects.filter(code="wafer-fab"),
        on=dt.date(2025, 1, 6),
    )


@register_sample("community")
def _community(ctx: dict[str, Any]) -> Any:
    from semicluster.chain.services import community_save

    return community_save(
        actor=_admin(ctx),
        data={"name": "链主协同体（测试）", "leader": _kfq_firm(), "formed_on": dt.date(2025, 3, 1)},
    )


@register_sample("designation")
def _designation(ctx: dict[str, Any]) -> Any:
    from semicluster.enterprises.models import Designation
    from semicluster.plans.models import DesignationType

    return Designation.objects.create(
        enterprise=_kfq_firm(), designation_type=DesignationType.objects.all()[0], granted=dt.date(2024, 6, 1)
    )


@register_sample("round")
def _round(ctx: dict[str, Any]) -> Any:
    from semicluster.cultivation import services

    return services.round_open(actor=_admin(ctx), name="2025年第一批（测试）", data_year=2024)


@register_sample("candidate")
def _candidate(ctx: dict[str, Any]) -> Any:
    from semicluster.cultivation import services

    return services.candidate_add(actor=_admin(ctx), round=_round(ctx), enterprise=_kfq_firm())


@register_sample("review")
def _review(ctx: dict[str, Any]) -> Any:
    from semicluster.cultivation import services

    return services.review_run(actor=_admin(ctx), data_year=2024, today=TODAY)


@register_sample("exit_flag")
def _exit_flag(ctx: dict[str, Any]) -> Any:
    from semicluster.cultivation.models import ExitFlag, LeaderMember

    review = _review(ctx)
    member = LeaderMember.objects.create(
        enterprise=_kfq_firm(), admission_round=_round(ctx), admitted_on=dt.date(2024, 12, 1)
    )
    return ExitFlag.objects.create(review=review, member=member, score=Decimal("40"))


@register_sample("financing_need")
def _financing_need(ctx: dict[str, Any]) -> Any:
    from semicluster.finance import services

    return services.need_save(
        actor=_admin(ctx),
        data={
            "enterprise": _kfq_firm(),
            "amount": Decimal("5000000"),
            "instrument": "credit",
            "purpose": "流动资金（测试）",
            "submitted_on": dt.date(2025, 6, 1),
        },
    )


@register_sample("listing")
def _listing(ctx: dict[str, Any]) -> Any:
    from semicluster.finance import services

    return services.listing_save(
        actor=_admin(ctx),
        data={"enterprise": _kfq_firm(), "board": "star", "tutoring_on": dt.date(2025, 3, 1)},
    )


@register_sample("rd_project")
def _rd_project(ctx: dict[str, Any]) -> Any:
    from semicluster.innovation import services
    from semicluster.plans.models import KeyTechnology

    return services.project_save(
        actor=_admin(ctx),
        data={
            "title": "研发项目（测试）",
            "key_technology": KeyTechnology.objects.first(),
            "enterprise": _kfq_firm(),
            "budget": Decimal("3000000"),
            "start": dt.date(2025, 1, 1),
        },
    )


@register_sample("platform")
def _platform(ctx: dict[str, Any]) -> Any:
    from semicluster.enterprises.models import InnovationPlatform

    return InnovationPlatform.objects.create(
        name="测试研究院（测试）", kind="institute", area=Area.objects.get(code="kfq")
    )


@register_sample("batch")
def _batch(ctx: dict[str, Any]) -> Any:
    from semicluster.intake.models import ImportBatch

    # Someone else's batch: another kfq officer uploaded it.
    uploader = make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code="kfq"))
    return ImportBatch.objects.create(
        dataset="enterprise_period", user=uploader, filename="数据.xlsx", sha256="0" * 64
    )


@register_sample("dataset_template")
def _dataset_template(ctx: dict[str, Any]) -> Any:
    return {"dataset": "period_values"}


@register_sample("export_xlsx")
def _export_xlsx(ctx: dict[str, Any]) -> Any:
    return {"fmt": "xlsx"}


@register_sample("project")
def _project(ctx: dict[str, Any]) -> Any:
    from semicluster.projects import services

    area = Area.objects.get(code="kfq")
    data = {
        "name": "测试项目（测试）",
        "owner": _kfq_firm(),
        "area": area,
        "town": Town.objects.filter(area=area).first(),
        "node": area.focus_nodes.order_by("sort").first(),
        "category": "new",
        "total_investment": Decimal("200000000"),
        "source": "expansion",
        "responsible_unit": Unit.objects.get(code="gxj"),
    }
    return services.project_save(actor=None, data=data, today=TODAY).project


@register_sample("problem")
def _problem(ctx: dict[str, Any]) -> Any:
    from semicluster.projects import services

    return services.problem_add(
        actor=_admin(ctx),
        project=_project(ctx),
        description="用地指标未落实（测试）",
        category="land",
        owner_unit=Unit.objects.get(code="gxj"),
        deadline=dt.date(2025, 10, 1),
        raised_on=dt.date(2025, 9, 1),
    )


@register_sample("ticket")
def _ticket(ctx: dict[str, Any]) -> Any:
    from semicluster.projects import services

    problem = _problem(ctx)
    services.problems_escalate(actor=_admin(ctx), today=TODAY)
    return problem.ticket


@register_sample("report")
def _report(ctx: dict[str, Any]) -> Any:
    from semicluster.reports.services import report_create

    return report_create(actor=_admin(ctx), year=2025, edition="internal")


@register_sample("report_docx")
def _report_docx(ctx: dict[str, Any]) -> Any:
    return {"pk": _report(ctx).pk, "fmt": "docx"}


@register_sample("report_version_docx")
def _report_version_docx(ctx: dict[str, Any]) -> Any:
    from semicluster.reports.services import report_transition

    report = _report(ctx)
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=_admin(ctx), report=report, action=action)
    return {"pk": report.pk, "number": 1, "fmt": "docx"}


@register_sample("supply_answer")
def _supply_answer(ctx: dict[str, Any]) -> Any:
    from semicluster.supply import services

    return services.answer_save(
        actor=_admin(ctx),
        enterprise=_kfq_firm(),
        supplier_name="示例材料供应商（测试）",
        data={"year": 2025, "category": "material", "item": "光刻胶", "level": "kunshan"},
    )


def _application(ctx: dict[str, Any]) -> Any:
    from semicluster.support import services

    firm = make_enterprise(area="kfq", node="display-driver-ic")
    applicant = make_user(Role.ENTERPRISE_USER, enterprise=firm)
    application = services.application_create(
        actor=applicant,
        enterprise=firm,
        program_code="kunshan-2025-full-mask",
        data={
            "foundry": "示例晶圆代工厂",
            "foundry_location": "domestic",
            "local_fab": False,
            "process_node_nm": Decimal("28"),
            "wafer_size_mm": 300,
            "wafer_count": 25,
            "tapeout_date": dt.date(2025, 1, 15),
            "product": "DDIC-A1",
            "mask": "full_mask",
            "is_sensor": False,
            "first_tapeout": True,
        },
        costs=[
            {
                "item": "mask",
                "amount": Decimal("1000000"),
                "invoice_code": "3200251130",
                "invoice_number": "90000001",
                "contract_ref": "HT-2025-001",
            }
        ],
        at=timezone.make_aware(dt.datetime(2025, 5, 1, 10, 0)),
    )
    services.attachment_add(actor=applicant, application=application, name="发票.pdf", data=b"%PDF-1.4\n")
    return application


register_sample("application")(_application)


@register_sample("attachment")
def _attachment(ctx: dict[str, Any]) -> Any:
    application = _application(ctx)
    return {"pk": application.pk, "attachment_pk": application.attachments.first().pk}


def _kwargs(obj: Any, params: list[str]) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    return {param: obj.pk for param in params}


@pytest.fixture
def users(kunshan_plan):
    firm = make_enterprise(area="kfq")
    return {
        "anonymous": None,
        "city_admin": make_user(Role.CITY_ADMIN),
        "leader": make_user(Role.LEADER),
        "kfq_officer": make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code="kfq")),
        "gxq_officer": make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code="gxq")),
        "unit_officer": make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(code="fgw")),
        "enterprise_user": make_user(Role.ENTERPRISE_USER, enterprise=firm),
    }


def outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/accounts/login/" in response["Location"] else OK
    if response.status_code == 403 or response.status_code == 429:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    if 200 <= response.status_code < 300:
        return OK
    return f"status {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_role_gets_what_the_policy_declares(client, users, name):
    rule = POLICY[name]
    if rule.skip_reason:
        pytest.skip(rule.skip_reason)
    params = all_named_urls().get(name, [])
    kwargs = _kwargs(SAMPLES[rule.sample](users), params) if rule.sample else {}
    url = reverse(name, kwargs=kwargs or None)
    got = {}
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = getattr(client, rule.method)(url, rule.params)
        got[role] = outcome(response)
    assert got == {role: rule.expect[role] for role in ROLES}


def _published_public_report(ctx: dict[str, Any]) -> Any:
    from semicluster.reports.services import report_create, report_transition

    report = report_create(actor=_admin(ctx), year=2025, edition="public")
    for action in ("submit", "approve", "publish"):
        report = report_transition(actor=_admin(ctx), report=report, action=action)
    return report


@register_sample("public_report_year")
def _public_report_year(ctx: dict[str, Any]) -> Any:
    return {"year": _published_public_report(ctx).year}


@register_sample("public_report_version")
def _public_report_version(ctx: dict[str, Any]) -> Any:
    return {"year": _published_public_report(ctx).year, "number": 1}


@register_sample("public_report_pdf")
def _public_report_pdf(ctx: dict[str, Any]) -> Any:
    return {"year": _published_public_report(ctx).year, "number": 1, "fmt": "pdf"}


@register_sample("opendata_csv")
def _opendata_csv(ctx: dict[str, Any]) -> Any:
    from semicluster.portal import opendata

    _published_public_report(ctx)
    return {"name": opendata.resources()[0].name}


def _monitored_month() -> None:
    from semicluster.monitoring.services import indicators_refresh

    add_value(_kfq_firm(), "revenue", 2025, "300000000", month=6)
    indicators_refresh()


@register_sample("drilldown_city")
def _drilldown_city(ctx: dict[str, Any]) -> Any:
    _monitored_month()
    return {"goal": "industry-scale", "period": "2025-06"}


@register_sample("drilldown_kfq")
def _drilldown_kfq(ctx: dict[str, Any]) -> Any:
    _monitored_month()
    return {"goal": "industry-scale", "period": "2025-06", "scope_kind": "area", "scope_key": "kfq"}
