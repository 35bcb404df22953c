"""Open enums: the live API sends values the spec does not list, and we keep them."""

from __future__ import annotations

from enum import Enum
from typing import Any


class OpenEnum(str, Enum):
    """A string enum that accepts unknown values instead of raising.

    `Rule("BIWEEKLY")` returns the member when it is listed and otherwise a new, cached
    pseudo-member whose name and value are the string, so a value added by the server
    round-trips unchanged. Members compare equal to their string value.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether the value is one the schema lists."""
        return self._name_ in type(self).__members__
