"""Importable datasets of tasks and accountability (三、1): the decomposition of the plan's tasks into
work items (工作任务分解表) and the units' progress reports (工作进展报送表).

**Work items** (``task_items``, the office only): one row per part of a plan task. The item code
(事项编号) is its identity: importing the same code again updates that item, blank cells leave stored
values alone, and a file that matches what is stored changes nothing. Milestones sit in one cell, as an
official writes them in Excel — ``2025-06-30 完成选址；2025-09-30 开工`` (semicolons or line breaks
between them). Items are written through ``services.work_item_decompose`` / ``work_item_update``, so the
service's rules (a part ends no later than its task, milestones inside the item's dates, a milestone a
report reached is never dropped) hold for imports too; the preview runs each row through the service
in a savepoint that is always rolled back. Status is computed, never imported.

**Progress reports** (``task_progress``, the office and unit officers): one row per work item and
reporting period. A unit officer imports only reports on the items their unit leads (the intake
framework checks ``Change.unit_ids``). Reports are kept as filed (``models.ProgressUpdate``): a row that
differs from the period's latest report files a *correction* — a new report, shown in the preview with
its differences — and the first report still decides timeliness; a row equal to the latest report is
unchanged. Reports go through ``services.progress_report``.

Revert: a batch's created items and reports are deleted (with their milestones); an updated item gets
its own fields back (title, units, dates …). Co-units, goals and milestones changed on an existing item
are shown in the preview, but a revert does not restore them (the preview says so on the row).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from semicluster.accountability import engine, selectors, services
from semicluster.accountability.models import Milestone, Origin, ProgressUpdate, WorkItem
from semicluster.accounts.models import Role
from semicluster.intake.adapters import Action, Change, Dataset, FieldChange
from semicluster.intake.cells import code_key, fold, parse_date
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter, refusal_column
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.plans.models import Goal, PlanVersion, Task, Unit
from semicluster.plans.selectors import current_plan_version

_CENT = Decimal("0.01")
_SLUG = re.compile(r"^[-a-z0-9_]+$")
# Several units, goals or milestones in one cell: 、 , ; or a line break (full-width forms fold to these).
_LIST_SEPARATORS = re.compile(r"[、,;\n]+")
_MILESTONE_SEPARATORS = re.compile(r"[;\n]+")
_MILESTONE = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*[:,、]?\s*(.*)$", re.S)


# --------------------------------------------------------------------------- pure cell formats


def split_list(text: object) -> list[str]:
    """``市发改委、市商务局`` → two names (also ``,`` ``;`` full-width forms and line breaks)."""
    if text is None:
        return []
    folded = unicodedata.normalize("NFKC", str(text))
    return [part.strip() for part in _LIST_SEPARATORS.split(folded) if part.strip()]


@dataclass(frozen=True)
class MilestoneCell:
    milestones: tuple[tuple[dt.date, str], ...]
    problems: tuple[str, ...]


def parse_milestones(text: object) -> MilestoneCell:
    """``2025-06-30 完成选址；2025-09-30 开工`` → ((date, description), …) and the problems found.

    Each milestone is a date (2025-06-30, 2025/6/30, 2025.6.30 or 2025年6月30日) followed by what is due;
    milestones are separated by semicolons or line breaks."""
    if text is None:
        return MilestoneCell((), ())
    found: list[tuple[dt.date, str]] = []
    problems: list[str] = []
    parts = [p.strip() for p in _MILESTONE_SEPARATORS.split(unicodedata.normalize("NFKC", str(text)))]
    for number, part in enumerate((p for p in parts if p), start=1):
        match = _MILESTONE.match(part)
        day = parse_date(re.sub(r"\s+", "", match.group(1)))[0] if match else None
        if match is None or not isinstance(day, dt.date):
            problems.append(
                msg(
                    f"第{number}个节点「{part[:30]}」应以日期开头，如“2025-06-30 完成选址”，"
                    "多个节点用分号分隔",
                    f"milestone {number} must start with a date, e.g. '2025-06-30 site selected'; "
                    "separate milestones with semicolons",
                )
            )
            continue
        description = match.group(2).strip()
        if not description:
            problems.append(
                msg(
                    f"第{number}个节点（{day.isoformat()}）缺少节点内容",
                    f"milestone {number} ({day.isoformat()}) has no description",
                )
            )
        elif len(description) > 300:
            problems.append(
                msg(f"第{number}个节点内容超过300字", f"milestone {number} is longer than 300 characters")
            )
        else:
            found.append((day, description))
    return MilestoneCell(tuple(sorted(found)), tuple(problems))


def _milestone_pairs(milestones: Sequence[tuple[dt.date, str]]) -> list[list[str]]:
    """Milestones as JSON-able [due (ISO date), description] pairs, sorted: how a revert keeps them."""
    return [[due.isoformat(), text] for due, text in sorted(milestones)]


def milestones_text(milestones: Sequence[tuple[dt.date, str]]) -> str:
    return "；".join(f"{due.isoformat()} {description}" for due, description in sorted(milestones))


def item_code(raw: object) -> str:
    return fold(str(raw)).lower() if raw is not None else ""


def percent_points(ratio: object) -> Decimal | None:
    """A PERCENT cell (stored as a ratio, 40% → 0.4) as the 0–100 the model keeps."""
    if not isinstance(ratio, Decimal):
        return None
    return (ratio * 100).quantize(_CENT, rounding=ROUND_HALF_UP)


class _SheetAdapter(ServiceRowsAdapter):
    """Rows go through the accountability services (``intake.service_rows``); problems name a column as
    the clerk's file heads it (``完成比例（%）``), like the parser's do."""

    refusals = (ValidationError, PermissionDenied)

    def _header(self, row: ParsedRow, column: str | None) -> str | None:
        key = next((c.key for c in self.spec.columns if column in (c.key, c.label_zh)), None)
        for header in self.result.sheets if self.result else ():
            if key is not None and header.sheet == row.sheet and key in header.columns:
                return header.columns[key].header
        return column

    def error(self, row: ParsedRow, message: str, column: str | None = None) -> None:
        super().error(row, message, self._header(row, column))

    def warn(self, row: ParsedRow, message: str, column: str | None = None) -> None:
        super().warn(row, message, self._header(row, column))

    def refusal_column(self, row: ParsedRow, exc: ValidationError) -> str | None:
        return refusal_column(exc, self.field_columns)  # a label: ``error`` finds the file's header


# --------------------------------------------------------------------------- lookups


class UnitLookup:
    """Responsible units by code, full name, short name or English name (any width or case)."""

    def __init__(self) -> None:
        self.units = list(Unit.objects.order_by("code"))
        self.index: dict[str, Unit] = {}
        for unit in self.units:
            for text in (unit.name, unit.short_name, unit.name_en):
                if text:
                    self.index.setdefault(code_key(text), unit)
        for unit in self.units:
            self.index[code_key(unit.code)] = unit

    def get(self, text: str) -> Unit | None:
        return self.index.get(code_key(text))

    def sample(self) -> str:
        return "、".join(u.short_name or u.name for u in self.units[:8]) + (
            "…" if len(self.units) > 8 else ""
        )


def unit_name(unit: Unit) -> str:
    return unit.short_name or unit.name


# --------------------------------------------------------------------------- work items (工作任务分解)

ITEM_TASK = ColumnSpec(
    "task",
    "所属任务",
    "Plan task",
    Kind.CODE,
    aliases=("规划任务", "任务", "任务编号", "所属规划任务", "重点任务"),
    required=True,
    code_list="plan_tasks",
    help_zh="规划中的任务（下拉选择名称，或填任务编号）",
)
ITEM_CODE = ColumnSpec(
    "code",
    "事项编号",
    "Item code",
    aliases=("编号", "分解事项编号", "工作事项编号"),
    required=True,
    max_length=80,
    help_zh="字母、数字和连字符，如 investment-map-1；再次导入同一编号即更新该事项",
)
ITEM_TITLE = ColumnSpec(
    "title",
    "工作事项",
    "Work item",
    aliases=("事项名称", "分解事项", "工作任务", "具体任务", "任务内容", "工作内容"),
    required=True,
    max_length=300,
)
ITEM_LEAD = ColumnSpec(
    "lead_unit",
    "牵头单位",
    "Lead unit",
    aliases=("责任单位", "牵头部门", "主办单位"),
    required=True,
    max_length=200,
    help_zh="单位简称（如 市商务局）、全称或代码",
)
ITEM_CO = ColumnSpec(
    "co_units",
    "配合单位",
    "Co-units",
    aliases=("协办单位", "配合部门", "参与单位", "协同单位"),
    help_zh="多个单位用顿号（、）分隔",
)
ITEM_PERSON = ColumnSpec(
    "responsible_person",
    "责任人",
    "Responsible person",
    aliases=("负责人", "责任领导"),
    max_length=60,
)
ITEM_START = ColumnSpec(
    "start",
    "开始日期",
    "Start",
    Kind.DATE,
    aliases=("开始时间", "起始日期", "启动时间"),
    help_zh="留空则与所属任务同时开始",
)
ITEM_DEADLINE = ColumnSpec(
    "deadline",
    "完成时限",
    "Deadline",
    Kind.DATE,
    aliases=("截止日期", "完成时间", "完成期限", "截止时间"),
    required=True,
    help_zh="不晚于所属任务的截止日期",
)
ITEM_DELIVERABLE = ColumnSpec(
    "deliverable",
    "成果形式",
    "Deliverable",
    aliases=("预期成果", "交付成果", "工作成果", "成果"),
    max_length=300,
)
ITEM_GOALS = ColumnSpec(
    "goals",
    "服务目标",
    "Goals served",
    aliases=("对应目标", "关联指标", "目标指标", "服务指标", "对应指标"),
    help_zh="规划目标的名称或编号，多个用顿号分隔；新事项留空则沿用所属任务的目标",
)
ITEM_MILESTONES = ColumnSpec(
    "milestones",
    "时间节点",
    "Milestones",
    aliases=("节点安排", "进度安排", "阶段性节点", "里程碑", "节点"),
    help_zh="每个节点写“日期 内容”，多个节点用分号或换行分隔，如：2025-06-30 完成选址；2025-09-30 开工",
)


def _item_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    code = values.get("code")
    if code is not None and not _SLUG.match(item_code(code)):
        yield (
            "code",
            msg(
                f"事项编号「{code}」只能包含字母、数字、连字符（-）和下划线，如 investment-map-1",
                f"item code '{code}' may hold only letters, digits, hyphens and underscores",
            ),
        )
    start, deadline = values.get("start"), values.get("deadline")
    if isinstance(start, dt.date) and isinstance(deadline, dt.date) and deadline < start:
        yield (
            "deadline",
            msg(
                f"完成时限{deadline.isoformat()}早于开始日期{start.isoformat()}",
                f"the deadline {deadline.isoformat()} is before the start {start.isoformat()}",
            ),
        )
    cell = parse_milestones(values.get("milestones"))
    for problem in cell.problems:
        yield "milestones", problem
    if isinstance(deadline, dt.date):
        for due, description in cell.milestones:
            if due > deadline or (isinstance(start, dt.date) and due < start):
                yield (
                    "milestones",
                    msg(
                        f"节点「{due.isoformat()} {description}」不在事项起止日期内",
                        f"milestone {due.isoformat()} is outside the item's start and deadline",
                    ),
                )


ITEM_SPEC = DatasetSpec(
    key="task_items",
    title_zh="工作任务分解",
    title_en="Work items (task decomposition)",
    columns=(
        ITEM_TASK,
        ITEM_CODE,
        ITEM_TITLE,
        ITEM_LEAD,
        ITEM_CO,
        ITEM_PERSON,
        ITEM_START,
        ITEM_DEADLINE,
        ITEM_DELIVERABLE,
        ITEM_GOALS,
        ITEM_MILESTONES,
    ),
    natural_key=("code",),
    row_validator=_item_issues,
    instructions_zh=(
        "每行一个分解事项：所属任务、事项编号、工作事项、牵头单位、完成时限必填。",
        "事项编号是事项的身份：再次导入同一编号会更新该事项（留空的单元格保持原值），不会重复新建。",
        "时间节点写在一个单元格内：2025-06-30 完成选址；2025-09-30 开工（用分号或换行分隔）。",
        "单位可填简称、全称或代码；多个配合单位或服务目标用顿号（、）分隔。",
        "事项状态（正常推进、存在风险、已逾期、已完成）由系统根据节点、时限和进展报送自动计算，不导入。",
    ),
)

# Columns whose changes on an existing item are shown but not reverted (they are not fields of the item).
_RELATED = ("co_units", "goals", "milestones")
_ITEM_COLUMNS = {
    "code": ITEM_CODE.label_zh,
    "title": ITEM_TITLE.label_zh,
    "lead_unit": ITEM_LEAD.label_zh,
    "start": ITEM_START.label_zh,
    "deadline": ITEM_DEADLINE.label_zh,
    "milestones": ITEM_MILESTONES.label_zh,
    "responsible_person": ITEM_PERSON.label_zh,
    "deliverable": ITEM_DELIVERABLE.label_zh,
}


@dataclass
class _ItemPlan:
    """What a row asks of one item, resolved against the database."""

    parent: WorkItem
    fields: dict[str, Any]  # model field name -> value (lead_unit as a Unit), only the cells given
    co_units: list[Unit] | None
    goals: list[Goal] | None
    milestones: list[tuple[dt.date, str]] | None


class WorkItemAdapter(_SheetAdapter):
    model = WorkItem
    spec = ITEM_SPEC
    create_field = "code"
    field_columns = _ITEM_COLUMNS

    @classmethod
    def code_lists(cls) -> CodeLists:
        version = current_plan_version()
        tasks = Task.objects.filter(plan_version=version).order_by("sort", "code") if version else []
        return {"plan_tasks": [(t.code, t.title) for t in tasks]}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.version: PlanVersion | None = current_plan_version()
        items = (
            WorkItem.objects.filter(plan_version=self.version)
            .select_related("lead_unit", "parent", "task")
            .prefetch_related("co_units", "goals", "milestones")
        )
        self.by_code = {i.code: i for i in items}
        self.plan_items = {
            i.task.code: i for i in self.by_code.values() if i.origin == Origin.PLAN and i.task is not None
        }
        self.units = UnitLookup()
        goals = list(Goal.objects.filter(plan_version=self.version).order_by("sort"))
        self.goal_index: dict[str, Goal] = {}
        for goal in goals:
            for text in (goal.name, goal.name_en):
                if text:
                    self.goal_index.setdefault(code_key(text), goal)
        for goal in goals:
            self.goal_index[code_key(goal.code)] = goal
        self.labels = {f.name: str(f.verbose_name) for f in WorkItem._meta.concrete_fields}

    # -- resolving --------------------------------------------------------------------------------
    def _parent(self, row: ParsedRow) -> WorkItem | None:
        if self.version is None:
            self.error(row, msg("尚未加载规划，不能导入工作事项", "no plan is loaded"))
            return None
        task_code = str(row.values["task"])
        parent = self.plan_items.get(task_code)
        if parent is None:
            self.error(
                row,
                msg(
                    f"规划任务「{task_code}」尚未生成工作事项；请先在“任务”页面从规划任务生成工作事项"
                    "（或运行 semicluster tasks sync）",
                    f"the plan task '{task_code}' has no work item yet; create the work items from the "
                    "plan's tasks first",
                ),
                ITEM_TASK.label_zh,
            )
        return parent

    def _units(self, row: ParsedRow, key: str, column: str) -> list[Unit] | None:
        names = split_list(row.values.get(key))
        found = [(name, self.units.get(name)) for name in names]
        unknown = [name for name, unit in found if unit is None]
        if unknown:
            self.error(
                row,
                msg(
                    f"没有名为「{'、'.join(unknown)}」的单位（可填：{self.units.sample()}）",
                    f"unknown unit(s): {', '.join(unknown)}",
                ),
                column,
            )
            return None
        return list(dict.fromkeys(unit for _name, unit in found if unit is not None))

    def _goals(self, row: ParsedRow) -> list[Goal] | None:
        names = split_list(row.values.get("goals"))
        found = [(name, self.goal_index.get(code_key(name))) for name in names]
        unknown = [name for name, goal in found if goal is None]
        if unknown:
            self.error(
                row,
                msg(
                    f"规划中没有名称或编号为「{'、'.join(unknown)}」的目标",
                    f"the plan has no goal named or coded {', '.join(unknown)}",
                ),
                ITEM_GOALS.label_zh,
            )
            return None
        return list(dict.fromkeys(goal for _name, goal in found if goal is not None))

    def _resolve(self, row: ParsedRow, parent: WorkItem) -> _ItemPlan | None:
        v = row.values
        lead = self._units(row, "lead_unit", ITEM_LEAD.label_zh)
        co_units = self._units(row, "co_units", ITEM_CO.label_zh)
        goals = self._goals(row)
        if lead is None or co_units is None or goals is None:
            return None
        if len(lead) != 1:
            self.error(row, msg("牵头单位只能填一个", "give exactly one lead unit"), ITEM_LEAD.label_zh)
            return None
        fields: dict[str, Any] = {"title": str(v["title"]), "lead_unit": lead[0]}
        for key in ("responsible_person", "deliverable", "start", "deadline"):
            if v.get(key) is not None:
                fields[key] = v[key]
        given = {key: v.get(key) is not None for key in _RELATED}
        return _ItemPlan(
            parent=parent,
            fields=fields,
            co_units=[u for u in co_units if u != lead[0]] if given["co_units"] else None,
            goals=goals if given["goals"] else None,
            milestones=list(parse_milestones(v.get("milestones")).milestones)
            if given["milestones"]
            else None,
        )

    # -- planning ---------------------------------------------------------------------------------
    def plan_row(self, row: ParsedRow) -> Change | None:
        parent = self._parent(row)
        if parent is None:
            return None
        code = item_code(row.values["code"])
        existing = self.by_code.get(code)
        if existing is not None and existing.parent_id != parent.pk:
            owner = (
                f"规划任务或会议决定「{existing.title[:30]}」"
                if existing.parent is None
                else f"任务「{existing.parent.code}」下的事项「{existing.title[:30]}」"
            )
            self.error(
                row,
                msg(
                    f"编号「{code}」已用于{owner}，请另取一个编号",
                    f"the code '{code}' already belongs to another work item; choose another code",
                ),
                ITEM_CODE.label_zh,
            )
            return None
        plan = self._resolve(row, parent)
        if plan is None:
            return None
        deadline = plan.fields.get("deadline") or (existing.deadline if existing else None)
        if deadline is not None and deadline > parent.deadline:
            self.error(
                row,
                msg(
                    f"完成时限{deadline.isoformat()}晚于所属任务的截止日期{parent.deadline.isoformat()}",
                    f"the deadline is after the plan task's ({parent.deadline.isoformat()})",
                ),
                ITEM_DEADLINE.label_zh,
            )
            return None
        label = f"{code} {plan.fields['title'][:40]}"
        units = {plan.fields["lead_unit"].pk} | ({existing.lead_unit_id} if existing else set())
        scope: dict[str, Any] = {"area_ids": frozenset(), "unit_ids": frozenset(units)}
        if existing is None:
            change = Change(
                row,
                Action.CREATE,
                label,
                (code,),
                values={"code": code, "plan": plan},
                diffs=self._create_diffs(code, plan),
                **scope,
            )
        else:
            diffs = self._update_diffs(existing, plan)
            if not diffs:
                return Change(row, Action.UNCHANGED, label, (code,), instance=existing, **scope)
            change = Change(
                row,
                Action.UPDATE,
                label,
                (code,),
                instance=existing,
                values={"code": code, "plan": plan},
                diffs=diffs,
                **scope,
            )
        if not self.attempt(row, lambda: self._apply(change)):
            return None
        return change

    def _create_diffs(self, code: str, plan: _ItemPlan) -> list[FieldChange]:
        f = plan.fields
        diffs = [
            FieldChange("code", ITEM_CODE.label_zh, None, code),
            FieldChange("title", ITEM_TITLE.label_zh, None, f["title"]),
            FieldChange(
                "lead_unit_id",
                ITEM_LEAD.label_zh,
                None,
                f["lead_unit"].pk,
                new_text=unit_name(f["lead_unit"]),
            ),
            FieldChange("start", ITEM_START.label_zh, None, f.get("start") or plan.parent.start),
            FieldChange("deadline", ITEM_DEADLINE.label_zh, None, f["deadline"]),
        ]
        if plan.co_units:
            text = "、".join(unit_name(u) for u in plan.co_units)
            diffs.append(FieldChange("co_units", ITEM_CO.label_zh, None, text))
        if plan.milestones:
            diffs.append(
                FieldChange("milestones", ITEM_MILESTONES.label_zh, None, milestones_text(plan.milestones))
            )
        return diffs

    def _update_diffs(self, item: WorkItem, plan: _ItemPlan) -> list[FieldChange]:
        diffs: list[FieldChange] = []
        for name, new in plan.fields.items():
            if name == "lead_unit":
                if item.lead_unit_id != new.pk:
                    diffs.append(
                        FieldChange(
                            "lead_unit_id",
                            ITEM_LEAD.label_zh,
                            item.lead_unit_id,
                            new.pk,
                            old_text=unit_name(item.lead_unit),
                            new_text=unit_name(new),
                        )
                    )
            elif getattr(item, name) != new:
                diffs.append(
                    FieldChange(
                        name, _ITEM_COLUMNS.get(name, self.labels.get(name, name)), getattr(item, name), new
                    )
                )
        if plan.co_units is not None:
            new_units = sorted(plan.co_units, key=lambda u: u.code)
            old_units = sorted(item.co_units.all(), key=lambda u: u.code)
            if old_units != new_units:
                diffs.append(
                    FieldChange(
                        "co_units",
                        ITEM_CO.label_zh,
                        [u.code for u in old_units],
                        [u.code for u in new_units],
                        old_text="、".join(unit_name(u) for u in old_units),
                        new_text="、".join(unit_name(u) for u in new_units),
                    )
                )
        if plan.goals is not None:
            old_goals = sorted(item.goals.all(), key=lambda g: g.code)
            new_goals = sorted(plan.goals, key=lambda g: g.code)
            if old_goals != new_goals:
                diffs.append(
                    FieldChange(
                        "goals",
                        ITEM_GOALS.label_zh,
                        [g.code for g in old_goals],
                        [g.code for g in new_goals],
                        old_text="、".join(g.name for g in old_goals),
                        new_text="、".join(g.name for g in new_goals),
                    )
                )
        if plan.milestones is not None:
            old = sorted((m.due, m.description) for m in item.milestones.all())
            if old != sorted(plan.milestones):
                diffs.append(
                    FieldChange(
                        "milestones",
                        ITEM_MILESTONES.label_zh,
                        _milestone_pairs(old),
                        _milestone_pairs(plan.milestones),
                        old_text=milestones_text(old),
                        new_text=milestones_text(plan.milestones),
                    )
                )
        return diffs

    # -- writing ----------------------------------------------------------------------------------
    def _apply(self, change: Change) -> WorkItem:
        plan = cast(_ItemPlan, change.values["plan"])
        if change.action is Action.CREATE:
            f = plan.fields
            return services.work_item_decompose(
                actor=self.ctx.user,
                parent=WorkItem.objects.get(pk=plan.parent.pk),
                code=str(change.values["code"]),
                title=f["title"],
                lead_unit=f["lead_unit"],
                deadline=f["deadline"],
                start=f.get("start"),
                co_units=plan.co_units or (),
                responsible_person=f.get("responsible_person", ""),
                deliverable=f.get("deliverable", ""),
                milestones=plan.milestones or (),
                goals=plan.goals,
                origin=Origin.IMPORT,
            )
        item = WorkItem.objects.get(pk=change.instance.pk)
        data: dict[str, Any] = dict(plan.fields)
        for name, value in (
            ("co_units", plan.co_units),
            ("goals", plan.goals),
            ("milestones", plan.milestones),
        ):
            if value is not None:
                data[name] = value
        return services.work_item_update(actor=self.ctx.user, item=item, data=data)

    def write(self, changes: Sequence[Change]) -> None:
        for change in changes:
            change.instance = self.save(change)

    # -- revert of the related sets (co-units, goals, milestones are not fields of the item) ------------
    related_fields = _RELATED

    def related_value(self, instance: models.Model, name: str) -> object:
        item = cast(WorkItem, instance)
        if name == "co_units":
            return sorted(u.code for u in item.co_units.all())
        if name == "goals":
            return sorted(g.code for g in item.goals.all())
        return _milestone_pairs(sorted((m.due, m.description) for m in item.milestones.all()))

    def restore_related(self, instance: models.Model, name: str, value: object) -> None:
        item = cast(WorkItem, instance)
        codes = [str(v) for v in cast(list, value)] if name != "milestones" else []
        data: dict[str, Any]
        if name == "co_units":
            data = {"co_units": list(Unit.objects.filter(code__in=codes))}
        elif name == "goals":
            data = {"goals": list(Goal.objects.filter(plan_version=item.plan_version, code__in=codes))}
        else:
            pairs = cast(list, value)
            data = {"milestones": [(dt.date.fromisoformat(due), text) for due, text in pairs]}
        services.work_item_update(actor=self.ctx.user, item=item, data=data)

    def save(self, change: Change) -> models.Model:
        return self.save_through(change, lambda: self._apply(change))

    def delete_blockers(self, instances: Sequence[models.Model]) -> list[str]:
        """An item's milestones go with it; progress reports on it or parts under it block a revert."""
        ids = [i.pk for i in instances]
        found = [
            f"{ProgressUpdate._meta.verbose_name}: {u}"
            for u in ProgressUpdate.objects.filter(work_item_id__in=ids).select_related("work_item")[:5]
        ]
        found += [
            f"{WorkItem._meta.verbose_name}: {p}" for p in WorkItem.objects.filter(parent_id__in=ids)[:5]
        ]
        return found[:5]


