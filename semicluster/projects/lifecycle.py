"""Project lifecycle (项目生命周期): stages, milestones and the validation of stage changes.

Stages follow the state machine in domain-facts §6.2: 储备 → 签约 → 前期 → 开工 → 在建 → 竣工 → 投产 → 达产,
with the side state 停缓建 (suspended). Three stages are *milestones* with a planned and an actual date
(开工 start, 竣工 completion, 投产 production); the rolling counts 开工一批、竣工一批、投产一批 are counts
of those actual dates per period, so a stage may only be reached when the actual dates behind it are
known. That one rule also covers skipping: a project reported straight from 前期 to 竣工 must bring the
actual start and completion dates with it.

Nothing here touches the database; the Django app stores ``LifecycleState`` and ``MilestoneDates`` and
calls ``check_transition`` / ``apply_transition`` before saving, so imports, forms and the API share one
set of rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class Stage(StrEnum):
    RESERVE = "reserve"
    SIGNED = "signed"
    PREPARATION = "preparation"
    STARTED = "started"
    UNDER_CONSTRUCTION = "under_construction"
    COMPLETED = "completed"
    IN_PRODUCTION = "in_production"
    AT_CAPACITY = "at_capacity"
    SUSPENDED = "suspended"

    @property
    def label_zh(self) -> str:
        return STAGE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return STAGE_LABELS[self][1]

    @property
    def label(self) -> str:
        return f"{self.label_zh} / {self.label_en}"


STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.RESERVE: ("储备", "reserve"),
    Stage.SIGNED: ("签约", "signed"),
    Stage.PREPARATION: ("前期", "preparation"),
    Stage.STARTED: ("开工", "started"),
    Stage.UNDER_CONSTRUCTION: ("在建", "under construction"),
    Stage.COMPLETED: ("竣工", "completed"),
    Stage.IN_PRODUCTION: ("投产", "in production"),
    Stage.AT_CAPACITY: ("达产", "at capacity"),
    Stage.SUSPENDED: ("停缓建", "suspended"),
}

# The main line, in order; SUSPENDED is off the line on purpose.
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.RESERVE,
    Stage.SIGNED,
    Stage.PREPARATION,
    Stage.STARTED,
    Stage.UNDER_CONSTRUCTION,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
    Stage.AT_CAPACITY,
)
_RANK = {stage: i for i, stage in enumerate(STAGE_ORDER)}

# A project at capacity has finished its construction life; there is nothing left to suspend.
SUSPENDABLE: frozenset[Stage] = frozenset(STAGE_ORDER) - {Stage.AT_CAPACITY}


class Milestone(StrEnum):
    START = "start"
    COMPLETION = "completion"
    PRODUCTION = "production"

    @property
    def label_zh(self) -> str:
        return MILESTONE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return MILESTONE_LABELS[self][1]

    @property
    def stage(self) -> Stage:
        """The stage a project enters when this milestone is reached."""
        return MILESTONE_STAGE[self]


MILESTONE_LABELS: dict[Milestone, tuple[str, str]] = {
    Milestone.START: ("开工", "start"),
    Milestone.COMPLETION: ("竣工", "completion"),
    Milestone.PRODUCTION: ("投产", "production"),
}
MILESTONE_STAGE: dict[Milestone, Stage] = {
    Milestone.START: Stage.STARTED,
    Milestone.COMPLETION: Stage.COMPLETED,
    Milestone.PRODUCTION: Stage.IN_PRODUCTION,
}
MILESTONE_ORDER: tuple[Milestone, ...] = (Milestone.START, Milestone.COMPLETION, Milestone.PRODUCTION)


@dataclass(frozen=True)
class MilestoneDates:
    """Planned (计划) and actual (实际) dates of the three milestones; None where not known."""

    planned_start: date | None = None
    actual_start: date | None = None
    planned_completion: date | None = None
    actual_completion: date | None = None
    planned_production: date | None = None
    actual_production: date | None = None

    def planned(self, milestone: Milestone) -> date | None:
        return getattr(self, f"planned_{milestone.value}")

    def actual(self, milestone: Milestone) -> date | None:
        return getattr(self, f"actual_{milestone.value}")


@dataclass(frozen=True)
class LifecycleProblem:
    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class TransitionError(ValueError):
    """A stage change or a set of milestone dates that breaks the lifecycle rules.

    ``problems`` lists every broken rule, so a form or an import row can show them all at once.
    """

    def __init__(self, problems: list[LifecycleProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(str(p) for p in problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


@dataclass(frozen=True)
class LifecycleState:
    """What the app stores: the stage, and while suspended the stage left and why (停缓建原因)."""

    stage: Stage = Stage.RESERVE
    suspended_from: Stage | None = None
    suspension_reason: str = ""

    def __post_init__(self) -> None:
        suspended = self.stage is Stage.SUSPENDED
        if suspended and self.suspended_from not in SUSPENDABLE:
            raise ValueError("停缓建状态须记录原阶段 / a suspended state must record the stage it left")
        if not suspended and (self.suspended_from is not None or self.suspension_reason):
            raise ValueError(
                "非停缓建状态不应有原阶段或停缓建原因 / only a suspended state has a stage left and a reason"
            )


def required_milestones(stage: Stage) -> tuple[Milestone, ...]:
    """Milestones whose actual dates must be known for a project to stand in ``stage``."""
    if stage is Stage.SUSPENDED:
        return ()
    rank = _RANK[stage]
    return tuple(m for m in MILESTONE_ORDER if _RANK[m.stage] <= rank)


def check_milestones(dates: MilestoneDates, *, today: date | None = None) -> None:
    """Check the dates on their own: they run start ≤ completion ≤ production, and nothing actual lies
    ahead of ``today``. Raises TransitionError listing every problem."""
    problems = _date_problems(dates, today)
    if problems:
        raise TransitionError(problems)


def check_transition(
    current: Stage | str,
    target: Stage | str,
    *,
    milestone_dates: MilestoneDates,
    suspended_from: Stage | str | None = None,
    reason: str | None = None,
    today: date | None = None,
) -> None:
    """Raise TransitionError unless a project may move from ``current`` to ``target``.

    - Forward along the main line, one step or several: every milestone at or before ``target`` needs its
      actual date (so no 投产 or 竣工 without 开工), and no milestone after ``target`` may have one.
    - Backward: refused; a wrong stage is corrected by an administrator, not by a stage change.
    - To SUSPENDED: from any stage before 达产, with a reason.
    - From SUSPENDED: back to ``suspended_from`` (the stage it left) or forward from there by the same
      rules; never behind it.
    - Always: actual dates run start ≤ completion ≤ production, planned dates likewise, and no actual
      date lies after ``today`` when ``today`` is given.
    """
    current = Stage(current)
    target = Stage(target)
    left = Stage(suspended_from) if suspended_from is not None else None
    problems: list[LifecycleProblem] = []

    if target is Stage.SUSPENDED:
        if current is Stage.SUSPENDED:
            problems.append(
                _p("already_suspended", "项目已处于停缓建状态", "the project is already suspended")
            )
        elif current not in SUSPENDABLE:
            problems.append(
                _p(
                    "not_suspendable",
                    f"{current.label_zh}阶段的项目不能停缓建",
                    f"a project {current.label_en} cannot be suspended",
                )
            )
        if not (reason or "").strip():
            problems.append(_p("reason_required", "停缓建须说明原因", "a suspension needs a reason"))
        problems.extend(_date_problems(milestone_dates, today))
        if problems:
            raise TransitionError(problems)
        return

    if current is Stage.SUSPENDED:
        if left is None or left not in SUSPENDABLE:
            raise TransitionError(
                [
                    _p(
                        "suspended_from_unknown",
                        "停缓建项目缺少原阶段，无法恢复",
                        "the stage the suspended project left is unknown, so it cannot resume",
                    )
                ]
            )
        origin = left
    else:
        origin = current
        if target is current:
            problems.append(
                _p(
                    "same_stage",
                    f"项目已处于{current.label_zh}阶段",
                    f"the project is already {current.label_en}",
                )
            )

    if _RANK[target] < _RANK[origin]:
        if current is Stage.SUSPENDED:
            problems.append(
                _p(
                    "resume_behind",
                    f"停缓建项目只能恢复到{origin.label_zh}或之后的阶段，不能回到{target.label_zh}",
                    f"a suspended project resumes at {origin.label_en} or later, not at {target.label_en}",
                )
            )
        else:
            problems.append(
                _p(
                    "backward",
                    f"不能从{origin.label_zh}退回{target.label_zh}",
                    f"cannot go back from {origin.label_en} to {target.label_en}",
                )
            )

    for milestone in required_milestones(target):
        if milestone_dates.actual(milestone) is None:
            skipped = _RANK[origin] < _RANK[milestone.stage] < _RANK[target]
            problems.append(
                _p(
                    f"missing_actual_{milestone.value}",
                    f"进入{target.label_zh}阶段须填写实际{milestone.label_zh}日期"
                    + ("（跨越的节点也须有实际日期）" if skipped else ""),
                    f"{target.label_en} needs the actual {milestone.label_en} date"
                    + (" (a skipped milestone needs its actual date too)" if skipped else ""),
                )
            )
    for milestone in MILESTONE_ORDER:
        if _RANK[milestone.stage] > _RANK[target] and milestone_dates.actual(milestone) is not None:
            problems.append(
                _p(
                    f"premature_actual_{milestone.value}",
                    f"已填写实际{milestone.label_zh}日期，阶段却只到{target.label_zh}",
                    f"an actual {milestone.label_en} date is given but the stage is only {target.label_en}",
                )
            )

    problems.extend(_date_problems(milestone_dates, today))
    if problems:
        raise TransitionError(problems)


def apply_transition(
    state: LifecycleState,
    target: Stage | str,
    *,
    milestone_dates: MilestoneDates,
    reason: str | None = None,
    today: date | None = None,
) -> LifecycleState:
    """Validate the change with ``check_transition`` and return the new state."""
    target = Stage(target)
    check_transition(
        state.stage,
        target,
        milestone_dates=milestone_dates,
        suspended_from=state.suspended_from,
        reason=reason,
        today=today,
    )
    if target is Stage.SUSPENDED:
        return LifecycleState(
            Stage.SUSPENDED, suspended_from=state.stage, suspension_reason=(reason or "").strip()
        )
    return LifecycleState(target)


class BelowThreshold(StrEnum):
    """Plan setting ``project_library.below_threshold``: what happens to a project under the threshold."""

    REFUSE = "refuse"
    KEEP_AS_ORDINARY = "keep_as_ordinary"


@dataclass(frozen=True)
class LibraryAdmission:
    """Whether a project enters the major-project library (重大项目库), and what to tell the user."""

    in_library: bool
    keep_as_ordinary: bool  # below the threshold but kept in the general project list
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def library_admission(
    total_investment_yuan: Decimal | int, section: Mapping[str, object]
) -> LibraryAdmission:
    """Apply the plan's ``project_library`` section to a project's total investment (in yuan).

    The threshold itself belongs to the library ("5000 万元以上" counts 以上 inclusively, as Chinese
    regulations do), so a project of exactly 50 M yuan is admitted.
    """
    threshold = Decimal(str(section["threshold_yuan"]))
    policy = BelowThreshold(str(section.get("below_threshold", BelowThreshold.REFUSE)))
    total = Decimal(total_investment_yuan)
    amounts_zh = f"总投资{_wan(total)}万元，入库标准{_wan(threshold)}万元"
    amounts_en = f"total investment {total:,f} yuan, library threshold {threshold:,f} yuan"
    if total >= threshold:
        return LibraryAdmission(True, False, f"{amounts_zh}，纳入重大项目库", f"{amounts_en}: admitted")
    if policy is BelowThreshold.KEEP_AS_ORDINARY:
        return LibraryAdmission(
            False,
            True,
            f"{amounts_zh}，未达标准，作为一般项目管理",
            f"{amounts_en}: below the threshold, kept as an ordinary project",
        )
    return LibraryAdmission(
        False, False, f"{amounts_zh}，未达标准，不予入库", f"{amounts_en}: below the threshold, not admitted"
    )


def _wan(yuan: Decimal) -> str:
    """Yuan as 万元 without trailing zeros (50000000 → 5000, 12345678 → 1234.5678)."""
    text = format((yuan / 10000).normalize(), "f")
    return "0" if text == "-0" else text


def _date_problems(dates: MilestoneDates, today: date | None) -> list[LifecycleProblem]:
    problems: list[LifecycleProblem] = []
    for kind, zh_kind in (("actual", "实际"), ("planned", "计划")):
        known = [(m, getattr(dates, f"{kind}_{m.value}")) for m in MILESTONE_ORDER]
        known = [(m, d) for m, d in known if d is not None]
        for (earlier, d1), (later, d2) in pairwise(known):
            if d2 < d1:
                problems.append(
                    _p(
                        f"{kind}_{later.value}_before_{earlier.value}",
                        f"{zh_kind}{later.label_zh}日期（{d2.isoformat()}）早于{zh_kind}{earlier.label_zh}日期"
                        f"（{d1.isoformat()}）",
                        f"{kind} {later.label_en} date ({d2.isoformat()}) is before the {kind} "
                        f"{earlier.label_en} date ({d1.isoformat()})",
                    )
                )
    if today is not None:
        for milestone in MILESTONE_ORDER:
            actual = dates.actual(milestone)
            if actual is not None and actual > today:
                problems.append(
                    _p(
                        f"actual_{milestone.value}_in_future",
                        f"实际{milestone.label_zh}日期（{actual.isoformat()}）晚于今天（{today.isoformat()}）",
                        f"actual {milestone.label_en} date ({actual.isoformat()}) is after today "
                        f"({today.isoformat()})",
                    )
                )
    return problems


def _p(code: str, zh: str, en: str) -> LifecycleProblem:
    return LifecycleProblem(code, zh, en)


__all__ = [
    "MILESTONE_ORDER",
    "STAGE_ORDER",
    "SUSPENDABLE",
    "BelowThreshold",
    "LibraryAdmission",
    "LifecycleProblem",
    "LifecycleState",
    "Milestone",
    "MilestoneDates",
    "Stage",
    "TransitionError",
    "apply_transition",
    "check_milestones",
    "check_transition",
    "library_admission",
    "required_milestones",
]
