"""The seven paged worklog lists (#61, #69, #70-74) and their filters, compared with the
emulator's own rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from tempo_async import NotFoundError, Paginator, TempoClient, Worklog, WorklogInput, converter
from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.worklog_store import account_of
from tests.integration.conftest import user_ids

Row = dict[str, Any]


def stored(emu: Emulator) -> list[Row]:
    """Every stored worklog in (startDate, id) order."""
    by_id = emu.state.worklogs.by_id
    return sorted(by_id.values(), key=lambda w: (w["startDate"], w["tempoWorklogId"]))


def rows(
    emu: Emulator,
    keep: Callable[[Row], bool] = lambda _: True,
    *,
    from_: str | None = None,
    to: str | None = None,
    updated_from: str | None = None,
) -> list[int]:
    """Ids of the stored worklogs matching, in the API's (startDate, id) order.

    Computed from the worklogs by id, not from the emulator's sorted indexes.
    """
    return [
        w["tempoWorklogId"]
        for w in stored(emu)
        if keep(w)
        and (from_ is None or w["startDate"] >= from_)
        and (to is None or w["startDate"] <= to)
        and (updated_from is None or w["updatedAt"][:10] >= updated_from)
    ]


async def ids(paginator: Paginator[Worklog]) -> list[int]:
    return [w.tempo_worklog_id async for w in paginator]


def project_of(emu: Emulator, worklog: Row) -> str | None:
    return emu.state.project_of(worklog["issue"]["key"])


# -- GET /worklogs --------------------------------------------------------------------------


async def test_list_everything(tempo: TempoClient, emu: Emulator) -> None:
    everything = await tempo.worklogs.list().collect()
    assert [w.tempo_worklog_id for w in everything] == rows(emu)
    assert len(everything) == emu.state.worklog_count() == 300
    by_id = emu.state.worklogs.by_id
    assert all(converter.unstructure(w) == by_id[w.tempo_worklog_id] for w in everything)


@pytest.mark.parametrize(
    ("from_", "to"),
    [
        ("2025-06-01", "2025-06-30"),
        ("2026-01-15", None),
        (None, "2025-04-01"),
        ("2025-07-04", "2025-07-04"),
        ("2030-01-01", None),
    ],
)
async def test_list_from_to(tempo: TempoClient, emu: Emulator, from_: str, to: str) -> None:
    got = await ids(tempo.worklogs.list(from_=from_, to=to, limit=40))
    assert got == rows(emu, from_=from_, to=to)
    as_dates = await ids(
        tempo.worklogs.list(
            from_=date.fromisoformat(from_) if from_ else None,
            to=date.fromisoformat(to) if to else None,
        )
    )
    assert as_dates == got


async def test_list_updated_from(tempo: TempoClient, emu: Emulator) -> None:
    updated_from = "2026-01-01"
    expected = rows(emu, updated_from=updated_from)
    edited = [w for w in stored(emu) if w["updatedAt"] != w["createdAt"]]
    assert edited, "the seed edits some worklogs after they were created"
    got = await ids(tempo.worklogs.list(updated_from=date(2026, 1, 1), limit=25))
    assert got == expected
    combined = await ids(
        tempo.worklogs.list(from_="2025-10-01", to="2025-12-31", updated_from="2025-12-01")
    )
    assert combined == rows(emu, from_="2025-10-01", to="2025-12-31", updated_from="2025-12-01")
    assert combined  # worklogs of December, and of late November edited in December

    newest = await tempo.worklogs.list(updated_from="2026-03-18").collect()
    assert newest == []


async def test_list_project_filter(tempo: TempoClient, emu: Emulator) -> None:
    got = await ids(tempo.worklogs.list(project="WEB"))
    assert got == rows(emu, lambda w: project_of(emu, w) == "WEB")
    assert got

    two = await ids(tempo.worklogs.list(project=["WEB", "OPS"], from_="2025-09-01"))
    assert two == rows(emu, lambda w: project_of(emu, w) in ("WEB", "OPS"), from_="2025-09-01")

    by_id = await ids(tempo.worklogs.list(project=str(emu.state.projects["WEB"]["id"])))
    assert by_id == got


async def test_list_issue_filter(tempo: TempoClient, emu: Emulator) -> None:
    counts: dict[str, int] = {}
    for w in stored(emu):
        counts[w["issue"]["key"]] = counts.get(w["issue"]["key"], 0) + 1
    busiest = sorted(counts, key=lambda k: (-counts[k], k))[:3]

    one = await ids(tempo.worklogs.list(issue=busiest[0]))
    assert one == rows(emu, lambda w: w["issue"]["key"] == busiest[0])
    assert len(one) == counts[busiest[0]]

    several = await ids(tempo.worklogs.list(issue=busiest, limit=2))
    assert several == rows(emu, lambda w: w["issue"]["key"] in busiest)

    issue_id = str(emu.state.issues[busiest[1]]["id"])
    assert await ids(tempo.worklogs.list(issue=issue_id)) == rows(
        emu, lambda w: w["issue"]["key"] == busiest[1]
    )

    project = emu.state.project_of(busiest[0])
    both = await ids(tempo.worklogs.list(issue=busiest, project=project))
    assert both == rows(
        emu, lambda w: w["issue"]["key"] in busiest and project_of(emu, w) == project
    )
    assert set(one) <= set(both) <= set(several)


async def test_list_unknown_filter_values_match_nothing(tempo: TempoClient) -> None:
    assert await tempo.worklogs.list(issue="NOPE-1").collect() == []
    assert await tempo.worklogs.list(project="NOPE").collect() == []


# -- the path-filtered lists ----------------------------------------------------------------


async def test_for_account(tempo: TempoClient, emu: Emulator) -> None:
    counted = 0
    for key in emu.state.accounts:
        expected = rows(emu, lambda w, key=key: account_of(w) == key)
        got = await ids(tempo.worklogs.for_account(key, limit=20))
        assert got == expected, key
        counted += len(got)
    assert counted == emu.state.worklog_count()  # every seeded worklog has an account

    key = next(k for k, r in emu.state.accounts.items() if r["status"] == "OPEN")
    window = await ids(tempo.worklogs.for_account(key, from_="2025-08-01", to="2025-12-31"))
    assert window == rows(emu, lambda w: account_of(w) == key, from_="2025-08-01", to="2025-12-31")
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.for_account("NO-SUCH-ACCOUNT").collect()
    assert caught.value.messages == ["Account not found"]


async def test_for_project(tempo: TempoClient, emu: Emulator) -> None:
    for key, project in emu.state.projects.items():
        expected = rows(emu, lambda w, key=key: project_of(emu, w) == key)
        assert await ids(tempo.worklogs.for_project(key)) == expected, key
        assert await ids(tempo.worklogs.for_project(str(project["id"]), limit=9)) == expected
    assert await ids(tempo.worklogs.for_project("DATA", updated_from="2026-02-01")) == rows(
        emu, lambda w: project_of(emu, w) == "DATA", updated_from="2026-02-01"
    )
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.for_project("NOPE").collect()
    assert caught.value.messages == ["Project not found"]


async def test_for_team(tempo: TempoClient, emu: Emulator) -> None:
    state = emu.state

    def of_team(team_id: int) -> Callable[[Row], bool]:
        spans = [
            (m["accountId"], m.get("from") or "0000", m.get("to") or "9999")
            for m in state.memberships_of_team(team_id)
        ]

        def keep(w: Row) -> bool:
            author, day = w["author"]["accountId"], w["startDate"]
            return any(a == author and lo <= day <= hi for a, lo, hi in spans)

        return keep

    total = 0
    for team_id in state.teams:
        expected = rows(emu, of_team(team_id))
        got = await ids(tempo.worklogs.for_team(team_id, limit=30))
        assert got == expected, team_id
        total += len(got)
    assert total == state.worklog_count()  # every author is in exactly one team on a day

    assert await ids(tempo.worklogs.for_team(2, from_="2025-09-01", to="2025-09-30")) == rows(
        emu, of_team(2), from_="2025-09-01", to="2025-09-30"
    )
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.for_team(9999).collect()
    assert caught.value.messages == ["Team not found"]


async def test_for_user(tempo: TempoClient, emu: Emulator) -> None:
    for account_id in user_ids(emu):
        expected = rows(emu, lambda w, a=account_id: w["author"]["accountId"] == a)
        got = await ids(tempo.worklogs.for_user(account_id, limit=11))
        assert got == expected, account_id
    colon_user = next(u for u in user_ids(emu) if ":" in u)
    assert await ids(tempo.worklogs.for_user(colon_user, from_="2025-12-01")) == rows(
        emu, lambda w: w["author"]["accountId"] == colon_user, from_="2025-12-01"
    )
    assert await tempo.worklogs.for_user("ghost").collect() == []


async def test_for_issue(tempo: TempoClient, emu: Emulator) -> None:
    keys = list(dict.fromkeys(w["issue"]["key"] for w in stored(emu)))[:10]
    for key in keys:
        expected = rows(emu, lambda w, key=key: w["issue"]["key"] == key)
        assert await ids(tempo.worklogs.for_issue(key)) == expected
        issue_id = str(emu.state.issues[key]["id"])
        assert await ids(tempo.worklogs.for_issue(issue_id, limit=1)) == expected
    unused = next(k for k in emu.state.issues if k not in {w["issue"]["key"] for w in stored(emu)})
    assert await tempo.worklogs.for_issue(unused).collect() == []
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.for_issue("NOPE-1").collect()
    assert caught.value.messages == ["Issue not found"]


async def test_for_jira_filter(tempo: TempoClient, emu: Emulator) -> None:
    for filter_id, record in emu.state.jira_filters.items():
        projects, issues = set(record["projects"]), set(record["issues"])
        expected = rows(
            emu, lambda w, p=projects, i=issues: project_of(emu, w) in p or w["issue"]["key"] in i
        )
        assert await ids(tempo.worklogs.for_jira_filter(int(filter_id), limit=17)) == expected
    emu.state.add_jira_filter(555, projects=["MOB"], issues=["WEB-1", "MOB-2"])
    expected = rows(
        emu, lambda w: project_of(emu, w) == "MOB" or w["issue"]["key"] == "WEB-1", to="2025-12-31"
    )
    assert await ids(tempo.worklogs.for_jira_filter(555, to="2025-12-31")) == expected
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.for_jira_filter(9).collect()
    assert caught.value.messages == ["Jira filter '9' not found"]


async def test_lists_follow_writes(tempo: TempoClient, emu: Emulator) -> None:
    """A list reflects a create and a delete made through the client."""
    author = user_ids(emu)[7]
    before = await ids(tempo.worklogs.for_user(author))
    created = await tempo.worklogs.create(
        WorklogInput(
            issue_key="SUP-1",
            time_spent_seconds=600,
            start_date=date(2026, 3, 16),
            start_time=time(8, 0),
            author_account_id=author,
        )
    )
    assert await ids(tempo.worklogs.for_user(author)) == [*before, created.tempo_worklog_id]
    assert created.tempo_worklog_id in await ids(tempo.worklogs.for_issue("SUP-1"))
    assert created.tempo_worklog_id in await ids(tempo.worklogs.list(updated_from="2026-03-18"))
    await tempo.worklogs.delete(created.tempo_worklog_id)
    assert await ids(tempo.worklogs.for_user(author)) == before
