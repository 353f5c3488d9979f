"""`semicluster import DATASET FILE [--dry-run] [--user USERNAME]`: preview, then commit unless --dry-run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.intake import services
from semicluster.intake.console import preview_report
from semicluster.intake.registry import datasets


class Command(BaseCommand):
    help = "Import a workbook: print the preview, then commit (all or nothing) unless --dry-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", help="dataset key: " + ", ".join(datasets()))
        parser.add_argument("file", help=".xlsx, .xls or .csv (UTF-8 or GBK)")
        parser.add_argument("--dry-run", action="store_true", help="show the preview only; write nothing")
        parser.add_argument("--user", help="act as this user (their scope applies); default: city-wide")
        parser.add_argument("--limit", type=int, default=50, help="problems and changes listed (default 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['user']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            batch = services.import_preview(
                actor=actor, dataset_key=options["dataset"], filename=path.name, data=path.read_bytes()
            )
        except services.UploadRefused as exc:
            raise CommandError(f"{path.name}: {exc.message}", returncode=1) from exc
        except services.ImportNotAllowed as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            f"批次 batch #{batch.pk} · {options['dataset']} · {batch.filename} · sha256 {batch.sha256[:12]}"
        )
        self.stdout.write(preview_report(batch.summary, limit=options["limit"]))
        if batch.summary.get("has_errors"):
            raise CommandError(
                f"{batch.error_count} 行有错误，未写入任何数据 / "
                f"{batch.error_count} row(s) with errors; nothing written",
                returncode=1,
            )
        if options["dry_run"]:
            self.stdout.write("--dry-run: 未写入任何数据 / nothing written")
            return
        try:
            services.import_commit(actor=actor, batch=batch)
        except services.ImportFailed as exc:
            raise CommandError(exc.message, returncode=1) from exc
        if batch.changes_count:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已提交 committed: {batch.created_count} created, {batch.updated_count} updated, "
                    f"{batch.unchanged_count} unchanged (batch #{batch.pk})"
                )
            )
        else:
            self.stdout.write("没有需要修改的内容 / nothing to change")
