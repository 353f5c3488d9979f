"""`semicluster demo [--seed N] [--scale kunshan|province] [--reset | --if-empty]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.core.demo import SCALES, DemoContext, generate_demo, reset_demo
from semicluster.enterprises.models import Enterprise
from semicluster.plans.selectors import current_plan_version


class Command(BaseCommand):
    help = "Create the deterministic synthetic demo data set (all names and figures invented)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--scale", choices=sorted(SCALES), default="kunshan")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Delete existing demo data first.")
        group.add_argument("--if-empty", action="store_true", help="Do nothing when enterprises exist.")

    def handle(self, *args: object, **options: object) -> None:
        version = current_plan_version()
        if version is None:
            raise CommandError("No plan is loaded: run `semicluster plan load FILE` first.")
        if Enterprise.objects.exists():
            if options["if_empty"]:
                self.stdout.write("demo data already present; nothing to do")
                return
            if not options["reset"]:
                raise CommandError("Enterprises already exist: use --reset to replace the demo data set.")
            reset_demo()
        ctx = DemoContext(
            seed=int(options["seed"]),  # type: ignore[call-overload]
            scale=str(options["scale"]),
            plan_version=version,
            out=self.stdout,
            progress=options["scale"] == "province",
        )
        generate_demo(ctx)
        self.stdout.write(self.style.SUCCESS(f"demo data created (seed {ctx.seed}, scale {ctx.scale})"))
