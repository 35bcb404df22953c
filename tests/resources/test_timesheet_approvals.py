"""`tempo.timesheet_approvals` (#49-56)."""

from __future__ import annotations

from datetime import date

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import TimesheetApproval, User
from tests.conftest import load_example
from tests.resources._support import ACCOUNT_ID, ACCOUNT_ID_QUOTED, Api, same_json

JOHN = "1111aaaa2222bbbb3333cccc"
USER_PATH = f"/timesheet-approvals/user/{ACCOUNT_ID_QUOTED}"
DECEMBER = {"from": "2017-12-01", "to": "2017-12-31"}


async def test_waiting(client: TempoClient, api: Api) -> None:
    answer = load_example("150_GET_timesheet-approvals-waiting_200.json")
    api.add("GET", "/timesheet-approvals/waiting", payload=answer)

    approvals = await client.timesheet_approvals.waiting()

    api.expect("GET", "/timesheet-approvals/waiting")
    assert len(approvals) == 2
    assert all(isinstance(a, TimesheetApproval) for a in approvals)
    assert approvals[0].status.key == "IN_REVIEW"
    assert approvals[0].period.from_ == date(2016, 12, 1)
    assert all(same_json(a, r) for a, r in zip(approvals, answer["results"], strict=True))


async def test_get_current_period(client: TempoClient, api: Api) -> None:
    answer = load_example("151_GET_timesheet-approvals-user-accountId_200.json")
    api.add("GET", USER_PATH, payload=answer)

    approval = await client.timesheet_approvals.get(ACCOUNT_ID)

    api.expect("GET", USER_PATH)
    assert approval.status.key == "APPROVED"
    assert approval.status.comment == "Approved! Great job!!"
    assert approval.user.account_id == ACCOUNT_ID
    assert same_json(approval, answer)


async def test_get_for_a_period(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        USER_PATH,
        payload=load_example("151_GET_timesheet-approvals-user-accountId_200.json"),
    )

    await client.timesheet_approvals.get(ACCOUNT_ID, from_=date(2017, 12, 1), to="2017-12-31")

    api.expect("GET", USER_PATH, DECEMBER)


async def test_reviewers(client: TempoClient, api: Api) -> None:
    answer = load_example("152_GET_timesheet-approvals-user-accountId-reviewers_200.json")
    api.add("GET", f"/timesheet-approvals/user/{JOHN}/reviewers", payload=answer)

    reviewers = await client.timesheet_approvals.reviewers(JOHN)

    api.expect("GET", f"/timesheet-approvals/user/{JOHN}/reviewers")
    assert all(isinstance(u, User) for u in reviewers)
    assert [u.account_id for u in reviewers] == [JOHN, ACCOUNT_ID]


@pytest.mark.parametrize(
    ("action", "request_example", "answer_example", "status"),
    [
        (
            "approve",
            "153_POST_timesheet-approvals-user-accountId-approve_request.json",
            "154_POST_timesheet-approvals-user-accountId-approve_200.json",
            "APPROVED",
        ),
        (
            "reject",
            "155_POST_timesheet-approvals-user-accountId-reject_request.json",
            "156_POST_timesheet-approvals-user-accountId-reject_200.json",
            "OPEN",
        ),
        (
            "reopen",
            "157_POST_timesheet-approvals-user-accountId-reopen_request.json",
            "158_POST_timesheet-approvals-user-accountId-reopen_200.json",
            "OPEN",
        ),
    ],
)
async def test_review_actions(
    client: TempoClient,
    api: Api,
    action: str,
    request_example: str,
    answer_example: str,
    status: str,
) -> None:
    answer = load_example(answer_example)
    api.add("POST", f"{USER_PATH}/{action}", payload=answer)
    body = load_example(request_example)

    approval = await getattr(client.timesheet_approvals, action)(
        ACCOUNT_ID, from_=date(2017, 12, 1), to=date(2017, 12, 31), comment=body["comment"]
    )

    api.expect("POST", f"{USER_PATH}/{action}", DECEMBER, body=body)
    assert isinstance(approval, TimesheetApproval)
    assert approval.status.key == status
    assert same_json(approval, answer)


