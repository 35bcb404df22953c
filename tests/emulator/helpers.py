"""Helpers of the emulator tests: plain aiohttp requests against a running emulator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import aiohttp

TODAY = date(2025, 6, 18)
NOW = datetime(2025, 6, 18, 12, 30, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return NOW


@dataclass
class Reply:
    """Status, decoded JSON body (None when empty) and headers of a response."""

    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def messages(self) -> list[str]:
        return [error["message"] for error in self.body["errors"]]


@dataclass
class Api:
    """Requests against the emulator with a bearer token, by path under the base URL."""

    session: aiohttp.ClientSession
    base_url: str
    token: str | None = "test-token"

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        url = path if path.startswith("http") else self.base_url + path
        all_headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        all_headers.update(headers or {})
        async with self.session.request(
            method, url, json=json, params=params, headers=all_headers
        ) as response:
            raw = await response.read()
            body = await response.json(content_type=None) if raw else None
            return Reply(response.status, body, response.headers)

    async def get(self, path: str, **params: Any) -> Reply:
        return await self.call("GET", path, params=params or None)

    async def post(self, path: str, json: Any = None, **params: Any) -> Reply:
        return await self.call("POST", path, json=json, params=params or None)

    async def put(self, path: str, json: Any) -> Reply:
        return await self.call("PUT", path, json=json)

    async def delete(self, path: str) -> Reply:
        return await self.call("DELETE", path)
