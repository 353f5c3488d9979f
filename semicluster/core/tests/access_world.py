"""A small city for the access tests (the API access matrix and the object-level scoping test).

``build_scope(...)`` creates one record of every scoped kind inside one scope: one plan area, one
enterprise of that area, one responsible unit. The API matrix builds it in the acting users' own scope
(kfq, their firm, fgw), so an ALLOWED outcome is meaningful; the object-scoping test builds it in
another scope (gxq, another firm, another unit), where every scoped role must get a 404.

Also here: the API operations as the served OpenAPI document lists them, minimal valid request bodies
for the write operations, and calling an operation with a role's bearer token.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from semicluster.accounts.models import Role, User
from semicluster.accounts.services import api_token_create
from semicluster.core.testing import add_value, make_user, synthetic_credit_code
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, ChainNode, PlanVersion, Town, Unit
from semicluster.plans.selectors import current_plan_version

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{(\w+)\}")
# A day inside the example tape-out support program's application window (the plan's, in 2025).
IN_WINDOW = dt.datetime(2025, 5, 1, 10, 0)
TODAY = dt.date(2025, 11, 15)
PDF = b"%PDF-1.4\n%test evidence\n"


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    method: str  # upper case, as the policy keys it
    path: str  # the template, as the OpenAPI document spells it: /api/projects/{project_id}
    spec: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def multipart(self) -> bool:
        content = self.spec.get("requestBody", {}).get("content", {})
        return "multipart/form-data" in content

    def url(self, values: dict[str, Any]) -> str:
        return PARAM.sub(lambda m: str(values[m.group(1)]), self.path)


_SERVED: dict[str, list[Operation]] = {}


def served_operations() -> list[Operation]:
    """The operations the app serves, read once per test process."""
    if "ops" not in _SERVED:
        from django.test import Client

        _SERVED["ops"] = api_operations(Client())
    return _SERVED["ops"]


def api_operations(client: Any) -> list[Operation]:
    """Every operation of the OpenAPI document the app serves (the same one test_api_anonymous reads)."""
    document = client.get("/api/openapi.json").json()
    return [
        Operation(method.upper(), path, item[method])
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


def call(client: Any, operation: Operation, url: str, token: str | None, body: Any = None) -> Any:
    """Call ``operation`` at ``url`` with a bearer token (none: anonymously); ``body`` is JSON, or a dict
    of form fields and files for a multipart operation."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    method = operation.method.lower()
    if method == "get":
        return client.get(url, headers=headers)
    if operation.multipart:
        return client.post(url, data=body or {}, headers=headers)
    data = "" if body is None else json.dumps(body, cls=DjangoJSONEncoder)
    return client.generic(operation.method, url, data, content_type="application/json", headers=headers)


# --------------------------------------------------------------------------- people


@dataclass
class Actors:
    users: dict[str, User | None]
    tokens: dict[str, str | None]


def build_actors(*, firm: Enterprise, area: str = "kfq", unit: str = "fgw") -> Actors:
    """One user per role of SPEC §1 (the district officer of ``area``, the unit officer of ``unit``,
    the enterprise user of ``firm``), each with a bearer token."""
    users: dict[str, User | None] = {
        "anonymous": None,
        "city_admin": make_user(Role.CITY_ADMIN),
        "leader": make_user(Role.LEADER),
        "district_officer": make_user(Role.DISTRICT_OFFICER, area=Area.objects.get(code=area)),
        "unit_officer": make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(code=unit)),
        "enterprise_user": make_user(Role.ENTERPRISE_USER, enterprise=firm),
    }
    tokens: dict[str, str | None] = {
        role: (api_token_create(user=user, name="access matrix")[1] if user else None)
        for role, user in users.items()
    }
    return Actors(users, tokens)


# --------------------------------------------------------------------------- one scope's records


def version() -> PlanVersion:
    found = current_plan_version()
    assert found is not None, "the Kunshan plan is loaded once per test database by the root conftest"
    return found


