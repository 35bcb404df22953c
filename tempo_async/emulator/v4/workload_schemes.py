"""v4 workload schemes: the seconds a user is expected to work on each day of the week.
The default scheme is the emulator's working week (eight hours Monday to Friday), the one
v3's user schedules use; other schemes and their members are kept here."""

from __future__ import annotations

from typing import Any

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.v3.calendar import WORKDAY_SECONDS
from tempo_async.emulator.v3.state import Record
from tempo_async.emulator.v4.schemes import Schemes

__all__ = ["WEEK", "V4WorkloadSchemes"]

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _standard_days() -> list[Record]:
    return [
        {"day": day, "requiredSeconds": WORKDAY_SECONDS if n < 5 else 0}
        for n, day in enumerate(WEEK)
    ]


class V4WorkloadSchemes(Schemes):
    """/4/workload-schemes...: schemes of required seconds per weekday, and their members."""

    path = "/workload-schemes"
    what = "workload scheme"
    input_definition = "WorkloadSchemeInput"
    definition = "WorkloadScheme"
    list_definition = "PageableWorkloadScheme"
    list_paged = True
    members_definition = "WorkloadSchemeMembersInput"
    default_name = "Default Workload Scheme"

    def fields(self, body: dict[str, Any], scheme_id: int) -> Record:
        """A scheme with its seven days (a day not given requires no time; no days at all:
        the standard week)."""
        record = super().fields(body, scheme_id)
        given = body.get("days")
        if not given:
            record["days"] = _standard_days()
            return record
        by_day: dict[str, int] = {}
        for entry in given:
            if entry["day"] in by_day:
                raise ApiError(400, f"Day {entry['day']} is given twice")
            if not 0 <= entry["requiredSeconds"] <= 86_400:
                raise ApiError(400, f"requiredSeconds of {entry['day']} must be 0 to 86400")
            by_day[entry["day"]] = entry["requiredSeconds"]
        record["days"] = [{"day": day, "requiredSeconds": by_day.get(day, 0)} for day in WEEK]
        return record

    def render(self, scheme: Record) -> Record:
        """A v4 WorkloadScheme."""
        return {**super().render(scheme), "days": [dict(day) for day in scheme["days"]]}
