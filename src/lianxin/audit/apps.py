from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lianxin.audit"
    label = "audit"

    def ready(self) -> None:
        from lianxin.audit import reach, sweeps  # noqa: F401  (registers reach rules, sweeps)
        from lianxin.audit.registry import watch_apps

        watch_apps()
