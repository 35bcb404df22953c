"""`--db URL`: which database to sync into.

- `sqlite:///tempo.db` (a path relative to the working directory), `sqlite:////abs/t.db`
  (absolute): an SQLite file, created when missing;
- `postgresql://user:password@host:port/dbname` (or `postgres://`): PostgreSQL through
  asyncpg; the usual libpq defaults and `PG*` variables fill in what the URL leaves out.

The password never appears in messages: `DatabaseURL.display` masks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = ["DEFAULT_DB", "DatabaseURL", "DatabaseURLError", "parse_db_url"]

DEFAULT_DB = "sqlite:///tempo.db"
_SCHEMES = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}


class DatabaseURLError(ValueError):
    """`--db` is not a database URL this tool can use."""


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed `--db`: an SQLite file, or a PostgreSQL DSN."""

    kind: str
    """"sqlite" or "postgresql"."""
    display: str
    """The URL as messages show it (password masked)."""
    path: Path | None = None
    """The SQLite file."""
    dsn: str | None = field(default=None, repr=False)
    """The PostgreSQL connection URL (with its password: never printed)."""


def _masked(url: str) -> str:
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def parse_db_url(text: str) -> DatabaseURL:
    """The database `text` names; DatabaseURLError (naming the bad part) otherwise."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise DatabaseURLError(
            f"--db {text!r} is not a URL: give sqlite:///FILE or postgresql://HOST/DBNAME"
        )
    kind = _SCHEMES.get(scheme.lower())
    if kind is None:
        raise DatabaseURLError(
            f"--db: unsupported scheme {scheme!r} in {_masked(text)!r} "
            "(sqlite:///FILE or postgresql://HOST/DBNAME)"
        )
    if kind == "sqlite":
        if not rest.startswith("/") or rest in ("/", "//"):
            raise DatabaseURLError(
                f"--db {text!r}: an SQLite URL has three slashes and a file, "
                "sqlite:///tempo.db (relative) or sqlite:////var/lib/tempo.db (absolute)"
            )
        if "?" in rest or "#" in rest:
            raise DatabaseURLError(f"--db {text!r}: SQLite URLs take no query or fragment")
        return DatabaseURL("sqlite", text, path=Path(rest[1:]))
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError as exc:
        raise DatabaseURLError(f"--db {_masked(text)!r}: {exc}") from None
    if parts.path.strip("/").count("/"):
        raise DatabaseURLError(
            f"--db {_masked(text)!r}: the path must be one database name, got {parts.path!r}"
        )
    dsn = urlunsplit(parts._replace(scheme="postgresql"))
    return DatabaseURL("postgresql", _masked(text), dsn=dsn)
