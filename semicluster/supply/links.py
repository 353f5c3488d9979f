"""Survey answers (上游供应链摸排答卷) held as columns, so the analysis can aggregate with numpy.

One *answer* is one supplier link: firm F, on chain node N in area A, buys input item I of
category C from supplier S at location level L (and country), for a share of its purchases of I,
optionally with the purchase value. Strings are factorised into integer codes once, here, so
the hot loops in ``analysis`` never touch per-row Python objects.

Money is exact: purchase values are held as integer fen (分, 0.01 yuan) in int64; a value with
a finer fraction than one fen is refused rather than rounded. Shares are not money: they are held
as integer parts per million, rounded half-even, which keeps threshold comparisons exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import numpy as np

# Location levels, nearest first. The order is used as the integer code.
LEVELS: tuple[str, ...] = ("kunshan", "suzhou", "jiangsu", "china", "abroad")
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "kunshan": ("昆山", "Kunshan"),
    "suzhou": ("苏州其他地区", "rest of Suzhou"),
    "jiangsu": ("江苏其他地区", "rest of Jiangsu"),
    "china": ("国内其他地区", "rest of China"),
    "abroad": ("境外", "abroad"),
}
KUNSHAN, SUZHOU, JIANGSU, CHINA, ABROAD = range(5)

CATEGORIES: tuple[str, ...] = ("material", "equipment", "eda_ip", "components", "services")
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "material": ("材料", "materials"),
    "equipment": ("设备", "equipment"),
    "eda_ip": ("EDA/IP", "EDA/IP"),
    "components": ("零部件", "components"),
    "services": ("服务", "services"),
}

# Every domestic supplier counts under this country code in the concentration measures.
DOMESTIC_COUNTRY = "CN"
PPM = 1_000_000
_MISSING = -1
_RECORD_FIELDS = (
    *("answer_id", "firm_id", "node", "area", "category", "item", "supplier_id", "supplier_name"),
    *("level", "country", "share", "purchase_value", "has_alternative", "alternative_domestic"),
    "lead_time_days",
)
_FEN = Decimal(100)


class SurveyDataError(ValueError):
    """The answers cannot be analysed; ``errors`` lists every problem, Chinese first."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        shown = "; ".join(self.errors[:20])
        more = f" (+{len(self.errors) - 20})" if len(self.errors) > 20 else ""
        super().__init__(shown + more)


def _or(column: Sequence[Any] | None, default: Sequence[Any]) -> Sequence[Any]:
    """``column or default`` that also works for numpy arrays (whose truth value is ambiguous)."""
    return default if column is None else column


def _factorise(values: Iterable[Any], n: int) -> tuple[np.ndarray, list[Any]]:
    """Integer codes in first-seen order, and the labels they stand for."""
    index: dict[Any, int] = {}
    # setdefault evaluates len(index) before inserting, so a new label gets the next code.
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=n)
    return codes, list(index)


