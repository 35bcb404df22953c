"""Request and response bodies checked against the project's JSON Schemas."""

from __future__ import annotations

import pytest

from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.emulator import SCHEMA_FILE
from tempo_async.emulator.validation import ResponseValidationError, SchemaValidator

from .helpers import Api


@pytest.fixture(scope="module")
def validator() -> SchemaValidator:
    return SchemaValidator(SCHEMA_FILE)


def test_the_emulator_validates_against_the_generated_bundle(validator: SchemaValidator) -> None:
    for name in ("Worklog", "WorklogInput", "Account", "AccountInput", "Team", "WorklogPage"):
        assert validator.has(name)


def test_missing_required_properties_get_one_message_each(validator: SchemaValidator) -> None:
    assert validator.errors("CustomerInput", {}) == [
        "Field 'key' is required",
        "Field 'name' is required",
    ]


def test_wrong_types_and_formats_are_reported(validator: SchemaValidator) -> None:
    good = {
        "issueKey": "A-1",
        "timeSpentSeconds": 60,
        "startDate": "2025-01-01",
        "startTime": "08:00:00",
        "authorAccountId": "x",
    }
    assert validator.errors("WorklogInput", good) == []
    assert validator.errors("WorklogInput", {**good, "timeSpentSeconds": "60"}) == [
        "timeSpentSeconds must be number"
    ]
    assert validator.errors("WorklogInput", {**good, "startTime": "08:00"}) == [
        "startTime must be time"
    ]
    assert validator.errors("WorklogInput", {**good, "startDate": "2025-1-1"}) == [
        "startDate must be date"
    ]
    assert validator.errors("WorklogInput", []) == ["body must be object"]


def test_unknown_definitions_are_not_checked(validator: SchemaValidator) -> None:
    assert validator.errors("NotYetTranscribed", {"anything": 1}) == []


def test_invalid_responses_raise(validator: SchemaValidator) -> None:
    with pytest.raises(ResponseValidationError, match="not a valid Role"):
        validator.check_response("Role", {"id": "1"})


async def test_a_body_that_is_not_json_is_400(api: Api) -> None:
    reply = await api.call(
        "POST", "/roles", headers={"Content-Type": "application/json"}, json=None
    )
    assert reply.status == 400
    raw = await api.session.post(
        f"{api.base_url}/roles", data=b"{not json", headers={"Authorization": "Bearer t"}
    )
    async with raw:
        assert raw.status == 400
        body = await raw.json()
    assert body["errors"][0]["message"].startswith("Request body is not valid JSON")
    array = await api.post("/roles", [1, 2])
    assert (array.status, array.messages) == (400, ["Request body must be a JSON object"])


async def test_a_response_that_breaks_the_schema_is_a_500(api: Api, emu: Emulator) -> None:
    emu.state.roles[1]["default"] = "yes"
    reply = await api.get("/roles/1")
    assert reply.status == 500
    assert "Emulator produced an invalid response" in reply.messages[0]


async def test_response_validation_can_be_switched_off(api: Api) -> None:
    async with Emulator(validate_responses=False) as emu:
        emu.state.roles[1]["default"] = "yes"
        plain = Api(api.session, emu.base_url)
        assert (await plain.get("/roles/1")).status == 200
