"""Tempo's live API, v4: `TempoClient`, every operation of the spec, `OPERATIONS`.

```python
from tempo_async.v4 import TempoClient

async with TempoClient(token="...", region="eu") as tempo:
    async for w in tempo.worklogs.list(project_id=[10000], from_=date(2026, 1, 1)):
        ...
```

The models are in `tempo_async.models.v4`; the resources are generated from the spec
(`codegen/v4_client.py`), their helpers (`worklogs.bulk_create`, the id maps) hand-written.
"""

from tempo_async.v4._operations import OPERATIONS
from tempo_async.v4._worklog_helpers import BULK_CHUNK, BulkCreateError, Worklogs
from tempo_async.v4.client import REGIONS, TempoClient

__all__ = ["BULK_CHUNK", "OPERATIONS", "REGIONS", "BulkCreateError", "TempoClient", "Worklogs"]
