"""`semicluster projects lights [--month YYYY-MM] [--format table|json] [--store]` and
`semicluster projects escalate [--date YYYY-MM-DD]`."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.projects import selectors, services
from semicluster.projects.assess import default_reporting_month
from semicluster.projects.lights import Colour


def _month(text: str | None) -> date:
    if not text:
        return default_reporting_month()
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"--month 应为 YYYY-MM / --month must be YYYY-MM, got {text!r}") from None


class Command(BaseCommand):
    help = "Project library: print every project's measures and light, or escalate overdue problems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        lights = sub.add_parser(
            "lights", help="Print each library project's measures and light with reasons."
        )
        lights.add_argument("--month", help="Reporting month YYYY-MM (default: the latest month reported).")
        lights.add_argument("--format", choices=["table", "json"], default="table")
        lights.add_argument(
            "--store", action="store_true", help="Also store the lights (a change is kept in the history)."
        )
        escalate = sub.add_parser(
            "escalate", help="Raise supervision tickets for overdue problems (idempotent)."
        )
        escalate.add_argument("--date", help="Judge deadlines against this day (default: today).")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "escalate":
            self._escalate(options.get("date"))  # type: ignore[arg-type]
            return
        month = _month(options.get("month"))  # type: ignore[arg-type]
        report = selectors.lights_report(month)
        if options["store"]:
            changed = services.lights_recompute_all(month=month, trigger="command")
            self.stderr.write(f"{changed} light(s) changed")
        if options["format"] == "json":
            out = [
                {
                    "id": project.pk,
                    "name": project.name,
                    "area": project.area.code,
                    "owner": project.owner.name,
                    "stage": project.stage,
                    "month": f"{result.month:%Y-%m}",
                    "measures": result.measures.as_dict(),
                    "light": result.light.as_dict(),
                }
                for project, result in report
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{month:%Y-%m}: {len(report)} library projects")
        header = [
            "id",
            "light",
            "area",
            "stage",
            "ytd%",
            "schedule%",
            "gap",
            "ratio",
            "no-start",
            "days",
            "overdue",
            "name · reasons",
        ]
        self.stdout.write("\t".join(header))
        counts = {c.value: 0 for c in Colour}
        for project, result in report:
            m = result.measures
            counts[result.light.colour.value] += 1
            cells = [
                str(project.pk),
                result.light.colour.value,
                project.area.code,
                project.stage,
                _text(m.ytd_completion_pct),
                _text(m.schedule_pct),
                _text(m.gap_points),
                _text(m.completion_ratio),
                _text(m.start_overdue_months),
                _text(m.days_since_update),
                str(m.overdue_problems),
                project.name + " · " + "；".join(r.text_zh for r in result.light.reasons),
            ]
            self.stdout.write("\t".join(cells))
        self.stdout.write("red {red} · yellow {yellow} · green {green}".format(**counts))

    def _escalate(self, day_text: str | None) -> None:
        day = None
        if day_text:
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                raise CommandError(
                    f"--date 应为 YYYY-MM-DD / --date must be YYYY-MM-DD, got {day_text!r}"
                ) from None
        result = services.problems_escalate(today=day)
        for ticket in result.created:
            self.stdout.write(
                f"{ticket.number}\t{ticket.unit.short_name}\t{ticket.project.name}\t{ticket.reply_deadline}"
            )
        self.stdout.write(f"{len(result.created)} ticket(s) raised, {result.already} already raised")


def _text(value: object) -> str:
    return "—" if value is None else str(value)
