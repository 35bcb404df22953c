"""v4 account links over the shared state (`state.account_links`, which v3 serves too): an
account linked to a project scope, at most one link of an account and project, and one
default account per project."""

from __future__ import annotations

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import path_int
from tempo_async.emulator.v3.state import Record, V3State

__all__ = ["MAX_LIMIT", "V4AccountLinks"]

MAX_LIMIT = 5000
NOT_FOUND = "Account link not found"


class V4AccountLinks:
    """/4/account-links..., and GET /4/accounts/{key}/links."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """The account link operations served with state."""
        return [
            Route("POST", "/account-links", self.create),
            Route("GET", "/account-links/{id}", self.get),
            Route("DELETE", "/account-links/{id}", self.delete),
            Route("PATCH", "/account-links/{id}/make-default", self.make_default),
            Route("GET", "/account-links/project/{id}", self.for_project),
            Route("GET", "/accounts/{key}/links", self.for_account),
        ]

    def render(self, link: Record) -> Record:
        """A v4 AccountLink."""
        account = self.state.accounts[link["accountKey"]]
        project = self.state.projects[link["projectKey"]]
        return {
            "id": link["id"],
            "self": self.ctx.url(f"/account-links/{link['id']}"),
            "account": {"self": self.ctx.url(f"/accounts/{account['id']}")},
            "scope": {
                "id": project["id"],
                "type": "PROJECT",
                "self": self.state.project_url(project["key"]),
            },
            "default": bool(link.get("default", False)),
        }

    def _existing(self, request: web.Request) -> Record:
        link = self.state.account_links.get(path_int(request, "id", NOT_FOUND))
        if link is None:
            raise ApiError(404, NOT_FOUND)
        return link

    def _set_default(self, link: Record) -> None:
        for other in self.state.account_links.values():
            if other["projectKey"] == link["projectKey"]:
                other["default"] = other is link

    async def create(self, request: web.Request) -> web.Response:
        """Link an account to a project (the first link of a project is its default)."""
        body = await self.ctx.body(request, "AccountLinkInput")
        state = self.state
        errors = []
        if body["accountKey"] not in state.accounts:
            errors.append(f"Account with key '{body['accountKey']}' not found")
        project_key = state.resolve_project(str(body["scopeId"]))
        if body["scopeType"] != "PROJECT" or project_key is None:
            errors.append(f"Project with id '{body['scopeId']}' not found")
        if errors:
            raise ApiError(400, *errors)
        assert project_key is not None
        links = [one for one in state.account_links.values() if one["projectKey"] == project_key]
        if any(one["accountKey"] == body["accountKey"] for one in links):
            raise ApiError(400, "The account is already linked to this project")
        link: Record = {
            "id": state.next_id("account_link"),
            "accountKey": body["accountKey"],
            "projectKey": project_key,
            "default": False,
        }
        state.account_links[link["id"]] = link
        if body.get("default") or not links:
            self._set_default(link)
        return self.ctx.respond(self.render(link), "AccountLink")

    async def get(self, request: web.Request) -> web.Response:
        """An account link by id."""
        return self.ctx.respond(self.render(self._existing(request)), "AccountLink")

    async def delete(self, request: web.Request) -> web.Response:
        """Remove an account link."""
        del self.state.account_links[self._existing(request)["id"]]
        return no_content()

    async def make_default(self, request: web.Request) -> web.Response:
        """Make an account link its project's default."""
        self._set_default(self._existing(request))
        return no_content()

    async def for_project(self, request: web.Request) -> web.Response:
        """The account links of a project."""
        project_key = self.state.resolve_project(request.match_info["id"])
        if project_key is None:
            raise ApiError(404, "Project not found")
        links = sorted(
            (one for one in self.state.account_links.values() if one["projectKey"] == project_key),
            key=lambda one: one["id"],
        )
        results = [self.render(one) for one in links]
        return self.ctx.respond_results(str(request.url), results, "AccountLinkResults")

    async def for_account(self, request: web.Request) -> web.Response:
        """The links of an account, paged."""
        key = request.match_info["key"]
        if key not in self.state.accounts:
            raise ApiError(404, f"Account with key '{key}' not found")
        links = sorted(
            (one for one in self.state.account_links.values() if one["accountKey"] == key),
            key=lambda one: one["id"],
        )
        return self.ctx.respond_window(
            request, links, "PageableAccountLink", max_limit=MAX_LIMIT, render=self.render
        )
