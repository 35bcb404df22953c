"""`tempo.work_attributes` (#59-60)."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import ForbiddenError, NotFoundError
from tempo_async.models import WorkAttribute
from tests.conftest import load_example
from tests.resources._support import Api, same_json


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("165_GET_work-attributes_200.json")
    api.add("GET", "/work-attributes", payload=answer)

    attributes = await client.work_attributes.list()

    api.expect("GET", "/work-attributes")
    assert all(isinstance(a, WorkAttribute) for a in attributes)
    assert [(a.key, a.type, a.required) for a in attributes] == [
        ("_COLOR_", "STATIC_LIST", False),
        ("_EXTERNALREF_", "INPUT_FIELD", True),
    ]
    assert attributes[0].values == ["red", "green", "blue", "yellow", "pink"]
    assert attributes[1].values is None


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("167_GET_work-attributes-key_200.json")
    api.add("GET", "/work-attributes/_COLOR_", payload=answer)

    attribute = await client.work_attributes.get("_COLOR_")

    api.expect("GET", "/work-attributes/_COLOR_")
    assert attribute.name == "Color"
    assert same_json(attribute, answer)


async def test_get_404(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/work-attributes/_COLOR_",
        status=404,
        payload=load_example("169_GET_work-attributes-key_404.json"),
    )

    with pytest.raises(NotFoundError) as caught:
        await client.work_attributes.get("_COLOR_")

    assert caught.value.messages == ["A work attribute with key '_COLOR_' does not exist"]


async def test_list_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/work-attributes",
        status=403,
        payload=load_example("166_GET_work-attributes_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.work_attributes.list()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.work_attributes.get(""), ValueError, "key must not be empty"),
        (lambda t: t.work_attributes.get(1), TypeError, "key must be a string"),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
