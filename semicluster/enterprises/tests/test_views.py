from decimal import Decimal

import pytest
from django.urls import reverse

from semicluster.core.testing import add_value, make_enterprise
from semicluster.enterprises.services import tiers_refresh
from semicluster.plans.models import DesignationType

pytestmark = pytest.mark.django_db


def test_the_library_lists_only_the_officers_area(client, personas):
    kfq = make_enterprise(area="kfq", name="开发区测试企业（测试）")
    gxq = make_enterprise(area="gxq", name="高新区测试企业（测试）")
    client.force_login(personas["kfq_officer"])
    html = client.get(reverse("enterprises:list")).content.decode()
    assert kfq.name in html and gxq.name not in html


def test_another_areas_enterprise_is_a_404(client, personas):
    gxq = make_enterprise(area="gxq")
    client.force_login(personas["kfq_officer"])
    assert client.get(reverse("enterprises:detail", args=[gxq.pk])).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "gxq"}, {"gxq-gan"}),
        ({"town": "320583104"}, {"hq-iot"}),
        ({"node": "gan-epitaxy"}, {"gxq-gan"}),
        ({"segment": "design"}, {"hq-iot"}),
        ({"tier": "backbone"}, {"gxq-gan"}),
        ({"designation": "little-giant"}, {"hq-iot"}),
        ({"q": "氮化镓"}, {"gxq-gan"}),
    ],
)
def test_the_library_filters_by_area_town_node_tier_designation_and_search(
    client, personas, params, expected
):
    firms = {
        "gxq-gan": make_enterprise(area="gxq", node="gan-epitaxy", key_products="氮化镓外延片"),
        "hq-iot": make_enterprise(area="hq", node="iot-asic"),
    }
    add_value(firms["gxq-gan"], "revenue", 2024, Decimal("1500000000"))
    tiers_refresh()
    firms["hq-iot"].designations.create(
        designation_type=DesignationType.objects.get(code="little-giant"), granted="2024-06-01"
    )
    client.force_login(personas["admin"])
    html = client.get(reverse("enterprises:list"), params).content.decode()
    shown = {key for key, firm in firms.items() if firm.name in html}
    assert shown == expected


def test_the_list_page_query_count_does_not_grow_with_rows(client, personas, django_assert_max_num_queries):
    for _ in range(30):
        firm = make_enterprise(area="kfq")
        add_value(firm, "revenue", 2024, Decimal("123456789"))
    client.force_login(personas["admin"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("enterprises:list"))
    assert response.status_code == 200


def test_the_enterprise_page_shows_identity_chain_position_table_and_chart(client, personas):
    firm = make_enterprise(area="kfq", node="display-driver-ic")
    add_value(firm, "revenue", 2023, Decimal("800000000"))
    add_value(firm, "revenue", 2024, Decimal("900000000"))
    add_value(firm, "revenue", 2025, Decimal("100000000"), month=1)
    add_value(firm, "revenue", 2025, Decimal("180000000"), month=2)
    client.force_login(personas["admin"])
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert firm.credit_code in html
    assert "显示驱动芯片设计" in html or "Display driver IC design" in html
    assert 'data-chart="annual-chart-data"' in html and 'id="annual-chart-data"' in html
    assert "90,000.00" in html  # 9 亿 shown in 万元 in the annual table
    assert "8,000.00" in html  # February single month derived: 18 000 - 10 000 万元