def _to_fen(raw: Any) -> int | None:
    """Yuan → integer fen, exactly; None for a missing value. Floats are refused (money is exact)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, (bool, float)):
        raise ValueError("金额须为Decimal或整数，不能是浮点数 / amount must be Decimal or integer, not float")
    if isinstance(raw, int):
        return raw * 100
    value = raw if isinstance(raw, Decimal) else Decimal(str(raw).replace(",", "").strip())
    fen = value * _FEN
    whole = int(fen)
    if fen != whole:
        raise ValueError(f"金额{value}精度超过0.01元 / amount {value} is finer than 0.01 yuan")
    return whole


def _to_ppm(raw: Any, unit: str) -> int | None:
    """A share (0–1, or percent when ``unit`` is 'percent' or the text ends in %) → parts per million."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError("占比不是数字 / share is not a number")
    percent = unit == "percent"
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith("%"):
            percent, text = True, text[:-1]
        value = Decimal(text)
    elif isinstance(raw, float):
        value = Decimal(str(raw))  # shares are not money; the repr of a float is what was meant
    else:
        value = Decimal(raw)
    scaled = value * (PPM // 100 if percent else PPM)
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True, eq=False)
class SurveyLinks:
    """Survey answers as columns. Build with :meth:`from_records` or :meth:`from_columns`."""

    answer_ids: np.ndarray  # object array of the caller's answer ids, in input order
    firm: np.ndarray  # int32 codes into firm_labels
    firm_labels: list[Any]
    node: np.ndarray
    node_labels: list[Any]
    area: np.ndarray
    area_labels: list[Any]
    category: np.ndarray  # int8 index into CATEGORIES
    item: np.ndarray  # int32 codes into item_labels, an item being (category, item name)
    item_labels: list[tuple[str, str]]
    supplier: np.ndarray
    supplier_labels: list[Any]
    supplier_names: list[str]  # first name reported for each supplier
    level: np.ndarray  # int8 index into LEVELS
    country: np.ndarray  # int32 codes into country_labels; domestic suppliers are DOMESTIC_COUNTRY
    country_labels: list[str]
    share_ppm: np.ndarray  # int64, -1 when not reported
    value_fen: np.ndarray  # int64, -1 when not reported
    has_alternative: np.ndarray  # bool
    alternative_domestic: np.ndarray  # bool: the reported qualified alternative is a domestic source
    lead_time_days: np.ndarray  # int32, -1 when not reported

    def __len__(self) -> int:
        return len(self.answer_ids)

    @property
    def domestic(self) -> np.ndarray:
        return self.level != ABROAD

    @property
    def valued(self) -> np.ndarray:
        return self.value_fen >= 0

    @classmethod
    def empty(cls) -> SurveyLinks:
        return cls.from_columns(
            answer_id=[],
            firm_id=[],
            node=[],
            area=[],
            category=[],
            item=[],
            supplier_id=[],
            level=[],
        )

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any] | Any], share_unit: str = "fraction"
    ) -> SurveyLinks:
        """Rows as mappings (or objects with the same attribute names); see :meth:`from_columns`."""
        rows = list(records)
        names = _RECORD_FIELDS
        columns: dict[str, list[Any]] = {}
        if rows and isinstance(rows[0], Mapping):
            for name in names:
                columns[name] = [row.get(name) for row in rows]  # type: ignore[union-attr]
        else:
            for name in names:
                columns[name] = [getattr(row, name, None) for row in rows]
        return cls.from_columns(share_unit=share_unit, **columns)

    @classmethod
    def from_columns(
        cls,
        *,
        answer_id: Sequence[Any],
        firm_id: Sequence[Any],
        node: Sequence[Any],
        area: Sequence[Any],
        category: Sequence[str],
        item: Sequence[str],
        supplier_id: Sequence[Any],
        level: Sequence[str],
        supplier_name: Sequence[str | None] | None = None,
        country: Sequence[str | None] | None = None,
        share: Sequence[Any] | None = None,
        purchase_value: Sequence[Any] | None = None,
        has_alternative: Sequence[bool | None] | None = None,
        alternative_domestic: Sequence[bool | None] | None = None,
        lead_time_days: Sequence[int | None] | None = None,
        share_unit: str = "fraction",
    ) -> SurveyLinks:
        """Validate and encode the answers; raise :class:`SurveyDataError` listing every bad row.

        ``alternative_domestic`` says whether the qualified alternative is a domestic source; when
        not given (None) it follows ``has_alternative``, because the survey template asks for a
        *qualified domestic* alternative.
        """
        if share_unit not in ("fraction", "percent"):
            raise ValueError(
                f"share_unit须为fraction或percent / share_unit must be fraction or percent: {share_unit}"
            )
        n = len(answer_id)
        given = {"firm_id": firm_id, "node": node, "area": area, "category": category, "item": item}
        given |= {"supplier_id": supplier_id, "level": level}
        optional = {
            "supplier_name": supplier_name,
            "country": country,
            "share": share,
            "purchase_value": purchase_value,
            "has_alternative": has_alternative,
            "alternative_domestic": alternative_domestic,
            "lead_time_days": lead_time_days,
        }
        for name, column in (given | {k: v for k, v in optional.items() if v is not None}).items():
            if len(column) != n:
                zh = f"列{name}长度为{len(column)}，应为{n}"
                raise SurveyDataError([f"{zh} / column {name} has {len(column)} rows, expected {n}"])
        none = [None] * n
        errors: list[tuple[int, str]] = []

        def bad(row: int, zh: str, en: str) -> None:
            errors.append((row, f"第{row + 1}行：{zh} / row {row + 1}: {en}"))

        for name, column in given.items():
            for i, v in enumerate(column):
                if v is None or v == "":
                    bad(i, f"缺少{name}", f"{name} is missing")

        level_index = {code: i for i, code in enumerate(LEVELS)}
        level_codes = np.empty(n, dtype=np.int8)
        for i, v in enumerate(level):
            code = level_index.get(v) if isinstance(v, str) else None
            if code is None:
                if v not in (None, ""):
                    bad(i, f"供应商所在地层级{v!r}无效", f"unknown supplier location level {v!r}")
                code = 0
            level_codes[i] = code

        category_index = {code: i for i, code in enumerate(CATEGORIES)}
        category_codes = np.empty(n, dtype=np.int8)
        for i, v in enumerate(category):
            code = category_index.get(v) if isinstance(v, str) else None
            if code is None:
                if v not in (None, ""):
                    bad(i, f"投入品类别{v!r}无效", f"unknown input category {v!r}")
                code = 0
            category_codes[i] = code

        countries: list[str] = []
        for i, (v, lv) in enumerate(zip(_or(country, none), level_codes, strict=True)):
            text = (v or "").strip().upper()
            if lv == ABROAD:
                if not text or text == DOMESTIC_COUNTRY:
                    bad(i, "境外供应商须填写国家（地区）", "a supplier abroad needs its country")
                    text = text or "??"
            elif text not in ("", DOMESTIC_COUNTRY):
                bad(
                    i,
                    f"境内供应商的国家应为CN，实为{text}",
                    f"a domestic supplier's country must be CN, got {text}",
                )
            countries.append(text if lv == ABROAD else DOMESTIC_COUNTRY)

        shares = np.full(n, _MISSING, dtype=np.int64)
        if share is not None:
            for i, v in enumerate(share):
                try:
                    ppm = _to_ppm(v, share_unit)
                except (InvalidOperation, ValueError, TypeError):
                    bad(i, f"采购占比{v!r}不是数字", f"share {v!r} is not a number")
                    continue
                if ppm is None:
                    continue
                if not 0 <= ppm <= PPM:
                    bad(i, f"采购占比{v}超出0–100%", f"share {v} outside 0–100 %")
                    continue
                shares[i] = ppm

        values = np.full(n, _MISSING, dtype=np.int64)
        if purchase_value is not None:
            for i, v in enumerate(purchase_value):
                try:
                    fen = _to_fen(v)
                except (InvalidOperation, ValueError, TypeError) as exc:
                    detail = str(exc) if isinstance(exc, ValueError) and " / " in str(exc) else f"{v!r}"
                    bad(i, f"采购金额无效：{detail}", f"invalid purchase value: {detail}")
                    continue
                if fen is None:
                    continue
                if fen < 0:
                    bad(i, f"采购金额{v}为负", f"negative purchase value {v}")
                    continue
                values[i] = fen

        leads = np.full(n, _MISSING, dtype=np.int32)
        if lead_time_days is not None:
            for i, v in enumerate(lead_time_days):
                if v is None or v == "":
                    continue
                try:
                    days = int(v)
                except (TypeError, ValueError):
                    bad(i, f"交货周期{v!r}不是整数天", f"lead time {v!r} is not a whole number of days")
                    continue
                if days < 0 or days != Decimal(str(v)):
                    bad(i, f"交货周期{v!r}无效", f"invalid lead time {v!r}")
                    continue
                leads[i] = days

        alt = np.fromiter((bool(v) for v in _or(has_alternative, none)), dtype=bool, count=n)
        alt_dom = np.fromiter(
            (
                bool(a) if d is None else bool(d)
                for a, d in zip(alt, _or(alternative_domestic, none), strict=True)
            ),
            dtype=bool,
            count=n,
        )
        if errors:
            # Checks run column by column; people read row by row (sort is stable within a row).
            raise SurveyDataError([text for _, text in sorted(errors, key=lambda e: e[0])])

        firm, firm_labels = _factorise(firm_id, n)
        node_codes, node_labels = _factorise(node, n)
        area_codes, area_labels = _factorise(area, n)
        item_codes, item_labels = _factorise(zip(category, (str(v).strip() for v in item), strict=True), n)
        supplier_codes, supplier_labels = _factorise(supplier_id, n)
        names: dict[int, str] = {}
        for code, name, sid in zip(
            supplier_codes.tolist(), _or(supplier_name, none), supplier_id, strict=True
        ):
            if code not in names:
                names[code] = name or str(sid)
        country_codes, country_labels = _factorise(countries, n)
        ids = np.fromiter(answer_id, dtype=object, count=n)
        return cls(
            answer_ids=ids,
            firm=firm,
            firm_labels=firm_labels,
            node=node_codes,
            node_labels=node_labels,
            area=area_codes,
            area_labels=area_labels,
            category=category_codes,
            item=item_codes,
            item_labels=item_labels,
            supplier=supplier_codes,
            supplier_labels=supplier_labels,
            supplier_names=[names[c] for c in range(len(supplier_labels))],
            level=level_codes,
            country=country_codes,
            country_labels=country_labels,
            share_ppm=shares,
            value_fen=values,
            has_alternative=alt,
            alternative_domestic=alt_dom,
            lead_time_days=leads,
        )


