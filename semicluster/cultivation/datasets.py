"""Importable dataset of innovation-leader library applications (创新领航企业库申报, 二、5).

One row per firm and evaluation round: the firm (by credit code), the round (blank: the one open
round), the facts the firm declares (invention patents, R&D staff, own-brand revenue, local customers
and suppliers) and its statement. An enterprise user's row is an application for their own firm; a
district officer's or the city admin's is a proposal (推荐) — the same role rules as the form, because
every row goes through ``services.library_application_import_row``. A candidacy is identified by round
+ firm: re-importing the same rows changes nothing, a changed fact updates the declared facts while the
round is open and the candidate undecided. Blank cells leave stored facts alone.

The preview tries each row through the service in a savepoint that is always rolled back, so a row the
service would refuse (a closed round, a firm already in the library, a decided candidate) is an error
naming the row before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import models

from semicluster.accounts.models import Role
from semicluster.cultivation import services
from semicluster.cultivation.models import LeaderCandidate, LeaderRound
from semicluster.enterprises.datasets import CREDIT_CODE, NAME, FirmLookup, _credit_code_issues
from semicluster.intake import codes
from semicluster.intake.adapters import Action, Change, Dataset, FieldChange
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue

# The declared facts (services.DECLARED_FACTS) in the order of the template.
FACTS = ("invention_patents", "rd_staff", "own_brand_revenue", "local_customers", "local_suppliers")


def _application_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)


def _count(key: str, label: str, en: str, aliases: tuple[str, ...], help_zh: str = "") -> ColumnSpec:
    return ColumnSpec(
        key,
        label,
        en,
        Kind.INT,
        aliases=aliases,
        min_value=Decimal(0),
        max_value=Decimal(10**9),
        help_zh=help_zh,
    )


APPLICATION_SPEC = DatasetSpec(
    key="leader_applications",
    title_zh="创新领航企业库申报",
    title_en="Innovation-leader library applications",
    columns=(
        ColumnSpec(
            "round",
            "评审批次",
            "Evaluation round",
            Kind.CODE,
            aliases=("批次", "申报批次", "评审轮次", "入库批次"),
            code_list="leader_rounds",
            help_zh="正在受理申报的评审批次；只有一个批次在受理时可留空",
        ),
        ColumnSpec(
            CREDIT_CODE.key,
            CREDIT_CODE.label_zh,
            CREDIT_CODE.label_en,
            CREDIT_CODE.kind,
            aliases=CREDIT_CODE.aliases,
            required=True,
            max_length=CREDIT_CODE.max_length,
            help_zh="申报或被推荐企业的18位统一社会信用代码",
        ),
        NAME,
        _count(
            "invention_patents",
            "有效发明专利数",
            "Invention patents in force",
            ("有效发明专利", "发明专利数", "发明专利", "有效发明专利数量"),
            "截至申报时有效的发明专利件数",
        ),
        _count("rd_staff", "研发人员数", "R&D staff", ("研发人员", "研发人数", "研发人员数量")),
        ColumnSpec(
            "own_brand_revenue",
            "自主品牌产品收入",
            "Own-brand revenue",
            Kind.MONEY,
            aliases=("自主品牌收入", "自有品牌收入", "自主品牌产品销售收入", "自主品牌营业收入"),
            min_value=Decimal(0),
            help_zh="评审数据年度的自主品牌产品收入，默认单位万元",
        ),
        _count(
            "local_customers", "本地客户数", "Local customers", ("本地客户", "昆山本地客户数", "本地客户数量")
        ),
        _count(
            "local_suppliers",
            "本地供应商数",
            "Local suppliers",
            ("本地供应商", "昆山本地供应商数", "本地供应商数量"),
        ),
        ColumnSpec(
            "statement",
            "申报说明",
            "Statement",
            aliases=("推荐理由", "申报理由", "企业简介", "申报材料说明"),
            help_zh="企业申报或部门推荐的简要说明",
        ),
    ),
    natural_key=("round", "credit_code"),
    row_validator=_application_issues,
    instructions_zh=(
        "每家企业一行：评审批次 + 统一社会信用代码 + 申报指标。",
        "企业用户为本企业申报，区域经办人推荐本区域企业，市领导小组办公室可推荐任何企业。",
        "同一批次同一企业视为同一申报：再次导入时更新申报指标（批次未发布、尚未决定时），不会重复申报。",
        "营业收入、研发投入、利润等从企业经济指标读取，这里只填企业自报的指标。",
        "金额默认单位万元；空白单元格保持系统中的原值。",
    ),
)

_COLUMNS = {
    "round": "round",
    "enterprise": "credit_code",
    "credit_code": "credit_code",
    "statement": "statement",
    **{fact: fact for fact in FACTS},
}


def _same(stored: object, new: Decimal | int) -> bool:
    try:
        return stored is not None and Decimal(str(stored)) == Decimal(new)
    except ArithmeticError:
        return False


def declared_text(declared: Mapping[str, Any] | None) -> str:
    """'有效发明专利数 40；研发人员数 250' for the preview."""
    parts = []
    for key in FACTS:
        if declared and declared.get(key) not in (None, ""):
            parts.append(f"{services.DECLARED_FACTS[key].zh} {declared[key]}")
    return "；".join(parts) or "—"


class ApplicationAdapter(ServiceRowsAdapter):
    model = LeaderCandidate
    # What a revert checks of a created record: a candidate decided since is not withdrawn by reverting
    # the batch that created it.
    create_field = "decision"
    spec = APPLICATION_SPEC
    field_columns = _COLUMNS
    named_user_reason_zh = "以便记录申报人或推荐人"

    @classmethod
    def code_lists(cls) -> CodeLists:
        rounds = LeaderRound.objects.filter(status=LeaderRound.Status.OPEN).order_by("-created_at")
        return {"leader_rounds": [(r.name, r.name) for r in rounds]}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        self.rounds = {r.name: r for r in LeaderRound.objects.filter(status=LeaderRound.Status.OPEN)}
        ids = sorted({f.pk for f in self.firms.by_code.values()})
        self.existing = {
            (c.round_id, c.enterprise_id): c
            for c in LeaderCandidate.objects.filter(
                round__in=list(self.rounds.values()), enterprise_id__in=ids
            )
        }
        self.labels = {c.key: c.label_zh for c in APPLICATION_SPEC.columns}
        self.origins = dict(codes.choices(LeaderCandidate.Origin))

    def _round(self, row: ParsedRow) -> LeaderRound | None:
        name = row.values.get("round")
        if name is not None:
            return self.rounds[str(name)]
        if len(self.rounds) == 1:
            return next(iter(self.rounds.values()))
        self.error(
            row,
            msg(
                "没有正在受理申报的评审批次" if not self.rounds else "有多个评审批次正在受理，请填写评审批次",
                "no evaluation round is open"
                if not self.rounds
                else "several rounds are open; name the round",
            ),
            self.header(row, "round"),
        )
        return None

    def _facts(self, row: ParsedRow) -> dict[str, Decimal | int]:
        facts: dict[str, Decimal | int] = {}
        for key in FACTS:
            value = row.values.get(key)
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = self.cents(row, key, value)
            facts[key] = value  # type: ignore[assignment]
        return facts

    def plan_row(self, row: ParsedRow) -> Change | None:
        if not self.named_user(row):
            return None
        round = self._round(row)
        firm = self.firms.resolve(row) if round is not None else None
        if round is None or firm is None:
            return None
        facts = self._facts(row)
        statement = row.values.get("statement")
        identity = (round.pk, firm.pk)
        label = f"{firm.name} · {round.name}"
        scope: dict[str, Any] = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        existing = self.existing.get(identity)
        if existing is None:
            declared = {k: str(v) for k, v in facts.items()}
            text = str(statement or "")
            origin = (
                LeaderCandidate.Origin.APPLICATION
                if getattr(self.ctx.user, "role", None) == Role.ENTERPRISE_USER
                else LeaderCandidate.Origin.PROPOSAL
            )
            diffs = [
                FieldChange("origin", "申报方式", None, origin, None, self.origins.get(origin)),
                FieldChange("declared", "申报指标", None, declared, None, declared_text(declared)),
            ]
            if text:
                diffs.append(FieldChange("statement", self.labels["statement"], None, text))
            change = Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={"round": round, "enterprise": firm, "declared": declared, "statement": text},
                diffs=diffs,
                **scope,
            )
            arguments: dict[str, Any] = {"declared": declared, "statement": text}
        else:
            merged = dict(existing.declared)
            merged.update({k: str(v) for k, v in facts.items() if not _same(existing.declared.get(k), v)})
            changed: dict[str, Any] = {}
            diffs = []
            if merged != existing.declared:
                changed["declared"] = merged
                diffs.append(
                    FieldChange(
                        "declared",
                        "申报指标",
                        existing.declared,
                        merged,
                        declared_text(existing.declared),
                        declared_text(merged),
                    )
                )
            if statement is not None and str(statement) != existing.statement:
                changed["statement"] = str(statement)
                diffs.append(
                    FieldChange("statement", self.labels["statement"], existing.statement, statement)
                )
            if not changed:
                return Change(row, Action.UNCHANGED, label, identity, instance=existing, **scope)
            change = Change(
                row, Action.UPDATE, label, identity, instance=existing, values=changed, diffs=diffs, **scope
            )
            arguments = {"declared": merged, "statement": changed.get("statement")}
        return self.checked(change, lambda: self._call(round, firm, arguments))

    def _call(self, round: LeaderRound, firm: Any, arguments: Mapping[str, Any]) -> LeaderCandidate:
        candidate, _created = services.library_application_import_row(
            actor=self.ctx.user, round=round, credit_code=firm.credit_code, **arguments
        )
        return candidate

    def save(self, change: Change) -> models.Model:
        values: dict[str, Any] = dict(change.values)
        if change.instance is None:
            round, firm = values.pop("round"), values.pop("enterprise")
        else:
            candidate: LeaderCandidate = change.instance
            round, firm = candidate.round, candidate.enterprise
            values.setdefault("declared", candidate.declared)
        return self.save_through(change, lambda: self._call(round, firm, values))


DATASETS = [
    Dataset(
        APPLICATION_SPEC,
        ApplicationAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=35,
        description_zh="创新领航企业库申报：企业申报或区域推荐，附企业自报的专利、研发人员、自主品牌收入等指标",
        description_en="Innovation-leader library: applications and proposals with the declared facts",
        needs_user=True,
    )
]
