"""Accounts (#1-5) and the account links their `links.self` points to."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank
from tempo_async.emulator.v3.state import Record
from tempo_async.emulator.v3.worklog_store import ACCOUNT_ATTRIBUTE

STATUSES = ("OPEN", "CLOSED", "ARCHIVED")
NOT_FOUND = "Account not found"


class Accounts(Resource):
    """POST/GET /accounts, GET/PUT/DELETE /accounts/{key}, GET /accounts/{key}/links."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/accounts", self.create),
            Route("GET", "/accounts", self.list_all),
            Route("GET", "/accounts/{key}", self.get),
            Route("PUT", "/accounts/{key}", self.update),
            Route("DELETE", "/accounts/{key}", self.delete),
            Route("GET", "/accounts/{key}/links", self.links),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.accounts.get(request.match_info["key"])
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _record(self, body: dict[str, Any], account_id: int, current_key: str | None) -> Record:
        """An account record from an AccountInput, or a 400 listing every problem."""
        state = self.state
        errors = []
        key, name = body["key"], body["name"]
        if blank(key):
            errors.append("Account key cannot be blank")
        elif key != current_key and key in state.accounts:
            errors.append("Account with this key already exists")
        if blank(name):
            errors.append("Account name cannot be blank")
        lead = body["leadAccountId"]
        if lead not in state.users:
            errors.append(f"Lead with accountId '{lead}' not found")
        contact = body.get("contactAccountId")
        external = body.get("externalContactName")
        if contact is not None and external is not None:
            errors.append("Give either contactAccountId or externalContactName, not both")
        elif contact is not None and contact not in state.users:
            errors.append(f"Contact with accountId '{contact}' not found")
        category_key = body.get("categoryKey")
        if category_key is not None and category_key not in state.categories:
            errors.append(f"Category '{category_key}' not found")
        customer_key = body.get("customerKey")
        if customer_key is not None and customer_key not in state.customers:
            errors.append(f"Customer '{customer_key}' not found")
        if errors:
            raise ApiError(400, *errors)
        record: Record = {
            "id": account_id,
            "key": key,
            "name": name,
            "status": body["status"],
            "global": bool(body.get("global", False)),
            "leadAccountId": lead,
        }
        optional = (
            "contactAccountId",
            "externalContactName",
            "categoryKey",
            "customerKey",
            "monthlyBudget",
        )
        for field in optional:
            if body.get(field) is not None:
                record[field] = body[field]
        return record

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.account(self.state, record), "Account")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new account."""
        body = await self.ctx.body(request, "AccountInput")
        record = self._record(body, self.state.next_id("account"), None)
        self.state.accounts[record["key"]] = record
        return self._respond(record)

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve existing accounts (optionally only those of one `status`)."""
        status = request.query.get("status")
        if status is not None and status not in STATUSES:
            raise ApiError(400, f"Invalid status '{status}', expected one of {', '.join(STATUSES)}")
        records = sorted(self.state.accounts.values(), key=lambda r: int(r["id"]))
        results = [
            render.account(self.state, r)
            for r in records
            if status is None or r["status"] == status
        ]
        query = [("status", status)] if status else None
        return self.ctx.respond_collection(
            self.state.url("accounts", query=query), results, "Account"
        )

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing account for the given key."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing account (the body replaces it; its key may change)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "AccountInput")
        record = self._record(body, existing["id"], existing["key"])
        old_key = existing["key"]
        if record["key"] != old_key:
            self._rename(old_key, record["key"])
            del self.state.accounts[old_key]
        self.state.accounts[record["key"]] = record
        return self._respond(record)

    def _rename(self, old_key: str, new_key: str) -> None:
        state = self.state
        for link in state.account_links.values():
            if link["accountKey"] == old_key:
                link["accountKey"] = new_key
        for worklog in state.worklogs.worklogs_of("account", old_key):
            values = [
                {"key": v["key"], "value": new_key} if v["key"] == ACCOUNT_ATTRIBUTE else v
                for v in worklog["attributes"]["values"]
            ]
            attributes = {**worklog["attributes"], "values": values}
            state.worklogs.replace({**worklog, "attributes": attributes})

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing account (and its links)."""
        record = self._existing(request)
        del self.state.accounts[record["key"]]
        for link_id in [
            i for i, link in self.state.account_links.items() if link["accountKey"] == record["key"]
        ]:
            del self.state.account_links[link_id]
        return no_content()

    async def links(self, request: web.Request) -> web.Response:
        """The Jira projects an account is linked to (`Account.links.self`)."""
        record = self._existing(request)
        links = [
            render.account_link(self.state, link)
            for link in self.state.account_links.values()
            if link["accountKey"] == record["key"]
        ]
        return self.ctx.respond_collection(
            self.state.url("accounts", record["key"], "links"), links, None
        )
