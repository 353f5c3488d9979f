"""The `semicluster` command: manage.py with the platform's settings and friendlier defaults.

`semicluster plan load FILE`, `semicluster demo`, `semicluster import …` are Django management
commands; this wrapper only picks the settings module (development settings unless
DJANGO_SETTINGS_MODULE is set) so operators never type manage.py.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semicluster.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["semicluster", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
