"""The Tempo REST API v4 served by the emulator, beside v3, over the same state.

`mounts(state)` gives the v4 operations (`/4/...`) and the audit log (`/papertrail/1/...`)
to the version-neutral server: worklogs with real semantics (issue ids, search, bulk
create, id maps, deletions in the audit log); accounts, customers, account categories,
teams, programs, roles and work attributes read from the shared data; customers, account
categories, roles, accounts, programs, teams (`writes`) and work attributes
(`work_attributes`) written to it too, account links (`account_links`), plans (`plans`) and holiday schemes over the
holiday calendar (`holiday_schemes`) and workload schemes (`workload_schemes`); periods and user schedules from its calendar;
timesheet approvals with their state machine (`approvals`). All validated against the v4 schema
bundle; every other operation of the spec answers a schema-valid synthesized response.
"""

from __future__ import annotations

from pathlib import Path

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.server import Mount, Route
from tempo_async.emulator.v3.state import V3State
from tempo_async.emulator.v4.account_links import V4AccountLinks
from tempo_async.emulator.v4.approvals import V4Approvals
from tempo_async.emulator.v4.audit import Audit
from tempo_async.emulator.v4.holiday_schemes import V4HolidaySchemes
from tempo_async.emulator.v4.plans import V4Plans
from tempo_async.emulator.v4.reference import V4Reference
from tempo_async.emulator.v4.synthesized import synthesized_routes
from tempo_async.emulator.v4.work_attributes import V4WorkAttributes
from tempo_async.emulator.v4.workload_schemes import V4WorkloadSchemes
from tempo_async.emulator.v4.worklogs import V4Worklogs
from tempo_async.emulator.v4.writes import v4_context, write_routes

__all__ = ["SCHEMA_FILE", "error_body", "mounts"]

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "models" / "v4_schema.json"


def error_body(messages: list[str]) -> dict[str, object]:
    """v4's error shape: `{"errors": {"message": ...}}` (one message; several joined)."""
    return {"errors": {"message": "; ".join(messages)}}


def mounts(state: V3State) -> list[Mount]:
    """The v4 API and the audit API over `state`."""

    def v4_routes(ctx: ApiContext) -> list[Route]:
        reference = V4Reference(state, ctx)
        routes = V4Worklogs(state, ctx).routes() + reference.routes()
        routes += write_routes(state, ctx, reference) + V4Approvals(state, v4_context(ctx)).routes()
        routes += V4WorkAttributes(state, ctx, reference).routes()
        routes += V4AccountLinks(state, ctx).routes() + V4Plans(state, ctx).routes()
        routes += V4HolidaySchemes(state, ctx).routes() + V4WorkloadSchemes(state, ctx).routes()
        return routes + synthesized_routes(ctx, "/4", ((r.method, r.path) for r in routes))

    def audit_routes(ctx: ApiContext) -> list[Route]:
        routes = Audit(state, ctx).routes()
        return routes + synthesized_routes(
            ctx, "/papertrail/1", ((r.method, r.path) for r in routes)
        )

    return [
        Mount("/4", SCHEMA_FILE, v4_routes, error_body),
        Mount("/papertrail/1", SCHEMA_FILE, audit_routes, error_body),
    ]
