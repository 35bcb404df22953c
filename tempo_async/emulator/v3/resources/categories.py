"""Account categories (#6-10) and category types (#11)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank
from tempo_async.emulator.v3.state import CATEGORY_TYPES, Record

NOT_FOUND = "Invalid category key"
DEFAULT_TYPE = "BILLABLE"


class Categories(Resource):
    """/account-categories[/{key}] and GET /account-category-types."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/account-categories", self.create),
            Route("GET", "/account-categories", self.list_all),
            Route("GET", "/account-categories/{key}", self.get),
            Route("PUT", "/account-categories/{key}", self.update),
            Route("DELETE", "/account-categories/{key}", self.delete),
            Route("GET", "/account-category-types", self.types),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.categories.get(request.match_info["key"])
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _record(self, body: dict[str, Any], category_id: int, current_key: str | None) -> Record:
        errors = []
        if blank(body["key"]):
            errors.append("Category key cannot be blank")
        elif body["key"] != current_key and body["key"] in self.state.categories:
            errors.append("Category with this key already exists")
        if blank(body["name"]):
            errors.append("Category name cannot be blank")
        if errors:
            raise ApiError(400, *errors)
        return {
            "id": category_id,
            "key": body["key"],
            "name": body["name"],
            "typeName": body.get("typeName") or DEFAULT_TYPE,
        }

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.category(self.state, record), "Category")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new category."""
        body = await self.ctx.body(request, "CategoryInput")
        record = self._record(body, self.state.next_id("category"), None)
        self.state.categories[record["key"]] = record
        return self._respond(record)

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve all existing categories (or only the one with `id`)."""
        raw_id = request.query.get("id")
        wanted: int | None = None
        if raw_id:
            try:
                wanted = int(raw_id)
            except ValueError:
                raise ApiError(
                    400, f"Query parameter 'id' must be an integer, got '{raw_id}'"
                ) from None
        records = sorted(self.state.categories.values(), key=lambda r: int(r["id"]))
        results = [
            render.category(self.state, r) for r in records if wanted is None or r["id"] == wanted
        ]
        query = [("id", str(wanted))] if wanted is not None else None
        url = self.state.url("account-categories", query=query)
        return self.ctx.respond_collection(url, results, "Category")

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing category for the given key."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing category (its key may change; accounts follow)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "CategoryInput")
        record = self._record(body, existing["id"], existing["key"])
        if record["key"] != existing["key"]:
            del self.state.categories[existing["key"]]
            for account in self.state.accounts.values():
                if account.get("categoryKey") == existing["key"]:
                    account["categoryKey"] = record["key"]
        self.state.categories[record["key"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing category; accounts using it lose their category."""
        record = self._existing(request)
        del self.state.categories[record["key"]]
        for account in self.state.accounts.values():
            if account.get("categoryKey") == record["key"]:
                del account["categoryKey"]
        return no_content()

    async def types(self, request: web.Request) -> web.Response:
        """Retrieve all existing types."""
        results = [{"name": name} for name in CATEGORY_TYPES]
        return self.ctx.respond_collection(
            self.state.url("account-category-types"), results, "CategoryType"
        )
