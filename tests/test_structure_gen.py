"""The generated structure functions: instances built by a builder of the same layout,
the unknown fields found by counting keys, read-only extra fields shared when empty."""

from __future__ import annotations

import copy
import pickle
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from tempo_async import converter
from tempo_async._converter import ModelValidationError, TempoConverter
from tempo_async._structure_gen import _builder
from tempo_async.models import NO_EXTRA, ExtraFields, v4

ISSUE = {"self": "https://x.atlassian.net/rest/api/2/issue/10001", "id": 10001}


@pytest.mark.parametrize(
    ("payload", "extra"),
    [
        (ISSUE, {}),
        ({"self": "s"}, {}),  # an optional key absent
        ({"self": "s", "id": None}, {}),  # ... or null
        ({"self": "s", "surprise": 1}, {"surprise": 1}),  # absent, and one unknown
        ({"self": "s", "id": None, "surprise": 1}, {"surprise": 1}),
        ({**ISSUE, "a": 1, "b": [2]}, {"a": 1, "b": [2]}),
    ],
)
def test_unknown_keys_are_found_whichever_optional_keys_are_absent(
    payload: dict[str, Any], extra: dict[str, Any]
) -> None:
    issue = converter.structure(payload, v4.Issue)
    assert issue.extra == extra
    assert type(issue.extra) is ExtraFields
    assert converter.unstructure(issue) == {k: v for k, v in payload.items() if v is not None}


def test_a_structured_model_is_an_instance_of_its_frozen_class() -> None:
    issue = converter.structure(ISSUE, v4.Issue)
    assert type(issue) is v4.Issue
    assert issue == v4.Issue(self_url=ISSUE["self"], id=10001)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        issue.id = 2  # type: ignore[misc]
    assert not hasattr(issue, "__dict__")


def test_models_without_unknown_fields_share_the_empty_read_only_extra() -> None:
    first = converter.structure(ISSUE, v4.Issue)
    second = converter.structure({"self": "s"}, v4.Issue)
    assert first.extra is second.extra is NO_EXTRA
    assert v4.Issue(self_url="s").extra is NO_EXTRA
    assert NO_EXTRA == {}
    assert not NO_EXTRA


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.__setitem__("k", 1),
        lambda e: e.update(k=1),
        lambda e: e.setdefault("k", 1),
        lambda e: e.pop("surprise"),
        lambda e: e.popitem(),
        lambda e: e.clear(),
        lambda e: e.__delitem__("surprise"),
        lambda e: e.__ior__({"k": 1}),
    ],
)
def test_extra_fields_are_read_only(change: Any) -> None:
    for extra in (NO_EXTRA, converter.structure({"self": "s", "surprise": 1}, v4.Issue).extra):
        with pytest.raises(TypeError, match="read-only; dict"):
            change(extra)
    assert NO_EXTRA == {}


@pytest.mark.parametrize("payload", [ISSUE, {**ISSUE, "surprise": {"nested": [1]}}])
def test_models_copy_and_pickle_with_their_extra_fields(payload: dict[str, Any]) -> None:
    issue = converter.structure(payload, v4.Issue)
    for clone in (
        copy.copy(issue),
        copy.deepcopy(issue),
        pickle.loads(pickle.dumps(issue)),
        attrs.evolve(issue, id=2),
    ):
        assert clone.extra == issue.extra
        assert type(clone.extra) is ExtraFields
    assert dict(issue.extra) == {k: v for k, v in payload.items() if k not in ISSUE}


def test_a_class_cpython_will_not_reassign_to_is_built_by_its_init() -> None:
    @attrs.define(frozen=True, slots=True, kw_only=True)  # with a __weakref__ slot
    class WithWeakref:
        name: str
        count: int | None = None
        extra: dict[str, Any] = attrs.field(default=NO_EXTRA, repr=False)

    assert _builder(WithWeakref) is None
    fresh = TempoConverter()
    built = fresh.structure({"name": "n", "more": 1}, WithWeakref)
    assert built == WithWeakref(name="n", extra=ExtraFields(more=1))
    assert fresh.structure({"name": "n"}, WithWeakref).extra is NO_EXTRA


def test_a_list_is_structured_as_its_items_are_one_by_one() -> None:
    items = [ISSUE, {"self": "s"}, {"self": "s", "id": None, "surprise": [1]}]
    assert converter.list_structurer(v4.Issue)(items) == [
        converter.structure(item, v4.Issue) for item in items
    ]
    assert converter.list_structurer(v4.Issue)([]) == []


def test_a_list_with_an_item_only_the_detailed_path_takes_is_structured() -> None:
    items: list[Any] = [ISSUE, MappingProxyType({"self": "s", "more": 1})]
    issues = converter.list_structurer(v4.Issue)(items)
    assert issues[1] == v4.Issue(self_url="s", extra=ExtraFields(more=1))


def test_a_bad_item_of_a_list_is_explained_and_mapped_by_on_error() -> None:
    class Malformed(Exception):
        pass

    structure = converter.list_structurer(v4.Issue, lambda error: Malformed(str(error)))
    with pytest.raises(Malformed, match=r"self"):
        structure([ISSUE, {"self": 5}])


def test_a_list_of_what_no_generated_function_builds_goes_item_by_item() -> None:
    assert converter.list_structurer(int)([1, 2.0]) == [1, 2]


@pytest.mark.parametrize("consume", [False, True])
def test_a_list_with_a_bad_item_midway_keeps_what_was_built_before_it(consume: bool) -> None:
    # the fast loop stops at the Mapping; the per-item path takes it and the rest
    items: list[Any] = [ISSUE, {"self": "a"}, MappingProxyType({"self": "b"}), {"self": "c"}]
    expected = [converter.structure(item, v4.Issue) for item in items]
    assert converter.list_structurer(v4.Issue, consume=consume)(items) == expected
    # consumed: the items the fast loop built before the Mapping (the rest is left as is)
    assert items[:2] == ([None, None] if consume else [ISSUE, {"self": "a"}])


def test_a_consumed_list_frees_each_item_once_built() -> None:
    items: list[Any] = [dict(ISSUE) for _ in range(5)]
    issues = converter.list_structurer(v4.Issue, consume=True)(items)
    assert items == [None] * 5
    assert issues == [v4.Issue(self_url=ISSUE["self"], id=10001)] * 5
    with pytest.raises(ModelValidationError, match="self"):
        converter.list_structurer(v4.Issue, consume=True)([dict(ISSUE), {"self": 5}])
