"""Designation and platform levels: a fixed list (国家级 / 省级 / 市级 / 行业级), shown by name, not code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from semicluster.core.testing import make_enterprise
from semicluster.enterprises.models import InnovationPlatform, Level
from semicluster.enterprises.services import designation_grant
from semicluster.plans.models import DesignationType

pytestmark = pytest.mark.django_db


def test_the_levels_are_the_plan_files_designation_levels():
    assert {level.value for level in Level} == {"national", "provincial", "municipal", "industry"}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("省级", "provincial"),
        ("国家级", "national"),
        (" 市级 ", "municipal"),
        ("行业", "industry"),
        ("Provincial", "provincial"),
    ],
)
def test_a_level_written_as_clerks_write_it_is_stored_as_its_code(personas, written, stored):
    kind = DesignationType.objects.get(code="zjtx")
    firm = make_enterprise(area="kfq")
    granted = designation_grant(
        actor=personas["admin"],
        enterprise=firm,
        designation_type=kind,
        granted=dt.date(2025, 2, 1),
        level=written,
    )
    assert granted.level == stored
    platform = InnovationPlatform(name="示例平台（虚构）", kind="lab", level=written)
    platform.full_clean()
    assert platform.level == stored


def test_an_unknown_level_is_refused_naming_the_field(personas):
    platform = InnovationPlatform(name="示例平台（虚构）", kind="lab", level="县级")
    with pytest.raises(ValidationError) as refusal:
        platform.full_clean()
    assert list(refusal.value.message_dict) == ["level"]


def test_a_designation_granted_from_the_plan_takes_its_types_level(personas):
    kind = DesignationType.objects.get(code="little-giant")  # level: national in the plan file
    granted = designation_grant(
        actor=personas["admin"],
        enterprise=make_enterprise(),
        designation_type=kind,
        granted=dt.date(2025, 2, 1),
    )
    assert granted.level == "national" and granted.get_level_display() == "国家级"


def test_the_enterprise_page_lists_each_designation_once_with_its_level_by_name(client, personas):
    firm = make_enterprise(area="kfq")
    kind = DesignationType.objects.get(code="zjtx")
    designation_grant(
        actor=personas["admin"], enterprise=firm, designation_type=kind, granted=dt.date(2025, 2, 1)
    )
    client.force_login(personas["admin"])
    page = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    identity = page.split('data-testid="identity"')[1].split("</table>")[0]
    assert kind.name not in identity and 'data-testid="designations"' not in page
    panel = page.split('data-testid="panel-designations"')[1].split("</ul>")[0]
    assert kind.name in panel and "省级" in panel and "provincial" not in page
    assert page.count(f"{kind.name} · 省级") == 1
