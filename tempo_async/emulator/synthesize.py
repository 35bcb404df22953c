"""Schema-valid JSON instances of a bundled schema's definitions: the emulator answers the
operations it does not model with them, and the tests build requests with them.

Deterministic: the n-th value drawn depends only on n. Every property is filled; strings
keep to `minLength`/`maxLength` and the bundle's few `pattern`s, arrays to `minItems`/
`maxItems`, dates and date-times are valid ISO strings.
"""

from __future__ import annotations

from typing import Any


class Synthesizer:
    """Builds one valid instance of a bundled definition, every property filled."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions
        self.counter = 0

    def value(self, schema: dict[str, Any], depth: int = 0) -> Any:
        """A valid instance of `schema` (below `depth` 6, optional properties included)."""
        self.counter += 1
        n = self.counter
        if "$ref" in schema:
            return self.value(self.definitions[schema["$ref"].split("/")[-1]], depth + 1)
        if "enum" in schema:
            return schema["enum"][n % len(schema["enum"])]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next(k for k in kind if k != "null")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            if depth > 6:
                return {
                    key: self.value(props[key], depth + 1) for key in schema.get("required", [])
                }
            if not props:
                extra = schema.get("additionalProperties")
                value = self.value(extra, depth + 1) if isinstance(extra, dict) else n
                return {"any": value}
            return {key: self.value(sub, depth + 1) for key, sub in props.items()}
        if kind == "array":
            count = min(max(2, schema.get("minItems", 0)), schema.get("maxItems", 2))
            return [self.value(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "integer":
            return max(n, schema.get("minimum", 0))
        if kind == "number":
            return n + 0.5
        if kind == "boolean":
            return n % 2 == 0
        fmt = schema.get("format")
        if fmt == "date":
            return f"2026-01-{n % 28 + 1:02d}"
        if fmt == "date-time":
            return f"2026-01-{n % 28 + 1:02d}T10:{n % 60:02d}:00Z"
        if fmt == "time":
            return f"{n % 24:02d}:{n % 60:02d}:00"
        if "pattern" in schema:
            return PATTERN_EXAMPLES[schema["pattern"]]
        text = f"text-{n}".ljust(schema.get("minLength", 0), "x")
        return text[: schema.get("maxLength", len(text))]


PATTERN_EXAMPLES = {
    "^([0-1]?[0-9]|2[0-3])(:[0-5][0-9])(:[0-5][0-9])$": "10:30:00",
    "^([0-1]?[0-9]|2[0-3])(:[0-5][0-9])$": "10:30",
    "^[a-zA-Z0-9-:_.]*$": "key_1.a",
    "^[A-Za-z0-9_.-]*$": "key_1.a",
}
