"""`tempo.worklogs` (#61-74): CRUD, work attribute values and the seven paged lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from typing import Any

import attrs
import pytest

from tempo_async import TempoClient
from tempo_async._paging import Page, Paginator
from tempo_async.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    TempoTransportError,
)
from tempo_async.models import WorkAttributeValue, Worklog, WorklogInput
from tests.conftest import load_example
from tests.resources._support import (
    ACCOUNT_ID,
    ACCOUNT_ID_QUOTED,
    BASE,
    Api,
    Sent,
    paged,
    pairs,
    same_json,
    structure_example,
    worklog,
)

JOHN = "1111aaaa2222bbbb3333cccc"
JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}


def offsets(api: Api) -> list[int]:
    return [int(dict(s.url.query)["offset"]) for s in api.sent]


def check_page_requests(api: Api, path: str, query: dict[str, Any], limit: int) -> None:
    """Every request went to `path` with `query` plus its own offset and `limit`."""
    for sent in api.sent:
        assert sent.method == "GET"
        assert sent.path == "/core/3" + path
        assert sent.headers["Authorization"] == "Bearer test-token"
        assert sent.data is None
        offset = dict(sent.url.query)["offset"]
        assert sent.query == pairs({**query, "offset": offset, "limit": str(limit)})


# -- single worklogs ------------------------------------------------------------------


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("173_POST_worklogs_200.json")
    api.add("POST", "/worklogs", payload=answer)

    created = await client.worklogs.create(
        structure_example("172_POST_worklogs_request.json", WorklogInput)
    )

    api.expect("POST", "/worklogs", body=load_example("172_POST_worklogs_request.json"))
    assert isinstance(created, Worklog)
    assert created.tempo_worklog_id == answer["tempoWorklogId"]
    assert created.self_url == answer["self"]
    assert created.start_date == date(2017, 2, 6)
    assert created.start_time == time(20, 6)
    assert created.issue.key == "DUM-1"
    assert same_json(created, answer)


async def test_create_from_a_model_built_in_python(client: TempoClient, api: Api) -> None:
    api.add("POST", "/worklogs", payload=load_example("173_POST_worklogs_200.json"))
    worklog_input = WorklogInput(
        issue_key="DUM-1",
        time_spent_seconds=3600,
        start_date=date(2026, 1, 5),
        start_time=time(9, 30),
        author_account_id=ACCOUNT_ID,
        attributes=[WorkAttributeValue(key="_COLOR_", value="green")],
    )

    await client.worklogs.create(worklog_input)

    api.expect(
        "POST",
        "/worklogs",
        body={
            "issueKey": "DUM-1",
            "timeSpentSeconds": 3600,
            "startDate": "2026-01-05",
            "startTime": "09:30:00",
            "authorAccountId": ACCOUNT_ID,
            "attributes": [{"key": "_COLOR_", "value": "green"}],
        },
    )


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("176_GET_worklogs-worklogId_200.json")
    api.add("GET", "/worklogs/126", payload=answer)

    found = await client.worklogs.get(126)

    api.expect("GET", "/worklogs/126")
    assert found.tempo_worklog_id == 126
    assert found.jira_worklog_id == 10100
    assert found.created_at == datetime(2017, 2, 6, 16, 41, 41, tzinfo=timezone.utc)
    assert found.author.account_id == JOHN
    assert found.attributes is not None
    assert [v.value for v in found.attributes.values] == [True, "EXT-44556", "red"]
    assert same_json(found, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("180_PUT_worklogs-worklogId_200.json")
    api.add("PUT", "/worklogs/126", payload=answer)

    updated = await client.worklogs.update(
        126, structure_example("179_PUT_worklogs-worklogId_request.json", WorklogInput)
    )

    api.expect("PUT", "/worklogs/126", body=load_example("179_PUT_worklogs-worklogId_request.json"))
    assert same_json(updated, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/worklogs/126", status=204)

    assert await client.worklogs.delete(126) is None

    api.expect("DELETE", "/worklogs/126")


async def test_attribute_values(client: TempoClient, api: Api) -> None:
    answer = load_example("186_GET_worklogs-worklogId-work-attribute-values_200.json")
    api.add("GET", "/worklogs/126/work-attribute-values", payload=answer)

    values = await client.worklogs.attribute_values(126)

    api.expect("GET", "/worklogs/126/work-attribute-values")
    assert all(isinstance(v, WorkAttributeValue) for v in values)
    assert [(v.key, v.value) for v in values] == [
        ("_DELIVERED_", True),
        ("_EXTERNALREF_", "EXT-44556"),
        ("_COLOR_", "red"),
    ]


async def test_attribute_value(client: TempoClient, api: Api) -> None:
    answer = load_example("188_GET_worklogs-worklogId-work-attribute-values-key_200.json")
    api.add("GET", "/worklogs/126/work-attribute-values/_COLOR_", payload=answer)

    value = await client.worklogs.attribute_value(126, "_COLOR_")

    api.expect("GET", "/worklogs/126/work-attribute-values/_COLOR_")
    assert (value.key, value.value) == ("_COLOR_", "red")


async def test_get_by_jira_id(client: TempoClient, api: Api) -> None:
    answer = load_example("191_GET_worklogs-jira-jiraWorklogId_200.json")
    api.add("GET", "/worklogs/jira/10100", payload=answer)

    found = await client.worklogs.get_by_jira_id(10100)

    api.expect("GET", "/worklogs/jira/10100")
    assert found.jira_worklog_id == answer["jiraWorklogId"]
    assert same_json(found, answer)


# -- paged lists ----------------------------------------------------------------------


async def test_list_walks_every_page_in_order(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 5), repeat=True)

    paginator = client.worklogs.list(
        from_=date(2026, 1, 1),
        to="2026-01-31",
        updated_from=date(2025, 12, 24),
        project=["PRJ-1", "10000"],
        issue=["DUM-1", "DUM-2"],
        limit=2,
        concurrency=1,
    )
    assert isinstance(paginator, Paginator)
    assert api.sent == []  # nothing is sent before the walk starts

    worklogs = await paginator.collect()

    assert [w.tempo_worklog_id for w in worklogs] == [1, 2, 3, 4, 5]
    assert all(isinstance(w, Worklog) for w in worklogs)
    assert offsets(api) == [0, 2, 4]
    check_page_requests(
        api,
        "/worklogs",
        {
            **JANUARY,
            "updatedFrom": "2025-12-24",
            "project": ["PRJ-1", "10000"],
            "issue": ["DUM-1", "DUM-2"],
        },
        limit=2,
    )


async def test_list_async_for(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 6), repeat=True)

    ids = [w.tempo_worklog_id async for w in client.worklogs.list(**_jan(), limit=2, concurrency=1)]

    assert ids == [1, 2, 3, 4, 5, 6]
    assert offsets(api) == [0, 2, 4]
    check_page_requests(api, "/worklogs", JANUARY, limit=2)


async def test_list_pages(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 5), repeat=True)

    pages = [p async for p in client.worklogs.list(**_jan(), limit=2, concurrency=1).pages()]

    assert all(isinstance(p, Page) for p in pages)
    assert [p.offset for p in pages] == [0, 2, 4]
    assert [p.limit for p in pages] == [2, 2, 2]
    assert [[w.tempo_worklog_id for w in p.items] for p in pages] == [[1, 2], [3, 4], [5]]
    assert [bool(p.metadata.get("next")) for p in pages] == [True, True, False]
    assert pages[1].self_url == f"{BASE}/worklogs?offset=2&limit=2"
    assert offsets(api) == [0, 2, 4]


async def test_list_raw(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 3), repeat=True)

    raw = [item async for item in client.worklogs.list(limit=2, concurrency=1).raw()]

    assert raw == [worklog(1), worklog(2), worklog(3)]
    assert offsets(api) == [0, 2]
    check_page_requests(api, "/worklogs", {}, limit=2)


async def test_list_single_string_filters_and_start_offset(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 5), repeat=True)

    worklogs = await client.worklogs.list(
        project="PRJ-1", issue="DUM-1", offset=3, limit=1, concurrency=1
    ).collect()

    assert [w.tempo_worklog_id for w in worklogs] == [4, 5]
    assert offsets(api) == [3, 4]
    check_page_requests(api, "/worklogs", {"project": "PRJ-1", "issue": "DUM-1"}, limit=1)


async def test_list_defaults(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 3), repeat=True)

    worklogs = await client.worklogs.list(concurrency=1).collect()

    assert len(worklogs) == 3
    assert offsets(api) == [0]
    check_page_requests(api, "/worklogs", {}, limit=1000)


async def test_a_one_page_list_costs_one_request(client: TempoClient, api: Api) -> None:
    """With the client's 8 pages in flight and no rate limit, a list that fits in one page
    is still fetched with a single request: the walk reads ahead only after a `next`."""
    api.add("GET", "/worklogs", responder=paged("/worklogs", 3), repeat=True)

    worklogs = await client.worklogs.list().collect()

    assert [w.tempo_worklog_id for w in worklogs] == [1, 2, 3]
    assert offsets(api) == [0]
    check_page_requests(api, "/worklogs", {}, limit=1000)


async def test_list_concurrent_pages_keep_their_order(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 7), repeat=True)

    worklogs = await client.worklogs.list(**_jan(), limit=2, concurrency=3).collect()

    assert [w.tempo_worklog_id for w in worklogs] == list(range(1, 8))
    requested = offsets(api)
    assert {0, 2, 4, 6} <= set(requested)
    assert len(requested) == len(set(requested))  # no page asked twice
    assert all(offset % 2 == 0 for offset in requested)
    check_page_requests(api, "/worklogs", JANUARY, limit=2)


async def test_list_uses_the_client_concurrency_by_default(client: TempoClient, api: Api) -> None:
    api.add("GET", "/worklogs", responder=paged("/worklogs", 3), repeat=True)

    paginator = client.worklogs.list(limit=1)

    assert paginator.concurrency == 8
    assert [w.tempo_worklog_id for w in await paginator.collect()] == [1, 2, 3]


async def test_list_spec_example_page(client: TempoClient, api: Api) -> None:
    """The spec's page example (no `next`) ends the list after one request."""
    api.add("GET", "/worklogs", payload=load_example("170_GET_worklogs_200.json"))

    worklogs = await client.worklogs.list(from_="2017-02-01", to="2017-02-28", limit=50).collect()

    assert worklogs == []
    api.expect(
        "GET", "/worklogs", {"from": "2017-02-01", "to": "2017-02-28", "offset": "0", "limit": "50"}
    )


