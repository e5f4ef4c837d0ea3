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
