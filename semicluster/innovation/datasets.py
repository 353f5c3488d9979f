"""Importable dataset of R&D projects on the plan's key technologies (关键技术研发项目, 二、3).

One row per project: its title, the key technology (a code or name of the current plan's list), who
runs it — an enterprise (by credit code), an innovation platform (by its registered name), or both —
the budget, start, planned end, status and milestones (``2025-06-30 流片验证；2025-12-31 小批量试产``).
A project is identified by title + key technology + performer (``services.project_find``), so
re-importing the same rows changes nothing and a changed budget or status updates the project.

Rows are written through ``services.project_import_row`` (scope rules, model checks, who acted). The
preview tries each row through it in a savepoint that is always rolled back, so a row the service
would refuse is an error naming the row before anything is written. Blank optional cells leave stored
values alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django.db import models

from semicluster.accounts.models import Role
from semicluster.enterprises.datasets import CREDIT_CODE, NAME, FirmLookup, _credit_code_issues
from semicluster.enterprises.models import InnovationPlatform
from semicluster.innovation import services
from semicluster.innovation.models import RDProject
from semicluster.intake import codes
from semicluster.intake.adapters import (
    Action,
    Change,
    Dataset,
    FieldChange,
    display,
)
from semicluster.intake.cells import parse_date
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.plans.models import KeyTechnology
from semicluster.plans.selectors import current_plan_version

# msgid "active" is shared with other apps whose catalogue wins in the merged translation ("有效"); the
# template and the parser name the statuses as the innovation pages mean them.
_STATUS_NAMES = {RDProject.Status.ACTIVE.value: "在研"}
_DONE = re.compile(r"[（(](已完成|完成|已达成)[)）]$")
_MILESTONE = re.compile(r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*[:：，,、]?\s*(.*)$")
_SEPARATORS = re.compile(r"[\n\r；;]+")


def parse_milestones(text: str) -> tuple[list[dict[str, Any]], str | None]:
    """'2025-06-30 流片验证；2025-12-31 小批量试产（已完成）' -> milestones as the model keeps them
    ({"date", "description", "done"}), or the problem with the first bad one (pure)."""
    out: list[dict[str, Any]] = []
    items = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    for number, item in enumerate(items, start=1):
        match = _MILESTONE.match(item)
        day, problem = parse_date(match.group(1)) if match else (None, "")
        if match is None or problem is not None or not isinstance(day, dt.date):
            return [], msg(
                f"第{number}个里程碑「{item}」应以日期开头，如“2025-06-30 流片验证”，多个用分号或换行分隔",
                f"milestone {number} must start with a date, e.g. '2025-06-30 tape-out'",
            )
        description = match.group(2).strip()
        done = _DONE.search(description)
        if done:
            description = description[: done.start()].strip()
        if not description:
            return [], msg(
                f"第{number}个里程碑缺少说明（日期后写明节点内容）",
                f"milestone {number} needs a description after its date",
            )
        out.append({"date": day.isoformat(), "description": description, "done": bool(done)})
    return out, None


def milestones_text(milestones: Sequence[Mapping[str, Any]] | None) -> str:
    return "；".join(
        f"{m.get('date', '')} {m.get('description', '')}{'（已完成）' if m.get('done') else ''}"
        for m in milestones or []
    )


def _project_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    if all(values.get(k) is None for k in ("credit_code", "name", "platform")):
        yield (
            "credit_code",
            msg(
                "须填写承担企业的统一社会信用代码或创新平台名称（或两者）",
                "give the enterprise's credit code or the platform (or both)",
            ),
        )
    start, end = values.get("start"), values.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        yield "end", msg("计划完成日期早于开始日期", "the planned end precedes the start")
    text = values.get("milestones")
    if text is not None:
        _parsed, problem = parse_milestones(str(text))
        if problem:
            yield "milestones", problem


PROJECT_SPEC = DatasetSpec(
    key="rd_projects",
    title_zh="关键技术研发项目",
    title_en="R&D projects on key technologies",
    columns=(
        ColumnSpec(
            "title",
            "项目名称",
            "Title",
            aliases=("研发项目名称", "课题名称", "攻关项目名称", "项目"),
            required=True,
            max_length=200,
        ),
        ColumnSpec(
            "key_technology",
            "关键技术",
            "Key technology",
            Kind.CODE,
            aliases=("所属关键技术", "关键核心技术", "技术方向", "攻关方向", "技术领域"),
            required=True,
            code_list="key_technologies",
            help_zh="从下拉列表选择方案所列的关键技术",
        ),
        ColumnSpec(
            CREDIT_CODE.key,
            CREDIT_CODE.label_zh,
            CREDIT_CODE.label_en,
            CREDIT_CODE.kind,
            aliases=(*CREDIT_CODE.aliases, "承担企业信用代码"),
            max_length=CREDIT_CODE.max_length,
            help_zh="承担企业的18位统一社会信用代码；由平台承担的项目可留空",
        ),
        ColumnSpec(
            NAME.key,
            NAME.label_zh,
            NAME.label_en,
            aliases=(*NAME.aliases, "承担企业", "承担单位"),
            max_length=NAME.max_length,
            help_zh=NAME.help_zh,
        ),
        ColumnSpec(
            "platform",
            "创新平台",
            "Platform",
            Kind.CODE,
            aliases=("承担平台", "平台名称", "合作平台", "研发平台", "依托平台"),
            code_list="platforms",
            help_zh="创新平台库中的平台名称；企业承担的项目可留空",
        ),
        ColumnSpec(
            "budget",
            "项目预算",
            "Budget",
            Kind.MONEY,
            aliases=("预算", "总预算", "项目总预算", "计划总投资", "研发投入", "项目总投入"),
            required=True,
            min_value=Decimal(0),
            help_zh="默认单位万元（可在表头写“元/万元/亿元”）",
        ),
        ColumnSpec(
            "start",
            "开始日期",
            "Start",
            Kind.DATE,
            aliases=("起始日期", "立项日期", "开始时间", "起始时间", "项目开始日期"),
            required=True,
        ),
        ColumnSpec(
            "end",
            "计划完成日期",
            "Planned end",
            Kind.DATE,
            aliases=("结束日期", "完成日期", "计划结束日期", "截止日期", "计划完成时间"),
        ),
        ColumnSpec(
            "status",
            "项目状态",
            "Status",
            Kind.CODE,
            aliases=("状态", "进展状态", "实施状态"),
            code_list="rd_statuses",
            help_zh="拟研 / 在研 / 已完成 / 暂停；新项目留空为在研",
        ),
        ColumnSpec(
            "milestones",
            "里程碑",
            "Milestones",
            aliases=("节点计划", "进度安排", "关键节点", "里程碑节点"),
            help_zh="每个节点“日期 说明”，多个用分号或换行分隔；已完成的在末尾写“（已完成）”",
        ),
    ),
    natural_key=("title", "key_technology", "credit_code", "platform"),
    row_validator=_project_issues,
    instructions_zh=(
        "每个研发项目一行：项目名称 + 关键技术 + 承担企业（信用代码）和/或创新平台 + 项目预算 + 开始日期。",
        "同一项目名称、关键技术和承担方视为同一项目：再次导入时更新预算、日期、状态和里程碑，不会重复登记。",
        "里程碑写成“2025-06-30 流片验证；2025-12-31 小批量试产”，已完成的节点末尾写“（已完成）”。",
        "金额默认单位万元；空白单元格保持系统中的原值。",
    ),
)

_COLUMNS = {
    "title": "title",
    "key_technology": "key_technology",
    "enterprise": "credit_code",
    "credit_code": "credit_code",
    "platform": "platform",
    "budget": "budget",
    "start": "start",
    "end": "end",
    "status": "status",
    "milestones": "milestones",
}
_OPTIONAL = ("end", "status")


def _status_choices() -> list[tuple[str, str]]:
    return [(code, _STATUS_NAMES.get(code, label)) for code, label in codes.choices(RDProject.Status)]


class ProjectAdapter(ServiceRowsAdapter):
    model = RDProject
    # What a revert checks of a created record: a project whose status moved since is not deleted by
    # reverting the batch that created it.
    create_field = "status"
    spec = PROJECT_SPEC
    field_columns = _COLUMNS

    @classmethod
    def code_lists(cls) -> CodeLists:
        technologies = KeyTechnology.objects.filter(plan_version=current_plan_version()).order_by("sort")
        return {
            "key_technologies": [(t.code, t.name) for t in technologies],
            "platforms": [(name, name) for name in InnovationPlatform.objects.values_list("name", flat=True)],
            "rd_statuses": _status_choices(),
        }

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        self.technologies = {
            t.code: t for t in KeyTechnology.objects.filter(plan_version=current_plan_version())
        }
        self.platforms = {p.name: p for p in InnovationPlatform.objects.all()}
        titles = {str(r.values["title"]).strip() for r in rows if r.values.get("title")}
        self.existing: dict[tuple[object, ...], RDProject] = {}
        for project in (
            RDProject.objects.filter(title__in=titles).select_related("key_technology").order_by("-pk")
        ):
            key = (project.title, project.key_technology.code, project.enterprise_id, project.platform_id)
            self.existing[key] = project  # the lowest id wins, as in services.project_find
        self.labels = {c.key: c.label_zh for c in PROJECT_SPEC.columns}
        self.status_names = dict(_status_choices())

    def plan_row(self, row: ParsedRow) -> Change | None:
        if not self.named_user(row):
            return None
        v: dict[str, Any] = row.values
        firm = None
        if v.get("credit_code") is not None or v.get("name") is not None:
            firm = self.firms.resolve(row)
            if firm is None:
                return None
        platform = self.platforms[str(v["platform"])] if v.get("platform") is not None else None
        technology = self.technologies[str(v["key_technology"])]
        title = str(v["title"]).strip()
        budget = self.cents(row, "budget", v["budget"])
        values: dict[str, Any] = {"budget": budget, "start": v["start"]}
        values.update({k: v[k] for k in _OPTIONAL if v.get(k) is not None})
        identity = (title, technology.code, firm.pk if firm else None, platform.pk if platform else None)
        existing = self.existing.get(identity)
        if v.get("milestones") is not None:
            milestones, _problem = parse_milestones(str(v["milestones"]))
            values["milestones"] = self._keep_done(milestones, existing.milestones if existing else [])
        performer = " + ".join(p.name for p in (firm, platform) if p is not None)
        label = f"{title} · {technology.name} · {performer}"
        area_id = firm.area_id if firm is not None else platform.area_id if platform is not None else None
        areas = {a for a in (area_id, existing.area_id if existing else None) if a is not None}
        scope: dict[str, Any] = {"area_ids": frozenset(areas), "enterprise_id": firm.pk if firm else None}
        arguments = self._arguments(title, technology.code, firm, platform, values)
        if existing is None:
            created = {"title": title, "key_technology": technology, **values}
            change = Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={**created, "enterprise": firm, "platform": platform},
                diffs=[self._shown(k, None, val) for k, val in created.items()],
                **scope,
            )
        else:
            changed = {k: val for k, val in values.items() if getattr(existing, k) != val}
            if not changed:
                return Change(row, Action.UNCHANGED, label, identity, instance=existing, **scope)
            change = Change(
                row,
                Action.UPDATE,
                label,
                identity,
                instance=existing,
                values=changed,
                diffs=[self._shown(k, getattr(existing, k), val) for k, val in changed.items()],
                **scope,
            )
        return self.checked(change, lambda: services.project_import_row(**arguments))

    @staticmethod
    def _keep_done(
        milestones: list[dict[str, Any]], stored: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """A milestone already marked done stays done when the file does not say so."""
        done = {(m.get("date"), m.get("description")) for m in stored if m.get("done")}
        return [{**m, "done": m["done"] or (m["date"], m["description"]) in done} for m in milestones]

    def _shown(self, attname: str, old: object, new: object) -> FieldChange:
        label = self.labels.get(attname, attname)
        if attname == "milestones":
            before, after = milestones_text(cast(Any, old)) or "—", milestones_text(cast(Any, new)) or "—"
            return FieldChange(attname, label, old, new, before, after)
        if attname == "status":
            return FieldChange(
                attname,
                label,
                old,
                new,
                self.status_names.get(str(old)) or display(old),
                self.status_names.get(str(new)) or display(new),
            )
        if attname == "key_technology":
            return FieldChange("key_technology_id", label, old, getattr(new, "pk", new), None, str(new))
        return FieldChange(attname, label, old, new)

    def _arguments(
        self,
        title: str,
        technology: str,
        firm: Any,
        platform: InnovationPlatform | None,
        values: Mapping[str, Any],
    ) -> dict[str, Any]:
        return {
            "actor": self.ctx.user,
            "title": title,
            "key_technology": technology,
            "credit_code": firm.credit_code if firm is not None else "",
            "platform": platform.name if platform is not None else "",
            **values,
        }

    def save(self, change: Change) -> models.Model:
        values: dict[str, Any] = dict(change.values)
        if change.instance is None:
            title, technology = values.pop("title"), values.pop("key_technology")
            firm, platform = values.pop("enterprise"), values.pop("platform")
        else:
            stored: RDProject = change.instance
            title, technology = stored.title, stored.key_technology
            firm, platform = stored.enterprise, stored.platform
            values = {"budget": stored.budget, "start": stored.start, **values}
        arguments = self._arguments(title, technology.code, firm, platform, values)
        project, _created = self.save_through(change, lambda: services.project_import_row(**arguments))
        return project


DATASETS = [
    Dataset(
        PROJECT_SPEC,
        ProjectAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=75,
        description_zh="关键技术研发项目：关键技术、承担企业或平台、预算、起止日期、状态与里程碑",
        description_en="R&D projects on key technologies: performer, budget, dates, status and milestones",
        needs_user=True,
    )
]
