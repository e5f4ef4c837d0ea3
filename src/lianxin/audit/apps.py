from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lianxin.audit"
    label = "audit"

    def ready(self) -> None:
        from lianxin.audit import reach  # noqa: F401  (registers reach rules)
