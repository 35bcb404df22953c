"""Derive `schema/v4/*.json` from Tempo's OpenAPI document, plus our commented overlay.

A mechanical transcription is exact where a hand one is not, so the v4 schemas are not
written by hand: this step reads `schema/v4/tempo-openapi.yaml` (Tempo's own document,
unmodified), keeps every component schema that an operation uses (following `$ref`s
from parameters, request bodies and responses), rewrites each from OpenAPI 3.0 to the
draft-07 conventions of `schema/README.md`, applies `schema/v4/overlay.yaml` (our
corrections, each with its reason) and writes one file per resource family.

The rewriting rules (the same for every schema, so they are code, not overlay):

- names: a component name that is not an identifier becomes the PascalCase of its words
  (`codegen.naming.model_name`); `title` is that name, `$ref`s follow it;
- `nullable: true` becomes a `["<type>", "null"]` type;
- an enum on a property is hoisted into its own definition `<Schema><Property>` (the
  generated classes get stable names instead of `Status1`, `Status2`); Tempo's generator
  repeats an item enum on the array itself, which draft-07 would apply to the array: it
  is dropped there;
- `format`s that only restate the type (`string`, `array`, `object`) are dropped, as are
  OpenAPI-only keywords (`example`, `deprecated`, `xml`, `discriminator`, ...);
- inner `title`s are dropped (they would name classes after a property's prose).

A family is the tag of the operations that use a schema, snake_cased (`Account -
Categories` -> `account_categories.json`); a schema used under several tags goes to
`common.json`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from codegen.naming import model_name

SPEC = Path("schema/v4/tempo-openapi.yaml")
OVERLAY = Path("schema/v4/overlay.yaml")
OUT = Path("schema/v4")
METHODS = ("get", "put", "post", "delete", "patch")

_REF_PREFIX = "#/components/schemas/"
_DROPPED = frozenset(
    {"example", "examples", "deprecated", "xml", "discriminator", "externalDocs", "title"}
)
_TYPE_FORMATS = frozenset({"string", "array", "object"})


class SpecError(Exception):
    """The OpenAPI document or the overlay cannot be transcribed."""


def load_spec(root: Path) -> dict[str, Any]:
    """The OpenAPI document (the C loader when PyYAML has it: the file is 560 KB)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (root / SPEC).open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=loader)
    return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            yield ref.removeprefix(_REF_PREFIX)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def used_schemas(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Every component schema an operation uses -> the tags of the operations using it."""
    schemas = spec["components"]["schemas"]
    used: dict[str, set[str]] = {}
    for _path, _method, operation in operations(spec):
        tag = (operation.get("tags") or ["common"])[0]
        todo = list(_refs(operation))
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name not in schemas:
                raise SpecError(f"{operation['operationId']}: $ref to unknown schema {name!r}")
            seen.add(name)
            used.setdefault(name, set()).add(tag)
            todo.extend(_refs(schemas[name]))
    return used


def family_file(tag: str) -> str:
    """`Account - Categories` -> `account_categories.json`."""
    words = re.findall(r"[A-Za-z0-9]+", tag)
    return "_".join(word.lower() for word in words) + ".json"


class _Transcriber:
    """Rewrites OpenAPI schema objects into draft-07 definitions, hoisting enums."""

    def __init__(self, files: dict[str, str], taken: set[str]) -> None:
        self.files = files  # class name -> file it is defined in
        self.taken = taken
        self.hoisted: dict[str, tuple[str, dict[str, Any]]] = {}  # name -> (file, definition)

    def definition(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        out = self.node(schema, owner=name, prop=None, file=self.files[name])
        return {"title": name, **out}

    def ref(self, target: str, file: str) -> str:
        cls = model_name(target)
        where = self.files[cls]
        return f"#/definitions/{cls}" if where == file else f"{where}#/definitions/{cls}"

    def node(self, schema: Any, *, owner: str, prop: str | None, file: str) -> Any:
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            return {"$ref": self.ref(schema["$ref"].removeprefix(_REF_PREFIX), file)}
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROPPED or key.startswith("x-") or key == "nullable":
                continue
            if key == "format" and value in _TYPE_FORMATS:
                continue
            if key == "properties":
                out[key] = {
                    pname: self.node(pvalue, owner=owner, prop=pname, file=file)
                    for pname, pvalue in value.items()
                }
            elif key in ("items", "additionalProperties"):
                item_prop = f"{prop}Item" if (key == "items" and prop) else prop
                out[key] = self.node(value, owner=owner, prop=item_prop, file=file)
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [self.node(v, owner=owner, prop=prop, file=file) for v in value]
            else:
                out[key] = copy.deepcopy(value)
        if schema.get("nullable") is True and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        if "enum" in out and out.get("type") == "array":
            del out["enum"]
        if "enum" in out and prop is not None:
            return self.hoist(out, owner, prop, file)
        return out

    def hoist(self, enum: dict[str, Any], owner: str, prop: str, file: str) -> dict[str, Any]:
        name = owner + prop[0].upper() + prop[1:]
        name = re.sub(r"[^0-9A-Za-z]", "", name)
        if name in self.taken and name not in self.hoisted:
            name += "Enum"
        if name in self.hoisted and self.hoisted[name][1]["enum"] != enum["enum"]:
            raise SpecError(f"two different enums would be named {name}")
        kept = {k: v for k, v in enum.items() if k in ("type", "enum", "description")}
        self.hoisted[name] = (file, {"title": name, **kept})
        self.taken.add(name)
        self.files[name] = file
        rest = {k: v for k, v in enum.items() if k not in kept}
        if "description" in enum:
            rest["description"] = enum["description"]
        return {"$ref": f"#/definitions/{name}", **rest}


def load_overlay(root: Path) -> list[dict[str, Any]]:
    """The overlay's corrections: `{schema, property?, set?, remove?, reason}` each."""
    document = yaml.safe_load((root / OVERLAY).read_text(encoding="utf-8")) or {}
    corrections = document.get("corrections", [])
    for index, entry in enumerate(corrections):
        if not isinstance(entry, dict) or not entry.get("schema") or not entry.get("reason"):
            raise SpecError(f"overlay correction #{index} needs a schema and a reason")
    return list(corrections)


def _apply(definitions: dict[str, dict[str, Any]], entry: dict[str, Any]) -> None:
    name = entry["schema"]
    if name not in definitions:
        raise SpecError(f"overlay: no definition {name!r} (is it used by an operation?)")
    target = definitions[name]
    if "property" in entry:
        properties = target.get("properties", {})
        if entry["property"] not in properties:
            raise SpecError(f"overlay: {name} has no property {entry['property']!r}")
        target = properties[entry["property"]]
    for key in entry.get("remove", []):
        if key == "required" and "property" in entry:
            required = definitions[name].get("required", [])
            definitions[name]["required"] = [r for r in required if r != entry["property"]]
            continue
        target.pop(key, None)
    target.update(copy.deepcopy(entry.get("set", {})))
    if not definitions[name].get("required", True):
        del definitions[name]["required"]


def transcribe(spec: dict[str, Any], overlay: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """file name -> its JSON Schema document, for every used component schema."""
    schemas = spec["components"]["schemas"]
    used = used_schemas(spec)
    files: dict[str, str] = {}
    for name, tags in used.items():
        cls = model_name(name)
        if cls in files:
            raise SpecError(f"two schemas would be named {cls}")
        files[cls] = family_file(next(iter(tags))) if len(tags) == 1 else "common.json"
    transcriber = _Transcriber(files, set(files))
    definitions = {
        model_name(name): transcriber.definition(model_name(name), schemas[name])
        for name in sorted(used, key=model_name)
    }
    for name, (_file, definition) in transcriber.hoisted.items():
        definitions[name] = definition
    for entry in overlay:
        _apply(definitions, entry)
    documents: dict[str, dict[str, Any]] = {}
    for name in sorted(definitions):
        document = documents.setdefault(
            files[name], {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {}}
        )
        document["definitions"][name] = definitions[name]
    return dict(sorted(documents.items()))


def generate(root: Path, out_root: Path) -> list[Path]:
    """Write `schema/v4/*.json` under `out_root` from the spec and overlay under `root`."""
    documents = transcribe(load_spec(root), load_overlay(root))
    out_dir = out_root / OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, document in documents.items():
        path = out_dir / file_name
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
