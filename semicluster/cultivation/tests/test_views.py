"""Pages: every role sees its scope; another scope's object is a 404; list pages pin their queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.core.testing import add_value, make_enterprise
from semicluster.cultivation import services
from semicluster.cultivation.models import LeaderCandidate
from semicluster.enterprises.models import Designation
from semicluster.plans.models import DesignationType

from .conftest import STRONG_DECLARED, strong_firm

pytestmark = pytest.mark.django_db

PAGES = [
    "cultivation:tiers",
    "cultivation:watch",
    "cultivation:designations",
    "cultivation:library",
    "cultivation:rounds",
    "cultivation:reviews",
]


@pytest.mark.parametrize("persona", ["admin", "leader", "kfq_officer", "enterprise_user"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_role(client, personas, persona, page):
    client.force_login(personas[persona])
    assert client.get(reverse(page)).status_code == 200


def test_the_enterprise_user_applies_for_their_own_firm_through_the_form(client, personas, open_round):
    user = personas["enterprise_user"]
    client.force_login(user)
    url = reverse("cultivation:apply", args=[open_round.pk])
    other = make_enterprise(area="kfq")
    response = client.post(url, {"enterprise": other.pk, "rd_staff": "12"})
    assert response.status_code == 200 and not LeaderCandidate.objects.exists()
    response = client.post(url, {"enterprise": user.enterprise_id, "rd_staff": "12"})
    candidate = LeaderCandidate.objects.get()
    assert response.status_code == 302 and candidate.enterprise_id == user.enterprise_id
    assert candidate.origin == "application" and candidate.declared == {"rd_staff": "12"}


def test_another_areas_candidate_is_a_404_for_a_district_officer(client, personas, open_round):
    gxq = services.candidate_add(
        actor=personas["admin"], round=open_round, enterprise=make_enterprise(area="gxq")
    )
    kfq = services.candidate_add(
        actor=personas["admin"], round=open_round, enterprise=make_enterprise(area="kfq")
    )
    client.force_login(personas["kfq_officer"])
    assert client.get(reverse("cultivation:candidate", args=[gxq.pk])).status_code == 404
    assert client.get(reverse("cultivation:candidate", args=[kfq.pk])).status_code == 200
    html = client.get(reverse("cultivation:round_detail", args=[open_round.pk])).content.decode()
    assert kfq.enterprise.name in html and gxq.enterprise.name not in html


def test_a_district_officer_cannot_propose_another_areas_firm_through_the_form(client, personas, open_round):
    client.force_login(personas["kfq_officer"])
    other = make_enterprise(area="gxq")
    response = client.post(reverse("cultivation:apply", args=[open_round.pk]), {"enterprise": other.pk})
    assert response.status_code == 200 and not LeaderCandidate.objects.exists()


def test_the_admin_scores_adjusts_decides_and_publishes_through_the_pages(client, personas, open_round):
    firm = strong_firm()
    candidate = services.candidate_add(
        actor=personas["admin"], round=open_round, enterprise=firm, declared=STRONG_DECLARED
    )
    client.force_login(personas["admin"])
    client.post(reverse("cultivation:round_score", args=[open_round.pk]))
    page = client.get(reverse("cultivation:candidate", args=[candidate.pk])).content.decode()
    assert 'data-testid="evidence"' in page and "71.43" in page
    client.post(
        reverse("cultivation:candidate_adjust", args=[candidate.pk]),
        {"adjustment": "2", "reason": "专家意见"},
    )
    client.post(
        reverse("cultivation:candidate_decide", args=[candidate.pk]), {"decision": "admit", "reason": ""}
    )
    client.post(reverse("cultivation:round_publish", args=[open_round.pk]))
    candidate.refresh_from_db()
    assert candidate.adjustment == Decimal(2) and candidate.decision == "admitted"
    assert candidate.membership.admission_round == open_round
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert 'data-testid="tier-history"' in html and open_round.name in html


def test_a_leader_cannot_score_a_round(client, personas, open_round):
    client.force_login(personas["leader"])
    assert client.post(reverse("cultivation:round_score", args=[open_round.pk])).status_code == 403


def test_designation_grant_and_edit_forms(client, personas):
    firm = make_enterprise(area="kfq")
    client.force_login(personas["kfq_officer"])
    kind = DesignationType.objects.get(code="zjtx")
    response = client.post(
        reverse("cultivation:designation_grant"),
        {"enterprise": firm.pk, "designation_type": kind.pk, "granted": "2025-02-01"},
    )
    assert response.status_code == 302
    designation = Designation.objects.get()
    assert designation.expires == dt.date(2028, 2, 1)
    response = client.post(
        reverse("cultivation:designation_edit", args=[designation.pk]),
        {
            "level": "provincial",
            "authority": "江苏省工信厅",
            "granted": "2025-02-01",
            "expires": "2028-01-31",
            "evidence": "苏工信〔2025〕1号",
        },
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.expires == dt.date(2028, 1, 31) and designation.evidence == "苏工信〔2025〕1号"
    client.force_login(personas["gxq_officer"])
    assert client.get(reverse("cultivation:designation_edit", args=[designation.pk])).status_code == 404


def _many_firms(n: int) -> None:
    kind = DesignationType.objects.get(code="zjtx")
    today = dt.date.today()
    for index in range(n):
        firm = make_enterprise(area="kfq")
        add_value(firm, "revenue", 2023, Decimal(1_000_000_000 + index))
        add_value(firm, "revenue", 2024, Decimal(850_000_000 + index))
        add_value(firm, "revenue", 2025, Decimal(1_050_000_000 + index))
        Designation.objects.create(
            enterprise=firm,
            designation_type=kind,
            granted=today - dt.timedelta(days=1000),
            expires=today + dt.timedelta(days=index % 60),
        )
        Designation.objects.create(
            enterprise=firm,
            designation_type=DesignationType.objects.get(code="hnte"),
            granted=today - dt.timedelta(days=1200),
            expires=today - dt.timedelta(days=index + 1),
        )


@pytest.mark.parametrize("page", ["cultivation:watch", "cultivation:designations", "cultivation:tiers"])
def test_list_pages_query_count_does_not_grow_with_rows(
    client, personas, page, django_assert_max_num_queries
):
    _many_firms(25)
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") > 25


def test_library_and_round_pages_query_counts(client, personas, open_round, django_assert_max_num_queries):
    for _ in range(20):
        candidate = services.candidate_add(
            actor=personas["admin"], round=open_round, enterprise=strong_firm(), declared=STRONG_DECLARED
        )
    services.round_score(actor=personas["admin"], round=open_round)
    for candidate in open_round.candidates.all():
        services.candidate_decide(actor=personas["admin"], candidate=candidate, admit=True)
    services.round_publish(actor=personas["admin"], round=open_round)
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cultivation:library")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cultivation:round_detail", args=[open_round.pk])).status_code == 200
