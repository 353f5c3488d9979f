from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.core.testing import make_enterprise
from semicluster.supply.models import SupplyAnswer
from semicluster.supply.services import answers_import
from semicluster.supply.tests.factories import supply

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(personas):
    """Two firms in 开发区 (one is the enterprise user's), one in 高新区.

    光刻胶 (photoresist) comes only from abroad from one supplier for both kfq firms: a breakpoint
    with two dependent firms. 靶材 is bought in Kunshan (600) and in Suzhou (400): kfq's local supply
    rate on materials is 600 / (600 + 400 + 1000 photoresist) = 30 %.
    """
    own = personas["enterprise_user"].enterprise
    other = make_enterprise(area="kfq", node=own.primary_node, name="开发区另一企业（测试）")
    gxq = make_enterprise(area="gxq", node="gan-epitaxy", name="高新区企业（测试）")
    return {
        "own": own,
        "other": other,
        "gxq": gxq,
        "own_resist": supply(own, "光刻胶", "东瀛化学", "abroad", "500"),
        "other_resist": supply(other, "光刻胶", "东瀛化学", "abroad", "500"),
        "own_target": supply(own, "靶材", "昆山靶材厂", "kunshan", "600"),
        "other_target": supply(other, "靶材", "苏州靶材厂", "suzhou", "400", alt=True),
        "gxq_gas": supply(gxq, "特种气体", "昆山气体厂", "kunshan", "800", category="material"),
        "gxq_gas2": supply(gxq, "特种气体", "上海气体厂", "china", "200", category="material"),
    }


