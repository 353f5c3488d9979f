"""Importable dataset of historical tape-out support applications (历史流片支持申请, 二、8).

One row per historical application: its original number (原申请编号, the natural key), the firm (by
credit code), the program of the current plan, the tape-out facts, up to three cost lines with their
invoices, the submission date and how it ended (still in review, approved, rejected, disbursed) with
the decision date and reason, the award decided at the time and the payment.

Every row goes through ``services.application_import``, which walks it through the live workflow on the
historical dates — duplicate claims, eligibility, caps, budget and the ledger are checked exactly as for
a live application, and every step is logged with the importing user. The preview tries each row through
it in a savepoint that is always rolled back, so a row the workflow would refuse is an error naming the
row before anything is written; rows of one file that claim the same tape-out or invoice are caught too.

An imported application is history: importing its number again changes nothing, and a row that differs
from what was imported is an error (revert the earlier batch and import the corrected file instead).
Reverting a batch removes its applications with their costs, steps and ledger entries
(``services.imported_applications_remove``), and is refused once any of them was acted on since.
City admin only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.enterprises.datasets import CREDIT_CODE, NAME, FirmLookup, _credit_code_issues
from semicluster.enterprises.models import Enterprise
from semicluster.intake import codes
from semicluster.intake.adapters import Action, Change, Dataset, FieldChange, display
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.support import duplicates, services
from semicluster.support.models import Application, FoundryLocation, Mask, Status, Substrate, WaferSize
from semicluster.support.programs import current_programs

COST_LINES = 3
_INCHES = {150: 6, 200: 8, 300: 12}
# The end states a historical application is imported in (services.application_import).
IMPORTED_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.REJECTED, Status.DISBURSED)
DECIDED = (Status.APPROVED, Status.REJECTED, Status.DISBURSED)
# msgid "rejected" is shared with the cultivation app, whose catalogue wins in the merged translation
# ("未入库"); the template and the parser name it as the support pages mean it.
_STATUS_NAMES = {Status.REJECTED.value: "不予支持"}
# Tape-out facts: column key = Application field (services.APPLICATION_FIELDS).
FACTS = services.APPLICATION_FIELDS
_BOOLEAN_FACTS = ("local_fab", "is_sensor", "first_tapeout")


def _cost_columns(n: int) -> tuple[ColumnSpec, ...]:
    first = n == 1
    return (
        ColumnSpec(
            f"cost{n}_item",
            f"费用{n}类别",
            f"Cost {n} item",
            Kind.CODE,
            aliases=("费用类别", "费用项目", "费用名称") if first else (f"费用{n}项目",),
            required=first,
            code_list="cost_items",
            help_zh="掩膜版制作费 / 工程批晶圆加工费 / 多项目晶圆流片费 / 其他费用" if first else "",
        ),
        ColumnSpec(
            f"cost{n}_amount",
            f"费用{n}金额",
            f"Cost {n} amount",
            Kind.MONEY,
            aliases=("费用金额", "申报费用", "发票金额") if first else (f"费用{n}发票金额",),
            required=first,
            min_value=Decimal(0),
            help_zh="含税发票金额，默认单位万元" if first else "",
        ),
        ColumnSpec(
            f"cost{n}_invoice_code",
            f"费用{n}发票代码",
            f"Cost {n} invoice code",
            aliases=("发票代码",) if first else (),
            max_length=20,
            help_zh="全电发票留空" if first else "",
        ),
        ColumnSpec(
            f"cost{n}_invoice_number",
            f"费用{n}发票号码",
            f"Cost {n} invoice number",
            aliases=("发票号码", "发票号") if first else (f"费用{n}发票号",),
            required=first,
            max_length=30,
        ),
    )


def _application_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    for n in range(1, COST_LINES + 1):
        line = {
            part: values.get(f"cost{n}_{part}")
            for part in ("item", "amount", "invoice_code", "invoice_number")
        }
        if n > 1 and all(v is None for v in line.values()):
            continue
        for part, zh in (("item", "类别"), ("amount", "金额"), ("invoice_number", "发票号码")):
            if n > 1 and line[part] is None:
                yield f"cost{n}_{part}", msg(f"费用{n}缺少{zh}", f"cost {n} has no {part.replace('_', ' ')}")
        amount = line["amount"]
        if isinstance(amount, Decimal) and amount == 0:
            yield f"cost{n}_amount", msg("费用金额应大于 0", "a cost must be positive")
    status = values.get("status")
    submitted, decided, paid = values.get("submitted_on"), values.get("decided_on"), values.get("paid_on")
    today = timezone.localdate()
    if isinstance(submitted, dt.date) and submitted > today:
        yield "submitted_on", msg("申请日期不能晚于今天", "the application date cannot be in the future")
    if status in DECIDED and decided is None:
        yield "decided_on", msg("已决定的申请须填写决定日期", "a decided application needs its decision date")
    if isinstance(submitted, dt.date) and isinstance(decided, dt.date) and decided < submitted:
        yield "decided_on", msg("决定日期早于申请日期", "the decision precedes the application")
    if isinstance(paid, dt.date) and isinstance(decided, dt.date) and paid < decided:
        yield "paid_on", msg("拨付日期早于决定日期", "the payment precedes the decision")
    if status is not None and status != Status.DISBURSED:
        for key in ("paid_on", "payment_ref"):
            if values.get(key) is not None:
                yield (
                    key,
                    msg("只有已拨付的申请填写拨付日期和凭证", "only a disbursed application has a payment"),
                )
    if (
        status is not None
        and status not in (Status.APPROVED, Status.DISBURSED)
        and values.get("award") is not None
    ):
        yield (
            "award",
            msg("只有已批准或已拨付的申请填写核定金额", "only an approved application has an award"),
        )


APPLICATION_SPEC = DatasetSpec(
    key="support_history",
    title_zh="历史流片支持申请",
    title_en="Historical tape-out support applications",
    columns=(
        ColumnSpec(
            "source_ref",
            "原申请编号",
            "Original number",
            aliases=("申请编号", "申报编号", "原编号", "受理编号", "历史申请编号"),
            required=True,
            max_length=120,
            help_zh="原台账中的申请编号，系统按它识别已导入的申请",
        ),
        ColumnSpec(
            CREDIT_CODE.key,
            CREDIT_CODE.label_zh,
            CREDIT_CODE.label_en,
            CREDIT_CODE.kind,
            aliases=CREDIT_CODE.aliases,
            required=True,
            max_length=CREDIT_CODE.max_length,
            help_zh="申请企业的18位统一社会信用代码",
        ),
        NAME,
        ColumnSpec(
            "program",
            "支持项目",
            "Program",
            Kind.CODE,
            aliases=("申报项目", "支持类别", "专项类别", "政策项目", "支持方向"),
            required=True,
            code_list="support_programs",
            help_zh="当前规划的流片支持项目",
        ),
        ColumnSpec(
            "product",
            "产品名称",
            "Product",
            aliases=("流片产品", "芯片名称", "产品型号", "流片产品名称"),
            required=True,
            max_length=120,
        ),
        ColumnSpec(
            "product_field",
            "重点领域",
            "Priority field",
            Kind.CODE,
            aliases=("所属重点领域", "产品所属领域"),
            code_list="priority_fields",
            help_zh="产品属于支持项目的重点领域时填写",
        ),
        ColumnSpec(
            "foundry",
            "代工厂",
            "Foundry",
            aliases=("流片厂", "晶圆代工厂", "流片代工厂", "代工厂名称"),
            required=True,
            max_length=120,
        ),
        ColumnSpec(
            "foundry_location",
            "代工厂所在地",
            "Foundry location",
            Kind.CODE,
            aliases=("代工厂境内外", "境内外", "代工厂位置"),
            required=True,
            code_list="foundry_locations",
            help_zh="境内 / 境外",
        ),
        ColumnSpec(
            "local_fab",
            "是否在昆山晶圆厂流片",
            "Done at a Kunshan fab",
            Kind.BOOL,
            aliases=("昆山本地流片", "本地流片", "在昆山流片"),
        ),
        ColumnSpec(
            "process_node_nm",
            "工艺节点（nm）",
            "Process node (nm)",
            Kind.DECIMAL,
            aliases=("工艺节点", "工艺制程", "制程（nm）", "工艺节点（纳米）"),
            required=True,
            min_value=Decimal("0.01"),
            max_value=Decimal(100_000),
        ),
        ColumnSpec(
            "wafer_size_mm",
            "晶圆尺寸",
            "Wafer size",
            Kind.CODE,
            aliases=("晶圆尺寸（mm）", "晶圆规格", "晶圆尺寸（英寸）"),
            required=True,
            code_list="wafer_sizes",
            help_zh="150 / 200 / 300（毫米），或 6英寸（150mm）等",
        ),
        ColumnSpec(
            "wafer_count",
            "晶圆片数",
            "Wafer count",
            Kind.INT,
            aliases=("流片片数", "片数", "晶圆数量"),
            required=True,
            min_value=Decimal(1),
        ),
        ColumnSpec(
            "tapeout_date",
            "流片日期",
            "Tape-out date",
            Kind.DATE,
            aliases=("流片时间", "投片日期", "流片完成日期"),
            required=True,
        ),
        ColumnSpec(
            "mask",
            "流片方式",
            "MPW or full mask",
            Kind.CODE,
            aliases=("掩膜类型", "流片类型", "MPW或全掩膜"),
            required=True,
            code_list="mask_kinds",
            help_zh="多项目晶圆（MPW） / 全掩膜",
        ),
        ColumnSpec(
            "substrate",
            "衬底类型",
            "Substrate",
            Kind.CODE,
            aliases=("衬底", "衬底材料"),
            code_list="substrates",
        ),
        ColumnSpec(
            "is_sensor", "是否传感器产品", "Sensor product", Kind.BOOL, aliases=("传感器产品", "是否传感器")
        ),
        ColumnSpec(
            "first_tapeout",
            "是否首次流片",
            "First tape-out",
            Kind.BOOL,
            aliases=("首次流片", "是否首轮流片", "首轮流片"),
        ),
        *(column for n in range(1, COST_LINES + 1) for column in _cost_columns(n)),
        ColumnSpec(
            "contract_ref",
            "合同编号",
            "Contract reference",
            aliases=("合同号", "流片合同编号"),
            max_length=80,
            help_zh="流片合同编号，适用于本行各项费用",
        ),
        ColumnSpec(
            "submitted_on",
            "申请日期",
            "Applied on",
            Kind.DATE,
            aliases=("申报日期", "提交日期", "申请时间"),
            required=True,
        ),
        ColumnSpec(
            "status",
            "办理结果",
            "Outcome",
            Kind.CODE,
            aliases=("办理状态", "审批结果", "状态", "办理情况"),
            required=True,
            code_list="historical_statuses",
            help_zh="已提交，待区域初审（仍在审核） / 已批准 / 不予支持 / 已拨付",
        ),
        ColumnSpec(
            "decided_on",
            "决定日期",
            "Decided on",
            Kind.DATE,
            aliases=("审批日期", "批准日期", "核定日期"),
            help_zh="已批准、不予支持、已拨付的必填",
        ),
        ColumnSpec(
            "decision_reason", "决定理由", "Decision reason", aliases=("审批意见", "决定意见", "核定说明")
        ),
        ColumnSpec(
            "award",
            "核定金额",
            "Award",
            Kind.MONEY,
            aliases=("核定奖励", "奖励金额", "支持金额", "核定支持金额", "批准金额"),
            min_value=Decimal(0),
            help_zh="当时核定的金额；留空按现行规则计算，与计算结果不同时按“一事一议”记录",
        ),
        ColumnSpec("paid_on", "拨付日期", "Paid on", Kind.DATE, aliases=("拨付时间", "兑现日期", "付款日期")),
        ColumnSpec(
            "payment_ref",
            "拨付凭证",
            "Payment voucher",
            aliases=("拨付凭证号", "付款凭证", "凭证号"),
            max_length=80,
        ),
    ),
    natural_key=("source_ref",),
    row_validator=_application_issues,
    instructions_zh=(
        "每份历史申请一行，按“原申请编号”识别：再次导入同一编号不会重复登记；已导入的申请不能通过导入修改，"
        "如需更正请撤销原导入批次后重新导入。",
        f"每行最多 {COST_LINES} 项费用（类别、金额、发票代码、发票号码）；同一发票不能在两份申请中使用。",
        "系统按申请日期、决定日期、拨付日期依次办理：重复申报、申报条件、上限、预算和预算台账与在线申请一样检查。",
        "金额默认单位万元（可在表头或标题写“单位：元/万元/亿元”）。",
    ),
)

_COLUMNS = {
    **{fact: fact for fact in FACTS},
    "program_code": "program",
    "costs": "cost1_item",
    "enterprise": "credit_code",
    "status": "status",
    "amount": "award",
    "reason": "decision_reason",
    "paid_on": "paid_on",
}
_CODE_COLUMNS = {"nothing_to_award": "award", "over_budget": "award", "duplicate_claim": "product"}


def _statuses() -> list[tuple[str, str]]:
    return [
        (code, _STATUS_NAMES.get(code, label))
        for code, label in codes.choices(Status)
        if code in IMPORTED_STATUSES
    ]


def _wafer_sizes() -> list[tuple[str, str]]:
    return [(str(size), f"{_INCHES.get(size, '?')}英寸（{size}mm）") for size in WaferSize.values]


class HistoryAdapter(ServiceRowsAdapter):
    model = Application
    # A revert compares it: an application acted on since its import (a later step, an override) is
    # not removed by reverting the batch.
    create_field = "updated_at"
    spec = APPLICATION_SPEC
    field_columns = _COLUMNS
    named_user_reason_zh = "各办理步骤记录导入人"

    @classmethod
    def code_lists(cls) -> CodeLists:
        _version, programs = current_programs()
        fields: dict[str, str] = {}
        items: dict[str, str] = {}
        for program in programs.values():
            fields.update({f.code: f.name for f in program.priority_fields})
            items.update({i.code: i.name for i in program.eligible_cost_items})
        items.setdefault(services.OTHER_COST, "其他费用")
        return {
            "support_programs": [(p.code, p.name) for p in programs.values()],
            "priority_fields": list(fields.items()),
            "cost_items": list(items.items()),
            "foundry_locations": codes.choices(FoundryLocation),
            "mask_kinds": codes.choices(Mask),
            "substrates": codes.choices(Substrate),
            "wafer_sizes": _wafer_sizes(),
            "historical_statuses": _statuses(),
        }

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self, fields=[f.attname for f in Enterprise._meta.concrete_fields])
        self.firms.load(rows)
        self.existing = services.imported_applications(
            source_refs=[str(r.values["source_ref"]) for r in rows if r.values.get("source_ref")]
        )
        _version, programs = current_programs()
        self.program_names = {p.code: p.name for p in programs.values()}
        self.status_names = dict(_statuses())
        self.claims: list[duplicates.Claim] = []  # the rows of this file that will be created

    def _money(self, row: ParsedRow, key: str) -> Decimal | None:
        value = row.values.get(key)
        if value is None:
            return None
        assert isinstance(value, Decimal)
        return self.cents(row, key, value)

    def _historical(self, row: ParsedRow, firm: Enterprise) -> services.HistoricalApplication:
        v: dict[str, Any] = row.values
        facts: dict[str, Any] = {k: v[k] for k in FACTS if v.get(k) is not None}
        facts["wafer_size_mm"] = int(facts["wafer_size_mm"])
        for key in _BOOLEAN_FACTS:
            facts.setdefault(key, False)
        costs = []
        for n in range(1, COST_LINES + 1):
            if v.get(f"cost{n}_item") is None:
                continue
            costs.append(
                {
                    "item": str(v[f"cost{n}_item"]),
                    "amount": self._money(row, f"cost{n}_amount"),
                    "invoice_code": str(v.get(f"cost{n}_invoice_code") or ""),
                    "invoice_number": str(v[f"cost{n}_invoice_number"]),
                    "contract_ref": str(v.get("contract_ref") or ""),
                }
            )
        return services.HistoricalApplication(
            enterprise=firm,
            program_code=str(v["program"]),
            facts=facts,
            costs=tuple(costs),
            submitted_on=v["submitted_on"],
            status=str(v["status"]),
            decided_on=v.get("decided_on"),
            decision_reason=str(v.get("decision_reason") or ""),
            award=self._money(row, "award"),
            paid_on=v.get("paid_on"),
            payment_ref=str(v.get("payment_ref") or ""),
            source_ref=str(v["source_ref"]).strip(),
        )

    def plan_row(self, row: ParsedRow) -> Change | None:
        if not self.named_user(row):
            return None
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        historical = self._historical(row, firm)
        ref = historical.source_ref
        program = self.program_names.get(historical.program_code, historical.program_code)
        label = f"{ref} · {firm.name} · {program} · {historical.facts['product']}"
        scope: dict[str, Any] = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        existing = self.existing.get(ref)
        if existing is not None:
            differs = self._difference(existing, historical)
            if differs is not None:
                key, old, new = differs
                self.error(
                    row,
                    msg(
                        f"原申请编号「{ref}」已导入为申请 {existing}，本行与之不同"
                        f"（{display(old)} → {display(new)}）；已导入的历史申请不能通过导入修改，"
                        "如需更正请撤销原导入批次后重新导入",
                        f"'{ref}' was imported as {existing} and this row differs; "
                        "revert that batch to correct it",
                    ),
                    self.header(row, key),
                )
                return None
            return Change(row, Action.UNCHANGED, label, (ref,), instance=existing, **scope)
        if not self._unique_in_file(row, historical):
            return None
        diffs = [
            FieldChange("program_code", "支持项目", None, historical.program_code, None, program),
            FieldChange("product", "产品名称", None, historical.facts["product"]),
            FieldChange(
                "status", "办理结果", None, historical.status, None, self.status_names.get(historical.status)
            ),
        ]
        if historical.award is not None:
            diffs.append(FieldChange("award_amount", "核定金额", None, historical.award))
        change = Change(
            row, Action.CREATE, label, (ref,), values={"historical": historical}, diffs=diffs, **scope
        )
        return change if self.attempt(row, lambda: self._import(historical)) else None

    def _difference(
        self, existing: Application, row: services.HistoricalApplication
    ) -> tuple[str, object, object] | None:
        """The first column where the row differs from the imported application: (key, old, new)."""
        if existing.enterprise_id != row.enterprise.pk:
            return "credit_code", existing.enterprise.credit_code, row.enterprise.credit_code
        if existing.program_code != row.program_code:
            return "program", existing.program_code, row.program_code
        for key, value in row.facts.items():
            if getattr(existing, key) != value:
                return key, getattr(existing, key), value
        if existing.applied_on != row.submitted_on:
            return "submitted_on", existing.applied_on, row.submitted_on
        if existing.status != row.status:
            return "status", existing.status, row.status
        if row.award is not None and existing.award_amount != row.award:
            return "award", existing.award_amount, row.award
        stored = sorted((c.item, c.amount, c.invoice_ref) for c in existing.costs.all())
        given = sorted(
            (c["item"], c["amount"], f"{c['invoice_code']} {c['invoice_number']}".strip()) for c in row.costs
        )
        if stored != given:
            return (
                "cost1_amount",
                "；".join(f"{i} {a}" for i, a, _r in stored),
                "；".join(f"{i} {a}" for i, a, _r in given),
            )
        return None

    def _unique_in_file(self, row: ParsedRow, historical: services.HistoricalApplication) -> bool:
        """Two rows of one file claiming the same tape-out or invoice: the later is refused (the service
        would refuse it only at commit, its dry run not seeing the other row)."""
        claim = duplicates.Claim(
            claim_id=f"{row.sheet}!{row.row_number}",
            firm_id=historical.enterprise.credit_code,
            foundry=str(historical.facts["foundry"]),
            product=str(historical.facts["product"]),
            tapeout_date=historical.facts["tapeout_date"],
            invoice_numbers=tuple(
                f"{c['invoice_code']} {c['invoice_number']}".strip() for c in historical.costs
            ),
            submitted_at=historical.submitted_on,
            label=f"本文件第{row.row_number}行",
        )
        conflict = duplicates.find_conflict(claim, self.claims)
        if conflict is not None:
            key = (
                "product" if conflict.kind is duplicates.ConflictKind.SAME_TAPEOUT else "cost1_invoice_number"
            )
            self.error(row, conflict.message, self.header(row, key))
            return False
        self.claims.append(claim)
        return True

    def _import(self, historical: services.HistoricalApplication) -> Application:
        """Walk the row through the workflow (the dry run in the preview, for real at commit)."""
        return services.application_import(actor=self.ctx.user, row=historical)

    def refusal_column(self, row: ParsedRow, exc: ValidationError) -> str | None:
        """A field error names its column; a duplicate claim or a coded refusal the column it concerns."""
        if hasattr(exc, "message_dict"):
            return super().refusal_column(row, exc)
        if (
            isinstance(exc, services.DuplicateClaim)
            and exc.conflict.kind is duplicates.ConflictKind.SAME_INVOICE
        ):
            return self.header(row, "cost1_invoice_number")
        key = _CODE_COLUMNS.get(str(getattr(exc, "code", "")))
        return self.header(row, key) if key else None

    def save(self, change: Change) -> models.Model:
        historical: services.HistoricalApplication = change.values["historical"]  # type: ignore[assignment]
        return self.save_through(change, lambda: self._import(historical))

    def delete_blockers(self, instances: Sequence[models.Model]) -> list[str]:
        from semicluster.support.models import Attachment

        found = Attachment.objects.filter(application__in=list(instances)).select_related("application")
        return [f"{a.application}：附件 {a.name}" for a in found[:5]]

    def delete(self, instances: Sequence[models.Model]) -> None:
        services.imported_applications_remove(
            actor=self.ctx.user,
            applications=[i for i in instances if isinstance(i, Application)],
            reason=self.ctx.reason,
        )


DATASETS = [
    Dataset(
        APPLICATION_SPEC,
        HistoryAdapter,
        roles=(Role.CITY_ADMIN,),
        order=80,
        description_zh="历史流片支持申请：按原申请编号导入，按历史日期走完申请、决定与拨付，检查重复申报与预算",
        description_en="Historical tape-out support applications, walked through the workflow on their dates",
        needs_user=True,
    )
]