# --------------------------------------------------------------------------- progress (工作进展报送)

PROGRESS_ITEM = ColumnSpec(
    "item",
    "事项编号",
    "Item code",
    aliases=("编号", "工作事项编号", "任务编号"),
    max_length=80,
    help_zh="工作事项的编号（任务页面可见）；不填编号时按事项名称查找",
)
PROGRESS_TITLE = ColumnSpec(
    "title",
    "事项名称",
    "Work item",
    aliases=("工作事项", "任务名称", "工作任务", "重点任务"),
    max_length=300,
    help_zh="仅用于核对；填了编号时以编号为准",
)
PROGRESS_PERIOD = ColumnSpec(
    "period",
    "报送期",
    "Reporting period",
    Kind.MONTH,
    aliases=("报告期", "所属期", "报送月份", "统计月份", "月份", "报送期间"),
    required=True,
    period_from_title=True,
    help_zh="填 2025-06 或 2025年6月（按季度报送时填该季度内任一月份）",
)
PROGRESS_TEXT = ColumnSpec(
    "text",
    "工作进展",
    "Progress",
    aliases=("进展情况", "工作进展情况", "完成情况", "进展", "工作完成情况", "推进情况"),
    required=True,
    max_length=5000,
)
PROGRESS_PERCENT = ColumnSpec(
    "percent",
    "完成比例",
    "Percent complete",
    Kind.PERCENT,
    aliases=("完成进度", "进度", "完成率", "完成百分比", "总体进度"),
    help_zh="事项总体完成进度，如 40%",
)
PROGRESS_MILESTONES = ColumnSpec(
    "milestones",
    "已完成节点",
    "Milestones reached",
    aliases=("完成节点", "达到节点", "节点完成情况", "本期完成节点"),
    help_zh="本期完成的节点：填节点内容或日期（如 2025-04-30），多个用顿号分隔",
)
PROGRESS_DONE = ColumnSpec(
    "done",
    "是否完成",
    "Completed",
    Kind.BOOL,
    aliases=("是否已完成", "事项已完成"),
    help_zh="事项全部完成填“是”（完成比例为100%时可不填）",
)
PROGRESS_PROBLEMS = ColumnSpec(
    "problems",
    "需协调解决的问题",
    "Problems needing coordination",
    aliases=(
        "存在问题",
        "存在的问题",
        "问题",
        "需协调事项",
        "困难和问题",
        "需要协调解决的问题",
        "存在问题及建议",
    ),
    max_length=5000,
)
PROGRESS_REPORTED_ON = ColumnSpec(
    "reported_on",
    "报送日期",
    "Reported on",
    Kind.DATE,
    aliases=("填报日期", "报送时间"),
    help_zh="仅领导小组办公室补录时填写；各单位留空（按导入当天计）",
)


