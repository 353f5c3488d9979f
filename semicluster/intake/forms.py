from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import datasets_for


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"))
    file = forms.FileField(label=_("Workbook (.xlsx, .xls or .csv)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d.key, f"{d.spec.title_zh} {d.spec.title_en}") for d in datasets_for(user)]
        field.widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update(
            {"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.csv,.txt"}
        )
