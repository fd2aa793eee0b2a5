"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's RedisCacheClient makes a new redis.Redis on every get and set; with redis-py 8 that
costs about 40 µs, more than the get itself of a small value over loopback (a page served from
the cache reads the header's unread count this way). A redis.Redis is safe to share between
threads: each command takes a connection from the pool.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
