"""Periods (#48), user schedules (#57-58) and work attributes (#59-60)."""

from __future__ import annotations

from datetime import date

from tempo_async.emulator import Emulator

from .helpers import Api


async def test_periods_are_the_months_of_the_range(api: Api) -> None:
    reply = await api.get("/periods", **{"from": "2017-12-15", "to": "2018-01-02"})
    assert reply.body == {
        "periods": [
            {"from": "2017-12-01", "to": "2017-12-31"},
            {"from": "2018-01-01", "to": "2018-01-31"},
        ]
    }
    assert (await api.get("/periods")).status == 400
    assert (await api.get("/periods", **{"from": "2018-02-01", "to": "2018-01-01"})).status == 400


async def test_user_schedule_matches_the_spec_example(api: Api, emu: Emulator) -> None:
    reply = await api.get("/user-schedule", **{"from": "2017-12-23", "to": "2017-12-27"})
    assert reply.body == {
        "self": f"{emu.base_url}/user-schedule?from=2017-12-23&to=2017-12-27",
        "metadata": {"count": 5},
        "results": [
            {"date": "2017-12-23", "requiredSeconds": 0, "type": "NON_WORKING_DAY"},
            {
                "date": "2017-12-24",
                "requiredSeconds": 0,
                "type": "HOLIDAY_AND_NON_WORKING_DAY",
                "holiday": {
                    "name": "Christmas Eve",
                    "durationSeconds": 14400,
                    "description": "Twas the night before Christmas",
                },
            },
            {
                "date": "2017-12-25",
                "requiredSeconds": 0,
                "type": "HOLIDAY",
                "holiday": {"name": "Christmas Day", "durationSeconds": 28800},
            },
            {
                "date": "2017-12-26",
                "requiredSeconds": 0,
                "type": "HOLIDAY",
                "holiday": {"name": "Boxing Day", "durationSeconds": 28800},
            },
            {"date": "2017-12-27", "requiredSeconds": 28800, "type": "WORKING_DAY"},
        ],
    }


async def test_user_schedule_of_a_user_with_an_added_holiday(api: Api, emu: Emulator) -> None:
    account_id = list(emu.state.users)[1]
    emu.state.add_holiday(date(2025, 3, 4), "Half day", 14400)
    reply = await api.get(
        f"/user-schedule/{account_id}", **{"from": "2025-03-04", "to": "2025-03-04"}
    )
    assert reply.body["self"] == (
        f"{emu.base_url}/user-schedule/{account_id}?from=2025-03-04&to=2025-03-04"
    )
    assert reply.body["results"] == [
        {
            "date": "2025-03-04",
            "requiredSeconds": 14400,
            "type": "HOLIDAY",
            "holiday": {"name": "Half day", "durationSeconds": 14400},
        }
    ]
    assert (
        await api.get("/user-schedule/ghost", **{"from": "2025-03-04", "to": "2025-03-04"})
    ).status == 404
    assert (await api.get("/user-schedule", **{"from": "2025-03-04"})).status == 400


async def test_work_attributes(api: Api, emu: Emulator) -> None:
    listed = await api.get("/work-attributes")
    keys = [a["key"] for a in listed.body["results"]]
    assert keys == list(emu.state.work_attributes)
    color = await api.get("/work-attributes/_COLOR_")
    assert color.body == {
        "self": f"{emu.base_url}/work-attributes/_COLOR_",
        "key": "_COLOR_",
        "name": "Color",
        "type": "STATIC_LIST",
        "required": False,
        "values": ["red", "green", "blue", "yellow", "pink"],
    }
    account = await api.get("/work-attributes/_Account_")
    assert account.body["values"] == sorted(emu.state.accounts)
    missing = await api.get("/work-attributes/_NOPE_")
    assert missing.status == 404
    assert missing.messages == ["A work attribute with key '_NOPE_' does not exist"]
