from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "lianxin.holidays"
    label = "holidays"

    def ready(self) -> None:
        from lianxin.holidays import reach, sweeps  # noqa: F401  (registers reach and sweeps)
