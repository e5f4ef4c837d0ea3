import os

import pytest

os.environ.setdefault("LIANXIN_TESTING", "true")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test itself are then flagged as "async unsafe" although they are not concurrent.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 costs 0.1-0.2 s a hash; tests that check the real hasher say so explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    """Personas: two townships of two counties, each with office, station, unit, deputy and
    leadership accounts, and the three administrators (tests/factories.py)."""
    from tests.factories import make_world

    return make_world()


def _restore_shipped_data() -> None:
    """Reloads what migrations ship (national divisions, the seeded holiday calendar)."""
    import importlib

    from django.apps import apps

    from lianxin.holidays.models import HolidayYear
    from lianxin.regions.models import Region

    if not Region.objects.filter(code="41").exists():
        importlib.import_module("lianxin.regions.migrations.0002_load_national_divisions").load(
            apps, None
        )
    if not HolidayYear.objects.exists():
        importlib.import_module("lianxin.holidays.migrations.0002_seed_from_chinese_calendar").seed(
            apps, None
        )


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing every table, including the rows migrations ship.
    Whatever test runs next on this worker (any database, any order under xdist) must find
    them again, so they are restored right after the flush."""
    yield
    # After the last test the session's test databases are already gone: nothing to restore.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore_shipped_data()
