"""Work-item status, reporting periods, silent units and escalation (督办) — a pure engine.

SPEC §3.10 / clause 三、1 (细化分解职责任务，定期通报工作进展): status is **computed** from dates,
milestones and progress updates, never typed in; a unit that has not reported by the plan's due day
is *silent*, and once the grace period has run out an escalation (督办) is due.

Conventions used throughout (each one is a boundary the tests pin down):

* A date "passes" the day after it: a milestone or deadline due today is not late yet.
* At risk: an unreached milestone (or the deadline) falls due within ``at_risk_days`` days
  (today included) and no progress was reported in the last ``at_risk_days`` days.
* A unit is silent for a period from the day after the due day; reporting on the due day is on time.
* With a grace period of G days, the escalation is due on due day + G + 1, i.e. once G full days
  of silence have passed.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.DONE: ("已完成", "done"),
    Status.ON_TRACK: ("正常推进", "on track"),
    Status.AT_RISK: ("存在风险", "at risk"),
    Status.LATE: ("已逾期", "late"),
}


class PeriodKind(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Message:
    """A user-facing message in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


# --------------------------------------------------------------------------- plan rules


@dataclass(frozen=True)
class ReportingRules:
    """The plan's ``reporting`` section: how often units report and how strictly."""

    period: PeriodKind = PeriodKind.MONTHLY
    due_day: int = 5
    grace_days: int = 3
    at_risk_days: int = 14
    include_co_units: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.due_day <= 31:
            raise ValueError("due_day must be 1–31")
        if self.grace_days < 0 or self.at_risk_days < 0:
            raise ValueError("grace_days and at_risk_days must not be negative")

    @classmethod
    def from_plan(cls, section: Mapping[str, Any] | None) -> ReportingRules:
        """Build from a validated plan section; absent keys take the defaults above."""
        section = section or {}
        defaults = cls()
        return cls(
            period=PeriodKind(section.get("period", defaults.period)),
            due_day=int(section.get("due_day", defaults.due_day)),
            grace_days=int(section.get("grace_days", defaults.grace_days)),
            at_risk_days=int(section.get("at_risk_days", defaults.at_risk_days)),
            include_co_units=bool(section.get("include_co_units", defaults.include_co_units)),
        )


# --------------------------------------------------------------------------- periods


def _day_in_month(year: int, month: int, day: int) -> date:
    # A due day of 31 means the month's last day in short months, not an overflow into the next.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; its report is due on ``due_day`` of the month after it ends."""

    year: int
    index: int  # month 1–12 or quarter 1–4
    kind: PeriodKind
    due_day: int = field(compare=False)
    grace_days: int = field(compare=False)

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTHLY:
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-Q{self.index}"

    @property
    def start(self) -> date:
        month = self.index if self.kind == PeriodKind.MONTHLY else 3 * self.index - 2
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        month = self.index if self.kind == PeriodKind.MONTHLY else 3 * self.index
        return _day_in_month(self.year, month, 31)

    @property
    def due_date(self) -> date:
        after = self.end + timedelta(days=1)
        return _day_in_month(after.year, after.month, self.due_day)

    @property
    def escalation_date(self) -> date:
        """First day on which an escalation (督办) is due for a unit still silent."""
        return self.due_date + timedelta(days=self.grace_days + 1)

    @property
    def label(self) -> Message:
        if self.kind == PeriodKind.MONTHLY:
            return Message(f"{self.year}年{self.index}月", f"{self.year}-{self.index:02d}")
        return Message(f"{self.year}年第{self.index}季度", f"{self.year} Q{self.index}")

    def next(self) -> Period:
        last = 12 if self.kind == PeriodKind.MONTHLY else 4
        year, index = (self.year + 1, 1) if self.index == last else (self.year, self.index + 1)
        return Period(year, index, self.kind, self.due_day, self.grace_days)


def period_containing(rules: ReportingRules, day: date) -> Period:
    index = day.month if rules.period == PeriodKind.MONTHLY else (day.month - 1) // 3 + 1
    return Period(day.year, index, rules.period, rules.due_day, rules.grace_days)


def periods_between(rules: ReportingRules, start: date, end: date) -> list[Period]:
    """Periods overlapping [start, end], in order."""
    if end < start:
        return []
    periods: list[Period] = []
    current = period_containing(rules, start)
    while current.start <= end:
        periods.append(current)
        current = current.next()
    return periods


