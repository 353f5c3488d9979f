"""Writes for cultivation: tier cache, designations, the innovation-leader library workflow.

Every function is keyword-only, takes the acting user, validates before it writes and writes
nothing when it fails (``transaction.atomic``). Role rules live here, not only in the views, so an
importer or the API cannot go round them:

* open a round, score, adjust, decide, publish, run the annual review, decide an exit: city admin;
* apply (申报): an enterprise user, for their own firm only;
* propose (推荐): a district officer for a firm of their area, or the city admin for any firm.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.core.refresh import indicators_stale
from semicluster.cultivation import scoring, selectors, tiers
from semicluster.cultivation.models import (
    ExitFlag,
    LeaderCandidate,
    LeaderMember,
    LeaderReview,
    LeaderRound,
)
from semicluster.cultivation.numbers import Message
from semicluster.enterprises.models import Designation, Enterprise, Measure, PeriodType, PeriodValue
from semicluster.plans.selectors import current_plan_version

# Expert adjustments move a computed total by at most this many points either way: enough to weigh
# what the proxies cannot see, too little to overturn the model (ADR 0012).
MAX_ADJUSTMENT = Decimal(10)

# Facts an applicant declares; everything else is read from period data and registers.
DECLARED_FACTS: dict[str, Message] = {
    "invention_patents": Message("有效发明专利数", "invention patents in force"),
    "rd_staff": Message("研发人员数", "R&D staff (persons)"),
    "own_brand_revenue": Message("自主品牌产品收入（元）", "own-brand revenue (yuan)"),
    "local_customers": Message("本地客户数", "local customers"),
    "local_suppliers": Message("本地供应商数", "local suppliers"),
}
MONEY_FACTS = frozenset({"own_brand_revenue"})


def _attribute(instance: Any, actor: Any, reason: str = "") -> None:
    if getattr(actor, "pk", None):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason


def _is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.CITY_ADMIN)


def _require_admin(actor: Any) -> None:
    if not _is_admin(actor):
        raise PermissionError("只有市领导小组办公室可执行此操作 / only the city admin may do this")


def _require_visible(actor: Any, enterprise: Enterprise) -> None:
    if not visible_to(Enterprise.objects.filter(pk=enterprise.pk), actor).exists():
        raise PermissionError("该企业不在您的权限范围内 / this enterprise is outside your scope")


# ---------------------------------------------------------------------------- tiers


def tiers_refresh(*, version: Any = None) -> int:
    """Recompute every enterprise's cached tier from its full-year revenue with the plan's ``tiers``.

    ``tier`` is the tier of the latest year with a full-year figure; ``tier_year`` is the year that
    tier was reached (the first year of the current unbroken run at that tier or above), empty
    when the firm is below every threshold. Returns how many enterprises changed.
    """
    model = selectors.tier_model(version)
    revenues = selectors.annual_revenues()
    changed = []
    for enterprise in Enterprise.objects.only("id", "tier", "tier_year"):
        current = tiers.current_tier(revenues.get(enterprise.pk, {}), model)
        tier = current.tier.code.value if current.tier else ""
        year = current.since if current.tier else None
        if enterprise.tier != tier or enterprise.tier_year != year:
            enterprise.tier, enterprise.tier_year = tier, year
            changed.append(enterprise)
    Enterprise.objects.bulk_update(changed, ["tier", "tier_year"], batch_size=1000)
    return len(changed)


# ---------------------------------------------------------------------------- designations


def designation_update(*, actor: Any, designation: Designation, data: dict[str, Any]) -> Designation:
    """Change a designation's dates, level, authority or evidence (history keeps the old values)."""
    _require_visible(actor, designation.enterprise)
    allowed = {"level", "authority", "granted", "expires", "evidence"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "该字段不可修改 / this field cannot be changed"})
    for key, value in data.items():
        setattr(designation, key, value)
    if designation.expires and designation.expires < designation.granted:
        raise ValidationError({"expires": "到期日早于授予日 / expiry precedes the grant date"})
    with transaction.atomic():
        designation.full_clean()
        _attribute(designation, actor)
        designation.save()
        indicators_stale()  # designations held define goal scopes
    return designation


