import asyncio
import contextlib
import datetime
import enum
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from tempo_async._auth import TokenAuth
from tempo_async._transport import DEFAULT_USER_AGENT, Transport
from tempo_async.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
)

BASE = "https://api.tempo.io/core/3"
TOKEN = "tok-PLANTED-SECRET-7f3a9c"
MakeTransport = Callable[..., Transport]


@pytest.fixture
def waits() -> list[float]:
    """The retry waits the transports under test asked for (they do not really sleep)."""
    return []


@pytest.fixture
async def make_transport(waits: list[float]) -> AsyncIterator[MakeTransport]:
    made: list[Transport] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    def make(**kwargs: Any) -> Transport:
        kwargs.setdefault("base_url", BASE)
        kwargs.setdefault("auth", TokenAuth(TOKEN))
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("retry_sleep", fake_sleep)
        transport = Transport(**kwargs)
        made.append(transport)
        return transport

    yield make
    for transport in made:
        await transport.aclose()


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


def calls(m: aioresponses) -> list[tuple[str, str, dict[str, Any]]]:
    assert m.requests is not None
    return [
        (method, str(url), call.kwargs)
        for (method, url), recorded in m.requests.items()
        for call in recorded
    ]


# --- a raw HTTP server, for what only the wire shows ---------------------------------


@dataclass
class Received:
    request_line: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Stall:
    """Reply with nothing for this many seconds (the client times out)."""

    seconds: float


def http_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def json_response(status: int, data: object, headers: dict[str, str] | None = None) -> bytes:
    return http_response(
        status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})}
    )


TRUNCATED = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"results": ['
)
GARBAGE = b"THIS IS NOT HTTP\r\n\r\n"


class RawServer:
    """Answers each connection with the next scripted reply (the last one repeats)."""

    def __init__(self, replies: list[bytes | Stall]) -> None:
        self.replies = replies
        self.received: list[Received] = []
        self.handlers: set[asyncio.Task[Any]] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/core/3"

    async def stop(self) -> None:
        for task in self.handlers:
            task.cancel()
        await asyncio.gather(*self.handlers, return_exceptions=True)
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request_line, *header_lines = head.split("\r\n")
            headers = {}
            for line in header_lines:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.received.append(Received(request_line, headers, body))
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
            if isinstance(reply, Stall):
                await asyncio.sleep(reply.seconds)
            else:
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()
            self.handlers.discard(task)


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[..., Any]]:
    servers: list[RawServer] = []

    async def start(*replies: bytes | Stall) -> tuple[RawServer, str]:
        server = RawServer(list(replies))
        servers.append(server)
        return server, await server.start()

    yield start
    for server in servers:
        await server.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- URL building -------------------------------------------------------------------


class Status(str, enum.Enum):
    OPEN = "OPEN"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("worklogs", 126), "/core/3/worklogs/126"),
        (("accounts", "CLOUD-1"), "/core/3/accounts/CLOUD-1"),
        (("users", "557058:f58131cb-b67d"), "/core/3/users/557058%3Af58131cb-b67d"),
        (("teams", 3, "permissions", "permissions.team.view"), None),
        (("accounts", "a/b c?d#e%f"), "/core/3/accounts/a%2Fb%20c%3Fd%23e%25f"),
        (("accounts", "ÄÖ"), "/core/3/accounts/%C3%84%C3%96"),
        (("worklogs", 5, "work-attribute-values"), "/core/3/worklogs/5/work-attribute-values"),
    ],
)
def test_build_url_quotes_every_segment(path: tuple[str | int, ...], expected: str | None) -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    url = transport.build_url(path)
    assert url.raw_path == (expected or "/core/3/teams/3/permissions/permissions.team.view")
    assert str(url).startswith(BASE + "/")


def test_build_url_encodes_query_values() -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    url = transport.build_url(
        ("worklogs",),
        {
            "from": datetime.date(2026, 1, 1),
            "to": datetime.date(2026, 1, 31),
            "updatedFrom": None,
            "issue": ["A-1", "A-2"],
            "project": (),
            "offset": 0,
            "limit": 1000,
            "accountId": "557058:abc",
            "includeArchived": True,
            "flag": False,
            "status": Status.OPEN,
            "q": "a b&c=d",
        },
    )
    assert url.raw_query_string == (
        "from=2026-01-01&to=2026-01-31&issue=A-1&issue=A-2&offset=0&limit=1000"
        "&accountId=557058%3Aabc&includeArchived=true&flag=false&status=OPEN&q=a%20b%26c%3Dd"
    )


