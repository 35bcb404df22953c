"""Timesheet approvals (#49-56): one approval per user and period (calendar month).

The state machine: OPEN --submit--> IN_REVIEW --approve--> APPROVED --reopen--> OPEN,
and IN_REVIEW --reject--> OPEN (the spec has no REJECTED status). `actions` lists what
the current status allows. A period is named by `from`/`to`; the month containing
`from` (or `to`, or today) is the one used.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.calendar import period_of, required_total
from tempo_async.emulator.v3.resources._common import Resource, path_int, query_range
from tempo_async.emulator.v3.state import APPROVE_PERMISSION, Record

ACTIONS = {"OPEN": ("submit",), "IN_REVIEW": ("approve", "reject"), "APPROVED": ("reopen",)}
#: action -> (status it applies to, status it leads to)
TRANSITIONS = {
    "submit": ("OPEN", "IN_REVIEW"),
    "approve": ("IN_REVIEW", "APPROVED"),
    "reject": ("IN_REVIEW", "OPEN"),
    "reopen": ("APPROVED", "OPEN"),
}


class Approvals(Resource):
    """/timesheet-approvals/...

    The links it renders are under its context's base URL (`_api_url`), and the actions and
    the transitions are attributes: v4 serves these handlers too,
    with its own (`emulator.v4.approvals`).
    """

    actions: dict[str, tuple[str, ...]] = ACTIONS
    transitions: dict[str, tuple[str, str]] = TRANSITIONS

    def routes(self) -> list[Route]:
        routes = [
            Route("GET", "/timesheet-approvals/waiting", self.waiting),
            Route("GET", "/timesheet-approvals/team/{teamId}", self.for_team),
            Route("GET", "/timesheet-approvals/user/{accountId}", self.get),
            Route("GET", "/timesheet-approvals/user/{accountId}/reviewers", self.reviewers),
        ]
        for action in self.transitions:
            routes.append(
                Route(
                    "POST",
                    f"/timesheet-approvals/user/{{accountId}}/{action}",
                    self._action(action),
                )
            )
        return routes

    def _period(self, request: web.Request) -> tuple[date, date]:
        from_, to = query_range(request)
        return period_of(from_ or to or self.state.today())

    def _user(self, request: web.Request) -> str:
        account_id = request.match_info["accountId"]
        if account_id not in self.state.users:
            raise ApiError(404, f"User with accountId '{account_id}' not found")
        return account_id

    def render(self, account_id: str, first: date, last: date) -> dict[str, Any]:
        """TimesheetApproval of one user and period."""
        state = self.state
        record = state.approvals.get((account_id, first.isoformat()))
        status_key = record["status"] if record else "OPEN"
        period = [("from", first.isoformat()), ("to", last.isoformat())]
        status: dict[str, Any] = {"key": status_key}
        if record is not None:
            if record.get("comment"):
                status["comment"] = record["comment"]
            if record.get("actorAccountId"):
                status["actor"] = state.user_ref(record["actorAccountId"])
            for field in ("requiredSecondsAtSubmit", "timeSpentSecondsAtSubmit"):
                if record.get(field) is not None:
                    status[field] = record[field]
        status["updatedAt"] = record["updatedAt"] if record else f"{first.isoformat()}T00:00:00Z"
        base = ("timesheet-approvals", "user", account_id)
        body: dict[str, Any] = {
            "self": self._api_url(*base, query=period),
            "period": {"from": first.isoformat(), "to": last.isoformat()},
            "requiredSeconds": required_total(first, last, state.holidays),
            "timeSpentSeconds": state.worklogs.time_spent(
                account_id, first.isoformat(), last.isoformat()
            ),
            "status": status,
            "user": state.user_ref(account_id),
        }
        if record is not None and record.get("reviewerAccountId"):
            body["reviewer"] = state.user_ref(record["reviewerAccountId"])
        body["actions"] = {
            action: {"self": self._api_url(*base, action, query=period)}
            for action in self.actions[status_key]
        }
        body["worklogs"] = {"self": self._api_url("worklogs", "user", account_id, query=period)}
        return body

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve the current approval for a given period."""
        account_id = self._user(request)
        first, last = self._period(request)
        return self.ctx.respond(self.render(account_id, first, last), "TimesheetApproval")

    async def waiting(self, request: web.Request) -> web.Response:
        """Retrieve all timesheets that are awaiting my approval.

        "My": the user the request's OAuth token was issued for; with any other token,
        every timesheet in review.
        """
        principal = self.ctx.principal(request)
        me = principal.account_id if principal else None
        records = sorted(
            (
                r
                for r in self.state.approvals.values()
                if r["status"] == "IN_REVIEW" and (me is None or r.get("reviewerAccountId") == me)
            ),
            key=lambda r: (r["from"], r["accountId"]),
        )
        results = [
            self.render(r["accountId"], date.fromisoformat(r["from"]), date.fromisoformat(r["to"]))
            for r in records
        ]
        return self.ctx.respond_collection(
            self._api_url("timesheet-approvals", "waiting"), results, "TimesheetApproval"
        )

    async def reviewers(self, request: web.Request) -> web.Response:
        """Users with approve timesheet permission in teams where the user is a member."""
        account_id = self._user(request)
        state = self.state
        team_ids = {m["teamId"] for m in state.memberships.values() if m["accountId"] == account_id}
        reviewers: dict[str, None] = {}
        for team_id in sorted(team_ids):
            for user in state.team_permissions.get(team_id, {}).get(APPROVE_PERMISSION, []):
                reviewers[user] = None
        results = [state.user_ref(u) for u in reviewers]
        url = self._api_url("timesheet-approvals", "user", account_id, "reviewers")
        return self.ctx.respond_collection(url, results, "User")

    async def for_team(self, request: web.Request) -> web.Response:
        """Retrieve the current approval for a team in a given period (one per member)."""
        team_id = path_int(request, "teamId", "Team not found")
        if team_id not in self.state.teams:
            raise ApiError(404, "Team not found")
        first, last = self._period(request)
        members: dict[str, None] = {}
        for membership in self.state.memberships_of_team(team_id):
            if (not membership.get("from") or membership["from"] <= last.isoformat()) and (
                not membership.get("to") or membership["to"] >= first.isoformat()
            ):
                members[membership["accountId"]] = None
        results = [self.render(account_id, first, last) for account_id in members]
        period = [("from", first.isoformat()), ("to", last.isoformat())]
        url = self._api_url("timesheet-approvals", "team", team_id, query=period)
        return self.ctx.respond_collection(url, results, "TimesheetApproval")

    def _action(self, action: str) -> Any:
        async def handle(request: web.Request) -> web.Response:
            return await self.transition(request, action)

        handle.__doc__ = f"POST /timesheet-approvals/user/{{accountId}}/{action}"
        return handle

    async def transition(self, request: web.Request, action: str) -> web.Response:
        """Submit, approve, reject or reopen a timesheet."""
        state = self.state
        account_id = self._user(request)
        first, last = self._period(request)
        definition = (
            "TimesheetApprovalSubmitInput" if action == "submit" else "TimesheetApprovalActionInput"
        )
        body = await self.ctx.body(request, definition)
        key = (account_id, first.isoformat())
        record: Record = dict(
            state.approvals.get(key)
            or {
                "accountId": account_id,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "status": "OPEN",
            }
        )
        source, target = self.transitions[action]
        if record["status"] != source:
            raise ApiError(400, f"Cannot {action} a timesheet that is {record['status']}")
        principal = self.ctx.principal(request)
        if action == "submit":
            reviewer = body.get("reviewerAccountId")
            if not reviewer:
                raise ApiError(400, "Field 'reviewerAccountId' is required")
            if reviewer not in state.users:
                raise ApiError(400, f"Reviewer with accountId '{reviewer}' not found")
            record["reviewerAccountId"] = reviewer
            record["actorAccountId"] = account_id
            record["requiredSecondsAtSubmit"] = required_total(first, last, state.holidays)
            record["timeSpentSecondsAtSubmit"] = state.worklogs.time_spent(
                account_id, first.isoformat(), last.isoformat()
            )
        else:
            record["actorAccountId"] = (
                (principal.account_id if principal else None)
                or record.get("reviewerAccountId")
                or account_id
            )
        record["status"] = target
        record["updatedAt"] = state.now()
        if body.get("comment") is not None:
            record["comment"] = body["comment"]
        else:
            record.pop("comment", None)
        state.approvals[key] = record
        return self.ctx.respond(self.render(account_id, first, last), "TimesheetApproval")
