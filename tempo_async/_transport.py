"""The single I/O seam: one method that sends a request to the Tempo API and returns JSON.

Everything above (paging, resources, the client) is written against `Transport.request`
and `Transport.request_url`. This module owns URL building, the aiohttp session,
authentication headers, the rate limit, retries and the mapping of failures to
`tempo_async.errors`. The token never appears in a repr, log record, error or URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime
import ipaddress
import json as jsonlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from yarl import URL

from . import _defaults
from ._auth import Auth
from ._governor import RateGovernor
from ._retry import RetryPolicy, parse_retry_after
from ._version import __version__
from .errors import (
    NotFoundError,
    ResponseTooLargeError,
    ServerError,
    TempoTransportError,
    UnauthorizedError,
    error_from_response,
    redact_url,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECTION_LIMIT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_RETRY_BUDGET",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "Transport",
    "capture_json",
    "capturing",
]

logger = logging.getLogger("tempo_async")

_captured: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "tempo_async_captured_json", default=None
)


@contextlib.contextmanager
def capture_json() -> Iterator[list[Any]]:
    """Collect the decoded JSON body of every response received in this context (this task
    and the tasks it starts), in order: the raw records behind a method's models."""
    bodies: list[Any] = []
    token = _captured.set(bodies)
    try:
        yield bodies
    finally:
        _captured.reset(token)


def capturing() -> bool:
    """Whether a `capture_json` is active here: the bodies received are then handed on."""
    return _captured.get() is not None


DEFAULT_BASE_URL = "https://api.tempo.io"
"""Tempo's API host (each version's client adds its own path prefix)."""
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=_defaults.TIMEOUT, connect=_defaults.CONNECT_TIMEOUT)
DEFAULT_MAX_RETRIES = _defaults.MAX_RETRIES
DEFAULT_RETRY_BUDGET = _defaults.RETRY_BUDGET
DEFAULT_RATE_LIMIT = _defaults.RATE_LIMIT
DEFAULT_CONNECTION_LIMIT = _defaults.CONNECTION_LIMIT
DEFAULT_USER_AGENT = f"tempo-async/{__version__} aiohttp/{aiohttp.__version__}"

QueryParams = Mapping[str, object]

# 5xx answers after which the server may have carried the request out.
_MAY_HAVE_APPLIED_STATUSES = frozenset({500, 502, 504})


