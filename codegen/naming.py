"""How the spec's names become Python names (shared by every generator)."""

from __future__ import annotations

import keyword
import re

_WORD = re.compile(r"[A-Za-z0-9]+")


def model_name(schema_name: str) -> str:
    """The class name of an OpenAPI component schema.

    A name that is already an identifier is kept as is (`PageableWorklog`); any other
    becomes the PascalCase of its words (`Projects by page` -> `ProjectsByPage`,
    `Fixed Revenue` -> `FixedRevenue`), as `v4-surface.md` says.
    """
    if schema_name.isidentifier() and not keyword.iskeyword(schema_name):
        return schema_name
    words = _WORD.findall(schema_name)
    if not words:
        raise ValueError(f"schema name {schema_name!r} has no word to name a class after")
    name = "".join(word[0].upper() + word[1:] for word in words)
    return name if name[0].isalpha() else f"M{name}"


def snake_case(name: str) -> str:
    """`accountId` -> `account_id`, `from` -> `from_`, `issueKey` -> `issue_key`."""
    text = re.sub(r"[^0-9A-Za-z]+", "_", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text).lower().strip("_")
    if keyword.iskeyword(text) or text in {"self", "global"}:
        text += "_"
    return text