def designation_import_row(
    *,
    actor: Any,
    credit_code: str,
    designation_type: str,
    granted: dt.date,
    expires: dt.date | None = None,
    level: str = "",
    authority: str = "",
    evidence: str = "",
) -> tuple[Designation, bool]:
    """Idempotent import of one designation (key: firm + type + grant date). Returns (row, created).

    The same row imported twice changes nothing; a changed expiry or evidence updates in place.
    """
    from semicluster.enterprises.services import designation_grant
    from semicluster.plans.models import DesignationType

    enterprise = _enterprise_by_code(actor, credit_code)
    kind = DesignationType.objects.filter(code=designation_type).first()
    if kind is None:
        raise ValidationError(
            {"designation_type": f"未知资质代码 {designation_type!r} / unknown designation"}
        )
    existing = Designation.objects.filter(
        enterprise=enterprise, designation_type=kind, granted=granted
    ).first()
    if existing is None:
        extra: dict[str, Any] = {"expires": expires, "evidence": evidence}
        if level:
            extra["level"] = level
        if authority:
            extra["authority"] = authority
        with transaction.atomic():
            return designation_grant(
                actor=actor, enterprise=enterprise, designation_type=kind, granted=granted, **extra
            ), True
    changes = {
        k: v
        for k, v in {"expires": expires, "evidence": evidence, "level": level, "authority": authority}.items()
        if v not in (None, "") and getattr(existing, k) != v
    }
    if changes:
        designation_update(actor=actor, designation=existing, data=changes)
    return existing, False


def _enterprise_by_code(actor: Any, credit_code: str) -> Enterprise:
    enterprise = (
        visible_to(Enterprise.objects.all(), actor).filter(credit_code=credit_code.strip().upper()).first()
    )
    if enterprise is None:
        raise ValidationError(
            {"credit_code": f"未找到统一社会信用代码为 {credit_code} 的企业 / no enterprise with this code"}
        )
    return enterprise


# ---------------------------------------------------------------------------- rounds and candidates


def round_open(*, actor: Any, name: str, data_year: int) -> LeaderRound:
    """Open an evaluation round; the plan's scoring model is copied in as it stands now."""
    _require_admin(actor)
    version = current_plan_version()
    if version is None:
        raise ValidationError({"name": "尚未加载规划 / no plan loaded"})
    document = selectors.plan_section("innovation_leader_library", version)
    scoring.ScoringModel.from_plan(document)  # refuse a model the engine cannot use
    round = LeaderRound(
        name=name.strip(), data_year=data_year, model_document=document, plan_version=version, opened_by=actor
    )
    with transaction.atomic():
        round.full_clean()
        _attribute(round, actor)
        round.save()
    return round


def clean_declared(raw: dict[str, Any]) -> dict[str, str]:
    """Declared facts as exact decimal strings; unknown keys and negative or non-numeric values refused."""
    cleaned: dict[str, str] = {}
    for key, value in raw.items():
        if key not in DECLARED_FACTS:
            raise ValidationError({key: f"未知申报指标 {key!r} / unknown declared fact"})
        if value in (None, ""):
            continue
        if isinstance(value, float):
            raise ValidationError({key: "请使用精确数值 / use an exact number, not a float"})
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation as exc:
            raise ValidationError({key: f"{DECLARED_FACTS[key].zh}不是数字 / not a number"}) from exc
        if number < 0:
            raise ValidationError({key: f"{DECLARED_FACTS[key].zh}为负 / negative"})
        if key not in MONEY_FACTS and number != number.to_integral_value():
            raise ValidationError({key: f"{DECLARED_FACTS[key].zh}应为整数 / must be a whole number"})
        cleaned[key] = str(number)
    return cleaned


