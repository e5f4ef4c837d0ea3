from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lianxin.regions"
    label = "regions"

    def ready(self) -> None:
        from lianxin.regions import reach  # noqa: F401  (registers reach rules)