class Transport:
    """Sends requests to one Tempo API base URL with one set of credentials.

    `session`, when given, is used as is and never closed (it must not have a
    `base_url`); otherwise the transport creates its own on first use and `aclose()`
    closes it. `retry_sleep` replaces `asyncio.sleep` for retry waits (tests).
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: Auth,
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_budget: float = DEFAULT_RETRY_BUDGET,
        rate_limit: float | None = DEFAULT_RATE_LIMIT,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        session: aiohttp.ClientSession | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        retry_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        gone_hint: str | None = None,
        max_body_size: int = _defaults.MAX_BODY_SIZE,
    ) -> None:
        base = _checked_base_url(base_url)
        if not isinstance(timeout, aiohttp.ClientTimeout):
            raise TypeError(
                f"timeout must be an aiohttp.ClientTimeout, not {type(timeout).__name__}"
            )
        if isinstance(connection_limit, bool) or not isinstance(connection_limit, int):
            raise TypeError(
                f"connection_limit must be an int, not {type(connection_limit).__name__}"
            )
        if connection_limit < 1:
            raise ValueError(f"connection_limit must be >= 1, got {connection_limit}")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
            )
        if not isinstance(user_agent, str) or not user_agent.isprintable():
            raise ValueError("user_agent must be a printable str")
        self._base = str(base).rstrip("/")
        self._origin = _origin(base)
        self._auth = auth
        self._timeout = timeout
        self._retry = RetryPolicy(
            max_retries=max_retries, retry_budget=retry_budget, sleep=retry_sleep
        )
        self._governor = RateGovernor(rate_limit)
        self._connection_limit = connection_limit
        self._session = session
        self._owns_session = session is None
        self._headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._gone_hint = gone_hint
        if isinstance(max_body_size, bool) or not isinstance(max_body_size, int):
            raise TypeError(f"max_body_size must be an int, got {max_body_size!r}")
        if max_body_size < 1:
            raise ValueError(f"max_body_size must be at least 1 byte, got {max_body_size!r}")
        self._max_body_size = max_body_size
        self._closed = False
        self._requests_sent = 0
        self._retries = 0

    def __repr__(self) -> str:
        rate = self._governor.ceiling
        return (
            f"Transport(base_url={self._base!r}, auth={self._auth!r}, "
            f"rate_limit={rate!r}, closed={self._closed})"
        )

    async def __aenter__(self) -> Transport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def base_url(self) -> str:
        """The API base URL, without a trailing slash."""
        return self._base

    @property
    def closed(self) -> bool:
        """True once `aclose()` was called."""
        return self._closed

    @property
    def current_rate(self) -> float | None:
        """Requests per second the rate governor lets through now (None: unlimited)."""
        return self._governor.current_rate()

    @property
    def rate_limited(self) -> int:
        """429 answers received so far."""
        return self._governor.rate_limited

    @property
    def requests_sent(self) -> int:
        """HTTP requests attempted so far, retries included."""
        return self._requests_sent

    @property
    def retries(self) -> int:
        """Requests repeated so far (after a retryable failure or a credential refresh)."""
        return self._retries

    async def aclose(self) -> None:
        """Close the session if this transport created it; later requests raise RuntimeError."""
        if self._closed:
            return
        self._closed = True
        if self._owns_session and self._session is not None:
            await self._session.close()

    def build_url(self, path: Sequence[str | int], params: QueryParams | None = None) -> URL:
        """The encoded URL of `path` (segments, each percent-quoted) under the base URL.

        Query values: None is dropped, a list/tuple repeats the parameter, dates become
        YYYY-MM-DD (datetimes and times ISO 8601), bools true/false, enums their value.
        """
        if isinstance(path, (str, bytes)) or not isinstance(path, Sequence):
            raise TypeError("path must be a sequence of segments, e.g. ('worklogs', 126)")
        raw = "/".join([self._base, *(_quote_segment(segment) for segment in path)])
        query = _encode_query(params or {})
        if query:
            raw = f"{raw}?{query}"
        return URL(raw, encoded=True)

    async def request(
        self,
        method: str,
        path: Sequence[str | int],
        *,
        params: QueryParams | None = None,
        json: object = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send `method` to `path` under the base URL; return the JSON (None for no body).

        Raises a `TempoHTTPError` subclass for a non-2xx answer and `TempoTransportError`
        when no usable answer arrives, after the retries the policy allows. `idempotent`
        None goes by the method; True lets a read sent as POST (a search) be retried as a
        GET would be.
        """
        return await self._send(method, self.build_url(path, params), json, idempotent)

    async def request_url(self, method: str, url: str, *, json: object = None) -> Any:
        """Like `request`, for an absolute URL such as a `self` link.

        Refused with ValueError unless it has the base URL's scheme, host and port, so
        the credentials are never sent to another host.
        """
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        target = _link_url(url)
        if not target.is_absolute() or _origin(target) != self._origin:
            raise ValueError(
                f"url must be on {self._origin[0]}://{self._origin[1]}:{self._origin[2]}, "
                f"got {redact_url(target)!r}"
            )
        if target.user is not None or target.password is not None or target.fragment:
            raise ValueError("url must not contain user info or a fragment")
        return await self._send(method, target, json)

    async def _send(
        self, method: str, url: URL, json: object, idempotent: bool | None = None
    ) -> Any:
        if self._closed:
            raise RuntimeError("this Tempo transport is closed; create a new client")
        if not isinstance(method, str) or not method.isalpha():
            raise ValueError(f"method must be an HTTP method name, got {method!r}")
        method = method.upper()
        body = None if json is None else jsonlib.dumps(json, allow_nan=False).encode()
        used = ""
        may_have_applied = False

        async def attempt() -> Any:
            nonlocal used, may_have_applied
            try:
                used = await self._auth.authorization()
            except UnauthorizedError as exc:
                # The credentials are unusable (revoked, a refused refresh): say which
                # request could not be sent, with the reason the credentials gave.
                raise UnauthorizedError(
                    exc.status,
                    [*exc.messages, f"(credentials from {exc.method} {exc.url})"],
                    method=method,
                    url=redact_url(url),
                ) from exc
            try:
                return await self._exchange(method, url, body, used)
            except NotFoundError:
                if method == "DELETE" and may_have_applied:
                    # An earlier attempt may have deleted it before its answer was lost:
                    # the resource is gone, which is what the caller asked for.
                    logger.info(
                        "%s %s -> 404 on a retry after a lost answer; treated as deleted",
                        method,
                        url.raw_path,
                    )
                    return None
                raise
            except ServerError as exc:
                may_have_applied = may_have_applied or exc.status in _MAY_HAVE_APPLIED_STATUSES
                raise
            except aiohttp.ClientConnectorError:
                raise  # never reached the server
            except (aiohttp.ClientError, asyncio.TimeoutError):
                may_have_applied = True
                raise

        def count_retry() -> None:
            self._retries += 1

        try:
            try:
                return await self._retry.call(
                    attempt,
                    method=method,
                    path=url.raw_path,
                    on_retry=count_retry,
                    idempotent=idempotent,
                )
            except UnauthorizedError:
                if not await self._auth.refresh_after_unauthorized(used):
                    raise
            logger.info("%s %s got 401; retrying with refreshed credentials", method, url.raw_path)
            count_retry()
            return await self._retry.call(
                attempt,
                method=method,
                path=url.raw_path,
                on_retry=count_retry,
                idempotent=idempotent,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            safe_url = redact_url(url)
            detail = str(exc).replace(str(url), safe_url)
            name = type(exc).__name__
            message = f"{name}: {detail}" if detail else name
            if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
                message += f" ({self._timeout_limits()})"
            raise TempoTransportError(message, method=method, url=safe_url) from exc

    def _timeout_limits(self) -> str:
        """The timeouts in force, for a timeout's message."""
        parts = []
        for name in ("total", "connect", "sock_connect", "sock_read"):
            value = getattr(self._timeout, name)
            if value is not None:
                parts.append(f"{name} {value:g} s")
        return "no answer within the client's timeout: " + ", ".join(parts)

    async def _exchange(self, method: str, url: URL, body: bytes | None, authorization: str) -> Any:
        """One HTTP exchange: wait for the rate governor, send, read, decode or raise."""
        sent_at = await self._governor.acquire()
        if self._closed:
            raise RuntimeError("this Tempo transport is closed; create a new client")
        headers = {**self._headers, "Authorization": authorization}
        if body is not None:
            headers["Content-Type"] = "application/json"
        session = self._get_session()
        self._requests_sent += 1
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
                raise_for_status=False,
            ) as response:
                raw = await read_body(response, self._max_body_size, method=method, url=url)
        except aiohttp.ClientResponseError as exc:
            # Malformed response. Its repr shows the request headers, token included, so it
            # is reported by message only and raised outside this block (no __context__).
            problem = f"malformed response ({type(exc).__name__}: {exc.message})"
        else:
            logger.debug("%s %s -> %d", method, redact_url(url), response.status)
            if response.status == 429:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                self._governor.on_rate_limited(sent_at, retry_after)
            else:
                self._governor.on_success(sent_at)
            return self._result(method, url, response, raw)
        raise TempoTransportError(problem, method=method, url=redact_url(url))

    def _result(self, method: str, url: URL, response: aiohttp.ClientResponse, raw: bytes) -> Any:
        status = response.status
        if not 200 <= status < 300:
            error = error_from_response(
                status,
                raw,
                method=method,
                url=url,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
            if status == 410 and self._gone_hint:
                error.add_hint(self._gone_hint)
            if 300 <= status < 400:
                location = response.headers.get("Location")
                where = redact_url(location) if location else "no Location"
                error.add_hint(f"redirected to {where}; redirects are not followed")
            raise error
        if status == 204:
            return None
        return _note(decode_json(raw, status=status, method=method, url=url))

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connection_limit),
                timeout=self._timeout,
                headers=self._headers,
            )
        return self._session


