"""`semicluster tasks sync` / `tasks silent [--date D]` / `tasks escalate [--date D]`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.accountability import selectors, services
from semicluster.plans.selectors import current_plan_version


class Command(BaseCommand):
    help = (
        "Work items of the current plan: create them from the plan's tasks, list silent units, "
        "issue escalations (督办)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="Create one work item per plan task (idempotent).")
        for name, text in (
            ("silent", "List units that have not reported by the due day."),
            ("escalate", "Issue the escalations (督办) due; running it again issues nothing new."),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument(
                "--date", type=date.fromisoformat, help="Judge as of this day (default: today)."
            )

    def handle(self, *args: object, **options: object) -> None:
        version = current_plan_version()
        if version is None:
            raise CommandError("no plan loaded; run `semicluster plan load FILE` first", returncode=1)
        action = options["action"]
        if action == "sync":
            items = services.work_items_sync(actor=None, version=version)
            self.stdout.write(f"work items created: {len(items)}")
            return
        today = options.get("date") or selectors.default_as_of(version)
        assert isinstance(today, date)
        if action == "silent":
            silent = selectors.silent_units(version, today)
            for unit in silent:
                self.stdout.write(str(unit.message))
            self.stdout.write(f"silent units as of {today.isoformat()}: {len(silent)}")
        else:
            try:
                created = services.escalations_issue(actor=None, version=version, today=today)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages), returncode=2) from exc
            for row in created:
                self.stdout.write(f"{row.unit.code}\t{row.period_key}\t{row.message}")
            self.stdout.write(f"escalations issued as of {today.isoformat()}: {len(created)}")
