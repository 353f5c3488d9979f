import json
import re
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


def _monthly_chart(client, firm, language):
    html = client.get(reverse("enterprises:detail", args=[firm.pk]), HTTP_ACCEPT_LANGUAGE=language)
    data = re.search(
        r'<script id="monthly-chart-data" type="application/json">(.*?)</script>', html.content.decode()
    )
    assert data is not None
    return json.loads(data.group(1))


def test_the_monthly_chart_keeps_its_legend_clear_of_the_title_and_speaks_the_readers_language(
    client, personas
):
    firm = make_enterprise(area="kfq")
    for month, revenue in ((1, 100_000_000), (2, 180_000_000)):
        add_value(firm, "revenue", 2025, Decimal(revenue), month=month)
        add_value(firm, "output", 2025, Decimal(revenue), month=month)
    client.force_login(personas["admin"])
    chinese = _monthly_chart(client, firm, "zh-hans")
    assert chinese["legend"]["bottom"] == 0 and "top" not in chinese["legend"]  # the title has the top
    assert chinese["grid"]["bottom"] >= 30 and chinese["grid"]["containLabel"] is True
    names = [s["name"] for s in chinese["series"]]
    assert names == ["营业收入（本年累计）", "营业收入（当月）", "产值（本年累计）", "产值（当月）"]
    assert chinese["legend"]["data"] == names
    assert not re.search(r"[A-Za-z]", "".join([*names, chinese["title"]["text"]]))  # no English words
    assert chinese["series"][1]["data"] == [10000, 8000]  # single months in 万元
    assert chinese["xAxis"]["axisLabel"]["interval"] == 0
    english = _monthly_chart(client, firm, "en")
    assert [s["name"] for s in english["series"]][:2] == [
        "revenue, year to date",
        "revenue, single month",
    ]
    assert english["title"]["text"] == "2025 monthly (10k yuan)"
