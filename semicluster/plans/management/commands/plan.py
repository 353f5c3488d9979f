"""`semicluster plan validate FILE` / `semicluster plan load FILE` / `semicluster plan list`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from semicluster.plans import services
from semicluster.plans.models import Plan
from semicluster.plans.validation import validate_file


class Command(BaseCommand):
    help = "Validate, load or list work-plan files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser(
            "validate", help="Check a plan file against the schema; exit 1 on problems."
        )
        validate.add_argument("file")
        load = sub.add_parser("load", help="Load a plan file (idempotent; a changed file is a new version).")
        load.add_argument("file")
        sub.add_parser("list", help="List loaded plans and their versions.")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "validate":
            result = validate_file(str(options["file"]))
            for problem in result.problems:
                self.stderr.write(str(problem))
            if not result.ok:
                raise CommandError(f"{len(result.problems)} problem(s) in {options['file']}", returncode=1)
            self.stdout.write(f"{options['file']}: OK")
        elif action == "load":
            try:
                loaded = services.plan_load(str(options["file"]))
            except services.PlanInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{len(exc.problems)} problem(s); nothing was loaded", returncode=1
                ) from exc
            version = loaded.version
            if loaded.created:
                self.stdout.write(f"loaded {version.plan.code} as version {version.number}")
            else:
                self.stdout.write(f"{version.plan.code} unchanged (version {version.number}); nothing to do")
        else:
            for plan in Plan.objects.prefetch_related("versions"):
                for version in plan.versions.all():
                    loaded_at = timezone.localtime(version.loaded_at)
                    self.stdout.write(
                        "\t".join(
                            [
                                plan.code,
                                f"v{version.number}",
                                f"{loaded_at:%Y-%m-%d %H:%M}",
                                version.content_hash[:12],
                            ]
                        )
                    )
