"""What the v3 resource handlers share: the base class and parameter parsing."""

from __future__ import annotations

import abc
from datetime import date

from aiohttp import web

from tempo_async.emulator.context import ApiContext, quote_segment
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.state import V3State


class Resource(abc.ABC):
    """The handlers of one resource, bound to the state they serve."""

    def __init__(self, state: V3State, ctx: ApiContext | None = None) -> None:
        self.state = state
        self.ctx: ApiContext = state.context if ctx is None else ctx
        """The API the handlers answer in: v3's, or v4's when v4 serves them."""

    @abc.abstractmethod
    def routes(self) -> list[Route]:
        """The resource's operations."""

    def _api_url(self, *segments: str | int, query: list[tuple[str, str]] | None = None) -> str:
        """The absolute URL of `segments` under this resource's API base URL (v3's, or
        v4's when v4 serves these handlers)."""
        return self.ctx.url("".join("/" + quote_segment(s) for s in segments), query)


def path_int(request: web.Request, name: str, not_found: str) -> int:
    """An integer path parameter; a value that is not one cannot name anything (404)."""
    raw = request.match_info[name]
    try:
        return int(raw)
    except ValueError:
        raise ApiError(404, not_found) from None


def parse_date(raw: str, what: str) -> date:
    """A `YYYY-MM-DD` date or a 400 naming `what`."""
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"Invalid date '{raw}' for '{what}', expected YYYY-MM-DD") from None


def query_date(request: web.Request, name: str, *, required: bool = False) -> date | None:
    """A date query parameter; 400 when malformed, or missing and `required`."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        if required:
            raise ApiError(400, f"Query parameter '{name}' is required")
        return None
    return parse_date(raw, name)


def query_range(request: web.Request, *, required: bool = False) -> tuple[date | None, date | None]:
    """The `from`/`to` query parameters; 400 when `from` is after `to`."""
    from_ = query_date(request, "from", required=required)
    to = query_date(request, "to", required=required)
    if from_ is not None and to is not None and from_ > to:
        raise ApiError(400, "'from' must not be after 'to'")
    return from_, to


def iso(day: date | None) -> str | None:
    """ISO string of an optional date."""
    return None if day is None else day.isoformat()


def blank(value: object) -> bool:
    """Whether a string field is missing or only whitespace."""
    return not isinstance(value, str) or not value.strip()
