"""`ExtraFields`: the fields of a model that its schema does not know, read-only."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["NO_EXTRA", "ExtraFields"]


class ExtraFields(dict[str, Any]):
    """The fields the server sent that a model's schema does not know (JSON name -> JSON
    value), kept so that unstructuring writes them back.

    A dict that refuses changes, as the frozen model holding it does (`dict(model.extra)`
    is a mutable copy). Every model without such fields shares `NO_EXTRA`: an empty dict
    per model would cost 64 bytes and an allocation each (six per v4 worklog).
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a model's extra fields are read-only; dict(model.extra) is a copy")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple[type[ExtraFields], tuple[dict[str, Any]]]:
        # pickle and copy rebuild it from a dict (not item by item, which it refuses)
        return ExtraFields, (dict(self),)


NO_EXTRA = ExtraFields()
"""The (empty) extra fields of every model that has none."""
