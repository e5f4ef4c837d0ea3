from django.core.management.base import BaseCommand, CommandParser

from lianxin.common.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Prints where to log in and the demo accounts per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")

    def handle(self, *args: object, **options: object) -> None:
        port = options["port"]
        out = self.stdout
        out.write("")
        out.write(f"Lianxin is starting on http://127.0.0.1:{port}/  (stop with Ctrl+C)")
        out.write(f"  API docs: http://127.0.0.1:{port}/api/v1/docs/")
        out.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, label in demo_logins():
            out.write(f"  {username:<22} {label}")
        out.write("")
