from __future__ import annotations

import io

import pytest

from semicluster.accountability import demo, selectors
from semicluster.accountability.models import Bulletin, Escalation, Meeting, ProgressUpdate, WorkItem
from semicluster.core.demo import DemoContext
from semicluster.plans.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_task_good_and_poor_reporters_escalations_and_meetings(kunshan_plan):
    ctx = DemoContext(seed=7, scale="sample", plan_version=kunshan_plan, out=io.StringIO())
    demo.generate(ctx)
    tasks = Task.objects.filter(plan_version=kunshan_plan).count()
    assert WorkItem.objects.filter(origin="plan").count() == tasks
    assert Meeting.objects.count() == 2 and WorkItem.objects.filter(origin="meeting").exists()
    assert ProgressUpdate.objects.count() > 50
    assert 1 <= Escalation.objects.count() <= 5
    assert Escalation.objects.exclude(reply="").exists()
    as_of = selectors.default_as_of(kunshan_plan)
    punctual = selectors.timeliness(kunshan_plan, as_of)
    assert punctual["gxj"].rate == 100 and punctual["swj"].late > 0 and punctual["jrj"].missing > 0
    rows = selectors.item_rows(
        selectors.with_status_data(WorkItem.objects.all()), as_of, selectors.reporting_rules(kunshan_plan)
    )
    statuses = {r.status.status.value for r in rows}
    assert {"done", "late"} <= statuses
    assert Bulletin.objects.filter(state="draft").count() == 2
    # The Q2 draft must not say every unit reported on time: 市商务局 reports after each due day.
    q2 = Bulletin.objects.get(period_key=f"{ctx.year}-Q2")
    summary = q2.paragraphs.get(key="summary").generated_text
    assert "均按时报送" not in summary and "市商务局" in summary
    assert "领导小组会议" in q2.paragraphs.get(key="meetings").generated_text
    demo.reset()
    assert not WorkItem.objects.exists() and not Bulletin.objects.exists()