def test_build_url_writes_datetimes_and_times_in_iso_8601() -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    url = transport.build_url(
        ("x",),
        {"at": datetime.datetime(2026, 1, 2, 3, 4, 5), "time": datetime.time(20, 6)},
    )
    assert url.raw_query_string == "at=2026-01-02T03%3A04%3A05&time=20%3A06%3A00"


def test_build_url_without_params_has_no_query() -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    assert str(transport.build_url(("periods",), {"from": None})) == BASE + "/periods"


def test_build_url_under_a_base_url_with_trailing_slash() -> None:
    transport = Transport(base_url=BASE + "/", auth=TokenAuth(TOKEN))
    assert str(transport.build_url(("roles",))) == BASE + "/roles"


@pytest.mark.parametrize("segment", ["", ".", ".."])
def test_build_url_refuses_segments_that_would_address_another_resource(segment: str) -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    with pytest.raises(ValueError, match="path segment"):
        transport.build_url(("accounts", segment))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("accounts/x", None),
        (("accounts", True), None),
        (("accounts", 1.5), None),
        (("accounts", None), None),
        (("x",), {"when": object()}),
        (("x",), {"ids": [{"a": 1}]}),
        (("x",), {1: "a"}),
    ],
)
def test_build_url_refuses_wrong_types(path: Any, params: Any) -> None:
    transport = Transport(base_url=BASE, auth=TokenAuth(TOKEN))
    with pytest.raises(TypeError):
        transport.build_url(path, params)


# --- configuration ------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.tempo.io/core/3",
        "https://tempo.example.com:8443/core/3",
        "http://localhost:8080/core/3",
        "http://127.0.0.1/core/3",
        "http://127.5.6.7:9000/core/3",
        "http://[::1]:8000/core/3",
    ],
)
def test_accepted_base_urls(base_url: str) -> None:
    assert Transport(base_url=base_url, auth=TokenAuth(TOKEN)).base_url == base_url


