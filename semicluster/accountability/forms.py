"""Forms: they parse input only; the services do the checking that matters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from semicluster.accountability import engine
from semicluster.accountability.models import Milestone, WorkItem
from semicluster.plans.models import Goal, Unit

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


def status_choices() -> list[tuple[str, str]]:
    """The statuses in the active language (a callable: evaluated per request, not at import)."""
    english = (get_language() or "zh-hans").lower().startswith("en")
    return [("", "—")] + [(s.value, en if english else zh) for s, (zh, en) in engine.STATUS_LABELS.items()]


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs=TEXT))
    unit = forms.ModelChoiceField(
        label=_("Lead unit"),
        queryset=Unit.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=status_choices,
        widget=forms.Select(attrs=SELECT),
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


class ProgressForm(forms.Form):
    period_key = forms.ChoiceField(label=_("Reporting period"), widget=forms.Select(attrs=SELECT))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    percent = forms.DecimalField(
        label=_("Percent complete"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "1"}),
    )
    milestones_reached = forms.ModelMultipleChoiceField(
        label=_("Milestones reached"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    done = forms.BooleanField(label=_("The work item is completed"), required=False)
    problems = forms.CharField(
        label=_("Problems needing coordination"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF or image, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, item: WorkItem, today: date, rules: engine.ReportingRules, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["milestones_reached"].queryset = item.milestones.all()  # type: ignore[attr-defined]
        # Periods after the deadline stay open to reports: an overdue item owes them until it is done.
        periods = engine.periods_between(rules, item.start, today) or [
            engine.period_containing(rules, item.start)
        ]
        self.fields["period_key"].choices = [(p.key, str(p.label)) for p in reversed(periods)]  # type: ignore[attr-defined]
        self.fields["period_key"].initial = engine.period_for_report(rules, today).key


def parse_milestones(text: str) -> list[tuple[date, str]]:
    """One milestone per line: ``2025-06-30 描述``."""
    milestones = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _sep, description = line.partition(" ")
        try:
            due = date.fromisoformat(day)
        except ValueError as exc:
            raise ValidationError(
                _("Line %(n)s: start with a date like 2025-06-30, then the description."),
                params={"n": number},
            ) from exc
        if not description.strip():
            raise ValidationError(_("Line %(n)s: the milestone needs a description."), params={"n": number})
        milestones.append((due, description.strip()))
    return milestones


class DecomposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.order_by("code"), widget=forms.Select(attrs=SELECT)
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 4}),
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    deliverable = forms.CharField(
        label=_("Deliverable"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    milestones = forms.CharField(
        label=_("Milestones (one per line: 2025-06-30 description)"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )

    def clean_milestones(self) -> list[tuple[date, str]]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class WorkItemForm(DecomposeForm):
    """The office's edit of an existing work item; milestones are rewritten as one line each, and
    ``services.work_item_update`` keeps the records (and keys) of those that stay."""

    # The decomposition form's fields, with a start date now required (an item in progress has one).
    start = forms.DateField(label=_("Start"), widget=DATE)
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals served"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 5}),
    )

    def __init__(self, *args: Any, item: WorkItem, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "title_en": item.title_en,
                "lead_unit": item.lead_unit,
                "co_units": list(item.co_units.all()),
                "responsible_person": item.responsible_person,
                "start": item.start,
                "deadline": item.deadline,
                "deliverable": item.deliverable,
                "goals": list(item.goals.all()),
                "milestones": "\n".join(
                    f"{m.due.isoformat()} {m.description}"
                    for m in sorted(item.milestones.all(), key=lambda m: (m.due, m.key))
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.filter(  # type: ignore[attr-defined]
            plan_version=item.plan_version
        ).order_by("sort")

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's refusal beside the field it names (or above the form)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, ValidationError(errors))
        else:
            self.add_error(None, exc)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Owner unit"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)


class BulletinForm(forms.Form):
    period_key = forms.ChoiceField(label=_("Period"), widget=forms.Select(attrs=SELECT))
    as_of = forms.DateField(
        label=_("Data as of (empty: when the grace period ends)"), required=False, widget=DATE
    )

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["period_key"].choices = [(p, p) for p in reversed(periods)]  # type: ignore[attr-defined]
