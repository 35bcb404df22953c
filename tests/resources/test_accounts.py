"""`tempo.accounts` (#1-5) over a mocked API."""

from __future__ import annotations

import attrs
import pytest

from tempo_async import TempoClient, converter
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Account, AccountInput, AccountStatus
from tests.conftest import load_example
from tests.resources._support import ACCOUNT_ID, Api, same_json, structure_example

KEY = "CLOUDBAY_DEVELOPMENT"


@pytest.mark.parametrize(
    "request_example", ["002_POST_accounts_request.json", "003_POST_accounts_request.json"]
)
async def test_create(client: TempoClient, api: Api, request_example: str) -> None:
    answer = load_example("004_POST_accounts_200.json")
    api.add("POST", "/accounts", payload=answer)

    account = await client.accounts.create(structure_example(request_example, AccountInput))

    api.expect("POST", "/accounts", body=load_example(request_example))
    assert isinstance(account, Account)
    assert account.key == KEY
    assert account.id == 7
    assert account.status is AccountStatus.OPEN
    assert account.global_ is False
    assert account.lead.account_id == ACCOUNT_ID
    assert same_json(account, answer)


async def test_create_from_a_spec_shaped_dict(client: TempoClient, api: Api) -> None:
    api.add("POST", "/accounts", payload=load_example("004_POST_accounts_200.json"))

    await client.accounts.create(load_example("002_POST_accounts_request.json"))

    api.expect("POST", "/accounts", body=load_example("002_POST_accounts_request.json"))


async def test_list_all(client: TempoClient, api: Api) -> None:
    answer = load_example("007_GET_accounts_200.json")
    api.add("GET", "/accounts", payload=answer)

    accounts = await client.accounts.list()

    api.expect("GET", "/accounts")
    assert len(accounts) == 2
    assert all(isinstance(a, Account) for a in accounts)
    assert [a.key for a in accounts] == [r["key"] for r in answer["results"]]
    assert all(same_json(a, r) for a, r in zip(accounts, answer["results"], strict=True))


@pytest.mark.parametrize("status", ["OPEN", AccountStatus.OPEN])
async def test_list_by_status(client: TempoClient, api: Api, status: object) -> None:
    answer = load_example("008_GET_accounts_200.json")
    api.add("GET", "/accounts", payload=answer)

    accounts = await client.accounts.list(status=status)  # type: ignore[arg-type]

    api.expect("GET", "/accounts", {"status": "OPEN"})
    assert len(accounts) == len(answer["results"])
    assert {a.status for a in accounts} == {AccountStatus.OPEN}


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("010_GET_accounts-key_200.json")
    api.add("GET", f"/accounts/{KEY}", payload=answer)

    account = await client.accounts.get(KEY)

    api.expect("GET", f"/accounts/{KEY}")
    assert account.key == KEY
    assert account.name == "Cloudbay: Development"
    assert account.monthly_budget == 600
    assert account.contact is not None and account.contact.display_name == "John Brown"
    assert account.category is not None and account.customer is not None
    assert same_json(account, answer)


