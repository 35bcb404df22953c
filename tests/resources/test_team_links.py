"""`tempo.team_links`: `/team-links/{id}` GET and DELETE, declared by the spec without a schema."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import ForbiddenError, NotFoundError
from tempo_async.models import TeamLink
from tests.resources._support import Api

# The spec has no example; this is a plausible link as the live API might send it.
LINK = {
    "self": "https://api.tempo.io/core/3/team-links/5",
    "id": 5,
    "team": {"self": "https://api.tempo.io/core/3/teams/1"},
    "scope": {"type": "project", "id": 10000},
}
ERROR_404 = {"errors": [{"message": "Team link not found"}]}


async def test_get_keeps_whatever_the_server_sends(client: TempoClient, api: Api) -> None:
    api.add("GET", "/team-links/5", payload=LINK)

    link = await client.team_links.get(5)

    api.expect("GET", "/team-links/5")
    assert isinstance(link, TeamLink)
    assert link.extra == LINK


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/team-links/5", status=204)

    assert await client.team_links.delete(5) is None

    api.expect("DELETE", "/team-links/5")


async def test_get_404(client: TempoClient, api: Api) -> None:
    api.add("GET", "/team-links/6", status=404, payload=ERROR_404)

    with pytest.raises(NotFoundError) as caught:
        await client.team_links.get(6)

    assert caught.value.messages == ["Team link not found"]


async def test_delete_403(client: TempoClient, api: Api) -> None:
    error = {"errors": [{"message": "The logged-in-user does not have required permission"}]}
    api.add("DELETE", "/team-links/5", status=403, payload=error)

    with pytest.raises(ForbiddenError):
        await client.team_links.delete(5)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.team_links.get("five"), ValueError, "id must be a number"),
        (lambda t: t.team_links.get(""), ValueError, "id must not be empty"),
        (lambda t: t.team_links.delete(-5), ValueError, "id must not be negative"),
        (lambda t: t.team_links.delete(None), TypeError, "id must be an int"),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
