"""Loading plan files. The test database already holds the Kunshan plan (root conftest), so these
tests load copies under another plan code and check what each load adds."""

from pathlib import Path

import pytest

from semicluster.core.models import SecurityEvent
from semicluster.core.testing import KUNSHAN_PLAN
from semicluster.plans.models import Area, ChainNode, Goal, PlanVersion, Task, Town
from semicluster.plans.services import PlanInvalid, plan_load

pytestmark = pytest.mark.django_db

ORIGINAL = KUNSHAN_PLAN.read_text("utf-8")


def copy_of_plan(
    tmp_path: Path, name: str = "copy.yaml", *, code: str = "test-plan", edit=lambda t: t
) -> Path:
    text = edit(ORIGINAL.replace("code: kunshan-semiconductor-2025", f"code: {code}", 1))
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_loading_the_kunshan_plan_materialises_every_section(kunshan_plan):
    version = kunshan_plan
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


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = copy_of_plan(tmp_path)
    versions, goals = PlanVersion.objects.count(), Goal.objects.count()
    events = SecurityEvent.objects.filter(kind="plan_load").count()
    first = plan_load(path)
    second = plan_load(path)
    assert first.created and not second.created
    assert second.version.pk == first.version.pk
    assert PlanVersion.objects.count() == versions + 1
    assert Goal.objects.count() == goals + 5
    assert SecurityEvent.objects.filter(kind="plan_load").count() == events + 1


def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(tmp_path):
    plan_load(copy_of_plan(tmp_path))
    changed = copy_of_plan(tmp_path, "changed.yaml", edit=lambda t: t.replace("target: 80\n", "target: 90\n"))
    result = plan_load(changed)
    assert result.created and result.version.number == 2
    assert PlanVersion.objects.filter(plan__code="test-plan").count() == 2
    targets = dict(
        Goal.objects.filter(code="innovation-leaders", plan_version__plan__code="test-plan").values_list(
            "plan_version__number", "target"
        )
    )
    assert targets == {1: 80, 2: 90}
    tasks = Task.objects.filter(plan_version__plan__code="test-plan")
    assert tasks.filter(plan_version__number=1).count() == tasks.filter(plan_version__number=2).count()


def test_comments_alone_do_not_make_a_new_version(tmp_path):
    plan_load(copy_of_plan(tmp_path))
    commented = copy_of_plan(tmp_path, "commented.yaml", edit=lambda t: "# a note\n" + t)
    assert not plan_load(commented).created


def test_an_invalid_plan_loads_nothing(tmp_path):
    before = (PlanVersion.objects.count(), Goal.objects.count(), Area.objects.count())
    bad = copy_of_plan(tmp_path, "bad.yaml", edit=lambda t: t.replace("target: 80\n", "target: -80\n"))
    with pytest.raises(PlanInvalid) as excinfo:
        plan_load(bad)
    assert "goals[1].target" in str(excinfo.value)
    assert (PlanVersion.objects.count(), Goal.objects.count(), Area.objects.count()) == before
