from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"

    def ready(self) -> None:
        from lianxin.cases import deadlines, reach, sweeps  # noqa: F401  (registers rules, sweeps)
