from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "lianxin.common"
    label = "common"
