"""`tempo.roles` (#29-33)."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Role, RoleInput
from tests.conftest import load_example
from tests.resources._support import Api, same_json, structure_example


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("088_GET_roles_200.json")
    api.add("GET", "/roles", payload=answer)

    roles = await client.roles.list()

    api.expect("GET", "/roles")
    assert all(isinstance(r, Role) for r in roles)
    assert [(r.id, r.name, r.default) for r in roles] == [
        (1, "Developer", True),
        (2, "Manager", False),
    ]


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("091_POST_roles_200.json")
    api.add("POST", "/roles", payload=answer)

    role = await client.roles.create(structure_example("090_POST_roles_request.json", RoleInput))

    api.expect("POST", "/roles", body={"name": "Developer"})
    assert same_json(role, answer)


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("094_GET_roles-id_200.json")
    api.add("GET", f"/roles/{answer['id']}", payload=answer)

    role = await client.roles.get(answer["id"])

    api.expect("GET", f"/roles/{answer['id']}")
    assert role.name == answer["name"]
    assert same_json(role, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("098_PUT_roles-id_200.json")
    api.add("PUT", "/roles/2", payload=answer)

    role = await client.roles.update(
        2, structure_example("097_PUT_roles-id_request.json", RoleInput)
    )

    api.expect("PUT", "/roles/2", body=load_example("097_PUT_roles-id_request.json"))
    assert same_json(role, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/roles/2", status=204)

    assert await client.roles.delete(2) is None

    api.expect("DELETE", "/roles/2")


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    error = load_example("092_POST_roles_400.json")
    api.add("POST", "/roles", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.roles.create({"name": "Developer"})

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_delete_404(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/roles/2", status=404, payload=load_example("103_DELETE_roles-id_404.json"))

    with pytest.raises(NotFoundError):
        await client.roles.delete(2)


async def test_get_403(client: TempoClient, api: Api) -> None:
    api.add("GET", "/roles/2", status=403, payload=load_example("095_GET_roles-id_403.json"))

    with pytest.raises(ForbiddenError):
        await client.roles.get(2)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.roles.get("Developer"), ValueError, "id must be a number"),
        (lambda t: t.roles.update(-2, {"name": "x"}), ValueError, "id must not be negative"),
        (lambda t: t.roles.delete(2.0), TypeError, "id must be an int"),
        (lambda t: t.roles.create("Developer"), TypeError, "role must be a RoleInput"),
        (lambda t: t.roles.create({}), ValueError, "role is not a valid RoleInput: name"),
        (
            lambda t: t.roles.update(2, {"name": None}),
            ValueError,
            "role is not a valid RoleInput: name",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
