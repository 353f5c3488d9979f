"""Importable datasets of the project library: the monthly progress report (项目月度进展, issue 5).

One row per project and month: the project (its name, or its id), the month, the year-to-date completed
investment (1–N月累计, 万元 unless the header says otherwise), and optionally the stage and the image
progress (形象进度). Every row is written through ``services.project_progress_record`` — the same entry
point as the form and the API — so its rules (no month in the future, YTD never below an earlier
month's, stage changes only along the lifecycle) hold for imports too. The preview tries each row in a
savepoint that is always rolled back, so a row the service would refuse is an error naming the row
before anything is committed.

Blank optional cells leave stored values alone (blank is "not reported", not "clear it").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.intake.adapters import (
    Action,
    Change,
    Dataset,
    FieldChange,
    NamedRecord,
    NameMatcher,
    display,
    suggestion_text,
)
from semicluster.intake.cells import fold
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter, refusal_column
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.projects import services
from semicluster.projects.lifecycle import STAGE_LABELS, Stage
from semicluster.projects.models import DataSource, ProgressReport, Project

PROJECT = ColumnSpec(
    "project",
    "项目名称",
    "Project",
    aliases=("项目", "项目名", "项目编号", "项目ID", "项目id"),
    required=True,
    max_length=200,
    help_zh="项目库中的项目名称（或项目编号）；同名项目请填编号",
)
MONTH = ColumnSpec(
    "month",
    "统计月份",
    "Month",
    Kind.MONTH,
    aliases=("月份", "统计期", "报告期", "所属月份", "填报月份"),
    required=True,
    period_from_title=True,
    help_zh="填 2025-06 或 2025年6月",
)
YTD = ColumnSpec(
    "ytd_completed",
    "本年累计完成投资",
    "Year-to-date completed investment",
    Kind.MONEY,
    aliases=("累计完成投资", "1-N月累计完成投资", "本年完成投资", "年度累计完成投资", "累计完成"),
    required=True,
    min_value=Decimal(0),
    help_zh="1–N月累计值（不要填当月数），默认单位万元",
)
STAGE = ColumnSpec(
    "stage",
    "项目阶段",
    "Stage",
    Kind.CODE,
    aliases=("阶段", "当前阶段", "建设阶段", "进展阶段"),
    code_list="stages",
    help_zh="留空表示阶段不变；填写不同阶段时按项目生命周期推进",
)
IMAGE_PROGRESS = ColumnSpec(
    "image_progress",
    "形象进度",
    "Image progress",
    aliases=("工程形象进度", "进展情况", "项目进展"),
    help_zh="本月工程形象进度的文字说明",
)


def _progress_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    ytd = values.get("ytd_completed")
    if isinstance(ytd, Decimal) and ytd < 0:
        yield "ytd_completed", msg("累计完成投资不能为负", "year-to-date investment cannot be negative")


PROGRESS_SPEC = DatasetSpec(
    key="project_progress",
    title_zh="项目月度进展",
    title_en="Project progress",
    columns=(PROJECT, MONTH, YTD, STAGE, IMAGE_PROGRESS),
    natural_key=("project", "month"),
    row_validator=_progress_issues,
    instructions_zh=(
        "每个项目每月一行：项目 + 统计月份 + 本年累计完成投资（1–N月累计，不要把各月数相加）。",
        "金额默认单位万元（可在表头或标题写“单位：元/万元/亿元”）；阶段、形象进度留空时保持原值。",
    ),
)

_FIELDS = ("ytd_completed", "stage", "image_progress")
# Fields the service would reset when not passed: an import keeps what is stored.
_KEPT = ("since_start_completed", "funds_required", "funds_in_place")
# The service's fields -> the columns its refusals name (as the template heads them).
_COLUMNS = {"ytd_completed": YTD.label_zh, "month": MONTH.label_zh, "stage": STAGE.label_zh}


class ProgressAdapter(ServiceRowsAdapter):
    model = ProgressReport
    create_field = "month"
    spec = PROGRESS_SPEC
    refusals = (ValidationError,)  # the service refuses with its model's rules only
    field_columns = _COLUMNS

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {"stages": [(stage.value, STAGE_LABELS[stage][0]) for stage in Stage]}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        texts = {fold(str(r.values["project"])) for r in rows if r.values.get("project") is not None}
        ids = {int(t) for t in texts if t.isdigit()}
        names = {str(r.values["project"]).strip() for r in rows if r.values.get("project") is not None}
        found = Project.objects.filter(models.Q(pk__in=ids) | models.Q(name__in=names))
        self.by_id: dict[int, Project] = {}
        self.by_name: dict[str, list[Project]] = {}
        for project in found:
            self.by_id[project.pk] = project
            self.by_name.setdefault(fold(project.name), []).append(project)
        months = [r.values.get("month") for r in rows]
        years = {m.year for m in months if isinstance(m, dt.date)}
        self.existing = {
            (p.project_id, p.year, p.month): p
            for p in ProgressReport.objects.filter(project_id__in=list(self.by_id), year__in=years)
        }
        self.labels = {f.attname: str(f.verbose_name) for f in ProgressReport._meta.concrete_fields}
        self.stage_labels = {stage.value: STAGE_LABELS[stage][0] for stage in Stage}
        self._matcher: NameMatcher | None = None

    def _resolve(self, row: ParsedRow) -> Project | None:
        text = str(row.values["project"]).strip()
        key = fold(text)
        matches = self.by_name.get(key, [])
        if not matches and key.isdigit() and int(key) in self.by_id:
            return self.by_id[int(key)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = "、".join(str(p.pk) for p in matches)
            self.error(
                row,
                msg(
                    f"项目库中有{len(matches)}个名为「{text}」的项目（编号 {ids}），请改填项目编号",
                    f"{len(matches)} projects are named '{text}' (ids {ids}); give the project id instead",
                ),
                PROJECT.label_zh,
            )
            return None
        similar = self.matcher.suggest(text)
        hint = f"；名称相近的项目：{suggestion_text(similar)}" if similar else ""
        self.error(
            row,
            msg(
                f"项目库中没有名称或编号为「{text}」的项目{hint}",
                f"no project named or numbered '{text}' in the project library",
            ),
            PROJECT.label_zh,
        )
        return None

    @property
    def matcher(self) -> NameMatcher:
        if self._matcher is None:  # only names the user may see: suggestions never reveal another scope
            projects = visible_to(Project.objects.all(), self.ctx.user).values_list("id", "name")
            self._matcher = NameMatcher(NamedRecord(pk, name, str(pk)) for pk, name in projects)
        return self._matcher

    def plan_row(self, row: ParsedRow) -> Change | None:
        project = self._resolve(row)
        if project is None:
            return None
        v = row.values
        period: dt.date = v["month"]  # type: ignore[assignment]
        identity = (project.pk, period.year, period.month)
        label = f"{project.name} · {period.year}年{period.month}月"
        scope: dict[str, Any] = {
            "area_ids": frozenset({project.area_id}),
            "enterprise_id": project.owner_id,
        }
        existing = self.existing.get(identity)
        values: dict[str, object] = {"ytd_completed": v["ytd_completed"]}
        for key in ("stage", "image_progress"):
            if v.get(key) is not None:
                values[key] = str(v[key])
        if existing is not None:
            changed, diffs = self.diff(existing, values, self.labels)
            diffs = [replace_texts(d, self.stage_labels) for d in diffs]
            if not changed:
                return Change(
                    row, Action.UNCHANGED, label, identity, instance=existing, values={}, diffs=[], **scope
                )
        else:
            changed = values
            diffs = []
        if not self._dry_run(row, project, period, values, existing):
            return None
        if existing is None:
            diffs = [
                FieldChange(
                    k,
                    self.labels.get(k, k),
                    None,
                    val,
                    new_text=self.stage_labels.get(str(val)) if k == "stage" else None,
                )
                for k, val in values.items()
            ]
            return Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={"project": project, "year": period.year, "month": period.month, **values},
                diffs=diffs,
                **scope,
            )
        return Change(
            row, Action.UPDATE, label, identity, instance=existing, values=changed, diffs=diffs, **scope
        )

    def _arguments(
        self, project: Project, period: dt.date, values: Mapping[str, object], existing: ProgressReport | None
    ) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        if existing is not None:
            merged.update({k: getattr(existing, k) for k in (*_FIELDS, *_KEPT)})
        merged.update(values)
        return {
            "actor": self.ctx.user,
            "project": project,
            "year": period.year,
            "month": period.month,
            "ytd_completed": merged["ytd_completed"],
            "stage": merged.get("stage") or None,
            "image_progress": merged.get("image_progress") or "",
            "since_start_completed": merged.get("since_start_completed"),
            "funds_required": merged.get("funds_required"),
            "funds_in_place": merged.get("funds_in_place"),
            "source": DataSource.IMPORT,
            "source_ref": self.ctx.source_ref,
        }

    def _dry_run(
        self,
        row: ParsedRow,
        project: Project,
        period: dt.date,
        values: Mapping[str, object],
        existing: ProgressReport | None,
    ) -> bool:
        """Try the row through the service in a savepoint that is always rolled back."""
        fresh = Project.objects.get(pk=project.pk)  # the service may move the stage of the object
        return self.attempt(
            row, lambda: services.project_progress_record(**self._arguments(fresh, period, values, existing))
        )

    def refusal_column(self, row: ParsedRow, exc: ValidationError) -> str | None:
        return refusal_column(exc, self.field_columns)  # the template's label, like this adapter's errors

    def save(self, change: Change) -> models.Model:
        project_id, year, month = change.identity
        assert isinstance(project_id, int) and isinstance(year, int) and isinstance(month, int)
        project = Project.objects.get(pk=project_id)
        period = dt.date(year, month, 1)
        values = {k: change.values[k] for k in _FIELDS if k in change.values}
        arguments = self._arguments(project, period, values, change.instance)
        return self.save_through(change, lambda: services.project_progress_record(**arguments)).report


def replace_texts(change: FieldChange, stage_labels: Mapping[str, str]) -> FieldChange:
    """A stage diff shows the Chinese stage names, not the codes."""
    if change.field != "stage":
        return change
    return replace(
        change,
        old_text=stage_labels.get(str(change.old)) or display(change.old),
        new_text=stage_labels.get(str(change.new)) or display(change.new),
    )


DATASETS = [
    Dataset(
        PROGRESS_SPEC,
        ProgressAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER),
        order=40,
        description_zh="项目月度进展：本年累计完成投资、项目阶段、形象进度",
        description_en="Project progress: year-to-date investment, stage and image progress, monthly",
    ),
]
