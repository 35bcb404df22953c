"""What v4 worklog users need beyond the raw operations: chunked bulk create, id maps."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tempo_async import _query as q
from tempo_async.errors import TempoError
from tempo_async.models import v4
from tempo_async.v4.resources.worklogs import WorklogsResource

if TYPE_CHECKING:  # the models load on first use (v4.Name), as the resources' do
    from tempo_async.models.v4 import BulkWorklogInput, Worklog

__all__ = ["BULK_CHUNK", "BulkCreateError", "Worklogs"]

BULK_CHUNK = 50
"""The most worklogs `POST /4/worklogs/issue/{issueId}/bulk` takes at once."""


class BulkCreateError(TempoError):
    """A chunk of a bulk create failed: the chunks before it were created, none after.

    `created` holds the worklogs created so far (in input order), `chunk` the index of the
    failed chunk, `first`/`last` the positions in the input of its first and last worklog.
    The cause is the request's error. The failed chunk is not retried: the server may have
    created part of it; check with `worklogs.for_issue(issue_id, updated_from=...)`.
    """

    def __init__(
        self, created: builtins.list[Worklog], chunk: int, first: int, last: int, cause: Exception
    ) -> None:
        self.created = created
        self.chunk = chunk
        self.first = first
        self.last = last
        super().__init__(
            f"bulk create failed at chunk {chunk} (inputs {first}-{last}) after "
            f"{len(created)} worklog(s) were created: {cause}"
        )


class Worklogs(WorklogsResource):
    """Worklogs (spec tag "Worklogs"): every operation, plus chunked bulk create and the
    Jira <-> Tempo worklog id maps as dicts."""

    __slots__ = ()

    async def bulk_create(
        self, issue_id: int, inputs: Sequence[BulkWorklogInput]
    ) -> builtins.list[Worklog]:
        """Create any number of worklogs on one issue, 50 per request, one request at a time.

        Every input is checked before the first request. The chunks are sent in order; a
        failure raises `BulkCreateError` (what was created, which chunk failed) and sends
        nothing more. A chunk is never retried once it may have reached the server.

        `POST /4/worklogs/issue/{issueId}/bulk` (operationId `bulkCreateWorklog`).
        """
        q.path_int("issue_id", issue_id)
        checked = q.body_items("inputs", inputs, v4.BulkWorklogInput, min_items=1)
        del checked  # every input is valid: now send them in chunks
        created: builtins.list[Worklog] = []
        for chunk, first in enumerate(range(0, len(inputs), BULK_CHUNK)):
            batch = inputs[first : first + BULK_CHUNK]
            try:
                created.extend(await self.bulk_create_chunk(issue_id, batch))
            except Exception as error:
                raise BulkCreateError(
                    created, chunk, first, first + len(batch) - 1, error
                ) from error
        return created

    async def tempo_ids_for(self, jira_worklog_ids: Sequence[int]) -> dict[int, int]:
        """Map Jira worklog ids to Tempo worklog ids (ids Tempo does not know are absent).

        `POST /4/worklogs/jira-to-tempo` (operationId `getTempoWorklogIdsByJiraWorklogIds`).
        """
        ids = q.array("jira_worklog_ids", jira_worklog_ids, q.integer) or []
        pages = self.jira_to_tempo_ids(v4.JiraWorklogIdList(jira_worklog_ids=ids))
        return {m.jira_worklog_id: m.tempo_worklog_id async for m in pages}

    async def jira_ids_for(self, tempo_worklog_ids: Sequence[int]) -> dict[int, int]:
        """Map Tempo worklog ids to Jira worklog ids (ids Tempo does not know are absent).

        `POST /4/worklogs/tempo-to-jira` (operationId `getJiraWorklogIdsByTempoWorklogIds`).
        """
        ids = q.array("tempo_worklog_ids", tempo_worklog_ids, q.integer) or []
        pages = self.tempo_to_jira_ids(v4.TempoWorklogIdList(tempo_worklog_ids=ids))
        return {m.tempo_worklog_id: m.jira_worklog_id async for m in pages}