def _jan() -> dict[str, Any]:
    return {"from_": "2026-01-01", "to": date(2026, 1, 31)}


SUB_LISTS: list[tuple[str, Callable[..., Paginator[Worklog]], str]] = [
    (
        "for_jira_filter",
        lambda t, **kw: t.worklogs.for_jira_filter(10020, **kw),
        "/worklogs/jira/filter/10020",
    ),
    (
        "for_account",
        lambda t, **kw: t.worklogs.for_account("ACC-1", **kw),
        "/worklogs/account/ACC-1",
    ),
    (
        "for_project",
        lambda t, **kw: t.worklogs.for_project("PRJ-1", **kw),
        "/worklogs/project/PRJ-1",
    ),
    ("for_team", lambda t, **kw: t.worklogs.for_team(1, **kw), "/worklogs/team/1"),
    (
        "for_user",
        lambda t, **kw: t.worklogs.for_user(ACCOUNT_ID, **kw),
        f"/worklogs/user/{ACCOUNT_ID_QUOTED}",
    ),
    (
        "for_issue",
        lambda t, **kw: t.worklogs.for_issue("PLAT-234", **kw),
        "/worklogs/issue/PLAT-234",
    ),
]


@pytest.mark.parametrize(("name", "call", "path"), SUB_LISTS, ids=[s[0] for s in SUB_LISTS])
async def test_sub_list_collect(
    client: TempoClient, api: Api, name: str, call: Callable[..., Paginator[Worklog]], path: str
) -> None:
    api.add("GET", path, responder=paged(path, 5, first_id=100), repeat=True)

    worklogs = await call(
        client,
        from_=date(2026, 1, 1),
        to="2026-01-31",
        updated_from="2026-01-15",
        limit=2,
        concurrency=1,
    ).collect()

    assert [w.tempo_worklog_id for w in worklogs] == [100, 101, 102, 103, 104]
    assert offsets(api) == [0, 2, 4]
    check_page_requests(api, path, {**JANUARY, "updatedFrom": "2026-01-15"}, limit=2)


