"""Customers (#12-17)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank
from tempo_async.emulator.v3.state import Record

NOT_FOUND = "Invalid customer key"


class Customers(Resource):
    """/customers[/{key}] and GET /customers/{key}/accounts."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/customers", self.create),
            Route("GET", "/customers", self.list_all),
            Route("GET", "/customers/{key}", self.get),
            Route("PUT", "/customers/{key}", self.update),
            Route("DELETE", "/customers/{key}", self.delete),
            Route("GET", "/customers/{key}/accounts", self.accounts),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.customers.get(request.match_info["key"])
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _record(self, body: dict[str, Any], customer_id: int, current_key: str | None) -> Record:
        errors = []
        if blank(body["key"]):
            errors.append("Customer key cannot be blank")
        elif body["key"] != current_key and body["key"] in self.state.customers:
            errors.append("Customer with this key already exists")
        if blank(body["name"]):
            errors.append("Customer name cannot be blank")
        if errors:
            raise ApiError(400, *errors)
        return {"id": customer_id, "key": body["key"], "name": body["name"]}

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.customer(self.state, record), "Customer")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new customer."""
        body = await self.ctx.body(request, "CustomerInput")
        record = self._record(body, self.state.next_id("customer"), None)
        self.state.customers[record["key"]] = record
        return self._respond(record)

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve all existing customers (or only the one with `id`)."""
        raw_id = request.query.get("id")
        wanted: int | None = None
        if raw_id:
            try:
                wanted = int(raw_id)
            except ValueError:
                raise ApiError(
                    400, f"Query parameter 'id' must be an integer, got '{raw_id}'"
                ) from None
        records = sorted(self.state.customers.values(), key=lambda r: int(r["id"]))
        results = [
            render.customer(self.state, r) for r in records if wanted is None or r["id"] == wanted
        ]
        query = [("id", str(wanted))] if wanted is not None else None
        return self.ctx.respond_collection(
            self.state.url("customers", query=query), results, "Customer"
        )

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing customer for the given key."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing Customer (its key may change; accounts follow)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "CustomerInput")
        record = self._record(body, existing["id"], existing["key"])
        if record["key"] != existing["key"]:
            del self.state.customers[existing["key"]]
            for account in self.state.accounts.values():
                if account.get("customerKey") == existing["key"]:
                    account["customerKey"] = record["key"]
        self.state.customers[record["key"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing customer; accounts of it lose their customer."""
        record = self._existing(request)
        del self.state.customers[record["key"]]
        for account in self.state.accounts.values():
            if account.get("customerKey") == record["key"]:
                del account["customerKey"]
        return no_content()

    async def accounts(self, request: web.Request) -> web.Response:
        """Retrieve all accounts for a given customer."""
        record = self._existing(request)
        accounts = sorted(
            (a for a in self.state.accounts.values() if a.get("customerKey") == record["key"]),
            key=lambda a: int(a["id"]),
        )
        results = [render.account(self.state, a) for a in accounts]
        return self.ctx.respond_collection(
            self.state.url("customers", record["key"], "accounts"), results, "Account"
        )
