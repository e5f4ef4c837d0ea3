"""One world for the whole permission matrix module, built once and rolled back at the end
(each test still runs inside its own savepoint, so its writes vanish too)."""

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.security.matrix import Matrix, build


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[Matrix]:
    from tests.factories import make_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build(make_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
