"""Checks: `nox -s tests lint typecheck codegen_check` (what CI runs)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "codegen_check"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3"
SOURCES = ["tempo_async", "codegen", "tests", "bench", "noxfile.py"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed package."""
    session.install("-e", ".[test]")
    session.run("pytest", "-q", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.8")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[test]", "mypy>=1.13", "types-tqdm")
    session.run("mypy", "--strict", "tempo_async")


@nox.session(python=PYTHON)
def codegen(session: nox.Session) -> None:
    """Regenerate the models from schema/."""
    session.install("-e", ".[codegen]", "ruff>=0.8")
    session.run("python", "-m", "codegen")


@nox.session(python=PYTHON)
def codegen_check(session: nox.Session) -> None:
    """Fail if regenerating the models from schema/ changes the committed output."""
    session.install("-e", ".[codegen]", "ruff>=0.8")
    session.run("python", "-m", "codegen", "--check")
