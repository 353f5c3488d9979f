"""Reads for tasks and accountability: visible work items, computed statuses, silent units, rankings.

Every status here comes from ``engine.item_status`` on the stored dates, milestones and updates —
nothing is typed in — and is computed "as of" a date, so any past day can be reproduced.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from semicluster.accountability import engine
from semicluster.accountability.models import (
    Bulletin,
    Decision,
    Escalation,
    Meeting,
    Milestone,
    ProgressUpdate,
    WorkItem,
)
from semicluster.accounts.models import Role
from semicluster.plans.models import PlanVersion, Unit
from semicluster.plans.selectors import current_plan_version

READ_ALL_ROLES = (Role.CITY_ADMIN, Role.LEADER, Role.DISTRICT_OFFICER)


def plan_version_or_404() -> PlanVersion:
    version = current_plan_version()
    if version is None:
        raise Http404("No plan loaded.")
    return version


def reporting_rules(version: PlanVersion) -> engine.ReportingRules:
    section = version.document.get("reporting")
    return engine.ReportingRules.from_plan(section if isinstance(section, dict) else None)


def default_as_of(version: PlanVersion) -> date:
    """Today, or the plan year's last day once that year is over (its items are judged at year end)."""
    today = timezone.localdate()
    year_end = date(int(version.plan.year), 12, 31)
    return min(today, year_end)


def is_office(user: Any) -> bool:
    """The leading-group office (city admins) runs the process: decomposes, escalates, issues."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.CITY_ADMIN))


# --------------------------------------------------------------------------- visibility


def visible_items(user: Any, version: PlanVersion) -> QuerySet[WorkItem]:
    """Work items ``user`` may read: everything for the office, leaders and district officers;
    for a unit officer the items its unit leads or supports as a co-unit; nothing for others."""
    items = WorkItem.objects.filter(plan_version=version)
    if not user.is_authenticated or not user.is_active:
        return items.none()
    if user.is_superuser or user.role in READ_ALL_ROLES:
        return items
    if user.role == Role.UNIT_OFFICER and user.unit_id:
        supported = WorkItem.co_units.through.objects.filter(unit_id=user.unit_id).values("workitem_id")
        return items.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=supported))
    return items.none()


def item_or_404(user: Any, pk: int) -> WorkItem:
    version = plan_version_or_404()
    item = (
        visible_items(user, version)
        .select_related("lead_unit", "task", "parent", "plan_version__plan")
        .prefetch_related("co_units", "goals", "milestones")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No work item matches the given query.")
    return item


def may_update(user: Any, item: WorkItem) -> bool:
    """Progress on an item is reported by its lead unit (or by the office on its behalf)."""
    if is_office(user):
        return True
    return bool(user.role == Role.UNIT_OFFICER and user.unit_id == item.lead_unit_id)


def writable_item_or_404(user: Any, pk: int) -> WorkItem:
    """An item the user may report on: another unit's item is a 404; a co-unit's or a reader's is 403."""
    item = item_or_404(user, pk)
    if not may_update(user, item):
        raise PermissionDenied("Only the lead unit reports progress on this item.")
    return item


def update_with_evidence_or_404(user: Any, pk: int) -> ProgressUpdate:
    """A progress report with evidence on an item ``user`` may read (co-units included); another
    unit's item, or a report without evidence, is a 404."""
    items = visible_items(user, plan_version_or_404())
    found = (
        ProgressUpdate.objects.filter(pk=pk, work_item__in=items)
        .exclude(evidence="")
        .select_related("work_item")
        .first()
    )
    if found is None:
        raise Http404("No evidence matches the given query.")
    return found


def evidence_filename(update: ProgressUpdate) -> str:
    """The name a download offers: the stored file's own name, without its folders."""
    return PurePosixPath(update.evidence.name).name


# --------------------------------------------------------------------------- engine adapters


def engine_item(item: WorkItem) -> engine.WorkItem:
    """Needs ``milestones`` and ``co_units`` prefetched (or costs two queries)."""
    return engine.WorkItem(
        code=item.code,
        title=item.title,
        title_en=item.title_en,
        lead_unit=item.lead_unit.code,
        co_units=tuple(u.code for u in item.co_units.all()),
        start=item.start,
        deadline=item.deadline,
        milestones=tuple(
            engine.Milestone(m.key, m.due, m.description, m.description_en)
            for m in sorted(item.milestones.all(), key=lambda m: (m.due, m.key))
        ),
    )


