"""The store a `--db` URL names."""

from __future__ import annotations

from tempo_async.cli._sync.db_url import DatabaseURL
from tempo_async.cli._sync.store import Store

__all__ = ["open_store"]


def open_store(url: DatabaseURL) -> Store:
    """The (unopened) store of `url`: use it as `async with open_store(url) as store`."""
    if url.kind == "sqlite":
        from tempo_async.cli._sync.sqlite_store import SqliteStore

        assert url.path is not None
        return SqliteStore(url.path, url.display)
    from tempo_async.cli._sync.postgres_store import PostgresStore

    assert url.dsn is not None
    return PostgresStore(url.dsn, url.display)
