"""The other apps an indicator may read, imported lazily so monitoring works without them.

The innovation-leader library (cultivation) and the project library (projects) are separate apps;
when one is not installed its indicators count zero and say why, rather than failing the refresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from importlib import import_module
from typing import Any

CULTIVATION = "semicluster.cultivation.selectors"
PROJECTS = "semicluster.projects.selectors"

LEADERS_ABSENT = "创新领航企业库未启用，按 0 家计 / innovation-leader library not installed: counted as zero"
PROJECTS_ABSENT = "项目库未启用，按 0 计 / project library not installed: counted as zero"


@cache
def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        return getattr(import_module(module), name, None)  # type: ignore[no-any-return]
    except ImportError:
        return None


def leader_member_ids(as_of: dt.date) -> set[int] | None:
    """Enterprise ids in the innovation-leader library on ``as_of``; None when the app is absent."""
    fn = _function(CULTIVATION, "leader_member_ids")
    return None if fn is None else set(fn(as_of=as_of))


def project_investment(
    *, year: int, month: int, area_codes: list[str] | None, node_codes: list[str] | None
) -> dict[int, Decimal] | None:
    fn = _function(PROJECTS, "indicator_project_investment")
    if fn is None:
        return None
    return dict(fn(year=year, month=month, area_codes=area_codes, node_codes=node_codes))


def project_milestones(
    *,
    milestone: str,
    year: int,
    through_month: int,
    area_codes: list[str] | None,
    node_codes: list[str] | None,
) -> list[int] | None:
    fn = _function(PROJECTS, "indicator_project_milestones")
    if fn is None:
        return None
    return list(
        fn(
            milestone=milestone,
            year=year,
            through_month=through_month,
            area_codes=area_codes,
            node_codes=node_codes,
        )
    )


def project_places(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Project id → (area code, node code or ""); empty when the project library is absent."""
    fn = _function(PROJECTS, "indicator_project_places")
    return {} if fn is None else dict(fn(ids))
