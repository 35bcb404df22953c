"""The version-neutral paging helper."""

from __future__ import annotations

import pytest
from multidict import MultiDict

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import PageRequest, build_page, parse_page_request


def test_defaults_and_bounds() -> None:
    assert parse_page_request({}) == PageRequest(0, 50)
    assert parse_page_request({"offset": "20", "limit": "1000"}) == PageRequest(20, 1000)
    for query in ({"limit": "1001"}, {"limit": "0"}, {"offset": "-5"}, {"limit": "1.5"}):
        with pytest.raises(ApiError) as error:
            parse_page_request(query)
        assert error.value.status == 400


def test_page_envelope_links() -> None:
    query = MultiDict([("issue", "A-1"), ("issue", "A-2"), ("offset", "10"), ("limit", "5")])
    page = build_page(
        origin="http://h:1",
        raw_path="/core/3/worklogs",
        query=query,
        page=PageRequest(10, 5),
        results=[1, 2, 3, 4, 5],
        has_more=True,
    )
    base = "http://h:1/core/3/worklogs?issue=A-1&issue=A-2"
    assert page == {
        "self": f"{base}&offset=10&limit=5",
        "metadata": {
            "count": 5,
            "offset": 10,
            "limit": 5,
            "next": f"{base}&offset=15&limit=5",
            "previous": f"{base}&offset=5&limit=5",
        },
        "results": [1, 2, 3, 4, 5],
    }
