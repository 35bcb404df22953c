"""The cattrs converter between spec JSON and the generated models.

All (un)structuring lives here, not in the models. The hot path (`converter`) uses
cattrs-generated, specialised functions with detailed validation off; when a payload does
not fit, it is run once more through a detailed converter to build an error that names the
field and the bad value.

Nothing is lost: keys a model does not know are kept in its `extra` mapping and written
back by `unstructure`, so `unstructure(structure(d, M)) == d` (keys that were JSON null
may come back absent).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timezone
from typing import Any, TypeVar

import attrs
from cattrs import ClassValidationError, Converter, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from tempo_async._structure_gen import (
    EXTRA,
    GENERATED,
    generate_list_structure_fn,
    generate_structure_fn,
    json_name,
    parse_datetime,
)
from tempo_async.models._extra import ExtraFields
from tempo_async.models._open_enum import OpenEnum

T = TypeVar("T")


class ModelValidationError(ValueError):
    """A JSON payload does not fit its model; `errors` lists (path, problem) pairs."""

    def __init__(self, model: type[Any], errors: list[tuple[str, str]]) -> None:
        self.model = model
        self.errors = errors
        detail = "; ".join(f"{path}: {problem}" for path, problem in errors)
        super().__init__(f"invalid {model.__name__}: {detail}")


# -- scalar hooks ----------------------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise TypeError(f"expected a string, got {value!r}")


def _structure_number(value: Any, _: Any) -> Any:
    # ints and floats are kept exactly as sent, so an integer field that arrives as a
    # number (or the reverse) round-trips unchanged.
    if type(value) is int or type(value) is float:
        return value
    raise TypeError(f"expected a number, got {value!r}")


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise TypeError(f"expected a boolean, got {value!r}")


def _structure_date(value: Any, _: Any) -> date:
    if type(value) is not str:
        raise TypeError(f"expected an ISO date string, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO date (YYYY-MM-DD), got {value!r}") from None


def _structure_time(value: Any, _: Any) -> time:
    if type(value) is not str:
        raise TypeError(f"expected an ISO time string, got {value!r}")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected an ISO time (HH:MM:SS), got {value!r}") from None


def _structure_datetime(value: Any, _: Any) -> datetime:
    if type(value) is not str:
        raise TypeError(f"expected an ISO date-time string, got {value!r}")
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValueError(f"expected an ISO date-time, got {value!r}") from None


def _unstructure_datetime(value: datetime) -> str:
    text = value.isoformat()
    if value.tzinfo is timezone.utc and text.endswith("+00:00"):
        return text[:-6] + "Z"
    return text


def _structure_any(value: Any, _: Any) -> Any:
    return value


def _structure_open_enum(value: Any, cl: type[OpenEnum]) -> OpenEnum:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {value!r}")
    return cl(value)


def _unstructure_open_enum(value: OpenEnum | str) -> str:
    # A plain string given for an enum field (`CategoryInput(type_name="BILLABLE")`) is
    # sent as is, like any value the enum does not list.
    if isinstance(value, OpenEnum):
        return str(value._value_)
    if type(value) is not str:
        raise TypeError(f"expected an enum member or a string, got {value!r}")
    return value


# -- unions such as `str | SelfLink` (spec: memberships.self) ----------------------------


def _is_model_union(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin is not typing.Union and origin is not types.UnionType:
        return False
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return len(args) > 1 and any(attrs.has(a) for a in args)


def _model_union_hook(converter: Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(tp: Any) -> Callable[[Any, Any], Any]:
        args = typing.get_args(tp)
        model = next(a for a in args if attrs.has(a))
        scalars = tuple(a for a in args if not attrs.has(a) and a is not type(None))
        allows_none = type(None) in args

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, Mapping):
                return converter.structure(value, model)
            if (value is None and allows_none) or isinstance(value, scalars):
                return value
            raise TypeError(f"expected one of {tp}, got {value!r}")

        return structure

    return factory


# -- attrs models ----------------------------------------------------------------------


def _detailed_structure_factory(converter: Converter) -> Callable[[Any], Any]:
    """cattrs' own generated functions with detailed validation: the explaining path."""

    def factory(cl: type[Any]) -> Callable[[Mapping[str, Any], Any], Any]:
        fields = attrs.fields(cl)
        renames = {a.name: override(rename=json_name(a)) for a in fields if a.name != EXTRA}
        if EXTRA in attrs.fields_dict(cl):
            renames[EXTRA] = override(omit=True)
        base = make_dict_structure_fn(cl, converter, _cattrs_detailed_validation=True, **renames)  # type: ignore[arg-type]
        known = frozenset(json_name(a) for a in fields if a.name != EXTRA)
        keeps_extra = EXTRA in attrs.fields_dict(cl)

        def structure(payload: Mapping[str, Any], _: Any) -> Any:
            if not isinstance(payload, Mapping):
                raise TypeError(f"expected a JSON object, got {payload!r:.80}")
            instance = base(payload, cl)
            if keeps_extra:
                # Any Mapping lands here (the fast path takes exact dicts only): keep the
                # keys the model does not know, as the fast path does.
                extra = {key: payload[key] for key in payload if key not in known}
                if extra:
                    object.__setattr__(instance, EXTRA, ExtraFields(extra))
            return instance

        return structure

    return factory


