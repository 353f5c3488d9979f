from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from semicluster.core.testing import add_value, make_enterprise
from semicluster.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_refresh_then_show_prints_the_latest_period_as_table_and_json(kunshan_plan: PlanVersion) -> None:
    firm = make_enterprise(area="kfq")
    add_value(firm, "revenue", 2025, Decimal("123400000000"), month=7)
    out = io.StringIO()
    call_command("indicators", "refresh", stdout=out)
    assert "data through 2025-07" in out.getvalue()
    out = io.StringIO()
    call_command("indicators", "show", stdout=out)
    table = out.getvalue().splitlines()
    assert table[0].startswith("period 2025-07")
    assert "industry-scale" in table[2] and "city" in table[2] and "1,234.00 亿元" in table[2]
    out = io.StringIO()
    call_command("indicators", "show", "--period", "2025-07", "--area", "kfq", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    scale = next(r for r in rows if r["goal"] == "industry-scale")
    assert (scale["scope_key"], scale["value"]) == ("kfq", "123400000000.00")


def test_show_explains_a_bad_period(kunshan_plan: PlanVersion) -> None:
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("indicators", "show", "--period", "2025-13")
