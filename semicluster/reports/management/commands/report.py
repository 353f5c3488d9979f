"""`semicluster report annual --year 2025 --edition internal|public --format docx|html|pdf -o FILE`.

Builds the annual monitoring report from the current data, with the reviewers' stored edits of that
year's report re-applied; ``--published`` writes the latest published version's stored file instead.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.reports.build import EDITIONS, build_annual_report
from semicluster.reports.models import AnnualReport, ReportVersion
from semicluster.reports.render import FORMATS, render
from semicluster.reports.selectors import last_published_suppression


class Command(BaseCommand):
    help = "Write the annual monitoring report as Word, HTML or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        annual = sub.add_parser("annual", help="The annual monitoring report (年度监测报告).")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--edition", choices=EDITIONS, default="internal")
        annual.add_argument("--format", choices=FORMATS, default="docx", dest="fmt")
        annual.add_argument("-o", "--output", required=True, help="file to write")
        annual.add_argument(
            "--published", action="store_true", help="write the latest published version as stored"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, edition, fmt = options["year"], options["edition"], options["fmt"]
        output = Path(options["output"])
        started = time.perf_counter()
        if options["published"]:
            version = (
                ReportVersion.objects.filter(report__year=year, report__edition=edition)
                .order_by("-number")
                .first()
            )
            if version is None:
                raise CommandError(
                    f"{year}年{edition}版报告尚未发布 / no published {edition} report for {year}"
                )
            data = {"docx": bytes(version.docx), "pdf": bytes(version.pdf), "html": version.html.encode()}[
                fmt
            ]
        else:
            stored = AnnualReport.objects.filter(year=year, edition=edition).first()
            built = build_annual_report(
                year,
                edition,
                edits=stored.edits if stored else None,
                carried=last_published_suppression(year, edition),
            )
            data = render(built.document, fmt)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(
            f"{output}: {len(data):,} bytes ({edition}, {fmt}) in {time.perf_counter() - started:.1f} s"
        )