def _progress_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    if values.get("item") is None and values.get("title") is None:
        yield (
            "item",
            msg("请填写事项编号（或事项名称）", "give the work item's code (or its title)"),
        )
    ratio = values.get("percent")
    if isinstance(ratio, Decimal) and not Decimal(0) <= ratio <= Decimal(1):
        yield (
            "percent",
            msg(
                f"完成比例应在 0% 到 100% 之间（读到 {ratio * 100:g}%），请写成 40% 这样的形式",
                "the percentage must be between 0% and 100%; write it like 40%",
            ),
        )


PROGRESS_SPEC = DatasetSpec(
    key="task_progress",
    title_zh="工作任务进展报送",
    title_en="Work-item progress reports",
    columns=(
        PROGRESS_ITEM,
        PROGRESS_TITLE,
        PROGRESS_PERIOD,
        PROGRESS_TEXT,
        PROGRESS_PERCENT,
        PROGRESS_MILESTONES,
        PROGRESS_DONE,
        PROGRESS_PROBLEMS,
        PROGRESS_REPORTED_ON,
    ),
    natural_key=("item", "period"),
    row_validator=_progress_issues,
    instructions_zh=(
        "每个工作事项每个报送期一行：事项编号 + 报送期 + 工作进展，"
        "并填写完成比例、已完成节点或“是否完成”之一。",
        "各单位只能报送本单位牵头的事项。再次导入相同内容不会重复报送；"
        "内容有变化时作为更正报送，首次报送的时间仍用于考核及时率。",
        "更正时留空的单元格沿用上一次报送的内容。事项状态由系统自动计算，不导入。",
    ),
)