async def read_body(
    response: aiohttp.ClientResponse, limit: int, *, method: str, url: URL | str
) -> bytes:
    """The body, read up to `limit` bytes: a longer one fails at once (a stated
    Content-Length before reading anything), never growing memory unbounded."""
    stated = response.content_length
    if stated is not None and stated > limit:
        raise ResponseTooLargeError(limit, method=method, url=redact_url(url), size=stated)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        received += len(chunk)
        if received > limit:
            raise ResponseTooLargeError(limit, method=method, url=redact_url(url))
        chunks.append(chunk)
    return b"".join(chunks)


def decode_json(raw: bytes, *, status: int, method: str, url: URL | str) -> Any:
    """A 2xx body's JSON (None when empty): orjson, or the stdlib for what orjson refuses
    (a lone escaped surrogate, a huge integer); TempoTransportError when it is not JSON."""
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except ValueError:
        pass
    try:
        return jsonlib.loads(raw)
    except ValueError as exc:
        raise TempoTransportError(
            f"malformed response: status {status} body is not JSON ({exc})",
            method=method,
            url=redact_url(url),
        ) from exc


async def post_form(
    session: aiohttp.ClientSession,
    url: str,
    form: Mapping[str, str],
    *,
    timeout: aiohttp.ClientTimeout,
    max_body_size: int = _defaults.MAX_BODY_SIZE,
) -> Any:
    """POST `form` url-encoded to `url` once (never retried: a token grant must not be
    replayed); the decoded JSON, None for an empty body. No redirect is followed.

    Raises what `Transport` raises: the typed `TempoHTTPError` of a non-2xx answer (with
    the server's messages), `TempoTransportError` when no usable answer arrives. Error
    texts never contain the form's values.
    """
    try:
        async with session.post(
            url, data=dict(form), timeout=timeout, allow_redirects=False, raise_for_status=False
        ) as response:
            raw = await read_body(response, max_body_size, method="POST", url=url)
            status = response.status
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
    except aiohttp.ClientResponseError as exc:
        problem = f"malformed response ({type(exc).__name__}: {exc.message})"
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        detail = str(exc)
        for value in form.values():
            if value:
                detail = detail.replace(value, "***")
        name = type(exc).__name__
        raise TempoTransportError(
            f"{name}: {detail}" if detail else name, method="POST", url=redact_url(url)
        ) from None
    else:
        logger.debug("POST %s -> %d", redact_url(url), status)
        if 200 <= status < 300:
            return decode_json(raw, status=status, method="POST", url=url)
        raise error_from_response(status, raw, method="POST", url=url, retry_after=retry_after)
    raise TempoTransportError(problem, method="POST", url=redact_url(url))


