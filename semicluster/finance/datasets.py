"""Importable datasets of finance support (金融支撑, 三、2): financing needs and the listing pipeline.

Financing needs (融资需求): one row per need — the firm (by credit code), the instrument, the amount, the
purpose, the date it was raised, and optionally how matching went (status, provider, amount funded,
outcome, closing date). A need is identified by firm + instrument + date (``services.need_pick``), so a
corrected amount updates the need instead of filing a second one. Enterprise users import their own
firm's needs but not the matching columns, exactly as on the form.

Listing pipeline (上市梯队): one row per firm and target board with the stage, the sponsor and the date
each stage was reached. Officers and the city admin keep it.

Every row is written through ``services.need_import_row`` / ``services.listing_import_row`` (which
check roles, scope and the model's rules and record who acted). The preview tries each row through the
same service in a savepoint that is always rolled back, so a row the service would refuse is an error
naming the row before anything is written. Blank cells leave stored values alone.
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
from semicluster.finance import services
from semicluster.finance.models import FinancingNeed, ListingRecord
from semicluster.intake import codes
from semicluster.intake.adapters import Action, Change, Dataset, FieldChange
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.service_rows import ServiceRowsAdapter
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue

FIRM = ColumnSpec(
    CREDIT_CODE.key,
    CREDIT_CODE.label_zh,
    CREDIT_CODE.label_en,
    CREDIT_CODE.kind,
    aliases=CREDIT_CODE.aliases,
    required=True,
    max_length=CREDIT_CODE.max_length,
    help_zh="企业的18位统一社会信用代码，系统按它识别企业",
)


class ServiceAdapter(ServiceRowsAdapter):
    """What both finance adapters share besides rows through the service (``intake.service_rows``): code
    fields shown by name."""

    def texts(self, diffs: list[FieldChange], lists: Mapping[str, Mapping[str, str]]) -> list[FieldChange]:
        """Diffs of code fields show the Chinese names, not the codes."""
        out = []
        for d in diffs:
            names = lists.get(d.field)
            if names is None:
                out.append(d)
                continue
            old = names.get(str(d.old)) if d.old not in (None, "") else None
            new = names.get(str(d.new)) if d.new not in (None, "") else None
            out.append(FieldChange(d.field, d.label, d.old, d.new, old, new))
        return out


# --- financing needs ---------------------------------------------------------------------------------

NEED_COLUMNS = {
    "amount": "amount",
    "instrument": "instrument",
    "purpose": "purpose",
    "submitted_on": "submitted_on",
    "status": "status",
    "provider": "provider",
    "funded_amount": "funded_amount",
    "outcome": "outcome",
    "closed_on": "closed_on",
    "enterprise": "credit_code",
}
# What a need row may set besides its key; blank cells leave stored values alone.
_NEED_FIELDS = ("amount", "purpose", "status", "provider", "funded_amount", "outcome", "closed_on")
_OUTCOME_FIELDS = ("status", "provider", "funded_amount", "outcome", "closed_on")


def _need_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    amount = values.get("amount")
    if isinstance(amount, Decimal) and amount <= 0:
        yield "amount", msg("融资需求金额应大于 0", "the amount needed must be positive")
    submitted, closed = values.get("submitted_on"), values.get("closed_on")
    if isinstance(submitted, dt.date) and isinstance(closed, dt.date) and closed < submitted:
        yield "closed_on", msg("办结日期早于提出日期", "the need cannot close before it was raised")
    if isinstance(submitted, dt.date) and submitted > timezone.localdate():
        yield "submitted_on", msg("提出日期不能晚于今天", "the date raised cannot be in the future")


NEED_SPEC = DatasetSpec(
    key="financing_needs",
    title_zh="企业融资需求",
    title_en="Financing needs",
    columns=(
        FIRM,
        NAME,
        ColumnSpec(
            "instrument",
            "融资方式",
            "Instrument",
            Kind.CODE,
            aliases=("融资类型", "融资品种", "融资工具", "需求类型", "融资需求类型"),
            required=True,
            code_list="financing_instruments",
            help_zh="信用贷款 / 担保 / 融资租赁 / 股权融资",
        ),
        ColumnSpec(
            "amount",
            "融资需求金额",
            "Amount needed",
            Kind.MONEY,
            aliases=("需求金额", "融资金额", "拟融资金额", "融资需求", "融资额度"),
            required=True,
            min_value=Decimal(0),
            help_zh="默认单位万元（可在表头写“元/万元/亿元”）",
        ),
        ColumnSpec(
            "purpose",
            "融资用途",
            "Purpose",
            aliases=("资金用途", "用途", "融资需求说明", "需求说明"),
            required=True,
            max_length=300,
        ),
        ColumnSpec(
            "submitted_on",
            "提出日期",
            "Date raised",
            Kind.DATE,
            aliases=("需求日期", "提交日期", "登记日期", "填报日期", "申请日期", "需求提出日期"),
            required=True,
            help_zh="企业提出需求的日期，如 2025-03-01；同一企业同日同一融资方式的需求视为同一条",
        ),
        ColumnSpec(
            "status",
            "对接状态",
            "Status",
            Kind.CODE,
            aliases=("状态", "办理状态", "对接进展", "进展情况"),
            code_list="financing_statuses",
            help_zh="已提交 / 对接中 / 已对接 / 已放款 / 未获融资 / 已撤回；企业用户请留空",
        ),
        ColumnSpec(
            "provider",
            "对接机构",
            "Matched provider",
            aliases=("金融机构", "对接银行", "合作机构", "资金方", "对接金融机构"),
            max_length=200,
            help_zh="已对接、已放款的需求必填",
        ),
        ColumnSpec(
            "funded_amount",
            "已放款金额",
            "Amount funded",
            Kind.MONEY,
            aliases=("放款金额", "到位金额", "获得融资金额", "实际融资金额", "融资到位金额"),
            min_value=Decimal(0),
            help_zh="已放款的需求必填，默认单位万元",
        ),
        ColumnSpec(
            "outcome",
            "对接结果",
            "Outcome",
            aliases=("结果说明", "办理结果", "情况说明", "未获融资原因"),
            help_zh="未获融资、已撤回的需求必填",
        ),
        ColumnSpec(
            "closed_on",
            "办结日期",
            "Closed on",
            Kind.DATE,
            aliases=("完成日期", "结束日期", "办结时间"),
            help_zh="已放款、未获融资、已撤回时填写；留空时按导入当天记",
        ),
    ),
    natural_key=("credit_code", "instrument", "submitted_on"),
    row_validator=_need_issues,
    instructions_zh=(
        "每条融资需求一行：企业 + 融资方式 + 提出日期 + 融资需求金额 + 融资用途。",
        "同一企业同日同一融资方式的需求视为同一条：再次导入时更新它（包括更正金额），不会重复登记。",
        "对接状态、对接机构、已放款金额、对接结果、办结日期由区域经办人或市领导小组办公室填写；企业用户只填需求本身。",
        "金额默认单位万元（可在表头或标题写“单位：元/万元/亿元”）；空白单元格保持系统中的原值。",
    ),
)


class NeedAdapter(ServiceAdapter):
    model = FinancingNeed
    # What a revert checks of a created record: a need an officer has taken up since (its status moved)
    # is not deleted by reverting the batch that created it.
    create_field = "status"
    spec = NEED_SPEC
    field_columns = NEED_COLUMNS

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {
            "financing_instruments": codes.choices(FinancingNeed.Instrument),
            "financing_statuses": codes.choices(FinancingNeed.Status),
        }

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        ids = sorted({f.pk for f in self.firms.by_code.values()})
        self.existing: dict[tuple[object, ...], list[FinancingNeed]] = {}
        for need in FinancingNeed.objects.filter(enterprise_id__in=ids).order_by("pk"):
            key = (need.enterprise_id, need.instrument, need.submitted_on)
            self.existing.setdefault(key, []).append(need)
        self.labels = {f.attname: str(f.verbose_name) for f in FinancingNeed._meta.concrete_fields}
        self.labels.update({c.key: c.label_zh for c in NEED_SPEC.columns if c.key in self.labels})
        self.names = {
            "instrument": dict(codes.choices(FinancingNeed.Instrument)),
            "status": dict(codes.choices(FinancingNeed.Status)),
        }
        self.today = timezone.localdate()

    def plan_row(self, row: ParsedRow) -> Change | None:
        if not self.named_user(row):
            return None
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        v: dict[str, Any] = row.values
        instrument, submitted_on = str(v["instrument"]), v["submitted_on"]
        values: dict[str, Any] = {k: v[k] for k in _NEED_FIELDS if v.get(k) is not None}
        for key in ("amount", "funded_amount"):
            if key in values:
                values[key] = self.cents(row, key, values[key])
        try:
            existing = services.need_pick(
                self.existing.get((firm.pk, instrument, submitted_on), []), values["amount"]
            )
        except ValidationError as exc:
            self.refuse(row, exc)
            return None
        if existing is None:
            if values.get("status") == FinancingNeed.Status.SUBMITTED:
                del values["status"]  # the default, so not an outcome (enterprise users may send it)
        else:
            values = {k: val for k, val in values.items() if getattr(existing, k) != val}
        status = values.get("status", existing.status if existing else FinancingNeed.Status.SUBMITTED)
        closed = values.get("closed_on", existing.closed_on if existing else None)
        if status in FinancingNeed.CLOSED and closed is None:
            values["closed_on"] = self.today  # what the service would stamp: shown, and undone on revert
        if getattr(self.ctx.user, "role", None) == Role.ENTERPRISE_USER:
            outcome = [k for k in _OUTCOME_FIELDS if k in values and v.get(k) is not None]
            if outcome:
                self.error(
                    row,
                    msg(
                        "企业用户只填报融资需求本身，对接状态、对接机构、放款金额和对接结果由经办人填写",
                        "enterprise users file the need itself; matching and outcome are for officers",
                    ),
                    self.header(row, outcome[0]),
                )
                return None
        identity: tuple[object, ...] = (
            (firm.pk, instrument, submitted_on) if existing is None else ("need", existing.pk)
        )
        instrument_name = self.names["instrument"].get(instrument, instrument)
        label = f"{firm.name} · {instrument_name} {submitted_on:%Y-%m-%d}"
        scope: dict[str, Any] = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        if existing is not None and not values:
            return Change(row, Action.UNCHANGED, label, identity, instance=existing, **scope)
        arguments = {"instrument": instrument, "submitted_on": submitted_on, **values}
        if existing is not None:
            arguments.setdefault("amount", existing.amount)
            changed, diffs = self.diff(existing, values, self.labels)
            change = Change(
                row,
                Action.UPDATE,
                label,
                identity,
                instance=existing,
                values=changed,
                diffs=self.texts(diffs, self.names),
                **scope,
            )
        else:
            created = {"instrument": instrument, "submitted_on": submitted_on, **values}
            diffs = [FieldChange(k, self.labels.get(k, k), None, val) for k, val in created.items()]
            change = Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={"enterprise": firm, **created},
                diffs=self.texts(diffs, self.names),
                **scope,
            )
        return self.checked(change, lambda: self._call(firm, arguments))

    def _call(self, firm: Any, arguments: Mapping[str, Any]) -> FinancingNeed:
        need, _created = services.need_import_row(
            actor=self.ctx.user, credit_code=firm.credit_code, **arguments
        )
        return need

    def save(self, change: Change) -> models.Model:
        arguments: dict[str, Any] = dict(change.values)
        if change.instance is None:
            firm = arguments.pop("enterprise")
        else:
            need: FinancingNeed = change.instance
            firm = need.enterprise
            key = {"instrument": need.instrument, "submitted_on": need.submitted_on, "amount": need.amount}
            arguments = key | arguments
        return self.save_through(change, lambda: self._call(firm, arguments))


# --- listing pipeline --------------------------------------------------------------------------------

LISTING_COLUMNS = {
    "enterprise": "credit_code",
    "board": "board",
    "stage": "stage",
    "sponsor": "sponsor",
    "tutoring_on": "tutoring_on",
    "filed_on": "filed_on",
    "accepted_on": "accepted_on",
    "approved_on": "approved_on",
    "listed_on": "listed_on",
    "stock_code": "stock_code",
    "note": "note",
}
_LISTING_FIELDS = (
    "stage",
    "sponsor",
    "tutoring_on",
    "filed_on",
    "accepted_on",
    "approved_on",
    "listed_on",
    "stock_code",
    "note",
)
_STAGE_DATES = ("tutoring_on", "filed_on", "accepted_on", "approved_on", "listed_on")


def _listing_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    previous: tuple[str, dt.date] | None = None
    for key in _STAGE_DATES:
        day = values.get(key)
        if not isinstance(day, dt.date):
            continue
        if day > timezone.localdate():
            yield key, msg("日期不能晚于今天", "the date cannot be in the future")
        if previous is not None and day < previous[1]:
            yield key, msg("各阶段日期不能倒序", "stage dates must not go backwards")
        previous = (key, day)
    if values.get("stage") == ListingRecord.Stage.LISTED and not values.get("stock_code"):
        yield "stock_code", msg("已上市的企业须填写股票代码", "a listed firm needs its stock code")


LISTING_SPEC = DatasetSpec(
    key="listing_pipeline",
    title_zh="企业上市梯队",
    title_en="Listing pipeline",
    columns=(
        FIRM,
        NAME,
        ColumnSpec(
            "board",
            "拟上市板块",
            "Board",
            Kind.CODE,
            aliases=("上市板块", "目标板块", "申报板块", "拟上市地"),
            required=True,
            code_list="listing_boards",
            help_zh="主板 / 创业板 / 科创板 / 北交所",
        ),
        ColumnSpec(
            "stage",
            "上市进程",
            "Stage",
            Kind.CODE,
            aliases=("所处阶段", "上市阶段", "当前阶段", "阶段", "进展阶段"),
            required=True,
            code_list="listing_stages",
            help_zh="辅导备案 / 申报 / 受理 / 审核通过/注册 / 上市；当前阶段的日期必填",
        ),
        ColumnSpec(
            "sponsor",
            "保荐机构",
            "Sponsor",
            aliases=("保荐人", "保荐券商", "券商", "主办券商", "辅导机构"),
            max_length=200,
        ),
        ColumnSpec(
            "tutoring_on",
            "辅导备案日期",
            "Tutoring registered",
            Kind.DATE,
            aliases=("辅导备案时间", "辅导日期", "备案日期", "辅导备案"),
        ),
        ColumnSpec("filed_on", "申报日期", "Filed", Kind.DATE, aliases=("申报时间", "递表日期", "报送日期")),
        ColumnSpec("accepted_on", "受理日期", "Accepted", Kind.DATE, aliases=("受理时间", "获受理日期")),
        ColumnSpec(
            "approved_on",
            "审核通过/注册日期",
            "Approved / registered",
            Kind.DATE,
            aliases=("审核通过日期", "注册日期", "过会日期", "注册生效日期"),
        ),
        ColumnSpec("listed_on", "上市日期", "Listed", Kind.DATE, aliases=("上市时间", "挂牌日期")),
        ColumnSpec(
            "stock_code",
            "股票代码",
            "Stock code",
            Kind.CODE,
            aliases=("证券代码",),
            max_length=16,
            help_zh="已上市的必填",
        ),
        ColumnSpec("note", "备注", "Note", aliases=("说明", "进展说明")),
    ),
    natural_key=("credit_code", "board"),
    row_validator=_listing_issues,
    instructions_zh=(
        "每家企业每个拟上市板块一行：企业 + 拟上市板块 + 上市进程，以及已到达各阶段的日期。",
        "当前阶段的日期必填，尚未到达的阶段不填日期，各阶段日期不能倒序；已上市的须填股票代码。",
        "再次导入同一企业同一板块时更新原记录（如推进到下一阶段）；空白单元格保持系统中的原值。",
    ),
)


class ListingAdapter(ServiceAdapter):
    model = ListingRecord
    # What a revert checks of a created record: one moved to another stage since is not deleted by
    # reverting the batch that created it.
    create_field = "stage"
    spec = LISTING_SPEC
    field_columns = LISTING_COLUMNS

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {
            "listing_boards": codes.choices(ListingRecord.Board),
            "listing_stages": codes.choices(ListingRecord.Stage),
        }

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        ids = sorted({f.pk for f in self.firms.by_code.values()})
        self.existing = {
            (r.enterprise_id, r.board): r for r in ListingRecord.objects.filter(enterprise_id__in=ids)
        }
        self.labels = {f.attname: str(f.verbose_name) for f in ListingRecord._meta.concrete_fields}
        self.labels.update({c.key: c.label_zh for c in LISTING_SPEC.columns if c.key in self.labels})
        self.names = {
            "board": dict(codes.choices(ListingRecord.Board)),
            "stage": dict(codes.choices(ListingRecord.Stage)),
        }

    def plan_row(self, row: ParsedRow) -> Change | None:
        if not self.named_user(row):
            return None
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        v: dict[str, Any] = row.values
        board = str(v["board"])
        values: dict[str, Any] = {k: v[k] for k in _LISTING_FIELDS if v.get(k) is not None}
        label = f"{firm.name} · {self.names['board'].get(board, board)}"
        scope: dict[str, Any] = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        existing = self.existing.get((firm.pk, board))
        identity = (firm.pk, board)
        if existing is None:
            created = {"board": board, **values}
            diffs = [FieldChange(k, self.labels.get(k, k), None, val) for k, val in created.items()]
            change = Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={"enterprise": firm, **created},
                diffs=self.texts(diffs, self.names),
                **scope,
            )
        else:
            changed, diffs = self.diff(existing, values, self.labels)
            if not changed:
                return Change(row, Action.UNCHANGED, label, identity, instance=existing, **scope)
            change = Change(
                row,
                Action.UPDATE,
                label,
                identity,
                instance=existing,
                values=changed,
                diffs=self.texts(diffs, self.names),
                **scope,
            )
        return self.checked(change, lambda: self._call(firm, board, values))

    def _call(self, firm: Any, board: str, values: Mapping[str, Any]) -> ListingRecord:
        record, _created = services.listing_import_row(
            actor=self.ctx.user, credit_code=firm.credit_code, board=board, **values
        )
        return record

    def save(self, change: Change) -> models.Model:
        values: dict[str, Any] = dict(change.values)
        if change.instance is None:
            firm, board = values.pop("enterprise"), values.pop("board")
        else:
            record: ListingRecord = change.instance
            firm, board = record.enterprise, record.board
        return self.save_through(change, lambda: self._call(firm, board, values))


DATASETS = [
    Dataset(
        NEED_SPEC,
        NeedAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=70,
        description_zh="企业融资需求：融资方式、金额、用途，以及对接机构、放款与结果",
        description_en="Financing needs: instrument, amount, purpose, and the matching and its outcome",
        needs_user=True,
    ),
    Dataset(
        LISTING_SPEC,
        ListingAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER),
        order=72,
        description_zh="企业上市梯队：拟上市板块、上市进程、保荐机构与各阶段日期",
        description_en="Listing pipeline: target board, stage, sponsor and the date of each stage",
        needs_user=True,
    ),
]
