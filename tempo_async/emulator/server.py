"""The version-neutral emulator server: app factory, middlewares and lifecycle.

`EmulatorServer` binds a socket, builds the state of one API version (through the
`create_state`/`routes` hooks a version package implements), mounts that version's
routes under its base path behind the fault, auth and error middlewares, serves the
OAuth endpoints beside them, and runs until `stop()`. It is an async context manager.
"""

from __future__ import annotations

import abc
import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from aiohttp import web

from tempo_async.emulator.auth import BearerAuth
from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.faults import FaultInjector, Faults
from tempo_async.emulator.oauth import (
    AUTHORIZE_PATH,
    DEFAULT_ACCESS_TOKEN_TTL,
    REVOKE_PATH,
    TOKEN_PATH,
    OAuthClient,
    OAuthServer,
)
from tempo_async.emulator.responses import error_response
from tempo_async.emulator.stats import EmulatorStats
from tempo_async.emulator.validation import ResponseValidationError, SchemaValidator

logger = logging.getLogger("tempo_async.emulator")

StateT = TypeVar("StateT")
_ServerT = TypeVar("_ServerT", bound="EmulatorServer[Any]")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Mount:
    """Another API served by the same server over the same state (e.g. v4 beside v3)."""

    base_path: str
    """Path prefix of its operations (e.g. `/4`)."""
    schema_file: Path
    """The schema bundle its bodies are validated against."""
    routes: Callable[[ApiContext], Iterable[Route]]
    """Its operations, given the context of the mount (links, validation)."""
    error_shape: Callable[[list[str]], Any] | None = None
    """The body of its errors from their messages (None: the core's shape)."""


@dataclass(frozen=True)
class Route:
    """One operation: method, path relative to the base path, handler."""

    method: str
    path: str
    handler: Handler


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn `ApiError`s, unknown routes and crashes into the spec's error bodies."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, *exc.messages, headers=exc.headers)
    except web.HTTPMethodNotAllowed as exc:
        return error_response(
            405,
            f"Method {request.method} is not allowed on {request.path}",
            headers={"Allow": ", ".join(sorted(exc.allowed_methods))},
        )
    except web.HTTPNotFound:
        return error_response(404, f"No resource at {request.path}")
    except web.HTTPException:
        raise
    except ResponseValidationError as exc:
        logger.error("invalid response to %s %s: %s", request.method, request.path, exc)
        return error_response(500, f"Emulator produced an invalid response: {exc}")
    except Exception as exc:
        logger.exception("emulator crashed on %s %s", request.method, request.path)
        return error_response(500, f"Emulator error: {type(exc).__name__}: {exc}")


def _reshape_errors(shape: Callable[[list[str]], Any]) -> Any:
    """A middleware giving the error bodies of a mount its own shape."""

    @web.middleware
    async def reshape(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if response.status >= 400 and isinstance(response, web.Response) and response.body:
            try:
                body = json.loads(response.body)  # type: ignore[arg-type]
            except ValueError:
                return response
            errors = body.get("errors") if isinstance(body, dict) else None
            if isinstance(errors, list):
                messages = [e["message"] for e in errors if isinstance(e, dict) and "message" in e]
                response.body = json.dumps(shape(messages)).encode()
        return response

    return reshape


def _bind(host: str, port: int) -> socket.socket:
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)