@dataclass
class Scope:
    """The records of one scope, by kind (the keys name what a path parameter is filled with)."""

    area: Area
    firm: Enterprise
    unit: Unit
    records: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.records[name]


def build_scope(*, admin: User, area: str, unit: str, firm: Enterprise, avoid_unit: str = "") -> Scope:
    """One record of every scoped kind in one scope: ``area``, enterprise ``firm`` (of that area) and
    responsible unit ``unit``. ``avoid_unit`` keeps that unit off the records entirely (not even as a
    co-unit of the work item), so its officer has no claim on any of them."""
    from semicluster.accountability import services as tasks
    from semicluster.accountability.models import Bulletin, Escalation, WorkItem
    from semicluster.chain import services as chain
    from semicluster.chain.models import TargetStep
    from semicluster.cultivation import services as cultivation
    from semicluster.cultivation.models import ExitFlag, LeaderMember
    from semicluster.enterprises.models import Designation, InnovationPlatform
    from semicluster.finance import services as finance
    from semicluster.innovation import services as innovation
    from semicluster.intake.models import ImportBatch
    from semicluster.plans.models import DesignationType, KeyTechnology
    from semicluster.projects import services as projects
    from semicluster.projects.models import AnnualPlan, LightChange, ProgressReport, TicketReply
    from semicluster.supply import services as supply
    from semicluster.support import services as support
    from semicluster.support.models import CostItem, LedgerEntry, Step

    area_obj = Area.objects.get(code=area)
    unit_obj = Unit.objects.get(code=unit)
    plan = version()
    r: dict[str, Any] = {"enterprise": firm}

    # enterprises
    r["period_value"] = add_value(firm, "revenue", 2024, "300000000")
    r["designation"] = Designation.objects.create(
        enterprise=firm,
        designation_type=DesignationType.objects.order_by("pk")[0],
        granted=dt.date(2024, 6, 1),
    )

    # accountability: a work item led by ``unit``, a report with evidence, an escalation, a bulletin
    if not WorkItem.objects.filter(plan_version=plan).exists():
        tasks.work_items_sync(actor=admin, version=plan)
    items = WorkItem.objects.filter(plan_version=plan, lead_unit=unit_obj)
    if avoid_unit:
        items = items.exclude(co_units__code=avoid_unit)
    item = items.order_by("sort", "pk").first()
    assert item is not None, f"the plan has a task led by {unit} (without {avoid_unit or 'nobody'})"
    r["work_item"] = item
    r["progress_update"] = tasks.progress_report(
        actor=admin,
        item=item,
        text="按计划推进（测试）",
        percent=Decimal("40"),
        evidence=SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf"),
        reported_on=dt.date(2025, 7, 5),
    )
    r["escalation"] = Escalation.objects.create(
        plan_version=plan,
        unit=unit_obj,
        period_key="2025-10",
        item_codes=[item.code],
        due_date=dt.date(2025, 11, 5),
        issued_on=dt.date(2025, 11, 10),
        message="请报送进展（测试）",
    )
    bulletin = Bulletin.objects.filter(plan_version=plan, state=Bulletin.State.ISSUED).first()
    if bulletin is None:
        draft = tasks.bulletin_draft(
            actor=admin, version=plan, period_key="2025-10", as_of=dt.date(2025, 11, 10)
        )
        bulletin = tasks.bulletin_issue(actor=admin, bulletin=draft)
    r["bulletin"] = bulletin

    # chain: a lead for the area and unit (and a signed one, which may land), a community led by the firm
    def target(name: str) -> Any:
        return chain.target_save(
            actor=admin,
            data={
                "name": name,
                "category": "multinational",
                "country": "US",
                "estimated_investment": Decimal("2000000000"),
                "intended_area": area_obj,
                "responsible_unit": unit_obj,
                "supply_items": [],
            },
            nodes=ChainNode.objects.filter(code="wafer-fab"),
            on=dt.date(2025, 1, 6),
        )

    r["target"] = target(f"目标公司{area}（测试）")
    signed = target(f"已签约目标{area}（测试）")
    r["target_signed"] = chain.target_advance(
        actor=admin, target=signed, stage="signed", on=dt.date(2025, 3, 1)
    )
    r["target_step"] = TargetStep.objects.filter(target=r["target"]).first()
    r["community"] = chain.community_save(
        actor=admin,
        data={"name": f"链主协同体{area}（测试）", "leader": firm, "formed_on": dt.date(2025, 3, 1)},
    )

    # cultivation: a round with the firm's candidacy (scored), a member flagged by a review
    round = cultivation.round_open(actor=admin, name=f"{area}批次（测试）", data_year=2024)
    r["round"] = round
    r["candidate"] = cultivation.candidate_add(actor=admin, round=round, enterprise=firm)
    cultivation.round_score(actor=admin, round=round, today=TODAY)
    r["candidate"].refresh_from_db()
    member_round = cultivation.round_open(actor=admin, name=f"{area}往期批次（测试）", data_year=2023)
    r["round_empty"] = cultivation.round_open(actor=admin, name=f"{area}新批次（测试）", data_year=2024)
    # A member that has since left the library (so the firm may apply again), flagged by a review.
    r["leader_member"] = LeaderMember.objects.create(
        enterprise=firm,
        admission_round=member_round,
        admitted_on=dt.date(2023, 12, 1),
        exited_on=dt.date(2025, 6, 30),
        exit_reason="企业迁出（测试）",
    )
    review = cultivation.review_run(actor=admin, data_year=2024, today=TODAY)
    r["review"] = review
    r["exit_flag"] = ExitFlag.objects.create(review=review, member=r["leader_member"], score=Decimal("40"))

    # finance
    r["financing_need"] = finance.need_save(
        actor=admin,
        data={
            "enterprise": firm,
            "amount": Decimal("5000000"),
            "instrument": "credit",
            "purpose": "流动资金（测试）",
            "submitted_on": dt.date(2025, 6, 1),
        },
    )
    r["listing"] = finance.listing_save(
        actor=admin, data={"enterprise": firm, "board": "star", "tutoring_on": dt.date(2025, 3, 1)}
    )

    # innovation
    r["rd_project"] = innovation.project_save(
        actor=admin,
        data={
            "title": f"研发项目{area}（测试）",
            "key_technology": KeyTechnology.objects.order_by("pk").first(),
            "enterprise": firm,
            "budget": Decimal("3000000"),
            "start": dt.date(2025, 1, 1),
        },
    )
    r["platform"] = InnovationPlatform.objects.create(
        name=f"测试研究院{area}（测试）", kind="institute", area=area_obj
    )

    # projects: a project of the firm in the area for the unit, its report, a problem and its ticket
    project = projects.project_save(
        actor=None,
        data={
            "name": f"测试项目{area}（测试）",
            "owner": firm,
            "area": area_obj,
            "town": Town.objects.filter(area=area_obj).order_by("pk").first(),
            "node": area_obj.focus_nodes.order_by("sort").first() or ChainNode.objects.order_by("sort")[0],
            "category": "new",
            "total_investment": Decimal("200000000"),
            "source": "expansion",
            "responsible_unit": unit_obj,
            "annual_plans": {2025: Decimal("50000000")},
        },
        today=TODAY,
    ).project
    r["project"] = project
    r["annual_plan"] = AnnualPlan.objects.filter(project=project).first()
    projects.project_progress_record(
        actor=admin, project=project, year=2025, month=6, ytd_completed=Decimal("10000000"), source="api"
    )
    r["progress_report"] = ProgressReport.objects.filter(project=project).first()
    r["problem"] = projects.problem_add(
        actor=admin,
        project=project,
        description="用地指标未落实（测试）",
        category="land",
        owner_unit=unit_obj,
        deadline=dt.date(2025, 10, 1),
        raised_on=dt.date(2025, 9, 1),
    )
    problem_open = projects.problem_add(
        actor=admin,
        project=project,
        description="能耗指标待协调（测试）",
        category="power",
        owner_unit=unit_obj,
        deadline=dt.date(2026, 10, 1),
        raised_on=dt.date(2025, 9, 1),
    )
    r["problem_open"] = problem_open
    projects.problems_escalate(actor=admin, today=TODAY)
    r["problem"].refresh_from_db()
    r["ticket"] = r["problem"].ticket
    r["ticket_reply"] = TicketReply.objects.create(ticket=r["ticket"], author=admin, text="已协调（测试）")
    r["light_change"] = LightChange.objects.filter(project=project).first()

    # supply
    r["supply_answer"] = supply.answer_save(
        actor=admin,
        enterprise=firm,
        supplier_name=f"示例材料供应商{area}（测试）",
        data={"year": 2025, "category": "material", "item": "光刻胶", "level": "kunshan"},
    )

    # support: one application in each state of the workflow
    r["application"] = _application(admin, firm, "A")  # draft, with an attachment
    r["attachment"] = r["application"].attachments.first()
    r["cost_item"] = CostItem.objects.filter(application=r["application"]).first()
    submitted = _application(admin, firm, "B")
    support.application_submit(actor=admin, application=submitted, at=_aware(IN_WINDOW))
    r["application_submitted"] = submitted
    pre_reviewed = _application(admin, firm, "C")
    support.application_submit(actor=admin, application=pre_reviewed, at=_aware(IN_WINDOW))
    officer = make_user(Role.DISTRICT_OFFICER, area=area_obj)
    support.application_pre_review(actor=officer, application=pre_reviewed, passed=True, at=_aware(IN_WINDOW))
    r["application_pre_reviewed"] = pre_reviewed
    reviewed = _application(admin, firm, "D")
    support.application_submit(actor=admin, application=reviewed, at=_aware(IN_WINDOW))
    support.application_pre_review(actor=officer, application=reviewed, passed=True, at=_aware(IN_WINDOW))
    support.application_review(actor=admin, application=reviewed, passed=True, at=_aware(IN_WINDOW))
    r["application_reviewed"] = reviewed
    approved = _application(admin, firm, "E")
    support.application_submit(actor=admin, application=approved, at=_aware(IN_WINDOW))
    support.application_pre_review(actor=officer, application=approved, passed=True, at=_aware(IN_WINDOW))
    support.application_review(actor=admin, application=approved, passed=True, at=_aware(IN_WINDOW))
    support.application_decide(
        actor=admin,
        application=approved,
        outcome="approve",
        reason="符合条件（测试）",
        confirm_over_budget=True,
        at=_aware(IN_WINDOW),
    )
    r["application_approved"] = approved
    # Someone else's import batch (an officer of the area uploaded it): a batch is its uploader's.
    r["import_batch"] = ImportBatch.objects.create(
        dataset="period_values", user=officer, filename="月报.xlsx", sha256=f"{firm.pk:064d}"
    )
    r["step"] = Step.objects.filter(application=approved).first()
    r["ledger_entry"] = LedgerEntry.objects.filter(application=approved).first()
    for name, value in r.items():
        assert value is not None, f"access_world.build_scope made no {name}"
    return Scope(area_obj, firm, unit_obj, r)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value)


