from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lianxin.portal"
    label = "portal"

    def ready(self) -> None:
        from lianxin.portal import intake  # noqa: F401  (registers the intake sweep)
