import json

import pytest

from tempo_async.errors import (
    MAX_RAW_MESSAGE,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TempoError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
    error_from_response,
    redact_url,
)

URL = "https://api.tempo.io/core/3/worklogs/126"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitedError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
        (405, TempoHTTPError),
        (418, TempoHTTPError),
        (302, TempoHTTPError),
    ],
)
def test_each_status_maps_to_its_error_class(status: int, cls: type[TempoHTTPError]) -> None:
    error = error_from_response(status, b"", method="GET", url=URL)
    assert type(error) is cls
    assert error.status == status
    assert error.method == "GET"
    assert error.url == URL


def test_hierarchy_separates_http_errors_from_transport_errors() -> None:
    for cls in (BadRequestError, UnauthorizedError, RateLimitedError, ServerError):
        assert issubclass(cls, TempoHTTPError)
        assert issubclass(cls, TempoError)
    assert issubclass(TempoTransportError, TempoError)
    assert not issubclass(TempoTransportError, TempoHTTPError)


def test_messages_come_from_the_tempo_error_body() -> None:
    body = json.dumps(
        {"errors": [{"message": "Issue not found"}, {"message": "Time spent must be > 0"}]}
    )
    error = error_from_response(400, body.encode(), method="POST", url=URL)
    assert error.messages == ["Issue not found", "Time spent must be > 0"]


def test_str_shows_method_url_status_and_messages() -> None:
    body = b'{"errors": [{"message": "Account not found"}]}'
    error = error_from_response(404, body, method="GET", url=URL)
    assert str(error) == f"GET {URL} -> 404 Not Found: Account not found"


def test_str_without_messages_and_with_unknown_status() -> None:
    assert str(error_from_response(401, b"", method="GET", url=URL)) == (
        f"GET {URL} -> 401 Unauthorized"
    )
    assert str(error_from_response(499, b"", method="GET", url=URL)) == f"GET {URL} -> 499"


def test_raw_text_is_the_message_when_the_body_is_not_json() -> None:
    error = error_from_response(502, b"  <html>Bad gateway</html>\n", method="GET", url=URL)
    assert error.messages == ["<html>Bad gateway</html>"]


def test_raw_text_is_bounded() -> None:
    error = error_from_response(500, "x" * 10_000, method="GET", url=URL)
    (message,) = error.messages
    assert message == "x" * MAX_RAW_MESSAGE + "..."


def test_undecodable_bytes_do_not_break_the_mapping() -> None:
    error = error_from_response(500, b"\xff\xfe oops", method="GET", url=URL)
    assert error.messages == ["\ufffd\ufffd oops"]


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        (b"", []),
        (b"   ", []),
        (b'{"message": "Too many requests"}', ["Too many requests"]),
        (b'{"error": "invalid_grant", "error_description": "expired"}', ["invalid_grant: expired"]),
        (b'{"errors": ["plain string"]}', ["plain string"]),
        (b'{"something": "else"}', ['{"something": "else"}']),
        (b"[1, 2]", ["[1, 2]"]),
    ],
)
def test_other_body_shapes(body: bytes, messages: list[str]) -> None:
    assert error_from_response(400, body, method="GET", url=URL).messages == messages


def test_rate_limited_error_carries_retry_after() -> None:
    error = error_from_response(429, b"", method="GET", url=URL, retry_after=2.5)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 2.5
    assert error_from_response(429, b"", method="GET", url=URL).retry_after is None


def test_error_url_is_redacted() -> None:
    url = "https://user:pw@api.tempo.io/oauth/token/?client_id=app&client_secret=s3cr3t&code=c0de"
    error = error_from_response(400, b"", method="POST", url=url)
    for secret in ("s3cr3t", "c0de", "pw"):
        assert secret not in str(error)
        assert secret not in repr(error)
    assert "client_id=app" in error.url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (URL, URL),
        ("https://h/x?from=2026-01-01&issue=A-1", "https://h/x?from=2026-01-01&issue=A-1"),
        ("https://h/x?access_token=abc", "https://h/x?access_token=***"),
        ("https://h/x?refresh_token=abc&a=1", "https://h/x?refresh_token=***&a=1"),
        ("https://h/x?Client_Secret=abc", "https://h/x?Client_Secret=***"),
        ("https://h/x?password=abc&code=1", "https://h/x?password=***&code=***"),
        ("https://me:pw@h/x", "https://h/x"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_transport_error_str_names_method_and_url() -> None:
    error = TempoTransportError("ServerDisconnectedError", method="GET", url=URL)
    assert str(error) == f"GET {URL}: ServerDisconnectedError"
    assert (error.method, error.url) == ("GET", URL)
