"""A local Tempo server: the REST API v3 served from memory, for tests and benchmarks.

```python
from tempo_async.emulator import Emulator

async with Emulator(worklogs=10_000, seed=1) as emu:
    ...  # point any Tempo client at emu.base_url with any bearer token
```

Also as `tempo-async emulator --port 8080 --worklogs N` and as the pytest fixture
`tempo_emulator` (`tempo_async.emulator.pytest_plugin`).

- Every operation of the spec under `/core/3`, plus `GET/DELETE /team-links/{id}` and the
  `links` lists that `self` links point to. Creates return 200 with the entity, deletes
  204, unknown ids 404, invalid bodies 400, all with `{"errors": [{"message": ...}]}`.
  A PUT replaces the entity: optional fields it leaves out are cleared.
- Bodies are validated against the generated schema bundle; so are responses unless
  `validate_responses=False` (pages of more than 100 worklogs on a sample).
- Worklog lists page with `offset`/`limit` (50 by default, 1000 at most); `metadata.count`
  is the number of results in the page and `next`/`previous` are absolute URLs.
- Auth: see `tempo_async.emulator.auth`; OAuth: see `tempo_async.emulator.oauth`; faults:
  see `tempo_async.emulator.faults`. `emu.state` holds the data (`tempo_async.emulator.v3.state`),
  `emu.stats` counts requests.

The version-neutral core (server lifecycle, auth, OAuth, faults, paging, validation)
lives in this package's modules; the v3 operations in `tempo_async.emulator.v3`.
"""

from tempo_async.emulator.auth import BearerAuth, Principal
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.faults import Faults
from tempo_async.emulator.server import EmulatorServer, Route
from tempo_async.emulator.stats import EmulatorStats
from tempo_async.emulator.v3 import Emulator, V3State

__all__ = [
    "ApiError",
    "BearerAuth",
    "Emulator",
    "EmulatorServer",
    "EmulatorStats",
    "Faults",
    "Principal",
    "Route",
    "V3State",
]
