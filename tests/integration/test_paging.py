"""The concurrent paginator over real HTTP: every worklog exactly once, in server order."""

from __future__ import annotations

import math

import pytest

from tempo_async import Page, TempoClient, Worklog
from tempo_async.emulator import Emulator
from tests.integration.conftest import ClientFactory

ROUTE = "GET /core/3/worklogs"


def server_order(emu: Emulator) -> list[int]:
    """Ids of every stored worklog in the API's (startDate, id) order."""
    worklogs = emu.state.worklogs.by_id.values()
    return [
        w["tempoWorklogId"]
        for w in sorted(worklogs, key=lambda w: (w["startDate"], w["tempoWorklogId"]))
    ]


@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize(
    "limit",
    [
        1,  # 300 pages
        7,  # 300 is not a multiple: the last page holds 6
        50,  # a multiple: the last page is full and has no `next`
        299,
        300,  # exactly one full page
        1000,
    ],
)
async def test_walk_yields_every_worklog_once_in_order(
    tempo: TempoClient, emu: Emulator, limit: int, concurrency: int
) -> None:
    expected = server_order(emu)
    assert len(expected) == 300
    got = [
        w.tempo_worklog_id async for w in tempo.worklogs.list(limit=limit, concurrency=concurrency)
    ]
    assert got == expected
    pages = math.ceil(len(expected) / limit)
    sent = emu.stats.by_route[ROUTE]
    if concurrency == 1:
        assert sent == pages  # no request beyond the last page
    else:
        assert pages <= sent < pages + 2 * concurrency  # read-ahead stops at the last page
    assert emu.stats.by_status.keys() <= {200, 0}  # 0: a read-ahead request cancelled


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_pages_raw_and_collect_agree(
    tempo: TempoClient, emu: Emulator, concurrency: int
) -> None:
    paginator = tempo.worklogs.list(limit=64, concurrency=concurrency)
    pages: list[Page[Worklog]] = [p async for p in paginator.pages()]
    assert [p.offset for p in pages] == [0, 64, 128, 192, 256]
    assert [len(p.items) for p in pages] == [64, 64, 64, 64, 44]
    assert [p.metadata["count"] for p in pages] == [64, 64, 64, 64, 44]
    assert all(p.limit == 64 for p in pages)
    assert [bool(p.metadata.get("next")) for p in pages] == [True] * 4 + [False]
    assert pages[1].self_url == f"{emu.base_url}/worklogs?offset=64&limit=64"
    from_pages = [w for p in pages for w in p.items]

    raw = [item async for item in paginator.raw()]
    assert [item["tempoWorklogId"] for item in raw] == server_order(emu)
    assert raw == [emu.state.worklogs.by_id[i] for i in server_order(emu)]

    collected = await paginator.collect()
    assert collected == from_pages
    assert [w.tempo_worklog_id for w in collected] == server_order(emu)

    raw_pages = [p async for p in paginator.raw_pages()]
    assert [p["metadata"]["offset"] for p in raw_pages] == [0, 64, 128, 192, 256]


async def test_offset_starts_the_walk_later(tempo: TempoClient, emu: Emulator) -> None:
    got = await tempo.worklogs.list(offset=123, limit=50, concurrency=4).collect()
    assert [w.tempo_worklog_id for w in got] == server_order(emu)[123:]
    assert await tempo.worklogs.list(offset=300).collect() == []


async def test_filtered_walk_with_small_pages(tempo: TempoClient, emu: Emulator) -> None:
    by_id = emu.state.worklogs.by_id
    expected = [
        i for i in server_order(emu) if "2025-06-01" <= by_id[i]["startDate"] <= "2025-11-30"
    ]
    for limit in (3, len(expected), len(expected) - 1):
        for concurrency in (1, 8):
            walk = tempo.worklogs.list(
                from_="2025-06-01", to="2025-11-30", limit=limit, concurrency=concurrency
            )
            assert [w.tempo_worklog_id async for w in walk] == expected


async def test_breaking_out_early_stops_requesting(tempo: TempoClient, emu: Emulator) -> None:
    walk = tempo.worklogs.list(limit=10, concurrency=8).__aiter__()
    first = [await walk.__anext__() for _ in range(25)]
    await walk.aclose()
    assert [w.tempo_worklog_id for w in first] == server_order(emu)[:25]
    assert emu.stats.by_route[ROUTE] <= 3 + 2 * 8  # pages read + at most 2 * concurrency ahead


@pytest.mark.tempo_emulator(worklogs=2500, seed=3)
@pytest.mark.parametrize(("limit", "concurrency"), [(100, 1), (100, 8), (333, 8), (1000, 3)])
async def test_bigger_walks(
    tempo: TempoClient, emu: Emulator, limit: int, concurrency: int
) -> None:
    got = await tempo.worklogs.list(limit=limit, concurrency=concurrency).collect()
    assert [w.tempo_worklog_id for w in got] == server_order(emu)
    assert len({w.tempo_worklog_id for w in got}) == 2500


async def test_client_default_concurrency_is_used(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(concurrency=3)
    paginator = client.worklogs.list(limit=10)
    assert paginator.concurrency == 3
    assert [w.tempo_worklog_id async for w in paginator] == server_order(emu)
