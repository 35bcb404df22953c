"""v4 writes of the reference data, with v3's semantics over the same state: customers,
account categories, roles, accounts, programs, teams and team memberships are created,
read, updated and deleted for real (ids assigned, keys and names unique, references checked, 404 after delete, 400
in v4's error shape) and rendered in v4's shapes.

The rules are v3's handlers', reused as they are: each v4 handler object is a v3 one
with v4's API context (v4's schema validation and error shape) and v4's rendering. Where
v4 addresses a record by id and v3 by key (GET /4/customers/{id}), the reads stay in
`reference`; the writes below have the same path in both versions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import Resource
from tempo_async.emulator.v3.resources.accounts import Accounts
from tempo_async.emulator.v3.resources.categories import Categories
from tempo_async.emulator.v3.resources.customers import Customers
from tempo_async.emulator.v3.resources.memberships import Memberships
from tempo_async.emulator.v3.resources.programs import Programs
from tempo_async.emulator.v3.resources.roles import Roles
from tempo_async.emulator.v3.resources.teams import Teams
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v4.holiday_schemes import V4Schedules
from tempo_async.emulator.v4.reference import V4Reference

__all__ = ["WRITES", "v4_context", "write_routes"]

Operations = tuple[tuple[str, str, str], ...]
"""(method, path, v3 handler name) of each v4 operation."""


class V4Memberships(Memberships):
    """v3's team memberships, reading v4's end date: `to` is exclusive (the day after the
    last) unless `useInclusiveEndDate` says otherwise; the state keeps the last day."""

    def _terms(self, body: dict[str, Any], record: Record, errors: list[str]) -> None:
        if body.get("to") and not body.get("useInclusiveEndDate"):
            try:
                last = date.fromisoformat(body["to"]) - timedelta(days=1)
            except ValueError:
                pass  # v3's check names the bad date
            else:
                body = {**body, "to": last.isoformat()}
        super()._terms(body, record, errors)


WRITES: tuple[tuple[type[Resource], str | None, str, Operations], ...] = (
    (
        Customers,
        "render_customer",
        "Customer",
        (
            ("POST", "/customers", "create"),
            ("PUT", "/customers/{key}", "update"),
            ("DELETE", "/customers/{key}", "delete"),
        ),
    ),
    (
        Categories,
        "render_category",
        "Category",
        (
            ("POST", "/account-categories", "create"),
            ("GET", "/account-categories/{key}", "get"),
            ("PUT", "/account-categories/{key}", "update"),
            ("DELETE", "/account-categories/{key}", "delete"),
        ),
    ),
    (
        Roles,
        "render_role",
        "Role",
        (
            ("POST", "/roles", "create"),
            ("PUT", "/roles/{id}", "update"),
            ("DELETE", "/roles/{id}", "delete"),
        ),
    ),
    (
        Accounts,
        "render_account",
        "Account",
        (
            ("POST", "/accounts", "create"),
            ("PUT", "/accounts/{key}", "update"),
            ("DELETE", "/accounts/{key}", "delete"),
        ),
    ),
    (
        Programs,
        "render_program",
        "Program",
        (
            ("POST", "/programs", "create"),
            ("PUT", "/programs/{id}", "update"),
            ("DELETE", "/programs/{id}", "delete"),
        ),
    ),
    (
        Teams,
        "render_team",
        "Team",
        (
            ("POST", "/teams", "create"),
            ("PUT", "/teams/{id}", "update"),
            ("DELETE", "/teams/{id}", "delete"),
        ),
    ),
    (
        V4Memberships,
        "render_membership",
        "TeamMembership",
        (
            ("POST", "/team-memberships", "create"),
            ("GET", "/team-memberships/{id}", "get"),
            ("PUT", "/team-memberships/{id}", "update"),
            ("DELETE", "/team-memberships/{id}", "delete"),
        ),
    ),
    (
        V4Schedules,
        None,
        "",
        (
            ("GET", "/periods", "periods"),
            ("GET", "/user-schedule", "my_schedule"),
            ("GET", "/user-schedule/{accountId}", "user_schedule"),
        ),
    ),
)
"""The v3 handlers serving v4: the class, the v4 renderer and the response's definition
(None: the handlers render nothing v4 shapes differently), and the operations."""

INPUTS = {
    ("POST", "TeamInput"): "TeamCreateInput",
    ("PUT", "TeamInput"): "TeamUpdateInput",
    ("POST", "MembershipInput"): "TeamMembershipInput",
    ("PUT", "MembershipUpdate"): "MembershipInput",
    ("POST", "TimesheetApprovalSubmitInput"): "TimesheetApprovalInput",
    ("POST", "TimesheetApprovalActionInput"): "TimesheetApprovalInput",
}
"""v4's name of a request body's definition where it differs from v3's, by method."""
OUTPUTS = {"PeriodList": "TimesheetApprovalPeriodsBean"}
"""v4's name of a response's definition where it differs from v3's."""


class _V4Context:
    """v4's API context for v3 handlers: everything v4's, request bodies checked against
    v4's definition of the same input (`INPUTS`)."""

    def __init__(self, ctx: ApiContext) -> None:
        self._ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    async def body(self, request: web.Request, definition: str) -> Any:
        """The request's JSON body, validated against v4's definition of `definition`."""
        return await self._ctx.body(request, INPUTS.get((request.method, definition), definition))

    def respond(self, body: Any, definition: str) -> web.Response:
        """The response, validated against v4's definition of `definition`."""
        return self._ctx.respond(body, OUTPUTS.get(definition, definition))


def v4_context(ctx: ApiContext) -> ApiContext:
    """v4's context as v3 handlers use it (their definition names mapped to v4's)."""
    return _V4Context(ctx)  # type: ignore[return-value]


def _v4_handlers(
    base: type[Resource],
    state: V3State,
    ctx: ApiContext,
    render: Callable[[Record], Record] | None,
    definition: str,
) -> Any:
    """A v3 handler object answering in v4: v4's context, v4's rendering."""
    handlers = base(state, v4_context(ctx))
    if render is not None:

        def respond(record: Record) -> web.Response:
            return ctx.respond(render(record), definition)

        setattr(handlers, "_respond", respond)  # noqa: B010 (the v3 handlers' rendering hook)
    return handlers


def write_routes(state: V3State, ctx: ApiContext, reference: V4Reference) -> list[Route]:
    """Every stateful v4 write of the reference data."""
    routes: list[Route] = []
    for base, render, definition, operations in WRITES:
        renderer = None if render is None else getattr(reference, render)
        handlers = _v4_handlers(base, state, ctx, renderer, definition)
        routes += [
            Route(method, path, getattr(handlers, name)) for method, path, name in operations
        ]
    return routes
