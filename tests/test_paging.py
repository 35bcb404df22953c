"""The concurrent paginator, walked against a real aiohttp server on loopback.

The server runs on its own thread and event loop, so the test's loop holds only the
client's tasks and `asyncio.all_tasks()` shows exactly what the paginator left behind.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web

from tempo_async._paging import MalformedPageError, Page, Paginator

LIMIT = 100


@attrs.frozen
class Rec:
    """The model the tests structure items into."""

    id: int


def structure(items: list[Any]) -> list[Rec]:
    """A page's items as models (what a paginator is given)."""
    return [Rec(raw["tempoWorklogId"]) for raw in items]


class Backend:
    """A loopback server of `total` synthetic worklogs paged by offset/limit, plus a foreign
    server that only counts hits. Both run on a thread of their own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runners: list[web.AppRunner] = []
        self.reset()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(5)

    def reset(
        self,
        *,
        total: int = 0,
        delay: float = 0.0,
        slow_at: frozenset[int] = frozenset(),
        fail_at: frozenset[int] = frozenset(),
        fail_from: int | None = None,
        block_from: int | None = None,
        gate_at: frozenset[int] = frozenset(),
        flaky: bool = False,
        foreign_next: bool = False,
        cap: int | None = None,
        hide: Callable[[int], bool] | None = None,
        meta_limit: str = "served",
        next_offset: bool = True,
    ) -> None:
        """Configure the next walk and zero the counters.

        Requests carry the generation they were sent in; stragglers a previous test
        cancelled are served but not counted.
        """
        self.generation = getattr(self, "generation", 0) + 1
        self.total = total
        self.delay = delay
        self.slow_at = slow_at
        self.fail_at = fail_at
        self.fail_from = fail_from
        self.block_from = block_from
        self.gate_at = gate_at
        self._gate = asyncio.Event()
        self.flaky = flaky
        self.foreign_next = foreign_next
        self.cap = cap
        self.hide = hide
        self.meta_limit = meta_limit
        """What metadata.limit says: "served" (the truth), "asked" (wrong), "absent"."""
        self.next_offset = next_offset
        """Whether the `next` link names its offset (else an opaque page token)."""
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.cancelled = 0
        self.blocked = 0
        self.faults: Counter[str] = Counter()
        self.attempts: Counter[int] = Counter()
        self.foreign_hits = 0

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self.base = self._loop.run_until_complete(self._start(self._handle))
        self.foreign_base = self._loop.run_until_complete(self._start(self._foreign))
        ready.set()
        self._loop.run_forever()

    async def _start(self, handler: Callable[[web.Request], Any]) -> str:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runners.append(runner)
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def open_gate(self) -> None:
        """Let the requests held by `gate_at` through."""
        self._loop.call_soon_threadsafe(self._gate.set)

    def close(self) -> None:
        async def cleanup() -> None:
            for runner in self._runners:
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(cleanup(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _foreign(self, request: web.Request) -> web.Response:
        with self._lock:
            self.foreign_hits += 1
        return web.json_response({"self": str(request.url), "metadata": {}, "results": []})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        offset = int(request.query.get("offset", "0"))
        limit = int(request.query.get("limit", "50"))
        if request.query.get("generation") != str(self.generation):
            return await self._page(request, offset, limit, attempt=2)
        with self._lock:
            self.requests += 1
            self.attempts[offset] += 1
            attempt = self.attempts[offset]
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._page(request, offset, limit, attempt)
        except asyncio.CancelledError:
            with self._lock:
                self.cancelled += 1
            raise
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _page(
        self, request: web.Request, offset: int, limit: int, attempt: int
    ) -> web.StreamResponse:
        if self.delay:
            await asyncio.sleep(self.delay)
        if offset in self.slow_at:
            await asyncio.sleep(0.05)
        if offset in self.gate_at:
            await self._gate.wait()
        if self.block_from is not None and offset >= self.block_from:
            with self._lock:
                self.blocked += 1
            await asyncio.sleep(30)
        if offset in self.fail_at or (self.fail_from is not None and offset >= self.fail_from):
            return web.json_response({"errors": [{"message": "boom"}]}, status=500)
        if self.flaky and attempt == 1 and (offset // limit) % 3 != 2:
            if (offset // limit) % 3 == 0:
                self.faults["503"] += 1
                return web.json_response({"errors": [{"message": "busy"}]}, status=503)
            self.faults["drop"] += 1
            assert request.transport is not None
            request.transport.close()
            await asyncio.sleep(30)
        asked = limit
        if self.cap is not None:
            limit = min(limit, self.cap)
        end = min(offset + limit, self.total)
        hide = self.hide
        results = [
            {"tempoWorklogId": i, "timeSpentSeconds": 60, "description": f"worklog {i}"}
            for i in range(offset, end)
            if hide is None or not hide(i)
        ]
        metadata: dict[str, Any] = {"count": len(results), "offset": offset, "limit": limit}
        if self.meta_limit == "asked":
            metadata["limit"] = asked
        elif self.meta_limit == "absent":
            del metadata["limit"]
        link_base = self.foreign_base if self.foreign_next else self.base
        if end < self.total:
            where = f"offset={end}&limit={limit}" if self.next_offset else f"page={end // limit}"
            metadata["next"] = f"{link_base}/worklogs?{where}"
        if offset > 0:
            metadata["previous"] = f"{link_base}/worklogs?offset={max(0, offset - limit)}"
        return web.json_response(
            {"self": str(request.url), "metadata": metadata, "results": results}
        )


@pytest.fixture(scope="module")
def server() -> Iterator[Backend]:
    backend = Backend()
    yield backend
    backend.close()


@pytest.fixture
def backend(server: Backend) -> Backend:
    server.reset()
    return server


def stray_tasks() -> set[asyncio.Task[Any]]:
    """Tasks of this loop other than the one running the test."""
    return asyncio.all_tasks() - {asyncio.current_task()}


async def eventually(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    """Wait until `condition()` holds; fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.002)