def _model_structure_factory(converter: Converter) -> Callable[[Any], Any]:
    """The hot path: one generated function per model, scalar checks inlined."""

    def factory(cl: type[Any]) -> Callable[[Mapping[str, Any], Any], Any]:
        return generate_structure_fn(cl, converter)

    return factory


def _model_unstructure_factory(converter: Converter) -> Callable[[Any], Any]:
    def factory(cl: type[Any]) -> Callable[[Any], dict[str, Any]]:
        fields = attrs.fields(cl)
        renames = {a.name: override(rename=json_name(a)) for a in fields if a.name != EXTRA}
        has_extra = EXTRA in attrs.fields_dict(cl)
        if has_extra:
            renames[EXTRA] = override(omit=True)
        base = make_dict_unstructure_fn(cl, converter, _cattrs_omit_if_default=True, **renames)  # type: ignore[arg-type]
        if not has_extra:
            return base

        def unstructure(instance: Any) -> dict[str, Any]:
            data = base(instance)
            extra = getattr(instance, EXTRA)
            if extra:
                data.update(extra)
            return data

        return unstructure

    return factory


def _configure(converter: Converter, detailed: bool) -> Converter:
    # singledispatch: the most specific class wins, so OpenEnum (a str) gets its own hook.
    scalar_hooks: dict[Any, Callable[[Any, Any], Any]] = {
        str: _structure_str,
        int: _structure_number,
        float: _structure_number,
        bool: _structure_bool,
        date: _structure_date,
        time: _structure_time,
        datetime: _structure_datetime,
    }
    for scalar, hook in scalar_hooks.items():
        converter.register_structure_hook(scalar, hook)
    converter.register_structure_hook(OpenEnum, _structure_open_enum)
    converter.register_structure_hook_func(lambda t: t is Any, _structure_any)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook(time, time.isoformat)
    converter.register_unstructure_hook(datetime, _unstructure_datetime)
    converter.register_unstructure_hook(OpenEnum, _unstructure_open_enum)
    converter.register_structure_hook_factory(_is_model_union, _model_union_hook(converter))
    if detailed:
        converter.register_structure_hook_factory(attrs.has, _detailed_structure_factory(converter))
    else:
        converter.register_structure_hook_factory(attrs.has, _model_structure_factory(converter))
    converter.register_unstructure_hook_factory(attrs.has, _model_unstructure_factory(converter))
    return converter


def _describe(exc: BaseException, path: str, model: type[Any] | None) -> list[tuple[str, str]]:
    """Flatten a cattrs validation error tree into (JSON path, problem) pairs."""
    if isinstance(exc, ClassValidationError):
        out: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        names = {a.name: json_name(a) for a in attrs.fields(model)} if model else {}
        for inner, note in with_notes:
            field_path = f"{path}.{names.get(note.name, note.name)}"
            out.extend(_describe(inner, field_path, _model_of(note.type)))
        for inner in without:
            out.extend(_describe(inner, path, None))
        return out
    if isinstance(exc, IterableValidationError):
        items: list[tuple[str, str]] = []
        indexed, plain = exc.group_exceptions()
        for inner, index_note in indexed:
            items.extend(
                _describe(inner, f"{path}[{index_note.index}]", _model_of(index_note.type))
            )
        for inner in plain:
            items.extend(_describe(inner, path, None))
        return items
    if isinstance(exc, KeyError):
        return [(path, "required field is missing")]
    return [(path, str(exc) or type(exc).__name__)]


