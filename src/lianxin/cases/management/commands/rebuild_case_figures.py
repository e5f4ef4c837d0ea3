"""Recounts the case figures from the events (CASE-10): after a restore, or to check them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianxin.cases.figures import fill_months, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the aggregate tables of case figures (daily, monthly, units) from the case "
        "events; with --months-only, refill only the monthly table from the daily one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months-only",
            action="store_true",
            help="refill the monthly table from the daily table (fast; trusts the daily one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["months_only"]:
            n = fill_months()
            self.stdout.write(f"refilled {n} monthly case figure rows from the daily table")
            return
        n = rebuild()
        self.stdout.write(f"rebuilt case figures from {n} events")