@pytest.fixture(autouse=True)
async def hygiene() -> AsyncIterator[None]:
    """Every test: no loop errors (unretrieved exceptions, destroyed pending tasks), no
    unclosed-resource warnings, and no task left running when it ends."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
        await eventually(lambda: not stray_tasks())
        gc.collect()
    loop.set_exception_handler(None)
    assert errors == []
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


FetchPage = Callable[[int, int], Any]


@pytest.fixture
def fetch(session: aiohttp.ClientSession, backend: Backend) -> FetchPage:
    async def fetch_page(offset: int, limit: int) -> Mapping[str, Any]:
        params = {"offset": offset, "limit": limit, "generation": backend.generation}
        async with session.get(f"{backend.base}/worklogs", params=params) as response:
            response.raise_for_status()
            page: Mapping[str, Any] = await response.json()
            return page

    return fetch_page


def pages_of(total: int, limit: int = LIMIT) -> int:
    return max(1, -(-total // limit))


@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize("total", [0, 1, LIMIT, LIMIT + 1, 10_007])
async def test_every_record_arrives_once_in_order(
    backend: Backend, fetch: FetchPage, total: int, concurrency: int
) -> None:
    backend.reset(total=total)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=concurrency)

    records = await paginator.collect()

    assert records == [Rec(i) for i in range(total)]
    assert backend.max_in_flight <= concurrency
    if concurrency == 1:
        assert backend.requests == pages_of(total)


@pytest.mark.parametrize("total", [0, 1, LIMIT])
async def test_one_page_list_costs_one_request_whatever_the_concurrency(
    backend: Backend, fetch: FetchPage, total: int
) -> None:
    backend.reset(total=total)
    asked: list[int] = []

    async def counted_fetch(offset: int, limit: int) -> Mapping[str, Any]:
        asked.append(offset)
        page: Mapping[str, Any] = await fetch(offset, limit)
        return page

    paginator = Paginator(counted_fetch, structure, limit=LIMIT, concurrency=8)

    assert await paginator.collect() == [Rec(i) for i in range(total)]
    assert asked == [0]


async def test_all_views_of_one_walk_agree(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=1_007)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=4)

    items = [item async for item in paginator]
    pages = [page async for page in paginator.pages()]
    raw = [item async for item in paginator.raw()]
    raw_pages = [page async for page in paginator.raw_pages()]

    assert items == [Rec(i) for i in range(1_007)]
    assert [item for page in pages for item in page.items] == items
    assert [page.offset for page in pages] == list(range(0, 1_007, LIMIT))
    assert all(isinstance(page, Page) and page.limit == LIMIT for page in pages)
    assert pages[0].metadata["next"].endswith("offset=100&limit=100")
    assert "next" not in pages[-1].metadata
    assert pages[-1].self_url is not None and "offset=1000" in pages[-1].self_url
    assert structure(raw) == items
    assert [page["results"] for page in raw_pages] == [
        raw[i : i + LIMIT] for i in range(0, 1_007, LIMIT)
    ]


async def test_each_call_starts_a_fresh_walk(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=250)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=1)

    first = await paginator.collect()
    second = await paginator.collect()

    assert first == second == [Rec(i) for i in range(250)]
    assert backend.requests == 6


async def test_walk_starts_at_the_given_offset(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=1_000)
    paginator = Paginator(fetch, structure, limit=LIMIT, offset=250, concurrency=3)

    assert await paginator.collect() == [Rec(i) for i in range(250, 1_000)]


async def test_requests_in_flight_never_exceed_concurrency(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=5_000, delay=0.003)
    paginator = Paginator(fetch, structure, limit=50, concurrency=6)

    assert len(await paginator.collect()) == 5_000
    assert 1 < backend.max_in_flight <= 6


async def test_slow_reader_has_at_most_concurrency_pages_requested_ahead(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=3_000)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=4)

    read = 0
    async for _page in paginator.raw_pages():
        read += 1
        await asyncio.sleep(0.005)
        assert backend.requests <= read + 4
    assert read == 30


async def test_short_page_with_next_does_not_end_the_walk(
    backend: Backend, fetch: FetchPage
) -> None:
    """Tempo drops worklogs the caller may not see from each page after paging it."""
    backend.reset(total=2_000, hide=lambda i: i % 7 == 3 or 300 <= i < 400)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    records = await paginator.collect()

    assert records == [Rec(i) for i in range(2_000) if not (i % 7 == 3 or 300 <= i < 400)]


@pytest.mark.parametrize(
    ("meta_limit", "next_offset"),
    [
        ("served", True),
        ("served", False),
        ("absent", False),
        ("asked", False),
        ("asked", True),
        ("absent", True),
    ],
)
@pytest.mark.parametrize("concurrency", [1, 4, 8])
async def test_a_server_clamping_the_limit_yields_every_record_once_in_order(
    backend: Backend, fetch: FetchPage, meta_limit: str, next_offset: bool, concurrency: int
) -> None:
    """A clamping server is a normal server: the walk follows its page size (issue 14.1;
    it used to return the first 50 of 2,000, or fail)."""
    backend.reset(total=2_000, cap=37, meta_limit=meta_limit, next_offset=next_offset)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=concurrency)

    records = await paginator.collect()

    assert records == [Rec(i) for i in range(2_000)]
    assert stray_tasks() == set()


async def test_clamped_and_filtered_pages_together_lose_nothing(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=1_500, cap=40, hide=lambda i: i % 5 == 0)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    assert await paginator.collect() == [Rec(i) for i in range(1_500) if i % 5]


async def test_a_page_that_does_not_advance_fails_the_walk() -> None:
    async def stuck(offset: int, limit: int) -> Mapping[str, Any]:
        return {"metadata": {"next": f"http://x/worklogs?offset={offset}"}, "results": []}

    with pytest.raises(MalformedPageError, match="does not advance"):
        await Paginator(stuck, structure, limit=10).collect()


async def test_pages_without_links_end_at_the_first_short_page() -> None:
    calls: list[int] = []

    async def fetch_page(offset: int, limit: int) -> Mapping[str, Any]:
        calls.append(offset)
        items = list(range(offset, min(offset + limit, 25)))
        return {
            "metadata": {"count": len(items), "offset": offset, "limit": limit},
            "results": [{"tempoWorklogId": i, "timeSpentSeconds": 60} for i in items],
        }

    records = await Paginator(fetch_page, structure, limit=10, links=False).collect()
    assert [r.id for r in records] == list(range(25))
    assert calls == [0, 10, 20]


async def test_the_walk_overshoots_the_last_page_by_less_than_concurrency(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=5_050)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    assert len(await paginator.collect()) == 5_050
    pages = 51
    assert backend.requests - pages <= 8 - 1


async def test_on_page_counts_the_records_of_each_page_in_order(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=1_234)
    counts: list[int] = []
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8, on_page=counts.append)

    async for _raw in paginator.raw():
        pass

    assert counts == [LIMIT] * 12 + [34]


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_failing_page_raises_after_every_earlier_page(
    backend: Backend, fetch: FetchPage, concurrency: int
) -> None:
    backend.reset(total=2_000, fail_at=frozenset({500}))
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=concurrency)

    seen: list[Rec] = []
    with pytest.raises(aiohttp.ClientResponseError) as failure:
        async for record in paginator:
            seen.append(record)

    assert failure.value.status == 500
    assert seen == [Rec(i) for i in range(500)]
    assert stray_tasks() == set()
    if concurrency == 1:
        assert backend.requests == 6


async def test_failing_page_yields_no_page_after_it(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=2_000, fail_at=frozenset({300, 800}))
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    offsets: list[int] = []
    with pytest.raises(aiohttp.ClientResponseError):
        async for page in paginator.pages():
            offsets.append(page.offset)

    assert offsets == [0, 100, 200]


async def test_model_error_mid_page_yields_nothing_of_that_page(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=1_000)

    def picky(items: list[Any]) -> list[Rec]:
        if any(raw["tempoWorklogId"] == 250 for raw in items):
            raise ValueError("bad worklog 250")
        return structure(items)

    seen: list[Rec] = []
    with pytest.raises(ValueError, match="bad worklog 250"):
        async for record in Paginator(fetch, picky, limit=LIMIT, concurrency=8):
            seen.append(record)

    assert seen == [Rec(i) for i in range(200)]
    assert stray_tasks() == set()


async def test_failure_beyond_the_end_is_discarded(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=250, fail_from=300, slow_at=frozenset({200}))
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    assert await paginator.collect() == [Rec(i) for i in range(250)]
    assert backend.requests > 3


async def test_requests_beyond_the_end_are_cancelled_as_soon_as_it_is_known(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=250, block_from=300, gate_at=frozenset({200}))
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    async with paginator.pages() as pages:
        first = await pages.__anext__()
        await eventually(lambda: backend.blocked >= 5)
        backend.open_gate()
        await eventually(lambda: backend.in_flight == 0)
        assert backend.cancelled == backend.blocked
        rest = [page async for page in pages]

    assert [page.offset for page in [first, *rest]] == [0, 100, 200]


async def test_break_cancels_every_outstanding_request(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=10_000, block_from=300)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    async for record in paginator:
        if record.id == 250:
            await eventually(lambda: backend.in_flight == 8)
            break

    await eventually(lambda: not stray_tasks(), timeout=0.5)
    await eventually(lambda: backend.in_flight == 0)
    assert backend.cancelled == 8


async def test_aclose_cancels_and_awaits_every_outstanding_request(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=10_000, block_from=300)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    async with paginator.pages() as pages:
        async for page in pages:
            if page.offset == 200:
                await eventually(lambda: backend.in_flight == 8)
                break

    assert stray_tasks() == set()
    await eventually(lambda: backend.in_flight == 0)
    assert backend.cancelled == 8


async def test_cancelling_the_reader_cancels_every_outstanding_request(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=10_000, block_from=300)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)
    seen: list[Rec] = []

    async def read() -> None:
        async for record in paginator:
            seen.append(record)

    reader = asyncio.create_task(read())
    await eventually(lambda: backend.in_flight == 8)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader

    assert stray_tasks() == set()
    assert seen == [Rec(i) for i in range(300)]
    await eventually(lambda: backend.in_flight == 0)
    assert backend.cancelled == 8


async def test_timeout_around_collect_leaves_nothing_running(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=10_000, block_from=300)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(paginator.collect(), 0.2)

    assert stray_tasks() == set()
    await eventually(lambda: backend.in_flight == 0)


async def test_retrying_fetch_gets_every_record_once_through_faults(
    backend: Backend, fetch: FetchPage
) -> None:
    backend.reset(total=5_000, flaky=True)

    async def fetch_with_retries(offset: int, limit: int) -> Mapping[str, Any]:
        for attempt in range(4):
            try:
                page: Mapping[str, Any] = await fetch(offset, limit)
                return page
            except aiohttp.ClientResponseError as error:
                if error.status != 503 or attempt == 3:
                    raise
            except aiohttp.ClientConnectionError:
                if attempt == 3:
                    raise
            await asyncio.sleep(0.001)
        raise AssertionError("unreachable")

    paginator = Paginator(fetch_with_retries, structure, limit=LIMIT, concurrency=8)

    assert await paginator.collect() == [Rec(i) for i in range(5_000)]
    assert backend.faults["503"] >= 10 and backend.faults["drop"] >= 10


async def test_foreign_next_link_is_never_contacted(backend: Backend, fetch: FetchPage) -> None:
    backend.reset(total=1_050, foreign_next=True)
    paginator = Paginator(fetch, structure, limit=LIMIT, concurrency=8)

    pages = [page async for page in paginator.raw_pages()]

    assert [r["tempoWorklogId"] for page in pages for r in page["results"]] == list(range(1_050))
    assert pages[0]["metadata"]["next"].startswith(backend.foreign_base)
    assert backend.foreign_hits == 0


@pytest.mark.parametrize(
    ("arguments", "error", "name"),
    [
        ({"limit": 0}, ValueError, "limit"),
        ({"limit": 1_001}, ValueError, "limit"),
        ({"limit": 10.0}, TypeError, "limit"),
        ({"offset": -1}, ValueError, "offset"),
        ({"concurrency": 0}, ValueError, "concurrency"),
        ({"concurrency": True}, TypeError, "concurrency"),
    ],
)
def test_invalid_arguments_are_refused_before_any_request(
    arguments: dict[str, Any], error: type[Exception], name: str
) -> None:
    async def never(offset: int, limit: int) -> Mapping[str, Any]:
        raise AssertionError("no request expected")

    with pytest.raises(error, match=name):
        Paginator(never, structure, **arguments)


async def test_page_without_results_fails_the_walk() -> None:
    async def envelope_only(offset: int, limit: int) -> Mapping[str, Any]:
        return {"self": "http://127.0.0.1/worklogs?token=secret", "metadata": {"next": "x"}}

    with pytest.raises(MalformedPageError, match="no 'results' list") as failure:
        await Paginator(envelope_only, structure, limit=LIMIT).collect()
    assert "secret" not in str(failure.value)
