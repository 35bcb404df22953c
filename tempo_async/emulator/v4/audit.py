"""`/papertrail/1`: the audit log of deleted worklogs (cursor pages by `lastEvaluatedKey`)."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.state import V3State

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50


class Audit:
    """The deleted-worklog events of the shared state, oldest first."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """The audit routes the emulator serves with state."""
        return [Route("GET", "/events/deleted/types/worklog", self.deleted_worklogs)]

    async def deleted_worklogs(self, request: web.Request) -> web.Response:
        """Deleted worklogs since `updatedFrom`, `limit` at a time after `lastEvaluatedKey`."""
        query = request.query
        since = query.get("updatedFrom")
        if not since:
            raise ApiError(400, "'updatedFrom' is required")
        raw_limit = query.get("limit", str(DEFAULT_LIMIT))
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise ApiError(400, f"'limit' must be between 1 and {MAX_LIMIT}")
        limit = int(raw_limit)
        key = query.get("lastEvaluatedKey", "0")
        if not key.isdigit():
            raise ApiError(400, "'lastEvaluatedKey' is not one this server handed out")
        start = int(key)
        stamp = since if len(since) > 10 else since + "T00:00:00Z"
        events = self.state.deleted_worklogs
        found: list[dict[str, str]] = []
        position = start
        while position < len(events) and len(found) < limit:
            event = events[position]
            position += 1
            if event["deletedAt"] >= stamp[:19] + "Z":
                found.append(
                    {
                        "deletedAt": event["deletedAt"],
                        "tempoWorklogId": str(event["tempoWorklogId"]),
                        "jiraWorklogId": str(event["jiraWorklogId"]),
                    }
                )
        metadata: dict[str, object] = {"count": len(found), "limit": limit}
        if position < len(events):
            metadata["lastEvaluatedKey"] = str(position)
            params = {"updatedFrom": since, "limit": str(limit), "lastEvaluatedKey": str(position)}
            metadata["next"] = self.ctx.url(request.path.removeprefix(self.ctx.base_path)) + (
                "?" + urlencode(params)
            )
        body = {"self": str(request.url), "metadata": metadata, "results": found}
        return self.ctx.respond(body, "DeletedWorklogAuditEventsBean")
