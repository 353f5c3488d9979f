"""`semicluster bulletin --period 2025-06 --format docx|html -o FILE [--as-of D] [--issue]`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from semicluster.accountability import bulletin as bulletins
from semicluster.accountability import selectors
from semicluster.accountability.models import Bulletin
from semicluster.documents import render_docx, render_html
from semicluster.plans.selectors import current_plan_version


class Command(BaseCommand):
    help = (
        "Write the periodic bulletin (定期通报) for a month (2025-06) or quarter (2025-Q2) as Word (.docx, "
        "GB/T 9704) or HTML. An issued bulletin is written as issued; otherwise from the current data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2025-06 or 2025-Q2")
        parser.add_argument("--format", choices=["docx", "html"], default="docx")
        parser.add_argument("-o", "--output", required=True, help="File to write")
        parser.add_argument("--as-of", type=date.fromisoformat, help="Data as of this day (drafts only)")

    def handle(self, *args: object, **options: object) -> None:
        version = current_plan_version()
        if version is None:
            raise CommandError("no plan loaded; run `semicluster plan load FILE` first", returncode=1)
        rules = selectors.reporting_rules(version)
        try:
            period = bulletins.parse_period(str(options["period"]), rules)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        issued = Bulletin.objects.filter(
            plan_version=version, period_key=period.key, state=Bulletin.State.ISSUED
        ).first()
        if issued is not None:
            document = bulletins.document_for(issued)
            origin = (
                f"issued {timezone.localtime(issued.issued_at):%Y-%m-%d}" if issued.issued_at else "issued"
            )
        else:
            as_of = options.get("as_of") or bulletins.default_as_of(period, selectors.default_as_of(version))
            assert isinstance(as_of, date)
            draft = Bulletin.objects.filter(
                plan_version=version, period_key=period.key, state=Bulletin.State.DRAFT
            ).first()
            edits = {p.key: p.edited_text for p in draft.paragraphs.all() if p.edited_text} if draft else {}
            try:
                data = bulletins.bulletin_data(version, period.key, as_of)
            except ValidationError as exc:
                raise CommandError(str(exc), returncode=1) from exc
            document = bulletins.build_document(data, edits)
            origin = f"draft, data as of {as_of.isoformat()}"
        output = Path(str(options["output"]))
        if options["format"] == "docx":
            output.write_bytes(render_docx(document))
        else:
            html = render_html(document)
            output.write_text(
                f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{document.title}</title>'
                f"<body>{html}</body></html>\n",
                encoding="utf-8",
            )
        self.stdout.write(f"{output}: bulletin {period.key} ({origin})")
