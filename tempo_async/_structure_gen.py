"""Generate the hot-path structure function of one model.

cattrs' `make_dict_structure_fn` calls one hook function per field; for the scalars that
make up most of a worklog (strings, numbers, ISO dates) that call costs more than the
work. This generator emits, per model, straight-line code with the scalar checks inlined
and nested models, lists and enums dispatched without detours. An instance is filled as a
builder class of the same memory layout (plain attribute stores, which the frozen class
refuses) and then becomes one of the model; unknown keys are found by counting keys, not
by a pass over them; models without any share the read-only `NO_EXTRA`. It does not
explain failures: any exception makes the converter re-run the payload through cattrs'
detailed path, which names the field and the value.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from typing import Any

import attrs
from cattrs import Converter

from tempo_async.models._extra import NO_EXTRA, ExtraFields
from tempo_async.models._open_enum import OpenEnum

EXTRA = "extra"
#: The attribute marking a generated structure function with the class it builds.
GENERATED = "__tempo_structures__"


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


class _Parsed(dict[str, Any]):
    """ISO strings -> their (immutable) values, the most recent `size` of them kept: a
    page's worklogs share few dates and start times, and a lookup costs a third of a parse."""

    def __init__(self, parse: Callable[[str], Any], size: int = 4096) -> None:
        super().__init__()
        self._parse = parse
        self._size = size

    def __missing__(self, text: str) -> Any:
        value = self._parse(text)  # not a str: TypeError, as the parser says
        if len(self) >= self._size:
            self.clear()
        self[text] = value
        return value


_PARSED: dict[Any, _Parsed] = {date: _Parsed(date.fromisoformat), time: _Parsed(time.fromisoformat)}
# timestamps are mostly distinct: parsed each time
_PARSERS: dict[Any, Callable[[str], Any]] = {datetime: parse_datetime}


#: Each model's builder class (None: built by its __init__), made once.
_BUILDERS: dict[type[Any], type[Any] | None] = {}


def _bad(field: str, value: Any) -> typing.NoReturn:
    raise TypeError(f"{field}: unexpected value {value!r:.80}")


