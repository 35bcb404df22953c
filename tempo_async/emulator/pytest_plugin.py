"""pytest plugin: the `tempo_emulator` fixture, a running Tempo emulator (v3 and v4) per
test, and `tempo_v4_client`, a `tempo_async.v4.TempoClient` pointed at it.

Installed with the package (entry point `pytest11`), so any project can write

```python
async def test_export(tempo_emulator):
    client = MyTempoClient(base_url=tempo_emulator.api_host, token="anything")  # v4 host
    ...

async def test_worklogs(tempo_v4_client):
    assert await tempo_v4_client.worklogs.list().collect()
```

The emulator is seeded with 200 worklogs (seed 0). Options of `Emulator` can be set per
test or module with a marker: `@pytest.mark.tempo_emulator(worklogs=5000, token="t")`.
The fixture needs pytest-asyncio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tempo_async.emulator.v3 import Emulator
    from tempo_async.v4 import TempoClient as V4Client

DEFAULT_OPTIONS: dict[str, Any] = {"worklogs": 200, "seed": 0}


def pytest_configure(config: pytest.Config) -> None:
    """Register the `tempo_emulator` marker."""
    config.addinivalue_line(
        "markers",
        "tempo_emulator(**options): arguments of the Emulator behind the tempo_emulator fixture",
    )


def emulator_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The defaults overlaid with the closest `tempo_emulator` marker's arguments."""
    options = dict(DEFAULT_OPTIONS)
    marker = request.node.get_closest_marker("tempo_emulator")
    if marker is not None:
        options.update(marker.kwargs)
    return options


async def _tempo_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """A started `Emulator`, stopped after the test."""
    from tempo_async.emulator.v3 import Emulator

    async with Emulator(**emulator_options(request)) as emulator:
        yield emulator


async def _tempo_v4_client(tempo_emulator: Emulator) -> AsyncIterator[V4Client]:
    """A v4 client of the `tempo_emulator` (no client-side rate limit), closed after."""
    from tempo_async.v4 import TempoClient

    token = tempo_emulator.token or "tempo-emulator-token"
    async with TempoClient(token, base_url=tempo_emulator.api_host, rate_limit=None) as client:
        yield client


def _missing_pytest_asyncio() -> None:
    pytest.fail("the tempo_emulator fixture needs pytest-asyncio: pip install pytest-asyncio")


def _define_fixture(function: Any, name: str) -> Any:
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - depends on the user's environment
        return pytest.fixture(_missing_pytest_asyncio, name=name)
    return pytest_asyncio.fixture(function, name=name)


tempo_emulator = _define_fixture(_tempo_emulator, "tempo_emulator")
tempo_v4_client = _define_fixture(_tempo_v4_client, "tempo_v4_client")
