"""Synthetic cultivation data: tiers from the plan, three library rounds, a review with exits.

Calibrated so the library sits near but below its target of 80 (the goal shows "at risk"), one
annual review has flagged members (two exits decided, one retained, one pending), a third round is
open with pending candidates (one an application of the demo enterprise user's firm), and some
designations expire within weeks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from semicluster.accounts.models import User
from semicluster.core.demo import OFFICE_USER, DemoContext, fast_delete, office_user
from semicluster.cultivation import scoring, selectors, services
from semicluster.cultivation.models import ExitFlag, LeaderCandidate, LeaderMember, LeaderReview, LeaderRound
from semicluster.enterprises.models import Designation, Enterprise, Measure, PeriodType, PeriodValue

ORDER = 30
LIBRARY_SIZE = 74  # near but below the plan's 80: the goal is at risk
SYSTEM_USER = OFFICE_USER


def _office() -> User:
    return office_user()  # type: ignore[no-any-return]


def _declared(rng: Any, employees: Decimal | None, revenue: Decimal | None, strong: bool) -> dict[str, str]:
    staff_share = rng.uniform(0.25, 0.45) if strong else rng.uniform(0.03, 0.2)
    brand_share = round(rng.uniform(0.5, 0.95) if strong else rng.uniform(0, 0.4), 2)
    staff = int((employees or Decimal(200)) * Decimal(str(round(staff_share, 3))))
    brand = (revenue or Decimal(0)) * Decimal(str(brand_share))
    declared = {
        "invention_patents": str(rng.randint(20, 90) if strong else rng.randint(0, 12)),
        "rd_staff": str(staff),
        "own_brand_revenue": str(brand.quantize(Decimal("0.01"))),
    }
    if rng.random() < 0.85:  # some firms leave the local figures blank (reweighted)
        declared["local_customers"] = str(rng.randint(4, 12) if strong else rng.randint(0, 4))
        declared["local_suppliers"] = str(rng.randint(8, 24) if strong else rng.randint(0, 8))
    return declared


def _annual(year: int, measure: str) -> dict[int, Decimal]:
    return dict(
        PeriodValue.objects.filter(measure=measure, year=year, period_type=PeriodType.YEAR).values_list(
            "enterprise_id", "value"
        )
    )


def _candidates(
    office: User, round: LeaderRound, firms: list[Enterprise], rng: Any, declared: dict[int, dict[str, str]]
) -> None:
    for firm in firms:
        candidate = services.candidate_add(
            actor=office,
            round=round,
            enterprise=firm,
            declared=declared[firm.pk],
            statement="示例申报材料（虚构） / synthetic application",
        )
        if rng.random() < 0.5:  # half came in as the firm's own application through the portal
            LeaderCandidate.objects.filter(pk=candidate.pk).update(
                origin=LeaderCandidate.Origin.APPLICATION, submitted_by=None
            )


def _decide(office: User, round: LeaderRound, rng: Any, admit_up_to: int) -> None:
    """Admit passing candidates by score until the library reaches ``admit_up_to``; reject the rest."""
    active = LeaderMember.objects.filter(exited_on__isnull=True).count()
    for candidate in round.candidates.order_by("-score", "pk"):
        problems = services.admission_problems(candidate)
        if not problems and rng.random() < 0.15:
            services.candidate_adjust(
                actor=office,
                candidate=candidate,
                adjustment=Decimal(rng.choice([-3, -2, 2, 3, 5])),
                reason="专家评审意见（示例） / expert panel view (synthetic)",
            )
            candidate.refresh_from_db()
            problems = services.admission_problems(candidate)
        if not problems and active < admit_up_to:
            services.candidate_decide(actor=office, candidate=candidate, admit=True)
            active += 1
        elif not problems:
            services.candidate_decide(
                actor=office,
                candidate=candidate,
                admit=False,
                reason="本批次名额已满，列入下批次 / quota reached",
            )
        else:
            services.candidate_decide(
                actor=office, candidate=candidate, admit=False, reason="；".join(problems)
            )


def _prospects(
    rng: Any, firms: list[Enterprise], year: int, today: dt.date, declared: dict[int, dict[str, str]]
) -> tuple[list[Enterprise], list[Enterprise]]:
    """Firms that would pass on their figures and (strong) declared facts, and firms that would not.

    Candidates are drawn from both, as a real round has strong and weak applicants; drawing from
    scored prospects keeps the library size on its calibrated value whatever the seed.
    """
    revenue, employees = _annual(year, Measure.REVENUE), _annual(year, Measure.EMPLOYEES)
    rd = _annual(year, Measure.RD)
    pool = [f for f in firms[1:] if rd.get(f.pk) and revenue.get(f.pk, 0) > 5_000_000]
    for f in pool:
        if f.pk not in declared:
            declared[f.pk] = _declared(rng, employees.get(f.pk), revenue.get(f.pk), rng.random() < 0.85)
    facts = services.enterprise_facts([f.pk for f in pool], year, declared, today)
    model = selectors.scoring_model()
    scored = [(scoring.score(facts[f.pk][0], model), f) for f in pool]
    passing = [f for card, f in sorted(scored, key=lambda item: -item[0].total) if card.passes_bars]
    failing = [f for card, f in scored if not card.passes_bars]
    rng.shuffle(failing)
    return passing, failing


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("cultivation")
    year = ctx.year
    services.tiers_refresh(version=ctx.plan_version)
    office = _office()
    firms = list(Enterprise.objects.order_by("id"))
    declared: dict[int, dict[str, str]] = {}
    # Round 1 was scored on the figures of two years back, round 2 on last year's: members admitted
    # on older figures are the ones the annual review (on last year's) may flag.
    passing_old, failing_old = _prospects(rng, firms, year - 2, dt.date(year - 1, 5, 20), declared)
    passing, failing = _prospects(rng, firms, year - 1, dt.date(year, 6, 20), declared)
    # The demo enterprise user's firm (the first) is kept for the open round's own application.
    first_batch = passing_old[:48] + failing_old[:14]
    taken = {f.pk for f in first_batch}
    passing = [f for f in passing if f.pk not in taken]
    failing = [f for f in failing if f.pk not in taken]
    second_batch = passing[:46] + failing[:20]
    open_batch = passing[46:50] + failing[20:24]

    round1 = services.round_open(actor=office, name=f"{year - 1}年第一批（示例）", data_year=year - 2)
    _candidates(office, round1, first_batch, rng, declared)
    services.round_score(actor=office, round=round1, today=dt.date(year - 1, 5, 20))
    _decide(office, round1, rng, admit_up_to=44)
    services.round_publish(actor=office, round=round1, on=dt.date(year - 1, 6, 28))

    review = services.review_run(actor=office, data_year=year - 1, today=dt.date(year, 3, 20))
    flags = list(review.flags.order_by("score"))
    for index, flag in enumerate(flags[:4]):
        if index < 2:
            services.flag_resolve(
                actor=office,
                flag=flag,
                exit=True,
                reason="年度复核未达标，经领导小组办公室研究决定出库（示例）",
                on=dt.date(year, 4, 10),
            )
        elif index == 2:
            services.flag_resolve(
                actor=office,
                flag=flag,
                exit=False,
                reason="受行业周期影响，保留观察一年（示例）",
                on=dt.date(year, 4, 10),
            )

    round2 = services.round_open(actor=office, name=f"{year}年第二批（示例）", data_year=year - 1)
    _candidates(office, round2, second_batch, rng, declared)
    services.round_score(actor=office, round=round2, today=dt.date(year, 6, 20))
    _decide(office, round2, rng, admit_up_to=LIBRARY_SIZE)
    services.round_publish(actor=office, round=round2, on=dt.date(year, 7, 15))

    round3 = services.round_open(actor=office, name=f"{year}年第三批（示例）", data_year=year - 1)
    _candidates(office, round3, open_batch, rng, declared)
    if firms:
        revenue_last = _annual(year - 1, Measure.REVENUE)
        own = services.candidate_add(
            actor=office,
            round=round3,
            enterprise=firms[0],
            declared=_declared(rng, None, revenue_last.get(firms[0].pk), True),
            statement="示例企业自主申报（虚构） / the demo firm's own application (synthetic)",
        )
        LeaderCandidate.objects.filter(pk=own.pk).update(
            origin=LeaderCandidate.Origin.APPLICATION, submitted_by=None
        )
    services.round_score(actor=office, round=round3, today=dt.date(year, 11, 1))
    _designations_expiring(ctx, rng)
    members = LeaderMember.objects.filter(exited_on__isnull=True).count()
    ctx.say(f"  library: {members} members (target 80), {len(flags)} flagged at review, 3 rounds")


def _designations_expiring(ctx: DemoContext, rng: Any) -> None:
    """Move a handful of designations to expire within weeks of today, so the lists show them."""
    today = dt.date.today()
    ids = list(Designation.objects.order_by("id").values_list("id", flat=True))
    for pk in rng.sample(ids, k=min(12, len(ids))):
        Designation.objects.filter(pk=pk).update(expires=today + dt.timedelta(days=rng.randint(5, 80)))


def reset() -> None:
    for model in (ExitFlag, LeaderReview, LeaderMember, LeaderCandidate, LeaderRound):
        history = getattr(model, "history", None)
        if history is not None:
            fast_delete(history.model.objects.all())
        fast_delete(model.objects.all())
    User.objects.filter(username=SYSTEM_USER).delete()
