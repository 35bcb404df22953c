"""Bundle the per-resource schema files of one API version into one JSON Schema document."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_REF = re.compile(r"^(?P<file>[\w.-]+\.json)?#/definitions/(?P<name>\w+)$")


class SchemaError(Exception):
    """A schema file is malformed or two files define the same type."""


def _rewrite_refs(node: Any, source: str, known_files: set[str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref":
                match = _REF.match(value)
                if match is None:
                    raise SchemaError(f"{source}: unsupported $ref {value!r}")
                target = match.group("file")
                if target is not None and target not in known_files:
                    raise SchemaError(f"{source}: $ref to unknown file {target!r}")
                out[key] = f"#/definitions/{match.group('name')}"
            else:
                out[key] = _rewrite_refs(value, source, known_files)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, source, known_files) for item in node]
    return node


def bundle(schema_dir: Path) -> dict[str, Any]:
    """Merge every `*.json` file of `schema_dir` into one document with local refs only."""
    files = sorted(schema_dir.glob("*.json"))
    if not files:
        raise SchemaError(f"no schema files in {schema_dir}")
    names = {f.name for f in files}
    definitions: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        for name, definition in document.get("definitions", {}).items():
            if name in definitions:
                raise SchemaError(f"{name} is defined in both {origin[name]} and {path.name}")
            if definition.get("title", name) != name:
                raise SchemaError(f"{path.name}: {name} has title {definition.get('title')!r}")
            definitions[name] = _rewrite_refs(definition, path.name, names)
            origin[name] = path.name
    for name, definition in definitions.items():
        _check_refs(definition, definitions, f"{origin[name]}#{name}")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"Tempo REST API {schema_dir.name}",
        "definitions": dict(sorted(definitions.items())),
    }


def definition_files(schema_dir: Path) -> dict[str, str]:
    """Every definition name of `schema_dir` -> the stem of the file that defines it."""
    return {
        name: path.stem
        for path in sorted(schema_dir.glob("*.json"))
        for name in json.loads(path.read_text(encoding="utf-8")).get("definitions", {})
    }


def _check_refs(node: Any, definitions: dict[str, Any], where: str) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix("#/definitions/") not in definitions:
            raise SchemaError(f"{where}: dangling $ref {ref!r}")
        for value in node.values():
            _check_refs(value, definitions, where)
    elif isinstance(node, list):
        for item in node:
            _check_refs(item, definitions, where)
