import io

import pytest

from semicluster.core.demo import DemoContext
from semicluster.enterprises import demo as enterprises_demo
from semicluster.projects import demo as projects_demo
from semicluster.projects import selectors
from semicluster.projects.models import LightChange, ProgressReport, Project, StageChoice, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_library_in_every_stage_with_progress_problems_tickets_and_lights(kunshan_plan):
    # Only the layers this app builds on, so another app's demo cannot break this test.
    ctx = DemoContext(seed=2025, scale="sample", plan_version=kunshan_plan, out=io.StringIO())
    enterprises_demo.generate(ctx)
    projects_demo.generate(ctx)
    library = Project.objects.filter(in_library=True)
    assert library.count() == 150
    assert set(library.values_list("stage", flat=True)) == set(StageChoice.values)
    assert library.values("area").distinct().count() == 5
    assert Project.objects.filter(in_library=False).exists()  # Kunshan keeps small projects as ordinary
    assert set(ProgressReport.objects.values_list("month", flat=True)) == set(range(1, 11))
    assert set(library.values_list("light", flat=True)) == {"red", "yellow", "green"}
    assert LightChange.objects.count() >= 150
    assert Ticket.objects.exists() and Ticket.objects.filter(status="closed").exists()
    assert all("示例" in name for name in Project.objects.values_list("name", flat=True))
    goal = selectors.new_investment_goal(year=2025, month=10)
    assert 0 < goal.ytd < goal.target
    projects_demo.reset()
    assert not Project.objects.exists()
