"""Importable dataset of the supply-chain survey (上游供应链摸排, 二、7): one row per supplier link.

A row says: enterprise F (by credit code) buys input item I of a category from supplier S at a location
level, for a share of its purchases of I. The natural key is (enterprise, survey year, category, item,
supplier name); re-importing the same rows changes nothing. Blank optional cells leave stored values as
they are. Answers are written one by one through ``services.answer_save`` (a survey is a few thousand
rows at most), so the service's checks (scope, country rules, no floats) apply to imports too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

from semicluster.accounts.models import Role
from semicluster.enterprises.datasets import CREDIT_CODE, NAME, FirmLookup, _credit_code_issues
from semicluster.intake import codes
from semicluster.intake.adapters import Action, Adapter, Change, Dataset, FieldChange
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.spec import CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.supply import services
from semicluster.supply.links import DOMESTIC_COUNTRY
from semicluster.supply.models import AnswerSource, Category, Level, SupplyAnswer

_CENT = Decimal("0.01")
_SHARE_PLACES = Decimal("0.0001")
# The optional answer fields a row may set (model attnames); blank cells leave them alone.
_FIELDS = ("level", "country", "share", "purchase_value", "has_alternative", "lead_time_days", "note")


def _supplier_name(raw: object) -> str:
    return " ".join(str(raw or "").split())


def _survey_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    level, country = values.get("level"), values.get("country")
    if level == Level.ABROAD:
        if country is None:
            yield (
                "country",
                msg(
                    "境外供应商须填写国家（地区）代码（两位字母，如 JP、US）",
                    "a supplier abroad needs its two-letter country code",
                ),
            )
        elif len(str(country)) != 2 or country == DOMESTIC_COUNTRY:
            yield (
                "country",
                msg(
                    f"国家（地区）代码「{country}」应为两位字母的境外代码（如 JP、US）",
                    f"country '{country}' must be a two-letter code of a country abroad",
                ),
            )
    elif level is not None and country not in (None, DOMESTIC_COUNTRY):
        yield "country", msg("境内供应商的国家应留空或填 CN", "a domestic supplier's country is blank or CN")
    share = values.get("share")
    if isinstance(share, Decimal) and not Decimal(0) <= share <= Decimal(1):
        yield "share", msg("采购占比应在 0% 到 100% 之间", "the share of purchases must be 0–100%")
    value = values.get("purchase_value")
    if isinstance(value, Decimal) and value < 0:
        yield "purchase_value", msg("采购金额不能为负数", "the purchase value cannot be negative")
    days = values.get("lead_time_days")
    if isinstance(days, int) and days < 0:
        yield "lead_time_days", msg("交货周期不能为负数", "the lead time cannot be negative")


SURVEY_SPEC = DatasetSpec(
    key="supply_survey",
    title_zh="上游供应链摸排",
    title_en="Supply-chain survey",
    columns=(
        ColumnSpec(
            CREDIT_CODE.key,
            CREDIT_CODE.label_zh,
            CREDIT_CODE.label_en,
            CREDIT_CODE.kind,
            aliases=CREDIT_CODE.aliases,
            required=True,
            max_length=CREDIT_CODE.max_length,
            help_zh="填报企业的18位统一社会信用代码",
        ),
        NAME,
        ColumnSpec(
            "year",
            "调查年度",
            "Survey year",
            Kind.INT,
            aliases=("年度", "摸排年度"),
            required=True,
            min_value=Decimal(2000),
            max_value=Decimal(2100),
            help_zh="如 2025",
        ),
        ColumnSpec(
            "category",
            "投入品类别",
            "Input category",
            Kind.CODE,
            aliases=("类别", "采购类别"),
            required=True,
            code_list="supply_categories",
            help_zh="材料 / 设备 / EDA/IP / 零部件 / 服务",
        ),
        ColumnSpec(
            "item",
            "投入品名称",
            "Input item",
            aliases=("投入品", "关键投入品", "物料名称", "品名"),
            required=True,
            max_length=120,
        ),
        ColumnSpec(
            "supplier",
            "供应商名称",
            "Supplier name",
            aliases=("供应商", "供货商"),
            required=True,
            max_length=200,
            help_zh="同一供应商请每次写同一名称，系统按名称识别供应商",
        ),
        ColumnSpec(
            "level",
            "供应商所在地",
            "Supplier location",
            Kind.CODE,
            aliases=("所在地", "供应商区域", "供应商所在地区"),
            required=True,
            code_list="supply_levels",
            help_zh="昆山 / 苏州其他地区 / 江苏其他地区 / 国内其他地区 / 境外",
        ),
        ColumnSpec(
            "country",
            "国家（地区）代码",
            "Country",
            Kind.CODE,
            aliases=("国家", "国别", "国家代码"),
            max_length=2,
            help_zh="境外供应商必填两位字母代码（如 JP、US、DE）；境内留空",
        ),
        ColumnSpec(
            "share",
            "采购占比",
            "Share of purchases",
            Kind.PERCENT,
            aliases=("占比", "采购份额"),
            help_zh="该投入品采购额中来自此供应商的比例，如 35%",
        ),
        ColumnSpec(
            "purchase_value",
            "年采购金额",
            "Purchase value",
            Kind.MONEY,
            aliases=("采购金额", "采购额"),
        ),
        ColumnSpec(
            "has_alternative",
            "有合格替代供应商",
            "Qualified alternative",
            Kind.BOOL,
            aliases=("有无替代", "可替代", "替代供应商"),
            help_zh="是 / 否",
        ),
        ColumnSpec(
            "lead_time_days",
            "交货周期（天）",
            "Lead time (days)",
            Kind.INT,
            aliases=("交货周期", "交期", "交期（天）"),
            min_value=Decimal(0),
        ),
        ColumnSpec("note", "备注", "Note", aliases=("说明",), max_length=300),
    ),
    natural_key=("credit_code", "year", "category", "item", "supplier"),
    row_validator=_survey_issues,
    instructions_zh=(
        "每行一条供应关系：企业 + 投入品 + 供应商。同一投入品有多个供应商时写多行。",
        "境外供应商须填写国家（地区）代码；采购金额单位写在表头（默认万元）。",
    ),
)


class SurveyAnswerAdapter(Adapter):
    model = SupplyAnswer
    create_field = "item"

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {"supply_categories": codes.choices(Category), "supply_levels": codes.choices(Level)}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        ids = sorted({f.pk for f in self.firms.by_code.values()})
        self.existing: dict[tuple[object, ...], SupplyAnswer] = {
            (a.enterprise_id, a.year, a.category, a.item, a.supplier.name): a
            for a in SupplyAnswer.objects.filter(enterprise_id__in=ids).select_related("supplier")
        }
        self.labels = {f.attname: str(f.verbose_name) for f in SupplyAnswer._meta.concrete_fields}
        self.category_labels = dict(codes.choices(Category))

    def plan_row(self, row: ParsedRow) -> Change | None:
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        v: dict[str, Any] = row.values
        year, category = int(v["year"]), str(v["category"])
        item, supplier = str(v["item"]).strip(), _supplier_name(v["supplier"])
        values: dict[str, object] = {k: v[k] for k in _FIELDS if v.get(k) is not None}
        if v["level"] != Level.ABROAD and "country" not in values:
            values["country"] = ""  # a domestic supplier has no country code
        if "share" in values:
            values["share"] = Decimal(str(values["share"])).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP)
        if "purchase_value" in values:
            money = Decimal(str(values["purchase_value"]))
            values["purchase_value"] = money.quantize(_CENT, rounding=ROUND_HALF_UP)
            if values["purchase_value"] != money:
                self.warn(
                    row,
                    msg(
                        f"金额精确到分，按 {values['purchase_value']} 元保存",
                        f"stored to the cent: {values['purchase_value']}",
                    ),
                    "年采购金额",
                )
        identity = (firm.pk, year, category, item, supplier)
        label = f"{firm.name} · {year} {self.category_labels.get(category, category)} {item} ← {supplier}"
        scope: dict[str, Any] = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        existing = self.existing.get(identity)
        if existing is None:
            return Change(
                row,
                Action.CREATE,
                label,
                identity,
                values={"enterprise": firm, "supplier": supplier, "year": year, "category": category}
                | {"item": item, **values},
                diffs=[FieldChange("item", "投入品名称", None, item)],
                **scope,
            )
        changed, diffs = self.diff(existing, values, self.labels)
        return Change(
            row,
            Action.UPDATE if changed else Action.UNCHANGED,
            label,
            identity,
            instance=existing,
            values=changed,
            diffs=diffs,
            **scope,
        )

    def save(self, change: Change) -> models.Model:
        values: dict[str, Any] = dict(change.values)
        if change.instance is None:
            firm, supplier = values.pop("enterprise"), values.pop("supplier")
        else:
            firm, supplier = change.instance.enterprise, change.instance.supplier.name
        ref = str(self.ctx.batch_id or "")
        if self.ctx.user is None:  # the command line without --user: city-wide, no per-user check
            answer = change.instance or SupplyAnswer(enterprise=firm)
            answer.supplier = services.supplier_resolve(actor=None, name=supplier)
            for name, value in values.items():
                setattr(answer, name, value)
            answer.source, answer.source_ref = AnswerSource.IMPORT, ref
            answer.full_clean()
            answer._change_reason = self.ctx.reason  # type: ignore[union-attr]
            answer.save()
            return answer
        return services.answer_save(
            actor=self.ctx.user,
            enterprise=firm,
            supplier_name=supplier,
            data=values,
            instance=change.instance,
            source=AnswerSource.IMPORT,
            source_ref=ref,
        )


DATASETS = [
    Dataset(
        SURVEY_SPEC,
        SurveyAnswerAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=60,
        description_zh="上游供应链摸排：企业关键投入品的供应商、所在地、采购占比与替代情况",
        description_en="Supply-chain survey: suppliers of key inputs, their location, share and alternatives",
    )
]