@pytest.mark.parametrize("action", ["approve", "reject", "reopen"])
async def test_review_actions_without_comment_send_an_empty_object(
    client: TempoClient, api: Api, action: str
) -> None:
    api.add(
        "POST",
        f"{USER_PATH}/{action}",
        payload=load_example("154_POST_timesheet-approvals-user-accountId-approve_200.json"),
    )

    await getattr(client.timesheet_approvals, action)(
        ACCOUNT_ID, from_="2017-12-01", to="2017-12-31"
    )

    api.expect("POST", f"{USER_PATH}/{action}", DECEMBER, body={})


async def test_submit(client: TempoClient, api: Api) -> None:
    answer = load_example("160_POST_timesheet-approvals-user-accountId-submit_200.json")
    api.add("POST", f"{USER_PATH}/submit", payload=answer)
    body = load_example("159_POST_timesheet-approvals-user-accountId-submit_request.json")

    approval = await client.timesheet_approvals.submit(
        ACCOUNT_ID,
        from_="2017-12-01",
        to="2017-12-31",
        reviewer_account_id=body["reviewerAccountId"],
        comment=body["comment"],
    )

    api.expect("POST", f"{USER_PATH}/submit", DECEMBER, body=body)
    assert approval.status.key == "IN_REVIEW"
    assert approval.reviewer is not None and approval.reviewer.account_id == JOHN
    assert same_json(approval, answer)


async def test_submit_without_comment(client: TempoClient, api: Api) -> None:
    api.add(
        "POST",
        f"{USER_PATH}/submit",
        payload=load_example("160_POST_timesheet-approvals-user-accountId-submit_200.json"),
    )

    await client.timesheet_approvals.submit(
        ACCOUNT_ID, from_="2017-12-01", to="2017-12-31", reviewer_account_id=JOHN
    )

    api.expect("POST", f"{USER_PATH}/submit", DECEMBER, body={"reviewerAccountId": JOHN})


async def test_for_team(client: TempoClient, api: Api) -> None:
    answer = load_example("161_GET_timesheet-approvals-team-teamId_200.json")
    api.add("GET", "/timesheet-approvals/team/1", payload=answer)

    approvals = await client.timesheet_approvals.for_team(1, from_="2017-12-01", to="2017-12-31")

    api.expect("GET", "/timesheet-approvals/team/1", DECEMBER)
    assert len(approvals) == 2
    assert approvals[0].time_spent_seconds == 360000
    assert all(same_json(a, r) for a, r in zip(approvals, answer["results"], strict=True))


async def test_for_team_current_period(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/timesheet-approvals/team/1",
        payload=load_example("161_GET_timesheet-approvals-team-teamId_200.json"),
    )

    await client.timesheet_approvals.for_team(1)

    api.expect("GET", "/timesheet-approvals/team/1")


# -- errors ---------------------------------------------------------------------------


async def test_for_team_404(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/timesheet-approvals/team/9",
        status=404,
        payload=load_example("162_GET_timesheet-approvals-team-teamId_404.json"),
    )

    with pytest.raises(NotFoundError) as caught:
        await client.timesheet_approvals.for_team(9)

    assert caught.value.messages == ["Team not found"]


async def test_approve_400(client: TempoClient, api: Api) -> None:
    api.add(
        "POST",
        f"{USER_PATH}/approve",
        status=400,
        payload=load_example("174_POST_worklogs_400.json"),
    )

    with pytest.raises(BadRequestError) as caught:
        await client.timesheet_approvals.approve(ACCOUNT_ID, from_="2017-12-01", to="2017-12-31")

    assert len(caught.value.messages) == 3


