"""Runs every periodic sweep once (cron, tests, or by hand): ``manage.py run_sweeps``."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.common.sweeps import run_all_sweeps


class Command(BaseCommand):
    help = "Runs every registered sweep once."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, result in run_all_sweeps().items():
            self.stdout.write(f"{name}: {result}")
