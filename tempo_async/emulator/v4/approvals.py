"""v4 timesheet approvals over the shared state: v3's state machine and handlers with v4's
context (links under `/4`, v4's schemas and error shape), v4's single input definition,
and v4's `recall` (the submitter takes a timesheet in review back to open)."""

from __future__ import annotations

from tempo_async.emulator.v3.resources.approvals import ACTIONS, TRANSITIONS, Approvals

__all__ = ["V4Approvals"]


class V4Approvals(Approvals):
    """/4/timesheet-approvals/...: get, waiting, team, reviewers, and the five actions."""

    actions = {**ACTIONS, "IN_REVIEW": ("approve", "reject", "recall")}
    transitions = {**TRANSITIONS, "recall": ("IN_REVIEW", "OPEN")}

    def input_definition(self, action: str) -> str:
        """Every v4 action takes a `TimesheetApprovalInput`."""
        return "TimesheetApprovalInput"