def _note(payload: Any) -> Any:
    """Hand `payload` to an active `capture_json` too."""
    bodies = _captured.get()
    if bodies is not None:
        bodies.append(payload)
    return payload


def checked_http_url(name: str, value: object) -> URL:
    """`value` as an absolute https URL (plain http only for loopback hosts), with no user
    info, query or fragment; TypeError/ValueError naming `name` otherwise. The rule for
    every URL a credential is sent to (the API base URL, the OAuth endpoints)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    url = URL(value)
    if not url.is_absolute() or url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"{name} must be an absolute http(s) URL, got {redact_url(url)!r}")
    if url.user is not None or url.password is not None:
        raise ValueError(f"{name} must not contain user info")
    if url.query_string or url.fragment:
        raise ValueError(f"{name} must not have a query or fragment, got {redact_url(url)!r}")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ValueError(
            f"{name} must use https (plain http only for loopback hosts), got {value!r}"
        )
    return url


def _checked_base_url(base_url: str) -> URL:
    return checked_http_url("base_url", base_url)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _link_url(url: str) -> URL:
    """A link as given when it is already encoded (yarl would decode e.g. %3A), else quoted."""
    if url.isascii() and url.isprintable() and " " not in url:
        return URL(url, encoded=True)
    return URL(url)


def _origin(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme.lower(), (url.host or "").lower(), url.port)


def _quote_segment(segment: str | int) -> str:
    if isinstance(segment, bool) or not isinstance(segment, (str, int)):
        raise TypeError(f"path segments must be str or int, got {type(segment).__name__}")
    text = str(segment)
    if text in ("", ".", ".."):
        # An empty key would address the collection (GET /accounts/ lists accounts).
        raise ValueError(f"path segment must not be {text!r}")
    return quote(text, safe="")


def _encode_query(params: QueryParams) -> str:
    pairs = []
    for name, value in params.items():
        if not isinstance(name, str):
            raise TypeError(f"query parameter names must be str, got {type(name).__name__}")
        values = value if isinstance(value, (list, tuple)) else (value,)
        for item in values:
            if item is not None:
                text = _query_value(name, item)
                pairs.append(f"{quote(name, safe='')}={quote(text, safe='')}")
    return "&".join(pairs)


def _query_value(name: str, value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(f"query parameter {name!r}: unsupported value type {type(value).__name__}")
