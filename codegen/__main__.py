"""`python -m codegen [--check]`: regenerate the models, or check the committed ones."""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from codegen.generate import ROOT, generate

MODELS = ROOT / "tempo_async" / "models"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if regeneration changes anything"
    )
    parser.add_argument(
        "--out", type=Path, default=MODELS, help="output directory (default: %(default)s)"
    )
    args = parser.parse_args()
    if not args.check:
        for path in generate(args.out):
            print(f"wrote {path}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = []
        for path in generate(Path(tmp)):
            committed = MODELS / path.name
            if not committed.exists() or not filecmp.cmp(path, committed, shallow=False):
                stale.append(committed.relative_to(ROOT))
    if stale:
        print("generated code is out of date; run `python -m codegen`:", *stale, sep="\n  ")
        return 1
    print("generated code is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