@pytest.mark.parametrize(("name", "call", "path"), SUB_LISTS, ids=[s[0] for s in SUB_LISTS])
async def test_sub_list_pages_raw_and_iteration(
    client: TempoClient, api: Api, name: str, call: Callable[..., Paginator[Worklog]], path: str
) -> None:
    api.add("GET", path, responder=paged(path, 3), repeat=True)
    paginator = call(client, limit=2, concurrency=1)

    items = [w.tempo_worklog_id async for w in paginator]
    pages = [len(p.items) async for p in paginator.pages()]
    raw = [r async for r in paginator.raw()]

    assert items == [1, 2, 3]
    assert pages == [2, 1]
    assert raw == [worklog(1), worklog(2), worklog(3)]
    assert offsets(api) == [0, 2] * 3  # each walk starts afresh
    check_page_requests(api, path, {}, limit=2)


SPEC_PAGES = [
    (
        "194_GET_worklogs-jira-filter-jirafilterId_200.json",
        lambda t, **kw: t.worklogs.for_jira_filter(10020, **kw),
        "/worklogs/jira/filter/10020",
        0,
    ),
    (
        "196_GET_worklogs-account-accountKey_200.json",
        lambda t, **kw: t.worklogs.for_account("ACC-1", **kw),
        "/worklogs/account/ACC-1",
        0,
    ),
    (
        "198_GET_worklogs-project-projectKey_200.json",
        lambda t, **kw: t.worklogs.for_project("PRJ-1", **kw),
        "/worklogs/project/PRJ-1",
        0,
    ),
    (
        "200_GET_worklogs-team-teamId_200.json",
        lambda t, **kw: t.worklogs.for_team(1, **kw),
        "/worklogs/team/1",
        0,
    ),
    (
        "202_GET_worklogs-user-accountId_200.json",
        lambda t, **kw: t.worklogs.for_user("john", **kw),
        "/worklogs/user/john",
        100,
    ),
    (
        "204_GET_worklogs-issue-key_200.json",
        lambda t, **kw: t.worklogs.for_issue("PLAT-234", **kw),
        "/worklogs/issue/PLAT-234",
        0,
    ),
]


