from django.core.management.base import BaseCommand

from lianxin.common.demo import load_demo


class Command(BaseCommand):
    help = "Loads the demo dataset. Idempotent: a second run adds nothing."

    def handle(self, *args: object, **options: object) -> None:
        created = load_demo()
        self.stdout.write(
            f"demo dataset: {created} new records" if created else "demo dataset: already loaded"
        )
