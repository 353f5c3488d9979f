from django.core.management.base import BaseCommand

from semicluster.accounts.selectors import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo log-ins (one per role and scope)."

    def handle(self, *args: object, **options: object) -> None:
        users = list(demo_logins())
        if not users:
            self.stdout.write("no demo log-ins (run `semicluster demo` first)")
            return
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            scope = user.area or user.unit or user.enterprise or ""
            self.stdout.write(f"  {user.username:<22} {user.get_role_display():<36} {scope}")