@pytest.mark.parametrize(
    ("example", "call", "path", "start"), SPEC_PAGES, ids=[s[0][:3] for s in SPEC_PAGES]
)
async def test_sub_list_spec_example_pages(
    client: TempoClient,
    api: Api,
    example: str,
    call: Callable[..., Paginator[Worklog]],
    path: str,
    start: int,
) -> None:
    """The spec's first page (results skipped, `next` set or not) then, if `next`, a last page."""
    first = load_example(example)
    last = {
        "self": f"{BASE}{path}?offset={start + 50}&limit=50",
        "metadata": {"count": 1, "offset": start + 50, "limit": 50},
        "results": [worklog(7)],
    }

    def respond(sent: Sent) -> tuple[int, Any]:
        return 200, first if int(dict(sent.url.query)["offset"]) == start else last

    api.add("GET", path, responder=respond, repeat=True)

    worklogs = await call(client, offset=start, limit=50, concurrency=1).collect()

    has_next = "next" in first["metadata"]
    assert [w.tempo_worklog_id for w in worklogs] == ([7] if has_next else [])
    assert offsets(api) == ([start, start + 50] if has_next else [start])


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "call", "example"),
    [
        (
            "POST",
            "/worklogs",
            lambda t: t.worklogs.create(load_example("172_POST_worklogs_request.json")),
            "174_POST_worklogs_400.json",
        ),
        (
            "PUT",
            "/worklogs/126",
            lambda t: t.worklogs.update(
                126, load_example("179_PUT_worklogs-worklogId_request.json")
            ),
            "181_PUT_worklogs-worklogId_400.json",
        ),
    ],
)
async def test_400_carries_every_message(
    client: TempoClient, api: Api, method: str, path: str, call: Any, example: str
) -> None:
    api.add(method, path, status=400, payload=load_example(example))

    with pytest.raises(BadRequestError) as caught:
        await call(client)

    assert caught.value.status == 400
    assert caught.value.messages == [
        "Issue not found",
        "Date can not be empty",
        "Invalid time duration entered",
    ]
    assert caught.value.method == method
    assert caught.value.url == BASE + path
    assert "Date can not be empty" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "call", "example"),
    [
        ("/worklogs/126", lambda t: t.worklogs.get(126), "178_GET_worklogs-worklogId_404.json"),
        (
            "/worklogs/jira/1",
            lambda t: t.worklogs.get_by_jira_id(1),
            "193_GET_worklogs-jira-jiraWorklogId_404.json",
        ),
        (
            "/worklogs/126/work-attribute-values/_X_",
            lambda t: t.worklogs.attribute_value(126, "_X_"),
            "190_GET_worklogs-worklogId-work-attribute-values-key_404.json",
        ),
        (
            "/worklogs/issue/NOPE-1",
            lambda t: t.worklogs.for_issue("NOPE-1").collect(),
            "206_GET_worklogs-issue-key_404.json",
        ),
    ],
)
async def test_404(client: TempoClient, api: Api, path: str, call: Any, example: str) -> None:
    api.add("GET", path, status=404, payload=load_example(example))

    with pytest.raises(NotFoundError) as caught:
        await call(client)

    assert caught.value.messages == [e["message"] for e in load_example(example)["errors"]]


