"""Accounts (#1-5) and the account links list."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import Api


def account_input(emu: Emulator, key: str = "NEW-ACC", **extra: object) -> dict[str, object]:
    users = list(emu.state.users)
    return {
        "key": key,
        "name": "New account",
        "status": "OPEN",
        "leadAccountId": users[0],
        **extra,
    }


async def test_create_returns_the_full_account_with_links_on_the_emulator_origin(
    api: Api, emu: Emulator
) -> None:
    users = list(emu.state.users)
    body = account_input(
        emu, contactAccountId=users[1], categoryKey="DEV", customerKey="ACME", monthlyBudget=600.4
    )
    reply = await api.post("/accounts", body)
    assert reply.status == 200
    account = reply.body
    assert account["self"] == f"{emu.base_url}/accounts/NEW-ACC"
    assert account["links"] == {"self": f"{emu.base_url}/accounts/NEW-ACC/links"}
    assert isinstance(account["id"], int)
    assert account["global"] is False
    assert account["monthlyBudget"] == 600
    assert account["lead"]["accountId"] == users[0]
    assert account["lead"]["displayName"] == emu.state.users[users[0]]["displayName"]
    assert account["lead"]["self"].endswith(f"/rest/api/2/user?accountId={users[0]}")
    assert account["contact"]["type"] == "USER"
    assert account["contact"]["accountId"] == users[1]
    assert account["category"]["key"] == "DEV"
    assert account["category"]["type"] == {"name": "BILLABLE"}
    assert account["customer"]["self"] == f"{emu.base_url}/customers/ACME"


async def test_get_returns_what_was_created_and_put_changes_it(api: Api, emu: Emulator) -> None:
    created = (await api.post("/accounts", account_input(emu))).body
    assert (await api.get("/accounts/NEW-ACC")).body == created
    updated = await api.put(
        "/accounts/NEW-ACC",
        account_input(emu, name="Renamed", status="CLOSED", externalContactName="Ann Other"),
    )
    assert updated.status == 200
    assert updated.body["name"] == "Renamed"
    assert updated.body["status"] == "CLOSED"
    assert updated.body["contact"] == {"displayName": "Ann Other", "type": "EXTERNAL"}
    assert updated.body["id"] == created["id"]
    assert (await api.get("/accounts/NEW-ACC")).body == updated.body


async def test_delete_returns_204_and_a_later_get_404_with_the_error_body(
    api: Api, emu: Emulator
) -> None:
    await api.post("/accounts", account_input(emu))
    deleted = await api.delete("/accounts/NEW-ACC")
    assert deleted.status == 204
    assert deleted.body is None
    missing = await api.get("/accounts/NEW-ACC")
    assert missing.status == 404
    assert missing.body == {"errors": [{"message": "Account not found"}]}
    assert (await api.delete("/accounts/NEW-ACC")).status == 404
    assert (await api.put("/accounts/NEW-ACC", account_input(emu))).status == 404


async def test_duplicate_key_is_a_400(api: Api, emu: Emulator) -> None:
    existing = next(iter(emu.state.accounts))
    reply = await api.post("/accounts", account_input(emu, key=existing))
    assert reply.status == 400
    assert reply.messages == ["Account with this key already exists"]


async def test_unknown_references_are_reported_together(api: Api, emu: Emulator) -> None:
    body = account_input(emu, categoryKey="NOPE", customerKey="NADA")
    body["leadAccountId"] = "no-such-user"
    reply = await api.post("/accounts", body)
    assert reply.status == 400
    assert reply.messages == [
        "Lead with accountId 'no-such-user' not found",
        "Category 'NOPE' not found",
        "Customer 'NADA' not found",
    ]


async def test_missing_required_fields_are_a_400_naming_each(api: Api) -> None:
    reply = await api.post("/accounts", {"name": "x"})
    assert reply.status == 400
    assert reply.messages == [
        "Field 'key' is required",
        "Field 'status' is required",
        "Field 'leadAccountId' is required",
    ]


async def test_invalid_enum_is_a_400(api: Api, emu: Emulator) -> None:
    reply = await api.post("/accounts", account_input(emu, status="PAUSED"))
    assert reply.status == 400
    assert "status" in reply.messages[0]


async def test_list_filters_by_status(api: Api, emu: Emulator) -> None:
    everything = (await api.get("/accounts")).body
    assert everything["self"] == f"{emu.base_url}/accounts"
    assert everything["metadata"]["count"] == len(emu.state.accounts)
    closed = (await api.get("/accounts", status="CLOSED")).body
    assert closed["self"] == f"{emu.base_url}/accounts?status=CLOSED"
    assert closed["results"]
    assert {a["status"] for a in closed["results"]} == {"CLOSED"}
    expected = {k for k, a in emu.state.accounts.items() if a["status"] == "CLOSED"}
    assert {a["key"] for a in closed["results"]} == expected
    assert (await api.get("/accounts", status="SLEEPING")).status == 400


async def test_renaming_an_account_moves_its_worklogs(api: Api, emu: Emulator) -> None:
    old_key = next(
        k
        for k, a in emu.state.accounts.items()
        if a["status"] == "OPEN" and k in emu.state.worklogs.indexes["account"]
    )
    before = (await api.get(f"/worklogs/account/{old_key}", limit=1000)).body["results"]
    record = emu.state.accounts[old_key]
    body = {
        "key": "MOVED",
        "name": record["name"],
        "status": "OPEN",
        "leadAccountId": record["leadAccountId"],
    }
    assert (await api.put(f"/accounts/{old_key}", body)).status == 200
    assert (await api.get(f"/accounts/{old_key}")).status == 404
    after = (await api.get("/worklogs/account/MOVED", limit=1000)).body["results"]
    assert [w["tempoWorklogId"] for w in after] == [w["tempoWorklogId"] for w in before]
    assert all({"key": "_Account_", "value": "MOVED"} in w["attributes"]["values"] for w in after)


async def test_account_links_list_the_linked_projects(api: Api, emu: Emulator) -> None:
    key = next(iter(emu.state.accounts))
    reply = await api.get(f"/accounts/{key}/links")
    assert reply.status == 200
    assert reply.body["self"] == f"{emu.base_url}/accounts/{key}/links"
    assert reply.body["results"][0]["scope"]["type"] == "PROJECT"
