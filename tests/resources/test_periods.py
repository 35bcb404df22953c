"""`tempo.periods` (#48)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError
from tempo_async.models import Period
from tests.conftest import load_example
from tests.resources._support import Api


async def test_list(client: TempoClient, api: Api) -> None:
    api.add("GET", "/periods", payload=load_example("149_GET_periods_200.json"))

    periods = await client.periods.list(from_=date(2017, 12, 1), to=date(2018, 1, 31))

    api.expect("GET", "/periods", {"from": "2017-12-01", "to": "2018-01-31"})
    assert all(isinstance(p, Period) for p in periods)
    assert [(p.from_, p.to) for p in periods] == [
        (date(2017, 12, 1), date(2017, 12, 31)),
        (date(2018, 1, 1), date(2018, 1, 31)),
    ]


async def test_list_with_iso_strings_and_a_single_day(client: TempoClient, api: Api) -> None:
    api.add("GET", "/periods", payload={"periods": []})

    assert await client.periods.list(from_="2018-01-15", to="2018-01-15") == []

    api.expect("GET", "/periods", {"from": "2018-01-15", "to": "2018-01-15"})


async def test_400_with_several_messages(client: TempoClient, api: Api) -> None:
    error = load_example("174_POST_worklogs_400.json")
    api.add("GET", "/periods", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.periods.list(from_="2018-01-01", to="2018-01-31")

    assert caught.value.messages == [
        "Issue not found",
        "Date can not be empty",
        "Invalid time duration entered",
    ]


async def test_403(client: TempoClient, api: Api) -> None:
    api.add("GET", "/periods", status=403, payload=load_example("009_GET_accounts_403.json"))

    with pytest.raises(ForbiddenError):
        await client.periods.list(from_="2018-01-01", to="2018-01-31")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"from_": None, "to": "2018-01-31"}, TypeError, "from_ is required"),
        ({"from_": "2018-01-01", "to": None}, TypeError, "to is required"),
        (
            {"from_": "2018-02-01", "to": "2018-01-31"},
            ValueError,
            r"from_ \(2018-02-01\) is after to \(2018-01-31\)",
        ),
        ({"from_": date(2018, 2, 1), "to": date(2018, 1, 31)}, ValueError, "is after to"),
        (
            {"from_": "2018-01-01", "to": "31.01.2018"},
            ValueError,
            "to must be an ISO date YYYY-MM-DD",
        ),
        ({"from_": "2018-13-01", "to": "2018-12-31"}, ValueError, "from_ must be an ISO date"),
        (
            {"from_": "2018-01-01T00:00:00", "to": "2018-01-31"},
            ValueError,
            "from_ must be an ISO date",
        ),
        ({"from_": "20180101", "to": "2018-01-31"}, ValueError, "from_ must be an ISO date"),
        ({"from_": "2018-W01-1", "to": "2018-01-31"}, ValueError, "from_ must be an ISO date"),
        ({"from_": "", "to": "2018-01-31"}, ValueError, "from_ must be an ISO date"),
        (
            {"from_": datetime(2018, 1, 1), "to": "2018-01-31"},
            TypeError,
            "from_ must be a datetime.date",
        ),
        ({"from_": "2018-01-01", "to": 20180131}, TypeError, "to must be a datetime.date"),
    ],
)
async def test_bad_dates(
    client: TempoClient, api: Api, kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await client.periods.list(**kwargs)  # type: ignore[arg-type]

    assert api.mock.requests == {}


async def test_dates_are_required(client: TempoClient, api: Api) -> None:
    with pytest.raises(TypeError, match="from_"):
        await client.periods.list()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'to'"):
        await client.periods.list(from_="2018-01-01")  # type: ignore[call-arg]

    assert api.mock.requests == {}
