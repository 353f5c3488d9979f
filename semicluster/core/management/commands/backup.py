from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from semicluster.core.backup import backup


class Command(BaseCommand):
    help = "Write a consistent backup (records, history, uploaded files) to one zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="The zip file to write.")

    def handle(self, *args: object, **options: object) -> None:
        result = backup(Path(str(options["output"])))
        rows = sum(result.tables.values())
        self.stdout.write(f"backup written to {result.path}: {len(result.tables)} tables, {rows} rows")
