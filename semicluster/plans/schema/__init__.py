"""The published JSON Schema of a plan file.

The core schema lives in ``plan.schema.json``; domain apps contribute the plan sections they own
in their own ``plan_schema.json`` (top-level ``properties`` and optional ``$defs``), which are
merged here, so a section's schema sits beside the code that reads it.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings

CORE_SCHEMA_PATH = Path(__file__).with_name("plan.schema.json")


def contributing_fragments() -> list[Path]:
    paths = []
    for app in settings.DOMAIN_APPS:
        module = import_module(app)
        fragment = Path(module.__file__ or "").with_name("plan_schema.json")
        if fragment.exists():
            paths.append(fragment)
    return paths


@cache
def load_schema() -> dict[str, Any]:
    schema = json.loads(CORE_SCHEMA_PATH.read_text(encoding="utf-8"))
    merged = copy.deepcopy(schema)
    for fragment_path in contributing_fragments():
        fragment = json.loads(fragment_path.read_text(encoding="utf-8"))
        for name, section in fragment.get("properties", {}).items():
            if name in merged["properties"]:
                raise ValueError(f"{fragment_path}: plan section {name!r} is already defined")
            merged["properties"][name] = section
        merged.setdefault("$defs", {}).update(fragment.get("$defs", {}))
    return merged
