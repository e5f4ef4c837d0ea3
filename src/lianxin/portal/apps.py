from typing import Any

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lianxin.portal"
    label = "portal"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from lianxin.directory.models import Station
        from lianxin.portal import intake  # noqa: F401  (registers the intake sweep)

        post_save.connect(_forget_place, sender=Station, dispatch_uid="portal-station-place")
        post_delete.connect(_forget_place, sender=Station, dispatch_uid="portal-station-place-d")


def _forget_place(sender: Any, instance: Any, **kwargs: Any) -> None:
    from lianxin.portal.cases import forget_station_place

    forget_station_place(instance)
