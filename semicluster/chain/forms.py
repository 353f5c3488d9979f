from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semicluster.accounts.models import Role, User
from semicluster.accounts.scoping import visible_to
from semicluster.chain.models import PIPELINE, InvestmentTarget, Stage
from semicluster.chain.selectors import target_categories
from semicluster.enterprises.models import Enterprise, Ownership
from semicluster.plans.models import Area, ChainNode, Town
from semicluster.projects.models import Category as ProjectCategory


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.SelectMultiple):
            field.widget.attrs["class"] = "form-select form-select-sm"
            field.widget.attrs["size"] = "8"
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.widget.attrs["class"] = "form-select form-select-sm"
        else:
            field.widget.attrs["class"] = "form-control form-control-sm"


def _category_choices() -> list[tuple[str, str]]:
    return [(c["code"], c["name"]) for c in target_categories()]


class TargetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    node = forms.ChoiceField(label=_("Chain node"), required=False)
    area = forms.ChoiceField(label=_("Intended area"), required=False)
    item = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = [("", _("All"))]
        self.fields["category"].choices = all_ + _category_choices()  # type: ignore[attr-defined]
        in_talks = ("active", pgettext_lazy("investment target stage", "active"))
        self.fields["stage"].choices = [*all_, in_talks, *Stage.choices]  # type: ignore[attr-defined]
        self.fields["node"].choices = all_ + [  # type: ignore[attr-defined]
            (n.code, f"{n.segment} · {n}") for n in ChainNode.objects.select_related("segment")
        ]
        self.fields["area"].choices = all_ + [(a.code, str(a)) for a in Area.objects.all()]  # type: ignore[attr-defined]
        _style(self)


class TargetForm(forms.ModelForm):
    category = forms.ChoiceField(label=_("Target category"))
    nodes = forms.ModelMultipleChoiceField(
        label=_("Chain nodes it would fill"), queryset=ChainNode.objects.select_related("segment")
    )
    supply_items_text = forms.CharField(
        label=_("Breakpoint items it would fill"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line as category:item, e.g. “equipment:光刻机”."),
    )

    class Meta:
        model = InvestmentTarget
        fields = [
            "name",
            "name_en",
            "category",
            "country",
            "nodes",
            "estimated_investment",
            "intended_area",
            "officer",
            "responsible_unit",
            "note",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]
        self.fields["officer"].queryset = User.objects.exclude(role=Role.ENTERPRISE_USER).order_by("username")  # type: ignore[attr-defined]
        if getattr(user, "role", None) == Role.DISTRICT_OFFICER:
            self.fields["intended_area"].queryset = Area.objects.filter(pk=user.area_id)  # type: ignore[attr-defined]
            self.fields["intended_area"].initial = user.area_id
        if self.instance.pk:
            self.fields["supply_items_text"].initial = "\n".join(
                f"{c}:{i}" for c, i in self.instance.supply_items
            )
        _style(self)

    def clean_supply_items_text(self) -> list[list[str]]:
        items = []
        for n, line in enumerate(self.cleaned_data.get("supply_items_text", "").splitlines(), start=1):
            if not line.strip():
                continue
            if ":" not in line:
                raise forms.ValidationError(_("Line %(n)s: write category:item.") % {"n": n})
            category, item = (p.strip() for p in line.split(":", 1))
            items.append([category, item])
        return items


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    reason = forms.CharField(label=_("Reason (when dropped)"), required=False, max_length=300)

    def __init__(self, *args: Any, target: InvestmentTarget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        later = (
            [s for s in PIPELINE[PIPELINE.index(target.stage) + 1 :] if s != Stage.LANDED]
            if target.is_active
            else []
        )
        labels = dict(Stage.choices)
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [(s, labels[s]) for s in later] + [(Stage.DROPPED, labels[Stage.DROPPED])]
        _style(self)


class LandForm(forms.Form):
    """Only what the lead does not know: the town, the local owner, the project category."""

    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.none())
    category = forms.ChoiceField(label=_("Project category"), choices=ProjectCategory.choices, initial="new")
    owner = forms.ModelChoiceField(
        label=_("Owner (项目单位) in the enterprise library"),
        queryset=Enterprise.objects.none(),
        required=False,
    )
    new_owner_credit_code = forms.CharField(label=_("…or register the owner: credit code"), required=False)
    new_owner_name = forms.CharField(label=_("Owner name"), required=False)
    new_owner_ownership = forms.ChoiceField(label=_("Ownership"), choices=Ownership.choices, required=False)
    on = forms.DateField(label=_("Landed on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, target: InvestmentTarget, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = target.intended_area_id or 0
        self.fields["town"].queryset = Town.objects.filter(area_id=area)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = visible_to(  # type: ignore[attr-defined]
            Enterprise.objects.filter(area_id=area), user
        ).order_by("name")
        self.fields["new_owner_name"].initial = target.name
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner") and not data.get("new_owner_credit_code"):
            raise forms.ValidationError(
                _("Choose the owner, or give the credit code of the new local company.")
            )
        return data