@pytest.mark.parametrize(
    ("base_url", "match"),
    [
        ("http://api.tempo.io/core/3", "https"),
        ("http://10.0.0.1/core/3", "https"),
        ("http://localhost.evil.com/core/3", "https"),
        ("ftp://api.tempo.io/core/3", "absolute http"),
        ("/core/3", "absolute http"),
        ("api.tempo.io/core/3", "absolute http"),
        ("https://user:pw@api.tempo.io/core/3", "user info"),
        ("https://api.tempo.io/core/3?x=1", "query"),
    ],
)
def test_refused_base_urls(base_url: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Transport(base_url=base_url, auth=TokenAuth(TOKEN))


@pytest.fixture
def yarl_1_9(monkeypatch: pytest.MonkeyPatch) -> None:
    """URL as yarl < 1.10 has it: `is_absolute()` but no `absolute` property.

    `aiohttp>=3.10` allows such a yarl (aiohttp 3.10.0-3.10.5 accept any yarl 1.x).
    """

    def missing(self: URL) -> bool:
        raise AttributeError("'URL' object has no attribute 'absolute'")

    monkeypatch.setattr(URL, "absolute", property(missing), raising=False)
    monkeypatch.setattr(URL, "is_absolute", lambda self: self.raw_host is not None)


@pytest.mark.usefixtures("yarl_1_9")
async def test_urls_are_checked_with_what_every_yarl_aiohttp_allows_has(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        make_transport(base_url="/core/3")
    transport = make_transport()
    with pytest.raises(ValueError, match="url must be on"):
        await transport.request_url("GET", "/core/3/worklogs")
    link = f"{BASE}/worklogs/1"
    mocked.get(link, payload={})
    assert await transport.request_url("GET", link) == {}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"base_url": None}, TypeError),
        ({"connection_limit": 0}, ValueError),
        ({"connection_limit": 2.0}, TypeError),
        ({"timeout": 30}, TypeError),
        ({"max_retries": -1}, ValueError),
        ({"retry_budget": -5}, ValueError),
        ({"rate_limit": 0}, ValueError),
        ({"session": object()}, TypeError),
        ({"user_agent": "a\r\nX-Injected: 1"}, ValueError),
    ],
)
def test_invalid_settings_are_refused_naming_the_parameter(
    kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        Transport(auth=TokenAuth(TOKEN), **{"base_url": BASE, **kwargs})


# --- request shape ------------------------------------------------------------------


async def test_get_sends_auth_and_default_headers(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    timeout = aiohttp.ClientTimeout(total=12, connect=3)
    transport = make_transport(timeout=timeout)
    mocked.get(f"{BASE}/worklogs/126", payload={"tempoWorklogId": 126})
    assert await transport.request("GET", ("worklogs", 126)) == {"tempoWorklogId": 126}
    [(method, url, kwargs)] = calls(mocked)
    assert (method, url) == ("GET", f"{BASE}/worklogs/126")
    headers = kwargs["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == DEFAULT_USER_AGENT
    assert "Content-Type" not in headers
    assert kwargs["data"] is None
    assert kwargs["timeout"] == timeout
    assert kwargs["allow_redirects"] is False


async def test_json_body_is_sent_with_its_content_type(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport(user_agent="my-app/1.0")
    mocked.post(f"{BASE}/worklogs", payload={"tempoWorklogId": 1})
    body = {"issueKey": "A-1", "timeSpentSeconds": 3600, "startDate": "2026-01-02"}
    await transport.request("post", ("worklogs",), json=body)
    [(method, _, kwargs)] = calls(mocked)
    assert method == "POST"
    assert json.loads(kwargs["data"]) == body
    assert kwargs["headers"]["Content-Type"] == "application/json"
    assert kwargs["headers"]["User-Agent"] == "my-app/1.0"


async def test_put_with_query_params(make_transport: MakeTransport, mocked: aioresponses) -> None:
    transport = make_transport()
    mocked.put(f"{BASE}/plans/7?from=2026-01-01&to=2026-01-31", payload={"id": 7})
    result = await transport.request(
        "PUT",
        ("plans", 7),
        params={"from": datetime.date(2026, 1, 1), "to": datetime.date(2026, 1, 31)},
        json={"id": 7},
    )
    assert result == {"id": 7}


async def test_the_wire_shows_quoted_path_and_repeated_params(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(json_response(200, {"results": []}))
    transport = make_transport(base_url=base)
    await transport.request(
        "GET",
        ("worklogs", "user", "557058:f58131cb"),
        params={"issue": ["A-1", "A-2"], "from": datetime.date(2026, 1, 1), "x": None},
    )
    [received] = server.received
    assert received.request_line == (
        "GET /core/3/worklogs/user/557058%3Af58131cb?issue=A-1&issue=A-2&from=2026-01-01 HTTP/1.1"
    )
    assert received.headers["authorization"] == f"Bearer {TOKEN}"
    assert received.headers["accept"] == "application/json"


async def test_empty_answers_give_none(make_transport: MakeTransport, mocked: aioresponses) -> None:
    transport = make_transport()
    mocked.delete(f"{BASE}/worklogs/1", status=204)
    mocked.get(f"{BASE}/team-links/1", status=200, body=b"")
    assert await transport.request("DELETE", ("worklogs", 1)) is None
    assert await transport.request("GET", ("team-links", 1)) is None


async def test_a_2xx_body_that_is_not_json_is_a_transport_error(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    mocked.get(f"{BASE}/roles", status=200, body="<html>proxy login</html>", repeat=True)
    with pytest.raises(TempoTransportError, match="not JSON") as caught:
        await transport.request("GET", ("roles",))
    assert isinstance(caught.value.__cause__, ValueError)
    assert transport.requests_sent == 1


async def test_arguments_are_checked_before_any_request(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    with pytest.raises(TypeError, match="not JSON serializable"):
        await transport.request("POST", ("worklogs",), json={"d": datetime.date(2026, 1, 1)})
    with pytest.raises(ValueError, match="method"):
        await transport.request("GET /x", ("worklogs",))
    assert calls(mocked) == []
    assert transport.requests_sent == 0


# --- error mapping ------------------------------------------------------------------


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
        (503, ServerError),
        (422, TempoHTTPError),
        (302, TempoHTTPError),
    ],
)
async def test_each_status_raises_its_error(
    make_transport: MakeTransport, mocked: aioresponses, status: int, cls: type[TempoHTTPError]
) -> None:
    transport = make_transport(max_retries=0)
    body = {"errors": [{"message": "first"}, {"message": "second"}]}
    mocked.get(f"{BASE}/accounts/A", status=status, payload=body, headers={"Location": "/x"})
    with pytest.raises(TempoHTTPError) as caught:
        await transport.request("GET", ("accounts", "A"))
    error = caught.value
    assert type(error) is cls
    assert (error.status, error.method, error.url) == (status, "GET", f"{BASE}/accounts/A")
    assert error.messages == ["first", "second"]


async def test_error_text_is_kept_when_the_body_is_not_json(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport(max_retries=0)
    mocked.get(f"{BASE}/roles", status=500, body="Internal failure\n", content_type="text/plain")
    with pytest.raises(ServerError) as caught:
        await transport.request("GET", ("roles",))
    assert caught.value.messages == ["Internal failure"]
    assert str(caught.value) == f"GET {BASE}/roles -> 500 Internal Server Error: Internal failure"


async def test_rate_limited_error_carries_retry_after(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport(max_retries=0)
    mocked.get(f"{BASE}/roles", status=429, headers={"Retry-After": "17"})
    with pytest.raises(RateLimitedError) as caught:
        await transport.request("GET", ("roles",))
    assert caught.value.retry_after == 17.0


# --- retries ------------------------------------------------------------------------


async def test_5xx_then_success(
    make_transport: MakeTransport, mocked: aioresponses, waits: list[float]
) -> None:
    transport = make_transport(max_retries=3)
    url = f"{BASE}/worklogs/1"
    mocked.get(url, status=502)
    mocked.get(url, status=504)
    mocked.get(url, status=503, headers={"Retry-After": "2"})
    mocked.get(url, payload={"ok": 1})
    assert await transport.request("GET", ("worklogs", 1)) == {"ok": 1}
    assert transport.requests_sent == 4
    assert transport.retries == 3
    assert len(waits) == 3
    assert waits[2] == 2.0


async def test_retry_after_as_http_date(
    make_transport: MakeTransport, mocked: aioresponses, waits: list[float]
) -> None:
    transport = make_transport()
    url = f"{BASE}/roles"
    past = "Thu, 01 Jan 2015 00:00:00 GMT"
    mocked.get(url, status=429, headers={"Retry-After": past})
    mocked.get(url, payload=[])
    assert await transport.request("GET", ("roles",)) == []
    assert waits == [1.0]  # a date in the past, but 429 waits at least a second


async def test_retries_exhausted_raise_the_typed_error(
    make_transport: MakeTransport, mocked: aioresponses, waits: list[float]
) -> None:
    transport = make_transport(max_retries=2)
    mocked.get(f"{BASE}/roles", status=503, payload={"errors": [{"message": "down"}]}, repeat=True)
    with pytest.raises(ServerError) as caught:
        await transport.request("GET", ("roles",))
    assert caught.value.messages == ["down"]
    assert transport.requests_sent == 3
    assert transport.retries == 2


async def test_retry_budget_stops_before_a_too_long_wait(
    make_transport: MakeTransport, mocked: aioresponses, waits: list[float]
) -> None:
    transport = make_transport(retry_budget=30.0)
    mocked.get(f"{BASE}/roles", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitedError) as caught:
        await transport.request("GET", ("roles",))
    assert caught.value.retry_after == 3600.0
    assert waits == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
async def test_no_retry_on_client_errors(
    make_transport: MakeTransport, mocked: aioresponses, waits: list[float], status: int
) -> None:
    transport = make_transport()
    mocked.get(f"{BASE}/roles", status=status, repeat=True)
    with pytest.raises(TempoHTTPError):
        await transport.request("GET", ("roles",))
    assert transport.requests_sent == 1
    assert waits == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_500_is_retried_on_idempotent_requests(
    make_transport: MakeTransport, mocked: aioresponses, method: str
) -> None:
    """Tempo's guidance: retry 5xx (the emulator's --error-rate draws 500s; an export used
    to fail on the first one)."""
    transport = make_transport()
    mocked.add(f"{BASE}/roles/1", method, status=500)
    mocked.add(f"{BASE}/roles/1", method, payload={"id": 1})
    assert await transport.request(method, ("roles", 1)) == {"id": 1}
    assert transport.retries == 1


async def test_500_is_not_retried_on_a_post(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    mocked.post(f"{BASE}/worklogs", status=500, repeat=True)
    with pytest.raises(ServerError):
        await transport.request("POST", ("worklogs",), json={"a": 1})
    assert transport.requests_sent == 1


async def test_a_post_search_marked_idempotent_is_retried_like_a_get(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    mocked.post(f"{BASE}/worklogs/search", status=500)
    mocked.post(f"{BASE}/worklogs/search", payload={"results": []})
    result = await transport.request(
        "POST", ("worklogs", "search"), json={"from": "2026-01-01"}, idempotent=True
    )
    assert result == {"results": []}
    assert transport.retries == 1


@pytest.mark.parametrize(
    "failure",
    [
        aiohttp.ServerTimeoutError("Timeout on reading data from socket"),
        asyncio.TimeoutError(),
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientPayloadError("Response payload is not completed"),
    ],
    ids=lambda exc: type(exc).__name__,
)
async def test_get_is_retried_after_a_failure_once_sent(
    make_transport: MakeTransport, mocked: aioresponses, failure: Exception
) -> None:
    transport = make_transport()
    mocked.get(f"{BASE}/roles", exception=failure)
    mocked.get(f"{BASE}/roles", payload=[{"id": 1}])
    assert await transport.request("GET", ("roles",)) == [{"id": 1}]
    assert transport.retries == 1


@pytest.mark.parametrize(
    "failure",
    [
        aiohttp.ServerTimeoutError("Timeout on reading data from socket"),
        asyncio.TimeoutError(),
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientPayloadError("Response payload is not completed"),
    ],
    ids=lambda exc: type(exc).__name__,
)
async def test_post_is_not_retried_after_a_failure_once_sent(
    make_transport: MakeTransport, mocked: aioresponses, failure: Exception
) -> None:
    transport = make_transport()
    mocked.post(f"{BASE}/worklogs", exception=failure)
    mocked.post(f"{BASE}/worklogs", payload={"tempoWorklogId": 2})
    with pytest.raises(TempoTransportError) as caught:
        await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert caught.value.__cause__ is failure
    assert transport.requests_sent == 1


@pytest.mark.parametrize("status", [502, 504])
async def test_post_is_not_retried_on_502_or_504(
    make_transport: MakeTransport, mocked: aioresponses, status: int
) -> None:
    transport = make_transport()
    mocked.post(f"{BASE}/worklogs", status=status, repeat=True)
    with pytest.raises(ServerError):
        await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert transport.requests_sent == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_post_is_retried_on_429_and_503(
    make_transport: MakeTransport, mocked: aioresponses, status: int
) -> None:
    transport = make_transport()
    mocked.post(f"{BASE}/worklogs", status=status)
    mocked.post(f"{BASE}/worklogs", payload={"tempoWorklogId": 3})
    result = await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert result == {"tempoWorklogId": 3}
    assert transport.requests_sent == 2


async def test_post_is_retried_when_the_connection_could_not_be_made(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    key = mock.Mock(host="api.tempo.io", port=443, ssl=True)
    refused = aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))
    mocked.post(f"{BASE}/worklogs", exception=refused)
    mocked.post(f"{BASE}/worklogs", exception=aiohttp.ConnectionTimeoutError("connect"))
    mocked.post(f"{BASE}/worklogs", payload={"tempoWorklogId": 4})
    result = await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert result == {"tempoWorklogId": 4}
    assert transport.requests_sent == 3


async def test_connection_refused_for_real_is_retried_then_a_transport_error(
    make_transport: MakeTransport, waits: list[float]
) -> None:
    transport = make_transport(base_url=f"http://127.0.0.1:{closed_port()}/core/3", max_retries=2)
    with pytest.raises(TempoTransportError, match="ClientConnectorError") as caught:
        await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert transport.requests_sent == 3
    assert len(waits) == 2


async def test_real_timeout_retries_get_but_not_post(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(Stall(5.0))
    transport = make_transport(
        base_url=base, timeout=aiohttp.ClientTimeout(total=0.1), max_retries=1
    )
    with pytest.raises(TempoTransportError, match="Timeout"):
        await transport.request("GET", ("roles",))
    assert len(server.received) == 2
    with pytest.raises(TempoTransportError, match="Timeout"):
        await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert len(server.received) == 3


async def test_real_truncated_body_is_retried_for_get(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(TRUNCATED, json_response(200, {"results": []}))
    transport = make_transport(base_url=base)
    assert await transport.request("GET", ("worklogs",)) == {"results": []}
    assert len(server.received) == 2


async def test_real_truncated_body_on_post_is_a_transport_error(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(TRUNCATED, json_response(200, {"tempoWorklogId": 1}))
    transport = make_transport(base_url=base)
    with pytest.raises(TempoTransportError, match="ClientPayloadError"):
        await transport.request("POST", ("worklogs",), json={"issueKey": "A-1"})
    assert len(server.received) == 1


async def test_malformed_response_is_a_transport_error_without_retry(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(GARBAGE)
    transport = make_transport(base_url=base)
    with pytest.raises(TempoTransportError, match="malformed response") as caught:
        await transport.request("GET", ("roles",))
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert len(server.received) == 1


async def test_each_retry_is_logged_at_warning(
    make_transport: MakeTransport, mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    transport = make_transport()
    mocked.get(f"{BASE}/accounts/X?status=OPEN", status=429, headers={"Retry-After": "3"})
    mocked.get(f"{BASE}/accounts/X?status=OPEN", payload={})
    with caplog.at_level(logging.WARNING, logger="tempo_async"):
        await transport.request("GET", ("accounts", "X"), params={"status": "OPEN"})
    [record] = caplog.records
    assert record.name == "tempo_async"
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "GET /core/3/accounts/X failed (429); retry 1 of 3 in 3.00 s"


# --- authentication -----------------------------------------------------------------


class RotatingAuth:
    """Hands out `old` until a 401, then `new`; refuses a second refresh."""

    def __init__(self, refresh: bool = True) -> None:
        self.current = "old"
        self.refresh = refresh
        self.refreshed_with: list[str] = []

    async def authorization(self) -> str:
        return f"Bearer {self.current}"

    async def refresh_after_unauthorized(self, used: str) -> bool:
        self.refreshed_with.append(used)
        if not self.refresh or self.current == "new":
            return False
        self.current = "new"
        return True

    def __repr__(self) -> str:
        return "RotatingAuth()"


async def test_401_is_retried_once_with_a_refreshed_header(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    auth = RotatingAuth()
    transport = make_transport(auth=auth)
    mocked.post(f"{BASE}/worklogs", status=401)
    mocked.post(f"{BASE}/worklogs", payload={"tempoWorklogId": 9})
    assert await transport.request("POST", ("worklogs",), json={}) == {"tempoWorklogId": 9}
    sent = [kwargs["headers"]["Authorization"] for _, _, kwargs in calls(mocked)]
    assert sent == ["Bearer old", "Bearer new"]
    assert auth.refreshed_with == ["Bearer old"]
    assert transport.retries == 1


async def test_a_second_401_is_final(make_transport: MakeTransport, mocked: aioresponses) -> None:
    auth = RotatingAuth()
    transport = make_transport(auth=auth)
    mocked.get(f"{BASE}/roles", status=401, repeat=True)
    with pytest.raises(UnauthorizedError):
        await transport.request("GET", ("roles",))
    assert transport.requests_sent == 2
    assert auth.refreshed_with == ["Bearer old"]


async def test_401_with_a_token_that_cannot_refresh_is_final(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    mocked.get(f"{BASE}/roles", status=401, repeat=True)
    with pytest.raises(UnauthorizedError):
        await transport.request("GET", ("roles",))
    assert transport.requests_sent == 1
    assert transport.retries == 0


def test_token_auth_refuses_bad_tokens() -> None:
    with pytest.raises(ValueError, match="empty"):
        TokenAuth("")
    with pytest.raises(ValueError, match="Bearer"):
        TokenAuth("Bearer abc")
    with pytest.raises(ValueError, match="whitespace"):
        TokenAuth("abc\r\nX-Evil: 1")
    with pytest.raises(TypeError):
        TokenAuth(None)  # type: ignore[arg-type]


async def test_token_auth_sends_a_bearer_header_and_never_refreshes() -> None:
    auth = TokenAuth(TOKEN)
    assert await auth.authorization() == f"Bearer {TOKEN}"
    assert await auth.refresh_after_unauthorized(f"Bearer {TOKEN}") is False
    assert TOKEN not in repr(auth) and TOKEN not in str(auth)


# --- absolute URLs ------------------------------------------------------------------


async def test_request_url_follows_a_self_link_on_the_api_host(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    link = f"{BASE}/worklogs?from=2026-01-01&offset=50&limit=50"
    mocked.get(link, payload={"results": []})
    assert await transport.request_url("GET", link) == {"results": []}
    [(_, _, kwargs)] = calls(mocked)
    assert kwargs["headers"]["Authorization"] == f"Bearer {TOKEN}"


async def test_request_url_keeps_the_links_encoding(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(json_response(200, {}))
    transport = make_transport(base_url=base)
    await transport.request_url("GET", f"{base}/teams/1/members/557058%3Aabc?x=a%2Fb")
    assert server.received[0].request_line == (
        "GET /core/3/teams/1/members/557058%3Aabc?x=a%2Fb HTTP/1.1"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/core/3/worklogs",
        "https://api.tempo.io.evil.com/core/3/worklogs",
        "http://api.tempo.io/core/3/worklogs",
        "https://api.tempo.io:8443/core/3/worklogs",
        "/core/3/worklogs",
        "https://me:pw@api.tempo.io/core/3/worklogs",
    ],
)
async def test_request_url_refuses_other_origins(
    make_transport: MakeTransport, mocked: aioresponses, url: str
) -> None:
    transport = make_transport()
    with pytest.raises(ValueError, match="url"):
        await transport.request_url("GET", url)
    assert calls(mocked) == []


async def test_request_url_accepts_the_explicit_default_port(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    link = "https://API.tempo.io:443/core/3/roles"
    mocked.get(URL(link, encoded=True), payload=[])
    assert await transport.request_url("GET", link) == []


# --- session lifecycle --------------------------------------------------------------


async def test_own_session_is_created_lazily_and_closed(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    assert transport._session is None
    mocked.get(f"{BASE}/roles", payload=[])
    await transport.request("GET", ("roles",))
    session = transport._session
    assert session is not None and not session.closed
    await transport.aclose()
    assert session.closed and transport.closed
    await transport.aclose()  # idempotent


async def test_use_after_aclose_is_a_clear_runtime_error(make_transport: MakeTransport) -> None:
    transport = make_transport()
    await transport.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await transport.request("GET", ("roles",))
    with pytest.raises(RuntimeError, match="closed"):
        await transport.request_url("GET", f"{BASE}/roles")


async def test_callers_session_is_used_with_our_settings_and_left_open(
    make_transport: MakeTransport, raw_server: Callable[..., Any]
) -> None:
    server, base = await raw_server(json_response(404, {"errors": [{"message": "gone"}]}))
    async with aiohttp.ClientSession(raise_for_status=True, headers={"X-Caller": "1"}) as session:
        async with make_transport(base_url=base, session=session) as transport:
            with pytest.raises(NotFoundError) as caught:
                await transport.request("GET", ("roles", 1))
            assert caught.value.messages == ["gone"]
        assert transport.closed
        assert not session.closed
    headers = server.received[0].headers
    assert headers["x-caller"] == "1"
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["user-agent"] == DEFAULT_USER_AGENT


async def test_requests_pass_through_the_rate_limit(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport(rate_limit=20)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    def record(url: URL, **kwargs: Any) -> None:
        times.append(loop.time())

    mocked.get(f"{BASE}/roles", payload=[], callback=record, repeat=True)
    start = loop.time()
    await asyncio.gather(*(transport.request("GET", ("roles",)) for _ in range(6)))
    assert len(times) == 6
    assert max(times) >= start + 5 / 20


# --- secrets ------------------------------------------------------------------------


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


async def test_the_token_appears_in_no_log_record_error_or_repr(
    make_transport: MakeTransport,
    raw_server: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("tempo_async", "aiohttp", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    server, base = await raw_server(
        json_response(200, {"ok": True}),
        json_response(503, {"errors": [{"message": "busy"}]}, {"Retry-After": "0"}),
        json_response(200, {"ok": True}),
        json_response(404, {"errors": [{"message": "Worklog not found"}]}),
        http_response(401),
        GARBAGE,
        TRUNCATED,
    )
    transport = make_transport(base_url=base, max_retries=1)
    refused = make_transport(base_url=f"http://127.0.0.1:{closed_port()}/core/3", max_retries=1)
    errors: list[BaseException] = []

    async def attempt(call: Any) -> None:
        try:
            await call
        except Exception as exc:
            errors.append(exc)

    await attempt(transport.request("GET", ("worklogs", 1), params={"from": "2026-01-01"}))
    await attempt(transport.request("GET", ("worklogs", 2)))  # 503, retried, then 200
    await attempt(transport.request("GET", ("worklogs", 3)))  # 404
    await attempt(transport.request("POST", ("worklogs",), json={"issueKey": "A-1"}))  # 401
    await attempt(transport.request("GET", ("worklogs", 4)))  # malformed
    await attempt(transport.request("GET", ("worklogs", 5)))  # truncated, retried
    await attempt(refused.request("GET", ("worklogs", 6)))  # refused, retried
    await attempt(transport.request_url("GET", "https://evil.example.com/steal"))

    assert [type(e) for e in errors] == [
        NotFoundError,
        UnauthorizedError,
        TempoTransportError,
        TempoTransportError,
        TempoTransportError,
        ValueError,
    ]
    # The token did go over the wire, so the checks below are not vacuous.
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.received)
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    assert any(r.levelno == logging.DEBUG for r in caplog.records)

    texts = [caplog.text, repr(transport), str(transport), repr(refused), repr(transport._auth)]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), repr(record.__dict__)]
    for error in errors:
        for link in _chain(error):
            texts += [str(link), repr(link), repr(link.args), repr(vars(link))]
    leaked = [text for text in texts if TOKEN in text]
    assert leaked == []


@pytest.mark.parametrize(
    "first",
    [aiohttp.ServerDisconnectedError(), asyncio.TimeoutError(), 502, 504],
    ids=lambda f: f if isinstance(f, int) else type(f).__name__,
)
async def test_a_retried_delete_whose_first_answer_was_lost_treats_404_as_deleted(
    make_transport: MakeTransport, mocked: aioresponses, first: Exception | int
) -> None:
    transport = make_transport()
    if isinstance(first, int):
        mocked.delete(f"{BASE}/worklogs/5", status=first)
    else:
        mocked.delete(f"{BASE}/worklogs/5", exception=first)
    mocked.delete(f"{BASE}/worklogs/5", status=404, payload={"errors": [{"message": "gone"}]})
    assert await transport.request("DELETE", ("worklogs", 5)) is None
    assert transport.requests_sent == 2


@pytest.mark.parametrize("first", [503, 429], ids=str)
async def test_a_delete_404_after_an_unprocessed_attempt_is_still_not_found(
    make_transport: MakeTransport, mocked: aioresponses, first: int
) -> None:
    transport = make_transport()
    mocked.delete(f"{BASE}/worklogs/5", status=first)
    mocked.delete(f"{BASE}/worklogs/5", status=404, payload={"errors": [{"message": "gone"}]})
    with pytest.raises(NotFoundError):
        await transport.request("DELETE", ("worklogs", 5))


async def test_a_first_delete_404_is_not_found(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    transport = make_transport()
    mocked.delete(f"{BASE}/worklogs/5", status=404, payload={"errors": [{"message": "gone"}]})
    with pytest.raises(NotFoundError):
        await transport.request("DELETE", ("worklogs", 5))


async def test_valid_json_that_orjson_refuses_is_still_decoded(
    make_transport: MakeTransport, mocked: aioresponses
) -> None:
    """A lone escaped surrogate and an integer beyond 64 bits are valid JSON."""
    transport = make_transport()
    body = '{"description": "broken \\ud800 text", "big": 123456789012345678901234567890}'
    mocked.get(f"{BASE}/roles", body=body, content_type="application/json")
    payload = await transport.request("GET", ("roles",))
    assert payload == {"description": "broken \ud800 text", "big": 123456789012345678901234567890}
