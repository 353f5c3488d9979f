"""Forms of the project library. Amounts are typed in 万元 (as the monthly tables are) and stored in yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise, Ownership
from semicluster.plans.models import Area, ChainNode, Town, Unit
from semicluster.projects.models import (
    Category,
    Light,
    ProblemCategory,
    Project,
    StageChoice,
    TicketStatus,
)

WAN = Decimal(10000)
DATE = forms.DateInput(attrs={"type": "date"})


def wan_field(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=16, decimal_places=4, min_value=0)


def wan_to_yuan(value: Decimal) -> Decimal:
    return (value * WAN).quantize(Decimal("0.01"))


def to_yuan(value: Decimal | None) -> Decimal | None:
    return None if value is None else wan_to_yuan(value)


def style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ChoiceField(label=_("Plan area"), required=False)
    node = forms.ChoiceField(label=_("Chain node"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    light = forms.ChoiceField(label=_("Light"), required=False)
    unit = forms.ChoiceField(label=_("Responsible unit"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    library = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[
            ("library", _("Major-project library (重大项目库)")),
            ("ordinary", _("Ordinary projects (一般项目)")),
            ("all", _("All projects")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options: dict[str, list[tuple[str, Any]]] = {
            "area": [(a.code, str(a)) for a in Area.objects.order_by("sort")],
            "node": [(n.code, f"{n.segment} · {n}") for n in ChainNode.objects.select_related("segment")],
            "stage": list(StageChoice.choices),
            "light": list(Light.choices),
            "unit": [(u.code, u.short_name or str(u)) for u in Unit.objects.all()],
            "category": list(Category.choices),
        }
        for name, choices in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("All")), *choices]
        style(self)


class ProjectForm(forms.ModelForm):
    """Create or edit a project. The owner is chosen from the enterprise library, or registered here
    when not yet in it (credit code, name, ownership; its area, town and chain node follow the project)."""

    total_investment_wan = wan_field(_("Total investment (10k yuan)"))
    equipment_investment_wan = wan_field(_("Of which equipment (10k yuan)"), required=False)
    annual_plan_wan = wan_field(_("Annual plan investment this year (10k yuan)"), required=False)
    new_owner_credit_code = forms.CharField(label=_("New owner: credit code"), required=False, max_length=40)
    new_owner_name = forms.CharField(label=_("New owner: name"), required=False, max_length=200)
    new_owner_ownership = forms.ChoiceField(
        label=_("New owner: ownership"), required=False, choices=[("", "—"), *Ownership.choices]
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "owner",
            "area",
            "town",
            "node",
            "industry_code",
            "category",
            "source",
            "construction_content",
            "responsible_leader",
            "responsible_unit",
            "service_team",
            "stage",
            "planned_start",
            "actual_start",
            "planned_completion",
            "actual_completion",
            "planned_production",
            "actual_production",
            "entered_statistics_on",
        ]
        widgets = {
            "construction_content": forms.Textarea(attrs={"rows": 3}),
            "service_team": forms.Textarea(attrs={"rows": 3}),
            **{
                name: DATE
                for name in (
                    "planned_start",
                    "actual_start",
                    "planned_completion",
                    "actual_completion",
                    "planned_production",
                    "actual_production",
                    "entered_statistics_on",
                )
            },
        }

    def __init__(self, *args: Any, user: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.required = False
        owner.queryset = visible_to(Enterprise.objects.all(), user).order_by("name")
        if user.role == Role.DISTRICT_OFFICER:
            area = self.fields["area"]
            town = self.fields["town"]
            assert isinstance(area, forms.ModelChoiceField) and isinstance(town, forms.ModelChoiceField)
            area.queryset = Area.objects.filter(pk=user.area_id)
            town.queryset = Town.objects.filter(area_id=user.area_id)
        if self.instance.pk:
            # The stage changes through a transition, which checks the lifecycle and is audited as such.
            del self.fields["stage"]
            self.initial["total_investment_wan"] = self.instance.total_investment / WAN
            if self.instance.equipment_investment is not None:
                self.initial["equipment_investment_wan"] = self.instance.equipment_investment / WAN
            plan = self.instance.annual_plans.filter(year=year).first()
            if plan is not None:
                self.initial["annual_plan_wan"] = plan.amount / WAN
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new_owner = data.get("new_owner_credit_code") or data.get("new_owner_name")
        if not data.get("owner") and not new_owner:
            self.add_error("owner", _("Choose the owner, or register a new one below."))
        if new_owner and not data.get("owner"):
            for name in ("new_owner_credit_code", "new_owner_name", "new_owner_ownership"):
                if not data.get(name):
                    self.add_error(name, _("Needed to register the new owner."))
        return data

    def project_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name] for name in self._meta.fields or [] if name in self.cleaned_data
        }
        if not data.get("owner"):
            data.pop("owner", None)
        data["total_investment"] = to_yuan(self.cleaned_data["total_investment_wan"])
        data["equipment_investment"] = to_yuan(self.cleaned_data.get("equipment_investment_wan"))
        if self.cleaned_data.get("annual_plan_wan") is not None:
            data["annual_plans"] = {self.year: to_yuan(self.cleaned_data["annual_plan_wan"])}
        return data

    def new_owner(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("owner"):
            return None
        return {
            "credit_code": self.cleaned_data["new_owner_credit_code"],
            "name": self.cleaned_data["new_owner_name"],
            "ownership": self.cleaned_data["new_owner_ownership"],
        }


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("New stage"), choices=StageChoice.choices)
    reason = forms.CharField(label=_("Reason (needed to suspend)"), required=False, max_length=300)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_completion = forms.DateField(label=_("Actual completion"), required=False, widget=DATE)
    actual_production = forms.DateField(label=_("Actual production"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def dates(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in ("actual_start", "actual_completion", "actual_production")
            if self.cleaned_data.get(k)
        }


class ProgressForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    ytd_completed_wan = wan_field(_("Completed investment, year to date (1–N月累计, 10k yuan)"))
    since_start_completed_wan = wan_field(_("Completed since the start (10k yuan)"), required=False)
    annual_plan_wan = wan_field(_("Annual plan investment of that year (10k yuan)"), required=False)
    stage = forms.ChoiceField(label=_("Stage now"), required=False)
    image_progress = forms.CharField(
        label=_("Image progress (形象进度)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_completion = forms.DateField(label=_("Actual completion"), required=False, widget=DATE)
    actual_production = forms.DateField(label=_("Actual production"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [("", _("unchanged")), *StageChoice.choices]
        style(self)

    def dates(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in ("actual_start", "actual_completion", "actual_production")
            if self.cleaned_data.get(k)
        }


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    category = forms.ChoiceField(label=_("Category"), choices=ProblemCategory.choices)
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.all())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=2000)
    resolved_on = forms.DateField(label=_("Resolved on"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class TicketReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class TicketCloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class TicketFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Not closed")), ("", _("All")), *TicketStatus.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
