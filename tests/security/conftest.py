"""One world for the whole permission matrix module, built once and rolled back at the end
(each test still runs inside its own savepoint, so its writes vanish too)."""

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.security.matrix import Matrix, build


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Matrix]:
    from django.test import override_settings

    from tests.factories import make_world

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build(make_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
