"""Accounts (#1-5), account categories (#6-10) and category types (#11) against the emulator."""

from __future__ import annotations

import pytest

from tempo_async import (
    Account,
    AccountInput,
    AccountStatus,
    BadRequestError,
    CategoryInput,
    NotFoundError,
    TempoClient,
)
from tempo_async.emulator import Emulator
from tests.integration.conftest import user_ids


def _account_input(emu: Emulator, key: str = "NEWCO-DEV", **changes: object) -> AccountInput:
    users = user_ids(emu)
    fields: dict[str, object] = {
        "key": key,
        "name": "NewCo: Development",
        "status": AccountStatus.OPEN,
        "lead_account_id": users[0],
        "contact_account_id": users[1],
        "category_key": "DEV",
        "customer_key": "ACME",
        "monthly_budget": 1200,
        "global_": False,
    }
    fields.update(changes)
    return AccountInput(**fields)  # type: ignore[arg-type]


async def test_account_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    users = user_ids(emu)
    created = await tempo.accounts.create(_account_input(emu))

    assert isinstance(created, Account)
    assert created.key == "NEWCO-DEV"
    assert created.id == emu.state.accounts["NEWCO-DEV"]["id"]
    assert created.id > max(r["id"] for k, r in emu.state.accounts.items() if k != "NEWCO-DEV")
    assert created.self_url == f"{emu.base_url}/accounts/NEWCO-DEV"
    assert created.links.self_url == f"{emu.base_url}/accounts/NEWCO-DEV/links"
    assert created.status == AccountStatus.OPEN
    assert created.lead.account_id == users[0]
    assert created.contact is not None and created.contact.account_id == users[1]
    assert created.category is not None and created.category.key == "DEV"
    assert created.customer is not None and created.customer.key == "ACME"
    assert created.monthly_budget == 1200
    assert created.global_ is False

    assert await tempo.accounts.get("NEWCO-DEV") == created

    update = _account_input(
        emu,
        name="NewCo: Maintenance",
        status=AccountStatus.CLOSED,
        lead_account_id=users[2],
        contact_account_id=None,
        external_contact_name="Pat Outsider",
        customer_key=None,
        monthly_budget=None,
    )
    updated = await tempo.accounts.update("NEWCO-DEV", update)
    assert updated.id == created.id
    assert updated.name == "NewCo: Maintenance"
    assert updated.status == AccountStatus.CLOSED
    assert updated.lead.account_id == users[2]
    assert updated.contact is not None
    assert updated.contact.display_name == "Pat Outsider"
    assert updated.contact.type == "EXTERNAL"
    assert updated.customer is None  # a PUT replaces: left-out optional fields are cleared
    assert updated.monthly_budget is None
    assert await tempo.accounts.get("NEWCO-DEV") == updated

    assert await tempo.accounts.delete("NEWCO-DEV") is None
    assert "NEWCO-DEV" not in emu.state.accounts
    with pytest.raises(NotFoundError) as caught:
        await tempo.accounts.get("NEWCO-DEV")
    assert caught.value.status == 404
    assert caught.value.messages == ["Account not found"]


async def test_account_update_can_rename_the_key(tempo: TempoClient, emu: Emulator) -> None:
    await tempo.accounts.create(_account_input(emu, key="OLD-KEY"))
    renamed = await tempo.accounts.update("OLD-KEY", _account_input(emu, key="NEW-KEY"))
    assert renamed.key == "NEW-KEY"
    assert renamed.self_url == f"{emu.base_url}/accounts/NEW-KEY"
    assert (await tempo.accounts.get("NEW-KEY")).id == renamed.id
    with pytest.raises(NotFoundError):
        await tempo.accounts.get("OLD-KEY")


async def test_account_list_returns_every_account_in_id_order(
    tempo: TempoClient, emu: Emulator
) -> None:
    accounts = await tempo.accounts.list()
    expected = sorted(emu.state.accounts.values(), key=lambda r: r["id"])
    assert [a.key for a in accounts] == [r["key"] for r in expected]
    assert [a.status for a in accounts] == [r["status"] for r in expected]
    assert all(a.self_url == f"{emu.base_url}/accounts/{a.key}" for a in accounts)


@pytest.mark.parametrize("status", ["OPEN", "CLOSED", "ARCHIVED"])
async def test_account_list_filters_by_status(
    tempo: TempoClient, emu: Emulator, status: str
) -> None:
    expected = sorted(
        (r for r in emu.state.accounts.values() if r["status"] == status), key=lambda r: r["id"]
    )
    assert expected, "the seed has accounts of every status"
    by_str = await tempo.accounts.list(status=status)
    by_enum = await tempo.accounts.list(status=AccountStatus(status))
    assert [a.key for a in by_str] == [r["key"] for r in expected]
    assert by_enum == by_str


async def test_account_list_rejects_unknown_status_before_sending(
    tempo: TempoClient, emu: Emulator
) -> None:
    with pytest.raises(ValueError, match="status"):
        await tempo.accounts.list(status="BOGUS")
    assert emu.stats.requests == 0