class _Emitter:
    """Builds the source of one function, collecting the globals it refers to.

    A nested model whose hook is generated too is built inline (its code emitted in
    place, under fresh variable names) instead of through a call per object: a v4
    worklog holds five nested objects.
    """

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        self.lines: list[str] = []
        self.globals: dict[str, Any] = {"_bad": _bad}
        self._names = 0

    def ref(self, value: Any) -> str:
        name = f"_g{len(self.globals)}"
        self.globals[name] = value
        return name

    def fresh(self) -> str:
        """A new local variable name."""
        self._names += 1
        return f"v{self._names}"

    def _inlinable(self, tp: Any, trail: tuple[type[Any], ...]) -> bool:
        hook = self.converter.get_structure_hook(tp)
        return getattr(hook, GENERATED, None) is tp and tp not in trail

    def convert(
        self, tp: Any, v: str, label: str, indent: str, trail: tuple[type[Any], ...]
    ) -> None:
        """Emit statements that check and convert the value held in variable `v`."""
        add = self.lines.append
        if tp is Any:
            return
        if tp in _SCALAR_CHECKS:
            check = _SCALAR_CHECKS[tp].format(v=v)
            add(f"{indent}if not ({check}): _bad({label!r}, {v})")
        elif tp in _PARSED:
            add(f"{indent}{v} = {self.ref(_PARSED[tp])}[{v}]")
        elif tp in _PARSERS:
            add(f"{indent}{v} = {self.ref(_PARSERS[tp])}({v})")
        elif isinstance(tp, type) and issubclass(tp, OpenEnum):
            members = self.ref(tp._value2member_map_)
            add(f"{indent}{v} = {members}.get({v}) or {self.ref(tp)}({v})")
        elif attrs.has(tp):
            if self._inlinable(tp, trail):
                self.model(tp, v, v, label, indent, trail)
            else:
                hook = self.ref(self.converter.get_structure_hook(tp))
                add(f"{indent}{v} = {hook}({v}, None)")
        elif typing.get_origin(tp) is list and len(typing.get_args(tp)) == 1:
            (item,) = typing.get_args(tp)
            add(f"{indent}if {v}.__class__ is not list: _bad({label!r}, {v})")
            if attrs.has(item) and self._inlinable(item, trail):
                items, x = self.fresh(), self.fresh()
                add(f"{indent}{items} = []")
                add(f"{indent}for {x} in {v}:")
                self.model(item, x, x, label, indent + "    ", trail)
                add(f"{indent}    {items}.append({x})")
                add(f"{indent}{v} = {items}")
            elif attrs.has(item):
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

    def model(
        self,
        cl: type[Any],
        source: str,
        target: str,
        label: str,
        indent: str,
        trail: tuple[type[Any], ...] = (),
    ) -> None:
        """Emit statements building an instance of `cl` from the dict in variable
        `source` into variable `target`."""
        attrs.resolve_types(cl)
        trail = (*trail, cl)
        fields = [a for a in attrs.fields(cl) if a.name != EXTRA]
        self.lines.append(f"{indent}if {source}.__class__ is not dict: _bad({label!r}, {source})")
        keys = f"len({source})"
        absent = self.fresh()
        if any(a.default is not attrs.NOTHING for a in fields):
            self.lines.append(f"{indent}{absent} = 0")
            keys = f"len({source}) + {absent}"
        values = [self.field(a, source, absent, indent, trail) for a in fields]
        known = self.ref(frozenset(json_name(a) for a in fields))
        # Every required key is in `source` (else KeyError) and the absent optional ones
        # are counted: a key it holds beyond the fields is one the model does not know.
        extra = (
            f"{self.ref(ExtraFields)}({{k: {source}[k] for k in {source} if k not in {known}}})"
            f" if {keys} > {len(fields)} else "
        )
        self.build(
            cl, dict(zip((a.name for a in fields), values, strict=True)), extra, target, indent
        )

    def field(
        self,
        a: attrs.Attribute[Any],
        source: str,
        absent: str,
        indent: str,
        trail: tuple[type[Any], ...],
    ) -> str:
        """Emit statements reading and converting field `a` of the dict in variable
        `source` (counting it in variable `absent` when optional and absent); its variable."""
        add = self.lines.append
        v = self.fresh()
        key = json_name(a)
        inner, nullable = _split_optional(a.type)
        optional = a.default is not attrs.NOTHING
        add(
            f"{indent}{v} = {source}.get({key!r})"
            if optional
            else f"{indent}{v} = {source}[{key!r}]"
        )
        if not (nullable or optional):
            self.convert(inner, v, key, indent, trail)
            return v
        add(f"{indent}if {v} is not None:")
        mark = len(self.lines)
        self.convert(inner, v, key, indent + "    ", trail)
        if len(self.lines) == mark:
            add(f"{indent}    pass")
        if optional:  # null or absent: which, only `extra` needs to know
            add(f"{indent}elif {key!r} not in {source}:")
            add(f"{indent}    {absent} += 1")
        return v

    def build(
        self, cl: type[Any], values: dict[str, str], extra: str, target: str, indent: str
    ) -> None:
        """Emit statements building `cl` from the variables `values` (field -> variable)
        into variable `target`; `extra` is the expression of its extra dict up to what it
        is when there is nothing extra."""
        add = self.lines.append
        has_extra = EXTRA in attrs.fields_dict(cl)
        if cl not in _BUILDERS:  # one per model, whichever functions build it inline
            _BUILDERS[cl] = _builder(cl) if _plain_slots(cl) else None
        builder = _BUILDERS[cl]
        if builder is not None:
            # No validators, converters or post-init: a builder of the same memory layout
            # is filled by plain attribute stores (a quarter of the cost of the frozen
            # class's object.__setattr__ per field), then becomes an instance of `cl`.
            inst = self.fresh()  # `target` may be the source dict, still read below
            add(f"{indent}{inst} = {self.ref(builder)}()")
            for name, v in values.items():
                add(f"{indent}{inst}.{name} = {v}")
            if has_extra:
                add(f"{indent}{inst}.{EXTRA} = {extra}{self.ref(NO_EXTRA)}")
            add(f"{indent}{inst}.__class__ = {self.ref(cl)}")
            add(f"{indent}{target} = {inst}")
            return
        args = ", ".join(f"{name}={v}" for name, v in values.items())
        if not has_extra:
            add(f"{indent}{target} = {self.ref(cl)}({args})")
            return
        found = self.fresh()
        add(f"{indent}{found} = {extra}None")
        add(f"{indent}{target} = {self.ref(cl)}({args})")
        add(f"{indent}if {found} is not None:")
        add(f"{indent}    {self.ref(object.__setattr__)}({target}, {EXTRA!r}, {found})")


