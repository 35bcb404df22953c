"""Argument checks run before any request is sent.

Every check raises `TypeError` (wrong kind of value) or `ValueError` (right kind, bad
value) naming the parameter and showing the value, so a caller never learns about a typo
from a 400 three retries later.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from tempo_async._converter import ModelValidationError, converter
from tempo_async._paging import MAX_LIMIT
from tempo_async._structure_gen import json_name

M = TypeVar("M")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")


def as_date(name: str, value: object) -> date:
    """A `datetime.date` (or an ISO `YYYY-MM-DD` string) for query parameter `name`."""
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date (Tempo filters by day), got a datetime {value!r}"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            # Only YYYY-MM-DD: Python 3.11+ `fromisoformat` also takes week dates
            # ("2026-W01-1"), which would silently become another day.
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name} must be an ISO date YYYY-MM-DD, got {value!r}") from None
    raise TypeError(
        f"{name} must be a datetime.date or an ISO date string, got {type(value).__name__} {value!r}"
    )


def optional_date(name: str, value: object) -> date | None:
    """Like `as_date`, with None meaning 'not given'."""
    return None if value is None else as_date(name, value)


def date_range(
    from_: object, to: object, *, required: bool = False
) -> tuple[date | None, date | None]:
    """Check a `from_`..`to` pair: both dates, `from_` not after `to`; both needed if required."""
    if required:
        if from_ is None:
            raise TypeError("from_ is required (the first day of the range)")
        if to is None:
            raise TypeError("to is required (the last day of the range, inclusive)")
    start = optional_date("from_", from_)
    end = optional_date("to", to)
    if start is not None and end is not None and start > end:
        raise ValueError(f"from_ ({start.isoformat()}) is after to ({end.isoformat()})")
    return start, end


def required_dates(from_: object, to: object) -> tuple[date, date]:
    """A `from_`..`to` range that the operation requires."""
    start, end = date_range(from_, to, required=True)
    assert start is not None and end is not None
    return start, end


def key(name: str, value: object) -> str:
    """A non-empty string identifier (account key, accountId, issue key, permission key...)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty, got {value!r}")
    if value in (".", ".."):
        # As a path segment it would address another resource (`/accounts/..` is the root).
        raise ValueError(f"{name} must not be {value!r}")
    return value


def ident(name: str, value: object) -> int | str:
    """A numeric id: a non-negative int, or a string of digits (the spec types path ids as strings)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")
        return value
    if not value.strip():
        raise ValueError(f"{name} must not be empty, got {value!r}")
    if not _DIGITS.fullmatch(value):
        raise ValueError(f"{name} must be a number (digits only), got {value!r}")
    return value


def optional_ident(name: str, value: object) -> int | str | None:
    """Like `ident`, with None meaning 'not given'."""
    return None if value is None else ident(name, value)


def limit(value: object) -> int:
    """A page size: an int in 1..1000 (the API's maximum)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"limit must be an int, got {type(value).__name__} {value!r}")
    if not 1 <= value <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {value!r}")
    return value


def offset(value: object) -> int:
    """A start offset: a non-negative int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"offset must be an int, got {type(value).__name__} {value!r}")
    if value < 0:
        raise ValueError(f"offset must not be negative, got {value!r}")
    return value


def concurrency(value: object) -> int | None:
    """Pages in flight at once: None (the client's default) or an int >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"concurrency must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"concurrency must be at least 1, got {value!r}")
    return value


def keys(name: str, values: object) -> list[str] | None:
    """An optional list of identifiers sent as a repeated query parameter."""
    if values is None:
        return None
    if isinstance(values, str):
        return [key(name, values)]
    if not isinstance(values, Iterable):
        raise TypeError(
            f"{name} must be a string or a list of strings, got {type(values).__name__} {values!r}"
        )
    items = [key(f"{name}[{index}]", item) for index, item in enumerate(values)]
    if not items:
        raise ValueError(f"{name} must not be an empty list (pass None for no filter)")
    return items


def optional_str(name: str, value: object) -> str | None:
    """An optional free-text argument (comments)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    return value


def body(name: str, value: object, model: type[M]) -> dict[str, Any]:
    """The JSON body for input model `model`, from an instance of it or a spec-shaped dict.

    The body is checked against the model (required fields present, right types) by a
    round trip through the converter, so a bad field fails here, not at the server.
    """
    if isinstance(value, model):
        payload: Any = _unstructure_input(name, value, model)
    elif isinstance(value, Mapping):
        payload = dict(value)
    else:
        raise TypeError(
            f"{name} must be a {model.__name__} (or its JSON dict), got {type(value).__name__}"
        )
    try:
        checked = converter.structure(payload, model)
    except ModelValidationError as error:
        detail = "; ".join(
            f"{path.removeprefix('$.')}: {problem}" for path, problem in error.errors
        )
        raise ValueError(f"{name} is not a valid {model.__name__}: {detail}") from None
    result: dict[str, Any] = converter.unstructure(checked)
    return result


def _unstructure_input(name: str, value: Any, model: type[Any]) -> Any:
    """The JSON of input model instance `value`.

    attrs does not check field types, so a field may hold anything; the unstructure hook
    of its declared type then fails with a bare TypeError/AttributeError. That failure is
    turned into a ValueError naming the parameter and the field.
    """
    try:
        return converter.unstructure(value)
    except (TypeError, ValueError, AttributeError):
        pass
    hints = typing.get_type_hints(model)
    for field in attrs.fields(model):
        field_value = getattr(value, field.name)
        try:
            converter.unstructure(field_value, unstructure_as=hints.get(field.name))
        except (TypeError, ValueError, AttributeError):
            raise ValueError(
                f"{name} is not a valid {model.__name__}: {json_name(field)}: "
                f"cannot send {type(field_value).__name__} {field_value!r}"
            ) from None
    raise ValueError(f"{name} is not a valid {model.__name__}: cannot convert it to JSON")
