"""`tempo.plans` (#18-22)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Plan, PlanInput
from tests.conftest import load_example
from tests.resources._support import (
    ACCOUNT_ID,
    ACCOUNT_ID_QUOTED,
    Api,
    same_json,
    structure_example,
)


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("058_POST_plans_200.json")
    api.add("POST", "/plans", payload=answer)

    plan = await client.plans.create(structure_example("057_POST_plans_request.json", PlanInput))

    api.expect("POST", "/plans", body=load_example("057_POST_plans_request.json"))
    assert isinstance(plan, Plan)
    assert plan.id == 123
    assert plan.start_date == date(2017, 12, 15)
    assert plan.created_at == datetime(2017, 2, 23, 15, 7, tzinfo=timezone.utc)
    assert plan.dates.values[0].time_planned_seconds == 28800
    assert same_json(plan, answer)


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("060_GET_plans-id_200.json")
    api.add("GET", "/plans/123", payload=answer)

    plan = await client.plans.get(123)

    api.expect("GET", "/plans/123")
    assert plan.id == answer["id"]
    assert same_json(plan, answer)


async def test_get_expanding_recurrences(client: TempoClient, api: Api) -> None:
    api.add("GET", "/plans/123", payload=load_example("060_GET_plans-id_200.json"))

    await client.plans.get(123, from_=date(2017, 7, 13), to="2018-12-31")

    api.expect("GET", "/plans/123", {"from": "2017-07-13", "to": "2018-12-31"})


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("064_PUT_plans-id_200.json")
    api.add("PUT", "/plans/123", payload=answer)

    plan = await client.plans.update(
        123, structure_example("063_PUT_plans-id_request.json", PlanInput)
    )

    api.expect("PUT", "/plans/123", body=load_example("063_PUT_plans-id_request.json"))
    assert same_json(plan, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/plans/123", status=204)

    assert await client.plans.delete(123) is None

    api.expect("DELETE", "/plans/123")


async def test_for_user(client: TempoClient, api: Api) -> None:
    answer = load_example("069_GET_plans-user-accountId_200.json")
    api.add("GET", f"/plans/user/{ACCOUNT_ID_QUOTED}", payload=answer)

    plans = await client.plans.for_user(
        ACCOUNT_ID, from_=date(2017, 11, 1), to=date(2017, 12, 31), updated_from="2017-01-02"
    )

    api.expect(
        "GET",
        f"/plans/user/{ACCOUNT_ID_QUOTED}",
        {"from": "2017-11-01", "to": "2017-12-31", "updatedFrom": "2017-01-02"},
    )
    assert len(plans) == 2
    assert [p.id for p in plans] == [r["id"] for r in answer["results"]]
    assert all(same_json(p, r) for p, r in zip(plans, answer["results"], strict=True))


async def test_for_user_without_updated_from(client: TempoClient, api: Api) -> None:
    api.add(
        "GET", "/plans/user/john", payload=load_example("069_GET_plans-user-accountId_200.json")
    )

    await client.plans.for_user("john", from_="2017-11-01", to="2017-12-31")

    api.expect("GET", "/plans/user/john", {"from": "2017-11-01", "to": "2017-12-31"})


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    error = load_example("059_POST_plans_400.json")
    api.add("POST", "/plans", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.plans.create(load_example("057_POST_plans_request.json"))

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_get_404(client: TempoClient, api: Api) -> None:
    api.add("GET", "/plans/9", status=404, payload=load_example("062_GET_plans-id_404.json"))

    with pytest.raises(NotFoundError):
        await client.plans.get(9)


async def test_for_user_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        f"/plans/user/{ACCOUNT_ID_QUOTED}",
        status=403,
        payload=load_example("070_GET_plans-user-accountId_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.plans.for_user(ACCOUNT_ID, from_="2017-11-01", to="2017-12-31")


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.plans.get("abc"), ValueError, "id must be a number"),
        (lambda t: t.plans.get(-1), ValueError, "id must not be negative"),
        (lambda t: t.plans.get(1.0), TypeError, "id must be an int"),
        (lambda t: t.plans.get(None), TypeError, "id must be an int"),
        (lambda t: t.plans.delete(""), ValueError, "id must not be empty"),
        (
            lambda t: t.plans.get(1, from_="2018-01-02", to="2018-01-01"),
            ValueError,
            "from_ .* is after to",
        ),
        (lambda t: t.plans.get(1, from_="2018-1-2"), ValueError, "from_ must be an ISO date"),
        (
            lambda t: t.plans.for_user("", from_="2018-01-01", to="2018-01-31"),
            ValueError,
            "account_id must not be empty",
        ),
        (
            lambda t: t.plans.for_user(7, from_="2018-01-01", to="2018-01-31"),
            TypeError,
            "account_id must be a string",
        ),
        (
            lambda t: t.plans.for_user(ACCOUNT_ID, from_=None, to="2018-01-31"),
            TypeError,
            "from_ is required",
        ),
        (
            lambda t: t.plans.for_user(ACCOUNT_ID, from_="2018-01-01", to=None),
            TypeError,
            "to is required",
        ),
        (
            lambda t: t.plans.for_user(ACCOUNT_ID, from_="2018-02-01", to="2018-01-31"),
            ValueError,
            "is after to",
        ),
        (
            lambda t: t.plans.for_user(ACCOUNT_ID, from_="2018-01-01", to="2018-02-30"),
            ValueError,
            "to must be an ISO date",
        ),
        (
            lambda t: t.plans.for_user(
                ACCOUNT_ID, from_="2018-01-01", to="2018-01-31", updated_from="yesterday"
            ),
            ValueError,
            "updated_from must be an ISO date",
        ),
        (
            lambda t: t.plans.for_user(ACCOUNT_ID, from_=20180101, to="2018-01-31"),
            TypeError,
            "from_ must be a datetime.date",
        ),
        (lambda t: t.plans.create("plan"), TypeError, "plan must be a PlanInput"),
        (
            lambda t: t.plans.create({"startDate": "2017-02-27"}),
            ValueError,
            "plan is not a valid PlanInput",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}


async def test_for_user_without_dates_is_a_type_error(client: TempoClient, api: Api) -> None:
    with pytest.raises(TypeError, match="from_"):
        await client.plans.for_user(ACCOUNT_ID)  # type: ignore[call-arg]

    assert api.mock.requests == {}


async def test_input_dict_with_a_bad_date(client: TempoClient, api: Api) -> None:
    body = load_example("057_POST_plans_request.json")
    body["endDate"] = "27/02/2017"

    with pytest.raises(ValueError, match="plan is not a valid PlanInput: endDate"):
        await client.plans.create(body)

    assert api.mock.requests == {}