_PROGRESS_COLUMNS = {
    "text": PROGRESS_TEXT.label_zh,
    "percent": PROGRESS_PERCENT.label_zh,
    "milestones_reached": PROGRESS_MILESTONES.label_zh,
    "period_key": PROGRESS_PERIOD.label_zh,
    "problems": PROGRESS_PROBLEMS.label_zh,
}
_SHOWN = (
    ("text", PROGRESS_TEXT.label_zh),
    ("percent", PROGRESS_PERCENT.label_zh),
    ("milestones_reached", PROGRESS_MILESTONES.label_zh),
    ("done", PROGRESS_DONE.label_zh),
    ("problems", PROGRESS_PROBLEMS.label_zh),
    ("reported_on", PROGRESS_REPORTED_ON.label_zh),
)


@dataclass(frozen=True)
class _Report:
    """The comparable content of a report."""

    text: str
    percent: Decimal | None
    milestones: tuple[Milestone, ...]
    done: bool
    problems: str
    reported_on: dt.date | None = None

    @property
    def shown(self) -> dict[str, object]:
        return {
            "text": self.text,
            "percent": self.percent,
            "milestones_reached": "；".join(f"{m.due.isoformat()} {m.description}" for m in self.milestones),
            "done": self.done,
            "problems": self.problems,
            "reported_on": self.reported_on,
        }

    def same_as(self, other: _Report) -> bool:
        mine = self.shown
        theirs = other.shown
        if self.reported_on is None:  # a report dated on import is compared without its date
            mine.pop("reported_on")
            theirs.pop("reported_on")
        return mine == theirs


