from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Designation, Enterprise
from semicluster.plans.models import DesignationType


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")


def visible_enterprises(user: Any) -> Any:
    return visible_to(Enterprise.objects.all(), user).only("id", "name").order_by("name")


class DesignationGrantForm(StyledForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    designation_type = forms.ModelChoiceField(label=_("Designation"), queryset=DesignationType.objects.all())
    granted = forms.DateField(label=_("Granted"), widget=forms.DateInput(attrs={"type": "date"}))
    expires = forms.DateField(
        label=_("Expires"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to use the plan's default validity."),
    )
    evidence = forms.CharField(label=_("Evidence document"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = visible_enterprises(user)


class DesignationEditForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = ["level", "authority", "granted", "expires", "evidence"]
        widgets = {
            "granted": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class RoundOpenForm(StyledForm):
    name = forms.CharField(label=_("Round name"), max_length=120)
    data_year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)


class ApplyForm(StyledForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    invention_patents = forms.IntegerField(label=_("Invention patents in force"), min_value=0, required=False)
    rd_staff = forms.IntegerField(label=_("R&D staff (persons)"), min_value=0, required=False)
    own_brand_revenue = forms.DecimalField(
        label=_("Own-brand revenue (yuan)"), min_value=0, max_digits=20, decimal_places=2, required=False
    )
    local_customers = forms.IntegerField(label=_("Local customers"), min_value=0, required=False)
    local_suppliers = forms.IntegerField(label=_("Local suppliers"), min_value=0, required=False)
    statement = forms.CharField(
        label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    DECLARED = ("invention_patents", "rd_staff", "own_brand_revenue", "local_customers", "local_suppliers")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        if user.role == Role.ENTERPRISE_USER:
            # The applicant's own firm, fixed: the form offers no other choice.
            field.queryset = Enterprise.objects.filter(pk=user.enterprise_id)
            field.initial = user.enterprise_id
            field.widget = forms.HiddenInput()
        else:
            field.queryset = visible_enterprises(user)

    def declared(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.DECLARED if self.cleaned_data.get(k) is not None}


class AdjustForm(StyledForm):
    adjustment = forms.DecimalField(label=_("Adjustment (points)"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("admit")), ("reject", pgettext_lazy("library decision", "reject"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewRunForm(StyledForm):
    data_year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)


class FlagResolveForm(StyledForm):
    resolution = forms.ChoiceField(
        label=_("Decision"), choices=[("exit", _("exit")), ("retain", _("retain"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