def period_for_report(rules: ReportingRules, reported_on: date) -> Period:
    """The period a report without an explicit period is taken to cover.

    Reports are filed after a period closes (June's report on 3 July), so a report dated before
    the previous period's due day covers that previous period; otherwise it covers the current one.
    """
    current = period_containing(rules, reported_on)
    previous = period_containing(rules, current.start - timedelta(days=1))
    return previous if reported_on <= previous.due_date else current


def periods_due(rules: ReportingRules, today: date, since: date) -> list[Period]:
    """Periods starting on or after ``since``'s period whose due day is today or earlier."""
    return [p for p in periods_between(rules, since, today) if p.due_date <= today]


# --------------------------------------------------------------------------- work items


@dataclass(frozen=True)
class Milestone:
    key: str
    due: date
    description: str
    description_en: str = ""


@dataclass(frozen=True)
class WorkItem:
    """A decomposed plan task (细化分解职责任务) with its owners and dates."""

    code: str
    title: str
    lead_unit: str
    start: date
    deadline: date
    milestones: tuple[Milestone, ...] = ()
    co_units: tuple[str, ...] = ()
    title_en: str = ""
    completed_on: date | None = None


@dataclass(frozen=True)
class ProgressUpdate:
    """A unit's progress report on one work item for one reporting period."""

    item_code: str
    unit: str
    reported_on: date
    percent: Decimal | None = None
    milestones_reached: tuple[str, ...] = ()
    period_key: str | None = None  # None: inferred with period_for_report
    done: bool = False


@dataclass(frozen=True)
class ItemStatus:
    item_code: str
    status: Status
    reason: Message
    milestone: Milestone | None = None
    days_overdue: int = 0
    days_left: int | None = None
    percent: Decimal | None = None

    @property
    def label(self) -> Message:
        zh, en = STATUS_LABELS[self.status]
        return Message(zh, en)


def _updates_until(item: WorkItem, updates: Iterable[ProgressUpdate], today: date) -> list[ProgressUpdate]:
    # Updates dated after `today` are not known yet on that day: status is reproducible for any date.
    return sorted(
        (u for u in updates if u.item_code == item.code and u.reported_on <= today),
        key=lambda u: u.reported_on,
    )


def _completion_date(item: WorkItem, updates: Sequence[ProgressUpdate]) -> date | None:
    candidates = [u.reported_on for u in updates if u.done or (u.percent is not None and u.percent >= 100)]
    if item.completed_on is not None:
        candidates.append(item.completed_on)
    return min(candidates) if candidates else None


def _progress_dates(updates: Sequence[ProgressUpdate]) -> list[date]:
    """Dates on which an update showed progress: a higher percentage, or a milestone reached."""
    dates: list[date] = []
    best = Decimal(0)
    for update in updates:
        advanced = bool(update.milestones_reached)
        if update.percent is not None and update.percent > best:
            best = update.percent
            advanced = True
        if advanced:
            dates.append(update.reported_on)
    return dates


