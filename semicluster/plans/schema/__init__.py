"""The published JSON Schema of a plan file.

The core schema lives in ``plan.schema.json``; domain apps contribute the plan sections they own
in their own ``plan_schema.json`` (top-level ``properties`` and optional ``$defs``), which are
merged here, so a section's schema sits beside the code that reads it. Each fragment's ``$defs``
are namespaced by app (``projects.decimal``) and its ``$ref``s rewritten, so two apps may both
define a ``decimal`` without one silently replacing the other.
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


def contributing_fragments() -> list[tuple[str, Path]]:
    fragments = []
    for app in settings.DOMAIN_APPS:
        module = import_module(app)
        fragment = Path(module.__file__ or "").with_name("plan_schema.json")
        if fragment.exists():
            fragments.append((app.rsplit(".", 1)[-1], fragment))
    return fragments


def _namespace_refs(node: Any, namespace: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = f"#/$defs/{namespace}.{value.removeprefix('#/$defs/')}"
            else:
                out[key] = _namespace_refs(value, namespace)
        return out
    if isinstance(node, list):
        return [_namespace_refs(item, namespace) for item in node]
    return node


@cache
def load_schema() -> dict[str, Any]:
    schema = json.loads(CORE_SCHEMA_PATH.read_text(encoding="utf-8"))
    merged = copy.deepcopy(schema)
    for namespace, fragment_path in contributing_fragments():
        fragment = _namespace_refs(json.loads(fragment_path.read_text(encoding="utf-8")), namespace)
        for name, section in fragment.get("properties", {}).items():
            if name in merged["properties"]:
                raise ValueError(f"{fragment_path}: plan section {name!r} is already defined")
            merged["properties"][name] = section
        for name, definition in fragment.get("$defs", {}).items():
            merged.setdefault("$defs", {})[f"{namespace}.{name}"] = definition
    return merged