def engine_update(update: ProgressUpdate, item_code: str) -> engine.ProgressUpdate:
    return engine.ProgressUpdate(
        item_code=item_code,
        unit=update.unit.code,
        reported_on=update.reported_on,
        percent=update.percent,
        milestones_reached=tuple(m.key for m in update.milestones_reached.all()),
        period_key=update.period_key,
        done=update.done,
    )


def with_status_data(items: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    """Prefetch what status computation needs: a fixed number of queries for any number of items."""
    updates = ProgressUpdate.objects.select_related("unit").prefetch_related(
        Prefetch("milestones_reached", queryset=Milestone.objects.only("id", "key"))
    )
    return items.select_related("lead_unit").prefetch_related(
        "co_units", "milestones", Prefetch("updates", queryset=updates)
    )


@dataclass(frozen=True)
class ItemRow:
    item: WorkItem
    status: engine.ItemStatus
    last_update: ProgressUpdate | None

    @property
    def reason(self) -> str:
        return str(self.status.reason)


def item_rows(items: Iterable[WorkItem], as_of: date, rules: engine.ReportingRules) -> list[ItemRow]:
    rows: list[ItemRow] = []
    for item in items:
        updates = [u for u in item.updates.all() if u.reported_on <= as_of]
        status = engine.item_status(
            engine_item(item), [engine_update(u, item.code) for u in updates], as_of, rules
        )
        last = max(updates, key=lambda u: (u.reported_on, u.pk), default=None)
        rows.append(ItemRow(item, status, last))
    return rows


def status_counts(rows: Sequence[ItemRow]) -> dict[str, int]:
    counts = Counter(row.status.status.value for row in rows)
    return {status.value: counts.get(status.value, 0) for status in engine.Status}


def item_list(
    user: Any, version: PlanVersion, *, unit: str = "", status: str = "", q: str = ""
) -> QuerySet[WorkItem]:
    items = visible_items(user, version)
    if unit:
        items = items.filter(lead_unit__code=unit)
    if q:
        items = items.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(title_en__icontains=q))
    return with_status_data(items).order_by("sort", "code")


# --------------------------------------------------------------------------- reporting duty


@dataclass(frozen=True)
class ReportingFacts:
    """Every item of the plan with its updates, in engine form: the input of duty and ranking."""

    rules: engine.ReportingRules
    items: list[engine.WorkItem]
    updates: list[engine.ProgressUpdate]
    unit_names: dict[str, str]


def reporting_facts(version: PlanVersion) -> ReportingFacts:
    items = list(with_status_data(WorkItem.objects.filter(plan_version=version)).order_by("sort", "code"))
    return ReportingFacts(
        rules=reporting_rules(version),
        items=[engine_item(i) for i in items],
        updates=[engine_update(u, i.code) for i in items for u in i.updates.all()],
        unit_names={u.code: u.short_name or u.name for u in Unit.objects.all()},
    )


def silent_units(
    version: PlanVersion, as_of: date, facts: ReportingFacts | None = None
) -> list[engine.SilentUnit]:
    """Units that had not reported by the due day and still have not (as of ``as_of``)."""
    facts = facts or reporting_facts(version)
    owed = engine.obligations(facts.items, facts.rules, as_of, facts.updates)
    return engine.silent_units(owed, facts.updates, as_of, facts.rules)


@dataclass(frozen=True)
class ItemRef:
    code: str
    title: str
    title_en: str = ""

    @property
    def display_title(self) -> str:
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") and self.title_en else self.title


@dataclass(frozen=True)
class SilentRow:
    """A silent unit as a page shows it: the unit's (short) name and the items' titles."""

    silent: engine.SilentUnit
    unit_name: str
    items: tuple[ItemRef, ...]


def silent_rows(version: PlanVersion, as_of: date, unit: str = "") -> list[SilentRow]:
    """``silent_units`` with names and titles (only ``unit``'s rows when a unit code is given)."""
    facts = reporting_facts(version)
    titles = {i.code: ItemRef(i.code, i.title, i.title_en) for i in facts.items}
    return [
        SilentRow(
            silent=s,
            unit_name=facts.unit_names.get(s.unit, s.unit),
            items=tuple(titles.get(code, ItemRef(code, code)) for code in s.item_codes),
        )
        for s in silent_units(version, as_of, facts)
        if not unit or s.unit == unit
    ]


def escalations(user: Any, version: PlanVersion) -> QuerySet[Escalation]:
    rows = Escalation.objects.filter(plan_version=version).select_related("unit", "replied_by")
    if is_office(user) or user.role in (Role.LEADER, Role.DISTRICT_OFFICER):
        return rows
    if user.role == Role.UNIT_OFFICER and user.unit_id:
        return rows.filter(unit_id=user.unit_id)
    return rows.none()


