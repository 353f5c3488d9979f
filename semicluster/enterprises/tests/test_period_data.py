from decimal import Decimal

import pytest

from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.models import Basis, PeriodValue
from semicluster.enterprises.selectors import derive_single_months, monthly_from_reports, period_table
from semicluster.enterprises.services import period_value_record

D = Decimal


def test_single_months_are_differences_of_year_to_date_values():
    ytd = {1: D("100.00"), 2: D("250.50"), 3: D("400.00")}
    assert derive_single_months(ytd) == {1: D("100.00"), 2: D("150.50"), 3: D("149.50")}


def test_a_gap_in_reports_leaves_the_month_after_it_unknown_not_guessed():
    ytd = {1: D("100"), 2: D("210"), 4: D("460")}
    assert derive_single_months(ytd) == {1: D("100"), 2: D("110"), 4: None}


def test_cumulative_values_are_never_added_together():
    ytd = {m: D(100 * m) for m in range(1, 13)}
    singles = derive_single_months(ytd)
    assert sum(v for v in singles.values() if v is not None) == ytd[12]


def test_single_month_reports_accumulate_into_year_to_date():
    class R:
        def __init__(self, period, value, basis):
            self.period, self.value, self.basis = period, D(value), basis

    reports = [
        R(1, "10", Basis.SINGLE),
        R(2, "20", Basis.SINGLE),
        R(3, "65", Basis.YTD),
        R(4, "5", Basis.SINGLE),
    ]
    assert monthly_from_reports(reports) == {1: D(10), 2: D(30), 3: D(65), 4: D(70)}


@pytest.mark.django_db
def test_the_enterprise_table_shows_reported_and_derived_values(kunshan_plan):
    firm = make_enterprise()
    add_value(firm, "revenue", 2024, "1200000.00")
    add_value(firm, "revenue", 2025, "100000.00", month=1)
    add_value(firm, "revenue", 2025, "250000.00", month=2)
    table = period_table(firm)
    assert table.annual["revenue"][2024] == D("1200000.00")
    assert table.monthly_year == 2025
    assert table.monthly_ytd["revenue"] == {1: D("100000.00"), 2: D("250000.00")}
    assert table.monthly_single["revenue"] == {1: D("100000.00"), 2: D("150000.00")}


@pytest.mark.django_db
def test_recording_a_changed_value_keeps_the_old_one_in_history(kunshan_plan):
    firm = make_enterprise()
    period_value_record(
        actor=None, enterprise=firm, measure="revenue", year=2025, period_type="M", period=3, value=D("10.00")
    )
    again = period_value_record(
        actor=None, enterprise=firm, measure="revenue", year=2025, period_type="M", period=3, value=D("10.00")
    )
    assert not again.changed
    period_value_record(
        actor=None, enterprise=firm, measure="revenue", year=2025, period_type="M", period=3, value=D("12.00")
    )
    record = PeriodValue.objects.get(enterprise=firm, measure="revenue", period=3)
    assert [h.value for h in record.history.order_by("history_date")] == [D("10.00"), D("12.00")]


@pytest.mark.django_db
def test_money_as_float_is_refused(kunshan_plan):
    firm = make_enterprise()
    with pytest.raises(TypeError):
        period_value_record(
            actor=None, enterprise=firm, measure="revenue", year=2025, period_type="M", period=3, value=1.5
        )  # type: ignore[arg-type]
