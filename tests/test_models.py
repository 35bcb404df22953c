"""Every entity example of the spec round-trips through its generated model."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tempo_async import converter, models
from tempo_async.models import OpenEnum
from tests.conftest import EXAMPLES, load_example

MODEL_OF_EXAMPLE: dict[str, str] = json.loads((EXAMPLES / "models.json").read_text())


def without_nulls(value: Any) -> Any:
    """The payload as it comes back from unstructure: keys that were JSON null dropped."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def roundtrip(payload: Any, model: type[Any]) -> Any:
    return converter.unstructure(converter.structure(payload, model))


@pytest.mark.parametrize("name", sorted(MODEL_OF_EXAMPLE))
def test_spec_example_round_trips_through_its_model(name: str) -> None:
    payload = load_example(name)
    model_name = MODEL_OF_EXAMPLE[name]
    if model_name.startswith("Collection["):
        item_model = getattr(models, model_name.removeprefix("Collection[").removesuffix("]"))
        envelope = converter.structure(payload, models.Collection)
        assert envelope.metadata.count == len(payload["results"])
        items = [converter.structure(item, item_model) for item in envelope.results]
        assert [converter.unstructure(i) for i in items] == without_nulls(payload["results"])
        raw_results = {**without_nulls(payload), "results": payload["results"]}
        assert converter.unstructure(envelope) == raw_results
    else:
        assert roundtrip(payload, getattr(models, model_name)) == without_nulls(payload)


def test_every_example_file_is_mapped_to_a_model() -> None:
    files = {p.name for p in EXAMPLES.glob("*.json")} - {"models.json"}
    assert files == set(MODEL_OF_EXAMPLE)


def test_models_use_python_types_for_spec_formats() -> None:
    worklog = converter.structure(load_example("173_POST_worklogs_200.json"), models.Worklog)
    assert str(worklog.start_date) == "2017-02-06"
    assert worklog.start_time.isoformat() == "20:06:00"
    assert worklog.created_at.isoformat() == "2017-02-06T16:41:41+00:00"
    assert worklog.self_url == "https://api.tempo.io/core/3/worklogs/12600"
    assert worklog.author.account_id == "1111aaaa2222bbbb3333cccc"
    assert worklog.billable_seconds == 5200


def test_unknown_fields_are_kept_and_written_back() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["newTopLevel"] = {"nested": [1, 2]}
    payload["author"]["avatar"] = "https://example.test/a.png"
    worklog = converter.structure(payload, models.Worklog)
    assert worklog.extra == {"newTopLevel": {"nested": [1, 2]}}
    assert worklog.author.extra == {"avatar": "https://example.test/a.png"}
    assert converter.unstructure(worklog) == payload


def test_unknown_enum_value_is_kept_not_rejected() -> None:
    payload = load_example("058_POST_plans_200.json")
    payload["recurrence"]["rule"] = "BI_WEEKLY"
    plan = converter.structure(payload, models.Plan)
    assert plan.recurrence.rule == "BI_WEEKLY"
    assert isinstance(plan.recurrence.rule, OpenEnum)
    assert not plan.recurrence.rule.is_known
    assert models.PlanRecurrenceRule.BIWEEKLY.is_known
    assert converter.unstructure(plan) == payload
    assert type(converter.unstructure(plan)["recurrence"]["rule"]) is str


def test_explicit_nulls_in_optional_fields_structure_to_none() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["jiraWorklogId"] = None
    payload["attributes"] = None
    worklog = converter.structure(payload, models.Worklog)
    assert worklog.jira_worklog_id is None
    assert worklog.attributes is None
    assert converter.unstructure(worklog) == without_nulls(payload)


def test_numbers_where_integers_were_documented_round_trip_unchanged() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["tempoWorklogId"] = 126.0
    payload["timeSpentSeconds"] = 3600.5
    payload["billableSeconds"] = 5200
    worklog = converter.structure(payload, models.Worklog)
    assert converter.unstructure(worklog) == payload
    assert converter.unstructure(worklog)["timeSpentSeconds"] == 3600.5


def test_string_or_link_union_accepts_both_shapes() -> None:
    payload = load_example("123_GET_teams-id-members-accountId_200.json")
    as_string = converter.structure(payload, models.TeamMember)
    assert isinstance(as_string.memberships.self_url, str)
    payload["memberships"]["self"] = {"self": "https://api.tempo.io/core/3/x"}
    as_object = converter.structure(payload, models.TeamMember)
    assert as_object.memberships.self_url == models.SelfLink(
        self_url="https://api.tempo.io/core/3/x"
    )
    assert converter.unstructure(as_object) == without_nulls(payload)


def test_team_link_without_schema_keeps_everything() -> None:
    payload = {
        "self": "https://api.tempo.io/core/3/team-links/1",
        "id": 1,
        "scope": {"type": "PROJECT"},
    }
    link = converter.structure(payload, models.TeamLink)
    assert link.extra == payload
    assert converter.unstructure(link) == payload


def test_missing_required_field_is_named() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    del payload["startDate"]
    with pytest.raises(ValueError, match=r"\$\.startDate: required field is missing"):
        converter.structure(payload, models.Worklog)


def test_wrong_type_names_field_and_value() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["timeSpentSeconds"] = "an hour"
    payload["author"]["accountId"] = 42
    with pytest.raises(models_error()) as info:
        converter.structure(payload, models.Worklog)
    message = str(info.value)
    assert "$.timeSpentSeconds: expected a number, got 'an hour'" in message
    assert "$.author.accountId: expected a string, got 42" in message
    assert info.value.model is models.Worklog


def test_bad_date_names_field_and_value() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["startDate"] = "2017-02-30"
    with pytest.raises(ValueError, match=r"\$\.startDate: expected an ISO date .*'2017-02-30'"):
        converter.structure(payload, models.Worklog)


def test_bad_item_in_list_names_its_index() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["attributes"]["values"][1] = {"value": 3}
    with pytest.raises(
        ValueError, match=r"\$\.attributes\.values\[1\]\.key: required field is missing"
    ):
        converter.structure(payload, models.Worklog)


def test_non_object_payload_is_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="expected a JSON object"):
        converter.structure(["not", "an", "object"], models.User)


def models_error() -> type[Exception]:
    from tempo_async import ModelValidationError

    return ModelValidationError


def test_models_are_frozen_slotted_and_keyword_only() -> None:
    user = models.User(self_url="u", account_id="a", display_name="d")
    with pytest.raises(AttributeError):
        user.display_name = "x"  # type: ignore[misc]
    assert not hasattr(user, "__dict__")
    with pytest.raises(TypeError):
        models.User("u", "a", "d")  # type: ignore[misc]


def test_input_models_unstructure_to_spec_json() -> None:
    payload = load_example("172_POST_worklogs_request.json")
    body = converter.structure(payload, models.WorklogInput)
    assert body.issue_key == "DUM-1"
    assert converter.unstructure(body) == payload
