from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianxin.accounts"
    label = "accounts"

    def ready(self) -> None:
        from lianxin.accounts import reach  # noqa: F401  (registers reach rules)
