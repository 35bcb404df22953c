"""`tempo.account_categories` (#6-10) and `tempo.account_category_types` (#11)."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Category, CategoryInput, CategoryType
from tests.conftest import load_example
from tests.resources._support import Api, same_json, structure_example

KEY = "CLOUDBAY_DEVELOPMENT"


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("021_POST_account-categories_200.json")
    api.add("POST", "/account-categories", payload=answer)

    category = await client.account_categories.create(
        structure_example("020_POST_account-categories_request.json", CategoryInput)
    )

    api.expect(
        "POST",
        "/account-categories",
        body=load_example("020_POST_account-categories_request.json"),
    )
    assert isinstance(category, Category)
    assert category.key == KEY
    assert category.id == 14
    assert category.type.name == "BILLABLE"
    assert same_json(category, answer)


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("024_GET_account-categories_200.json")
    api.add("GET", "/account-categories", payload=answer)

    categories = await client.account_categories.list()

    api.expect("GET", "/account-categories")
    assert len(categories) == 1
    assert categories[0].key == "300"
    assert categories[0].name == "Development"
    assert same_json(categories[0], answer["results"][0])


async def test_list_by_id(client: TempoClient, api: Api) -> None:
    api.add(
        "GET", "/account-categories", payload=load_example("024_GET_account-categories_200.json")
    )

    categories = await client.account_categories.list(id=14)

    api.expect("GET", "/account-categories", {"id": "14"})
    assert [c.id for c in categories] == [14]


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("026_GET_account-categories-key_200.json")
    api.add("GET", f"/account-categories/{KEY}", payload=answer)

    category = await client.account_categories.get(KEY)

    api.expect("GET", f"/account-categories/{KEY}")
    assert category.key == KEY
    assert same_json(category, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("030_PUT_account-categories-key_200.json")
    api.add("PUT", f"/account-categories/{KEY}", payload=answer)

    category = await client.account_categories.update(
        KEY, structure_example("029_PUT_account-categories-key_request.json", CategoryInput)
    )

    api.expect(
        "PUT",
        f"/account-categories/{KEY}",
        body=load_example("029_PUT_account-categories-key_request.json"),
    )
    assert category.name == "Cloudbay: Development"
    assert same_json(category, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", f"/account-categories/{KEY}", status=204)

    assert await client.account_categories.delete(KEY) is None

    api.expect("DELETE", f"/account-categories/{KEY}")


async def test_category_types(client: TempoClient, api: Api) -> None:
    answer = load_example("036_GET_account-category-types_200.json")
    api.add("GET", "/account-category-types", payload=answer)

    types = await client.account_category_types.list()

    api.expect("GET", "/account-category-types")
    assert all(isinstance(t, CategoryType) for t in types)
    assert [t.name for t in types] == ["BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL"]


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    error = load_example("022_POST_account-categories_400.json")
    api.add("POST", "/account-categories", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.account_categories.create(
            structure_example("020_POST_account-categories_request.json", CategoryInput)
        )

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_get_404(client: TempoClient, api: Api) -> None:
    error = load_example("028_GET_account-categories-key_404.json")
    api.add("GET", f"/account-categories/{KEY}", status=404, payload=error)

    with pytest.raises(NotFoundError) as caught:
        await client.account_categories.get(KEY)

    assert caught.value.messages == [e["message"] for e in error["errors"]]
    assert caught.value.url == f"https://api.tempo.io/core/3/account-categories/{KEY}"


async def test_types_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/account-category-types",
        status=403,
        payload=load_example("037_GET_account-category-types_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.account_category_types.list()


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.account_categories.get(""), ValueError, "key must not be empty"),
        (lambda t: t.account_categories.get(14), TypeError, "key must be a string"),
        (lambda t: t.account_categories.delete(" "), ValueError, "key must not be empty"),
        (lambda t: t.account_categories.list(id="x"), ValueError, "id must be a number"),
        (lambda t: t.account_categories.list(id=-1), ValueError, "id must not be negative"),
        (lambda t: t.account_categories.list(id=1.5), TypeError, "id must be an int"),
        (lambda t: t.account_categories.list(id=True), TypeError, "id must be an int"),
        (
            lambda t: t.account_categories.create(["key"]),
            TypeError,
            "category must be a CategoryInput",
        ),
        (
            lambda t: t.account_categories.create({"name": "No key"}),
            ValueError,
            "category is not a valid CategoryInput: key",
        ),
        (
            lambda t: t.account_categories.update(KEY, {"key": KEY, "name": 5}),
            ValueError,
            "category is not a valid CategoryInput: name",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
