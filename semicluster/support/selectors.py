"""Reads for support programs. Lists start from ``visible_to``; single objects come through
``get_visible_or_404`` so another scope's application is a 404, in the UI and the API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from semicluster.accounts.scoping import get_visible_or_404, visible_to
from semicluster.enterprises.models import Designation, Enterprise
from semicluster.plans.models import ChainNode
from semicluster.support.awards import ApplicationFacts, CostLine, fen
from semicluster.support.models import (
    AWARDED,
    OTHER_COST,
    Application,
    Attachment,
    CostItem,
    LedgerEntry,
    LedgerKind,
    Status,
    Step,
)
from semicluster.support.programs import current_programs, programs_of
from semicluster.support.rules import SupportProgram

ZERO = Decimal("0.00")
_MONEY: DecimalField = DecimalField(max_digits=20, decimal_places=2)


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    program: str = ""
    area: str = ""
    year: int | None = None
    q: str = ""


def application_list(*, user: Any, filters: ApplicationFilters | None = None) -> QuerySet[Application]:
    filters = filters or ApplicationFilters()
    qs = visible_to(Application.objects.all(), user).select_related("enterprise", "enterprise__area")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.program:
        qs = qs.filter(program_code=filters.program)
    if filters.area:
        qs = qs.filter(enterprise__area__code=filters.area)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(enterprise__credit_code__iexact=q.upper())
            | Q(product__icontains=q)
            | Q(foundry__icontains=q)
        )
    return qs.annotate(requested=Coalesce(Sum("costs__amount"), Value(ZERO), output_field=_MONEY)).order_by(
        "-created_at", "-id"
    )


def programs_for(applications: Any) -> dict[str, SupportProgram]:
    """Programs by code for a page of applications: the current plan's, plus those only older plan
    versions define (fetched once per version, not once per row)."""
    from semicluster.plans.models import PlanVersion

    _version, programs = current_programs()
    found = dict(programs)
    missing = {(a.plan_version_id, a.program_code) for a in applications if a.program_code not in found}
    for version in PlanVersion.objects.filter(pk__in={v for v, _code in missing}):
        for code, program in programs_of(version).items():
            found.setdefault(code, program)
    return found


def application_detail(*, user: Any, pk: int) -> Application:
    qs = Application.objects.select_related(
        "enterprise", "enterprise__area", "plan_version", "override_by"
    ).prefetch_related(
        Prefetch("costs", queryset=CostItem.objects.order_by("id")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        Prefetch("steps", queryset=Step.objects.order_by("at", "id")),
    )
    return get_visible_or_404(qs, user, pk=pk)


def attachment_detail(*, user: Any, application_pk: int, pk: int) -> Attachment:
    qs = Attachment.objects.filter(application_id=application_pk)
    return get_visible_or_404(qs, user, pk=pk)


def program_for(application: Application) -> SupportProgram | None:
    return programs_of(application.plan_version).get(application.program_code)


@dataclass(frozen=True)
class DisplayNames:
    """Names for the codes an application and its stored computation mention, in the reader's
    language: cost items (the program's eligible-cost definitions; ``other`` is never counted),
    chain nodes (the plan version's chain, then the chain table) and priority fields."""

    cost_items: dict[str, str]
    chain_nodes: dict[str, str]
    product_fields: dict[str, str]
    eligible_cost_codes: frozenset[str]


def display_names(application: Application, program: SupportProgram | None, *, english: bool) -> DisplayNames:
    def pick(name: str, name_en: str) -> str:
        return name_en if english and name_en else name

    cost_items = {OTHER_COST: str(_("other costs"))}
    product_fields: dict[str, str] = {}
    if program is not None:
        cost_items |= {i.code: pick(i.name, i.name_en) for i in program.eligible_cost_items}
        product_fields = {i.code: pick(i.name, i.name_en) for i in program.priority_fields}
    chain_nodes = {
        code: pick(name, name_en)
        for code, name, name_en in ChainNode.objects.values_list("code", "name", "name_en")
    }
    document = application.plan_version.document if application.plan_version_id else {}
    for segment in (document.get("chain") or {}).get("segments") or []:
        for node in segment.get("nodes") or []:
            if node.get("code") and node.get("name"):
                chain_nodes[node["code"]] = pick(node["name"], node.get("name_en") or "")
    return DisplayNames(
        cost_items=cost_items,
        chain_nodes=chain_nodes,
        product_fields=product_fields,
        eligible_cost_codes=program.eligible_cost_codes if program is not None else frozenset(),
    )


def application_facts(application: Application, *, on: dt.date | None = None) -> ApplicationFacts:
    """What the award engine needs, from the application and its firm's library record.

    Firms in the enterprise library are firms of the plan's region (their area is a plan area), so
    ``registered_in_region`` is true; designations count when valid on the application date.
    """
    firm: Enterprise = application.enterprise
    day = on or application.applied_on or dt.date.today()
    nodes = [firm.primary_node.code, *firm.secondary_nodes.values_list("code", flat=True)]
    designations = (
        Designation.objects.filter(enterprise=firm, granted__lte=day)
        .filter(Q(expires__isnull=True) | Q(expires__gte=day))
        .values_list("designation_type__code", flat=True)
    )
    costs = tuple(
        CostLine(c.item, c.amount, invoice_no=c.invoice_ref, contract_no=c.contract_ref)
        for c in application.costs.all()
    )
    return ApplicationFacts(
        firm_id=firm.credit_code,
        chain_nodes=tuple(nodes),
        registered_in_region=True,
        area=firm.area.code,
        designations=frozenset(designations),
        foundry=application.foundry,
        foundry_location=application.foundry_location or None,  # type: ignore[arg-type]
        local_fab=application.local_fab,
        process_node_nm=application.process_node_nm,
        mask=application.mask or None,  # type: ignore[arg-type]
        substrate=application.substrate or None,  # type: ignore[arg-type]
        wafer_size_mm=application.wafer_size_mm,
        wafer_count=application.wafer_count,
        tapeout_date=application.tapeout_date,
        product=application.product,
        is_sensor=application.is_sensor,
        first_tapeout=application.first_tapeout,
        product_field=application.product_field or None,
        applied_on=application.applied_on or day,
        costs=costs,
    )


def prior_awards(application: Application) -> tuple[Decimal, Decimal]:
    """This firm's awards this year (approved or disbursed, not this application): in the same
    program, and across all programs."""
    rows = (
        Application.objects.filter(
            enterprise_id=application.enterprise_id, year=application.year, status__in=AWARDED
        )
        .exclude(pk=application.pk)
        .values_list("program_code")
        .annotate(total=Sum("award_amount"))
    )
    same = all_programs = ZERO
    for code, total in rows:
        all_programs += total or ZERO
        if code == application.program_code:
            same += total or ZERO
    return fen(same), fen(all_programs)


def _ledger_sums(entries: QuerySet[LedgerEntry]) -> dict[str, Decimal]:
    sums = entries.aggregate(
        **{
            kind: Coalesce(Sum("amount", filter=Q(kind=kind)), Value(ZERO), output_field=_MONEY)
            for kind in LedgerKind.values
        }
    )
    return {kind: fen(sums[kind]) for kind in LedgerKind.values}


def budget_committed(program_code: str, year: int, *, excluding: Application | None = None) -> Decimal:
    """Committed budget of a program and year (commits − releases), leaving out one application's own
    commitment (so a changed award is judged against what the others hold)."""
    entries = LedgerEntry.objects.filter(program_code=program_code, year=year)
    if excluding is not None and excluding.pk:
        entries = entries.exclude(application_id=excluding.pk)
    sums = _ledger_sums(entries)
    return sums[LedgerKind.COMMIT] - sums[LedgerKind.RELEASE]


@dataclass(frozen=True)
class LedgerRow:
    program_code: str
    program: SupportProgram | None
    year: int
    budget: Decimal
    committed: Decimal
    disbursed: Decimal
    remaining: Decimal
    pending: int  # applications in review (submitted … reviewed)
    pending_requested: Decimal  # their eligible-looking cost claims, for a sense of demand

    @property
    def used_percent(self) -> Decimal:
        if not self.budget:
            return ZERO
        return (self.committed * 100 / self.budget).quantize(Decimal("0.1"))


IN_REVIEW = (Status.SUBMITTED, Status.PRE_REVIEWED, Status.REVIEWED)


def ledger(*, year: int | None = None) -> list[LedgerRow]:
    """Budget, committed, disbursed and remaining per program and year: the current plan's programs,
    plus any program that still has entries from an older plan version."""
    _version, programs = current_programs()
    sums: dict[tuple[str, int], dict[str, Decimal]] = {}
    entries = LedgerEntry.objects.all()
    if year:
        entries = entries.filter(year=year)
    for row in entries.values("program_code", "year", "kind").annotate(total=Sum("amount")):
        key = (row["program_code"], row["year"])
        # SQLite sums decimals without their scale; money is always shown to the fen.
        sums.setdefault(key, dict.fromkeys(LedgerKind.values, ZERO))[row["kind"]] = fen(row["total"])
    pending_rows = (
        Application.objects.filter(status__in=IN_REVIEW)
        .values("program_code", "year")
        .annotate(n=Count("id", distinct=True), requested=Sum("costs__amount"))
    )
    if year:
        pending_rows = pending_rows.filter(year=year)
    pending = {(r["program_code"], r["year"]): (r["n"], fen(r["requested"] or ZERO)) for r in pending_rows}
    keys = set(sums) | set(pending)
    for listed in programs.values():
        program_year = listed.year or listed.application_window.start.year
        if not year or year == program_year:
            keys.add((listed.code, program_year))
    order = {code: index for index, code in enumerate(programs)}
    rows = []
    for code, row_year in sorted(keys, key=lambda k: (-k[1], order.get(k[0], 999), k[0])):
        program = programs.get(code)
        kinds = sums.get((code, row_year), dict.fromkeys(LedgerKind.values, ZERO))
        committed = kinds[LedgerKind.COMMIT] - kinds[LedgerKind.RELEASE]
        budget = fen(program.annual_budget) if program is not None else ZERO
        n, requested = pending.get((code, row_year), (0, ZERO))
        rows.append(
            LedgerRow(
                code,
                program,
                row_year,
                budget,
                committed,
                kinds[LedgerKind.DISBURSE],
                budget - committed,
                n,
                requested,
            )
        )
    return rows


def ledger_entries(*, program_code: str, year: int) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(program_code=program_code, year=year)
        .select_related("application", "application__enterprise")
        .order_by("at", "id")
    )


def enterprise_applications(*, user: Any, enterprise: Enterprise) -> QuerySet[Application]:
    return (
        visible_to(Application.objects.filter(enterprise=enterprise), user)
        .annotate(requested=Coalesce(Sum("costs__amount"), Value(ZERO), output_field=_MONEY))
        .order_by("-year", "-created_at")
    )


def status_counts(*, user: Any) -> dict[str, int]:
    qs = visible_to(Application.objects.all(), user)
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
