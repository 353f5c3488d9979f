from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.plans.models import Area, ChainNode
from semicluster.supply.models import Category, Level, SupplyAnswer


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field, forms.ChoiceField):
            field.widget.attrs["class"] = "form-select form-select-sm"
        else:
            field.widget.attrs["class"] = "form-control form-control-sm"


class AnswerFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Survey year"), required=False)
    node = forms.ChoiceField(label=_("Chain node"), required=False)
    area = forms.ChoiceField(label=_("Plan area"), required=False)
    category = forms.ChoiceField(label=_("Input category"), required=False)
    item = forms.CharField(label=_("Input item"), required=False)
    level = forms.ChoiceField(label=_("Supplier location"), required=False)
    supplier = forms.IntegerField(label=_("Supplier id"), required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(label=_("Enterprise id"), required=False, widget=forms.HiddenInput)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    valued = forms.ChoiceField(
        label=_("Purchase value"),
        required=False,
        choices=[("", _("All")), ("yes", _("reported")), ("no", _("not reported"))],
    )
    domestic = forms.ChoiceField(
        label=_("Domestic"),
        required=False,
        choices=[("", _("All")), ("yes", _("domestic")), ("no", _("abroad"))],
    )
    near = forms.ChoiceField(
        label=_("Near"), required=False, choices=[("", _("All")), ("suzhou", _("Kunshan or rest of Suzhou"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = [("", _("All"))]
        self.fields["node"].choices = all_ + [  # type: ignore[attr-defined]
            (n.code, f"{n.segment} · {n}") for n in ChainNode.objects.select_related("segment")
        ]
        self.fields["area"].choices = all_ + [(a.code, str(a)) for a in Area.objects.all()]  # type: ignore[attr-defined]
        self.fields["category"].choices = all_ + list(Category.choices)  # type: ignore[attr-defined]
        self.fields["level"].choices = all_ + list(Level.choices)  # type: ignore[attr-defined]
        _style(self)


class AnalysisFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Survey year"), required=False)
    node = forms.ChoiceField(label=_("Chain node"), required=False)
    area = forms.ChoiceField(label=_("Plan area"), required=False)
    category = forms.ChoiceField(label=_("Input category"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = [("", _("All"))]
        self.fields["node"].choices = all_ + [  # type: ignore[attr-defined]
            (n.code, f"{n.segment} · {n}") for n in ChainNode.objects.select_related("segment")
        ]
        self.fields["area"].choices = all_ + [(a.code, str(a)) for a in Area.objects.all()]  # type: ignore[attr-defined]
        self.fields["category"].choices = all_ + list(Category.choices)  # type: ignore[attr-defined]
        _style(self)


class AnswerForm(forms.ModelForm):
    """One key input from one supplier. Enterprise users answer for their own firm only."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    supplier_name = forms.CharField(label=_("Supplier name"), max_length=200)

    class Meta:
        model = SupplyAnswer
        fields = [
            "enterprise",
            "year",
            "category",
            "item",
            "supplier_name",
            "level",
            "country",
            "share",
            "purchase_value",
            "has_alternative",
            "lead_time_days",
            "note",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        firms = visible_to(Enterprise.objects.order_by("name"), user)
        self.fields["enterprise"].queryset = firms  # type: ignore[attr-defined]
        if getattr(user, "enterprise_id", None):
            self.fields["enterprise"].initial = user.enterprise_id
            self.fields["enterprise"].disabled = True
        if self.instance.pk:
            self.fields["supplier_name"].initial = self.instance.supplier.name
            self.fields["enterprise"].disabled = True
        _style(self)
