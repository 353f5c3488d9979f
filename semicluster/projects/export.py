"""Export of the project list to xlsx and csv, with spreadsheet formula injection neutralised.

A cell that begins with = + - @ TAB or CR would be read as a formula by Excel/WPS; such text is
prefixed with an apostrophe so it stays text (OWASP CSV injection). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from semicluster.core.formatting import join_in_language, to_wan

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def headers() -> list[str]:
    return [
        _("Project"),
        _("Owner"),
        _("Credit code"),
        _("Plan area"),
        _("Town"),
        _("Chain node"),
        _("GB/T 4754 code"),
        _("Category"),
        _("Stage"),
        _("Total investment (10k yuan)"),
        _("Equipment investment (10k yuan)"),
        _("Annual plan (10k yuan)"),
        _("Completed, year to date (10k yuan)"),
        _("Completion of the annual plan (%)"),
        _("Light"),
        _("Reasons"),
        _("Responsible city leader"),
        _("Responsible unit"),
        _("Planned start"),
        _("Actual start"),
        _("Planned completion"),
        _("Actual completion"),
        _("Planned production"),
        _("Actual production"),
    ]


def rows(projects: Iterable[Any]) -> Iterable[list[Any]]:
    """One row per project; ``projects`` carry the ``annual`` and ``ytd`` annotations of with_figures."""
    for p in projects:
        pct = None
        if p.annual:
            pct = (Decimal(p.ytd or 0) * 100 / p.annual).quantize(Decimal("0.1"))
        yield [
            p.name,
            p.owner.name,
            p.owner.credit_code,
            str(p.area),
            str(p.town),
            str(p.node),
            p.industry_code,
            p.get_category_display(),
            p.get_stage_display(),
            to_wan(p.total_investment),
            to_wan(p.equipment_investment),
            to_wan(p.annual),
            to_wan(p.ytd),
            pct,
            p.get_light_display(),
            join_in_language(
                {"zh": r.get("text_zh", ""), "en": r.get("text_en", "")} for r in p.light_reasons or []
            ),
            p.responsible_leader,
            p.responsible_unit.short_name if p.responsible_unit else "",
            p.planned_start,
            p.actual_start,
            p.planned_completion,
            p.actual_completion,
            p.planned_production,
            p.actual_production,
        ]


def to_csv(header: Sequence[str], data: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in data:
        writer.writerow(
            ["" if v is None else neutralise(v if not isinstance(v, date) else v.isoformat()) for v in row]
        )
    # A byte-order mark so Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], data: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([neutralise(h) for h in header])
    for row in data:
        sheet.append([neutralise(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
