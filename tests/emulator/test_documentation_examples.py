"""Every request example of the v3 documentation (tests/examples/*_request.json) succeeds,
as written, against a fresh emulator: the seed holds the users, issues, categories,
customers, teams, programs and roles the examples name (issue 14.7).

A PUT example updates what the matching POST example created; a timesheet approval
example acts on a timesheet in the state that action needs.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tempo_async.emulator import Emulator
from tests.cli.test_export_command import EmulatorThread
from tests.conftest import load_example

TOKEN = "docs"
PERIOD = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with EmulatorThread(worklogs=50, seed=1) as emulator:
        yield emulator


def send(emu: Emulator, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One request to the v3 API: (status, decoded JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        emu.base_url + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw.strip() else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def create(emu: Emulator, path: str, example: str) -> Any:
    status, body = send(emu, "POST", path, load_example(example))
    assert status == 200, (example, body)
    return body


CREATED = [
    ("002_POST_accounts_request.json", "/accounts"),
    ("003_POST_accounts_request.json", "/accounts"),
    ("020_POST_account-categories_request.json", "/account-categories"),
    ("038_POST_customers_request.json", "/customers"),
    ("057_POST_plans_request.json", "/plans"),
    ("073_POST_programs_request.json", "/programs"),
    ("090_POST_roles_request.json", "/roles"),
    ("104_POST_teams_request.json", "/teams"),
    ("135_POST_team-memberships_request.json", "/team-memberships"),
    ("172_POST_worklogs_request.json", "/worklogs"),
]


@pytest.mark.parametrize(("example", "path"), CREATED, ids=[c[0][:3] for c in CREATED])
def test_each_create_example_succeeds(emu: Emulator, example: str, path: str) -> None:
    create(emu, path, example)


UPDATED = [
    ("013_PUT_accounts-key_request.json", "002", "/accounts", "key"),
    ("029_PUT_account-categories-key_request.json", "020", "/account-categories", "key"),
    ("047_PUT_customers-key_request.json", "038", "/customers", "key"),
    ("063_PUT_plans-id_request.json", "057", "/plans", "id"),
    ("080_PUT_programs-id_request.json", "073", "/programs", "id"),
    ("097_PUT_roles-id_request.json", "090", "/roles", "id"),
    ("113_PUT_teams-id_request.json", "104", "/teams", "id"),
    ("142_PUT_team-memberships-id_request.json", "135", "/team-memberships", "id"),
    ("179_PUT_worklogs-worklogId_request.json", "172", "/worklogs", "tempoWorklogId"),
]


@pytest.mark.parametrize(
    ("example", "created_by", "path", "key"), UPDATED, ids=[u[0][:3] for u in UPDATED]
)
def test_each_update_example_succeeds_on_what_its_create_example_made(
    emu: Emulator, example: str, created_by: str, path: str, key: str
) -> None:
    post = next(name for name, _ in CREATED if name.startswith(created_by))
    made = create(emu, path, post)
    status, body = send(emu, "PUT", f"{path}/{made[key]}", load_example(example))
    assert status == 200, (example, body)


APPROVALS = [
    ("159_POST_timesheet-approvals-user-accountId-submit_request.json", "submit", ()),
    ("153_POST_timesheet-approvals-user-accountId-approve_request.json", "approve", ("submit",)),
    ("155_POST_timesheet-approvals-user-accountId-reject_request.json", "reject", ("submit",)),
    (
        "157_POST_timesheet-approvals-user-accountId-reopen_request.json",
        "reopen",
        ("submit", "approve"),
    ),
]


@pytest.mark.parametrize(("example", "action", "before"), APPROVALS, ids=[a[1] for a in APPROVALS])
def test_each_approval_example_succeeds(
    emu: Emulator, example: str, action: str, before: tuple[str, ...]
) -> None:
    user = "1111aaaa2222bbbb3333cccc"
    for step in before:
        action_body = {"comment": step}
        if step == "submit":
            action_body = load_example(APPROVALS[0][0])
        status, body = send(
            emu, "POST", f"/timesheet-approvals/user/{user}/{step}?{PERIOD}", action_body
        )
        assert status == 200, (step, body)
    status, body = send(
        emu, "POST", f"/timesheet-approvals/user/{user}/{action}?{PERIOD}", load_example(example)
    )
    assert status == 200, (example, body)
