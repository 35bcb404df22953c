"""`tempo.programs` (#23-28)."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Program, ProgramInput, TeamRef
from tests.conftest import load_example
from tests.resources._support import Api, same_json, structure_example


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("071_GET_programs_200.json")
    api.add("GET", "/programs", payload=answer)

    programs = await client.programs.list()

    api.expect("GET", "/programs")
    assert [p.name for p in programs] == ["P1", "P2"]
    assert all(isinstance(p, Program) for p in programs)
    assert programs[0].teams.values[0].id == 101
    assert all(same_json(p, r) for p, r in zip(programs, answer["results"], strict=True))


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("074_POST_programs_200.json")
    api.add("POST", "/programs", payload=answer)

    program = await client.programs.create(
        structure_example("073_POST_programs_request.json", ProgramInput)
    )

    api.expect("POST", "/programs", body=load_example("073_POST_programs_request.json"))
    assert program.id == answer["id"]
    assert program.manager is not None
    assert same_json(program, answer)


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("077_GET_programs-id_200.json")
    api.add("GET", "/programs/1", payload=answer)

    program = await client.programs.get(1)

    api.expect("GET", "/programs/1")
    assert same_json(program, answer)


async def test_get_accepts_a_string_of_digits(client: TempoClient, api: Api) -> None:
    api.add("GET", "/programs/1", payload=load_example("077_GET_programs-id_200.json"))

    await client.programs.get("1")

    api.expect("GET", "/programs/1")


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("081_PUT_programs-id_200.json")
    api.add("PUT", "/programs/1", payload=answer)

    program = await client.programs.update(
        1, structure_example("080_PUT_programs-id_request.json", ProgramInput)
    )

    api.expect("PUT", "/programs/1", body=load_example("080_PUT_programs-id_request.json"))
    assert same_json(program, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/programs/1", status=204)

    assert await client.programs.delete(1) is None

    api.expect("DELETE", "/programs/1")


async def test_teams(client: TempoClient, api: Api) -> None:
    answer = load_example("087_GET_programs-id-teams_200.json")
    api.add("GET", "/programs/3/teams", payload=answer)

    teams = await client.programs.teams(3)

    api.expect("GET", "/programs/3/teams")
    assert all(isinstance(t, TeamRef) for t in teams)
    assert [(t.id, t.name) for t in teams] == [(12, "Design"), (43, "Analyst")]


# -- errors ---------------------------------------------------------------------------


async def test_update_400(client: TempoClient, api: Api) -> None:
    error = load_example("082_PUT_programs-id_400.json")
    api.add("PUT", "/programs/1", status=400, payload=error)

    with pytest.raises(BadRequestError) as caught:
        await client.programs.update(1, load_example("080_PUT_programs-id_request.json"))

    assert caught.value.messages == [e["message"] for e in error["errors"]]


async def test_get_404(client: TempoClient, api: Api) -> None:
    api.add("GET", "/programs/5", status=404, payload=load_example("079_GET_programs-id_404.json"))

    with pytest.raises(NotFoundError):
        await client.programs.get(5)


async def test_list_403(client: TempoClient, api: Api) -> None:
    api.add("GET", "/programs", status=403, payload=load_example("072_GET_programs_403.json"))

    with pytest.raises(ForbiddenError):
        await client.programs.list()


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.programs.get("P1"), ValueError, "id must be a number"),
        (lambda t: t.programs.get(-3), ValueError, "id must not be negative"),
        (lambda t: t.programs.teams(None), TypeError, "id must be an int"),
        (lambda t: t.programs.delete(False), TypeError, "id must be an int"),
        (lambda t: t.programs.create(42), TypeError, "program must be a ProgramInput"),
        (
            lambda t: t.programs.create({"name": "P1", "teamIds": ["101"]}),
            ValueError,
            "program is not a valid ProgramInput: teamIds",
        ),
        (
            lambda t: t.programs.update(1, {"managerAccountId": "x"}),
            ValueError,
            "program is not a valid ProgramInput: name",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
