"""Deterministic seed data: a consistent Tempo instance from `(seed, worklogs, today)`.

Users, Jira projects and issues, saved filters, customers, categories, accounts (with
project links), roles, teams (with leads, permissions and project links), programs,
memberships, plans, work attributes, a few timesheet approvals and `worklogs` worklogs
on the working days of the 365 days before `today`. Every worklog's author is a member
of some team on its date, and its `_Account_` attribute names an existing open account.
The amount of reference data grows with the number of worklogs (1,000,000 worklogs:
about 400 users in 50 teams logging on 1,600 issues).
"""

from __future__ import annotations

import gc
import random
from array import array
from dataclasses import dataclass
from datetime import date, timedelta

from tempo_async.emulator.v3.calendar import add_months, days, period_of, required_total
from tempo_async.emulator.v3.state import CATEGORY_TYPES, PERMISSION_KEYS, Record, V3State
from tempo_async.emulator.v3.worklog_store import ACCOUNT_ATTRIBUTE

FIRST_NAMES = [
    "Erica",
    "John",
    "Judy",
    "Amir",
    "Beatriz",
    "Chen",
    "Dmitri",
    "Fatima",
    "Gustav",
    "Hana",
    "Ines",
    "Jamal",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomoko",
    "Uma",
    "Victor",
    "Wanda",
    "Xavier",
    "Yara",
    "Zoltan",
]
LAST_NAMES = [
    "Jefferson",
    "Brown",
    "Simpson",
    "Haddad",
    "Costa",
    "Wei",
    "Ivanov",
    "Khan",
    "Larsen",
    "Sato",
    "Ferreira",
    "Okafor",
    "Mensah",
    "Novak",
    "Rossi",
    "Petrova",
    "Lind",
    "Sharma",
    "Dubois",
    "Garcia",
    "Berg",
    "Tanaka",
    "Iyer",
    "Moreau",
    "Kowalski",
    "Silva",
    "Nagy",
]
PROJECTS = (
    ("PLAT", "Platform"),
    ("WEB", "Website"),
    ("MOB", "Mobile App"),
    ("DATA", "Data Warehouse"),
    ("OPS", "Operations"),
    ("SUP", "Customer Support"),
    ("SEC", "Security"),
    ("INT", "Integrations"),
    ("BILL", "Billing"),
    ("SRCH", "Search"),
    ("ML", "Machine Learning"),
    ("DOCS", "Documentation"),
    ("QA", "Quality Assurance"),
    ("HR", "People Ops"),
    ("FIN", "Finance"),
    ("MKT", "Marketing"),
)
CUSTOMERS = (
    ("CLOUDBAY", "CloudBay"),
    ("GREENCLOUD", "GreenCloud"),
    ("ACME", "Acme Corporation"),
    ("GLOBEX", "Globex"),
    ("INITECH", "Initech"),
    ("UMBRELLA", "Umbrella Health"),
    ("STARK", "Stark Industries"),
    ("WAYNE", "Wayne Enterprises"),
)
CATEGORIES = (
    ("DEV", "Development", "BILLABLE"),
    ("CAPEX", "Capital Expenses", "CAPITALIZED"),
    ("INTERNAL", "Internal", "INTERNAL"),
    ("OPEX", "Operations", "OPERATIONAL"),
    ("SUPPORT", "Support", "BILLABLE"),
)
ACCOUNT_SUFFIXES = ("DEV", "MAINT", "CAPEX", "SUPPORT", "RND", "OPS")
TEAM_WORDS = [
    "Alpha",
    "Bravo",
    "Comet",
    "Delta",
    "Ember",
    "Falcon",
    "Gamma",
    "Harbor",
    "Indigo",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quartz",
    "Raven",
    "Summit",
    "Tundra",
    "Umber",
    "Vertex",
    "Willow",
    "Zenith",
]
ROLES = ("Engineer", "Tester", "Manager")
"""Seeded roles (not "Developer": the spec's role example creates that one)."""
DURATIONS = (900, 1800, 2700, 3600, 3600, 5400, 7200, 7200, 10800, 14400)
START_TIMES = tuple(f"{h:02d}:{m:02d}:00" for h in range(8, 18) for m in (0, 15, 30, 45))
DESCRIPTIONS = (
    "Investigating a problem with our external database system",
    "Code review",
    "Daily stand-up",
    "Sprint planning",
    "Pairing on the release",
    "Fixing flaky tests",
    "Writing documentation",
    "Customer call",
    "Refactoring the importer",
    "Performance profiling",
    "Deploying to staging",
    "Triage of incoming bugs",
    "Design discussion",
    "Updating dependencies",
    "On-call follow-up",
    "",
)
COLORS = ("red", "green", "blue", "yellow", "pink")


