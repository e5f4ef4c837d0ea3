from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lianxin.notifications"
    label = "notifications"
