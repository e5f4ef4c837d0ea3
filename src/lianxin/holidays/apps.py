from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "lianxin.holidays"
    label = "holidays"
