"""Timesheet approvals (spec section "Timesheet Approvals")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from tempo_async import _params as check
from tempo_async.models import TimesheetApproval, User
from tempo_async.resources._base import Resource


class TimesheetApprovals(Resource):
    """`/timesheet-approvals`: the review of users' timesheets for a period.

    `from_`/`to` select the period: the one that contains them (the API's default is the
    current period).
    """

    __slots__ = ()

    async def waiting(self) -> list[TimesheetApproval]:
        """Retrieve all timesheets that are awaiting my approval."""
        return await self._list(("timesheet-approvals", "waiting"), TimesheetApproval)

    async def get(
        self, account_id: str, *, from_: date | str | None = None, to: date | str | None = None
    ) -> TimesheetApproval:
        """Retrieve the current approval for a given period."""
        start, end = check.date_range(from_, to)
        path = ("timesheet-approvals", "user", check.key("account_id", account_id))
        return await self._get(path, TimesheetApproval, {"from": start, "to": end})

    async def reviewers(self, account_id: str) -> list[User]:
        """Get Reviewers for a user."""
        path = ("timesheet-approvals", "user", check.key("account_id", account_id), "reviewers")
        return await self._list(path, User)

    async def approve(
        self, account_id: str, *, from_: date | str, to: date | str, comment: str | None = None
    ) -> TimesheetApproval:
        """Approve Timesheet."""
        return await self._act("approve", account_id, from_, to, {"comment": comment})

    async def reject(
        self, account_id: str, *, from_: date | str, to: date | str, comment: str | None = None
    ) -> TimesheetApproval:
        """Reject Timesheet (the timesheet goes back to OPEN)."""
        return await self._act("reject", account_id, from_, to, {"comment": comment})

    async def reopen(
        self, account_id: str, *, from_: date | str, to: date | str, comment: str | None = None
    ) -> TimesheetApproval:
        """Re-open Timesheet."""
        return await self._act("reopen", account_id, from_, to, {"comment": comment})

    async def submit(
        self,
        account_id: str,
        *,
        from_: date | str,
        to: date | str,
        reviewer_account_id: str,
        comment: str | None = None,
    ) -> TimesheetApproval:
        """Submit Timesheet for approvals, to the reviewer `reviewer_account_id`."""
        reviewer = check.key("reviewer_account_id", reviewer_account_id)
        body = {"comment": comment, "reviewerAccountId": reviewer}
        return await self._act("submit", account_id, from_, to, body)

    async def for_team(
        self, team_id: int, *, from_: date | str | None = None, to: date | str | None = None
    ) -> list[TimesheetApproval]:
        """Retrieve the current approval for a team in a given period."""
        start, end = check.date_range(from_, to)
        path = ("timesheet-approvals", "team", check.ident("team_id", team_id))
        return await self._list(path, TimesheetApproval, {"from": start, "to": end})

    async def _act(
        self, action: str, account_id: str, from_: object, to: object, body: Mapping[str, object]
    ) -> TimesheetApproval:
        start, end = check.required_dates(from_, to)
        check.optional_str("comment", body.get("comment"))
        path = ("timesheet-approvals", "user", check.key("account_id", account_id), action)
        payload = {k: v for k, v in body.items() if v is not None}
        return await self._send(
            "POST", path, TimesheetApproval, payload, {"from": start, "to": end}
        )
