"""`tempo.user_schedule` (#57-58)."""

from __future__ import annotations

from datetime import date

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import DaySchedule
from tests.conftest import load_example
from tests.resources._support import ACCOUNT_ID, ACCOUNT_ID_QUOTED, Api, same_json

CHRISTMAS = {"from": "2017-12-23", "to": "2017-12-27"}


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("163_GET_user-schedule_200.json")
    api.add("GET", "/user-schedule", payload=answer)

    days = await client.user_schedule.get(from_=date(2017, 12, 23), to=date(2017, 12, 27))

    api.expect("GET", "/user-schedule", CHRISTMAS)
    assert len(days) == 5
    assert all(isinstance(d, DaySchedule) for d in days)
    assert [d.date for d in days] == [date(2017, 12, day) for day in range(23, 28)]
    assert days[0].type == "NON_WORKING_DAY"
    assert days[1].holiday is not None and days[1].holiday.name == "Christmas Eve"
    assert days[4].required_seconds == 28800
    assert all(same_json(d, r) for d, r in zip(days, answer["results"], strict=True))


async def test_for_user(client: TempoClient, api: Api) -> None:
    answer = load_example("164_GET_user-schedule-accountId_200.json")
    api.add("GET", f"/user-schedule/{ACCOUNT_ID_QUOTED}", payload=answer)

    days = await client.user_schedule.for_user(ACCOUNT_ID, from_="2017-12-23", to="2017-12-27")

    api.expect("GET", f"/user-schedule/{ACCOUNT_ID_QUOTED}", CHRISTMAS)
    assert len(days) == len(answer["results"])
    assert all(same_json(d, r) for d, r in zip(days, answer["results"], strict=True))


async def test_for_user_404(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/user-schedule/nobody",
        status=404,
        payload={"errors": [{"message": "User not found"}]},
    )

    with pytest.raises(NotFoundError) as caught:
        await client.user_schedule.for_user("nobody", from_="2017-12-23", to="2017-12-27")

    assert caught.value.messages == ["User not found"]


async def test_get_400(client: TempoClient, api: Api) -> None:
    api.add("GET", "/user-schedule", status=400, payload=load_example("174_POST_worklogs_400.json"))

    with pytest.raises(BadRequestError) as caught:
        await client.user_schedule.get(from_="2017-12-23", to="2017-12-27")

    assert len(caught.value.messages) == 3


async def test_get_403(client: TempoClient, api: Api) -> None:
    api.add("GET", "/user-schedule", status=403, payload=load_example("009_GET_accounts_403.json"))

    with pytest.raises(ForbiddenError):
        await client.user_schedule.get(from_="2017-12-23", to="2017-12-27")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda t: t.user_schedule.get(from_=None, to="2017-12-27"),
            TypeError,
            "from_ is required",
        ),
        (lambda t: t.user_schedule.get(from_="2017-12-23", to=None), TypeError, "to is required"),
        (
            lambda t: t.user_schedule.get(from_="2017-12-28", to="2017-12-27"),
            ValueError,
            "is after to",
        ),
        (
            lambda t: t.user_schedule.get(from_="23/12/2017", to="2017-12-27"),
            ValueError,
            "from_ must be an ISO date",
        ),
        (
            lambda t: t.user_schedule.for_user(ACCOUNT_ID, from_=None, to="2017-12-27"),
            TypeError,
            "from_ is required",
        ),
        (
            lambda t: t.user_schedule.for_user(ACCOUNT_ID, from_="2017-12-23", to="2017-12-32"),
            ValueError,
            "to must be an ISO date",
        ),
        (
            lambda t: t.user_schedule.for_user("", from_="2017-12-23", to="2017-12-27"),
            ValueError,
            "account_id must not be empty",
        ),
        (
            lambda t: t.user_schedule.for_user(None, from_="2017-12-23", to="2017-12-27"),
            TypeError,
            "account_id must be a string",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}


async def test_dates_are_required(client: TempoClient, api: Api) -> None:
    with pytest.raises(TypeError, match="from_"):
        await client.user_schedule.get()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="from_"):
        await client.user_schedule.for_user(ACCOUNT_ID)  # type: ignore[call-arg]

    assert api.mock.requests == {}
