"""Checks of generated resource methods' arguments, run before any request is sent.

Each check takes the Python parameter's name (for the message) and the value the caller
gave, and returns what goes on the wire, or raises `TypeError` (wrong kind of value) or
`ValueError` (right kind, bad value) naming the parameter and showing the value. None
means "not given" and passes through (the transport drops it) unless the parameter is
required (`required`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, TypeVar

from tempo_async import _params

__all__ = [
    "array",
    "body",
    "body_items",
    "boolean",
    "date_or_datetime",
    "date_time",
    "day",
    "enum",
    "integer",
    "limit",
    "number",
    "offset",
    "path_int",
    "path_str",
    "required",
    "string",
]

M = TypeVar("M")
V = TypeVar("V")


def _kind(value: object) -> str:
    return f"{type(value).__name__} {value!r:.80}"


def required(name: str, value: V | None) -> V:
    """A required argument: None is refused."""
    if value is None:
        raise TypeError(f"{name} is required")
    return value


def integer(name: str, value: object) -> int | None:
    """An integer (not a bool)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_kind(value)}")
    return value


def number(name: str, value: object) -> float | int | None:
    """A number (int or float, not a bool)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {_kind(value)}")
    return value


def boolean(name: str, value: object) -> bool | None:
    """A bool."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {_kind(value)}")
    return value


def string(name: str, value: object) -> str | None:
    """A non-empty string."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_kind(value)}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty, got {value!r}")
    return value


def day(name: str, value: object) -> date | None:
    """A `datetime.date` (or an ISO `YYYY-MM-DD` string), sent as YYYY-MM-DD."""
    return None if value is None else _params.as_date(name, value)


def date_time(name: str, value: object) -> str | None:
    """An aware `datetime.datetime`, sent in UTC as `YYYY-MM-DDTHH:MM:SSZ`.

    Tempo documents date-time parameters as `yyyy-MM-dd['T'HH:mm:ss]['Z']`: UTC, whole
    seconds. A time in another zone is converted; a fraction of a second is dropped, which
    for `updatedFrom` only includes that second's records too.
    """
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.datetime, got {_kind(value)}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (e.g. datetime(..., tzinfo=timezone.utc)), "
            f"got {value!r}"
        )
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_or_datetime(name: str, value: object) -> str | date | None:
    """A date (sent as YYYY-MM-DD) or an aware datetime (sent as ISO 8601 with a `T`)."""
    if isinstance(value, datetime):
        return date_time(name, value)
    if isinstance(value, date):
        return value
    if value is None:
        return None
    raise TypeError(f"{name} must be a datetime.date or datetime.datetime, got {_kind(value)}")


def enum(name: str, value: object, allowed: Sequence[str]) -> str | None:
    """One of the spec's values (a str, or an enum member whose value it is)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {', '.join(allowed)}; got {_kind(value)}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def array(name: str, values: object, item: Any, *args: Any) -> list[Any] | None:
    """A non-empty sequence, each item checked by `item(name[i], value, *args)`.

    A single item (not a sequence) is taken as a list of one; a str counts as one item.
    """
    if values is None:
        return None
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        values = [values]
    items = [item(f"{name}[{index}]", value, *args) for index, value in enumerate(values)]
    if not items:
        raise ValueError(f"{name} must not be an empty list (pass None for no filter)")
    return items


def path_int(name: str, value: object) -> int | str:
    """A numeric path segment: an int, or a string of digits."""
    return _params.ident(name, value)


def path_str(name: str, value: object) -> str:
    """A path segment: a non-empty string (not `.` or `..`), or a non-negative int for the
    ids the spec types as strings (`GET /4/worklogs/{id}` takes 126 as well as "126")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(_params.ident(name, value))
    return _params.key(name, value)


def limit(value: object, maximum: int) -> int:
    """A page size between 1 and the operation's `maximum`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"limit must be an int, got {_kind(value)}")
    if not 1 <= value <= maximum:
        raise ValueError(f"limit must be between 1 and {maximum}, got {value!r}")
    return value


def offset(value: object) -> int:
    """A start offset: an int >= 0."""
    return _params.offset(value)


def body(name: str, value: object, model: type[M]) -> dict[str, Any]:
    """The JSON body for `model`, from an instance of it or a spec-shaped dict, checked."""
    return _params.body(name, value, model)


def body_items(
    name: str,
    values: object,
    model: type[M],
    *,
    min_items: int = 0,
    max_items: int | None = None,
) -> list[dict[str, Any]]:
    """A JSON array body: a sequence of `model` instances (or dicts), each checked."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of {model.__name__}, got {_kind(values)}")
    if len(values) < min_items:
        raise ValueError(f"{name} must hold at least {min_items} item(s), got {len(values)}")
    if max_items is not None and len(values) > max_items:
        raise ValueError(f"{name} must hold at most {max_items} items, got {len(values)}")
    return [body(f"{name}[{index}]", value, model) for index, value in enumerate(values)]
