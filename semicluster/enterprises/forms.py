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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        everything = [("", _("All"))]
        self.fields["area"].choices = everything + [(a.code, str(a)) for a in Area.objects.order_by("sort")]
        self.fields["town"].choices = everything + [
            (t.code, f"{t.area} · {t}") for t in Town.objects.select_related("area")
        ]
        self.fields["segment"].choices = everything + [(s.code, str(s)) for s in ChainSegment.objects.all()]
        self.fields["node"].choices = everything + [
            (n.code, f"{n.segment} · {n}") for n in ChainNode.objects.select_related("segment")
        ]
        self.fields["tier"].choices = (
            everything + [(t.value, t.label) for t in Tier if t.value] + [("none", _("not tiered"))]
        )
        self.fields["designation"].choices = everything + [
            (d.code, str(d)) for d in DesignationType.objects.all()
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-control form-control-sm"
                if isinstance(field, forms.CharField)
                else "form-select form-select-sm"
            )