def _model_of(tp: Any) -> type[Any] | None:
    if attrs.has(tp):
        return typing.cast(type[Any], tp)
    for arg in typing.get_args(tp):
        if attrs.has(arg):
            return typing.cast(type[Any], arg)
    return None


class TempoConverter(Converter):
    """The fast cattrs converter of the project, with readable errors on bad payloads."""

    def __init__(self) -> None:
        super().__init__(detailed_validation=False)
        _configure(self, detailed=False)
        self._detailed: Converter | None = None
        self._list_hooks: dict[Any, Callable[[list[Any], list[Any]], list[Any]] | None] = {}

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure `obj` into `cl`; a payload that does not fit raises ModelValidationError.

        The fast path only checks; when it fails, the detailed converter runs once more
        and either accepts the payload (a shape only it handles, such as a non-dict
        Mapping) or explains every problem with its JSON path.
        """
        try:
            return super().structure(obj, cl)
        except Exception as fast_error:
            return self._structure_detailed(obj, cl, fast_error)

    def structurer(
        self,
        cl: type[T],
        on_error: Callable[[ModelValidationError], Exception] | None = None,
    ) -> Callable[[Any], T]:
        """`structure(obj, cl)` as a function of `obj`, its hook looked up once: for the
        items of a list or a page (the per-call lookup costs a fifth of structuring a
        worklog). `on_error` gives what to raise instead of a ModelValidationError."""
        hook = self.get_structure_hook(cl)

        def structure(obj: Any) -> T:
            try:
                result: T = hook(obj, cl)
            except Exception as fast_error:
                try:
                    result = self._structure_detailed(obj, cl, fast_error)
                except ModelValidationError as error:
                    if on_error is None:
                        raise
                    raise on_error(error) from None
            return result

        return structure

    def list_structurer(
        self,
        cl: type[T],
        on_error: Callable[[ModelValidationError], Exception] | None = None,
        *,
        consume: bool = False,
    ) -> Callable[[list[Any]], list[T]]:
        """`[structure(item, cl) for item in items]` as a function of the list `items` (a
        collection's or a page's): for a generated model, one compiled loop with the item's
        code inline. An item the fast path refuses goes, with the ones after it, through
        `structurer(cl, on_error)`, which accepts it (a non-dict Mapping) or explains it.

        `consume=True` is for a caller that owns the list and drops it afterwards (the
        paginators, a decoded response): each item is replaced by None once its model is
        built, so the page's memory is freed and reused while it is structured.
        """
        each = self.structurer(cl, on_error)
        key = (cl, consume)
        if key not in self._list_hooks:
            generated = getattr(self.get_structure_hook(cl), GENERATED, None) is cl
            self._list_hooks[key] = (
                generate_list_structure_fn(cl, self, consume=consume) if generated else None
            )
        fast = self._list_hooks[key]
        if fast is None:
            return lambda items: list(map(each, items))

        def structure_all(items: list[Any]) -> list[T]:
            out: list[T] = []
            try:
                return fast(items, out)
            except Exception:
                # the items before the failing one are built (and, consumed, None)
                out.extend(map(each, items[len(out) :]))
                return out

        return structure_all

    def _structure_detailed(self, obj: Any, cl: Any, fast_error: Exception) -> Any:
        if self._detailed is None:
            self._detailed = _configure(Converter(detailed_validation=True), detailed=True)
        model = _model_of(cl) or type(obj)
        try:
            return self._detailed.structure(obj, cl)
        except Exception as detailed_error:
            if isinstance(detailed_error, KeyError):
                errors = [("$", f"required field {detailed_error} is missing")]
            else:
                errors = _describe(detailed_error, "$", _model_of(cl))
            raise ModelValidationError(model, errors) from None
        finally:
            del fast_error


converter = TempoConverter()
"""The converter: `converter.structure(json_dict, Model)`, `converter.unstructure(model)`."""
