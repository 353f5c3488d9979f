"""`semicluster bench import [--rows N] [--keep]`: 100,000 period-data rows through preview and commit.

Goals (issue 3): 100,000 rows committed in under 30 s on PostgreSQL, peak memory under 1 GB. The
measuring code is in :mod:`semicluster.intake.bench`.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from .bench import report, run_import_bench

GOAL_S = 30.0
GOAL_MB = 1024


def run(out: TextIO, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="semicluster bench import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported rows (default: revert them)")
    options = parser.parse_args(argv)
    try:
        figures = run_import_bench(options.rows, keep=options.keep)
    except RuntimeError as exc:
        out.write(f"{exc}\n")
        return 1
    out.write(report(figures) + "\n")
    met = figures["transaction_s"] < GOAL_S and figures["peak_memory_mb"] < GOAL_MB
    out.write(
        f"goal ({GOAL_S:.0f} s import committed, {GOAL_MB} MB peak): {'met' if met else 'NOT met'}"
        + ("" if options.rows == 100_000 else f" (measured on {options.rows:,} rows)")
        + "\n"
    )
    return 0


BENCHMARKS = {"import": run}
