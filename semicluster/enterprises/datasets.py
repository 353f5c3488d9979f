"""Importable datasets of the enterprise library (SPEC §3.13): enterprises, period data, designations.

Each is a pure column declaration (:class:`DatasetSpec`: names, aliases seen in real workbooks, kinds,
code lists, a row validator) and an adapter saying how a row becomes a record. The intake app discovers
``DATASETS`` here; nothing else needs to know these datasets exist.

Blank cells leave stored values as they are (blank is "not reported", not "clear it"). Enterprises and
designations are written one by one through ``services`` (they are a few hundred rows); period data is
written in bulk (100,000 rows in one import) with the same rules as ``services.period_value_record``:
an annual figure is single-period, values are exact Decimals, every value points to its batch
(``source="import"``, ``source_ref=<batch id>``) and history rows are written in bulk too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.core.bulk import insert_history
from semicluster.enterprises import credit_code, services
from semicluster.enterprises.models import (
    HEADCOUNT_MEASURES,
    Basis,
    Designation,
    Enterprise,
    Level,
    ListingBoard,
    Measure,
    Ownership,
    PeriodType,
    PeriodValue,
    Source,
)
from semicluster.intake import codes
from semicluster.intake.adapters import (
    Action,
    Adapter,
    Change,
    Dataset,
    FieldChange,
    NamedRecord,
    NameMatcher,
    suggestion_text,
)
from semicluster.intake.cells import fold
from semicluster.intake.problems import msg
from semicluster.intake.rows import ParsedRow
from semicluster.intake.spec import MONEY_UNITS, CodeLists, ColumnSpec, DatasetSpec, Kind, RowIssue
from semicluster.plans.models import Area, ChainNode, DesignationType, Town

CHUNK = 2000  # ids per IN (…) query and objects per bulk statement

# --- columns shared by the three datasets ------------------------------------------------------------

CREDIT_CODE = ColumnSpec(
    "credit_code",
    "统一社会信用代码",
    "Credit code",
    Kind.CODE,
    aliases=("信用代码", "社会信用代码", "统一代码", "企业信用代码", "纳税人识别号"),
    max_length=18,
    help_zh="18位统一社会信用代码，系统按它识别企业",
)
NAME = ColumnSpec(
    "name",
    "企业名称",
    "Enterprise name",
    aliases=("单位名称", "企业", "单位详细名称", "公司名称"),
    max_length=200,
    help_zh="与登记名称不一致时只提示，不会修改企业名称",
)


def _credit_code_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    code = values.get("credit_code")
    if code is None:
        return
    result = credit_code.validate(str(code))
    if result.error:
        yield "credit_code", result.error
    elif result.warning:
        yield "credit_code", result.warning, "warning"


# --- looking enterprises up by credit code, with name suggestions ------------------------------------


class FirmLookup:
    """Enterprises a file names, by credit code; name-only rows and unknown codes get suggestions."""

    def __init__(self, adapter: Adapter, *, fields: Sequence[str] = ("id", "credit_code", "name", "area_id")):
        self.adapter = adapter
        self.fields = fields
        self.by_code: dict[str, Any] = {}
        self._matcher: NameMatcher | None = None

    def load(self, rows: Iterable[ParsedRow]) -> None:
        wanted = sorted({str(r.values["credit_code"]) for r in rows if r.values.get("credit_code")})
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for firm in Enterprise.objects.filter(credit_code__in=chunk).only(*self.fields):
                self.by_code[firm.credit_code] = firm

    @property
    def matcher(self) -> NameMatcher:
        if self._matcher is None:  # names the user may see: suggestions never reveal another scope
            firms = visible_to(Enterprise.objects.all(), self.adapter.ctx.user).values_list(
                "id", "name", "credit_code"
            )
            self._matcher = NameMatcher(NamedRecord(pk, name, code) for pk, name, code in firms)
        return self._matcher

    def resolve(self, row: ParsedRow) -> Any:
        """The enterprise of the row, or None with the problem (and suggestions) added to the row."""
        code = row.values.get("credit_code")
        name = row.values.get("name")
        if code is None:
            found = self._suggest(row, str(name or ""), "name_only")
            hint = (
                msg(f"，可能是：{suggestion_text(found)}", f"; did you mean {found[0].key}?") if found else ""
            )
            self.adapter.error(
                row,
                msg(
                    f"缺少统一社会信用代码，系统不按名称自动匹配企业{hint.split(' / ')[0]}",
                    "the credit code is missing; enterprises are never matched by name alone"
                    + (hint.split(" / ")[1] if hint else ""),
                ),
                CREDIT_CODE.label_zh,
            )
            return None
        firm = self.by_code.get(str(code))
        if firm is None:
            found = self._suggest(row, str(name or ""), "unknown_code") if name else []
            hint = f"；名称相近的企业：{suggestion_text(found)}" if found else ""
            self.adapter.error(
                row,
                msg(
                    f"企业库中没有信用代码为 {code} 的企业（请先导入企业名录）{hint}",
                    f"no enterprise with credit code {code} in the library (import it first)",
                ),
                CREDIT_CODE.label_zh,
            )
            return None
        if name and fold(str(name)) != fold(firm.name):
            self.adapter.ctx.suggestions.append(
                _suggestion(
                    row, str(name), "name_differs", [NamedRecord(firm.pk, firm.name, firm.credit_code)]
                )
            )
            self.adapter.warn(
                row,
                msg(
                    f"企业名称「{name}」与信用代码对应的登记名称「{firm.name}」不一致，按信用代码导入，名称未修改",
                    f"name '{name}' differs from the registered name '{firm.name}'; imported by credit code",
                ),
                NAME.label_zh,
            )
        return firm

    def _suggest(self, row: ParsedRow, name: str, reason: str) -> list[NamedRecord]:
        if len(self.adapter.ctx.suggestions) > 2000:  # a file of thousands of bad rows: stop looking
            return []
        found = self.matcher.suggest(name)
        if found:
            self.adapter.ctx.suggestions.append(_suggestion(row, name, reason, found))
        return found


def _suggestion(row: ParsedRow, name: str, reason: str, found: Sequence[NamedRecord]) -> dict[str, Any]:
    return {
        "sheet": row.sheet,
        "row": row.row_number,
        "name": name,
        "reason": reason,
        "candidates": [{"id": r.pk, "name": r.name, "credit_code": r.key} for r in found],
    }


# --- enterprise period data --------------------------------------------------------------------------

PERIOD_TYPES = [
    (PeriodType.MONTH.value, "月度"),
    (PeriodType.QUARTER.value, "季度"),
    (PeriodType.YEAR.value, "年度"),
]
BASES = [(Basis.YTD.value, "累计"), (Basis.SINGLE.value, "当期")]
_CENT = Decimal("0.01")
_MAX_VALUE = Decimal(10) ** 18


def _period_issues(values: Mapping[str, object]) -> Iterator[RowIssue]:
    yield from _credit_code_issues(values)
    period, year, kind = values.get("period"), values.get("year"), values.get("period_type")
    if period is None and year is None:
        yield "period", msg("缺少统计期（或年度）", "the period (or year) is missing")
        return
    if isinstance(period, dt.date):
        if year is not None and year != period.year:
            yield (
                "year",
                msg(
                    f"年度 {year} 与统计期 {period:%Y-%m} 不一致",
                    f"year {year} contradicts period {period:%Y-%m}",
                ),
            )
        if kind == PeriodType.QUARTER and period.month % 3:
            yield (
                "period",
                msg(
                    f"季度数据的统计期应为季末月份（3、6、9、12月），而不是{period.month}月",
                    f"a quarterly figure needs a quarter-end month, not {period.month}",
                ),
            )
    elif kind in (PeriodType.MONTH, PeriodType.QUARTER):
        yield (
            "period",
            msg("月度、季度数据需要填写统计期（如 2025-06）", "monthly and quarterly figures need a period"),
        )


PERIOD_SPEC = DatasetSpec(
    key="period_values",
    title_zh="企业经济指标",
    title_en="Enterprise period data",
    columns=(
        CREDIT_CODE,
        NAME,
        ColumnSpec(
            "measure",
            "指标",
            "Measure",
            Kind.CODE,
            aliases=("指标名称", "统计指标", "指标项"),
            required=True,
            code_list="measures",
            help_zh="从下拉列表选择：营业收入、产值、利润、税收、从业人员等",
        ),
        ColumnSpec(
            "period",
            "统计期",
            "Period",
            Kind.MONTH,
            aliases=("月份", "报告期", "所属期", "统计月份", "期间", "所属月份"),
            period_from_title=True,
            help_zh="填 2025-06 或 2025年6月；年度数据可只填“年度”列",
        ),
        ColumnSpec(
            "year",
            "年度",
            "Year",
            Kind.INT,
            aliases=("年份", "统计年度"),
            min_value=Decimal(1990),
            max_value=Decimal(2100),
        ),
        ColumnSpec(
            "period_type",
            "期别",
            "Period type",
            Kind.CODE,
            aliases=("周期", "统计周期", "报告期别"),
            code_list="period_types",
            help_zh="月度 / 季度 / 年度；留空时有统计期按月度，只有年度按年度",
        ),
        ColumnSpec(
            "basis",
            "口径",
            "Basis",
            Kind.CODE,
            aliases=("统计口径", "累计口径", "数据口径"),
            code_list="bases",
            help_zh="累计（1–N月累计，默认）或 当期",
        ),
        ColumnSpec(
            "value",
            "数值",
            "Value",
            Kind.MONEY,
            aliases=("金额", "本期数", "指标值", "数据", "本期", "本期累计", "累计数"),
            required=True,
            help_zh="金额按表头单位填写数字；从业人员填人数",
        ),
    ),
    row_validator=_period_issues,
    instructions_zh=(
        "每行一个指标值：企业 + 指标 + 统计期 + 数值。月度数据默认为1–N月累计值，不要把累计值相加。",
        "金额单位可以是元、万元或亿元（写在表头或标题，如“单位：万元”）；从业人员按人数填写，不换算单位。",
    ),
)


class PeriodValueAdapter(Adapter):
    model = PeriodValue
    create_field = "value"

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {"measures": codes.choices(Measure), "period_types": PERIOD_TYPES, "bases": BASES}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self)
        self.firms.load(rows)
        self.measure_labels = dict(codes.choices(Measure))
        ids = sorted({f.pk for f in self.firms.by_code.values()})
        periods: list[Any] = [r.values.get("period") for r in rows]
        years = {r.values["year"] for r in rows if r.values.get("year")} | {
            p.year for p in periods if isinstance(p, dt.date)
        }
        self.existing: dict[tuple[object, ...], tuple[Any, ...]] = {}
        for start in range(0, len(ids), CHUNK):
            found = PeriodValue.objects.filter(enterprise_id__in=ids[start : start + CHUNK], year__in=years)
            for row in found.values_list(
                "enterprise_id",
                "measure",
                "year",
                "period_type",
                "period",
                "id",
                "value",
                "basis",
                "source",
                "source_ref",
            ):
                self.existing[row[:5]] = row[5:]

    def plan_row(self, row: ParsedRow) -> Change | None:
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        v: dict[str, Any] = row.values
        measure = str(v["measure"])
        period: Any = v.get("period")  # a date; the row validator made sure it is there when needed
        kind = str(v.get("period_type") or (PeriodType.MONTH if period else PeriodType.YEAR))
        year = int(v.get("year") or period.year)
        number = (
            0 if kind == PeriodType.YEAR else period.month if kind == PeriodType.MONTH else period.month // 3
        )
        basis = Basis.SINGLE if kind == PeriodType.YEAR else str(v.get("basis") or Basis.YTD)
        value = self._value(row, measure)
        if value is None:
            return None
        identity = (firm.pk, measure, year, kind, number)
        when = {PeriodType.YEAR: f"{year}年", PeriodType.QUARTER: f"{year}年第{number}季度"}.get(
            kind, f"{year}年{number}月"
        )  # type: ignore[call-overload]
        label = f"{firm.name} · {self.measure_labels.get(measure, measure)} {when}"
        values = {"value": value, "basis": basis}
        change = Change(
            row,
            Action.CREATE,
            label,
            identity,
            values=values,
            area_ids=frozenset({firm.area_id}),
            enterprise_id=firm.pk,
        )
        # Money is shown in yuan (inferred from the field); a head count in persons.
        unit = "人" if measure in HEADCOUNT_MEASURES else None
        existing = self.existing.get(identity)
        if existing is None:
            change.diffs = [FieldChange("value", "数值", None, value, unit=unit)]
            return change
        change.instance = existing
        if existing[1] == value and existing[2] == basis:
            change.action = Action.UNCHANGED
            return change
        change.action = Action.UPDATE
        change.diffs = [
            FieldChange(name, label_zh, old, new, unit=field_unit)
            for name, label_zh, old, new, field_unit in (
                ("value", "数值", existing[1], value, unit),
                ("basis", "口径", existing[2], basis, ""),
            )
            if old != new
        ]
        return change

    def _value(self, row: ParsedRow, measure: str) -> Decimal | None:
        value: Decimal = row.values["value"]  # type: ignore[assignment]
        if measure in HEADCOUNT_MEASURES:
            # The value column is money (scaled by the header's 万元); a head count is not.
            scale = MONEY_UNITS.get(self.column_unit(row, "value") or "元", Decimal(1))
            value = value / scale
            if value != value.to_integral_value() or value < 0:
                self.error(
                    row,
                    msg(
                        "从业人员应为非负整数（人数，不换算单位）",
                        "employees must be a whole number of persons",
                    ),
                    "数值",
                )
                return None
            return value.quantize(Decimal(1))
        if abs(value) >= _MAX_VALUE:
            self.error(
                row, msg("数值过大，请检查单位", "the value is implausibly large; check the unit"), "数值"
            )
            return None
        rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
        if rounded != value:
            self.warn(
                row,
                msg(f"金额精确到分，{value} 元按 {rounded} 元保存", f"stored to the cent: {rounded}"),
                "数值",
            )
        return rounded

    def write(self, changes: Sequence[Change]) -> None:
        """Bulk insert and update in chunks, history rows in bulk; model objects are dropped chunk by
        chunk (each change keeps only its ``object_id``) so 100,000 rows stay well inside memory."""
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None
        now = timezone.now()
        for start in range(0, len(changes), CHUNK):
            chunk = changes[start : start + CHUNK]
            creates: list[tuple[Change, PeriodValue]] = []
            updates: list[PeriodValue] = []
            for change in chunk:
                enterprise_id, measure, year, kind, number = cast(tuple[Any, ...], change.identity)
                values: dict[str, Any] = change.values
                obj = PeriodValue(
                    enterprise_id=enterprise_id,
                    measure=measure,
                    year=year,
                    period_type=kind,
                    period=number,
                    basis=values["basis"],
                    value=values["value"],
                    source=Source.IMPORT,
                    source_ref=self.ctx.source_ref,
                    updated_at=now,
                )
                if change.action is Action.UPDATE:
                    obj.pk = change.instance[0]
                    updates.append(obj)
                    change.object_id = obj.pk
                else:
                    creates.append((change, obj))
                change.instance = None
            if creates:
                objs = [obj for _change, obj in creates]
                PeriodValue.objects.bulk_create(objs)
                if any(obj.pk is None for obj in objs):  # a backend that returns no ids: look them up
                    _fetch_ids(objs)
                insert_history(PeriodValue, objs, "+", user=user, reason=self.ctx.reason, when=now)
                for change, obj in creates:
                    change.object_id = obj.pk
            if updates:
                _update_rows(updates, ["value", "basis", "source", "source_ref", "updated_at"])
                insert_history(PeriodValue, updates, "~", user=user, reason=self.ctx.reason, when=now)

    def after_commit(self, changes: Sequence[Change]) -> None:
        # Annual revenue decides an enterprise's tier; an import that touches it (or a revert) re-tiers.
        if not changes or any(
            c.identity[1] == Measure.REVENUE and c.identity[3] == PeriodType.YEAR for c in changes
        ):
            services.tiers_refresh()

    def delete_blockers(self, instances: Sequence[models.Model]) -> list[str]:
        return []  # a period value has no dependants

    def delete(self, instances: Sequence[models.Model]) -> None:
        insert_history(
            PeriodValue, instances, "-", user=self.ctx.user, reason=self.ctx.reason, when=timezone.now()
        )
        ids = [o.pk for o in instances]
        for start in range(0, len(ids), CHUNK):
            # A period value has no dependants, so a raw delete is safe; its history is written above.
            PeriodValue.objects.filter(pk__in=ids[start : start + CHUNK])._raw_delete(PeriodValue.objects.db)

    def restore(self, instances: Sequence[models.Model], fields: Iterable[str]) -> None:
        user = self.ctx.user if getattr(self.ctx.user, "pk", None) else None
        now = timezone.now()
        names = sorted({*fields, "updated_at"})
        for obj in instances:
            obj.updated_at = now  # type: ignore[attr-defined]
        for start in range(0, len(instances), CHUNK):
            chunk = list(instances[start : start + CHUNK])
            _update_rows(chunk, names)  # type: ignore[arg-type]
            insert_history(PeriodValue, chunk, "~", user=user, reason=self.ctx.reason, when=now)


def _update_rows(objs: Sequence[PeriodValue], names: Sequence[str]) -> None:
    """One prepared UPDATE per row, sent with executemany: linear, where bulk_update's CASE WHEN over a
    chunk is quadratic on SQLite."""
    fields: list[Any] = [PeriodValue._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # Identifiers come from the model's own metadata (quoted), values are parameters: nothing from the file.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(PeriodValue._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(cast(Any, PeriodValue._meta.pk).column),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _fetch_ids(objs: Sequence[PeriodValue]) -> None:
    keys = {(o.enterprise_id, o.measure, o.year, o.period_type, o.period): o for o in objs}
    found = PeriodValue.objects.filter(
        enterprise_id__in={o.enterprise_id for o in objs}, year__in={o.year for o in objs}
    )
    for row in found.values_list("enterprise_id", "measure", "year", "period_type", "period", "id"):
        obj = keys.get(row[:5])
        if obj is not None:
            obj.pk = row[5]


# --- enterprises -------------------------------------------------------------------------------------

ENTERPRISE_SPEC = DatasetSpec(
    key="enterprises",
    title_zh="企业名录",
    title_en="Enterprises",
    columns=(
        replace(CREDIT_CODE, required=True),
        replace(NAME, required=True, help_zh="企业登记名称"),
        ColumnSpec("name_en", "英文名称", "English name", aliases=("英文名",), max_length=200),
        ColumnSpec(
            "area",
            "所属板块",
            "Plan area",
            Kind.CODE,
            aliases=("所属区域", "片区", "板块", "区域"),
            code_list="areas",
        ),
        ColumnSpec(
            "town",
            "所在区镇",
            "Town",
            Kind.CODE,
            aliases=("区镇", "镇（区）", "所在镇", "所属区镇", "镇区"),
            required=True,
            code_list="towns",
            help_zh="企业实际所在区镇（不看信用代码第3–8位）",
        ),
        ColumnSpec(
            "primary_node",
            "产业链环节",
            "Chain node",
            Kind.CODE,
            aliases=("主要环节", "产业环节", "所属环节", "产业链"),
            required=True,
            code_list="chain_nodes",
        ),
        ColumnSpec(
            "industry_code",
            "行业代码",
            "Industry code",
            Kind.CODE,
            aliases=("国民经济行业代码", "国标行业代码"),
            max_length=8,
        ),
        ColumnSpec(
            "ownership",
            "企业性质",
            "Ownership",
            Kind.CODE,
            aliases=("经济类型", "所有制", "登记注册类型"),
            code_list="ownerships",
            help_zh="新企业必填",
        ),
        ColumnSpec(
            "listing_board",
            "上市板块",
            "Listing board",
            Kind.CODE,
            aliases=("上市情况", "上市地"),
            code_list="listing_boards",
        ),
        ColumnSpec("stock_code", "股票代码", "Stock code", Kind.CODE, aliases=("证券代码",), max_length=16),
        ColumnSpec(
            "group_name",
            "所属集团",
            "Enterprise group",
            aliases=("集团", "所属集团公司", "母公司", "控股集团"),
            max_length=200,
            help_zh="同一集团的企业请写同一名称（公开数据按集团合并保密）",
        ),
        ColumnSpec("is_idm", "是否IDM", "IDM", Kind.BOOL, aliases=("IDM",)),
        ColumnSpec("key_products", "主要产品", "Key products", aliases=("主营产品", "主导产品")),
        ColumnSpec("founded", "成立日期", "Founded", Kind.DATE, aliases=("注册日期", "成立时间")),
        ColumnSpec(
            "address", "地址", "Address", aliases=("注册地址", "经营地址", "企业地址"), max_length=300
        ),
    ),
    natural_key=("credit_code",),
    row_validator=_credit_code_issues,
    instructions_zh=("每家企业一行，按统一社会信用代码识别；已有企业只更新填写了的列，空白列保持原值。",),
)

_ENTERPRISE_FIELDS = {
    "name": "name",
    "name_en": "name_en",
    "industry_code": "industry_code",
    "ownership": "ownership",
    "listing_board": "listing_board",
    "stock_code": "stock_code",
    "group_name": "group_name",
    "is_idm": "is_idm",
    "key_products": "key_products",
    "founded": "founded",
    "address": "address",
}


class EnterpriseAdapter(Adapter):
    model = Enterprise
    create_field = "credit_code"

    @classmethod
    def code_lists(cls) -> CodeLists:
        boards = [(value, label) for value, label in codes.choices(ListingBoard) if value]
        return {
            "areas": codes.areas(),
            "towns": codes.towns(),
            "chain_nodes": codes.chain_nodes(),
            "ownerships": codes.choices(Ownership),
            "listing_boards": boards,
        }

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self, fields=[f.attname for f in Enterprise._meta.concrete_fields])
        self.firms.load(rows)
        self.towns = {t.code: t for t in Town.objects.all()}
        self.areas = {a.code: a for a in Area.objects.all()}
        self.area_by_id = {a.pk: a for a in self.areas.values()}
        self.nodes = {n.code: n for n in ChainNode.objects.all()}
        self.labels = {f.attname: str(f.verbose_name) for f in Enterprise._meta.concrete_fields}

    def plan_row(self, row: ParsedRow) -> Change | None:
        v = row.values
        code = str(v["credit_code"])
        town = self.towns[str(v["town"])]
        if v.get("area") and self.areas[str(v["area"])].pk != town.area_id:
            self.error(
                row,
                msg(
                    f"区镇「{town.name}」属于{self.area_by_id[town.area_id].name}，与所属板块「{self.areas[str(v['area'])].name}」不一致",
                    f"town {town.code} is not in plan area {v['area']}",
                ),
                "所属板块",
            )
            return None
        values: dict[str, object] = {
            k: v[key] for key, k in _ENTERPRISE_FIELDS.items() if v.get(key) is not None
        }
        values.update(
            area_id=town.area_id, town_id=town.pk, primary_node_id=self.nodes[str(v["primary_node"])].pk
        )
        existing = self.firms.by_code.get(code)
        name = str(v["name"])
        if existing is None:
            if not values.get("ownership"):
                self.error(
                    row, msg("新企业需要填写企业性质", "a new enterprise needs its ownership"), "企业性质"
                )
                return None
            similar = [r for r in self.firms.matcher.suggest(name) if r.key != code]
            if similar:
                self.ctx.suggestions.append(
                    {
                        "sheet": row.sheet,
                        "row": row.row_number,
                        "name": name,
                        "reason": "similar_exists",
                        "candidates": [{"id": r.pk, "name": r.name, "credit_code": r.key} for r in similar],
                    }
                )
                self.warn(
                    row,
                    msg(
                        f"企业库中已有名称相近的企业：{suggestion_text(similar)}，请确认不是同一家企业",
                        "an enterprise with a similar name exists; check this is not the same firm",
                    ),
                    NAME.label_zh,
                )
            return Change(
                row,
                Action.CREATE,
                f"{name}（{code}）",
                (code,),
                values={"credit_code": code, **values},
                diffs=[
                    FieldChange(k, self.labels[k], None, val, new_text=self._text(k, val))
                    for k, val in values.items()
                ],
                area_ids=frozenset({town.area_id}),
            )
        changed, diffs = self.diff(existing, values, self.labels)
        diffs = [
            FieldChange(
                d.field, d.label, d.old, d.new, self._text(d.field, d.old), self._text(d.field, d.new)
            )
            for d in diffs
        ]
        return Change(
            row,
            Action.UPDATE if changed else Action.UNCHANGED,
            f"{existing.name}（{code}）",
            (code,),
            instance=existing,
            values=changed,
            diffs=diffs,
            area_ids=frozenset({existing.area_id, town.area_id}),
            enterprise_id=existing.pk,
        )

    def _text(self, attname: str, value: object) -> str | None:
        if value is None:
            return None
        lookup: dict[str, dict[Any, Any]] = {
            "area_id": self.area_by_id,
            "town_id": {t.pk: t for t in self.towns.values()},
            "primary_node_id": {n.pk: n for n in self.nodes.values()},
        }
        if attname in lookup:
            found = lookup[attname].get(value)
            return found.name if found is not None else str(value)
        return None

    def save(self, change: Change) -> models.Model:
        if change.instance is not None:
            change.instance._change_reason = self.ctx.reason
        result = services.enterprise_save(
            actor=self.ctx.user, data=dict(change.values), instance=change.instance
        )
        return result.instance


# --- designations ------------------------------------------------------------------------------------

DESIGNATION_SPEC = DatasetSpec(
    key="designations",
    title_zh="企业荣誉资质",
    title_en="Designations",
    columns=(
        CREDIT_CODE,
        NAME,
        ColumnSpec(
            "designation_type",
            "荣誉资质",
            "Designation",
            Kind.CODE,
            aliases=("认定类型", "资质名称", "称号", "荣誉名称", "资质类型"),
            required=True,
            code_list="designation_types",
        ),
        ColumnSpec(
            "granted",
            "认定日期",
            "Granted",
            Kind.DATE,
            aliases=("认定时间", "授予日期", "获评日期"),
            required=True,
        ),
        ColumnSpec(
            "expires", "有效期至", "Expires", Kind.DATE, aliases=("到期日期", "失效日期", "有效期截止")
        ),
        ColumnSpec("level", "级别", "Level", aliases=("认定级别",), max_length=20),
        ColumnSpec("authority", "认定机构", "Authority", aliases=("发证机关", "认定部门"), max_length=120),
        ColumnSpec("evidence", "认定文号", "Evidence", aliases=("文号", "证明文件"), max_length=200),
    ),
    row_validator=_credit_code_issues,
    instructions_zh=("每条认定一行：企业 + 荣誉资质 + 认定日期；有效期至留空时按资质的默认有效期计算。",),
)


class DesignationAdapter(Adapter):
    model = Designation
    create_field = "granted"

    @classmethod
    def code_lists(cls) -> CodeLists:
        return {"designation_types": codes.designation_types()}

    def prepare(self, rows: Sequence[ParsedRow]) -> None:
        self.firms = FirmLookup(self, fields=[f.attname for f in Enterprise._meta.concrete_fields])
        self.firms.load(rows)
        self.types = {t.code: t for t in DesignationType.objects.all()}
        ids = [f.pk for f in self.firms.by_code.values()]
        self.existing = {
            (d.enterprise_id, d.designation_type_id, d.granted): d
            for d in Designation.objects.filter(enterprise_id__in=ids)
        }
        self.labels = {f.attname: str(f.verbose_name) for f in Designation._meta.concrete_fields}

    def plan_row(self, row: ParsedRow) -> Change | None:
        firm = self.firms.resolve(row)
        if firm is None:
            return None
        v = row.values
        kind = self.types[str(v["designation_type"])]
        granted: dt.date = v["granted"]  # type: ignore[assignment]
        values = {k: v[k] for k in ("expires", "level", "authority", "evidence") if v.get(k) is not None}
        if "level" in values:  # 省级, 国家级, Provincial … are stored as their code, compared as such
            values["level"] = Level.normalise(str(values["level"]))
            if values["level"] not in Level.values:
                self.error(
                    row,
                    msg(
                        f"级别「{v['level']}」无法识别，应为国家级、省级、市级或行业级",
                        f"level '{v['level']}' is not national, provincial, municipal or industry",
                    ),
                    "级别",
                )
                return None
        if values.get("expires") is not None and values["expires"] < granted:  # type: ignore[operator]
            self.error(row, msg("有效期至早于认定日期", "expiry is before the grant date"), "有效期至")
            return None
        identity = (firm.pk, kind.pk, granted)
        label = f"{firm.name} · {kind.name} {granted:%Y-%m-%d}"
        scope = {"area_ids": frozenset({firm.area_id}), "enterprise_id": firm.pk}
        existing = self.existing.get(identity)
        if existing is None:
            return Change(
                row,
                Action.CREATE,
                label,
                identity,
                instance=None,
                values={"enterprise": firm, "designation_type": kind, "granted": granted, **values},
                diffs=[FieldChange("granted", "认定日期", None, granted)],
                **scope,  # type: ignore[arg-type]
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
            **scope,  # type: ignore[arg-type]
        )

    def save(self, change: Change) -> models.Model:
        if change.instance is None:
            values: dict[str, Any] = change.values
            return services.designation_grant(actor=self.ctx.user, **values)
        designation = change.instance
        for name, value in change.values.items():
            setattr(designation, name, value)
        designation.full_clean()
        if getattr(self.ctx.user, "pk", None):
            designation._history_user = self.ctx.user
        designation._change_reason = self.ctx.reason
        designation.save()
        return designation


DATASETS = [
    Dataset(
        ENTERPRISE_SPEC,
        EnterpriseAdapter,
        order=10,
        description_zh="企业名录：新增企业或更新已有企业的登记信息",
        description_en="Enterprise register: new enterprises, or updates to registered ones",
    ),
    Dataset(
        PERIOD_SPEC,
        PeriodValueAdapter,
        roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.ENTERPRISE_USER),
        order=20,
        description_zh="企业经济指标：营业收入、产值、利润、税收、从业人员等（月度累计、季度、年度）",
        description_en="Period data: revenue, output, profit, tax, employees … (YTD, quarterly, annual)",
    ),
    Dataset(
        DESIGNATION_SPEC,
        DesignationAdapter,
        order=30,
        description_zh="企业荣誉资质：专精特新、小巨人、高新技术企业等认定",
        description_en="Designations: 专精特新, little giants, high-tech enterprises …",
    ),
]
