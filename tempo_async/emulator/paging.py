"""Offset/limit paging: parse the query parameters and build the page envelope.

The envelope follows the spec's paged lists: `{self, metadata: {count, offset, limit,
next?, previous?}, results}` with absolute `self`/`next`/`previous` links that repeat the
request's other query parameters. `count` is the number of results in this page, as the
live API sends it and as widely used clients rely on (they add `count` to the offset);
`next` is present while more results follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from multidict import MultiMapping

from tempo_async.emulator.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


@dataclass(frozen=True)
class PageRequest:
    """The window a client asked for."""

    offset: int
    limit: int


def _non_negative_int(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Query parameter '{name}' must be an integer, got '{raw}'") from None
    if value < 0:
        raise ApiError(400, f"Query parameter '{name}' must not be negative")
    return value


def parse_page_request(
    query: Mapping[str, str], *, default_limit: int = DEFAULT_LIMIT, max_limit: int = MAX_LIMIT
) -> PageRequest:
    """`offset` (default 0) and `limit` (default 50, 1..max_limit) or a 400."""
    offset = _non_negative_int(query, "offset", 0)
    limit = _non_negative_int(query, "limit", default_limit)
    if limit < 1:
        raise ApiError(400, "Query parameter 'limit' must be at least 1")
    if limit > max_limit:
        raise ApiError(400, f"Query parameter 'limit' must be at most {max_limit}, got {limit}")
    return PageRequest(offset, limit)


def page_url(origin: str, raw_path: str, query: MultiMapping[str], offset: int, limit: int) -> str:
    """`origin + raw_path` with the request's parameters and the given offset and limit."""
    pairs = [(k, v) for k, v in query.items() if k not in ("offset", "limit")]
    pairs += [("offset", str(offset)), ("limit", str(limit))]
    return f"{origin}{raw_path}?{urlencode(pairs, safe=':,')}"


def build_page(
    *,
    origin: str,
    raw_path: str,
    query: MultiMapping[str],
    page: PageRequest,
    results: Sequence[Any],
    has_more: bool,
) -> dict[str, Any]:
    """The page envelope for `results`, taken at `page` from a longer list."""
    metadata: dict[str, Any] = {"count": len(results), "offset": page.offset, "limit": page.limit}
    if has_more:
        metadata["next"] = page_url(origin, raw_path, query, page.offset + page.limit, page.limit)
    if page.offset > 0:
        previous = max(0, page.offset - page.limit)
        metadata["previous"] = page_url(origin, raw_path, query, previous, page.limit)
    return {
        "self": page_url(origin, raw_path, query, page.offset, page.limit),
        "metadata": metadata,
        "results": results,
    }
