"""The layout keeps each API version in places of its own.

Transport, paging, retry, rate limit, auth, errors, converter, the client and resource
bases and the emulator core are shared by v3 and v4, so none of them may name a version:
no version's path prefix in its code, no import of a version's models, resources,
client or emulator routes. (Docstrings may give examples.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tempo_async"
VERSION_NEUTRAL = sorted(
    [
        *(p for p in PACKAGE.glob("_*.py") if p.name != "__init__.py"),
        PACKAGE / "errors.py",
        PACKAGE / "oauth.py",
        *(
            p
            for p in (PACKAGE / "emulator").glob("*.py")
            if p.name not in ("__init__.py", "pytest_plugin.py")
        ),
    ]
)
VERSION_PATHS = ("/core/3", "/4/", "/papertrail/")
VERSION_MODULES = (
    "tempo_async.models.v3",
    "tempo_async.models.v4",
    "tempo_async.resources",
    "tempo_async.client",
    "tempo_async.v4",
    "tempo_async.emulator.v3",
    "tempo_async.emulator.v4",
)


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        # attribute docstrings: a bare string right after an assignment
        body_list = getattr(node, "body", None)
        for child in body_list if isinstance(body_list, list) else []:
            if isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant):
                found.add(id(child.value))
    return found


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                problems += [f"line {node.lineno}: {p!r}" for p in VERSION_PATHS if p in node.value]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if node.module == "tempo_async.models":
                names.append("tempo_async.models.v3")  # its names are the v3 models
            problems += [
                f"line {node.lineno}: imports {name}"
                for name in names
                if name.startswith(VERSION_MODULES)
                and not name.startswith("tempo_async.models._open_enum")
            ]
        elif isinstance(node, ast.Import):
            problems += [
                f"line {node.lineno}: imports {a.name}"
                for a in node.names
                if a.name.startswith(VERSION_MODULES)
            ]
    return sorted(problems)


@pytest.mark.parametrize("path", VERSION_NEUTRAL, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_version_neutral_module_names_no_version(path: Path) -> None:
    assert _problems(path) == []


def test_the_check_sees_a_version_path_and_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        '"""Docstring: /core/3 is fine here."""\n'
        "BASE = 'https://api.tempo.io/core/3'\n"
        "from tempo_async.models.v4 import Worklog\n",
        encoding="utf-8",
    )
    assert _problems(probe) == [
        "line 2: '/core/3'",
        "line 3: imports tempo_async.models.v4",
        "line 3: imports tempo_async.models.v4.Worklog",
    ]
