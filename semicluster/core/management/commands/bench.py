"""`semicluster bench NAME [options]`: run one of the benchmarks the apps declare.

Apps declare benchmarks in ``benchmarks.py`` as ``BENCHMARKS = {"name": run}`` with
``run(out, argv) -> int``; each prints its figures and the baseline it measured in the same run.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.core.registry import app_modules


def available() -> dict[str, Any]:
    from semicluster.core import benchmarks as core_benchmarks

    found: dict[str, Any] = {}
    for app, module in [("semicluster.core", core_benchmarks), *app_modules("benchmarks")]:
        for name, run in getattr(module, "BENCHMARKS", {}).items():
            if name in found:
                raise CommandError(f"benchmark {name!r} is declared twice (second in {app})")
            found[name] = run
    return found


class Command(BaseCommand):
    help = "Run a benchmark: semicluster bench NAME [options] (NAME = list to see them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("options", nargs="*", help="Options passed to the benchmark (after --).")

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after the benchmark's name belongs to the benchmark, dashes included.
        if len(argv) > 2 and argv[2] not in ("-h", "--help"):
            self._argv = argv[3:]
            argv = argv[:3]
        else:
            self._argv = []
        super().run_from_argv(argv)

    def handle(self, *args: object, **options: object) -> None:
        benchmarks = available()
        name = str(options["name"])
        if name == "list":
            for key in sorted(benchmarks):
                self.stdout.write(key)
            return
        if name not in benchmarks:
            raise CommandError(f"unknown benchmark {name!r}; available: {', '.join(sorted(benchmarks))}")
        status = benchmarks[name](self.stdout, list(getattr(self, "_argv", [])) or list(options["options"]))  # type: ignore[call-overload]
        if status:
            sys.exit(status)
