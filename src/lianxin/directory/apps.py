from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "lianxin.directory"
    label = "directory"

    def ready(self) -> None:
        from lianxin.directory import (
            reach,  # noqa: F401  (registers reach rules)
            services,  # noqa: F401  (registers actor rules)
        )
