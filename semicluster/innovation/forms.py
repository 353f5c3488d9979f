from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.accounts.models import Role
from semicluster.accounts.scoping import visible_to
from semicluster.enterprises.models import Enterprise
from semicluster.innovation.datasets import milestones_text, parse_milestones
from semicluster.innovation.models import RDProject
from semicluster.innovation.selectors import key_technologies

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    milestones_text = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: YYYY-MM-DD description; end a milestone that is done with （已完成）"),
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
            # The same text as the import format, one milestone a line: a done one keeps its （已完成）
            # marker, so saving the form without touching a milestone keeps it done.
            self.fields["milestones_text"].initial = "\n".join(
                milestones_text([m]) for m in self.instance.milestones or []
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")

    def clean_milestones_text(self) -> list[dict[str, Any]]:
        milestones, problem = parse_milestones(self.cleaned_data["milestones_text"])
        if problem is not None:
            raise forms.ValidationError(problem)
        # A milestone left as it was keeps what the text does not show (an English description).
        stored = {(m.get("date"), m.get("description")): m for m in self.instance.milestones or []}
        return [{**stored.get((m["date"], m["description"]), {}), **m} for m in milestones]

    def _post_clean(self) -> None:
        pass  # model validation runs in the service, with the scope rules

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["milestones"] = list(self.cleaned_data["milestones_text"])
        return data
