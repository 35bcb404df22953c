"""Error responses of the emulator: the spec's `{"errors": [{"message": ...}]}` body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApiError(Exception):
    """Raised by handlers; the error middleware turns it into an error response.

    `messages` become the `errors[].message` entries; an empty tuple means no body
    (the spec documents 401 without one).
    """

    def __init__(
        self, status: int, *messages: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status}: {'; '.join(messages)}")
        self.status = status
        self.messages = messages
        self.headers = dict(headers or {})


def error_body(*messages: str) -> dict[str, Any]:
    """The spec's error body with one entry per message."""
    return {"errors": [{"message": message} for message in messages]}


def bad_request(*messages: str) -> ApiError:
    """A 400 with the given messages."""
    return ApiError(400, *messages)


def not_found(message: str) -> ApiError:
    """A 404 with the given message."""
    return ApiError(404, message)