def _application(admin: User, firm: Enterprise, tag: str) -> Any:
    """A draft tape-out application of ``firm`` (distinct invoice and product per ``tag``)."""
    from semicluster.support import services as support

    application = support.application_create(
        actor=admin,
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
            "product": f"DDIC-{tag}{firm.pk}",
            "mask": "full_mask",
            "is_sensor": False,
            "first_tapeout": True,
        },
        costs=[
            {
                "item": "mask",
                "amount": Decimal("1000000"),
                "invoice_code": "3200251130",
                "invoice_number": f"9{firm.pk:04d}{ord(tag):03d}",
                "contract_ref": f"HT-2025-{tag}",
            }
        ],
        at=_aware(IN_WINDOW),
    )
    support.attachment_add(actor=admin, application=application, name="发票.pdf", data=PDF)
    return application


# --------------------------------------------------------------------------- calling operations on it


@dataclass
class World:
    actors: Actors
    scope: Scope
    town: str  # a town code of the scope's area

    def record(self, name: str) -> Any:
        return self.scope[name]


PERIOD_CSV = "统一社会信用代码,企业名称,指标,统计期,数值\n{code},{name},营业收入,2025-{month:02d},{value}\n"


def period_csv(firm: Any, month: int, value: int = 1000) -> bytes:
    """A one-row import of ``firm``'s revenue for a month of 2025."""
    return PERIOD_CSV.format(code=firm.credit_code, name=firm.name, month=month, value=value).encode("utf-8")


