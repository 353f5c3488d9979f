"""`semicluster opendata export -o DIR`: the published public aggregates as CSV + datapackage.json + DCAT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from semicluster.portal.opendata import export


class Command(BaseCommand):
    help = "Export the open data of the published public reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("export", help="Write CSV files, datapackage.json and catalog.jsonld.")
        out.add_argument("-o", "--output", required=True, help="directory to write into")
        out.add_argument(
            "--base-url",
            default="https://example.invalid/public/opendata/",
            help="absolute URL of /public/opendata/ on the portal, for the catalogue's download links",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = export(Path(options["output"]), options["base_url"])
        for path in written:
            self.stdout.write(str(path))
        if len(written) == 2:
            self.stdout.write("没有已发布的公开版报告 / no public report has been published yet")