def _origin_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class EmulatorServer(abc.ABC, Generic[StateT]):
    """A running emulator of one API version; subclasses provide its state and routes.

    Args:
        host, port: where to listen (port 0: any free port).
        token: pin the bearer token the API accepts (see `tempo_async.emulator.auth`).
        faults: faults to inject (default: none).
        validate_responses: check every response body against the schema bundle (big
            pages on a sample of their results); a mismatch is answered with a 500.
        access_token_ttl: `expires_in` of the access tokens the OAuth endpoint issues.
        public_origin: origin used in `self` links instead of `http://host:port`.
    """

    #: Path prefix of the API (e.g. `/core/3`).
    base_path: ClassVar[str]
    #: The schema bundle that request and response bodies are validated against.
    schema_file: ClassVar[Path]

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        faults: Faults | None = None,
        validate_responses: bool = True,
        access_token_ttl: float = DEFAULT_ACCESS_TOKEN_TTL,
        public_origin: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.validate_responses = validate_responses
        self.stats = EmulatorStats()
        self.oauth = OAuthServer(access_token_ttl=access_token_ttl)
        self.auth = BearerAuth(self.oauth, token)
        self._injector = FaultInjector(faults or Faults(), self.stats)
        self._public_origin = public_origin.rstrip("/") if public_origin else None
        self._origin: str | None = None
        self._state: StateT | None = None
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None

    # -- hooks for an API version ---------------------------------------------------------

    @abc.abstractmethod
    def create_state(self, context: ApiContext) -> StateT:
        """Build (and seed) the version's state; links use `context.base_url`."""

    @abc.abstractmethod
    def routes(self, state: StateT, context: ApiContext) -> Iterable[Route]:
        """The version's operations, bound to `state`."""

    def mounts(self, state: StateT) -> Iterable[Mount]:
        """Other APIs served beside the version's own over the same state (default: none)."""
        return ()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind, build the state and start serving."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        sock = _bind(self.host, self.port)
        try:
            self.port = sock.getsockname()[1]
            self._origin = self._public_origin or f"http://{_origin_host(self.host)}:{self.port}"
            context = ApiContext(
                origin=self._origin,
                base_path=self.base_path,
                validator=SchemaValidator(self.schema_file),
                validate_responses=self.validate_responses,
            )
            self._state = self.create_state(context)
            self._app = self._build_app(self.routes(self._state, context))
            for mount in self.mounts(self._state):
                mounted = ApiContext(
                    origin=self._origin,
                    base_path=mount.base_path,
                    validator=SchemaValidator(mount.schema_file),
                    validate_responses=self.validate_responses,
                )
                self._app.add_subapp(mount.base_path, self._api_app(mount.routes(mounted), mount))
            runner = web.AppRunner(self._app, access_log=None, handle_signals=False)
            await runner.setup()
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            raise
        self._runner = runner

    async def stop(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            _forget_middleware_chains()

    async def __aenter__(self: _ServerT) -> _ServerT:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    # -- app ------------------------------------------------------------------------------

    def _api_app(self, routes: Iterable[Route], mount: Mount | None = None) -> web.Application:
        middlewares = [self._injector.middleware, self.auth.middleware]
        if mount is not None and mount.error_shape is not None:
            middlewares.append(_reshape_errors(mount.error_shape))
        api = web.Application(middlewares=[*middlewares, error_middleware])
        for route in routes:
            api.router.add_route(route.method, route.path, route.handler)
        return api

    def _build_app(self, routes: Iterable[Route]) -> web.Application:
        root = web.Application(middlewares=[self._stats_middleware])
        self.oauth.add_routes(root)
        root.add_subapp(self.base_path, self._api_app(routes))
        return root

    @web.middleware
    async def _stats_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        route = f"{request.method} {resource.canonical if resource else request.path}"
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            self.stats.record(route, exc.status)
            raise
        except asyncio.CancelledError:
            self.stats.record(route, 0)
            raise
        self.stats.record(route, response.status)
        return response

    # -- what tests use -------------------------------------------------------------------

    @property
    def origin(self) -> str:
        """`http://host:port` of the running server (or the `public_origin`)."""
        if self._origin is None:
            raise RuntimeError("the emulator has not been started")
        return self._origin

    @property
    def base_url(self) -> str:
        """The API's base URL, e.g. `http://127.0.0.1:8080/core/3`."""
        return self.origin + self.base_path

    @property
    def state(self) -> StateT:
        """The in-memory state (available once started)."""
        if self._state is None:
            raise RuntimeError("the emulator has not been started")
        return self._state

    @property
    def app(self) -> web.Application:
        """The aiohttp application (available once started)."""
        if self._app is None:
            raise RuntimeError("the emulator has not been started")
        return self._app

    @property
    def faults(self) -> Faults:
        """The faults being injected; assign a new `Faults` or change fields in place."""
        return self._injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._injector.faults = faults

    @property
    def token(self) -> str | None:
        """The pinned bearer token, if any."""
        return self.auth.pinned_token

    @property
    def oauth_token_url(self) -> str:
        """The OAuth token endpoint (`.../oauth/token/`)."""
        return self.origin + TOKEN_PATH

    @property
    def oauth_revoke_url(self) -> str:
        """The OAuth revoke endpoint (`.../oauth/revoke_token/`)."""
        return self.origin + REVOKE_PATH

    @property
    def oauth_authorize_url(self) -> str:
        """The consent page that redirects to the client's redirect URI with a code."""
        return self.origin + AUTHORIZE_PATH

    def register_oauth_client(
        self, client_id: str, client_secret: str, redirect_uri: str
    ) -> OAuthClient:
        """Register an OAuth 2.0 application; from then on bearer tokens are checked."""
        return self.oauth.register_client(client_id, client_secret, redirect_uri)

    def issue_authorization_code(
        self, client_id: str, redirect_uri: str, *, account_id: str | None = None
    ) -> str:
        """An authorization code for a registered client, as the consent step gives it.

        `account_id` is the user the resulting tokens act as (for "my" operations such as
        the logged-in user's schedule).
        """
        return self.oauth.issue_code(client_id, redirect_uri, account_id=account_id)

    def expire_access_tokens(self) -> int:
        """Make every issued access token expire now (refresh tokens stay valid)."""
        return self.oauth.expire_access_tokens()


def _forget_middleware_chains() -> None:
    """Drop aiohttp's cache of middleware chains (`web_app._cached_build_middleware`, an
    lru_cache of up to 1,024 (handler, apps) keys): it keeps a stopped emulator's
    handlers, and with them its whole state, alive. Each new emulator filled it with
    its routes, so a test session grew by one seeded state per emulator (3.2M objects
    after the emulator tests; a full garbage collection took 3 s). A cache only: the
    chains of running servers are rebuilt on their next request."""
    from aiohttp import web_app

    cache = getattr(web_app, "_cached_build_middleware", None)
    clear = getattr(cache, "cache_clear", None)
    if callable(clear):
        clear()
