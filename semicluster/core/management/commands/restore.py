from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from semicluster.core.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore a backup into this migrated database (empty, or with --replace)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Delete every current record first.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            counts = restore(Path(str(options["file"])), replace=bool(options["replace"]))
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {sum(counts.values())} rows in {len(counts)} tables")