async def test_403_on_a_later_page_fails_the_walk(client: TempoClient, api: Api) -> None:
    forbidden = load_example("171_GET_worklogs_403.json")
    pages = paged("/worklogs", 10)

    def respond(sent: Sent) -> tuple[int, Any]:
        return (403, forbidden) if dict(sent.url.query)["offset"] == "4" else pages(sent)

    api.add("GET", "/worklogs", responder=respond, repeat=True)
    seen = []

    with pytest.raises(ForbiddenError):
        async for w in client.worklogs.list(limit=2, concurrency=1):
            seen.append(w.tempo_worklog_id)

    assert seen == [1, 2, 3, 4]
    assert offsets(api) == [0, 2, 4]


async def test_delete_403(client: TempoClient, api: Api) -> None:
    api.add(
        "DELETE",
        "/worklogs/126",
        status=403,
        payload=load_example("184_DELETE_worklogs-worklogId_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.worklogs.delete(126)


async def test_a_page_item_that_is_no_worklog_is_a_transport_error(
    client: TempoClient, api: Api
) -> None:
    broken = worklog(1)
    del broken["startDate"]
    page = {
        "self": f"{BASE}/worklogs",
        "metadata": {"count": 1, "offset": 0, "limit": 2},
        "results": [broken],
    }
    api.add("GET", "/worklogs", payload=page)

    with pytest.raises(TempoTransportError, match="startDate"):
        await client.worklogs.list(limit=2).collect()


# -- bad input: refused when the method is called, before any request ---------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"limit": 0}, ValueError, "limit must be between 1 and 1000"),
        ({"limit": 1001}, ValueError, "limit must be between 1 and 1000"),
        ({"limit": -5}, ValueError, "limit must be between 1 and 1000"),
        ({"limit": "50"}, TypeError, "limit must be an int"),
        ({"limit": 50.0}, TypeError, "limit must be an int"),
        ({"limit": True}, TypeError, "limit must be an int"),
        ({"offset": -1}, ValueError, "offset must not be negative"),
        ({"offset": "0"}, TypeError, "offset must be an int"),
        ({"offset": None}, TypeError, "offset must be an int"),
        ({"concurrency": 0}, ValueError, "concurrency must be at least 1"),
        ({"concurrency": 2.5}, TypeError, "concurrency must be an int"),
        (
            {"from_": "2026-02-01", "to": "2026-01-31"},
            ValueError,
            r"from_ \(2026-02-01\) is after to \(2026-01-31\)",
        ),
        ({"from_": "2026-01-32"}, ValueError, "from_ must be an ISO date"),
        ({"to": "26-01-31"}, ValueError, "to must be an ISO date"),
        ({"to": datetime(2026, 1, 31, 12)}, TypeError, "to must be a datetime.date"),
        ({"updated_from": "2026-01-01 10:00"}, ValueError, "updated_from must be an ISO date"),
        ({"updated_from": 1735689600}, TypeError, "updated_from must be a datetime.date"),
    ],
)
@pytest.mark.parametrize(
    ("name", "call", "path"),
    [("list", lambda t, **kw: t.worklogs.list(**kw), "/worklogs"), *SUB_LISTS],
    ids=["list", *[s[0] for s in SUB_LISTS]],
)
def test_bad_paging_arguments(
    client: TempoClient,
    api: Api,
    kwargs: dict[str, Any],
    error: type[Exception],
    match: str,
    name: str,
    call: Callable[..., Paginator[Worklog]],
    path: str,
) -> None:
    with pytest.raises(error, match=match):
        call(client, **kwargs)

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"project": []}, ValueError, "project must not be an empty list"),
        ({"project": [""]}, ValueError, r"project\[0\] must not be empty"),
        ({"project": "  "}, ValueError, "project must not be empty"),
        ({"project": 10000}, TypeError, "project must be a string or a list of strings"),
        ({"issue": ["DUM-1", 2]}, TypeError, r"issue\[1\] must be a string"),
        ({"issue": ()}, ValueError, "issue must not be an empty list"),
        ({"issue": object()}, TypeError, "issue must be a string or a list of strings"),
    ],
)
def test_bad_list_filters(
    client: TempoClient, api: Api, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        client.worklogs.list(**kwargs)

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.worklogs.for_jira_filter("filter"), ValueError, "filter_id must be a number"),
        (lambda t: t.worklogs.for_jira_filter(None), TypeError, "filter_id must be an int"),
        (lambda t: t.worklogs.for_account(""), ValueError, "account_key must not be empty"),
        (lambda t: t.worklogs.for_account(1), TypeError, "account_key must be a string"),
        (lambda t: t.worklogs.for_project(" "), ValueError, "project_key must not be empty"),
        (lambda t: t.worklogs.for_team(-1), ValueError, "team_id must not be negative"),
        (lambda t: t.worklogs.for_team("Team-A"), ValueError, "team_id must be a number"),
        (lambda t: t.worklogs.for_user(""), ValueError, "account_id must not be empty"),
        (lambda t: t.worklogs.for_user(None), TypeError, "account_id must be a string"),
        (lambda t: t.worklogs.for_issue(""), ValueError, "issue_key must not be empty"),
        (lambda t: t.worklogs.for_issue(10000), TypeError, "issue_key must be a string"),
    ],
)
def test_bad_sub_list_ids(
    client: TempoClient, api: Api, call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call(client)

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.worklogs.get("abc"), ValueError, "id must be a number"),
        (lambda t: t.worklogs.get(-126), ValueError, "id must not be negative"),
        (lambda t: t.worklogs.get(126.0), TypeError, "id must be an int"),
        (lambda t: t.worklogs.delete(None), TypeError, "id must be an int"),
        (lambda t: t.worklogs.attribute_values(""), ValueError, "id must not be empty"),
        (lambda t: t.worklogs.attribute_value(126, ""), ValueError, "key must not be empty"),
        (lambda t: t.worklogs.attribute_value(126, None), TypeError, "key must be a string"),
        (lambda t: t.worklogs.get_by_jira_id("x"), ValueError, "jira_worklog_id must be a number"),
        (lambda t: t.worklogs.get_by_jira_id(True), TypeError, "jira_worklog_id must be an int"),
        (lambda t: t.worklogs.create("DUM-1"), TypeError, "worklog must be a WorklogInput"),
        (lambda t: t.worklogs.update(126, [1]), TypeError, "worklog must be a WorklogInput"),
        (
            lambda t: t.worklogs.update(
                "abc", load_example("179_PUT_worklogs-worklogId_request.json")
            ),
            ValueError,
            "id must be a number",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("issueKey"), "issueKey"),
        (lambda d: d.pop("authorAccountId"), "authorAccountId"),
        (lambda d: d.update(startDate="06/02/2017"), "startDate"),
        (lambda d: d.update(startTime="8pm"), "startTime"),
        (lambda d: d.update(timeSpentSeconds="3600"), "timeSpentSeconds"),
        (lambda d: d.update(attributes=[{"value": "green"}]), "attributes"),
    ],
)
async def test_create_with_an_invalid_dict(
    client: TempoClient, api: Api, change: Any, field: str
) -> None:
    body = load_example("172_POST_worklogs_request.json")
    change(body)

    with pytest.raises(ValueError, match=f"worklog is not a valid WorklogInput: {field}"):
        await client.worklogs.create(body)

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2017-02-06"}, "startDate"),  # a str, not a date
        ({"start_time": 72000}, "startTime"),
        ({"attributes": [{"key": "_COLOR_", "value": "green"}]}, "attributes"),  # dicts, not models
        ({"issue_key": None}, "issueKey"),
        ({"time_spent_seconds": "1h"}, "timeSpentSeconds"),
    ],
)
async def test_update_with_an_invalid_model(
    client: TempoClient, api: Api, change: dict[str, Any], field: str
) -> None:
    model = attrs.evolve(
        structure_example("179_PUT_worklogs-worklogId_request.json", WorklogInput), **change
    )

    with pytest.raises(ValueError, match=f"worklog is not a valid WorklogInput: {field}"):
        await client.worklogs.update(126, model)

    assert api.mock.requests == {}
