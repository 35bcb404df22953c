"""v4 reads of the reference data the shared state holds: accounts, customers, account
categories and teams, rendered in v4's shapes (ids, `self` links under `/4`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import parse_page_request
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.state import Record, V3State

MAX_LIMIT = 5000


class V4Reference:
    """GET of accounts, customers, categories and teams from the shared state."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """The routes served from state (writes stay schema-synthesized)."""
        return [
            Route("GET", "/accounts", self.accounts),
            Route("GET", "/accounts/{id}", self.account),
            Route("GET", "/customers", self.customers),
            Route("GET", "/customers/{id}", self.customer),
            Route("GET", "/account-categories", self.categories),
            Route("GET", "/teams", self.teams),
            Route("GET", "/teams/{id}", self.team),
        ]

    # -- rendering ------------------------------------------------------------------------

    def _url(self, *segments: object) -> str:
        return self.ctx.base_url + "".join(f"/{segment}" for segment in segments)

    def _user(self, account_id: str) -> Record:
        return {"accountId": account_id, "self": self.state.user_url(account_id)}

    def render_customer(self, customer: Record) -> Record:
        """A v4 Customer."""
        return {
            "id": customer["id"],
            "key": customer["key"],
            "name": customer["name"],
            "self": self._url("customers", customer["id"]),
        }

    def render_category(self, category: Record) -> Record:
        """A v4 Category."""
        return {
            "id": category["id"],
            "key": category["key"],
            "name": category["name"],
            "self": self._url("account-categories", category["key"]),
            "type": {"name": category.get("typeName") or "BILLABLE"},
        }

    def render_account(self, account: Record) -> Record:
        """A v4 Account."""
        state = self.state
        body: Record = {
            "id": account["id"],
            "key": account["key"],
            "name": account["name"],
            "status": account["status"],
            "global": account["global"],
            "lead": self._user(account["leadAccountId"]),
            "links": {"self": self._url("accounts", account["key"], "links")},
            "self": self._url("accounts", account["id"]),
        }
        if account.get("monthlyBudget") is not None:
            body["monthlyBudget"] = account["monthlyBudget"]
        category = state.categories.get(account.get("categoryKey") or "")
        if category is not None:
            body["category"] = self.render_category(category)
        customer = state.customers.get(account.get("customerKey") or "")
        if customer is not None:
            body["customer"] = self.render_customer(customer)
        contact = account.get("contactAccountId")
        if contact:
            body["contact"] = {"type": "USER", **self._user(contact)}
        return body

    def render_team(self, team: Record) -> Record:
        """A v4 Team."""
        team_id = team["id"]
        body: Record = {
            "id": team_id,
            "name": team["name"],
            "administrative": bool(team.get("administrative", False)),
            "public": bool(team.get("public", True)),
            "self": self._url("teams", team_id),
            "links": {"self": self._url("teams", team_id, "links")},
            "members": {"self": self._url("teams", team_id, "members")},
            "permissions": {"self": self._url("teams", team_id, "permissions")},
        }
        if team.get("summary"):
            body["summary"] = team["summary"]
        if team.get("leadAccountId"):
            body["lead"] = self._user(team["leadAccountId"])
        program = self.state.programs.get(team.get("programId") or -1)
        if program is not None:
            body["program"] = {
                "id": program["id"],
                "name": program["name"],
                "self": self._url("programs", program["id"]),
            }
        return body

    # -- handlers -------------------------------------------------------------------------

    def _page(
        self,
        request: web.Request,
        records: Sequence[Record],
        render: Callable[[Record], Record],
        definition: str,
    ) -> web.Response:
        page = parse_page_request(request.query, max_limit=MAX_LIMIT)
        window = records[page.offset : page.offset + page.limit]
        return self.ctx.respond_page(
            request,
            page,
            [render(r) for r in window],
            has_more=page.offset + len(window) < len(records),
            definition=definition,
        )

    def _by_id(self, records: Any, request: web.Request, what: str) -> Record:
        raw = request.match_info["id"]
        for record in records:
            if str(record["id"]) == raw:
                found: Record = record
                return found
        raise ApiError(404, f"{what} not found")

    async def accounts(self, request: web.Request) -> web.Response:
        """Retrieve Accounts (paged, by id)."""
        records = sorted(self.state.accounts.values(), key=lambda a: a["id"])
        return self._page(request, records, self.render_account, "PageableAccount")

    async def account(self, request: web.Request) -> web.Response:
        """Retrieve an Account by id."""
        account = self._by_id(self.state.accounts.values(), request, "Account")
        return self.ctx.respond(self.render_account(account), "Account")

    async def customers(self, request: web.Request) -> web.Response:
        """Retrieve Customers (paged, by id)."""
        records = sorted(self.state.customers.values(), key=lambda c: c["id"])
        return self._page(request, records, self.render_customer, "PageableCustomer")

    async def customer(self, request: web.Request) -> web.Response:
        """Retrieve a Customer by id."""
        customer = self._by_id(self.state.customers.values(), request, "Customer")
        return self.ctx.respond(self.render_customer(customer), "Customer")

    async def categories(self, request: web.Request) -> web.Response:
        """Retrieve every account category (an un-paged collection)."""
        results = [self.render_category(c) for c in self.state.categories.values()]
        body = {
            "self": self._url("account-categories"),
            "metadata": {"count": len(results)},
            "results": results,
        }
        return self.ctx.respond(body, "CategoryResults")

    async def teams(self, request: web.Request) -> web.Response:
        """Retrieve Teams (paged, by id)."""
        records = sorted(self.state.teams.values(), key=lambda t: t["id"])
        return self._page(request, records, self.render_team, "PageableTeam")

    async def team(self, request: web.Request) -> web.Response:
        """Retrieve a Team by id."""
        team = self._by_id(self.state.teams.values(), request, "Team")
        return self.ctx.respond(self.render_team(team), "Team")
