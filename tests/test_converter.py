"""The converter's two paths: the generated fast path alone handles every valid payload,
and the detailed fallback (any non-dict Mapping, bad payloads) loses nothing either."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pytest

from tempo_async import converter, models
from tempo_async._converter import ModelValidationError, TempoConverter
from tempo_async.models import v4
from tests.conftest import EXAMPLES, load_example

MODEL_OF_EXAMPLE: dict[str, str] = json.loads((EXAMPLES / "models.json").read_text())
ENTITY_EXAMPLES = sorted(
    name for name, model in MODEL_OF_EXAMPLE.items() if not model.startswith("Collection[")
)


@pytest.fixture
def fast_path_only(monkeypatch: pytest.MonkeyPatch) -> TempoConverter:
    """A converter whose detailed fallback fails the test if it is ever reached."""

    def no_fallback(self: TempoConverter, obj: Any, cl: Any, fast_error: Exception) -> Any:
        raise AssertionError(f"the fast path failed on a valid {cl}: {fast_error!r}")

    monkeypatch.setattr(TempoConverter, "_structure_detailed", no_fallback)
    return TempoConverter()


@pytest.mark.parametrize("name", ENTITY_EXAMPLES)
def test_fast_path_alone_structures_every_v3_example(
    fast_path_only: TempoConverter, name: str
) -> None:
    payload = load_example(name)
    model = getattr(models, MODEL_OF_EXAMPLE[name])
    assert isinstance(fast_path_only.structure(payload, model), model)


def test_fast_path_alone_structures_a_v4_worklog(fast_path_only: TempoConverter) -> None:
    payload = {
        "self": "https://api.tempo.io/4/worklogs/1",
        "tempoWorklogId": 1,
        "issue": {"self": "https://x.atlassian.net/rest/api/2/issue/10001", "id": 10001},
        "timeSpentSeconds": 60,
        "startDate": "2026-01-02",
        "startTime": "09:00:00",
        "createdAt": "2026-01-02T09:00:00Z",
        "updatedAt": "2026-01-02T09:00:00Z",
        "author": {"self": "https://x.atlassian.net/u", "accountId": "a"},
        "attributes": {"self": "https://api.tempo.io/4/worklogs/1/wav", "values": []},
        "unknown": 1,
    }
    worklog = fast_path_only.structure(payload, v4.Worklog)
    assert worklog.extra == {"unknown": 1}


class _ReadOnlyMapping(Mapping[str, Any]):
    """A Mapping that is not a dict, as user code may pass for a request body."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@pytest.mark.parametrize("wrap", [OrderedDict, MappingProxyType, _ReadOnlyMapping])
def test_unknown_fields_are_kept_on_the_fallback_path(wrap: Any) -> None:
    payload = {"key": "_EXTERNAL_REF_", "value": "EXT-1", "addedLater": [1, 2]}
    value = converter.structure(wrap(payload), v4.WorkAttributeValue)
    assert value.extra == {"addedLater": [1, 2]}
    assert converter.unstructure(value) == payload


def test_nested_unknown_fields_are_kept_on_the_fallback_path() -> None:
    payload = load_example("173_POST_worklogs_200.json")
    payload["author"]["avatar"] = "https://example.test/a.png"
    payload["newTopLevel"] = True
    nested = OrderedDict(payload)
    nested["author"] = OrderedDict(payload["author"])
    worklog = converter.structure(nested, models.Worklog)
    assert worklog.extra == {"newTopLevel": True}
    assert worklog.author.extra == {"avatar": "https://example.test/a.png"}
    assert converter.unstructure(worklog) == payload


def test_the_fallback_still_explains_a_bad_payload() -> None:
    payload = OrderedDict({"key": "k", "value": "v", "more": 1})
    del payload["key"]
    with pytest.raises(ModelValidationError, match="key"):
        converter.structure(payload, v4.WorkAttributeValue)
