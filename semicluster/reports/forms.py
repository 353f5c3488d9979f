from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from semicluster.reports.models import Edition


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    edition = forms.ChoiceField(label=_("Edition"), choices=Edition.choices)


class ParagraphEditForm(forms.Form):
    key = forms.CharField(max_length=80)
    text = forms.CharField(label=_("Edited text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "approve", "return", "publish", "reopen", "regenerate")]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
