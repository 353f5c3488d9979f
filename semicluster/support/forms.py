"""Forms: the application (tape-out facts, cost lines, attachments), filters, and one form per review
step. Choices come from the current plan's programs, so a new plan changes them without code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from semicluster.plans.models import Area
from semicluster.support.attachments import MAX_BYTES
from semicluster.support.models import FoundryLocation, Mask, Status, Substrate, WaferSize
from semicluster.support.programs import current_programs, program_label
from semicluster.support.rules import SupportProgram
from semicluster.support.services import OTHER_COST, Outcome


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


def program_choices(programs: dict[str, SupportProgram]) -> list[tuple[str, str]]:
    language = get_language() or "zh-hans"
    return [(code, program_label(p, code, language)) for code, p in programs.items()]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    area = forms.ChoiceField(label=_("Plan area"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _version, programs = current_programs()
        choices: dict[str, list[tuple[Any, Any]]] = {
            "status": list(Status.choices),
            "program": program_choices(programs),
            "area": [(a.code, str(a)) for a in Area.objects.order_by("sort")],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("All")), *options]
        _style(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    product = forms.CharField(label=_("Product"), max_length=120)
    product_field = forms.ChoiceField(label=_("Priority field of the product"), required=False)
    foundry = forms.CharField(label=_("Foundry"), max_length=120)
    foundry_location = forms.ChoiceField(label=_("Foundry location"), choices=FoundryLocation.choices)
    local_fab = forms.BooleanField(label=_("Done at a local (Kunshan) fab"), required=False)
    process_node_nm = forms.DecimalField(
        label=_("Process node (nm)"), max_digits=8, decimal_places=2, min_value=Decimal("0.01")
    )
    mask = forms.ChoiceField(label=_("MPW or full mask"), choices=Mask.choices)
    substrate = forms.ChoiceField(label=_("Substrate"), choices=Substrate.choices, required=False)
    wafer_size_mm = forms.TypedChoiceField(label=_("Wafer size"), choices=WaferSize.choices, coerce=int)
    wafer_count = forms.IntegerField(label=_("Wafer count"), min_value=1, max_value=1_000_000)
    tapeout_date = forms.DateField(label=_("Tape-out date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_sensor = forms.BooleanField(label=_("Sensor product"), required=False)
    first_tapeout = forms.BooleanField(label=_("First tape-out of the product"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments (PDF, PNG or JPEG, at most %(mb)s MB each)") % {"mb": MAX_BYTES // 1024 // 1024},
        required=False,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _version, programs = current_programs()
        program_field = self.fields["program"]
        assert isinstance(program_field, forms.ChoiceField)
        program_field.choices = program_choices(programs)
        if editing:
            program_field.disabled = True
        english = (get_language() or "").startswith("en")
        fields: dict[str, str] = {}
        for program in programs.values():
            for item in program.priority_fields:
                fields.setdefault(item.code, item.name_en if english else item.name)
        field = self.fields["product_field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("none of the priority fields")), *fields.items()]
        _style(self)


class CostForm(forms.Form):
    item = forms.ChoiceField(label=_("Cost item"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=20, decimal_places=2, min_value=Decimal("0.01")
    )
    invoice_code = forms.CharField(label=_("Invoice code"), max_length=20, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=30)
    contract_ref = forms.CharField(label=_("Contract reference"), max_length=80, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _version, programs = current_programs()
        english = (get_language() or "").startswith("en")
        items: dict[str, str] = {}
        for program in programs.values():
            for item in program.eligible_cost_items:
                items.setdefault(item.code, item.name_en if english else item.name)
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        # An empty first choice: an untouched extra row then submits nothing and counts as unchanged
        # (a preselected item made every empty row look filled in, and required).
        field.choices = [("", "—"), *items.items(), (OTHER_COST, _("other (not counted)"))]
        _style(self)


CostFormSet = forms.formset_factory(CostForm, extra=2, min_num=1, validate_min=True, max_num=50)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
    description = forms.CharField(label=_("What it shows"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ReviewForm(forms.Form):
    """Area pre-review and city review: pass on, or return for correction (with a reason)."""

    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("pass on")), ("0", _("return for correction"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Opinion / reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Outcome.APPROVE, _("approve with the amount shown")),
            (Outcome.RETURN, _("return for correction")),
            (Outcome.REJECT, pgettext_lazy("support decision", "reject")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm_over_budget = forms.BooleanField(
        label=_("I have seen the budget flag: approve the partial award the budget allows"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class OverrideForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount decided case by case (yuan)"), max_digits=20, decimal_places=2, min_value=Decimal(0)
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DisburseForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment voucher"), max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
