from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.innovation.models import RDProject
from semicluster.innovation.selectors import key_technologies

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    milestones_text = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: YYYY-MM-DD description"),
    )

    class Meta:
        model = RDProject
        fields = ["title", "key_technology", "enterprise", "platform", "budget", "start", "end", "status"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        technology = self.fields["key_technology"]
        enterprise = self.fields["enterprise"]
        assert isinstance(technology, forms.ModelChoiceField) and isinstance(
            enterprise, forms.ModelChoiceField
        )
        technology.queryset = key_technologies()
        enterprise.queryset = visible_to(Enterprise.objects.all(), user).only("id", "name").order_by("name")
        if user.role == Role.ENTERPRISE_USER:
            enterprise.required = True
        if self.instance.pk:
            self.fields["milestones_text"].initial = "\n".join(
                f"{m.get('date', '')} {m.get('description', '')}" for m in self.instance.milestones
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")

    def clean_milestones_text(self) -> list[dict[str, Any]]:
        milestones = []
        for number, line in enumerate(self.cleaned_data["milestones_text"].splitlines(), start=1):
            if not line.strip():
                continue
            date, _sep, description = line.strip().partition(" ")
            try:
                forms.DateField().clean(date)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(n)s: the date must be YYYY-MM-DD.") % {"n": number}
                ) from exc
            milestones.append({"date": date, "description": description.strip(), "done": False})
        return milestones

    def _post_clean(self) -> None:
        pass  # model validation runs in the service, with the scope rules

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["milestones"] = list(self.cleaned_data["milestones_text"])
        return data
