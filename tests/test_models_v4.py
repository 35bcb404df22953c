"""The v4 models conform to Tempo's OpenAPI document, and every one round-trips exactly.

This walks the document itself (`schema/v4/tempo-openapi.yaml`), independently of the
generator: every component schema that an operation uses has a model, every property is
a field with the right Python type, required and optional match. The only departures
allowed are the ones `schema/v4/overlay.yaml` records. Then a synthesized, schema-valid
instance of every definition goes through `structure` and back unchanged.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import attrs
import fastjsonschema
import pytest
import yaml

from codegen.naming import model_name
from tempo_async import converter
from tempo_async._structure_gen import EXTRA, json_name
from tempo_async.emulator.synthesize import Synthesizer
from tempo_async.models import OpenEnum, v4

ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.load(
    (ROOT / "schema/v4/tempo-openapi.yaml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)
OVERLAY = yaml.safe_load((ROOT / "schema/v4/overlay.yaml").read_text(encoding="utf-8"))
BUNDLE = json.loads((ROOT / "tempo_async/models/v4_schema.json").read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
REF = "#/components/schemas/"
CORRECTED = {(c["schema"], c.get("property")) for c in OVERLAY["corrections"] if "schema" in c}
FORMAT_TYPES = {"date": date, "date-time": datetime, "time": time}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            yield ref.removeprefix(REF)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def used_by_operations() -> set[str]:
    todo = [
        ref
        for item in SPEC["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch")
        for ref in _refs(operation)
    ]
    used: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo.extend(_refs(SCHEMAS[name]))
    return used


USED = sorted(used_by_operations())


def test_the_document_is_the_one_we_expect() -> None:
    operations = [
        op
        for item in SPEC["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]
    assert len(operations) == 254
    assert len(USED) == 336


@pytest.mark.parametrize("schema_name", USED)
def test_every_used_schema_has_a_model(schema_name: str) -> None:
    model = getattr(v4, model_name(schema_name), None)
    assert model is not None and attrs.has(model), f"no model for {schema_name!r}"
    assert model.__name__ in v4.__all__


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]), True  # noqa: UP007
    return tp, False


def _expected(prop: dict[str, Any], corrected: bool) -> Any:
    """The Python type a property of the document must have (None: any of several)."""
    if "$ref" in prop:
        return getattr(v4, model_name(prop["$ref"].removeprefix(REF)))
    kind = prop.get("type")
    if "enum" in prop and kind == "string":
        return OpenEnum
    if kind == "string":
        found = FORMAT_TYPES.get(prop.get("format", ""))
        return None if corrected else (found or str)
    if kind == "integer":
        return int
    if kind == "number":
        return float
    if kind == "boolean":
        return bool
    if kind == "array":
        return list
    if kind == "object":
        return dict
    return None


def _check_type(actual: Any, expected: Any, where: str) -> None:
    if expected is None:
        return
    if expected is OpenEnum:
        assert isinstance(actual, type) and issubclass(actual, OpenEnum), where
    elif expected in (list, dict):
        assert typing.get_origin(actual) is expected, f"{where}: {actual} is not a {expected}"
    else:
        assert actual is expected, f"{where}: {actual} is not {expected}"


@pytest.mark.parametrize("schema_name", USED)
def test_every_property_is_a_field_of_the_right_type(schema_name: str) -> None:
    model = getattr(v4, model_name(schema_name))
    hints = typing.get_type_hints(model)
    fields = {json_name(a): a for a in attrs.fields(model) if a.name != EXTRA}
    schema = SCHEMAS[schema_name]
    required = set(schema.get("required", []))
    cls = model.__name__
    for prop_name, prop in schema.get("properties", {}).items():
        where = f"{schema_name}.{prop_name}"
        assert prop_name in fields, f"{where} has no field"
        attribute = fields[prop_name]
        inner, optional = _strip_optional(hints[attribute.name])
        corrected = (cls, prop_name) in CORRECTED or (cls, None) in CORRECTED
        if not corrected:
            is_required = attribute.default is attrs.NOTHING
            assert is_required == (prop_name in required), f"{where}: required mismatch"
            assert optional == (prop_name not in required or prop.get("nullable", False)), where
        _check_type(inner, _expected(prop, corrected), where)
    if not any(c == (cls, None) for c in CORRECTED):
        assert set(fields) == set(schema.get("properties", {})), f"{schema_name}: extra fields"


# -- synthesized instances ---------------------------------------------------------------


DEFINITIONS: dict[str, Any] = BUNDLE["definitions"]
MODELS = sorted(name for name, d in DEFINITIONS.items() if "properties" in d)


@pytest.mark.parametrize("name", MODELS)
def test_a_valid_instance_round_trips_exactly(name: str) -> None:
    instance = Synthesizer(DEFINITIONS).value(DEFINITIONS[name], 0)
    validate = fastjsonschema.compile({**BUNDLE, "$ref": f"#/definitions/{name}"})
    validate(instance)
    model = getattr(v4, name)
    structured = converter.structure(instance, model)
    assert isinstance(structured, model)
    assert converter.unstructure(structured) == instance


@pytest.mark.parametrize("name", MODELS)
def test_unknown_fields_survive_the_round_trip(name: str) -> None:
    instance = Synthesizer(DEFINITIONS).value(DEFINITIONS[name], 0)
    instance["fieldFromTheFuture"] = {"nested": [1, "two"]}
    structured = converter.structure(instance, getattr(v4, name))
    assert structured.extra == {"fieldFromTheFuture": {"nested": [1, "two"]}}
    assert converter.unstructure(structured) == instance


def test_v4_worklog_has_the_documented_python_types() -> None:
    payload = {
        "self": "https://api.tempo.io/4/worklogs/126",
        "tempoWorklogId": 126,
        "issue": {"self": "https://example.atlassian.net/rest/api/2/issue/10001", "id": 10001},
        "timeSpentSeconds": 3600,
        "billableSeconds": 3600,
        "startDate": "2026-02-06",
        "startTime": "20:06:00",
        "startDateTimeUtc": "2026-02-06T19:06:00Z",
        "description": "Investigating a problem with our external database system",
        "createdAt": "2026-02-06T16:41:41Z",
        "updatedAt": "2026-02-06T16:41:41Z",
        "author": {
            "self": "https://example.atlassian.net/rest/api/2/user?accountId=a1",
            "accountId": "a1",
        },
        "attributes": {
            "self": "https://api.tempo.io/4/worklogs/126/work-attribute-values",
            "values": [],
        },
    }
    worklog = converter.structure(payload, v4.Worklog)
    assert worklog.issue.id == 10001
    assert worklog.start_date == date(2026, 2, 6)
    assert worklog.start_time == time(20, 6)
    assert worklog.created_at.tzinfo is not None
    assert worklog.self_url.endswith("/4/worklogs/126")
    assert converter.unstructure(worklog) == payload


def test_names_that_are_not_identifiers_become_pascal_case() -> None:
    assert v4.ProjectsByPage.__name__ == "ProjectsByPage"
    assert v4.FixedRevenue.__name__ == "FixedRevenue"
    assert "Projects by page" in SCHEMAS
