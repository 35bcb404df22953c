"""Shared test helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).parent / "examples"


def load_example(name: str) -> Any:
    """One of the spec's JSON examples copied into tests/examples/."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def example() -> Any:
    """The `load_example` function as a fixture."""
    return load_example
