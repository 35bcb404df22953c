"""Cost of typed iteration over 1,000 worklogs, as a ratio to `json.loads` of the same bytes.

Typed iteration (`async for w in tempo.worklogs.list()`) costs, per page, the transport's
decoding (`orjson.loads`) plus structuring each record into its model. Target (issue 16):
at most 1.8x `json.loads` of the same bytes, for the v3 and the v4 Worklog alike. Also
printed: the stdlib decoder plus structuring, and unstructuring.

Run: `python bench/decode.py`. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import orjson

from tempo_async import converter
from tempo_async.models import Worklog, v4

N = 1000
ROUNDS = 100
TARGET = 1.8


def make_worklog(i: int) -> dict[str, Any]:
    """One worklog shaped like the spec's example, with varied values."""
    day = date(2026, 1, 1) + timedelta(days=i % 300)
    account = f"5b10ac8d82e05b22cc7d4ef{i % 10}"
    return {
        "self": f"https://api.tempo.io/core/3/worklogs/{1000 + i}",
        "tempoWorklogId": 1000 + i,
        "jiraWorklogId": 20000 + i,
        "issue": {
            "self": f"https://example.atlassian.net/rest/api/2/issue/DEMO-{i % 97}",
            "key": f"DEMO-{i % 97}",
        },
        "timeSpentSeconds": 3600 + i % 7 * 900,
        "billableSeconds": 3600,
        "startDate": day.isoformat(),
        "startTime": "09:30:00",
        "description": f"Working on issue DEMO-{i % 97}",
        "createdAt": f"{day.isoformat()}T17:41:41Z",
        "updatedAt": f"{day.isoformat()}T17:41:41Z",
        "author": {
            "self": f"https://example.atlassian.net/rest/api/2/user?accountId={account}",
            "accountId": account,
            "displayName": f"User {i % 10}",
        },
        "attributes": {
            "self": f"https://api.tempo.io/core/3/worklogs/{1000 + i}/work-attribute-values",
            "values": [
                {"key": "_ACCOUNT_", "value": "ACC-1"},
                {"key": "_BILLABLE_", "value": True},
            ],
        },
    }


def make_v4_worklog(i: int) -> dict[str, Any]:
    """One v4 worklog (issue by id, no issue key, author without displayName)."""
    day = date(2026, 1, 1) + timedelta(days=i % 300)
    account = f"5b10ac8d82e05b22cc7d4ef{i % 10}"
    return {
        "self": f"https://api.tempo.io/4/worklogs/{1000 + i}",
        "tempoWorklogId": 1000 + i,
        "issue": {
            "self": f"https://example.atlassian.net/rest/api/2/issue/{10000 + i % 97}",
            "id": 10000 + i % 97,
        },
        "timeSpentSeconds": 3600 + i % 7 * 900,
        "billableSeconds": 3600,
        "startDate": day.isoformat(),
        "startTime": "09:30:00",
        "startDateTimeUtc": f"{day.isoformat()}T08:30:00Z",
        "description": f"Working on issue {10000 + i % 97}",
        "createdAt": f"{day.isoformat()}T17:41:41Z",
        "updatedAt": f"{day.isoformat()}T17:41:41Z",
        "author": {
            "self": f"https://example.atlassian.net/rest/api/2/user?accountId={account}",
            "accountId": account,
        },
        "attributes": {
            "self": f"https://api.tempo.io/4/worklogs/{1000 + i}/work-attribute-values",
            "values": [
                {"key": "_ACCOUNT_", "value": "ACC-1"},
                {"key": "_BILLABLE_", "value": "true"},
            ],
        },
    }


def medians(runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds of ROUNDS runs of each function, the functions taking turns in each
    round (this machine's speed drifts: run one after the other, a ratio would too)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def main() -> None:
    """Measure and print, for the v3 and the v4 Worklog."""
    measure("v3", make_worklog, Worklog)
    print()
    measure("v4", make_v4_worklog, v4.Worklog)


def measure(version: str, make: Callable[[int], dict[str, Any]], model: type[Any]) -> None:
    """Print the structuring and unstructuring costs of N worklogs of one API version."""
    payload = json.dumps([make(i) for i in range(N)]).encode()
    decoded = json.loads(payload)
    # as the client's paginators do: the decoded page is theirs, consumed as it is built
    structure_page = converter.list_structurer(model, consume=True)
    structure_kept = converter.list_structurer(model)  # `decoded` is used by every round
    unstructure = converter.unstructure
    models = structure_kept(decoded)
    seconds = medians(
        {
            "loads": lambda: json.loads(payload),
            "fast_loads": lambda: orjson.loads(payload),
            "build": lambda: structure_kept(decoded),
            "typed": lambda: structure_page(orjson.loads(payload)),
            "back": lambda: [unstructure(m) for m in models],
        }
    )
    loads, fast_loads, build = seconds["loads"], seconds["fast_loads"], seconds["build"]
    typed, back = seconds["typed"], seconds["back"]
    print(f"{version} payload: {N} worklogs, {len(payload) / 1024:.0f} KiB")
    print(f"json.loads:             {loads * 1e3:7.2f} ms")
    print(
        f"orjson.loads:           {fast_loads * 1e3:7.2f} ms  = {fast_loads / loads:.2f}x json.loads"
    )
    ratio = typed / loads
    met = "met" if ratio <= TARGET else "NOT met"
    print(
        f"typed iteration:        {typed * 1e3:7.2f} ms  = {ratio:.2f}x json.loads"
        f"  (orjson.loads + structure, as the client does; target <= {TARGET}: {met})"
    )
    print(f"structure (models):     {build * 1e3:7.2f} ms  = {build / loads:.2f}x json.loads")
    print(
        f"json.loads + structure: {(loads + build) * 1e3:7.2f} ms  = {(loads + build) / loads:.2f}x"
    )
    print(f"unstructure:            {back * 1e3:7.2f} ms  = {back / loads:.2f}x json.loads")
    print(f"per worklog structure:  {build / N * 1e6:7.2f} us")


if __name__ == "__main__":
    main()
