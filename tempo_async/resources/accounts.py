"""Accounts (spec section "Accounts")."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import Account, AccountInput, AccountStatus
from tempo_async.resources._base import Resource

_STATUSES = frozenset(s.value for s in AccountStatus)


class Accounts(Resource):
    """`/accounts`: Tempo accounts."""

    __slots__ = ()

    async def create(self, account: AccountInput) -> Account:
        """Creates a new account.

        The contact is `contact_account_id` for a registered Jira user, or
        `external_contact_name` for anyone else.
        """
        return await self._send(
            "POST", ("accounts",), Account, check.body("account", account, AccountInput)
        )

    async def list(self, status: AccountStatus | str | None = None) -> list[Account]:
        """Retrieve existing accounts (optionally only those with `status` OPEN, CLOSED or ARCHIVED)."""
        if status is not None:
            check.key("status", status)
            if str(status) not in _STATUSES:
                raise ValueError(f"status must be one of {sorted(_STATUSES)}, got {status!r}")
        return await self._list(("accounts",), Account, {"status": status})

    async def get(self, key: str) -> Account:
        """Retrieve an existing account for the given key."""
        return await self._get(("accounts", check.key("key", key)), Account)

    async def update(self, key: str, account: AccountInput) -> Account:
        """Update an existing account."""
        path = ("accounts", check.key("key", key))
        return await self._send("PUT", path, Account, check.body("account", account, AccountInput))

    async def delete(self, key: str) -> None:
        """Delete an existing account."""
        await self._delete(("accounts", check.key("key", key)))
