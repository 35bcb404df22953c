"""The v3 resources: one class per resource, thin awaitable methods over the transport.

These modules are the API v3 route table: every path of the v3 surface is written here,
once. (API v4 will get its own resources under `tempo_async.v4`.)
"""

from tempo_async.resources.account_categories import AccountCategories, AccountCategoryTypes
from tempo_async.resources.accounts import Accounts
from tempo_async.resources.customers import Customers
from tempo_async.resources.periods import Periods
from tempo_async.resources.plans import Plans
from tempo_async.resources.programs import Programs
from tempo_async.resources.roles import Roles
from tempo_async.resources.team_links import TeamLinks
from tempo_async.resources.team_memberships import TeamMemberships
from tempo_async.resources.teams import Teams
from tempo_async.resources.timesheet_approvals import TimesheetApprovals
from tempo_async.resources.user_schedule import UserSchedule
from tempo_async.resources.work_attributes import WorkAttributes
from tempo_async.resources.worklogs import Worklogs

__all__ = [
    "AccountCategories",
    "AccountCategoryTypes",
    "Accounts",
    "Customers",
    "Periods",
    "Plans",
    "Programs",
    "Roles",
    "TeamLinks",
    "TeamMemberships",
    "Teams",
    "TimesheetApprovals",
    "UserSchedule",
    "WorkAttributes",
    "Worklogs",
]
