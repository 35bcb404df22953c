"""v4 timesheet approvals over the shared state: v3's state machine and handlers in v4's
context (`writes.v4_context`: links under `/4`, v4's schemas, input definition and error
shape), plus v4's `recall` (the submitter takes a timesheet in review back to open)."""

from __future__ import annotations

from tempo_async.emulator.v3.resources.approvals import ACTIONS, TRANSITIONS, Approvals

__all__ = ["V4Approvals"]


class V4Approvals(Approvals):
    """/4/timesheet-approvals/...: get, waiting, team, reviewers, and the five actions."""

    actions = {**ACTIONS, "IN_REVIEW": ("approve", "reject", "recall")}
    transitions = {**TRANSITIONS, "recall": ("IN_REVIEW", "OPEN")}