async def test_waiting_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/timesheet-approvals/waiting",
        status=403,
        payload=load_example("009_GET_accounts_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.timesheet_approvals.waiting()


# -- bad input ------------------------------------------------------------------------

DEC = {"from_": "2017-12-01", "to": "2017-12-31"}


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.timesheet_approvals.get(""), ValueError, "account_id must not be empty"),
        (lambda t: t.timesheet_approvals.get(5), TypeError, "account_id must be a string"),
        (
            lambda t: t.timesheet_approvals.get(ACCOUNT_ID, from_="2017-12-31", to="2017-12-01"),
            ValueError,
            "is after to",
        ),
        (
            lambda t: t.timesheet_approvals.get(ACCOUNT_ID, to="2017-12"),
            ValueError,
            "to must be an ISO date",
        ),
        (lambda t: t.timesheet_approvals.reviewers(None), TypeError, "account_id must be a string"),
        (
            lambda t: t.timesheet_approvals.approve(ACCOUNT_ID, from_=None, to="2017-12-31"),
            TypeError,
            "from_ is required",
        ),
        (
            lambda t: t.timesheet_approvals.approve(ACCOUNT_ID, from_="2017-12-01", to=None),
            TypeError,
            "to is required",
        ),
        (
            lambda t: t.timesheet_approvals.approve(
                ACCOUNT_ID, from_="2017-12-31", to="2017-12-01"
            ),
            ValueError,
            "is after to",
        ),
        (
            lambda t: t.timesheet_approvals.approve(ACCOUNT_ID, comment=5, **DEC),
            TypeError,
            "comment must be a string",
        ),
        (
            lambda t: t.timesheet_approvals.approve("", **DEC),
            ValueError,
            "account_id must not be empty",
        ),
        (
            lambda t: t.timesheet_approvals.reject(ACCOUNT_ID, from_="2017-12-1", to="2017-12-31"),
            ValueError,
            "from_ must be an ISO date",
        ),
        (
            lambda t: t.timesheet_approvals.reopen(7, **DEC),
            TypeError,
            "account_id must be a string",
        ),
        (
            lambda t: t.timesheet_approvals.submit(ACCOUNT_ID, reviewer_account_id="", **DEC),
            ValueError,
            "reviewer_account_id must not be empty",
        ),
        (
            lambda t: t.timesheet_approvals.submit(ACCOUNT_ID, reviewer_account_id=None, **DEC),
            TypeError,
            "reviewer_account_id must be a string",
        ),
        (
            lambda t: t.timesheet_approvals.submit(
                ACCOUNT_ID, from_=None, to="2017-12-31", reviewer_account_id=JOHN
            ),
            TypeError,
            "from_ is required",
        ),
        (
            lambda t: t.timesheet_approvals.submit(
                ACCOUNT_ID, reviewer_account_id=JOHN, comment=["x"], **DEC
            ),
            TypeError,
            "comment must be a string",
        ),
        (
            lambda t: t.timesheet_approvals.for_team("team", **DEC),
            ValueError,
            "team_id must be a number",
        ),
        (
            lambda t: t.timesheet_approvals.for_team(1, from_="2018-01-01", to="2017-12-31"),
            ValueError,
            "is after to",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.timesheet_approvals.approve(ACCOUNT_ID),
        lambda t: t.timesheet_approvals.reject(ACCOUNT_ID, comment="no"),
        lambda t: t.timesheet_approvals.reopen(ACCOUNT_ID),
        lambda t: t.timesheet_approvals.submit(ACCOUNT_ID, reviewer_account_id=JOHN),
    ],
)
async def test_actions_require_the_period(client: TempoClient, api: Api, call: object) -> None:
    with pytest.raises(TypeError, match="from_"):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}


async def test_submit_requires_a_reviewer(client: TempoClient, api: Api) -> None:
    with pytest.raises(TypeError, match="reviewer_account_id"):
        await client.timesheet_approvals.submit(ACCOUNT_ID, **DEC)  # type: ignore[call-arg]

    assert api.mock.requests == {}
