"""Code lists read from the database, for drop-downs in templates and for reading codes or names in
uploads. Shared by every app's datasets (``code_lists()`` of an adapter picks what it needs)."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils import translation

from semicluster.plans.models import Area, ChainNode, DesignationType, Town, Unit

Pairs = list[tuple[str, str]]


def areas() -> Pairs:
    return [(a.code, a.name) for a in Area.objects.order_by("sort", "code")]


def towns() -> Pairs:
    return [(t.code, t.name) for t in Town.objects.order_by("area__sort", "code")]


def chain_nodes() -> Pairs:
    return [(n.code, n.name) for n in ChainNode.objects.order_by("segment__sort", "sort", "code")]


def designation_types() -> Pairs:
    return [(d.code, d.name) for d in DesignationType.objects.order_by("code")]


def units() -> Pairs:
    """Responsible units (市发改委 …)."""
    return [(u.code, u.name) for u in Unit.objects.order_by("code")]


def choices(options: type[TextChoices]) -> Pairs:
    """A TextChoices as (code, Chinese label): templates and uploads are in Chinese whatever the UI
    language, so the labels are their zh_Hans translations ("revenue" → 营业收入)."""
    with translation.override("zh-hans"):
        return [(value, str(label)) for value, label in options.choices if value]
