"""JSON Schema validation of request and response bodies against a bundled schema.

The bundle is the one codegen writes from `schema/<version>/*.json` (draft-07, every type
under `definitions`), so the emulator and the client's models check the same contract.
Validators are compiled with fastjsonschema once per definition and cached. A definition
that the bundle does not (yet) hold is not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema

from tempo_async.emulator.errors import ApiError

#: The spec's `time-only`: HH:MM:SS without a zone (fastjsonschema's own `time` is laxer).
TIME_ONLY = r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\Z"

_Validator = Callable[[Any], Any]
_PREFIX = re.compile(r"^data(?:\.|\b)")


class ResponseValidationError(Exception):
    """The emulator produced a body that does not match its schema (an emulator bug)."""


class SchemaValidator:
    """Validates JSON values against the named definitions of one schema bundle."""

    def __init__(self, bundle_path: Path) -> None:
        self._path = bundle_path
        self._definitions: dict[str, Any] | None = None
        self._compiled: dict[str, _Validator] = {}

    @property
    def definitions(self) -> dict[str, Any]:
        """The bundle's definitions, loaded on first use."""
        if self._definitions is None:
            document = json.loads(self._path.read_text(encoding="utf-8"))
            self._definitions = dict(document.get("definitions", {}))
        return self._definitions

    def has(self, name: str) -> bool:
        """Whether the bundle defines `name`."""
        return name in self.definitions

    def _validator(self, name: str) -> _Validator:
        validator = self._compiled.get(name)
        if validator is None:
            schema = {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$ref": f"#/definitions/{name}",
                "definitions": self.definitions,
            }
            validator = fastjsonschema.compile(
                schema, formats={"time": TIME_ONLY}, use_default=False
            )
            self._compiled[name] = validator
        return validator

    def errors(self, name: str, value: Any) -> list[str]:
        """Messages describing why `value` is not a valid `name`; empty when it is.

        Every missing top-level required property gets its own message (the spec's 400
        bodies list several); beyond those, the first schema violation is reported.
        """
        if not self.has(name):
            return []
        try:
            self._validator(name)(value)
        except fastjsonschema.JsonSchemaValueException as exc:
            messages = self._missing_required(name, value)
            if exc.rule != "required" or exc.path != ["data"] or not messages:
                messages.append(
                    _PREFIX.sub(lambda m: "body" if m.group() == "data" else "", exc.message)
                )
            return messages
        return []

    def _missing_required(self, name: str, value: Any) -> list[str]:
        if not isinstance(value, dict):
            return []
        required = self.definitions[name].get("required", [])
        return [f"Field '{field}' is required" for field in required if field not in value]

    def check_request(self, name: str, value: Any) -> None:
        """Raise a 400 listing the problems when `value` is not a valid `name`."""
        messages = self.errors(name, value)
        if messages:
            raise ApiError(400, *messages)

    def check_response(self, name: str, value: Any) -> None:
        """Raise `ResponseValidationError` when the emulator's own body breaks the schema."""
        messages = self.errors(name, value)
        if messages:
            raise ResponseValidationError(f"response is not a valid {name}: {'; '.join(messages)}")
