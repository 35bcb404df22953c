"""Customers (spec section "Customers")."""

from __future__ import annotations

import builtins

from tempo_async import _params as check
from tempo_async.models import Account, Customer, CustomerInput
from tempo_async.resources._base import Resource


class Customers(Resource):
    """`/customers`: the customers accounts belong to."""

    __slots__ = ()

    async def create(self, customer: CustomerInput) -> Customer:
        """Creates a new customer."""
        body = check.body("customer", customer, CustomerInput)
        return await self._send("POST", ("customers",), Customer, body)

    async def list(self, id: int | None = None) -> list[Customer]:
        """Retrieve all existing customers (or only the one with `id`).

        The spec marks `id` required on this "retrieve all" operation; it is optional here.
        """
        return await self._list(("customers",), Customer, {"id": check.optional_ident("id", id)})

    async def get(self, key: str) -> Customer:
        """Retrieve an existing customer for the given key."""
        return await self._get(("customers", check.key("key", key)), Customer)

    async def update(self, key: str, customer: CustomerInput) -> Customer:
        """Update an existing Customer."""
        path = ("customers", check.key("key", key))
        return await self._send(
            "PUT", path, Customer, check.body("customer", customer, CustomerInput)
        )

    async def delete(self, key: str) -> None:
        """Delete an existing customer."""
        await self._delete(("customers", check.key("key", key)))

    async def accounts(self, key: str) -> builtins.list[Account]:
        """Retrieve all accounts for a given customer."""
        return await self._list(("customers", check.key("key", key), "accounts"), Account)