async def test_account_create_duplicate_and_unknown_references_are_400(
    tempo: TempoClient, emu: Emulator
) -> None:
    before = dict(emu.state.accounts)
    with pytest.raises(BadRequestError) as caught:
        await tempo.accounts.create(_account_input(emu, key="CLOUDBAY-DEV"))
    assert caught.value.status == 400
    assert caught.value.messages == ["Account with this key already exists"]

    with pytest.raises(BadRequestError) as caught:
        await tempo.accounts.create(
            _account_input(
                emu,
                lead_account_id="no-such-user",
                contact_account_id="nobody-either",
                category_key="NOCAT",
                customer_key="NOCUST",
            )
        )
    assert caught.value.messages == [
        "Lead with accountId 'no-such-user' not found",
        "Contact with accountId 'nobody-either' not found",
        "Category 'NOCAT' not found",
        "Customer 'NOCUST' not found",
    ]
    assert caught.value.method == "POST"
    assert caught.value.url == f"{emu.base_url}/accounts"
    assert emu.state.accounts == before


async def test_account_blank_fields_are_400_with_every_message(
    tempo: TempoClient, emu: Emulator
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.accounts.create(_account_input(emu, key="  ", name=""))
    assert caught.value.messages == ["Account key cannot be blank", "Account name cannot be blank"]


async def test_account_missing_field_is_refused_before_sending(
    tempo: TempoClient, emu: Emulator
) -> None:
    with pytest.raises(ValueError, match="leadAccountId"):
        await tempo.accounts.create({"key": "X", "name": "X", "status": "OPEN"})  # type: ignore[arg-type]
    assert emu.stats.requests == 0


async def test_account_update_and_delete_of_unknown_key_are_404(
    tempo: TempoClient, emu: Emulator
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await tempo.accounts.update("NOPE", _account_input(emu, key="NOPE"))
    assert caught.value.messages == ["Account not found"]
    with pytest.raises(NotFoundError) as caught:
        await tempo.accounts.delete("NOPE")
    assert caught.value.messages == ["Account not found"]


async def test_account_accepts_a_plain_json_dict(tempo: TempoClient, emu: Emulator) -> None:
    body = {
        "key": "DICT-1",
        "name": "From a dict",
        "status": "OPEN",
        "leadAccountId": user_ids(emu)[3],
    }
    created = await tempo.accounts.create(body)  # type: ignore[arg-type]
    assert created.key == "DICT-1"
    assert emu.state.accounts["DICT-1"]["leadAccountId"] == user_ids(emu)[3]


# -- account categories ---------------------------------------------------------------------


async def test_category_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    created = await tempo.account_categories.create(
        CategoryInput(key="RESEARCH", name="Research", type_name="CAPITALIZED")
    )
    assert created.key == "RESEARCH"
    assert created.id == emu.state.categories["RESEARCH"]["id"]
    assert created.self_url == f"{emu.base_url}/account-categories/RESEARCH"
    assert created.type.name == "CAPITALIZED"
    assert await tempo.account_categories.get("RESEARCH") == created

    updated = await tempo.account_categories.update(
        "RESEARCH", CategoryInput(key="RESEARCH", name="R&D", type_name="INTERNAL")
    )
    assert (updated.id, updated.name, updated.type.name) == (created.id, "R&D", "INTERNAL")
    assert await tempo.account_categories.get("RESEARCH") == updated

    assert await tempo.account_categories.delete("RESEARCH") is None
    with pytest.raises(NotFoundError) as caught:
        await tempo.account_categories.get("RESEARCH")
    assert caught.value.messages == ["Invalid category key"]


async def test_category_rename_follows_into_accounts(tempo: TempoClient, emu: Emulator) -> None:
    users_of_dev = [k for k, r in emu.state.accounts.items() if r.get("categoryKey") == "DEV"]
    renamed = await tempo.account_categories.update(
        "DEV", CategoryInput(key="DEVELOPMENT", name="Development")
    )
    assert renamed.key == "DEVELOPMENT"
    account = await tempo.accounts.get(users_of_dev[0])
    assert account.category is not None and account.category.key == "DEVELOPMENT"


async def test_category_list_and_id_filter(tempo: TempoClient, emu: Emulator) -> None:
    categories = await tempo.account_categories.list()
    expected = sorted(emu.state.categories.values(), key=lambda r: r["id"])
    assert [(c.key, c.id, c.name, c.type.name) for c in categories] == [
        (r["key"], r["id"], r["name"], r["typeName"]) for r in expected
    ]
    one = await tempo.account_categories.list(id=expected[2]["id"])
    assert [c.key for c in one] == [expected[2]["key"]]


async def test_category_duplicate_is_400_and_unknown_is_404(
    tempo: TempoClient, emu: Emulator
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.account_categories.create(CategoryInput(key="DEV", name="Again"))
    assert caught.value.messages == ["Category with this key already exists"]
    with pytest.raises(NotFoundError) as caught:
        await tempo.account_categories.update("NOPE", CategoryInput(key="NOPE", name="x"))
    assert caught.value.messages == ["Invalid category key"]
    with pytest.raises(NotFoundError):
        await tempo.account_categories.delete("NOPE")


async def test_category_types_list(tempo: TempoClient) -> None:
    types = await tempo.account_category_types.list()
    assert [t.name for t in types] == ["BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL"]
