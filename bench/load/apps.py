from django.apps import AppConfig


class BenchLoadConfig(AppConfig):
    name = "bench.load"
    label = "bench_load"
    default_auto_field = "django.db.models.BigAutoField"
