"""The scoping matrix: role × model × area. Another scope's record is simply not there (404)."""

from decimal import Decimal

import pytest
from django.http import Http404

from semicluster.accounts.scoping import can_write, get_visible_or_404, visible_to
from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.models import Designation, Enterprise, PeriodValue
from semicluster.plans.models import DesignationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    own = personas["enterprise_user"].enterprise  # in kfq
    other_kfq = make_enterprise(area="kfq")
    gxq_firm = make_enterprise(area="gxq")
    for firm in (own, other_kfq, gxq_firm):
        add_value(firm, "revenue", 2024, Decimal("1000"))
        Designation.objects.create(
            enterprise=firm, designation_type=DesignationType.objects.get(code="hnte"), granted="2024-01-01"
        )
    return {"own": own, "other_kfq": other_kfq, "gxq": gxq_firm}


MODELS = {
    Enterprise: lambda firm: firm,
    PeriodValue: lambda firm: firm.period_values.first(),
    Designation: lambda firm: firm.designations.first(),
}

# persona → the firms (by key) it may see
EXPECTED = {
    "admin": {"own", "other_kfq", "gxq"},
    "leader": {"own", "other_kfq", "gxq"},
    "kfq_officer": {"own", "other_kfq"},
    "gxq_officer": {"gxq"},
    "unit_officer": set(),
    "enterprise_user": {"own"},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_each_role_sees_exactly_its_scope(personas, world, persona, model):
    user = personas[persona]
    visible = set(visible_to(model.objects.all(), user).values_list("pk", flat=True))
    for key, firm in world.items():
        record = MODELS[model](firm)
        assert (record.pk in visible) == (key in EXPECTED[persona]), (persona, model.__name__, key)
        if key not in EXPECTED[persona]:
            with pytest.raises(Http404):
                get_visible_or_404(model.objects.all(), user, pk=record.pk)


def test_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_to(Enterprise.objects.all(), AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(personas, world):
    admin = personas["admin"]
    admin.is_active = False
    assert not visible_to(Enterprise.objects.all(), admin).exists()


def test_a_district_officer_without_an_area_sees_nothing(personas, world):
    officer = personas["kfq_officer"]
    officer.area = None
    assert not visible_to(Enterprise.objects.all(), officer).exists()


def test_write_rights_follow_the_role(personas):
    assert can_write(Enterprise, personas["admin"])
    assert can_write(Enterprise, personas["kfq_officer"])
    assert not can_write(Enterprise, personas["leader"])
    assert not can_write(Enterprise, personas["unit_officer"])
