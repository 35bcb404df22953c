"""`python -m codegen [--check]`: regenerate everything generated, or check the committed copy.

The steps run in order, each writing under one output root that mirrors the repository:
`schema/v4/*.json` from Tempo's OpenAPI document and our overlay (`codegen.v4_schemas`),
then the models and bundled schemas of every version (`codegen.generate`), then the v4
client's resource modules (`codegen.v4_client`). `--check` runs them into a temporary
root and fails when any committed file differs, is missing, or is no longer generated.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from codegen import generate as models
from codegen import v4_schemas
from codegen.generate import ROOT

Step = Callable[[Path], list[Path]]

# Directories whose every file of these kinds is generated: a committed file that the
# steps no longer write is stale.
GENERATED_GLOBS = (
    "schema/v4/*.json",
    "tempo_async/models/v*.py",
    "tempo_async/models/v4/*.py",
    "tempo_async/models/v*.json",
    "tempo_async/v4/resources/*.py",
)


def steps() -> list[Step]:
    """The generation steps, in the order their inputs need."""
    found: list[Step] = [
        lambda out_root: v4_schemas.generate(ROOT, out_root),
        models.generate,
    ]
    if importlib.util.find_spec("codegen.v4_client") is not None:
        from codegen import v4_client

        found.append(v4_client.generate)
    return found


def run(out_root: Path) -> list[Path]:
    """Run every step under `out_root`; the files written."""
    written: list[Path] = []
    for step in steps():
        written.extend(step(out_root))
    return written


def check() -> list[Path]:
    """Paths (relative to the repository) whose committed copy is stale."""
    with tempfile.TemporaryDirectory() as tmp:
        out_root = Path(tmp)
        produced = {path.relative_to(out_root) for path in run(out_root)}
        stale = [
            rel
            for rel in sorted(produced)
            if not (ROOT / rel).exists() or not filecmp.cmp(out_root / rel, ROOT / rel, False)
        ]
    for pattern in GENERATED_GLOBS:
        stale.extend(
            path.relative_to(ROOT)
            for path in sorted(ROOT.glob(pattern))
            if path.relative_to(ROOT) not in produced
        )
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if regeneration changes anything"
    )
    args = parser.parse_args()
    if not args.check:
        for path in run(ROOT):
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    stale = check()
    if stale:
        print("generated code is out of date; run `python -m codegen`:", *stale, sep="\n  ")
        return 1
    print("generated code is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