async def test_get_quotes_the_key_as_one_path_segment(client: TempoClient, api: Api) -> None:
    api.add(
        "GET", "/accounts/A%2FB%20C%3AD.E", payload=load_example("010_GET_accounts-key_200.json")
    )

    await client.accounts.get("A/B C:D.E")

    api.expect("GET", "/accounts/A%2FB%20C%3AD.E")


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("014_PUT_accounts-key_200.json")
    api.add("PUT", f"/accounts/{KEY}", payload=answer)

    account = await client.accounts.update(
        KEY, structure_example("013_PUT_accounts-key_request.json", AccountInput)
    )

    api.expect("PUT", f"/accounts/{KEY}", body=load_example("013_PUT_accounts-key_request.json"))
    assert account.key == KEY
    assert same_json(account, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", f"/accounts/{KEY}", status=204)

    assert await client.accounts.delete(KEY) is None

    api.expect("DELETE", f"/accounts/{KEY}")


# -- errors ---------------------------------------------------------------------------


async def test_create_400_is_bad_request_with_the_messages(client: TempoClient, api: Api) -> None:
    api.add("POST", "/accounts", status=400, payload=load_example("005_POST_accounts_400.json"))

    with pytest.raises(BadRequestError) as caught:
        await client.accounts.create(
            structure_example("002_POST_accounts_request.json", AccountInput)
        )

    assert caught.value.status == 400
    assert caught.value.messages == ["Account with this key already exists"]
    assert caught.value.method == "POST"
    assert caught.value.url == "https://api.tempo.io/core/3/accounts"


async def test_list_403_is_forbidden(client: TempoClient, api: Api) -> None:
    api.add("GET", "/accounts", status=403, payload=load_example("009_GET_accounts_403.json"))

    with pytest.raises(ForbiddenError) as caught:
        await client.accounts.list()

    assert caught.value.messages == [
        "The logged-in-user does not have required permission to view this data"
    ]


@pytest.mark.parametrize(
    ("method", "call", "example"),
    [
        ("GET", lambda t: t.accounts.get(KEY), "012_GET_accounts-key_404.json"),
        ("DELETE", lambda t: t.accounts.delete(KEY), "019_DELETE_accounts-key_404.json"),
        (
            "PUT",
            lambda t: t.accounts.update(
                KEY, structure_example("013_PUT_accounts-key_request.json", AccountInput)
            ),
            "017_PUT_accounts-key_404.json",
        ),
    ],
)
async def test_404_is_not_found(
    client: TempoClient, api: Api, method: str, call: object, example: str
) -> None:
    api.add(method, f"/accounts/{KEY}", status=404, payload=load_example(example))

    with pytest.raises(NotFoundError) as caught:
        await call(client)  # type: ignore[operator]

    assert caught.value.status == 404
    assert caught.value.messages == [m["message"] for m in load_example(example)["errors"]]


# -- bad input: refused before any request --------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.accounts.get(""), ValueError, "key must not be empty"),
        (lambda t: t.accounts.get("   "), ValueError, "key must not be empty"),
        (lambda t: t.accounts.get(7), TypeError, "key must be a string"),
        (lambda t: t.accounts.get(None), TypeError, "key must be a string"),
        (lambda t: t.accounts.get(".."), ValueError, "key must not be '..'"),
        (lambda t: t.accounts.delete("."), ValueError, "key must not be '.'"),
        (lambda t: t.accounts.delete(""), ValueError, "key must not be empty"),
        (lambda t: t.accounts.delete(7), TypeError, "key must be a string"),
        (lambda t: t.accounts.list(status="open"), ValueError, "status must be one of"),
        (lambda t: t.accounts.list(status="DELETED"), ValueError, "status must be one of"),
        (lambda t: t.accounts.list(status=""), ValueError, "status must not be empty"),
        (lambda t: t.accounts.list(status=1), TypeError, "status must be a string"),
        (lambda t: t.accounts.create("CLOUDBAY"), TypeError, "account must be a AccountInput"),
        (lambda t: t.accounts.create(None), TypeError, "account must be a AccountInput"),
        (
            lambda t: t.accounts.update("", load_example("013_PUT_accounts-key_request.json")),
            ValueError,
            "key must not be empty",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}


async def test_create_dict_missing_a_required_field(client: TempoClient, api: Api) -> None:
    body = load_example("002_POST_accounts_request.json")
    del body["leadAccountId"]

    with pytest.raises(ValueError, match=r"account is not a valid AccountInput: leadAccountId"):
        await client.accounts.create(body)

    assert api.mock.requests == {}


async def test_create_dict_with_a_wrong_typed_field(client: TempoClient, api: Api) -> None:
    body = load_example("002_POST_accounts_request.json")
    body["monthlyBudget"] = "600"

    with pytest.raises(ValueError, match=r"account is not a valid AccountInput: monthlyBudget"):
        await client.accounts.create(body)

    assert api.mock.requests == {}


async def test_update_model_with_a_wrong_typed_field(client: TempoClient, api: Api) -> None:
    account = attrs.evolve(
        structure_example("013_PUT_accounts-key_request.json", AccountInput),
        name=42,
    )

    with pytest.raises(ValueError, match=r"account is not a valid AccountInput: name"):
        await client.accounts.update(KEY, account)

    assert api.mock.requests == {}


def test_input_example_round_trips() -> None:
    """The body sent is the spec's example: the model drops nothing on the way."""
    raw = load_example("002_POST_accounts_request.json")
    assert converter.unstructure(converter.structure(raw, AccountInput)) == raw