def candidate_add(
    *,
    actor: Any,
    round: LeaderRound,
    enterprise: Enterprise,
    declared: dict[str, Any] | None = None,
    statement: str = "",
) -> LeaderCandidate:
    """An application (enterprise user, own firm) or a proposal (district officer, own area; admin)."""
    role = getattr(actor, "role", None)
    if role == Role.ENTERPRISE_USER:
        if actor.enterprise_id != enterprise.pk:
            raise PermissionError("企业用户只能为本企业申报 / enterprise users apply for their own firm only")
        origin = LeaderCandidate.Origin.APPLICATION
    elif role == Role.DISTRICT_OFFICER or _is_admin(actor):
        _require_visible(actor, enterprise)
        origin = LeaderCandidate.Origin.PROPOSAL
    else:
        raise PermissionError("您的角色不能申报或推荐 / your role may not apply or propose")
    if not round.is_open:
        raise ValidationError({"round": "评审批次已发布，不再接受申报 / the round is closed"})
    if LeaderMember.objects.filter(enterprise=enterprise, exited_on__isnull=True).exists():
        raise ValidationError({"enterprise": f"{enterprise.name}已在库中 / already a library member"})
    if LeaderCandidate.objects.filter(round=round, enterprise=enterprise).exists():
        raise ValidationError({"enterprise": f"{enterprise.name}已是本批次候选 / already a candidate"})
    candidate = LeaderCandidate(
        round=round,
        enterprise=enterprise,
        origin=origin,
        submitted_by=actor,
        declared=clean_declared(declared or {}),
        statement=statement,
    )
    with transaction.atomic():
        candidate.full_clean()
        _attribute(candidate, actor)
        candidate.save()
    return candidate


def candidate_declared_update(
    *, actor: Any, candidate: LeaderCandidate, declared: dict[str, Any], statement: str | None = None
) -> None:
    """The applicant (or the proposer / admin) corrects the declared facts (and, when given, the
    statement) while the round is open."""
    if (
        getattr(actor, "role", None) == Role.ENTERPRISE_USER
        and actor.enterprise_id != candidate.enterprise_id
    ):
        raise PermissionError("企业用户只能修改本企业申报 / own firm only")
    _require_visible(actor, candidate.enterprise)
    if not candidate.round.is_open or candidate.decision != LeaderCandidate.Decision.PENDING:
        raise ValidationError({"declared": "已决定或已发布，不能修改 / decided or published"})
    candidate.declared = clean_declared(declared)
    fields = ["declared", "updated_at"]
    if statement is not None:
        candidate.statement = statement
        fields.append("statement")
    with transaction.atomic():
        _attribute(candidate, actor)
        candidate.save(update_fields=fields)


def enterprise_facts(
    enterprise_ids: list[int], year: int, declared: dict[int, dict[str, str]], on: dt.date
) -> dict[int, tuple[dict[str, Decimal | None], dict[str, str]]]:
    """Scoring facts and their sources per enterprise, from period data of ``year``, the
    designation register on ``on``, R&D projects on key technologies, and declared figures."""
    revenues = selectors.annual_revenues(enterprise_ids)
    annual: dict[int, dict[str, Decimal]] = {pk: {} for pk in enterprise_ids}
    for pk, measure, value in PeriodValue.objects.filter(
        enterprise_id__in=enterprise_ids,
        year=year,
        period_type=PeriodType.YEAR,
        measure__in=[Measure.RD, Measure.PROFIT, Measure.EMPLOYEES],
    ).values_list("enterprise_id", "measure", "value"):
        annual[pk][measure] = value
    designations = selectors.valid_designation_counts(enterprise_ids, on)
    coverage = _key_technology_coverage(enterprise_ids)
    out: dict[int, tuple[dict[str, Decimal | None], dict[str, str]]] = {}
    for pk in enterprise_ids:
        own = declared.get(pk, {})

        def dec(key: str, own: dict[str, str] = own) -> Decimal | None:
            return Decimal(own[key]) if key in own else None

        def whole(key: str, own: dict[str, str] = own) -> int | None:
            return int(Decimal(own[key])) if key in own else None

        employees = annual[pk].get(Measure.EMPLOYEES)
        facts = scoring.derive_facts(
            revenue=revenues.get(pk, {}).get(year),
            previous_revenue=revenues.get(pk, {}).get(year - 1),
            rd_expenditure=annual[pk].get(Measure.RD),
            profit=annual[pk].get(Measure.PROFIT),
            employees=int(employees) if employees is not None else None,
            rd_staff=whole("rd_staff"),
            own_brand_revenue=dec("own_brand_revenue"),
            invention_patents=whole("invention_patents"),
            local_customers=whole("local_customers"),
            local_suppliers=whole("local_suppliers"),
            designations_held=designations.get(pk, 0),
            key_technology_coverage=coverage.get(pk, 0) if coverage is not None else None,
        )
        period = f"{year}年报 / {year} annual period data"
        sources = {
            "rd_intensity_pct": period,
            "profit_margin_pct": period,
            "revenue_growth_pct": f"{year - 1}–{year}年营业收入 / {year - 1}–{year} revenue",
            "rd_staff_pct": f"申报研发人员数 ÷ {year}年从业人员 / declared R&D staff ÷ {year} employees",
            "own_brand_revenue_pct": f"申报自主品牌收入 ÷ {year}年营业收入 / declared own-brand revenue ÷ "
            "revenue",
            "invention_patents": "企业申报 / declared",
            "local_customers": "企业申报 / declared",
            "local_suppliers": "企业申报 / declared",
            "designations_held": f"资质库，{on}有效 / designation register, in force on {on}",
            "key_technology_coverage": "关键技术研发项目库 / R&D projects on key technologies",
        }
        out[pk] = (facts, sources)
    return out


