from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.enterprises.models import Tier
from semicluster.plans.models import Area, ChainNode, ChainSegment, DesignationType, Town


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ChoiceField(label=_("Plan area"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    segment = forms.ChoiceField(label=_("Chain segment"), required=False)
    node = forms.ChoiceField(label=_("Chain node"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    designation = forms.ChoiceField(label=_("Designation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = Town.objects.select_related("area")
        nodes = ChainNode.objects.select_related("segment")
        options: dict[str, list[tuple[str, Any]]] = {
            "area": [(a.code, str(a)) for a in Area.objects.order_by("sort")],
            "town": [(t.code, f"{t.area} · {t}") for t in towns],
            "segment": [(s.code, str(s)) for s in ChainSegment.objects.all()],
            "node": [(n.code, f"{n.segment} · {n}") for n in nodes],
            "tier": [(t.value, t.label) for t in Tier if t.value] + [("none", _("not tiered"))],
            "designation": [(d.code, str(d)) for d in DesignationType.objects.all()],
        }
        for name, choices in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("All")), *choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-control form-control-sm"
                if isinstance(field, forms.CharField)
                else "form-select form-select-sm"
            )