def item_status(
    item: WorkItem, updates: Iterable[ProgressUpdate], today: date, rules: ReportingRules
) -> ItemStatus:
    """Compute the status of ``item`` as it stands on ``today`` with the reason behind it."""
    known = _updates_until(item, updates, today)
    percents = [u.percent for u in known if u.percent is not None]
    percent = max(percents) if percents else None
    done_on = _completion_date(item, known)
    if done_on is not None and done_on <= today:
        if done_on > item.deadline:
            late_by = (done_on - item.deadline).days
            reason = Message(
                f"已于{done_on.isoformat()}完成（逾期{late_by}天）",
                f"completed on {done_on.isoformat()} ({late_by} days after the deadline)",
            )
        else:
            reason = Message(f"已于{done_on.isoformat()}完成", f"completed on {done_on.isoformat()}")
        return ItemStatus(item.code, Status.DONE, reason, percent=percent)

    reached = {key for u in known for key in u.milestones_reached}
    open_milestones = sorted((m for m in item.milestones if m.key not in reached), key=lambda m: m.due)

    overdue = [m for m in open_milestones if m.due < today]
    if overdue:
        first = overdue[0]
        days = (today - first.due).days
        return ItemStatus(
            item.code,
            Status.LATE,
            Message(
                f"节点“{first.description}”应于{first.due.isoformat()}完成，已逾期{days}天",
                f"milestone “{first.description_en or first.description}” was due on "
                f"{first.due.isoformat()}, {days} days overdue",
            ),
            milestone=first,
            days_overdue=days,
            percent=percent,
        )
    if item.deadline < today:
        days = (today - item.deadline).days
        return ItemStatus(
            item.code,
            Status.LATE,
            Message(
                f"截止日期{item.deadline.isoformat()}已过{days}天，尚未完成",
                f"deadline {item.deadline.isoformat()} passed {days} days ago, not done",
            ),
            days_overdue=days,
            percent=percent,
        )

    window_end = today + timedelta(days=rules.at_risk_days)
    window_start = today - timedelta(days=rules.at_risk_days)
    recent_progress = any(window_start <= d <= today for d in _progress_dates(known))
    upcoming = next((m for m in open_milestones if m.due <= window_end), None)
    if not recent_progress:
        if upcoming is not None:
            days_left = (upcoming.due - today).days
            return ItemStatus(
                item.code,
                Status.AT_RISK,
                Message(
                    f"节点“{upcoming.description}”将于{days_left}天后（{upcoming.due.isoformat()}）到期，"
                    f"近{rules.at_risk_days}天无进展",
                    f"milestone “{upcoming.description_en or upcoming.description}” is due in "
                    f"{days_left} days ({upcoming.due.isoformat()}) "
                    f"with no progress in the last {rules.at_risk_days} days",
                ),
                milestone=upcoming,
                days_left=days_left,
                percent=percent,
            )
        if item.deadline <= window_end:
            days_left = (item.deadline - today).days
            return ItemStatus(
                item.code,
                Status.AT_RISK,
                Message(
                    f"距截止日期{item.deadline.isoformat()}还有{days_left}天，近{rules.at_risk_days}天无进展",
                    f"deadline {item.deadline.isoformat()} is {days_left} days away with no progress "
                    f"in the last {rules.at_risk_days} days",
                ),
                days_left=days_left,
                percent=percent,
            )
    next_due = open_milestones[0].due if open_milestones else item.deadline
    days_left = (next_due - today).days
    return ItemStatus(
        item.code,
        Status.ON_TRACK,
        Message(
            f"按计划推进，下一节点{next_due.isoformat()}（{days_left}天后）",
            f"on schedule; next date {next_due.isoformat()} in {days_left} days",
        ),
        milestone=open_milestones[0] if open_milestones else None,
        days_left=days_left,
        percent=percent,
    )


def statuses(
    items: Iterable[WorkItem], updates: Iterable[ProgressUpdate], today: date, rules: ReportingRules
) -> list[ItemStatus]:
    updates = list(updates)
    return [item_status(item, updates, today, rules) for item in items]


# --------------------------------------------------------------------------- reporting duty


@dataclass(frozen=True)
class Obligation:
    """Unit ``unit`` owes a report on ``item_code`` for ``period``."""

    unit: str
    item_code: str
    period: Period


def obligations(
    items: Iterable[WorkItem],
    rules: ReportingRules,
    today: date,
    updates: Iterable[ProgressUpdate] = (),
    include_co_units: bool | None = None,
) -> list[Obligation]:
    """Reports owed by ``today``: one per item, period and unit while the item is open.

    An item is open from its start until it is done; the period whose report says "done" is the last
    one owed (see ``_completion_period``). The lead unit reports; co-units
    too when ``include_co_units`` (default: the plan's rule; some offices ask every unit to report).
    """
    if include_co_units is None:
        include_co_units = rules.include_co_units
    updates = list(updates)
    owed: list[Obligation] = []
    for item in items:
        last_period = _completion_period(item, _updates_until(item, updates, today), rules, today)
        units = (item.lead_unit, *item.co_units) if include_co_units else (item.lead_unit,)
        for period in periods_between(rules, item.start, today):
            if period.due_date > today or (last_period is not None and period.start > last_period.start):
                continue
            owed.extend(Obligation(unit, item.code, period) for unit in units)
    return owed


def _completion_period(
    item: WorkItem, updates: Sequence[ProgressUpdate], rules: ReportingRules, today: date
) -> Period | None:
    """The period whose report said "done": the last one the item owes.

    A report saying "done" on 4 July for June closes the item with June's report; judging by the date
    alone would make July owe a report about an item already finished.
    """
    finished = [u for u in updates if u.done or (u.percent is not None and u.percent >= 100)]
    candidates: list[Period] = []
    if finished:
        first = min(finished, key=lambda u: u.reported_on)
        key = _report_period_key(rules, first)
        known = {p.key: p for p in periods_between(rules, item.start, max(today, first.reported_on))}
        candidates.append(known.get(key) or period_containing(rules, first.reported_on))
    if item.completed_on is not None:
        candidates.append(period_containing(rules, item.completed_on))
    return min(candidates, key=lambda p: p.start) if candidates else None