def test_enterprise_user_sees_only_their_own_answers(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    html = client.get(reverse("supply:answers")).content.decode()
    assert "开发区另一企业" not in html and "高新区企业" not in html
    assert html.count("东瀛化学") == 1


def test_another_firms_answer_is_a_404_for_an_enterprise_user_in_ui_and_api(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    other = survey["other_resist"].pk
    assert client.get(reverse("supply:answer_edit", args=[other])).status_code == 404
    assert client.get(f"/api/supply/answers/{other}").status_code == 404
    assert client.get(f"/api/supply/answers/{survey['own_resist'].pk}").status_code == 200


def test_another_areas_answer_is_a_404_for_a_district_officer(client, personas, survey):
    client.force_login(personas["gxq_officer"])
    assert client.get(reverse("supply:answer_edit", args=[survey["own_resist"].pk])).status_code == 404
    assert client.get(f"/api/supply/answers/{survey['own_resist'].pk}").status_code == 404
    assert client.get(reverse("supply:answer_edit", args=[survey["gxq_gas"].pk])).status_code == 200


def test_enterprise_user_reports_an_input_for_their_own_firm_only(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    response = client.post(
        reverse("supply:answer_new"),
        {
            "enterprise": survey["other"].pk,  # ignored: the field is fixed to the user's own firm
            "year": 2025,
            "category": "equipment",
            "item": "刻蚀机",
            "supplier_name": "Etch Corp",
            "level": "abroad",
            "country": "us",
            "share": "0.6",
            "purchase_value": "1200000.00",
            "lead_time_days": 200,
        },
    )
    assert response.status_code == 302
    answer = SupplyAnswer.objects.get(item="刻蚀机")
    assert answer.enterprise == survey["own"] and answer.country == "US"
    assert answer.purchase_value == Decimal("1200000.00")


def test_a_supplier_abroad_without_a_country_is_refused(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    response = client.post(
        reverse("supply:answer_new"),
        {"year": 2025, "category": "material", "item": "硅片", "supplier_name": "X", "level": "abroad"},
    )
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not SupplyAnswer.objects.filter(item="硅片").exists()


def test_api_refuses_an_answer_for_another_firm(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    body = {
        "enterprise": survey["other"].pk,
        "year": 2025,
        "category": "material",
        "item": "硅片",
        "supplier": "S",
        "level": "kunshan",
    }
    assert client.post("/api/supply/answers", body, content_type="application/json").status_code == 404
    body["enterprise"] = survey["own"].pk
    created = client.post("/api/supply/answers", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["supplier"] == "S"


def test_analysis_shows_the_breakpoint_and_how_many_firms_depend_on_it(client, personas, survey):
    client.force_login(personas["admin"])
    response = client.get(reverse("supply:analysis"))
    assert response.status_code == 200
    breakpoints = {(r["finding"].item, r["finding"].firm_count) for r in response.context["breakpoints"]}
    assert ("光刻胶", 2) in breakpoints
    row = next(r for r in response.context["breakpoints"] if r["finding"].item == "光刻胶")
    drilled = client.get(row["url"])
    assert {a.pk for a in drilled.context["page"].object_list} == {
        survey["own_resist"].pk,
        survey["other_resist"].pk,
    }


def test_local_supply_rate_by_area_is_exact_and_drills_down_to_its_answers(client, personas, survey):
    client.force_login(personas["leader"])
    response = client.get(reverse("supply:analysis"))
    kfq = next(r for r in response.context["by_area"] if r["rate"].key == "kfq")
    assert kfq["rate"].local_rate == Decimal("0.300000")
    assert kfq["rate"].total_value == Decimal("2000.00")
    local = client.get(kfq["url_local"]).context["page"].object_list
    assert [a.pk for a in local] == [survey["own_target"].pk]
    gxq = next(r for r in response.context["by_area"] if r["rate"].key == "gxq")
    assert gxq["rate"].local_rate == Decimal("0.800000")


def test_a_district_officers_analysis_covers_their_area_only(client, personas, survey):
    client.force_login(personas["gxq_officer"])
    response = client.get(reverse("supply:analysis"))
    assert response.context["n_answers"] == 2
    assert not response.context["breakpoints"] or all(
        r["finding"].item != "光刻胶" for r in response.context["breakpoints"]
    )
    api = client.get("/api/supply/analysis").json()
    assert api["answers"] == 2 and [r["key"] for r in api["by_area"]] == ["gxq"]


def test_enterprise_users_do_not_see_aggregates(client, personas, survey):
    client.force_login(personas["enterprise_user"])
    assert client.get(reverse("supply:analysis")).status_code == 403
    assert client.get("/api/supply/analysis").status_code == 403


def test_critical_suppliers_and_hhi_drill_down(client, personas, survey):
    client.force_login(personas["admin"])
    response = client.get(reverse("supply:analysis"))
    top = response.context["critical"][0]
    assert top["supplier"].name == "东瀛化学" and top["supplier"].firm_count == 2
    assert client.get(top["url"]).context["total"] == 2
    materials = next(r for r in response.context["concentration"] if r["c"].category == "material")
    # Materials by country: CN 2000 (600+400+800+200), JP 1000 → (2/3)² + (1/3)² = 5/9 → 5555.56
    assert materials["c"].hhi == Decimal("5555.56")


def test_network_view_draws_firms_and_suppliers(client, personas, survey):
    client.force_login(personas["admin"])
    response = client.get(reverse("supply:network"), {"category": "material"})
    data = response.context["option"]["series"][0]["data"]
    names = {d["name"] for d in data}
    assert "东瀛化学 ⚠" in names and survey["gxq"].name in names
    assert 'data-chart="network-option"' in response.content.decode()


def test_answer_list_query_count_does_not_grow_with_rows(
    client, personas, survey, django_assert_max_num_queries
):
    for n in range(40):
        supply(survey["other"], f"零件{n}", f"供应商{n}", "china", "10", category="components")
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supply:answers"))
    assert response.context["total"] == 46


def test_import_writes_nothing_when_one_row_is_bad_and_is_idempotent(personas, survey):
    admin = personas["admin"]
    code = survey["own"].credit_code
    good = {
        "credit_code": code,
        "year": 2025,
        "category": "设备",
        "item": "光刻机",
        "supplier": "Litho BV",
        "level": "境外",
        "country": "NL",
        "share": "100%",
        "purchase_value": "50000000",
        "has_alternative": "否",
    }
    bad = {**good, "item": "涂胶机", "level": "境外", "country": ""}
    result = answers_import(actor=admin, rows=[good, bad])
    assert result.errors and "row 2" in result.errors[0]
    assert not SupplyAnswer.objects.filter(item="光刻机").exists()
    first = answers_import(actor=admin, rows=[good])
    again = answers_import(actor=admin, rows=[good])
    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    answer = SupplyAnswer.objects.get(item="光刻机")
    assert answer.share == Decimal("1") and answer.category == "equipment" and answer.source == "import"


def test_import_refuses_a_firm_outside_the_officers_area(personas, survey):
    row = {
        "credit_code": survey["gxq"].credit_code,
        "year": 2025,
        "category": "material",
        "item": "X",
        "supplier": "Y",
        "level": "kunshan",
    }
    result = answers_import(actor=personas["kfq_officer"], rows=[row])
    assert result.errors and "out-of-scope" in result.errors[0]


def test_links_read_from_the_database_equal_the_engines_own_encoding(personas, survey):
    """The fast path (amounts converted by the database) gives the same links as from_columns."""
    import numpy as np

    from semicluster.supply.links import SurveyLinks
    from semicluster.supply.selectors import survey_links

    supply(survey["own"], "光刻机", "Litho BV", "abroad", "123456.78", category="equipment", country="NL",
           share="0.3333", lead=210)  # fmt: skip
    qs = SupplyAnswer.objects.order_by("id")
    fast = survey_links(qs)
    slow = SurveyLinks.from_records(
        [
            {
                "answer_id": a.pk,
                "firm_id": a.enterprise_id,
                "node": a.enterprise.primary_node.code,
                "area": a.enterprise.area.code,
                "category": a.category,
                "item": a.item,
                "supplier_id": a.supplier_id,
                "supplier_name": a.supplier.name,
                "level": a.level,
                "country": a.country,
                "share": a.share,
                "purchase_value": a.purchase_value,
                "has_alternative": a.has_alternative,
                "lead_time_days": a.lead_time_days,
            }
            for a in qs.select_related("enterprise__primary_node", "enterprise__area", "supplier")
        ]
    )
    order = np.argsort(fast.answer_ids.astype(np.int64))
    assert list(fast.answer_ids[order]) == list(slow.answer_ids)
    for column in ("share_ppm", "value_fen", "level", "category", "has_alternative", "lead_time_days"):
        assert getattr(fast, column)[order].tolist() == getattr(slow, column).tolist(), column
    assert [fast.supplier_names[c] for c in fast.supplier[order]] == [
        slow.supplier_names[c] for c in slow.supplier
    ]
    assert [fast.country_labels[c] for c in fast.country[order]] == [
        slow.country_labels[c] for c in slow.country
    ]