def escalation_or_404(user: Any, pk: int) -> Escalation:
    found = escalations(user, plan_version_or_404()).filter(pk=pk).first()
    if found is None:
        raise Http404("No escalation matches the given query.")
    return found


def timeliness(
    version: PlanVersion, as_of: date, facts: ReportingFacts | None = None
) -> dict[str, engine.Timeliness]:
    facts = facts or reporting_facts(version)
    owed = engine.obligations(facts.items, facts.rules, as_of, facts.updates)
    return engine.timeliness(owed, facts.updates, as_of, facts.rules)


@dataclass(frozen=True)
class SpanReporting:
    """How units reported for the reporting periods of a span (a bulletin's month or quarter)."""

    periods: list[engine.Period]  # the span's reporting periods whose due day is on or before as_of
    timeliness: dict[str, engine.Timeliness]  # per unit, over those periods only
    silent: list[engine.SilentUnit]  # still silent on as_of for one of those periods


def reporting_in_span(
    version: PlanVersion, start: date, end: date, as_of: date, facts: ReportingFacts | None = None
) -> SpanReporting:
    """Reports owed for the reporting periods overlapping [start, end] and due by ``as_of``: who
    reported on time, who late (after the due day) and who is still silent."""
    facts = facts or reporting_facts(version)
    periods = [p for p in engine.periods_between(facts.rules, start, end) if p.due_date <= as_of]
    keys = {p.key for p in periods}
    owed = [
        o for o in engine.obligations(facts.items, facts.rules, as_of, facts.updates) if o.period.key in keys
    ]
    return SpanReporting(
        periods=periods,
        timeliness=engine.timeliness(owed, facts.updates, as_of, facts.rules),
        silent=engine.silent_units(owed, facts.updates, as_of, facts.rules),
    )


@dataclass(frozen=True)
class UnitRow:
    """One unit's standing: its items by status and how punctually it reported."""

    code: str
    name: str
    items: int
    done: int
    on_track: int
    at_risk: int
    late: int
    owed: int
    on_time: int
    missing: int
    timeliness_rate: Decimal  # percent
    rank: int = 0


def unit_standings(version: PlanVersion, as_of: date) -> list[UnitRow]:
    """Units ranked by on-time reporting, then fewest late items, then most done (code breaks ties)."""
    facts = reporting_facts(version)
    statuses = engine.statuses(facts.items, facts.updates, as_of, facts.rules)
    by_unit: dict[str, Counter[str]] = defaultdict(Counter)
    for item, status in zip(facts.items, statuses, strict=True):
        by_unit[item.lead_unit][status.status.value] += 1
    punctual = timeliness(version, as_of, facts)
    rows = []
    for code in sorted(set(by_unit) | set(punctual)):
        counts = by_unit[code]
        t = punctual.get(code, engine.Timeliness(code, 0, 0, 0, 0))
        rows.append(
            UnitRow(
                code=code,
                name=facts.unit_names.get(code, code),
                items=sum(counts.values()),
                done=counts["done"],
                on_track=counts["on_track"],
                at_risk=counts["at_risk"],
                late=counts["late"],
                owed=t.owed,
                on_time=t.on_time,
                missing=t.missing,
                timeliness_rate=t.rate,
            )
        )
    rows.sort(key=lambda r: (-r.timeliness_rate, r.late, -r.done, r.code))
    ranked: list[UnitRow] = []
    for position, row in enumerate(rows, start=1):
        previous = ranked[-1] if ranked else None
        same = previous is not None and (previous.timeliness_rate, previous.late, previous.done) == (
            row.timeliness_rate,
            row.late,
            row.done,
        )
        ranked.append(replace(row, rank=previous.rank if same and previous else position))
    return ranked


# --------------------------------------------------------------------------- meetings and bulletins


def meetings(version: PlanVersion) -> QuerySet[Meeting]:
    decisions = Decision.objects.select_related("owner_unit", "work_item")
    return Meeting.objects.filter(plan_version=version).prefetch_related(
        Prefetch("decisions", queryset=decisions)
    )


def meeting_or_404(pk: int) -> Meeting:
    found = meetings(plan_version_or_404()).filter(pk=pk).first()
    if found is None:
        raise Http404("No meeting matches the given query.")
    return found


def bulletins(version: PlanVersion) -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(plan_version=version).select_related("issued_by")


def bulletin_or_404(pk: int) -> Bulletin:
    found = bulletins(plan_version_or_404()).prefetch_related("paragraphs").filter(pk=pk).first()
    if found is None:
        raise Http404("No bulletin matches the given query.")
    return found
