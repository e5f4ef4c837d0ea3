"""Each app lists its viewsets in ``<app>/api.py`` as ``ROUTES = [(prefix, viewset, basename)]``."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = [
    "regions",
    "holidays",
    "accounts",
    "audit",
    "directory",
    "notifications",
    "cases",
    "activities",
]


def register_all(router: DefaultRouter) -> None:
    for app in API_APPS:
        try:
            module = import_module(f"lianxin.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"lianxin.{app}.api":
                raise
            continue
        for prefix, viewset, basename in getattr(module, "ROUTES", []):
            router.register(prefix, viewset, basename=basename)
