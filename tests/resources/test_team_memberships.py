"""`tempo.team_memberships` (#44-47)."""

from __future__ import annotations

from datetime import date

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Membership, MembershipInput, MembershipUpdate
from tests.conftest import load_example
from tests.resources._support import Api, same_json, structure_example


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("136_POST_team-memberships_200.json")
    api.add("POST", "/team-memberships", payload=answer)

    membership = await client.team_memberships.create(
        structure_example("135_POST_team-memberships_request.json", MembershipInput)
    )

    api.expect(
        "POST", "/team-memberships", body=load_example("135_POST_team-memberships_request.json")
    )
    assert isinstance(membership, Membership)
    assert membership.id == 2
    assert membership.from_ == date(2017, 6, 1)
    assert membership.to == date(2017, 12, 31)
    assert membership.team is not None and membership.team.name == "Team-A"
    assert same_json(membership, answer)


async def test_create_minimal_input_sends_only_what_was_given(
    client: TempoClient, api: Api
) -> None:
    api.add("POST", "/team-memberships", payload=load_example("136_POST_team-memberships_200.json"))

    await client.team_memberships.create(
        MembershipInput(team_id=1, account_id="1111aaaa2222bbbb3333cccc")
    )

    api.expect(
        "POST", "/team-memberships", body={"teamId": 1, "accountId": "1111aaaa2222bbbb3333cccc"}
    )


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("139_GET_team-memberships-id_200.json")
    api.add("GET", "/team-memberships/2", payload=answer)

    membership = await client.team_memberships.get(2)

    api.expect("GET", "/team-memberships/2")
    assert membership.role.name == "Developer"
    assert same_json(membership, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("143_PUT_team-memberships-id_200.json")
    api.add("PUT", "/team-memberships/2", payload=answer)

    membership = await client.team_memberships.update(
        2, structure_example("142_PUT_team-memberships-id_request.json", MembershipUpdate)
    )

    api.expect(
        "PUT", "/team-memberships/2", body=load_example("142_PUT_team-memberships-id_request.json")
    )
    assert membership.commitment_percent == 50
    assert same_json(membership, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/team-memberships/2", status=204)

    assert await client.team_memberships.delete(2) is None

    api.expect("DELETE", "/team-memberships/2")


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    api.add(
        "POST",
        "/team-memberships",
        status=400,
        payload=load_example("137_POST_team-memberships_400.json"),
    )

    with pytest.raises(BadRequestError) as caught:
        await client.team_memberships.create(load_example("135_POST_team-memberships_request.json"))

    assert caught.value.messages == ["User is already a member of this team on this date."]


async def test_update_404(client: TempoClient, api: Api) -> None:
    api.add(
        "PUT",
        "/team-memberships/2",
        status=404,
        payload=load_example("146_PUT_team-memberships-id_404.json"),
    )

    with pytest.raises(NotFoundError):
        await client.team_memberships.update(2, {"commitmentPercent": 10})


async def test_get_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/team-memberships/2",
        status=403,
        payload=load_example("140_GET_team-memberships-id_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.team_memberships.get(2)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.team_memberships.get("two"), ValueError, "id must be a number"),
        (lambda t: t.team_memberships.delete(-2), ValueError, "id must not be negative"),
        (lambda t: t.team_memberships.update(None, {}), TypeError, "id must be an int"),
        (lambda t: t.team_memberships.create(1), TypeError, "membership must be a MembershipInput"),
        (
            lambda t: t.team_memberships.create({"accountId": "x"}),
            ValueError,
            "membership is not a valid MembershipInput: teamId",
        ),
        (
            lambda t: t.team_memberships.create(
                {"teamId": 1, "accountId": "x", "from": "June 1st"}
            ),
            ValueError,
            "membership is not a valid MembershipInput: from",
        ),
        (
            lambda t: t.team_memberships.update(2, {"commitmentPercent": "50"}),
            ValueError,
            "membership is not a valid MembershipUpdate: commitmentPercent",
        ),
        (
            # A create input is not an update input.
            lambda t: t.team_memberships.update(
                2, structure_example("135_POST_team-memberships_request.json", MembershipInput)
            ),
            TypeError,
            "membership must be a MembershipUpdate",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
