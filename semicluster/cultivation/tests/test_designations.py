"""Designation expiry lists, renewal, counts and the import entry point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from semicluster.core.testing import make_enterprise
from semicluster.cultivation import selectors, services
from semicluster.enterprises.models import Designation
from semicluster.plans.models import DesignationType

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def grant(firm, code, granted, expires):
    return Designation.objects.create(
        enterprise=firm,
        designation_type=DesignationType.objects.get(code=code),
        granted=granted,
        expires=expires,
    )


def test_expiring_and_expired_lists_respect_the_window_and_renewals(personas):
    firm = make_enterprise(area="kfq")
    soon = grant(firm, "zjtx", dt.date(2022, 12, 1), TODAY + dt.timedelta(days=30))
    later = grant(firm, "hnte", dt.date(2023, 12, 1), TODAY + dt.timedelta(days=200))
    on_the_day = grant(firm, "little-giant", dt.date(2022, 11, 20), TODAY)
    lapsed = grant(firm, "innovative-sme", dt.date(2021, 1, 1), TODAY - dt.timedelta(days=1))
    renewed_old = grant(firm, "electronics-top100", dt.date(2023, 6, 1), dt.date(2024, 6, 1))
    grant(firm, "electronics-top100", dt.date(2024, 6, 1), dt.date(2026, 6, 1))
    expiring, expired = selectors.designation_expiry(user=personas["admin"], days=90, today=TODAY)
    assert list(expiring) == [on_the_day, soon]
    assert later not in expiring
    assert list(expired) == [lapsed]
    assert renewed_old not in expired


def test_expiry_lists_are_scoped_to_the_area(personas):
    kfq, gxq = make_enterprise(area="kfq"), make_enterprise(area="gxq")
    mine = grant(kfq, "zjtx", dt.date(2022, 12, 1), TODAY + dt.timedelta(days=10))
    grant(gxq, "zjtx", dt.date(2022, 12, 1), TODAY + dt.timedelta(days=10))
    expiring, _ = selectors.designation_expiry(user=personas["kfq_officer"], today=TODAY)
    assert list(expiring) == [mine]


def test_counts_by_area_and_node_include_only_designations_in_force(personas):
    firm = make_enterprise(area="gxq", node="gan-epitaxy")
    grant(firm, "zjtx", dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    grant(firm, "hnte", dt.date(2020, 1, 1), dt.date(2023, 1, 1))
    counts = selectors.designation_counts(user=personas["admin"], today=TODAY)
    assert [
        (r["designation_type__code"], r["enterprise__area__name"], r["n"]) for r in counts["by_area"]
    ] == [("zjtx", "高新区", 1)]
    assert counts["by_node"][0]["enterprise__primary_node__name"] == "GaN 外延材料"


def test_importing_a_designation_twice_changes_nothing_and_uses_the_plan_validity(personas):
    firm = make_enterprise(area="kfq")
    first, created = services.designation_import_row(
        actor=personas["admin"],
        credit_code=firm.credit_code,
        designation_type="zjtx",
        granted=dt.date(2025, 1, 10),
    )
    assert created and first.expires == dt.date(2028, 1, 10)
    again, created = services.designation_import_row(
        actor=personas["admin"],
        credit_code=firm.credit_code,
        designation_type="zjtx",
        granted=dt.date(2025, 1, 10),
    )
    assert not created and again.pk == first.pk and Designation.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        services.designation_import_row(
            actor=personas["kfq_officer"],
            credit_code=make_enterprise(area="gxq").credit_code,
            designation_type="zjtx",
            granted=dt.date(2025, 1, 10),
        )
    assert "credit_code" in error.value.message_dict


def test_an_edit_cannot_put_the_expiry_before_the_grant(personas):
    firm = make_enterprise(area="kfq")
    designation = grant(firm, "zjtx", dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.designation_update(
            actor=personas["kfq_officer"], designation=designation, data={"expires": dt.date(2023, 1, 1)}
        )
    with pytest.raises(PermissionError):
        services.designation_update(
            actor=personas["gxq_officer"], designation=designation, data={"evidence": "x"}
        )
