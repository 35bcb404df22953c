"""How the transport obtains the Authorization header: the `Auth` protocol and `TokenAuth`."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Auth", "TokenAuth"]


class Auth(Protocol):
    """A source of Authorization header values for the transport.

    Implementations must never expose the credential in `repr`/`str`.
    """

    async def authorization(self) -> str:
        """Return the Authorization header value for the next request."""
        ...

    async def refresh_after_unauthorized(self, used: str) -> bool:
        """React to a 401 received with the header value `used`.

        Return True when the request should be retried once with a fresh header (e.g. an
        OAuth token was refreshed), False when the 401 is final.
        """
        ...


class TokenAuth:
    """A fixed bearer token, such as a Tempo personal API token; it is never refreshed."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, not {type(token).__name__}")
        if not token:
            raise ValueError("token must not be empty")
        if any(char.isspace() for char in token) or not token.isprintable():
            # Also rejects "Bearer ..." and header injection through CR/LF.
            raise ValueError(
                "token must not contain whitespace or control characters "
                "(pass the token alone, without a 'Bearer ' prefix)"
            )
        self._header = f"Bearer {token}"

    async def authorization(self) -> str:
        """Return `Bearer <token>`."""
        return self._header

    async def refresh_after_unauthorized(self, used: str) -> bool:
        """A personal token cannot be refreshed: a 401 is final."""
        return False

    def __repr__(self) -> str:
        return "TokenAuth(token=***)"
