"""The public portal: no log-in, only published disclosure-controlled data, in Chinese and English."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from django.test import Client

from semicluster.enterprises.models import PeriodValue
from semicluster.reports.build import yi
from semicluster.reports.sdc import SUPPRESSION_SYMBOL
from semicluster.reports.tests.conftest import YEAR


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def readable_text(response) -> str:  # type: ignore[no-untyped-def]
    """What a visitor can read in a response, whatever its type (Word and PDF files are opened)."""
    body = response.content
    kind = response["Content-Type"]
    if "wordprocessingml" in kind:
        from docx import Document

        word = Document(io.BytesIO(body))
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if "pdf" in kind:
        import pypdf

        return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8")


def crawl(client: Client, start: str = "/public/", language: str = "zh-hans") -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        text = readable_text(response)
        seen[url] = text
        if "text/html" in response["Content-Type"]:
            parser = Links()
            parser.feed(text)
            for link in parser.links:
                path = urlsplit(link).path
                if path.startswith("/public/") and path not in seen:
                    queue.append(path)
    return seen


def sensitive_values(city) -> list[str]:  # type: ignore[no-untyped-def]
    """Printed forms (亿元) of the cells that fail a primary rule: gxq × packaging (two firms) and
    kfq × manufacturing (one firm), and every single firm's revenue."""
    revenue = PeriodValue.objects.filter(measure="revenue", year=YEAR, period_type="A")

    def cell(area, segment):  # type: ignore[no-untyped-def]
        return revenue.filter(
            enterprise__area__code=area, enterprise__primary_node__segment__code=segment
        ).aggregate(t=Sum("value"))["t"]

    values = [cell("gxq", "packaging-testing"), cell("kfq", "manufacturing")]
    values += [v for v in revenue.values_list("value", flat=True)]  # and no single firm's figure
    return [f"{yi(v)}" for v in values]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_public_url_answers_without_login_and_reveals_no_enterprise(published, language):
    city = published["city"]
    pages = crawl(Client(), language=language)
    # Home, data, methodology, open data, the report page, its Word and PDF, the CSVs and metadata.
    paths = set(pages)
    assert {"/public/", "/public/data/", "/public/methodology/", "/public/opendata/"} <= paths
    assert any(p.endswith(".docx") for p in paths) and any(p.endswith(".pdf") for p in paths)
    assert any(p.endswith(".csv") for p in paths)
    assert "/public/opendata/datapackage.json" in paths and "/public/opendata/catalog.jsonld" in paths
    everything = "\n".join(pages.values())
    for name in city.names:
        assert name not in everything, name
    for code in city.credit_codes:
        assert code not in everything, code
    for value in sensitive_values(city):
        assert value not in everything, value
    assert "内部版" not in everything


@pytest.mark.django_db
def test_the_crawl_checks_would_catch_a_leak(published):
    """The internal edition (reachable only through the workflow) does contain what the crawl looks for."""
    internal = published["internal"].versions.get()
    city = published["city"]
    assert any(name in internal.html for name in city.names)


@pytest.mark.django_db
def test_public_pages_answer_in_english_and_chinese(published):
    client = Client()
    zh = client.get("/public/data/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "高新区" in zh and "合计" in zh
    en = client.get("/public/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Data by area and segment" in en and "Total" in en


@pytest.mark.django_db
def test_data_page_shows_the_symbol_with_its_footnote(published):
    page = Client().get("/public/data/").content.decode()
    assert f">{SUPPRESSION_SYMBOL}<" in page
    assert "为保护企业商业秘密" in page
    assert 'data-chart="area-chart"' in page


@pytest.mark.django_db
def test_home_lists_the_headline_goals_with_public_values(published):
    page = Client().get("/public/").content.decode()
    total = PeriodValue.objects.filter(measure="revenue", year=YEAR, period_type="A").aggregate(
        t=Sum("value")
    )["t"]
    assert "半导体相关产业规模" in page and str(yi(total)) in page
    assert f"/public/reports/{YEAR}/v1/" in page


@pytest.mark.django_db
def test_methodology_quotes_the_plan_clauses(published):
    page = Client().get("/public/methodology/").content.decode()
    assert "到 2025 年底，半导体相关产业规模超 350 亿元" in page
    assert "新增营业收入额超 10 亿元企业 3 家" in page


@pytest.mark.django_db
def test_public_pages_refuse_writes(published):
    assert Client().post("/public/").status_code == 405


@pytest.mark.django_db
def test_catalogue_is_dcat_json_ld_with_a_distribution_per_csv(published):
    response = Client().get("/public/opendata/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    names = {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    assert names == {f"goals-{YEAR}", f"revenue-by-area-segment-{YEAR}"}
    for dataset in catalog["dcat:dataset"]:
        url = dataset["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
        assert re.match(r"^http://testserver/public/opendata/data/.+\.csv$", url)
        assert Client().get(urlsplit(url).path).status_code == 200


@pytest.mark.django_db
def test_csv_has_the_public_values_and_the_symbol(published):
    text = Client().get(f"/public/opendata/data/revenue-by-area-segment-{YEAR}.csv").content.decode()
    lines = text.splitlines()
    assert lines[0].startswith("year,through_month,area,")
    gxq_packaging = next(line for line in lines if ",gxq," in line and ",packaging-testing," in line)
    assert gxq_packaging.endswith(f",{SUPPRESSION_SYMBOL}")
    grand = next(line for line in lines if line.split(",")[2] == line.split(",")[5] == "total")
    total = PeriodValue.objects.filter(measure="revenue", year=YEAR, period_type="A").aggregate(
        t=Sum("value")
    )["t"]
    assert Decimal(grand.rsplit(",", 1)[1]) == yi(total)
