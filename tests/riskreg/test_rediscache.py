"""The Redis cache keeps one client per connection pool (riskreg/rediscache.py)."""

from riskreg.rediscache import RedisCache


def test_one_client_per_pool_not_one_per_call():
    cache = RedisCache("redis://127.0.0.1:6379/15;redis://127.0.0.1:6379/14", {})
    client = cache._cache
    writer = client.get_client(write=True)
    assert client.get_client("a key", write=True) is writer
    reader = client.get_client()  # the second server, for reads
    assert reader is client.get_client() and reader is not writer
    assert reader.connection_pool is not writer.connection_pool