def _codes_of(values: Sequence[Any], vocabulary: tuple[str, ...], what_zh: str, what_en: str) -> np.ndarray:
    index = {code: i for i, code in enumerate(vocabulary)}
    try:
        return np.fromiter((index[v] for v in values), dtype=np.int8, count=len(values))
    except KeyError as exc:
        row = next(n for n, v in enumerate(values) if v not in index)
        raise SurveyDataError(
            [
                f"第{row + 1}行：{what_zh}{exc.args[0]!r}无效 / "
                f"row {row + 1}: unknown {what_en} {exc.args[0]!r}"
            ]
        ) from exc


def _factorise_ints(values: Sequence[int], n: int) -> tuple[np.ndarray, list[int]]:
    """Integer ids → codes in ascending id order (ids are creation order, so: first reported first)."""
    labels, codes = np.unique(np.fromiter(values, dtype=np.int64, count=n), return_inverse=True)
    return codes.astype(np.int32).ravel(), labels.tolist()


def from_encoded(
    *,
    answer_id: Sequence[int],
    firm_id: Sequence[int],
    node: Sequence[int],
    area: Sequence[int],
    category: Sequence[str],
    item: Sequence[str],
    supplier_id: Sequence[int],
    supplier_name: Sequence[str],
    level: Sequence[str],
    country: Sequence[str],
    share_ppm: Sequence[int | None],
    value_fen: Sequence[int | None],
    has_alternative: Sequence[bool],
    lead_time_days: Sequence[int | None],
    node_labels: Mapping[int, Any] | None = None,
    area_labels: Mapping[int, Any] | None = None,
) -> SurveyLinks:
    """Build links from stored answers whose amounts the database already turned into integers.

    Firms, suppliers, nodes and areas arrive as integer ids (factorised with numpy);
    ``node_labels`` / ``area_labels`` name the ids (chain-node and area codes) in the results.

    The stored answers passed the model's validation when written, so only what the analysis relies
    on is checked again, vectorised: known levels and categories, a country for every supplier abroad,
    shares within 0–100 %, no negative value. Equivalent to :meth:`SurveyLinks.from_columns` on the
    same answers (a test holds them equal), without its per-row Decimal parsing — at province scale
    that parsing costs more than reading the rows from the database.
    """
    n = len(answer_id)
    if n == 0:
        return SurveyLinks.empty()
    level_codes = _codes_of(level, LEVELS, "供应商所在地层级", "supplier location level")
    category_codes = _codes_of(category, CATEGORIES, "投入品类别", "input category")
    shares = np.fromiter((_MISSING if v is None else v for v in share_ppm), dtype=np.int64, count=n)
    values = np.fromiter((_MISSING if v is None else v for v in value_fen), dtype=np.int64, count=n)
    leads = np.fromiter((_MISSING if v is None else v for v in lead_time_days), dtype=np.int32, count=n)
    abroad = level_codes == ABROAD
    countries = [
        (c or "").strip().upper() if a else DOMESTIC_COUNTRY
        for c, a in zip(country, abroad.tolist(), strict=True)
    ]
    errors = []
    for row in np.flatnonzero(abroad).tolist():
        if countries[row] in ("", DOMESTIC_COUNTRY):
            errors.append(
                f"第{row + 1}行：境外供应商须填写国家（地区） / "
                f"row {row + 1}: a supplier abroad needs its country"
            )
    for row in np.flatnonzero((shares != _MISSING) & ((shares < 0) | (shares > PPM))).tolist():
        errors.append(f"第{row + 1}行：采购占比超出0–100% / row {row + 1}: share outside 0–100 %")
    for row in np.flatnonzero((values != _MISSING) & (values < 0)).tolist():
        errors.append(f"第{row + 1}行：采购金额为负 / row {row + 1}: negative purchase value")
    if errors:
        raise SurveyDataError(errors)
    firm, firm_labels = _factorise_ints(firm_id, n)
    node_codes, node_ids = _factorise_ints(node, n)
    area_codes, area_ids = _factorise_ints(area, n)
    item_codes, item_labels = _factorise(zip(category, item, strict=True), n)
    supplier_codes, supplier_labels = _factorise_ints(supplier_id, n)
    names = dict(zip(supplier_id, supplier_name, strict=True))
    country_codes, country_labels = _factorise(countries, n)
    alt = np.fromiter(has_alternative, dtype=bool, count=n)
    return SurveyLinks(
        answer_ids=np.fromiter(answer_id, dtype=object, count=n),
        firm=firm,
        firm_labels=firm_labels,
        node=node_codes,
        node_labels=[node_labels[i] for i in node_ids] if node_labels is not None else node_ids,
        area=area_codes,
        area_labels=[area_labels[i] for i in area_ids] if area_labels is not None else area_ids,
        category=category_codes,
        item=item_codes,
        item_labels=item_labels,
        supplier=supplier_codes,
        supplier_labels=supplier_labels,
        supplier_names=[names[s] or str(s) for s in supplier_labels],
        level=level_codes,
        country=country_codes,
        country_labels=country_labels,
        share_ppm=shares,
        value_fen=values,
        has_alternative=alt,
        alternative_domestic=alt.copy(),
        lead_time_days=leads,
    )
