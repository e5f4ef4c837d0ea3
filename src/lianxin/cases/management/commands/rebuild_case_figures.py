"""Recounts the case figures from the events (CASE-10): after a restore, or to check them."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.cases.figures import rebuild


class Command(BaseCommand):
    help = "Rebuild the aggregate tables of case figures from the case events."

    def handle(self, *args: Any, **options: Any) -> None:
        n = rebuild()
        self.stdout.write(f"rebuilt case figures from {n} events")
