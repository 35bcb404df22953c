"""Split one version's generated models into a package imported name by name on first use.

The monolithic module datamodel-code-generator writes is cut along the schema files the
models came from: `schema/v4/worklogs.json` becomes `tempo_async/models/v4/_worklogs.py`,
importing what it references from its sibling modules. The package's `__init__.py` maps
every name to its module and imports that module on first access, so a program pays at
import only for the models it touches (attrs builds each class's methods when the class
is defined: ~1 ms a class, 0.2-0.3 s for all of v4).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from graphlib import CycleError, TopologicalSorter
from typing import NamedTuple

from codegen.lazy_package import lazy_init


class SplitError(Exception):
    """The models cannot be split: a name without a schema file, or modules in a cycle."""


def _module_name(stem: str) -> str:
    return "_" + stem


def _referenced(node: ast.ClassDef, known: Mapping[str, str]) -> set[str]:
    """The generated classes a class names (its annotations, decorators and defaults)."""
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and sub.id in known} - {
        node.name
    }


class Split(NamedTuple):
    """The modules of a split: their sources, and where each class went."""

    files: dict[str, str]
    """File name -> source, `__init__.py` excluded."""
    homes: dict[str, str]
    """Class name -> the module (of the package) that defines it."""


def split(source: str, origin: Mapping[str, str], package: str) -> Split:
    """The modules of `source`'s classes.

    `origin` maps each class name to the stem of the schema file that defines it; `package`
    is the dotted name of the package the modules go in. Each
    module starts with `source`'s imports (unused ones are left to ruff's autofix), then
    imports the classes of other modules it names; the modules must not import in a cycle.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    imports = [
        ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    ]
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    missing = sorted(node.name for node in classes if node.name not in origin)
    if missing:
        raise SplitError(f"no schema file defines {missing}")
    home = {node.name: _module_name(origin[node.name]) for node in classes}
    bodies: dict[str, dict[str, str]] = {}
    needs: dict[str, dict[str, set[str]]] = {}
    for node in classes:
        module = home[node.name]
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        bodies.setdefault(module, {})[node.name] = "\n".join(lines[start - 1 : node.end_lineno])
        wanted = needs.setdefault(module, {})
        for name in _referenced(node, home):
            if home[name] != module:
                wanted.setdefault(home[name], set()).add(name)
    graph = {module: set(wanted) for module, wanted in needs.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise SplitError(f"the model modules import in a cycle: {error.args[1]}") from None
    files = {
        f"{module}.py": _module_source(package, module, imports, needs[module], bodies[module])
        for module in sorted(bodies)
    }
    return Split(files, home)


def _module_source(
    package: str,
    module: str,
    imports: list[str],
    wanted: dict[str, set[str]],
    bodies: dict[str, str],
) -> str:
    cross = [
        f"from {package}.{sibling} import {', '.join(sorted(found))}"
        for sibling, found in sorted(wanted.items())
    ]
    return "\n".join(
        [
            f'"""Models of the schema file {module[1:]}.json."""',
            "",
            *imports,
            *cross,
            "",
            "",
            "\n\n\n".join(bodies.values()),
            "",
            f"__all__ = {sorted(bodies)!r}",
            "",
        ]
    )


def package_init(version: str, homes: Mapping[str, str]) -> str:
    """The package's `__init__.py`: every name (`homes`: name -> module) imported lazily."""
    docstring = (
        f"Models of the Tempo REST API {version}.\n\n"
        f"`from tempo_async.models.{version} import Worklog` is the way in. Each schema file's\n"
        "models live in a module of their own, imported on the first use of one of its\n"
        "names, so a program pays at import only for the models it uses.\n"
    )
    return lazy_init(docstring, f"tempo_async.models.{version}", homes)
