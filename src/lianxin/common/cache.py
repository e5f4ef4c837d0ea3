"""The shared cache on Redis, with one client object per connection pool (issue 7).

Django's Redis backend builds a new ``redis.Redis`` for every cache call; with redis-py 8 that
object costs about 0.3 ms to build (its table of reply callbacks), which is most of a cache
read on the same machine and three times a citizen's filing. A client is thread-safe (it takes
a connection from its pool per command), so one per pool is kept and reused. Everything else
is Django's backend.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class ReusedClients(django_redis.RedisCacheClient):
    """Django's Redis cache client, reusing one ``redis.Redis`` per connection pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            made = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            client = self._clients.setdefault(id(pool), made)
        return client


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``ReusedClients``."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClients
