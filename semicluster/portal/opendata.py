"""Open data: the published public aggregates as CSV, a Frictionless data package and a DCAT catalogue.

Everything here is read from published versions of the public edition (``ReportVersion.datasets``),
which passed statistical disclosure control when they were built and are immutable since, so the
open data can never show more than the published report. Suppressed cells are the symbol ``x``,
declared as a missing value in each Table Schema.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from semicluster.reports.models import ReportVersion
from semicluster.reports.sdc import PUBLIC_FOOTNOTE, SUPPRESSION_SYMBOL
from semicluster.reports.selectors import published_public_versions

PACKAGE_NAME = "kunshan-semiconductor-monitoring"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
PUBLISHER = "昆山市半导体产业发展领导小组办公室"
PUBLISHER_EN = "Kunshan Semiconductor Industry Development Leading Group Office"


@dataclass(frozen=True)
class Resource:
    """One CSV of one published version: ``name`` is stable per dataset and year (e.g. goals-2025)."""

    name: str
    year: int
    version: int
    published: str
    dataset: dict[str, Any]

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([f[0] for f in self.dataset["fields"]])
        for row in self.dataset["rows"]:
            writer.writerow(["" if v is None else v for v in row])
        return out.getvalue().encode("utf-8")


def latest_versions() -> list[ReportVersion]:
    """The latest published version of each year's public edition, newest year first."""
    seen: set[int] = set()
    latest = []
    for version in published_public_versions().defer("docx", "pdf", "html"):
        if version.report.year not in seen:
            seen.add(version.report.year)
            latest.append(version)
    return latest


def resources() -> list[Resource]:
    found = []
    for version in latest_versions():
        for dataset in version.datasets:
            found.append(
                Resource(
                    name=f"{dataset['code']}-{version.report.year}",
                    year=version.report.year,
                    version=version.number,
                    published=version.published_at.date().isoformat(),
                    dataset=dataset,
                )
            )
    return found


def resource_by_name(name: str) -> Resource | None:
    return next((r for r in resources() if r.name == name), None)


def _schema(dataset: dict[str, Any]) -> dict[str, Any]:
    fields = []
    for name, kind, title_zh, title_en in dataset["fields"]:
        field: dict[str, Any] = {"name": name, "type": kind, "title": f"{title_zh} / {title_en}"}
        if kind == "number":
            field["description"] = f"单位 unit: {dataset['unit']}; {SUPPRESSION_SYMBOL} = {PUBLIC_FOOTNOTE}"
        fields.append(field)
    return {"fields": fields, "missingValues": ["", SUPPRESSION_SYMBOL]}


def datapackage(items: list[Resource] | None = None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor (``datapackage.json``) of the published aggregates."""
    items = resources() if items is None else items
    package_resources = []
    for r in items:
        data = r.csv_bytes()
        package_resources.append(
            {
                "name": r.name,
                "path": r.path,
                "title": f"{r.dataset['title']} / {r.dataset['title_en']}",
                "description": r.dataset["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                "schema": _schema(r.dataset),
                "sources": [
                    {
                        "title": (
                            "昆山市半导体产业2025年工作方案 "
                            f"{r.dataset['source']}：{r.dataset['source_text']}"
                        ),
                    }
                ],
                "unit": r.dataset["unit"],
                "version": str(r.version),
            }
        )
    return {
        "name": PACKAGE_NAME,
        "title": "昆山市半导体产业发展监测公开数据 / Kunshan semiconductor cluster monitoring open data",
        "description": ("年度监测报告公开版中经统计数据保密处理的汇总数据。" + PUBLIC_FOOTNOTE),
        "licenses": [LICENSE],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "keywords": ["半导体", "semiconductor", "昆山", "Kunshan", "产业监测"],
        "resources": package_resources,
    }


def dcat_catalog(base_url: str, items: list[Resource] | None = None) -> dict[str, Any]:
    """A DCAT 3 catalogue of the datasets as JSON-LD; ``base_url`` is the absolute /public/opendata/ URL."""
    items = resources() if items is None else items
    base = base_url.rstrip("/") + "/"
    datasets = []
    for r in items:
        data = r.csv_bytes()
        datasets.append(
            {
                "@id": f"{base}#{r.name}",
                "@type": "dcat:Dataset",
                "dct:identifier": r.name,
                "dct:title": [
                    {"@value": r.dataset["title"], "@language": "zh"},
                    {"@value": r.dataset["title_en"], "@language": "en"},
                ],
                "dct:description": r.dataset["description"],
                "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
                "dct:issued": {"@value": r.published, "@type": "xsd:date"},
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": f"{r.year}-01-01",
                    "dcat:endDate": f"{r.year}-12-31",
                },
                "dct:spatial": "昆山市 Kunshan (GB/T 2260: 320583)",
                "dct:accrualPeriodicity": {"@id": "http://purl.org/cld/freq/annual"},
                "dct:license": {"@id": LICENSE["path"]},
                "dcat:keyword": ["半导体", "semiconductor"],
                "dct:conformsTo": {"@id": "https://datapackage.org/standard/table-schema/"},
                "owl:versionInfo": str(r.version),
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": {"@id": f"{base}{r.path}"},
                        "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/text/csv"},
                        "dcat:byteSize": {"@value": str(len(data)), "@type": "xsd:nonNegativeInteger"},
                        "spdx:checksum": {
                            "@type": "spdx:Checksum",
                            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                            "spdx:checksumValue": hashlib.sha256(data).hexdigest(),
                        },
                    }
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "owl": "http://www.w3.org/2002/07/owl#",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": base,
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": "昆山市半导体产业监测公开数据目录", "@language": "zh"},
            {"@value": "Kunshan semiconductor monitoring open-data catalogue", "@language": "en"},
        ],
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
        "dct:license": {"@id": LICENSE["path"]},
        "dcat:dataset": datasets,
    }


def export(directory: Path, base_url: str = "https://example.invalid/public/opendata/") -> list[Path]:
    """Write ``datapackage.json``, ``catalog.jsonld`` and ``data/*.csv`` into ``directory``."""
    items = resources()
    (directory / "data").mkdir(parents=True, exist_ok=True)
    written = []
    for r in items:
        path = directory / r.path
        path.write_bytes(r.csv_bytes())
        written.append(path)
    package = directory / "datapackage.json"
    package.write_text(json.dumps(datapackage(items), ensure_ascii=False, indent=2), encoding="utf-8")
    catalog = directory / "catalog.jsonld"
    catalog.write_text(
        json.dumps(dcat_catalog(base_url, items), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return [package, catalog, *written]