def _report_of(update: ProgressUpdate) -> _Report:
    return _Report(
        text=update.text,
        percent=update.percent,
        milestones=tuple(sorted(update.milestones_reached.all(), key=lambda m: (m.due, m.key))),
        done=update.done,
        problems=update.problems,
        reported_on=update.reported_on,
    )


class ProgressAdapter(_SheetAdapter):
    model = ProgressUpdate
    spec = PROGRESS_SPEC
    create_field = "period_key"
    field_columns = _PROGRESS_COLUMNS

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.version: PlanVersion | None = current_plan_version()
        self.rules = selectors.reporting_rules(self.version) if self.version else engine.ReportingRules()
        self.today = timezone.localdate()
        items = list(
            WorkItem.objects.filter(plan_version=self.version)
            .select_related("lead_unit")
            .prefetch_related("milestones")
        )
        self.by_code = {i.code: i for i in items}
        self.by_title: dict[str, list[WorkItem]] = {}
        for item in items:
            self.by_title.setdefault(code_key(item.title), []).append(item)
        latest: dict[tuple[int, str], ProgressUpdate] = {}
        updates = ProgressUpdate.objects.filter(work_item__plan_version=self.version).prefetch_related(
            "milestones_reached"
        )
        for update in sorted(updates, key=lambda u: (u.reported_on, u.pk)):
            latest[(update.work_item_id, update.period_key)] = update
        self.latest = latest
        user = self.ctx.user
        self.visible: set[int] | None = (
            None
            if user is None or self.version is None
            else set(selectors.visible_items(user, self.version).values_list("id", flat=True))
        )

    def _item(self, row: ParsedRow) -> WorkItem | None:
        v = row.values
        if self.version is None:
            self.error(row, msg("尚未加载规划，不能导入进展", "no plan is loaded"))
            return None
        title = str(v["title"]).strip() if v.get("title") is not None else ""
        if v.get("item") is not None:
            code = item_code(v["item"])
            item = self.by_code.get(code)
            if item is None:
                self.error(
                    row,
                    msg(f"没有编号为「{v['item']}」的工作事项", f"no work item with the code '{v['item']}'"),
                    PROGRESS_ITEM.label_zh,
                )
                return None
            if title and code_key(title) != code_key(item.title):
                self.warn(
                    row,
                    msg(
                        f"事项名称与编号{code}的事项「{item.title}」不一致，按编号导入",
                        f"the title differs from that of item {code}; the code is used",
                    ),
                    PROGRESS_TITLE.label_zh,
                )
            return item
        matches = self.by_title.get(code_key(title), [])
        if len(matches) == 1:
            return matches[0]
        self.error(
            row,
            msg(
                f"有{len(matches)}个名为「{title}」的工作事项，请填写事项编号"
                if matches
                else f"没有名为「{title}」的工作事项，请填写事项编号",
                f"{len(matches)} work items are titled '{title}'; give the item code",
            ),
            PROGRESS_TITLE.label_zh,
        )
        return None

    def _milestones(self, row: ParsedRow, item: WorkItem) -> tuple[Milestone, ...] | None:
        names = split_list(row.values.get("milestones"))
        own = list(item.milestones.all())
        found: list[Milestone] = []
        unknown: list[str] = []
        for name in names:
            key = code_key(name)
            day = parse_date(name)[0]
            match = next(
                (m for m in own if key in (code_key(m.description), code_key(m.key)) or m.due == day), None
            )
            if match is None:
                unknown.append(name)
            elif match not in found:
                found.append(match)
        if unknown:
            listed = "；".join(f"{m.due.isoformat()} {m.description}" for m in own) or "（该事项没有节点）"
            self.error(
                row,
                msg(
                    f"事项{item.code}没有节点「{'、'.join(unknown)}」；该事项的节点：{listed}",
                    f"item {item.code} has no milestone {', '.join(unknown)}",
                ),
                PROGRESS_MILESTONES.label_zh,
            )
            return None
        return tuple(sorted(found, key=lambda m: (m.due, m.key)))

    def _period(self, row: ParsedRow, item: WorkItem, reported_on: dt.date) -> engine.Period | None:
        month: dt.date = row.values["period"]  # type: ignore[assignment]
        period = engine.period_containing(self.rules, month)
        if period in engine.periods_between(self.rules, item.start, reported_on):
            return period
        if period.end < item.start:
            zh = f"报送期{period.key}早于事项开始日期{item.start.isoformat()}"
            en = f"the period {period.key} ends before the item starts ({item.start.isoformat()})"
        else:
            zh = f"报送期{period.key}在报送日期{reported_on.isoformat()}时尚未开始"
            en = f"the period {period.key} has not begun on {reported_on.isoformat()}"
        self.error(row, msg(zh, en), PROGRESS_PERIOD.label_zh)
        return None

    def _reported_on(self, row: ParsedRow) -> tuple[bool, dt.date | None]:
        """(acceptable, the date the row gives): only the office back-fills; None means today."""
        given = row.values.get("reported_on")
        if not isinstance(given, dt.date):
            return True, None
        user = self.ctx.user
        if user is not None and not selectors.is_office(user):
            self.error(
                row,
                msg(
                    "报送日期由系统按导入当天记录，只有领导小组办公室补录时可以填写，请留空",
                    "only the leading-group office back-fills a report date; leave it blank",
                ),
                PROGRESS_REPORTED_ON.label_zh,
            )
            return False, None
        if given > self.today:
            self.error(
                row,
                msg(
                    f"报送日期{given.isoformat()}晚于今天",
                    f"the report date {given.isoformat()} is in the future",
                ),
                PROGRESS_REPORTED_ON.label_zh,
            )
            return False, None
        return True, given

    def plan_row(self, row: ParsedRow) -> Change | None:
        item = self._item(row)
        if item is None:
            return None
        acceptable, given_date = self._reported_on(row)
        milestones = self._milestones(row, item) if row.values.get("milestones") is not None else ()
        if not acceptable or milestones is None:
            return None
        reported_on = given_date or self.today
        period = self._period(row, item, reported_on)
        if period is None:
            return None
        v = row.values
        previous = self.latest.get((item.pk, period.key))
        before = _report_of(previous) if previous is not None else None
        percent = percent_points(v.get("percent"))
        done = v.get("done")
        report = _Report(
            text=str(v["text"]).strip(),
            percent=percent if percent is not None else (before.percent if before else None),
            milestones=milestones
            if v.get("milestones") is not None
            else (before.milestones if before else ()),
            done=bool(done if done is not None else (before.done if before else False)),
            problems=str(v["problems"]).strip()
            if v.get("problems") is not None
            else (before.problems if before else ""),
            reported_on=given_date,
        )
        if report.percent is not None and report.percent >= 100:
            report = replace(report, done=True)
        if report.percent is None and not report.milestones and not report.done:
            self.error(
                row,
                msg(
                    "请填写完成比例、已完成节点或“是否完成”之一",
                    "give a percentage, a milestone reached or mark the item completed",
                ),
                PROGRESS_PERCENT.label_zh,
            )
            return None
        # An item the user may not read is named by its code only (its title stays out of the message).
        hidden = self.visible is not None and item.pk not in self.visible
        label = f"{item.code if hidden else f'{item.code} {item.title[:30]}'} · {period.label.zh}"
        identity = (item.pk, period.key)
        scope: dict[str, Any] = {"area_ids": frozenset(), "unit_ids": frozenset({item.lead_unit_id})}
        if before is not None and report.same_as(before):
            return Change(row, Action.UNCHANGED, label, identity, instance=previous, **scope)
        values: dict[str, object] = {"item": item, "period_key": period.key, "report": report}
        change = Change(
            row,
            Action.CREATE,
            label + ("（更正）" if before is not None else ""),
            identity,
            values=values,
            diffs=self._diffs(report, before),
            **scope,
        )
        user = self.ctx.user
        # Another unit's item is not tried: the framework refuses it, naming the scope.
        if (user is None or selectors.may_update(user, item)) and not self.attempt(
            row, lambda: self._file(change)
        ):
            return None
        return change

    def _diffs(self, report: _Report, before: _Report | None) -> list[FieldChange]:
        new = report.shown
        if report.reported_on is None:
            new.pop("reported_on")
        old = before.shown if before is not None else {}
        diffs = []
        for name, label in _SHOWN:
            if name not in new or (before is not None and old.get(name) == new[name]):
                continue
            if before is None and new[name] in (None, "", False):
                continue
            diffs.append(FieldChange(name, label, old.get(name), new[name]))
        return diffs

    def _file(self, change: Change) -> ProgressUpdate:
        report = cast(_Report, change.values["report"])
        item = WorkItem.objects.select_related("lead_unit", "plan_version").get(
            pk=cast(WorkItem, change.values["item"]).pk
        )
        return services.progress_report(
            actor=self.ctx.user,
            item=item,
            text=report.text,
            percent=report.percent,
            milestones_reached=list(report.milestones),
            done=report.done,
            problems=report.problems,
            reported_on=report.reported_on,
            period_key=str(change.values["period_key"]),
        )

    def save(self, change: Change) -> models.Model:
        return self.save_through(change, lambda: self._file(change))


