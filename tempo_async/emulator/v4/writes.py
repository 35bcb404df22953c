"""v4 writes of the reference data, with v3's semantics over the same state: customers,
account categories and roles are created, read, updated and deleted for real (ids
assigned, keys unique, 404 after delete, 400 with v4's error shape), and rendered in v4's
shapes. The rules are v3's handlers', reused as they are: only the API context (v4's
schema validation and error shape) and the rendering differ."""

from __future__ import annotations

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources.categories import Categories
from tempo_async.emulator.v3.resources.customers import Customers
from tempo_async.emulator.v3.resources.roles import Roles
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v4.reference import V4Reference

__all__ = ["write_routes"]


class V4Customers(Customers):
    """POST /4/customers, PUT and DELETE /4/customers/{key}."""

    def __init__(self, state: V3State, ctx: ApiContext, reference: V4Reference) -> None:
        super().__init__(state)
        self.ctx = ctx
        self.reference = reference

    def routes(self) -> list[Route]:
        """The stateful v4 customer writes."""
        return [
            Route("POST", "/customers", self.create),
            Route("PUT", "/customers/{key}", self.update),
            Route("DELETE", "/customers/{key}", self.delete),
        ]

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(self.reference.render_customer(record), "Customer")


class V4Categories(Categories):
    """POST /4/account-categories, GET, PUT and DELETE /4/account-categories/{key}."""

    def __init__(self, state: V3State, ctx: ApiContext, reference: V4Reference) -> None:
        super().__init__(state)
        self.ctx = ctx
        self.reference = reference

    def routes(self) -> list[Route]:
        """The stateful v4 account category operations beside the list."""
        return [
            Route("POST", "/account-categories", self.create),
            Route("GET", "/account-categories/{key}", self.get),
            Route("PUT", "/account-categories/{key}", self.update),
            Route("DELETE", "/account-categories/{key}", self.delete),
        ]

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(self.reference.render_category(record), "Category")


class V4Roles(Roles):
    """POST /4/roles, PUT and DELETE /4/roles/{id}."""

    def __init__(self, state: V3State, ctx: ApiContext, reference: V4Reference) -> None:
        super().__init__(state)
        self.ctx = ctx
        self.reference = reference

    def routes(self) -> list[Route]:
        """The stateful v4 role writes."""
        return [
            Route("POST", "/roles", self.create),
            Route("PUT", "/roles/{id}", self.update),
            Route("DELETE", "/roles/{id}", self.delete),
        ]

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(self.reference.render_role(record), "Role")


def write_routes(state: V3State, ctx: ApiContext, reference: V4Reference) -> list[Route]:
    """Every stateful v4 write of the reference data."""
    routes: list[Route] = []
    for resource in (V4Customers, V4Categories, V4Roles):
        routes += resource(state, ctx, reference).routes()
    return routes