def _report_period_key(rules: ReportingRules, update: ProgressUpdate) -> str:
    return update.period_key or period_for_report(rules, update.reported_on).key


def first_report(
    obligation: Obligation, updates: Iterable[ProgressUpdate], rules: ReportingRules
) -> ProgressUpdate | None:
    matching = [
        u
        for u in updates
        if u.unit == obligation.unit
        and u.item_code == obligation.item_code
        and _report_period_key(rules, u) == obligation.period.key
    ]
    return min(matching, key=lambda u: u.reported_on) if matching else None


@dataclass(frozen=True)
class SilentUnit:
    """A unit that had not reported for ``period`` by its due day and still has not (as of today)."""

    unit: str
    period: Period
    item_codes: tuple[str, ...]
    days_overdue: int
    escalation_due: bool

    @property
    def message(self) -> Message:
        items = "、".join(self.item_codes)
        return Message(
            f"{self.unit}未按时报送{self.period.label.zh}进展（{items}），"
            f"应于{self.period.due_date.isoformat()}前报送，已逾期{self.days_overdue}天",
            f"{self.unit} has not reported for {self.period.label.en} ({', '.join(self.item_codes)}); "
            f"due {self.period.due_date.isoformat()}, {self.days_overdue} days overdue",
        )


def silent_units(
    owed: Iterable[Obligation], updates: Iterable[ProgressUpdate], today: date, rules: ReportingRules
) -> list[SilentUnit]:
    """Units silent on ``today``: past the due day with no report dated on or before today."""
    updates = [u for u in updates if u.reported_on <= today]
    missing: dict[tuple[str, Period], list[str]] = defaultdict(list)
    for obligation in owed:
        if today <= obligation.period.due_date:
            continue
        if first_report(obligation, updates, rules) is None:
            missing[(obligation.unit, obligation.period)].append(obligation.item_code)
    return [
        SilentUnit(
            unit=unit,
            period=period,
            item_codes=tuple(sorted(codes)),
            days_overdue=(today - period.due_date).days,
            escalation_due=today >= period.escalation_date,
        )
        for (unit, period), codes in sorted(missing.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


@dataclass(frozen=True)
class Escalation:
    """An escalation notice (督办) due to a unit, shown to the leading-group office."""

    unit: str
    period: Period
    item_codes: tuple[str, ...]
    due_date: date
    escalation_date: date

    @property
    def message(self) -> Message:
        return Message(
            f"督办：{self.unit}逾期未报送{self.period.label.zh}工作进展（{'、'.join(self.item_codes)}），"
            f"报送期限{self.due_date.isoformat()}，宽限期已过，请立即报送并说明原因",
            f"Escalation: {self.unit} has not reported progress for {self.period.label.en} "
            f"({', '.join(self.item_codes)}); due {self.due_date.isoformat()}, grace period over — "
            "report now and explain the delay",
        )


def escalations_due(
    owed: Iterable[Obligation],
    updates: Iterable[ProgressUpdate],
    today: date,
    rules: ReportingRules,
    already_issued: Iterable[tuple[str, str]] = (),
) -> list[Escalation]:
    """Escalations to issue on ``today``: silent units past the grace period, minus those already
    issued (pairs of unit and period key), so running this daily issues each one once."""
    issued = set(already_issued)
    return [
        Escalation(s.unit, s.period, s.item_codes, s.period.due_date, s.period.escalation_date)
        for s in silent_units(owed, updates, today, rules)
        if s.escalation_due and (s.unit, s.period.key) not in issued
    ]


@dataclass(frozen=True)
class Timeliness:
    """How punctually a unit reported: the raw value behind the assessment's timeliness criterion."""

    unit: str
    owed: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> Decimal:
        """On-time share in percent (100 when nothing was owed: nothing was missed)."""
        if self.owed == 0:
            return Decimal(100)
        return Decimal(self.on_time * 100) / Decimal(self.owed)


def timeliness(
    owed: Iterable[Obligation], updates: Iterable[ProgressUpdate], today: date, rules: ReportingRules
) -> dict[str, Timeliness]:
    updates = [u for u in updates if u.reported_on <= today]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for obligation in owed:
        row = counts[obligation.unit]
        row[0] += 1
        report = first_report(obligation, updates, rules)
        if report is None:
            row[3] += 1
        elif report.reported_on <= obligation.period.due_date:
            row[1] += 1
        else:
            row[2] += 1
    return {unit: Timeliness(unit, *row) for unit, row in sorted(counts.items())}
