"""Programs of a plan version, parsed once per version (a version's document never changes)."""

from __future__ import annotations

import json
from functools import lru_cache

from semicluster.plans.models import PlanVersion
from semicluster.plans.selectors import current_plan_version
from semicluster.support.rules import SupportProgram, parse_programs


@lru_cache(maxsize=32)
def _parsed(version_id: int, content_hash: str, raw: str) -> tuple[SupportProgram, ...]:
    return parse_programs(json.loads(raw))


def programs_of(version: PlanVersion | None) -> dict[str, SupportProgram]:
    """The version's programs by code, in plan order; a plan without the section has none."""
    if version is None:
        return {}
    section = version.document.get("support_programs") or []
    # The JSON text is part of the cache key: a test database may reuse a version id for other content.
    parsed = _parsed(version.pk, version.content_hash, json.dumps(section, sort_keys=True))
    return {program.code: program for program in parsed}


def current_programs() -> tuple[PlanVersion | None, dict[str, SupportProgram]]:
    version = current_plan_version()
    return version, programs_of(version)


def program_label(program: SupportProgram | None, code: str, language: str) -> str:
    if program is None:
        return code
    return program.name_en if language.startswith("en") and program.name_en else program.name
