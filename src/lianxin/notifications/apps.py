from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lianxin.notifications"
    label = "notifications"

    def ready(self) -> None:
        from lianxin.notifications import reach  # noqa: F401  (registers reach rules)