def _split_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) < len(typing.get_args(tp)):
            inner = args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
            return inner, True
    return tp, False


def _builder(cl: type[Any]) -> type[Any] | None:
    """A class of `cl`'s memory layout that stores attributes as `object` does (a frozen
    class's `__setattr__` refuses them), so that an instance filled by plain stores can
    become a `cl` by `__class__` assignment; None when CPython would not allow that (a
    base with its own `__setattr__`, a `__weakref__` slot: 3.11 then sees two layouts)."""
    slots = cl.__dict__.get("__slots__")
    base: type[Any] = cl.__mro__[1]
    if not isinstance(slots, tuple) or base.__setattr__ is not object.__setattr__:  # type: ignore[comparison-overlap]
        return None
    name = f"{cl.__name__}Builder"
    namespace = {"__slots__": slots, "__module__": __name__, "__qualname__": name}
    builder = type(name, (base,), namespace)
    probe: Any = object.__new__(builder)
    try:  # same base, same slots: CPython checks that the layouts match
        probe.__class__ = cl
    except TypeError:
        return None
    return builder


def _plain_slots(cl: type[Any]) -> bool:
    """Whether instances can be built by filling slots, skipping __init__ safely."""
    if "__slots__" not in cl.__dict__ or hasattr(cl, "__attrs_post_init__"):
        return False
    for a in attrs.fields(cl):
        if a.validator is not None or a.converter is not None or not a.init:
            return False
        if a.name == EXTRA:
            if a.default is not NO_EXTRA:
                return False
        elif a.default is not attrs.NOTHING and a.default is not None:
            return False
    return True


def generate_structure_fn(cl: type[Any], converter: Converter) -> Callable[[Any, Any], Any]:
    """Compile the structure function of attrs class `cl` for `converter`."""
    emitter = _Emitter(converter)
    emitter.lines.append("def structure(o, _=None):")
    emitter.model(cl, "o", "inst", "$", "    ")
    emitter.lines.append("    return inst")
    fn: Callable[[Any, Any], Any] = _compile(emitter, f"<tempo_async structure {cl.__name__}>")
    setattr(fn, GENERATED, cl)
    return fn


def generate_list_structure_fn(
    cl: type[Any], converter: Converter, *, consume: bool = False
) -> Callable[[list[Any], list[Any]], list[Any]]:
    """Compile `structure(items, out)`, appending to `out` the `cl` of each of `items` (a
    page's) in one loop, the item's code inline (a call per item costs ~8% of structuring
    a v4 worklog); `out` holds what was built when an item fails. With `consume`, each
    item is replaced by None once built: its dicts are freed while the page is structured,
    their memory reused at once and the collector not set off by them (~12% less time)."""
    emitter = _Emitter(converter)
    emitter.lines += ["def structure(items, out):", "    append = out.append"]
    emitter.lines.append("    for i, o in enumerate(items):" if consume else "    for o in items:")
    emitter.model(cl, "o", "inst", "$", "        ")
    emitter.lines.append("        append(inst)")
    if consume:
        emitter.lines.append("        items[i] = None")
    emitter.lines.append("    return out")
    fn: Callable[[list[Any], list[Any]], list[Any]] = _compile(
        emitter, f"<tempo_async structure [{cl.__name__}]>"
    )
    return fn


def _compile(emitter: _Emitter, filename: str) -> Any:
    """The function `structure` that the emitter's lines define."""
    namespace: dict[str, Any] = dict(emitter.globals)
    exec(compile("\n".join(emitter.lines), filename, "exec"), namespace)
    return namespace["structure"]