# A path parameter is filled with the named record of the world. Per-operation entries pick a record in
# the state the operation needs (a signed lead lands, a submitted application is pre-reviewed, …).
PARAM_RECORDS: dict[str, str] = {
    "enterprise_id": "enterprise",
    "item_id": "work_item",
    "update_id": "progress_update",
    "escalation_id": "escalation",
    "bulletin_id": "bulletin",
    "target_id": "target",
    "designation_id": "designation",
    "round_id": "round",
    "candidate_id": "candidate",
    "review_id": "review",
    "flag_id": "exit_flag",
    "need_id": "financing_need",
    "listing_id": "listing",
    "platform_id": "platform",
    "ticket_id": "ticket",
    "problem_id": "problem_open",
    "answer_id": "supply_answer",
    "application_id": "application",
    "project_id": "project",
}
PATH_RECORDS: dict[str, dict[str, str]] = {
    "/api/innovation/projects/": {"project_id": "rd_project"},
}
OPERATION_RECORDS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/api/chain/targets/{target_id}/land"): {"target_id": "target_signed"},
    ("POST", "/api/cultivation/rounds/{round_id}/candidates"): {"round_id": "round_empty"},
    ("POST", "/api/cultivation/rounds/{round_id}/publish"): {"round_id": "round_empty"},
    ("POST", "/api/support/applications/{application_id}/pre-review"): {
        "application_id": "application_submitted"
    },
    ("POST", "/api/support/applications/{application_id}/review"): {
        "application_id": "application_pre_reviewed"
    },
    ("POST", "/api/support/applications/{application_id}/decide"): {"application_id": "application_reviewed"},
    ("POST", "/api/support/applications/{application_id}/override"): {
        "application_id": "application_reviewed"
    },
    ("POST", "/api/support/applications/{application_id}/disburse"): {
        "application_id": "application_approved"
    },
    ("GET", "/api/support/applications/{application_id}/award"): {"application_id": "application_approved"},
}
# Parameters that are not records: literal values (and a query string the operation needs).
LITERALS: dict[str, str] = {"goal": "industry-scale", "period": "2025-06", "scope_kind": "area"}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/api/monitoring/drilldown/{goal}/{period}/{scope_kind}"): "?scope_key=kfq",
    ("GET", "/api/cultivation/crossings"): "?year=2025",
}


