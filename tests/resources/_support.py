"""Helpers shared by the resource tests: request capture over aioresponses, page builders."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aioresponses import CallbackResult, aioresponses
from multidict import CIMultiDictProxy
from yarl import URL

from tempo_async import converter
from tests.conftest import load_example

BASE = "https://api.tempo.io/core/3"
BASE_PATH = "/core/3"
TOKEN = "test-token"

ACCOUNT_ID = "123456:01234567-89ab-cdef-0123-456789abcdef"
"""An Atlassian accountId with a ':' (it must be percent-quoted in a path)."""
ACCOUNT_ID_QUOTED = "123456%3A01234567-89ab-cdef-0123-456789abcdef"

NO_BODY = object()
"""Marker: the request must have been sent without a body."""

Query = Mapping[str, str | int | Iterable[str]]


@dataclass(frozen=True)
class Sent:
    """One request as it reached the mocked session."""

    method: str
    url: URL
    headers: CIMultiDictProxy[str]
    data: bytes | None

    @property
    def path(self) -> str:
        """The percent-encoded path, as on the wire."""
        return self.url.raw_path

    @property
    def query(self) -> list[tuple[str, str]]:
        """The query parameters, sorted (aioresponses sorts them when it records a URL)."""
        return sorted(self.url.query.items())

    def json(self) -> Any:
        assert self.data is not None, "the request had no body"
        return json.loads(self.data)


def pairs(query: Query) -> list[tuple[str, str]]:
    """Sorted (name, value) pairs; iterable values repeat the parameter."""
    out = []
    for name, value in query.items():
        if isinstance(value, (str, int)):
            out.append((name, str(value)))
        else:
            out.extend((name, str(item)) for item in value)
    return sorted(out)


Responder = Callable[[Sent], tuple[int, Any]]


class Api:
    """Routes for the mocked Tempo API and a log of every request they received, in order.

    A route matches a method and an exact encoded path under the base URL (any query); a
    request to an unrouted URL is refused by aioresponses with a connection error.
    """

    def __init__(self, mock: aioresponses) -> None:
        self.mock = mock
        self.sent: list[Sent] = []

    def add(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        payload: Any = None,
        body: str = "",
        responder: Responder | None = None,
        repeat: bool = False,
    ) -> None:
        """Answer `method path` with `status` and `payload` (JSON), or ask `responder`."""
        pattern = re.compile(re.escape(BASE + path) + r"(\?.*)?\Z")
        raw = body if payload is None else json.dumps(payload)

        def callback(url: URL, **kwargs: Any) -> CallbackResult:
            data = kwargs.get("data")
            sent = Sent(method.upper(), url, CIMultiDictProxy(kwargs["headers"]), data)
            self.sent.append(sent)
            if responder is None:
                return CallbackResult(method=method.upper(), status=status, body=raw)
            code, answer = responder(sent)
            return CallbackResult(method=method.upper(), status=code, body=json.dumps(answer))

        self.mock.add(pattern, method=method.upper(), callback=callback, repeat=repeat)

    def one(self) -> Sent:
        """The only request sent."""
        assert len(self.sent) == 1, f"expected one request, got {self.sent}"
        return self.sent[0]

    def expect(
        self,
        method: str,
        path: str,
        query: Query | None = None,
        body: Any = NO_BODY,
    ) -> Sent:
        """Check the only request sent: method, exact encoded path, query, JSON body, token."""
        sent = self.one()
        assert sent.method == method
        assert sent.path == BASE_PATH + path
        assert sent.query == pairs(query or {})
        assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
        if body is NO_BODY:
            assert sent.data is None
            assert "Content-Type" not in sent.headers
        else:
            assert sent.headers["Content-Type"] == "application/json"
            assert sent.json() == body
        return sent


def without_nulls(value: Any) -> Any:
    """JSON with null-valued keys dropped, recursively (unstructure may drop them)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def same_json(model: object, payload: Any) -> bool:
    """The model holds exactly what the payload said."""
    return bool(without_nulls(converter.unstructure(model)) == without_nulls(payload))


def structure_example(name: str, model: type[Any]) -> Any:
    """An input model built from one of the spec's request examples."""
    return converter.structure(load_example(name), model)


def worklog(tempo_id: int, *, issue: str = "DUM-1") -> dict[str, Any]:
    """A worklog JSON (the spec's example 176) with its own ids."""
    item = copy.deepcopy(load_example("176_GET_worklogs-worklogId_200.json"))
    item["self"] = f"{BASE}/worklogs/{tempo_id}"
    item["tempoWorklogId"] = tempo_id
    item["jiraWorklogId"] = 10000 + tempo_id
    item["issue"]["key"] = issue
    return item


def paged(path: str, total: int, *, first_id: int = 1) -> Responder:
    """A responder serving `total` worklogs by offset/limit, `next` on all pages but the last."""

    def respond(sent: Sent) -> tuple[int, Any]:
        query = dict(sent.url.query)
        offset, limit = int(query["offset"]), int(query["limit"])
        ids = range(first_id + offset, first_id + min(offset + limit, total))
        metadata: dict[str, Any] = {"count": len(ids), "offset": offset, "limit": limit}
        if offset + limit < total:
            metadata["next"] = f"{BASE}{path}?offset={offset + limit}&limit={limit}"
        if offset > 0:
            metadata["previous"] = f"{BASE}{path}?offset={max(offset - limit, 0)}&limit={limit}"
        page = {
            "self": f"{BASE}{path}?offset={offset}&limit={limit}",
            "metadata": metadata,
            "results": [worklog(i) for i in ids],
        }
        return 200, page

    return respond
