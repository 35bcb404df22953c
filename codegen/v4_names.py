"""The v4 client's names: which resource attribute holds each tag's operations, and the
method names that rules would choose badly. Hand-chosen, read by `codegen.v4_client`.

Rules (in `codegen.v4_client.method_name`): on a resource's root path, GET is `list`,
POST is `create`, `POST .../search` is `search`; on `root/{id}`, GET/PUT/DELETE are
`get`/`update`/`delete`. Every other operation is its operationId in snake_case, unless
listed in `METHODS`.
"""

from __future__ import annotations

RESOURCES: dict[str, str] = {
    "Account - Categories": "account_categories",
    "Account - Category-Types": "account_category_types",
    "Account - Links": "account_links",
    "Accounts": "accounts",
    "Audit Events": "audit",
    "Billing Rates Table": "billing_rates_tables",
    "Budget": "budgets",
    "Budget Milestones": "budget_milestones",
    "Cost": "costs",
    "Customers": "customers",
    "Expense": "expenses",
    "Financials": "financials",
    "Fixed Revenue": "fixed_revenues",
    "Flex Plans": "flex_plans",
    "Generic Resource Team Members": "generic_resource_team_members",
    "Generic Resources": "generic_resources",
    "Global Configurations": "global_configuration",
    "Global Rates": "global_rates",
    "Holiday Schemes": "holiday_schemes",
    "Periods": "periods",
    "Permission Roles": "permission_roles",
    "Plan Approvals": "plan_approvals",
    "Plans": "plans",
    "Portfolio": "portfolios",
    "Program": "programs",
    "Project": "projects",
    "Project Attributes": "project_attributes",
    "Project Shares": "project_shares",
    "Project Time Approval": "project_time_approvals",
    "Report": "reports",
    "Roles": "roles",
    "Scope": "scopes",
    "Skill Assignments": "skill_assignments",
    "Skills": "skills",
    "Subscription": "webhooks",
    "Team": "teams",
    "Team Links": "team_links",
    "Team Member": "project_team_members",
    "Team Memberships": "team_memberships",
    "Timeframe": "timeframes",
    "Timesheet Approvals": "timesheet_approvals",
    "User Schedule": "user_schedule",
    "Work Attributes": "work_attributes",
    "Workload Schemes": "workload_schemes",
    "Worklogs": "worklogs",
}
"""Spec tag -> the client attribute of its resource."""

METHODS: dict[str, str] = {
    # Worklogs: v4-surface.md names `list` and `for_issue`; the rest follow them.
    "getWorklogsByIssueId": "for_issue",
    "getWorklogsByAccount": "for_account",
    "getWorklogsByProjectId": "for_project",
    "getWorklogsByTeam": "for_team",
    "getWorklogsByUser": "for_user",
    "getWorkAttributeValuesForWorklog": "attribute_values",
    "getWorkAttributeValueForWorklog": "attribute_value",
    "createWorkAttributeValuesForWorklogs": "create_attribute_values",
    "searchWorkAttributeValuesForWorklogs": "search_attribute_values",
    "getTempoWorklogIdsByJiraWorklogIds": "jira_to_tempo_ids",
    "getJiraWorklogIdsByTempoWorklogIds": "tempo_to_jira_ids",
    "bulkCreateWorklog": "bulk_create_chunk",
    # Accounts, customers, links
    "getAccountLinks": "links",
    "getCustomerAccounts": "accounts",
    "getLinksByProject": "for_project",
    "patchLink": "make_default",
    "getTypes": "list",
    # Teams
    "getTeamLinks": "links",
    "getTeamMembers": "members",
    "getTeamLinkByProjectId": "for_project",
    "getAllMemberships": "for_team",
    # Plans
    "getPlansForUser": "for_user",
    "getPlansForGenericResource": "for_generic_resource",
    "deleteDayFromPlan": "delete_day",
    "updatePartialPlan": "update_day",
    # Timesheet approvals
    "getTimesheetApprovalForTeam": "for_team",
    "getTimesheetApprovalForUser": "for_user",
    "getTimesheetReviewersForUser": "reviewers",
    "getTimesheetApprovalsWaitingForApproval": "waiting",
    "searchTimesheetApprovalLogs": "search_logs",
    "approveTimesheetForUser": "approve",
    "recallTimesheetForUser": "recall",
    "rejectTimesheetForUser": "reject",
    "reopenTimesheetForUser": "reopen",
    "submitTimesheetForUser": "submit",
    # User schedule
    "getAuthenticatedUserSchedule": "mine",
    "getUserSchedule": "for_user",
    # Audit
    "getDeletedWorklogAuditEvent": "deleted_worklogs",
    "getDeletedAllocationAuditEvent": "deleted_allocations",
    "searchAuditLogs": "search",
    # Holiday and workload schemes
    "getUserHolidayScheme": "for_user",
    "getUserWorkloadScheme": "for_user",
    "getWorkloadSchemeMembers": "members",
    "getWorkloadSchemeMembers_1": "members",
    "setWorkloadSchemeMembership": "set_members",
    "setWorkloadSchemeForUsers": "set_members",
    "searchHolidaySchemeMembers": "search_members",
    "searchWorkloadSchemeMembers": "search_members",
    "setDefaultScheme": "set_default",
    "setDefaultWorkloadScheme": "set_default",
    "getHolidays": "holidays",
    "getFloatingHolidays": "floating_holidays",
    "getHoliday": "holiday",
    "createHoliday": "create_holiday",
    "updateHoliday": "update_holiday",
    "deleteHoliday": "delete_holiday",
    # Webhooks
    "refreshSubscription": "refresh",
    # Global configuration, periods, roles
    "getGlobalConfiguration": "get",
    "getDefaultRole": "default",
    "getGlobalPermissionRoles": "global_roles",
}
"""operationId -> method name, where the rules would choose badly."""

OPERATION_TARGETS: dict[str, str] = {
    "bulkCreateWorklog": "bulk_create",
}
"""operationId -> the method `OPERATIONS` names, where a hand-written helper performs the
operation on top of the generated method (bulk_create splits inputs into chunks)."""

HELPERS: dict[str, tuple[str, str]] = {
    "worklogs": ("tempo_async.v4._worklog_helpers", "Worklogs"),
}
"""Resource attribute -> (module, class): a hand-written subclass of the generated resource
that adds helpers; the client holds an instance of it."""