def _key_technology_coverage(enterprise_ids: list[int]) -> dict[int, int] | None:
    from django.apps import apps

    if not apps.is_installed("semicluster.innovation"):
        return None
    from semicluster.innovation.selectors import key_technologies_by_enterprise

    return {pk: len(codes) for pk, codes in key_technologies_by_enterprise(enterprise_ids).items()}


def card_to_json(card: scoring.ScoreCard, facts: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    """The score card with every number's evidence, as stored and shown (strings keep Decimals exact)."""

    def msg(message: Message | None) -> dict[str, str] | None:
        return None if message is None else {"zh": message.zh, "en": message.en}

    def num(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "total": str(card.total),
        "passes_bars": card.passes_bars,
        "disqualified": card.disqualified,
        "reasons": [msg(r) for r in card.reasons],
        "criteria": [
            {
                "code": c.criterion.code,
                "name": c.criterion.name,
                "name_en": c.criterion.name_en,
                "weight": str(c.criterion.weight),
                "bar": str(c.criterion.bar),
                "score": num(c.score),
                "effective_weight_pct": str(c.effective_weight_pct),
                "points": str(c.points),
                "bar_passed": c.bar_passed,
                "note": msg(c.note),
                "proxies": [
                    {
                        "code": p.proxy.code,
                        "name": p.proxy.name,
                        "name_en": p.proxy.name_en,
                        "fact": p.proxy.fact,
                        "missing_policy": p.proxy.missing.value,
                        "value": num(p.value),
                        "source": sources.get(p.proxy.fact, ""),
                        "counted": p.counted,
                        "points": str(p.points),
                        "effective_weight_pct": str(p.effective_weight_pct),
                        "weighted_points": str(p.weighted_points),
                        "note": msg(p.note),
                    }
                    for p in c.proxies
                ],
            }
            for c in card.criteria
        ],
        "facts": {k: num(v) for k, v in facts.items()},
    }


def round_score(*, actor: Any, round: LeaderRound, today: dt.date | None = None) -> int:
    """Compute (or recompute) the score card of every pending candidate of an open round."""
    _require_admin(actor)
    if not round.is_open:
        raise ValidationError({"round": "已发布的批次不能重新评分 / a published round cannot be re-scored"})
    model = selectors.scoring_model(round.model_document)
    pending = list(round.candidates.filter(decision=LeaderCandidate.Decision.PENDING))
    facts = enterprise_facts(
        [c.enterprise_id for c in pending],
        round.data_year,
        {c.enterprise_id: c.declared for c in pending},
        today or timezone.localdate(),
    )
    now = timezone.now()
    with transaction.atomic():
        for candidate in pending:
            values, sources = facts[candidate.enterprise_id]
            card = scoring.score(values, model)
            candidate.facts = {k: None if v is None else str(v) for k, v in values.items()}
            candidate.evidence = card_to_json(card, values, sources)
            candidate.score = card.total
            candidate.passes_bars = card.passes_bars
            candidate.scored_at = now
            _attribute(candidate, actor, "scored")
            candidate.save()
    return len(pending)


def candidate_adjust(
    *, actor: Any, candidate: LeaderCandidate, adjustment: Decimal, reason: str
) -> LeaderCandidate:
    """An expert adjustment of the total (±MAX_ADJUSTMENT points), always with a reason."""
    _require_admin(actor)
    if not isinstance(adjustment, Decimal):
        raise TypeError("adjustments are Decimal, never float")
    if candidate.score is None:
        raise ValidationError({"adjustment": "请先计算得分 / score the candidate first"})
    if candidate.decision != LeaderCandidate.Decision.PENDING or not candidate.round.is_open:
        raise ValidationError({"adjustment": "已决定，不能调整 / already decided"})
    if abs(adjustment) > MAX_ADJUSTMENT:
        raise ValidationError(
            {"adjustment": f"调整幅度不超过±{MAX_ADJUSTMENT}分 / at most ±{MAX_ADJUSTMENT} points"}
        )
    if adjustment != 0 and not reason.strip():
        raise ValidationError({"adjustment_reason": "专家调整须说明理由 / an adjustment needs a reason"})
    candidate.adjustment = adjustment
    candidate.adjustment_reason = reason.strip()
    with transaction.atomic():
        _attribute(candidate, actor, f"adjusted {adjustment}")
        candidate.save()
    return candidate


def admission_problems(candidate: LeaderCandidate) -> list[str]:
    """Why the candidate cannot be admitted (empty when it can): bars, disqualification, minimum total."""
    if candidate.score is None:
        return ["尚未评分 / not scored yet"]
    evidence = candidate.evidence
    problems = [f"{r['zh']} / {r['en']}" for r in evidence.get("reasons", []) if "总分" not in r["zh"]]
    minimum = candidate.round.model_document.get("min_total")
    final = candidate.score + candidate.adjustment
    if minimum is not None and final < Decimal(str(minimum)):
        problems.append(f"调整后总分{final}，低于入库最低分{minimum} / final score {final} below {minimum}")
    return problems


def candidate_decide(
    *, actor: Any, candidate: LeaderCandidate, admit: bool, reason: str = ""
) -> LeaderCandidate:
    """Admit (only when the bars and minimum are met after adjustment) or reject (with a reason)."""
    _require_admin(actor)
    if not candidate.round.is_open:
        raise ValidationError({"decision": "批次已发布 / the round is published"})
    if admit:
        problems = admission_problems(candidate)
        if problems:
            raise ValidationError({"decision": "不能入库：" + "；".join(problems)})
    elif not reason.strip():
        raise ValidationError({"decision_reason": "不予入库须说明理由 / a rejection needs a reason"})
    candidate.decision = LeaderCandidate.Decision.ADMITTED if admit else LeaderCandidate.Decision.REJECTED
    candidate.decision_reason = reason.strip()
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    with transaction.atomic():
        _attribute(candidate, actor, candidate.decision)
        candidate.save()
    return candidate


def round_publish(*, actor: Any, round: LeaderRound, on: dt.date | None = None) -> list[LeaderMember]:
    """Publish the admitted list: each admitted candidate becomes a member carrying this round."""
    _require_admin(actor)
    if not round.is_open:
        raise ValidationError({"round": "该批次已发布 / already published"})
    candidates = list(round.candidates.select_related("enterprise"))
    pending = [c.enterprise.name for c in candidates if c.decision == LeaderCandidate.Decision.PENDING]
    if pending:
        raise ValidationError(
            {"round": "尚有候选未决定：" + "、".join(pending[:5]) + " / undecided candidates"}
        )
    on = on or timezone.localdate()
    admitted = [c for c in candidates if c.decision == LeaderCandidate.Decision.ADMITTED]
    already = set(
        LeaderMember.objects.filter(
            enterprise__in=[c.enterprise for c in admitted], exited_on__isnull=True
        ).values_list("enterprise__name", flat=True)
    )
    if already:
        raise ValidationError({"round": "已在库中：" + "、".join(sorted(already)) + " / already members"})
    created = []
    with transaction.atomic():
        for candidate in admitted:
            member = LeaderMember(
                enterprise=candidate.enterprise, admission_round=round, candidate=candidate, admitted_on=on
            )
            member.full_clean()
            _attribute(member, actor, "admitted")
            member.save()
            created.append(member)
        round.status = LeaderRound.Status.PUBLISHED
        round.published_on = on
        _attribute(round, actor, "published")
        round.save()
        indicators_stale()  # the library's size is a goal
    return created


# ---------------------------------------------------------------------------- annual review and exit


def review_run(*, actor: Any, data_year: int, today: dt.date | None = None) -> LeaderReview:
    """Score every active member on ``data_year``'s figures; those below the bars are flagged.

    Members keep the facts they declared at admission (the latest candidacy) unless updated; a
    flag is a proposal, the exit is decided separately (``flag_resolve``).
    """
    _require_admin(actor)
    today = today or timezone.localdate()
    document = selectors.plan_section("innovation_leader_library")
    model = selectors.scoring_model(document)
    active = list(LeaderMember.objects.filter(exited_on__isnull=True).select_related("candidate"))
    declared = {m.enterprise_id: (m.candidate.declared if m.candidate else {}) for m in active}
    facts = enterprise_facts([m.enterprise_id for m in active], data_year, declared, today)
    with transaction.atomic():
        review = LeaderReview.objects.create(
            data_year=data_year,
            run_on=today,
            run_by=actor,
            members_reviewed=len(active),
            model_document=document,
        )
        for member in active:
            values, sources = facts[member.enterprise_id]
            card = scoring.score(values, model)
            if card.passes_bars:
                continue
            flag = ExitFlag(
                review=review,
                member=member,
                score=card.total,
                reasons=[{"zh": r.zh, "en": r.en} for r in card.reasons],
                evidence=card_to_json(card, values, sources),
            )
            _attribute(flag, actor)
            flag.save()
    return review


def flag_resolve(
    *, actor: Any, flag: ExitFlag, exit: bool, reason: str, on: dt.date | None = None
) -> ExitFlag:
    """Decide a flag: exit the member (recorded with date and reason) or retain it (with a reason)."""
    _require_admin(actor)
    if flag.resolution != ExitFlag.Resolution.PENDING:
        raise ValidationError({"resolution": "已处理 / already decided"})
    if not reason.strip():
        raise ValidationError({"resolution_reason": "须说明理由 / a reason is required"})
    with transaction.atomic():
        if exit:
            member_exit(actor=actor, member=flag.member, reason=reason, on=on)
        flag.resolution = ExitFlag.Resolution.EXIT if exit else ExitFlag.Resolution.RETAIN
        flag.resolution_reason = reason.strip()
        flag.decided_by = actor
        flag.decided_at = timezone.now()
        _attribute(flag, actor)
        flag.save()
    return flag


def member_exit(*, actor: Any, member: LeaderMember, reason: str, on: dt.date | None = None) -> LeaderMember:
    """Record an exit decision (出库): the member leaves the library from ``on``."""
    _require_admin(actor)
    if member.exited_on is not None:
        raise ValidationError({"exited_on": "已出库 / already exited"})
    member.exited_on = on or timezone.localdate()
    member.exit_reason = reason.strip()
    member.exit_decided_by = actor
    with transaction.atomic():
        member.full_clean()
        _attribute(member, actor, "exit")
        member.save()
        indicators_stale()  # the library's size is a goal
    return member


def library_application_find(*, round: LeaderRound, enterprise: Enterprise) -> LeaderCandidate | None:
    """The candidacy an import row names (key: round + enterprise)."""
    return LeaderCandidate.objects.filter(round=round, enterprise=enterprise).first()


def library_application_import_row(
    *,
    actor: Any,
    round: LeaderRound,
    credit_code: str,
    declared: dict[str, Any] | None = None,
    statement: str | None = None,
) -> tuple[LeaderCandidate, bool]:
    """Idempotent import of one application/proposal: an existing candidacy gets its declared facts
    (and statement) updated; a new one is added under the same role rules as the form. ``declared``
    and ``statement`` left as None keep what is stored. Returns (candidate, created)."""
    enterprise = _enterprise_by_code(actor, credit_code)
    existing = library_application_find(round=round, enterprise=enterprise)
    if existing is not None:
        cleaned = existing.declared if declared is None else clean_declared(declared)
        text = None if statement is None or statement == existing.statement else statement
        if cleaned != existing.declared or text is not None:
            candidate_declared_update(actor=actor, candidate=existing, declared=cleaned, statement=text)
        return existing, False
    return candidate_add(
        actor=actor, round=round, enterprise=enterprise, declared=declared, statement=statement or ""
    ), True
