"""Account categories (#6-10), category types (#11) and customers (#12-17)."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import Api


async def test_category_round_trip(api: Api, emu: Emulator) -> None:
    created = await api.post(
        "/account-categories", {"key": "NEWCAT", "name": "New", "typeName": "INTERNAL"}
    )
    assert created.status == 200
    assert created.body["self"] == f"{emu.base_url}/account-categories/NEWCAT"
    assert created.body["type"] == {"name": "INTERNAL"}
    assert (await api.get("/account-categories/NEWCAT")).body == created.body
    updated = await api.put("/account-categories/NEWCAT", {"key": "NEWCAT", "name": "Renamed"})
    assert updated.body["name"] == "Renamed"
    assert updated.body["type"] == {"name": "BILLABLE"}
    assert (await api.delete("/account-categories/NEWCAT")).status == 204
    missing = await api.get("/account-categories/NEWCAT")
    assert missing.status == 404
    assert missing.messages == ["Invalid category key"]


async def test_category_duplicate_key_and_missing_name_are_400(api: Api) -> None:
    duplicate = await api.post("/account-categories", {"key": "DEV", "name": "Again"})
    assert duplicate.status == 400
    assert duplicate.messages == ["Category with this key already exists"]
    missing = await api.post("/account-categories", {"key": "X"})
    assert missing.status == 400
    assert missing.messages == ["Field 'name' is required"]


async def test_category_list_filters_by_id(api: Api, emu: Emulator) -> None:
    everything = (await api.get("/account-categories")).body
    assert everything["metadata"]["count"] == len(emu.state.categories)
    wanted = emu.state.categories["CAPEX"]["id"]
    only = (await api.get("/account-categories", id=wanted)).body
    assert [c["key"] for c in only["results"]] == ["CAPEX"]
    assert (await api.get("/account-categories", id="abc")).status == 400


async def test_renaming_a_category_shows_in_its_accounts(api: Api, emu: Emulator) -> None:
    account_key = next(k for k, a in emu.state.accounts.items() if a.get("categoryKey") == "DEV")
    await api.put("/account-categories/DEV", {"key": "DEVELOPMENT", "name": "Development"})
    account = (await api.get(f"/accounts/{account_key}")).body
    assert account["category"]["key"] == "DEVELOPMENT"
    assert account["category"]["self"] == f"{emu.base_url}/account-categories/DEVELOPMENT"


async def test_category_types_are_the_four_fixed_ones(api: Api, emu: Emulator) -> None:
    reply = await api.get("/account-category-types")
    assert reply.body == {
        "self": f"{emu.base_url}/account-category-types",
        "metadata": {"count": 4},
        "results": [
            {"name": "BILLABLE"},
            {"name": "CAPITALIZED"},
            {"name": "INTERNAL"},
            {"name": "OPERATIONAL"},
        ],
    }


async def test_customer_round_trip(api: Api, emu: Emulator) -> None:
    created = await api.post("/customers", {"key": "NEWCO", "name": "New Co"})
    assert created.status == 200
    assert created.body == {
        "self": f"{emu.base_url}/customers/NEWCO",
        "key": "NEWCO",
        "id": created.body["id"],
        "name": "New Co",
    }
    assert (await api.get("/customers/NEWCO")).body == created.body
    renamed = await api.put("/customers/NEWCO", {"key": "NEWCO", "name": "Newer Co"})
    assert renamed.body["name"] == "Newer Co"
    assert (await api.delete("/customers/NEWCO")).status == 204
    missing = await api.get("/customers/NEWCO")
    assert (missing.status, missing.messages) == (404, ["Invalid customer key"])


async def test_customer_duplicate_key_is_400(api: Api) -> None:
    reply = await api.post("/customers", {"key": "ACME", "name": "Another Acme"})
    assert reply.status == 400
    assert reply.messages == ["Customer with this key already exists"]


async def test_customer_list_and_id_filter(api: Api, emu: Emulator) -> None:
    assert (await api.get("/customers")).body["metadata"]["count"] == len(emu.state.customers)
    wanted = emu.state.customers["GLOBEX"]["id"]
    only = (await api.get("/customers", id=wanted)).body["results"]
    assert [c["key"] for c in only] == ["GLOBEX"]


async def test_customer_accounts_lists_only_that_customers_accounts(
    api: Api, emu: Emulator
) -> None:
    reply = await api.get("/customers/ACME/accounts")
    assert reply.status == 200
    assert reply.body["self"] == f"{emu.base_url}/customers/ACME/accounts"
    expected = sorted(k for k, a in emu.state.accounts.items() if a.get("customerKey") == "ACME")
    assert sorted(a["key"] for a in reply.body["results"]) == expected
    assert {a["customer"]["key"] for a in reply.body["results"]} == {"ACME"}
    assert (await api.get("/customers/NOPE/accounts")).status == 404


async def test_deleting_a_customer_detaches_its_accounts(api: Api, emu: Emulator) -> None:
    account_key = next(k for k, a in emu.state.accounts.items() if a.get("customerKey") == "ACME")
    assert (await api.delete("/customers/ACME")).status == 204
    account = (await api.get(f"/accounts/{account_key}")).body
    assert "customer" not in account
