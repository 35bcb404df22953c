"""v4 reads of the reference data the shared state holds: accounts, customers, account
categories, teams, roles, programs and work attributes, rendered in v4's shapes (ids,
`self` links under `/4`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
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
            Route("POST", "/accounts/search", self.search_accounts),
            Route("GET", "/customers", self.customers),
            Route("POST", "/customers/search", self.search_customers),
            Route("GET", "/customers/{id}", self.customer),
            Route("GET", "/account-categories", self.categories),
            Route("GET", "/teams", self.teams),
            Route("GET", "/teams/{id}", self.team),
            Route("GET", "/roles", self.roles),
            Route("GET", "/roles/default", self.default_role),
            Route("GET", "/roles/{id}", self.role),
            Route("GET", "/programs", self.programs),
            Route("GET", "/programs/{id}", self.program),
            Route("GET", "/work-attributes", self.work_attributes),
            Route("GET", "/work-attributes/{key}", self.work_attribute),
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

    def render_role(self, role: Record) -> Record:
        """A v4 Role."""
        return {
            "id": role["id"],
            "name": role["name"],
            "default": bool(role.get("default", False)),
            "self": self._url("roles", role["id"]),
        }

    def render_membership(self, membership: Record) -> Record:
        """A v4 TeamMembership: `to` is exclusive (the day after the last), as v4 keeps it
        for compatibility; `inclusiveTo` is the last day."""
        state = self.state
        role = state.roles[membership["roleId"]]
        team = state.teams[membership["teamId"]]
        body: Record = {
            "id": membership["id"],
            "self": self._url("team-memberships", membership["id"]),
            "commitmentPercent": membership["commitmentPercent"],
            "member": self._user(membership["accountId"]),
            "role": {
                "id": role["id"],
                "name": role["name"],
                "self": self._url("roles", role["id"]),
            },
            "team": {
                "id": team["id"],
                "name": team["name"],
                "self": self._url("teams", team["id"]),
            },
        }
        if membership.get("from"):
            body["from"] = membership["from"]
        if membership.get("to"):
            last = date.fromisoformat(membership["to"])
            body["to"] = (last + timedelta(days=1)).isoformat()
            body["inclusiveTo"] = last.isoformat()
        return body

    def render_program(self, program: Record) -> Record:
        """A v4 Program, with references to its teams."""
        program_id = program["id"]
        teams = [
            {"id": t["id"], "name": t["name"], "self": self._url("teams", t["id"])}
            for t in sorted(self.state.teams.values(), key=lambda t: t["id"])
            if t.get("programId") == program_id
        ]
        body: Record = {
            "id": program_id,
            "name": program["name"],
            "self": self._url("programs", program_id),
            "teams": {"self": self._url("programs", program_id, "teams"), "values": teams},
        }
        if program.get("managerAccountId"):
            body["manager"] = self._user(program["managerAccountId"])
        return body

    def render_work_attribute(self, attribute: Record) -> Record:
        """A v4 WorkAttribute."""
        body: Record = {
            "key": attribute["key"],
            "name": attribute["name"],
            "type": attribute["type"],
            "required": bool(attribute.get("required", False)),
            "self": self._url("work-attributes", attribute["key"]),
        }
        values = attribute.get("values")
        if values:
            body["values"] = list(values)
            body["names"] = {value: str(value).title() for value in values}
        return body

    def _collection(self, path: str, results: list[Record], definition: str) -> web.Response:
        return self.ctx.respond_results(self._url(path), results, definition)

    # -- handlers -------------------------------------------------------------------------

    def _page(
        self,
        request: web.Request,
        records: Sequence[Record],
        render: Callable[[Record], Record],
        definition: str,
    ) -> web.Response:
        return self.ctx.respond_window(
            request, records, definition, max_limit=MAX_LIMIT, render=render
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

    async def search_accounts(self, request: web.Request) -> web.Response:
        """Accounts matching every criterion given (ids, keys, statuses, global), paged."""
        body = await self.ctx.body(request, "AccountSearchInput")
        ids, keys = set(body.get("ids") or ()), set(body.get("keys") or ())
        statuses = set(body.get("statuses") or ())
        records = [
            a
            for a in sorted(self.state.accounts.values(), key=lambda a: a["id"])
            if (not ids or a["id"] in ids)
            and (not keys or a["key"] in keys)
            and (not statuses or a["status"] in statuses)
            and (body.get("global") is None or a["global"] == body["global"])
        ]
        return self._page(request, records, self.render_account, "PageableAccount")

    async def search_customers(self, request: web.Request) -> web.Response:
        """Customers matching the ids and keys given, paged."""
        body = await self.ctx.body(request, "CustomerSearchInput")
        ids, keys = set(body.get("ids") or ()), set(body.get("keys") or ())
        records = [
            c
            for c in sorted(self.state.customers.values(), key=lambda c: c["id"])
            if (not ids or c["id"] in ids) and (not keys or c["key"] in keys)
        ]
        return self._page(request, records, self.render_customer, "PageableCustomer")

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
        return self._collection("account-categories", results, "CategoryResults")

    async def teams(self, request: web.Request) -> web.Response:
        """Retrieve Teams (paged, by id)."""
        records = sorted(self.state.teams.values(), key=lambda t: t["id"])
        return self._page(request, records, self.render_team, "PageableTeam")

    async def team(self, request: web.Request) -> web.Response:
        """Retrieve a Team by id."""
        team = self._by_id(self.state.teams.values(), request, "Team")
        return self.ctx.respond(self.render_team(team), "Team")

    async def roles(self, request: web.Request) -> web.Response:
        """Retrieve every role (an un-paged collection)."""
        records = sorted(self.state.roles.values(), key=lambda r: r["id"])
        return self._collection("roles", [self.render_role(r) for r in records], "RoleResults")

    async def default_role(self, request: web.Request) -> web.Response:
        """Retrieve the default role."""
        for role in self.state.roles.values():
            if role.get("default"):
                return self.ctx.respond(self.render_role(role), "Role")
        raise ApiError(404, "No default role")

    async def role(self, request: web.Request) -> web.Response:
        """Retrieve a role by id."""
        role = self._by_id(self.state.roles.values(), request, "Role")
        return self.ctx.respond(self.render_role(role), "Role")

    async def programs(self, request: web.Request) -> web.Response:
        """Retrieve every program (an un-paged collection)."""
        records = sorted(self.state.programs.values(), key=lambda p: p["id"])
        results = [self.render_program(p) for p in records]
        return self._collection("programs", results, "ProgramResults")

    async def program(self, request: web.Request) -> web.Response:
        """Retrieve a program by id."""
        program = self._by_id(self.state.programs.values(), request, "Program")
        return self.ctx.respond(self.render_program(program), "Program")

    async def work_attributes(self, request: web.Request) -> web.Response:
        """Retrieve work attributes (paged)."""
        records = list(self.state.work_attributes.values())
        return self._page(request, records, self.render_work_attribute, "PageableWorkAttribute")

    async def work_attribute(self, request: web.Request) -> web.Response:
        """Retrieve a work attribute by key."""
        attribute = self.state.work_attributes.get(request.match_info["key"])
        if attribute is None:
            raise ApiError(404, "Work attribute not found")
        return self.ctx.respond(self.render_work_attribute(attribute), "WorkAttribute")