class LeadUnitDataset(Dataset):
    """Offered to unit officers whose unit leads a work item of the current plan (the others have
    nothing to report on), besides the roles the dataset names."""

    def allows(self, user: Any) -> bool:
        if not super().allows(user):
            return False
        if user is None or user.is_superuser or user.role != Role.UNIT_OFFICER:
            return True
        version = current_plan_version()
        return bool(
            user.unit_id
            and version is not None
            and WorkItem.objects.filter(plan_version=version, lead_unit_id=user.unit_id).exists()
        )


DATASETS = [
    Dataset(
        ITEM_SPEC,
        WorkItemAdapter,
        roles=(Role.CITY_ADMIN,),
        order=70,
        description_zh="工作任务分解：规划任务分解后的工作事项、牵头和配合单位、责任人、时限与时间节点",
        description_en="Work items: the plan's tasks decomposed, with owners, dates and milestones",
    ),
    LeadUnitDataset(
        PROGRESS_SPEC,
        ProgressAdapter,
        roles=(Role.CITY_ADMIN, Role.UNIT_OFFICER),
        order=71,
        description_zh="工作任务进展报送：各单位按报送期报送事项进展、完成比例、完成节点和需协调解决的问题",
        description_en="Progress reports on work items: text, percentage, milestones reached, problems",
    ),
]
