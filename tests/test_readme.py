"""Every Python and shell block of README.md runs against a fresh emulator, so the README
never lies.

A block runs as written, as its own process: Python blocks with `TEMPO_API_TOKEN` and
`TEMPO_BASE_URL` pointing at the emulator (its v4 API host, or with `<!-- readme: api=v3 -->`
before the block its v3 base URL); shell blocks line by line in a temporary directory,
with the same environment and the package's `tempo-async` on the PATH. A comment right
before a block may say:

- `<!-- readme: installed (...) -->`: run it without its `python3 -m pip install . &&`
  prefix (the package under test is installed already);
- `<!-- readme: pytest -->`: the block is a test module of the user's project: run it with
  pytest (it uses the plugin's fixtures);
- `<!-- readme: skip (reason) -->`: do not run it, for the reason given.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tempo_async.emulator import Emulator
from tests.cli.test_export_command import EmulatorThread

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(
    r"(?:<!-- readme: (?P<directive>[^>]*?) -->\n)?```(?P<lang>\w+)\n(?P<code>.*?)```", re.S
)
INSTALL = "python3 -m pip install . && "


@dataclass(frozen=True)
class Block:
    """One code block of the README."""

    line: int
    lang: str
    code: str
    directive: str

    @property
    def id(self) -> str:
        return f"line{self.line}-{self.lang}"


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start("lang")) + 1
        found.append(Block(line, match["lang"], match["code"], (match["directive"] or "").strip()))
    return found


BLOCKS = [b for b in blocks() if b.lang in ("python", "sh", "bash", "console")]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with EmulatorThread(worklogs=300, seed=2) as emulator:
        yield emulator


def environment(emu: Emulator, block: Block) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEMPO_")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["TEMPO_API_TOKEN"] = "readme-token"
    env["TEMPO_BASE_URL"] = emu.base_url if "api=v3" in block.directive else emu.api_host
    return env


def test_the_readme_has_runnable_blocks() -> None:
    runnable = [b for b in BLOCKS if not b.directive.startswith("skip")]
    assert len(runnable) >= 6
    skipped = [b for b in BLOCKS if b.directive.startswith("skip")]
    assert all(re.fullmatch(r"skip \(.+\)", b.directive) for b in skipped), "a skip needs a reason"
    assert len(skipped) <= 3


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.id)
def test_readme_block_runs(block: Block, emu: Emulator, tmp_path: Path) -> None:
    if block.directive.startswith("skip"):
        pytest.skip(block.directive)
    env = environment(emu, block)
    if block.lang == "python" and block.directive == "pytest":
        (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
        (tmp_path / "test_readme_example.py").write_text(block.code)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)]
    elif block.lang == "python":
        command = [sys.executable, "-c", block.code]
    else:
        script = block.code
        if block.directive.startswith("installed"):
            script = script.replace(INSTALL, "")
        assert INSTALL not in script, "mark blocks that install the package `installed`"
        command = ["bash", "-euo", "pipefail", "-c", script]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"README line {block.line}:\n{result.stdout}\n{result.stderr}"
