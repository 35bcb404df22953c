"""Customers (#12-17) against the emulator."""

from __future__ import annotations

import pytest

from tempo_async import (
    AccountInput,
    BadRequestError,
    Customer,
    CustomerInput,
    NotFoundError,
    TempoClient,
)
from tempo_async.emulator import Emulator
from tests.integration.conftest import user_ids


async def test_customer_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    created = await tempo.customers.create(CustomerInput(key="HOOLI", name="Hooli"))
    assert isinstance(created, Customer)
    assert created.key == "HOOLI"
    assert created.id == emu.state.customers["HOOLI"]["id"]
    assert created.self_url == f"{emu.base_url}/customers/HOOLI"
    assert await tempo.customers.get("HOOLI") == created

    updated = await tempo.customers.update("HOOLI", CustomerInput(key="HOOLI", name="Hooli XYZ"))
    assert (updated.id, updated.name) == (created.id, "Hooli XYZ")
    assert await tempo.customers.get("HOOLI") == updated

    assert await tempo.customers.delete("HOOLI") is None
    assert "HOOLI" not in emu.state.customers
    with pytest.raises(NotFoundError) as caught:
        await tempo.customers.get("HOOLI")
    assert caught.value.messages == ["Invalid customer key"]


async def test_customer_list_and_id_filter(tempo: TempoClient, emu: Emulator) -> None:
    expected = sorted(emu.state.customers.values(), key=lambda r: r["id"])
    customers = await tempo.customers.list()
    assert [(c.key, c.id, c.name) for c in customers] == [
        (r["key"], r["id"], r["name"]) for r in expected
    ]
    only = await tempo.customers.list(id=expected[-1]["id"])
    assert [c.key for c in only] == [expected[-1]["key"]]
    assert await tempo.customers.list(id=999_999) == []


async def test_customer_accounts(tempo: TempoClient, emu: Emulator) -> None:
    expected = sorted(
        (r for r in emu.state.accounts.values() if r.get("customerKey") == "CLOUDBAY"),
        key=lambda r: r["id"],
    )
    assert len(expected) >= 2
    accounts = await tempo.customers.accounts("CLOUDBAY")
    assert [a.key for a in accounts] == [r["key"] for r in expected]
    assert all(a.customer is not None and a.customer.key == "CLOUDBAY" for a in accounts)

    await tempo.customers.create(CustomerInput(key="EMPTY", name="No accounts yet"))
    assert await tempo.customers.accounts("EMPTY") == []
    await tempo.accounts.create(
        AccountInput(
            key="EMPTY-1",
            name="First",
            status="OPEN",
            lead_account_id=user_ids(emu)[0],
            customer_key="EMPTY",
        )
    )
    assert [a.key for a in await tempo.customers.accounts("EMPTY")] == ["EMPTY-1"]

    with pytest.raises(NotFoundError) as caught:
        await tempo.customers.accounts("NO-SUCH-CUSTOMER")
    assert caught.value.messages == ["Invalid customer key"]


async def test_customer_delete_detaches_its_accounts(tempo: TempoClient, emu: Emulator) -> None:
    keys = [a.key for a in await tempo.customers.accounts("GLOBEX")]
    await tempo.customers.delete("GLOBEX")
    for key in keys:
        assert (await tempo.accounts.get(key)).customer is None


async def test_customer_errors(tempo: TempoClient, emu: Emulator) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.customers.create(CustomerInput(key="ACME", name="Acme again"))
    assert caught.value.messages == ["Customer with this key already exists"]
    with pytest.raises(BadRequestError) as caught:
        await tempo.customers.create(CustomerInput(key="", name=" "))
    assert caught.value.messages == [
        "Customer key cannot be blank",
        "Customer name cannot be blank",
    ]
    with pytest.raises(BadRequestError) as caught:
        await tempo.customers.update("ACME", CustomerInput(key="GLOBEX", name="Clash"))
    assert caught.value.messages == ["Customer with this key already exists"]
    with pytest.raises(NotFoundError):
        await tempo.customers.update("NOPE", CustomerInput(key="NOPE", name="x"))
    with pytest.raises(NotFoundError):
        await tempo.customers.delete("NOPE")
    with pytest.raises(ValueError, match="name"):
        await tempo.customers.create({"key": "NONAME"})  # type: ignore[arg-type]
    assert "NONAME" not in emu.state.customers


@pytest.mark.parametrize("key", ["ÄÖ KEY", "A+B", "a%2Fb", "x?y#z", "A:B;C", "A/B"])
async def test_customer_keys_that_need_quoting(tempo: TempoClient, emu: Emulator, key: str) -> None:
    created = await tempo.customers.create(CustomerInput(key=key, name="Odd key"))
    assert emu.state.customers[key]["id"] == created.id
    assert await tempo.customers.get(key) == created
    assert (await tempo.get_url(created.self_url))["key"] == key
    assert await tempo.customers.accounts(key) == []
    await tempo.customers.delete(key)
    assert key not in emu.state.customers
