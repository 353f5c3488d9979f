"""Template filters of the tasks pages: ``{% load accountability_tags %}``.

``in_language`` now lives in the core library (``{% load semicluster %}``); it is registered here too
so that templates and code loading it from here keep working."""

from __future__ import annotations

from django import template

from semicluster.core.templatetags.semicluster import in_language

register = template.Library()
register.filter("in_language", in_language)

__all__ = ["in_language", "register"]
