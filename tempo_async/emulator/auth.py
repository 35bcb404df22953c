"""Bearer-token authentication of the API routes.

The rule: with neither a pinned token nor a registered OAuth client, any non-empty
`Authorization: Bearer <token>` is accepted (the convenient default for tests). Once a
token is pinned (`token=` / `--token`) or an OAuth client is registered, only the pinned
token and live access tokens issued by `/oauth/token/` are accepted; expired and revoked
ones get 401. A request without a bearer token always gets 401, with no body as the spec
documents it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass

from aiohttp import web

from tempo_async.emulator.oauth import OAuthServer
from tempo_async.emulator.responses import error_response


@dataclass(frozen=True)
class Principal:
    """Who a request authenticated as: the token, and the user an OAuth grant was for."""

    token: str
    account_id: str | None = None


#: The `Principal` of the request being handled (set by the auth middleware).
current_principal: ContextVar[Principal | None] = ContextVar(
    "tempo_emulator_principal", default=None
)

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BearerAuth:
    """Decides which bearer tokens the API accepts (see the module docstring)."""

    def __init__(self, oauth: OAuthServer, pinned_token: str | None = None) -> None:
        self.oauth = oauth
        self.pinned_token = pinned_token

    @property
    def checks_tokens(self) -> bool:
        """Whether tokens are checked (a token is pinned or an OAuth client is registered)."""
        return self.pinned_token is not None or bool(self.oauth.clients)

    def authenticate(self, authorization: str | None) -> Principal | None:
        """The principal for an `Authorization` header value, or None when it is refused."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        issued = self.oauth.access_token_info(token)
        if issued is not None:
            return Principal(token, issued.account_id)
        if self.pinned_token is not None and secrets.compare_digest(token, self.pinned_token):
            return Principal(token)
        if self.checks_tokens:
            return None
        return Principal(token)

    @web.middleware
    async def middleware(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """401 (no body, `WWW-Authenticate: Bearer`) unless the request authenticates."""
        header = request.headers.get("Authorization")
        principal = self.authenticate(header)
        if principal is None:
            challenge = 'Bearer realm="tempo"'
            if header:
                challenge += ', error="invalid_token"'
            return error_response(401, headers={"WWW-Authenticate": challenge})
        reset = current_principal.set(principal)
        try:
            return await handler(request)
        finally:
            current_principal.reset(reset)