def record_name(operation: Operation, param: str) -> str | None:
    """The world record a path parameter of ``operation`` is filled with (None: a literal value)."""
    if param in LITERALS or param == "dataset":
        return None
    if param == "batch_id":
        return "import_batch"
    name = OPERATION_RECORDS.get(operation.key, {}).get(param)
    for prefix, names in PATH_RECORDS.items():
        if name is None and operation.path.startswith(prefix):
            name = names.get(param)
    name = name or PARAM_RECORDS.get(param)
    assert name, f"{operation.method} {operation.path}: no record for path parameter {param!r}"
    return name


def path_values(world: World, operation: Operation, records: dict[str, Any] | None = None) -> dict[str, Any]:
    """Path parameter values for ``operation``: records of the world (or ``records`` by name), literals."""
    values: dict[str, Any] = {}
    for param in operation.params:
        name = record_name(operation, param)
        if name is None:
            values[param] = LITERALS.get(param, "period_values")
        else:
            found = (records or {}).get(name)
            values[param] = (found if found is not None else world.record(name)).pk
    return values


# --------------------------------------------------------------------------- request bodies


def _firm(world: World) -> Any:
    return world.scope.firm


def _application_body(world: World) -> dict[str, Any]:
    return {
        "program_code": "kunshan-2025-full-mask",
        "enterprise": _firm(world).pk,
        "foundry": "示例晶圆代工厂",
        "foundry_location": "domestic",
        "process_node_nm": "28",
        "wafer_size_mm": 300,
        "wafer_count": 25,
        "tapeout_date": "2025-02-15",
        "product": "DDIC-NEW",
        "mask": "full_mask",
        "costs": [{"item": "mask", "amount": "800000", "invoice_number": "77000001"}],
    }


