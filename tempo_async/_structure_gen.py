"""Generate the hot-path structure function of one model.

cattrs' `make_dict_structure_fn` calls one hook function per field; for the scalars that
make up most of a worklog (strings, numbers, ISO dates) that call costs more than the
work. This generator emits, per model, straight-line code with the scalar checks inlined
and nested models, lists and enums dispatched without detours. It does not explain
failures: any exception makes the converter re-run the payload through cattrs' detailed
path, which names the field and the value.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timezone
from typing import Any

import attrs
from cattrs import Converter

from tempo_async.models._open_enum import OpenEnum

EXTRA = "extra"


def json_name(a: attrs.Attribute[Any]) -> str:
    """The spec's (camelCase) name of a model attribute."""
    name = a.metadata.get("json")
    return name if isinstance(name, str) else a.name


def _datetime_from_iso_z(value: str) -> datetime:
    if value.endswith(("Z", "z")):
        return datetime.fromisoformat(value[:-1]).replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(value)


# Python 3.11's C fromisoformat accepts the trailing "Z" Tempo sends; 3.10's does not.
parse_datetime: Callable[[str], datetime] = (
    datetime.fromisoformat if sys.version_info >= (3, 11) else _datetime_from_iso_z
)

_SCALAR_CHECKS = {
    str: "{v}.__class__ is str",
    bool: "{v}.__class__ is bool",
    int: "{v}.__class__ is int or {v}.__class__ is float",
    float: "{v}.__class__ is float or {v}.__class__ is int",
}
_PARSERS: dict[Any, Callable[[str], Any]] = {
    date: date.fromisoformat,
    time: time.fromisoformat,
    datetime: parse_datetime,
}


def _bad(field: str, value: Any) -> typing.NoReturn:
    raise TypeError(f"{field}: unexpected value {value!r:.80}")


class _Emitter:
    """Builds the source of one function, collecting the globals it refers to."""

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        self.lines: list[str] = []
        self.globals: dict[str, Any] = {"_bad": _bad}

    def ref(self, value: Any) -> str:
        name = f"_g{len(self.globals)}"
        self.globals[name] = value
        return name

    def convert(self, tp: Any, v: str, label: str, indent: str) -> None:
        """Emit statements that check and convert the value held in variable `v`."""
        add = self.lines.append
        if tp is Any:
            return
        if tp in _SCALAR_CHECKS:
            check = _SCALAR_CHECKS[tp].format(v=v)
            add(f"{indent}if not ({check}): _bad({label!r}, {v})")
        elif tp in _PARSERS:
            add(f"{indent}{v} = {self.ref(_PARSERS[tp])}({v})")
        elif isinstance(tp, type) and issubclass(tp, OpenEnum):
            members = self.ref(tp._value2member_map_)
            add(f"{indent}{v} = {members}.get({v}) or {self.ref(tp)}({v})")
        elif attrs.has(tp):
            add(f"{indent}{v} = {self.ref(self.converter.get_structure_hook(tp))}({v}, None)")
        elif typing.get_origin(tp) is list and len(typing.get_args(tp)) == 1:
            (item,) = typing.get_args(tp)
            add(f"{indent}if {v}.__class__ is not list: _bad({label!r}, {v})")
            if attrs.has(item):
                hook = self.ref(self.converter.get_structure_hook(item))
                add(f"{indent}{v} = [{hook}(x, None) for x in {v}]")
            elif item in _SCALAR_CHECKS:
                check = _SCALAR_CHECKS[item].format(v="x")
                add(f"{indent}if not all({check} for x in {v}): _bad({label!r}, {v})")
                add(f"{indent}{v} = list({v})")
            else:
                hook = self.ref(self.converter.get_structure_hook(tp))
                add(f"{indent}{v} = {hook}({v}, {self.ref(tp)})")
        else:
            hook = self.ref(self.converter.get_structure_hook(tp))
            add(f"{indent}{v} = {hook}({v}, {self.ref(tp)})")


def _split_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) < len(typing.get_args(tp)):
            inner = args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
            return inner, True
    return tp, False


def _plain_slots(cl: type[Any]) -> bool:
    """Whether instances can be built by filling slots, skipping __init__ safely."""
    if "__slots__" not in cl.__dict__ or hasattr(cl, "__attrs_post_init__"):
        return False
    for a in attrs.fields(cl):
        if a.validator is not None or a.converter is not None or not a.init:
            return False
        if a.name == EXTRA:
            if getattr(a.default, "factory", None) is not dict:
                return False
        elif a.default is not attrs.NOTHING and a.default is not None:
            return False
    return True


def generate_structure_fn(cl: type[Any], converter: Converter) -> Callable[[Any, Any], Any]:
    """Compile the structure function of attrs class `cl` for `converter`."""
    attrs.resolve_types(cl)
    emitter = _Emitter(converter)
    add = emitter.lines.append
    fields = [a for a in attrs.fields(cl) if a.name != EXTRA]
    has_extra = EXTRA in attrs.fields_dict(cl)
    known = frozenset(json_name(a) for a in fields)
    required = [a for a in fields if a.default is attrs.NOTHING]

    add("def structure(o, _=None):")
    add("    if o.__class__ is not dict: _bad('$', o)")
    args: list[str] = []
    for index, a in enumerate(fields):
        v = f"v{index}"
        key = json_name(a)
        inner, nullable = _split_optional(a.type)
        if a.default is attrs.NOTHING:
            add(f"    {v} = o[{key!r}]")
        else:
            add(f"    {v} = o.get({key!r})")
            nullable = True
        body_indent = "    "
        if nullable:
            add(f"    if {v} is not None:")
            body_indent = "        "
            mark = len(emitter.lines)
            emitter.convert(inner, v, key, body_indent)
            if len(emitter.lines) == mark:
                add(f"{body_indent}pass")
        else:
            emitter.convert(inner, v, key, body_indent)
        args.append(f"{a.name}={v}")
    known_ref = emitter.ref(known)
    extras = f"{{k: o[k] for k in o if k not in {known_ref}}}"
    has_unknown = f"len(o) > {len(required)} and not o.keys() <= {known_ref}"
    if _plain_slots(cl):
        # No validators, converters or post-init: fill the slots directly, which costs
        # half of the frozen __init__ (one object.__setattr__ call per field).
        add(f"    inst = {emitter.ref(object.__new__)}({emitter.ref(cl)})")
        for index, a in enumerate(fields):
            add(f"    {emitter.ref(getattr(cl, a.name).__set__)}(inst, v{index})")
        if has_extra:
            add(
                f"    {emitter.ref(getattr(cl, EXTRA).__set__)}(inst, {extras} if {has_unknown} else {{}})"
            )
    else:
        add(f"    inst = {emitter.ref(cl)}({', '.join(args)})")
        if has_extra:
            add(f"    if {has_unknown}:")
            add(f"        {emitter.ref(object.__setattr__)}(inst, {EXTRA!r}, {extras})")
    add("    return inst")
    source = "\n".join(emitter.lines)
    namespace: dict[str, Any] = dict(emitter.globals)
    exec(compile(source, f"<tempo_async structure {cl.__name__}>", "exec"), namespace)
    fn: Callable[[Mapping[str, Any], Any], Any] = namespace["structure"]
    return fn
