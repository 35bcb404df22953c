"""`tempo.customers` (#12-17)."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Account, Customer, CustomerInput
from tests.conftest import load_example
from tests.resources._support import Api, same_json, structure_example

KEY = "CLOUDBAY_DEVELOPMENT"


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("039_POST_customers_200.json")
    api.add("POST", "/customers", payload=answer)

    customer = await client.customers.create(
        structure_example("038_POST_customers_request.json", CustomerInput)
    )

    api.expect("POST", "/customers", body=load_example("038_POST_customers_request.json"))
    assert isinstance(customer, Customer)
    assert (customer.key, customer.id, customer.name) == (KEY, 234, "GreenCloud")
    assert same_json(customer, answer)


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("042_GET_customers_200.json")
    api.add("GET", "/customers", payload=answer)

    customers = await client.customers.list()

    api.expect("GET", "/customers")
    assert len(customers) == 1
    assert customers[0].key == "GreenCloud"


async def test_list_by_id(client: TempoClient, api: Api) -> None:
    api.add("GET", "/customers", payload=load_example("042_GET_customers_200.json"))

    await client.customers.list(id=234)

    api.expect("GET", "/customers", {"id": "234"})


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("044_GET_customers-key_200.json")
    api.add("GET", f"/customers/{KEY}", payload=answer)

    customer = await client.customers.get(KEY)

    api.expect("GET", f"/customers/{KEY}")
    assert customer.self_url == answer["self"]
    assert same_json(customer, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("048_PUT_customers-key_200.json")
    api.add("PUT", f"/customers/{KEY}", payload=answer)

    customer = await client.customers.update(
        KEY, structure_example("047_PUT_customers-key_request.json", CustomerInput)
    )

    api.expect("PUT", f"/customers/{KEY}", body=load_example("047_PUT_customers-key_request.json"))
    assert customer.id == 234


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", f"/customers/{KEY}", status=204)

    assert await client.customers.delete(KEY) is None

    api.expect("DELETE", f"/customers/{KEY}")


async def test_accounts(client: TempoClient, api: Api) -> None:
    answer = load_example("054_GET_customers-key-accounts_200.json")
    api.add("GET", "/customers/CLOUDBAY/accounts", payload=answer)

    accounts = await client.customers.accounts("CLOUDBAY")

    api.expect("GET", "/customers/CLOUDBAY/accounts")
    assert len(accounts) == 2
    assert all(isinstance(a, Account) for a in accounts)
    assert all(same_json(a, r) for a, r in zip(accounts, answer["results"], strict=True))


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    error = load_example("040_POST_customers_400.json")
    api.add("POST", "/customers", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.customers.create(load_example("038_POST_customers_request.json"))

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_accounts_404(client: TempoClient, api: Api) -> None:
    error = load_example("056_GET_customers-key-accounts_404.json")
    api.add("GET", "/customers/NOPE/accounts", status=404, payload=error)

    with pytest.raises(NotFoundError) as caught:
        await client.customers.accounts("NOPE")

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_delete_403(client: TempoClient, api: Api) -> None:
    api.add(
        "DELETE",
        f"/customers/{KEY}",
        status=403,
        payload=load_example("052_DELETE_customers-key_403.json"),
    )

    with pytest.raises(ForbiddenError) as caught:
        await client.customers.delete(KEY)

    assert caught.value.method == "DELETE"


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.customers.get(""), ValueError, "key must not be empty"),
        (lambda t: t.customers.get(234), TypeError, "key must be a string"),
        (lambda t: t.customers.accounts(""), ValueError, "key must not be empty"),
        (lambda t: t.customers.delete(None), TypeError, "key must be a string"),
        (lambda t: t.customers.list(id="abc"), ValueError, "id must be a number"),
        (lambda t: t.customers.list(id=""), ValueError, "id must not be empty"),
        (lambda t: t.customers.create("GreenCloud"), TypeError, "customer must be a CustomerInput"),
        (
            lambda t: t.customers.create({"key": KEY}),
            ValueError,
            "customer is not a valid CustomerInput: name",
        ),
        (
            lambda t: t.customers.update(KEY, {"key": 1, "name": "n"}),
            ValueError,
            "customer is not a valid CustomerInput: key",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
