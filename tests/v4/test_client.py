"""The v4 client beyond single requests: paging on GET, POST and cursors, clamped pages,
bulk create in chunks, id maps, argument checks, errors, hosts and regions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timezone
from typing import Any

import pytest
from aiohttp import web

from tempo_async import NotFoundError, ServerError
from tempo_async.models.v4 import (
    BulkWorklogInput,
    SearchOrderBean,
    WorklogSearchInput,
)
from tempo_async.v4 import BulkCreateError, TempoClient

TOTAL = 2_345


def worklog(i: int, host: str) -> dict[str, Any]:
    return {
        "self": f"{host}/4/worklogs/{i}",
        "tempoWorklogId": i,
        "issue": {"self": f"{host}/issue/10001", "id": 10001},
        "timeSpentSeconds": 60,
        "startDate": "2026-01-02",
        "startTime": "09:00:00",
        "createdAt": "2026-01-02T09:00:00Z",
        "updatedAt": "2026-01-02T09:00:00Z",
        "author": {"self": f"{host}/user/a", "accountId": "a"},
        "attributes": {"self": f"{host}/4/worklogs/{i}/work-attribute-values", "values": []},
    }


class Backend:
    """A small v4 server: worklog pages (GET and POST search, optionally clamping
    `limit`), a cursor-paged audit log, bulk create and id maps."""

    def __init__(self) -> None:
        self.clamp: int | None = None
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.fail_bulk_at: int | None = None
        self.bulk_calls = 0
        self.host = ""

    def page(self, offset: int, limit: int, path: str) -> dict[str, Any]:
        if self.clamp is not None:
            limit = min(limit, self.clamp)
        end = min(offset + limit, TOTAL)
        metadata: dict[str, Any] = {"count": end - offset, "offset": offset, "limit": limit}
        if end < TOTAL:
            metadata["next"] = f"{self.host}{path}?offset={end}&limit={limit}"
        return {
            "self": f"{self.host}{path}",
            "metadata": metadata,
            "results": [worklog(i, self.host) for i in range(offset, end)],
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        query = dict(request.query)
        self.requests.append((request.method, request.path, query, body))
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 50))
        if request.path == "/4/worklogs":
            return web.json_response(self.page(offset, limit, request.path))
        if request.path == "/4/worklogs/search":
            return web.json_response(self.page(offset, limit, request.path))
        if request.path == "/papertrail/1/events/deleted/types/worklog":
            key = int(query.get("lastEvaluatedKey", "0"))
            ids = list(range(key, min(key + limit, 25)))
            metadata: dict[str, Any] = {"count": len(ids), "limit": limit}
            if key + limit < 25:
                metadata["lastEvaluatedKey"] = str(key + limit)
            return web.json_response(
                {
                    "self": f"{self.host}{request.path}",
                    "metadata": metadata,
                    "results": [
                        {
                            "tempoWorklogId": str(i),
                            "jiraWorklogId": str(900 + i),
                            "deletedAt": "2026-01-02T00:00:00Z",
                        }
                        for i in ids
                    ],
                }
            )
        if request.path.startswith("/4/worklogs/issue/") and request.path.endswith("/bulk"):
            self.bulk_calls += 1
            if self.fail_bulk_at == self.bulk_calls:
                return web.json_response({"errors": [{"message": "boom"}]}, status=500)
            start = (self.bulk_calls - 1) * 50
            return web.json_response([worklog(start + i, self.host) for i in range(len(body))])
        if request.path == "/4/worklogs/jira-to-tempo":
            ids = body["jiraWorklogIds"]
            return web.json_response(
                {
                    "self": f"{self.host}{request.path}",
                    "metadata": {"count": len(ids), "offset": 0, "limit": limit},
                    "results": [{"jiraWorklogId": i, "tempoWorklogId": i + 1000} for i in ids],
                }
            )
        return web.json_response(
            {"errors": [{"message": f"Worklog not found: {request.path}"}]}, status=404
        )


@pytest.fixture
async def backend() -> AsyncIterator[Backend]:
    state = Backend()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    state.host = f"http://{host}:{port}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def tempo(backend: Backend) -> AsyncIterator[TempoClient]:
    async with TempoClient("t0ken", base_url=backend.host, rate_limit=None) as client:
        yield client


@pytest.mark.parametrize("clamp", [None, 333])
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_get_list_pages_concurrently_in_order_even_when_clamped(
    tempo: TempoClient, backend: Backend, clamp: int | None, concurrency: int
) -> None:
    backend.clamp = clamp
    ids = [
        w.tempo_worklog_id async for w in tempo.worklogs.list(limit=1000, concurrency=concurrency)
    ]
    assert ids == list(range(TOTAL))


async def test_search_pages_on_post_with_the_filters_as_body(
    tempo: TempoClient, backend: Backend
) -> None:
    query = WorklogSearchInput(
        project_ids=[10000],
        updated_from=datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
        order_by=[SearchOrderBean(field="UPDATED", order="ASC")],  # type: ignore[arg-type]
    )
    backend.clamp = 500
    worklogs = await tempo.worklogs.search(query, limit=5000).collect()
    assert len(worklogs) == TOTAL
    posts = [r for r in backend.requests if r[1] == "/4/worklogs/search"]
    assert all(method == "POST" for method, *_ in posts)
    assert posts[0][3] == {
        "projectIds": [10000],
        "updatedFrom": "2026-01-01T12:00:00Z",
        "orderBy": [{"field": "UPDATED", "order": "ASC"}],
    }
    assert [int(r[2]["offset"]) for r in posts[:3]] == [0, 500, 1000]


async def test_cursor_pages_follow_last_evaluated_key(tempo: TempoClient, backend: Backend) -> None:
    events = await tempo.audit.deleted_worklogs(
        updated_from=datetime(2026, 1, 1, tzinfo=timezone.utc), limit=10
    ).collect()
    assert [e.tempo_worklog_id for e in events] == [str(i) for i in range(25)]
    keys = [r[2].get("lastEvaluatedKey") for r in backend.requests]
    assert keys == [None, "10", "20"]


async def test_bulk_create_splits_into_chunks_of_50(tempo: TempoClient, backend: Backend) -> None:
    inputs = [
        BulkWorklogInput(author_account_id="a", start_date=date(2026, 1, 2), time_spent_seconds=60)
        for _ in range(120)
    ]
    created = await tempo.worklogs.bulk_create(10001, inputs)
    assert len(created) == 120
    sizes = [len(r[3]) for r in backend.requests if r[1].endswith("/bulk")]
    assert sizes == [50, 50, 20]
    assert backend.requests[0][1] == "/4/worklogs/issue/10001/bulk"


async def test_bulk_create_reports_the_failed_chunk_and_sends_nothing_after(
    tempo: TempoClient, backend: Backend
) -> None:
    backend.fail_bulk_at = 2
    inputs = [
        BulkWorklogInput(author_account_id="a", start_date=date(2026, 1, 2), time_spent_seconds=60)
        for _ in range(160)
    ]
    with pytest.raises(BulkCreateError) as caught:
        await tempo.worklogs.bulk_create(10001, inputs)
    assert caught.value.chunk == 1
    assert (caught.value.first, caught.value.last) == (50, 99)
    assert len(caught.value.created) == 50
    assert isinstance(caught.value.__cause__, ServerError)
    assert backend.bulk_calls == 2  # a POST is not retried, and chunk 3 is never sent


async def test_bulk_create_checks_every_input_before_sending(
    tempo: TempoClient, backend: Backend
) -> None:
    inputs: list[Any] = [
        {"authorAccountId": "a", "startDate": "2026-01-02", "timeSpentSeconds": 60}
    ] * 3
    inputs.append({"authorAccountId": "a", "startDate": "not a date", "timeSpentSeconds": 60})
    with pytest.raises(ValueError, match=r"inputs\[3\].*startDate"):
        await tempo.worklogs.bulk_create(10001, inputs)
    assert backend.requests == []


async def test_the_id_maps_are_dicts(tempo: TempoClient, backend: Backend) -> None:
    assert await tempo.worklogs.tempo_ids_for([5, 6]) == {5: 1005, 6: 1006}


async def test_an_error_keeps_the_servers_message(tempo: TempoClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.get(999)
    assert caught.value.messages == ["Worklog not found: /4/worklogs/999"]


Call = Callable[[TempoClient], Any]


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (lambda t: t.worklogs.list(from_="2026-13-01"), ValueError, "from_"),
        (lambda t: t.worklogs.list(from_=datetime(2026, 1, 1)), TypeError, "from_"),
        (lambda t: t.worklogs.list(project_id=[]), ValueError, "project_id"),
        (lambda t: t.worklogs.list(project_id=["x"]), TypeError, r"project_id\[0\]"),
        (lambda t: t.worklogs.list(limit=5001), ValueError, "limit"),
        (lambda t: t.worklogs.list(limit=0), ValueError, "limit"),
        (lambda t: t.worklogs.list(order_by="NAME"), ValueError, "order_by"),
        (lambda t: t.worklogs.list(updated_from=datetime(2026, 1, 1)), ValueError, "updated_from"),
        (
            lambda t: t.audit.deleted_worklogs(updated_from=datetime.now(timezone.utc), limit=1001),
            ValueError,
            "limit",
        ),
        (lambda t: t.worklogs.get(""), ValueError, "id"),
        (lambda t: t.worklogs.get(-1), ValueError, "id"),
        (lambda t: t.worklogs.get(True), TypeError, "id"),
        (lambda t: t.worklogs.bulk_create_chunk(1, [{}] * 51), ValueError, "items"),
        (lambda t: t.worklogs.create({"issueId": 1}), ValueError, "worklog"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    tempo: TempoClient, backend: Backend, call: Call, error: type[Exception], names: str
) -> None:
    with pytest.raises(error, match=names):
        result = call(tempo)
        if hasattr(result, "__await__"):
            await result
    assert backend.requests == []


def test_hosts_and_regions() -> None:
    assert TempoClient("t").base_url == "https://api.tempo.io"
    assert TempoClient("t", region="eu").base_url == "https://api.eu.tempo.io"
    assert TempoClient("t", region="US").base_url == "https://api.us.tempo.io"
    assert TempoClient("t", region="eu", base_url="https://api.eu.tempo.io").base_url == (
        "https://api.eu.tempo.io"
    )
    with pytest.raises(ValueError, match="region"):
        TempoClient("t", region="asia")
    with pytest.raises(TypeError, match="region"):
        TempoClient("t", region="eu", base_url="https://api.us.tempo.io")


def test_from_env_reads_token_host_and_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPO_API_TOKEN", "secret")
    monkeypatch.setenv("TEMPO_REGION", "us")
    monkeypatch.delenv("TEMPO_BASE_URL", raising=False)
    client = TempoClient.from_env()
    assert client.base_url == "https://api.us.tempo.io"
    assert "secret" not in repr(client)
    monkeypatch.delenv("TEMPO_REGION")
    monkeypatch.setenv("TEMPO_BASE_URL", "http://127.0.0.1:9")
    assert TempoClient.from_env().base_url == "http://127.0.0.1:9"


def test_help_shows_the_specs_summary_and_parameters() -> None:
    search = TempoClient("t").worklogs.search
    assert search.__doc__ is not None
    assert "Search Worklogs" in search.__doc__
    assert "POST /4/worklogs/search" in search.__doc__


async def test_a_date_time_in_another_zone_is_sent_in_utc(
    tempo: TempoClient, backend: Backend
) -> None:
    from datetime import timedelta

    paris = timezone(timedelta(hours=2))
    await tempo.worklogs.list(
        updated_from=datetime(2026, 6, 1, 12, 30, 15, 999, tzinfo=paris), limit=5000
    ).collect()
    assert backend.requests[0][2]["updatedFrom"] == "2026-06-01T10:30:15Z"
