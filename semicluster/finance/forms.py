from __future__ import annotations

from typing import Any

from django import forms

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.finance.models import FinancingNeed, ListingRecord
from semicluster.finance.services import ENTERPRISE_NEED_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} form-control-sm")


class NeedForm(forms.ModelForm):
    class Meta:
        model = FinancingNeed
        fields = [
            "enterprise",
            "amount",
            "instrument",
            "purpose",
            "submitted_on",
            "status",
            "provider",
            "funded_amount",
            "outcome",
            "closed_on",
        ]
        widgets = {"submitted_on": DATE, "closed_on": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = visible_to(Enterprise.objects.all(), user).only("id", "name").order_by("name")
        if user.role == Role.ENTERPRISE_USER:
            # The firm files the need; matching and outcome are the officers' part.
            for name in list(self.fields):
                if name not in ENTERPRISE_NEED_FIELDS:
                    del self.fields[name]
        _style(self)

    def _post_clean(self) -> None:
        # Model validation runs in the service (one place, with the role rules).
        pass


class ListingForm(forms.ModelForm):
    class Meta:
        model = ListingRecord
        fields = [
            "enterprise",
            "board",
            "stage",
            "sponsor",
            "tutoring_on",
            "filed_on",
            "accepted_on",
            "approved_on",
            "listed_on",
            "stock_code",
            "note",
        ]
        widgets = {
            name: DATE for name in ("tutoring_on", "filed_on", "accepted_on", "approved_on", "listed_on")
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = visible_to(Enterprise.objects.all(), user).only("id", "name").order_by("name")
        _style(self)

    def _post_clean(self) -> None:
        pass