@dataclass(frozen=True)
class SeedSize:
    """How much reference data to create."""

    users: int
    projects: int
    issues_per_project: int
    accounts: int
    teams: int
    programs: int

    @classmethod
    def for_worklogs(cls, worklogs: int) -> SeedSize:
        """Grow the reference data with the number of worklogs."""
        users = min(1000, 12 + worklogs // 2500)
        projects = min(len(PROJECTS), 6 + worklogs // 100_000)
        teams = max(3, users // 8)
        return cls(
            users=users,
            projects=projects,
            issues_per_project=min(400, 30 + worklogs // 10_000),
            accounts=min(200, 12 + users // 10),
            teams=teams,
            programs=max(2, teams // 10),
        )


def _account_id(rng: random.Random, n: int) -> str:
    if n % 4 == 1:
        uuid = f"{rng.getrandbits(128):032x}"
        return f"557058:{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    return f"{rng.getrandbits(96):024x}"


def populate(
    state: V3State, *, worklogs: int = 0, seed: int = 0, today: date | None = None
) -> None:
    """Fill an empty state with consistent, deterministic data."""
    rng = random.Random(seed)
    today = today or state.today()
    size = SeedSize.for_worklogs(worklogs)
    users = _users(state, rng, size)
    issue_keys = _jira(state, rng, size)
    open_accounts = _accounts(state, rng, size, users)
    teams = _teams(state, size, users, today)
    _work_attributes(state)
    _plans(state, rng, users, issue_keys, today)
    _worklogs(state, rng, worklogs, users, issue_keys, open_accounts, today)
    _approvals(state, teams, today)
    _documentation_examples(state)


EXAMPLE_ACCOUNT_ID = "1111aaaa2222bbbb3333cccc"
"""The author of the spec's request examples (`authorAccountId`)."""
EXAMPLE_LEAD_ID = "123456:01234567-89ab-cdef-0123-456789abcdef"
"""The account lead of the spec's account examples (`leadAccountId`)."""
EXAMPLE_ISSUE_KEY = "DUM-1"
"""The issue of the spec's v3 request examples (`issueKey`)."""
EXAMPLE_ISSUES = (EXAMPLE_ISSUE_KEY, "ISS-15")
EXAMPLE_CATEGORY = ("dev1", "Development", "BILLABLE")
EXAMPLE_CUSTOMER = ("cloudbay1", "Cloudbay")
EXAMPLE_PROGRAM_ID = 42
EXAMPLE_TEAM_ID = 101


def _documentation_examples(state: V3State) -> None:
    """What the documentation's request examples name (users, issues, a category, a
    customer, program 42, team 101), so that every example runs as written against a
    fresh emulator.

    Added last, so that the rest of the seed data (and its ids) does not depend on them.
    """
    for name, account_id in (
        ("Example User", EXAMPLE_ACCOUNT_ID),
        ("Example Lead", EXAMPLE_LEAD_ID),
    ):
        if account_id not in state.users:
            state.add_user(name, account_id)
    for key in EXAMPLE_ISSUES:
        if key not in state.issues:
            state.add_issue(key)
    key, name, type_name = EXAMPLE_CATEGORY
    if key not in state.categories:
        state.categories[key] = {
            "id": state.next_id("category", 10),
            "key": key,
            "name": name,
            "typeName": type_name,
        }
    key, name = EXAMPLE_CUSTOMER
    if key not in state.customers:
        state.customers[key] = {"id": state.next_id("customer", 100), "key": key, "name": name}
    if EXAMPLE_PROGRAM_ID not in state.programs:
        state.programs[EXAMPLE_PROGRAM_ID] = {
            "id": EXAMPLE_PROGRAM_ID,
            "name": "Example Program",
            "managerAccountId": EXAMPLE_ACCOUNT_ID,
        }
        state.reserve_ids("program", EXAMPLE_PROGRAM_ID)
    if EXAMPLE_TEAM_ID not in state.teams:
        state.teams[EXAMPLE_TEAM_ID] = {"id": EXAMPLE_TEAM_ID, "name": "Example Team"}
        state.team_permissions[EXAMPLE_TEAM_ID] = {key: [] for key in PERMISSION_KEYS}
        state.reserve_ids("team", EXAMPLE_TEAM_ID)


def _users(state: V3State, rng: random.Random, size: SeedSize) -> list[str]:
    seen: set[str] = set()
    account_ids = []
    for n in range(size.users):
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n * 7) % len(LAST_NAMES)]}"
        if name in seen:
            name = f"{name} {n // len(FIRST_NAMES) + 1}"
        seen.add(name)
        account_ids.append(state.add_user(name, _account_id(rng, n))["accountId"])
    state.current_account_id = account_ids[0]
    return account_ids


def _jira(state: V3State, rng: random.Random, size: SeedSize) -> list[str]:
    issue_keys = []
    for key, name in PROJECTS[: size.projects]:
        state.add_project(key, name)
        for n in range(1, size.issues_per_project + 1):
            issue_keys.append(state.add_issue(f"{key}-{n}", key)["key"])
    project_keys = list(state.projects)
    state.add_jira_filter(10000, projects=project_keys[:1], name=f"All of {project_keys[0]}")
    state.add_jira_filter(10001, projects=project_keys[:2], name="First two projects")
    state.add_jira_filter(10002, issues=sorted(rng.sample(issue_keys, 5)), name="Hot issues")
    return issue_keys


def _accounts(state: V3State, rng: random.Random, size: SeedSize, users: list[str]) -> list[str]:
    for key, name in CUSTOMERS:
        state.customers[key] = {"id": state.next_id("customer", 100), "key": key, "name": name}
    for key, name, type_name in CATEGORIES:
        state.categories[key] = {
            "id": state.next_id("category", 10),
            "key": key,
            "name": name,
            "typeName": type_name,
        }
    customer_keys = list(state.customers)
    category_keys = list(state.categories)
    project_keys = list(state.projects)
    open_accounts = []
    for n in range(size.accounts):
        customer_key = customer_keys[n % len(customer_keys)]
        suffix = ACCOUNT_SUFFIXES[(n // len(customer_keys)) % len(ACCOUNT_SUFFIXES)]
        round_ = n // (len(customer_keys) * len(ACCOUNT_SUFFIXES))
        key = f"{customer_key}-{suffix}" + (f"-{round_ + 1}" if round_ else "")
        status = "CLOSED" if n % 7 == 6 else "ARCHIVED" if n % 11 == 10 else "OPEN"
        record: Record = {
            "id": state.next_id("account"),
            "key": key,
            "name": f"{state.customers[customer_key]['name']}: {suffix.title()}",
            "status": status,
            "global": n == 0,
            "leadAccountId": users[n % len(users)],
            "categoryKey": category_keys[n % len(category_keys)],
            "customerKey": customer_key,
        }
        if n % 3 == 0:
            record["contactAccountId"] = users[(n + 1) % len(users)]
        elif n % 3 == 1:
            record["externalContactName"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if n % 2 == 0:
            record["monthlyBudget"] = rng.randrange(100, 2000, 50)
        state.accounts[key] = record
        link_id = state.next_id("account_link")
        state.account_links[link_id] = {
            "id": link_id,
            "accountKey": key,
            "projectKey": project_keys[n % len(project_keys)],
            "default": True,
        }
        if status == "OPEN":
            open_accounts.append(key)
    return open_accounts


def _teams(state: V3State, size: SeedSize, users: list[str], today: date) -> dict[int, list[str]]:
    for name in ROLES:
        role_id = state.next_id("role")
        state.roles[role_id] = {"id": role_id, "name": name, "default": False}
    for n in range(size.programs):
        program_id = state.next_id("program")
        state.programs[program_id] = {
            "id": program_id,
            "name": f"Program {TEAM_WORDS[n % len(TEAM_WORDS)]}",
            "managerAccountId": users[(n * 5) % len(users)],
        }
    program_ids = list(state.programs)
    project_keys = list(state.projects)
    team_ids = []
    for n in range(size.teams):
        team_id = state.next_id("team")
        word = TEAM_WORDS[n % len(TEAM_WORDS)]
        suffix = f" {n // len(TEAM_WORDS) + 1}" if n >= len(TEAM_WORDS) else ""
        record: Record = {"id": team_id, "name": f"Team {word}{suffix}"}
        if n % 4 != 3:
            record["summary"] = f"The {word} team"
        if n % 3 != 2:
            record["programId"] = program_ids[n % len(program_ids)]
        state.teams[team_id] = record
        state.team_permissions[team_id] = {key: [] for key in PERMISSION_KEYS}
        link_id = state.next_id("team_link")
        state.team_links[link_id] = {
            "id": link_id,
            "teamId": team_id,
            "projectKey": project_keys[n % len(project_keys)],
        }
        team_ids.append(team_id)
    members: dict[int, list[str]] = {team_id: [] for team_id in team_ids}
    switch = (today - timedelta(days=180)).isoformat()
    switch_next = (today - timedelta(days=179)).isoformat()
    role_ids = list(state.roles)
    for n, account_id in enumerate(users):
        team_id = team_ids[n % len(team_ids)]
        if n % 5 == 4 and len(team_ids) > 1:
            earlier = team_ids[(n + 1) % len(team_ids)]
            _membership(state, earlier, account_id, role_ids[n % len(role_ids)], None, switch)
            members[earlier].append(account_id)
            _membership(state, team_id, account_id, role_ids[0], switch_next, None)
        else:
            percent = 50 if n % 6 == 5 else 100
            _membership(
                state, team_id, account_id, role_ids[n % len(role_ids)], None, None, percent
            )
        members[team_id].append(account_id)
    for team_id, team_members in members.items():
        current = [m["accountId"] for m in state.memberships_of_team(team_id) if not m.get("to")]
        if current:
            state.teams[team_id]["leadAccountId"] = current[0]
            for key in PERMISSION_KEYS:
                state.grant_team_permission(team_id, key, current[0])
        for account_id in team_members:
            state.grant_team_permission(team_id, PERMISSION_KEYS[0], account_id)
    return members


def _membership(
    state: V3State,
    team_id: int,
    account_id: str,
    role_id: int,
    from_: str | None,
    to: str | None,
    percent: int = 100,
) -> None:
    membership_id = state.next_id("membership")
    record: Record = {
        "id": membership_id,
        "teamId": team_id,
        "accountId": account_id,
        "roleId": role_id,
        "commitmentPercent": percent,
    }
    if from_:
        record["from"] = from_
    if to:
        record["to"] = to
    state.memberships[membership_id] = record


def _work_attributes(state: V3State) -> None:
    for record in (
        {
            "key": ACCOUNT_ATTRIBUTE,
            "name": "Account",
            "type": "STATIC_LIST",
            "required": False,
            "accountList": True,
        },
        {
            "key": "_COLOR_",
            "name": "Color",
            "type": "STATIC_LIST",
            "required": False,
            "values": list(COLORS),
        },
        {"key": "_EXTERNALREF_", "name": "External Ref.", "type": "INPUT_FIELD", "required": False},
        {"key": "_DELIVERED_", "name": "Delivered", "type": "CHECKBOX", "required": False},
        {
            "key": "_STORYPOINTS_",
            "name": "Story points",
            "type": "INPUT_NUMERIC",
            "required": False,
        },
    ):
        state.work_attributes[str(record["key"])] = record


def _plans(
    state: V3State, rng: random.Random, users: list[str], issue_keys: list[str], today: date
) -> None:
    project_keys = list(state.projects)
    created = state.now()
    for n, account_id in enumerate(users[:10]):
        start = today + timedelta(days=n)
        for plan in (
            {
                "startDate": start.isoformat(),
                "endDate": start.isoformat(),
                "plannedPerDaySeconds": 3600 * (1 + n % 4),
                "includeNonWorkingDays": False,
                "rule": "NEVER",
                "recurrenceEndDate": start.isoformat(),
                "accountId": account_id,
                "issueKey": rng.choice(issue_keys),
                "description": "Planned issue work",
            },
            {
                "startDate": start.isoformat(),
                "endDate": (start + timedelta(days=1)).isoformat(),
                "plannedPerDaySeconds": 7200,
                "includeNonWorkingDays": False,
                "rule": "WEEKLY",
                "recurrenceEndDate": add_months(start, 3).isoformat(),
                "accountId": account_id,
                "projectKey": project_keys[n % len(project_keys)],
                "description": "Weekly project time",
            },
        ):
            plan_id = state.next_id("plan")
            state.plans[plan_id] = {
                "id": plan_id,
                **plan,
                "createdAt": created,
                "updatedAt": created,
            }


def _picks(rng: random.Random, pool_size: int, count: int) -> array[int]:
    """`count` indexes into a pool of `pool_size` (at most 65,536), drawn at C speed: two
    random bytes each, scaled through a table (`rng.choices` costs ~0.25 s a million)."""
    if not 0 < pool_size <= 1 << 16:
        raise ValueError(f"pool of {pool_size} values: 1 to 65,536 supported")
    scale = [n * pool_size >> 16 for n in range(1 << 16)]
    draws = array("H", rng.randbytes(2 * count))
    return array("I", map(scale.__getitem__, draws))


def _stamps(
    working: list[date], day_of: array[int], today: date
) -> tuple[list[str], array[int], array[int]]:
    """The pool of createdAt/updatedAt stamps and each worklog's picks from it: created
    at one of three evening stamps of its day; every 20th updated three days later."""
    stamps = [f"{d}T{17 + v}:{(v * 17) % 60:02d}:00Z" for d in working for v in range(3)]
    stamps += [
        (min(d + timedelta(days=3), today - timedelta(days=1))).isoformat() + "T08:30:00Z"
        for d in working
    ]
    created = array("I", (3 * day + n % 3 for n, day in enumerate(day_of)))
    updated = array("I", created)
    for n in range(7, len(day_of), 20):
        updated[n] = 3 * len(working) + day_of[n]
    return stamps, created, updated


def _worklogs(
    state: V3State,
    rng: random.Random,
    count: int,
    users: list[str],
    issue_keys: list[str],
    open_accounts: list[str],
    today: date,
) -> None:
    """`count` worklogs, spread evenly over the working days of the year before `today`,
    loaded as columns of picks from pools of values."""
    if count <= 0:
        return
    working = [
        d for d in days(today - timedelta(days=365), today - timedelta(days=1)) if d.weekday() < 5
    ]
    n_days = len(working)
    billable_accounts = {
        key
        for key in open_accounts
        if state.categories[state.accounts[key]["categoryKey"]]["typeName"] == CATEGORY_TYPES[0]
    }
    issue_account = [rng.choice(open_accounts) for _ in issue_keys]
    colors: list[str | None] = [None, None, None, *COLORS]
    values_pool = [
        [{"key": ACCOUNT_ATTRIBUTE, "value": key}]
        + ([] if color is None else [{"key": "_COLOR_", "value": color}])
        for key in open_accounts
        for color in colors
    ]
    account_slot = {key: n * len(colors) for n, key in enumerate(open_accounts)}
    issue_values = [account_slot[account] for account in issue_account]
    authors = _picks(rng, len(users), count)
    issues = _picks(rng, len(issue_keys), count)
    durations = _picks(rng, len(DURATIONS), count)
    times = _picks(rng, len(START_TIMES), count)
    descriptions = _picks(rng, len(DESCRIPTIONS), count)
    color_picks = _picks(rng, len(colors), count)
    day_of = array("I", (n * n_days // count for n in range(count)))
    stamps, created, updated = _stamps(working, day_of, today)
    billable_issue = [issue_account[i] in billable_accounts for i in range(len(issue_keys))]
    no_billable = len(DURATIONS)
    billable = array(
        "I",
        (d if billable_issue[i] else no_billable for d, i in zip(durations, issues, strict=True)),
    )
    first_id = state.next_id("worklog")
    state.reserve_ids("worklog", first_id + count - 1)
    first_jira_id = state.next_id("jira_worklog", 10_000)
    state.reserve_ids("jira_worklog", first_jira_id + count - 1)
    state.worklogs.load_pooled(
        range(first_id, first_id + count),
        range(first_jira_id, first_jira_id + count),
        {
            "issue_key": (issue_keys, issues),
            "author": (users, authors),
            "start_date": ([d.isoformat() for d in working], day_of),
            "start_time": (START_TIMES, times),
            "spent": (DURATIONS, durations),
            "billable": ((*DURATIONS, 0), billable),
            "description": (DESCRIPTIONS, descriptions),
            "attribute_values": (
                values_pool,
                array("I", map(int.__add__, map(issue_values.__getitem__, issues), color_picks)),
            ),
            "created_at": (stamps, created),
            "updated_at": (stamps, updated),
        },
    )
    if count >= 100_000:
        # A large instance serves large pages: keep the collector's full passes, which
        # their short-lived objects trigger, off everything that lives as long as it.
        gc.collect()
        gc.freeze()


def _approvals(state: V3State, members: dict[int, list[str]], today: date) -> None:
    previous_from, previous_to = period_of(today.replace(day=1) - timedelta(days=1))
    older_from, older_to = period_of(previous_from - timedelta(days=1))
    for team_id, team_members in list(members.items())[:3]:
        lead = state.teams[team_id].get("leadAccountId")
        if lead is None:
            continue
        for n, account_id in enumerate(team_members[:4]):
            if account_id == lead:
                continue
            period = (previous_from, previous_to) if n % 2 else (older_from, older_to)
            status = "IN_REVIEW" if n % 2 else "APPROVED"
            required = required_total(period[0], period[1], state.holidays)
            spent = state.worklogs.time_spent(
                account_id, period[0].isoformat(), period[1].isoformat()
            )
            state.approvals[(account_id, period[0].isoformat())] = {
                "accountId": account_id,
                "from": period[0].isoformat(),
                "to": period[1].isoformat(),
                "status": status,
                "comment": "Please review my timesheet" if status == "IN_REVIEW" else "Approved",
                "actorAccountId": account_id if status == "IN_REVIEW" else lead,
                "reviewerAccountId": lead,
                "requiredSecondsAtSubmit": required,
                "timeSpentSecondsAtSubmit": spent,
                "updatedAt": f"{period[1].isoformat()}T18:00:00Z",
            }