def _answer_body(world: World) -> dict[str, Any]:
    return {
        "enterprise": _firm(world).pk,
        "year": 2025,
        "category": "material",
        "item": "靶材",
        "supplier": "示例靶材供应商（测试）",
        "level": "kunshan",
    }


Body = Callable[[World], Any]
BODIES: dict[tuple[str, str], Body] = {
    # enterprises
    ("POST", "/api/enterprises/"): lambda w: {
        "credit_code": synthetic_credit_code(),
        "name": "新登记企业（测试）",
        "town": w.town,
        "primary_node": "display-driver-ic",
        "ownership": "private",
    },
    ("PATCH", "/api/enterprises/{enterprise_id}"): lambda w: {"key_products": "显示驱动芯片（测试）"},
    ("PUT", "/api/enterprises/{enterprise_id}/values"): lambda w: {
        "measure": "revenue",
        "year": 2025,
        "period_type": "M",
        "period": 8,
        "value": "350000000.00",
    },
    ("POST", "/api/enterprises/{enterprise_id}/designations"): lambda w: {
        "designation_type": "hnte",
        "granted": "2025-03-01",
    },
    # tasks
    ("POST", "/api/tasks/items/{item_id}/updates"): lambda w: {"text": "进展顺利（测试）", "percent": "60"},
    ("POST", "/api/tasks/items/{item_id}/updates/with-evidence"): lambda w: {
        "text": "进展顺利（测试）",
        "percent": "60",
        "evidence": SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf"),
    },
    ("POST", "/api/tasks/escalations/{escalation_id}/reply"): lambda w: {"reply": "已按期报送（测试）"},
    # chain
    ("POST", "/api/chain/targets"): lambda w: {
        "name": "新目标公司（测试）",
        "category": "multinational",
        "country": "DE",
        "nodes": ["wafer-fab"],
        "intended_area": "kfq",
        "responsible_unit": "fgw",
    },
    ("POST", "/api/chain/targets/{target_id}/advance"): lambda w: {"stage": "contacted", "on": "2025-02-01"},
    ("POST", "/api/chain/targets/{target_id}/land"): lambda w: {
        "town": w.town,
        "new_owner_credit_code": synthetic_credit_code(),
        "new_owner_name": "落地新设公司（测试）",
        "on": "2025-04-01",
    },
    # cultivation
    ("PATCH", "/api/cultivation/designations/{designation_id}"): lambda w: {"evidence": "证书编号（测试）"},
    ("POST", "/api/cultivation/rounds"): lambda w: {"name": "2026年第一批（测试）", "data_year": 2025},
    ("POST", "/api/cultivation/rounds/{round_id}/candidates"): lambda w: {"enterprise": _firm(w).pk},
    ("POST", "/api/cultivation/candidates/{candidate_id}/adjust"): lambda w: {
        "adjustment": "1.00",
        "reason": "专家意见（测试）",
    },
    ("POST", "/api/cultivation/candidates/{candidate_id}/decision"): lambda w: {
        "decision": "reject",
        "reason": "未达入库条件（测试）",
    },
    ("POST", "/api/cultivation/reviews"): lambda w: {"data_year": 2024},
    ("POST", "/api/cultivation/flags/{flag_id}/resolve"): lambda w: {
        "resolution": "retain",
        "reason": "保留观察（测试）",
    },
    # finance
    ("POST", "/api/finance/needs"): lambda w: {
        "enterprise": _firm(w).pk,
        "amount": "2000000",
        "instrument": "guarantee",
        "purpose": "设备采购（测试）",
        "submitted_on": "2025-07-01",
    },
    ("PATCH", "/api/finance/needs/{need_id}"): lambda w: {"purpose": "设备更新（测试）"},
    ("POST", "/api/finance/listings"): lambda w: {
        "enterprise": _firm(w).pk,
        "board": "chinext",
        "tutoring_on": "2025-04-01",
    },
    ("PATCH", "/api/finance/listings/{listing_id}"): lambda w: {"sponsor": "示例证券（测试）"},
    # innovation
    ("POST", "/api/innovation/projects"): lambda w: {
        "title": "新研发项目（测试）",
        "key_technology": w.record("rd_project").key_technology.code,
        "enterprise": _firm(w).pk,
        "budget": "1000000",
        "start": "2025-03-01",
    },
    ("PATCH", "/api/innovation/projects/{project_id}"): lambda w: {"title": "研发项目（更新）"},
    # imports
    ("POST", "/api/imports/preview/{dataset}"): lambda w: {
        "file": SimpleUploadedFile("月报.csv", period_csv(_firm(w), 4242), content_type="text/csv")
    },
    # projects
    ("POST", "/api/projects/"): lambda w: {
        "name": "新项目（测试）",
        "owner": _firm(w).pk,
        "town": w.town,
        "node": w.record("project").node.code,
        "category": "new",
        "total_investment": "300000000",
        "source": "expansion",
        "responsible_unit": "fgw",
    },
    ("POST", "/api/projects/tickets/{ticket_id}/replies"): lambda w: {"text": "正在协调（测试）"},
    ("POST", "/api/projects/tickets/{ticket_id}/close"): lambda w: {"text": "问题已解决（测试）"},
    ("POST", "/api/projects/problems/{problem_id}/resolve"): lambda w: {"resolution": "已协调解决（测试）"},
    ("PATCH", "/api/projects/{project_id}"): lambda w: {"construction_content": "新建厂房（测试）"},
    ("POST", "/api/projects/{project_id}/transition"): lambda w: {"target": "signed"},
    ("PUT", "/api/projects/{project_id}/progress"): lambda w: {
        "year": 2025,
        "month": 7,
        "ytd_completed": "20000000",
    },
    ("POST", "/api/projects/{project_id}/problems"): lambda w: {
        "description": "配套电力待落实（测试）",
        "category": "power",
        "owner_unit": "fgw",
        "deadline": "2026-03-31",
        "raised_on": "2025-10-01",
    },
    # supply
    ("POST", "/api/supply/answers"): _answer_body,
    ("PUT", "/api/supply/answers/{answer_id}"): lambda w: {
        **_answer_body(w),
        "item": "光刻胶",
        "share": "0.5",
    },
    # support
    ("POST", "/api/support/applications"): _application_body,
    ("PATCH", "/api/support/applications/{application_id}"): lambda w: {"product": "DDIC-A2"},
    ("POST", "/api/support/applications/{application_id}/pre-review"): lambda w: {"passed": True},
    ("POST", "/api/support/applications/{application_id}/review"): lambda w: {"passed": True},
    ("POST", "/api/support/applications/{application_id}/decide"): lambda w: {
        "outcome": "reject",
        "reason": "不符合支持条件（测试）",
    },
    ("POST", "/api/support/applications/{application_id}/override"): lambda w: {
        "amount": "100000",
        "reason": "一事一议（测试）",
    },
    ("POST", "/api/support/applications/{application_id}/disburse"): lambda w: {
        "paid_on": timezone.localdate().isoformat(),
        "reference": "PZ-2025-001（测试）",
    },
}


def body_for(world: World, operation: Operation) -> Any:
    if "requestBody" not in operation.spec:
        return None
    build = BODIES.get(operation.key)
    assert build is not None, f"{operation.method} {operation.path} takes a body: add one to BODIES"
    return build(world)
