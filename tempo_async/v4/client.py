"""`tempo_async.v4.TempoClient`: the client of Tempo's live API (v4, and audit v1)."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from tempo_async._client_base import BaseClient
from tempo_async._transport import Transport
from tempo_async.v4._resources import Resources

__all__ = ["REGIONS", "TempoClient"]

DEFAULT_BASE_URL = "https://api.tempo.io"
REGIONS: dict[str, str] = {
    "eu": "https://api.eu.tempo.io",
    "us": "https://api.us.tempo.io",
}
"""Tempo's regional hosts: the quickest path to data that lives in Europe or the Americas."""


class TempoClient(BaseClient, Resources):
    """An asyncio client of the Tempo REST API v4: every operation of the live API.

    ```python
    async with TempoClient(token="...", region="eu") as tempo:   # or TempoClient.from_env()
        async for w in tempo.worklogs.list(project_id=[10000], from_=date(2026, 1, 1)):
            print(w.tempo_worklog_id, w.issue.id, w.author.account_id)
    ```

    `base_url` is the API host (default `https://api.tempo.io`); `region="eu"` or `"us"`
    selects `https://api.eu.tempo.io` / `https://api.us.tempo.io`. Operation paths are the
    spec's own (`/4/...`, `/papertrail/1/...`). The options, retries, rate limit, OAuth
    and errors are those of the v3 client (see `tempo_async.TempoClient`). Every
    operationId of the spec maps to its method in `tempo_async.v4.OPERATIONS`.
    """

    DEFAULT_BASE_URL: ClassVar[str] = DEFAULT_BASE_URL

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | None = None,
        region: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(token, base_url=_host(base_url, region), **options)

    def _attach_resources(self, transport: Transport) -> None:
        self._attach(transport, self._get_concurrency)

    @classmethod
    def from_env(cls, **kwargs: Any) -> TempoClient:
        """A client from `TEMPO_API_TOKEN`, and optionally `TEMPO_BASE_URL` / `TEMPO_REGION`.

        Arguments passed here win over the environment.
        """
        base_url = kwargs.pop("base_url", None)
        region = kwargs.pop("region", None)
        if base_url is None and region is None:
            base_url = os.environ.get("TEMPO_BASE_URL") or None
            region = os.environ.get("TEMPO_REGION") or None
        return cls._from_env(_host(base_url, region), **kwargs)


def _host(base_url: str | None, region: str | None) -> str:
    """The API host from `base_url` and `region` (giving both must agree)."""
    if region is None:
        return DEFAULT_BASE_URL if base_url is None else base_url
    if not isinstance(region, str):
        raise TypeError(f"region must be a str ('eu' or 'us'), got {region!r}")
    host = REGIONS.get(region.lower())
    if host is None:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {region!r}")
    if base_url is not None and base_url.rstrip("/") != host:
        raise TypeError(f"region={region!r} means base_url {host}; got base_url={base_url!r}")
    return host
