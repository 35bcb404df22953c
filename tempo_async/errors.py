"""The exceptions tempo-async raises, and the mapping from an HTTP error response to them.

`TempoHTTPError` and its subclasses mean the server answered with a non-2xx status;
`TempoTransportError` means no usable answer arrived (connection, timeout, malformed or
truncated response). Both derive from `TempoError`. URLs held by errors are redacted:
no user info and no values of secret-looking query parameters.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from yarl import URL

__all__ = [
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "RateLimitedError",
    "ServerError",
    "TempoError",
    "TempoHTTPError",
    "TempoTransportError",
    "UnauthorizedError",
    "error_from_response",
    "redact_url",
]

MAX_RAW_MESSAGE = 500
"""Longest raw (non-JSON) response text kept as an error message, in characters."""

_SECRET_PARAMS = frozenset(
    {"code", "key", "apikey", "api_key", "password", "secret", "signature", "sig", "token"}
)
_SECRET_PARTS = ("token", "secret", "password")


class TempoError(Exception):
    """Base class of every error raised by tempo-async."""


class TempoHTTPError(TempoError):
    """The server answered with a non-2xx status.

    `messages` holds the server's error messages (`{"errors": [{"message": ...}]}`), or the
    trimmed response text when the body is not such JSON; `url` is redacted; `retry_after`
    is the server's `Retry-After` hint in seconds, when it sent one.
    """

    def __init__(
        self,
        status: int,
        messages: list[str],
        *,
        method: str,
        url: str,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.messages = messages
        self.method = method
        self.url = url
        self.retry_after = retry_after
        super().__init__(self._describe())

    def add_hint(self, hint: str) -> None:
        """Append what the user should do to the message (e.g. which API to use instead)."""
        self.args = (f"{self.args[0]} ({hint})",)

    def _describe(self) -> str:
        try:
            reason = f" {HTTPStatus(self.status).phrase}"
        except ValueError:
            reason = ""
        text = f"{self.method} {self.url} -> {self.status}{reason}"
        if self.messages:
            text += ": " + "; ".join(self.messages)
        if self.retry_after is not None:
            text += f" (Retry-After: {self.retry_after:g} s)"
        return text


class BadRequestError(TempoHTTPError):
    """400: the request was invalid (the messages say why)."""


class UnauthorizedError(TempoHTTPError):
    """401: the token is missing, invalid or expired."""


class ForbiddenError(TempoHTTPError):
    """403: the authenticated user lacks the permission the request needs."""


class NotFoundError(TempoHTTPError):
    """404: the addressed entity does not exist."""


class ConflictError(TempoHTTPError):
    """409: the request conflicts with the current state of the entity."""


class GoneError(TempoHTTPError):
    """410: the resource (or the whole API version, as Tempo's v3) is gone for good."""


class RateLimitedError(TempoHTTPError):
    """429: too many requests; `retry_after` is the server's hint in seconds, if any."""


class ServerError(TempoHTTPError):
    """5xx: the server failed to handle the request."""


class TempoTransportError(TempoError):
    """No usable response: connection failure, timeout, or a malformed/truncated response.

    The underlying exception, when there is one, is the `__cause__`.
    """

    def __init__(self, message: str, *, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{method} {url}: {message}")


class ResponseTooLargeError(TempoTransportError):
    """The response body is longer than the client's `max_body_size`: it was not read on."""

    def __init__(self, limit: int, *, method: str, url: str, size: int | None = None) -> None:
        self.limit = limit
        self.size = size
        what = f"{size:,} bytes" if size is not None else "more bytes"
        super().__init__(
            f"response body of {what} exceeds max_body_size={limit:,} bytes "
            "(raise it on the client if the server's pages are that large)",
            method=method,
            url=url,
        )


_BY_STATUS: dict[int, type[TempoHTTPError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    429: RateLimitedError,
}


def error_from_response(
    status: int,
    body: bytes | str,
    *,
    method: str,
    url: str | URL,
    retry_after: float | None = None,
) -> TempoHTTPError:
    """Build the typed error for a non-2xx response (the caller raises it).

    The URL is redacted here, so callers may pass the one they requested.
    """
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else TempoHTTPError)
    return cls(
        status,
        _messages(body),
        method=method,
        url=redact_url(url),
        retry_after=retry_after,
    )


def _messages(body: bytes | str) -> list[str]:
    """The server's messages: from Tempo's error JSON when it parses, else the raw text."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        found = _messages_from_json(data)
        if found:
            return found
    if len(text) > MAX_RAW_MESSAGE:
        text = text[:MAX_RAW_MESSAGE] + "..."
    return [text]


def _messages_from_json(data: dict[str, object]) -> list[str]:
    errors = data.get("errors")
    if isinstance(errors, dict) and isinstance(errors.get("message"), str):
        return [errors["message"]]  # v4: {"errors": {"message": ...}}
    if isinstance(errors, list):
        found = []
        for item in errors:
            if isinstance(item, dict) and isinstance(item.get("message"), str):
                found.append(item["message"])
            elif isinstance(item, str):
                found.append(item)
        return found
    # Other shapes seen in front of the API: OAuth ({"error", "error_description"}) and
    # gateways ({"message"}).
    code, description = data.get("error"), data.get("error_description")
    if isinstance(code, str) and code and isinstance(description, str) and description:
        return [f"{code}: {description}"]
    for key in ("message", "error_description", "error"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return [value]
    return []


def redact_url(url: str | URL) -> str:
    """The URL as safe to show: no user info, secret-looking query values replaced by ***."""
    parsed = URL(url) if isinstance(url, str) else url
    if parsed.user is not None or parsed.password is not None:
        parsed = parsed.with_user(None)
    if parsed.query_string and any(_is_secret(name) for name in parsed.query):
        parsed = parsed.with_query(
            [(name, "***" if _is_secret(name) else value) for name, value in parsed.query.items()]
        )
    return str(parsed)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_PARAMS or any(part in lowered for part in _SECRET_PARTS)
