import io

import pytest

from semicluster.supply.benchmarks import run
from semicluster.supply.models import SupplyAnswer

pytestmark = pytest.mark.django_db


def test_bench_supply_stores_a_generated_survey_measures_it_and_rolls_it_back(kunshan_plan):
    out = io.StringIO()
    status = run(out, ["--firms", "150", "--links", "1500", "--repeats", "1"])
    text = out.getvalue()
    assert status == 0, text
    figures = dict(line.split(None, 1) for line in text.splitlines() if line and not line.startswith(" "))
    assert int(figures["answers_stored"]) > 1400 and int(figures["breakpoints"]) >= 5
    assert float(figures["floor_read_s"]) > 0 and float(figures["ratio"]) > 0  # the bench judges timings
    assert "rolled back" in text and not SupplyAnswer.objects.exists()
