"""The OAuth 2.0 side of the emulator: clients, authorization codes, token issue and revoke.

Mirrors the spec's introduction: `POST /oauth/token/` with `grant_type=authorization_code`
(client_id, client_secret, redirect_uri, code) or `grant_type=refresh_token`
(client_id, client_secret, redirect_uri, refresh_token), and `POST /oauth/revoke_token/`
(token_type_hint, client_id, client_secret, token). Parameters are read from the query
string (as the spec shows them) and from a form or JSON body; the client may also
authenticate with HTTP Basic. A refresh rotates: the new response carries a new refresh
token and the old one stops working (the old access token lives on until it expires).
Revoking a refresh token also revokes the access tokens issued with it.

The browser step (`GET .../oauth-authorize/` on the Jira instance) is served on the
emulator's own origin too, consenting at once and redirecting with a code.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import BasicAuth, web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import json_response, read_json

TOKEN_PATH = "/oauth/token/"
REVOKE_PATH = "/oauth/revoke_token/"
AUTHORIZE_PATH = "/plugins/servlet/ac/io.tempo.jira/oauth-authorize/"

#: The spec's example `expires_in` (60 days).
DEFAULT_ACCESS_TOKEN_TTL = 5_184_000
DEFAULT_CODE_TTL = 600.0
SCOPE = "read write"


@dataclass(frozen=True)
class OAuthClient:
    """An OAuth 2.0 application registered in Tempo."""

    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass
class IssuedToken:
    """An access or refresh token the emulator issued."""

    value: str
    kind: Literal["access", "refresh"]
    client_id: str
    account_id: str | None
    expires_at: float | None
    grant: int
    revoked: bool = False

    def live(self, now: float) -> bool:
        """Not revoked and not expired."""
        return not self.revoked and (self.expires_at is None or now < self.expires_at)


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    account_id: str | None
    expires_at: float
    used: bool = False


class _OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass
class OAuthServer:
    """Registered clients and every code and token issued, with the HTTP handlers."""

    access_token_ttl: float = DEFAULT_ACCESS_TOKEN_TTL
    code_ttl: float = DEFAULT_CODE_TTL
    clock: Callable[[], float] = time.time
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    _codes: dict[str, _Code] = field(default_factory=dict)
    _grants: int = 0

    # -- helpers for tests -------------------------------------------------------------

    def register_client(self, client_id: str, client_secret: str, redirect_uri: str) -> OAuthClient:
        """Register an OAuth 2.0 application (Tempo > Settings > OAuth 2.0 applications)."""
        client = OAuthClient(client_id, client_secret, redirect_uri)
        self.clients[client_id] = client
        return client

    def issue_code(
        self, client_id: str, redirect_uri: str, *, account_id: str | None = None
    ) -> str:
        """An authorization code, as the consent step would hand to `redirect_uri`."""
        client = self.clients.get(client_id)
        if client is None:
            raise KeyError(f"no OAuth client {client_id!r} is registered")
        if redirect_uri != client.redirect_uri:
            raise ValueError(f"{redirect_uri!r} is not the redirect URI of {client_id!r}")
        code = secrets.token_urlsafe(16)
        self._codes[code] = _Code(client_id, redirect_uri, account_id, self.clock() + self.code_ttl)
        return code

    def access_token_info(self, token: str) -> IssuedToken | None:
        """The live access token `token`, or None (unknown, expired or revoked)."""
        issued = self.tokens.get(token)
        if issued is None or issued.kind != "access" or not issued.live(self.clock()):
            return None
        return issued

    def expire_access_tokens(self) -> int:
        """Make every live access token expire now; returns how many did."""
        now = self.clock()
        expired = 0
        for issued in self.tokens.values():
            if issued.kind == "access" and issued.live(now):
                issued.expires_at = now
                expired += 1
        return expired

    # -- token issue ----------------------------------------------------------------------

    def _issue_pair(self, client_id: str, account_id: str | None) -> dict[str, Any]:
        self._grants += 1
        now = self.clock()
        access = IssuedToken(
            secrets.token_urlsafe(24),
            "access",
            client_id,
            account_id,
            now + self.access_token_ttl,
            self._grants,
        )
        refresh = IssuedToken(
            secrets.token_urlsafe(24), "refresh", client_id, account_id, None, self._grants
        )
        self.tokens[access.value] = access
        self.tokens[refresh.value] = refresh
        return {
            "access_token": access.value,
            "expires_in": int(self.access_token_ttl),
            "token_type": "Bearer",
            "scope": SCOPE,
            "refresh_token": refresh.value,
        }

    def _authenticate_client(self, params: dict[str, str], request: web.Request) -> OAuthClient:
        client_id = params.get("client_id")
        secret = params.get("client_secret")
        header = request.headers.get("Authorization")
        if header and header.lower().startswith("basic "):
            try:
                basic = BasicAuth.decode(header)
            except ValueError:
                raise _OAuthError(401, "invalid_client", "Malformed Basic credentials") from None
            client_id, secret = basic.login, basic.password
        if not client_id:
            raise _OAuthError(400, "invalid_request", "Missing parameter: client_id")
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(client.client_secret, secret or ""):
            raise _OAuthError(401, "invalid_client", "Unknown client or wrong client secret")
        return client

    def _grant(self, params: dict[str, str], request: web.Request) -> dict[str, Any]:
        grant_type = params.get("grant_type")
        if not grant_type:
            raise _OAuthError(400, "invalid_request", "Missing parameter: grant_type")
        if grant_type not in ("authorization_code", "refresh_token"):
            raise _OAuthError(
                400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}"
            )
        client = self._authenticate_client(params, request)
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is not None and redirect_uri != client.redirect_uri:
            raise _OAuthError(400, "invalid_grant", "redirect_uri does not match the client's")
        if grant_type == "authorization_code":
            code_value = params.get("code")
            if not code_value:
                raise _OAuthError(400, "invalid_request", "Missing parameter: code")
            code = self._codes.get(code_value)
            if (
                code is None
                or code.used
                or code.client_id != client.client_id
                or self.clock() >= code.expires_at
            ):
                raise _OAuthError(400, "invalid_grant", "Invalid or expired authorization code")
            code.used = True
            return self._issue_pair(client.client_id, code.account_id)
        refresh_value = params.get("refresh_token")
        if not refresh_value:
            raise _OAuthError(400, "invalid_request", "Missing parameter: refresh_token")
        refresh = self.tokens.get(refresh_value)
        if (
            refresh is None
            or refresh.kind != "refresh"
            or refresh.client_id != client.client_id
            or not refresh.live(self.clock())
        ):
            raise _OAuthError(400, "invalid_grant", "Invalid refresh token")
        refresh.revoked = True
        return self._issue_pair(client.client_id, refresh.account_id)

    def _revoke(self, params: dict[str, str], request: web.Request) -> None:
        client = self._authenticate_client(params, request)
        value = params.get("token")
        if not value:
            raise _OAuthError(400, "invalid_request", "Missing parameter: token")
        issued = self.tokens.get(value)
        if issued is None or issued.client_id != client.client_id:
            return  # RFC 7009: unknown tokens are not an error
        issued.revoked = True
        if issued.kind == "refresh":
            for other in self.tokens.values():
                if other.grant == issued.grant:
                    other.revoked = True

    # -- HTTP -----------------------------------------------------------------------------

    async def handle_token(self, request: web.Request) -> web.Response:
        """POST /oauth/token/: the authorization_code and refresh_token grants."""
        try:
            body = self._grant(await _params(request), request)
        except _OAuthError as exc:
            return _oauth_error(exc)
        return json_response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def handle_revoke(self, request: web.Request) -> web.Response:
        """POST /oauth/revoke_token/: revoke an access or refresh token."""
        try:
            self._revoke(await _params(request), request)
        except _OAuthError as exc:
            return _oauth_error(exc)
        return json_response({})

    async def handle_authorize(self, request: web.Request) -> web.Response:
        """GET .../oauth-authorize/: consent at once and redirect back with a code."""
        client_id = request.query.get("client_id", "")
        redirect_uri = request.query.get("redirect_uri", "")
        try:
            code = self.issue_code(
                client_id, redirect_uri, account_id=request.query.get("account_id")
            )
        except (KeyError, ValueError) as exc:
            return web.Response(status=400, text=str(exc))
        parts = urlsplit(redirect_uri)
        query = "&".join(q for q in (parts.query, urlencode({"code": code})) if q)
        location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
        raise web.HTTPFound(location)

    def add_routes(self, app: web.Application) -> None:
        """Serve the token, revoke and authorize endpoints (with or without trailing slash)."""
        for path in (TOKEN_PATH, TOKEN_PATH.rstrip("/")):
            app.router.add_post(path, self.handle_token)
        for path in (REVOKE_PATH, REVOKE_PATH.rstrip("/")):
            app.router.add_post(path, self.handle_revoke)
        app.router.add_get(AUTHORIZE_PATH, self.handle_authorize)


async def _params(request: web.Request) -> dict[str, str]:
    """Query-string parameters overlaid with those of a form or JSON body."""
    params = {key: value for key, value in request.query.items()}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    elif request.content_type == "application/json" and request.can_read_body:
        try:
            body = await read_json(request)
        except ApiError:
            raise _OAuthError(400, "invalid_request", "Body is not valid JSON") from None
        if isinstance(body, dict):
            params.update({str(k): str(v) for k, v in body.items() if v is not None})
    return params


def _oauth_error(exc: _OAuthError) -> web.Response:
    headers = {"Cache-Control": "no-store"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="tempo-oauth"'
    return json_response(
        {"error": exc.error, "error_description": exc.description},
        status=exc.status,
        headers=headers,
    )
