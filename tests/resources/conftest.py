"""Fixtures of the resource tests: a client inside `async with` over a mocked API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

pytest.register_assert_rewrite("tests.resources._support")  # readable failures of Api.expect

from aioresponses import aioresponses  # noqa: E402

from tempo_async import TempoClient  # noqa: E402
from tests.resources._support import BASE, TOKEN, Api  # noqa: E402


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    """aioresponses, active for the test: an unrouted request fails with a connection error."""
    with aioresponses() as m:
        yield m


@pytest.fixture
def api(mock: aioresponses) -> Api:
    """Routes on the mocked API and the log of the requests they received."""
    return Api(mock)


@pytest.fixture
async def client(mock: aioresponses) -> AsyncIterator[TempoClient]:
    """A client of the mocked API: no rate limit, no retries (nothing sleeps)."""
    async with TempoClient(token=TOKEN, base_url=BASE, rate_limit=None, max_retries=0) as tempo:
        yield tempo
