from pathlib import Path

import pytest

from semicluster.core.models import SecurityEvent
from semicluster.core.testing import KUNSHAN_PLAN
from semicluster.plans.models import Area, ChainNode, Goal, PlanVersion, Task, Town
from semicluster.plans.services import PlanInvalid, plan_load

pytestmark = pytest.mark.django_db


def test_loading_the_kunshan_plan_materialises_every_section():
    version = plan_load(KUNSHAN_PLAN).version
    assert version.number == 1
    assert set(Area.objects.values_list("code", flat=True)) == {"kfq", "gxq", "hq", "ldq", "wz"}
    assert Town.objects.filter(area__code="wz").count() == 5
    assert Town.objects.count() == 11
    assert version.goals.get(code="industry-scale").target == 35_000_000_000
    assert version.goals.get(code="new-firms-above-1bn").indicator["threshold"] == 1_000_000_000
    assert version.key_technologies.count() == 12
    clauses = set(version.tasks.values_list("source", flat=True))
    assert {
        "二、1",
        "二、2",
        "二、3",
        "二、4",
        "二、5",
        "二、6",
        "二、7",
        "二、8",
        "三、1",
        "三、2",
        "三、3",
    } <= clauses
    assert ChainNode.objects.get(code="display-driver-ic").industry_codes == ["I6520"]
    assert all(g.source and g.source_text for g in Goal.objects.all())


def test_loading_the_same_file_twice_changes_nothing():
    first = plan_load(KUNSHAN_PLAN)
    second = plan_load(KUNSHAN_PLAN)
    assert first.created and not second.created
    assert second.version.pk == first.version.pk
    assert PlanVersion.objects.count() == 1
    assert Goal.objects.count() == 5
    assert SecurityEvent.objects.filter(kind="plan_load").count() == 1


def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(tmp_path: Path):
    plan_load(KUNSHAN_PLAN)
    changed = tmp_path / "changed.yaml"
    changed.write_text(KUNSHAN_PLAN.read_text("utf-8").replace("target: 80\n", "target: 90\n"), "utf-8")
    result = plan_load(changed)
    assert result.created and result.version.number == 2
    assert PlanVersion.objects.count() == 2
    targets = dict(
        Goal.objects.filter(code="innovation-leaders").values_list("plan_version__number", "target")
    )
    assert targets == {1: 80, 2: 90}
    assert (
        Task.objects.filter(plan_version__number=1).count()
        == Task.objects.filter(plan_version__number=2).count()
    )


def test_comments_alone_do_not_make_a_new_version(tmp_path: Path):
    plan_load(KUNSHAN_PLAN)
    commented = tmp_path / "commented.yaml"
    commented.write_text("# a note\n" + KUNSHAN_PLAN.read_text("utf-8"), "utf-8")
    assert not plan_load(commented).created


def test_an_invalid_plan_loads_nothing(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(KUNSHAN_PLAN.read_text("utf-8").replace("target: 80\n", "target: -80\n"), "utf-8")
    with pytest.raises(PlanInvalid) as excinfo:
        plan_load(bad)
    assert "goals[1].target" in str(excinfo.value)
    assert PlanVersion.objects.count() == 0 and Area.objects.count() == 0
