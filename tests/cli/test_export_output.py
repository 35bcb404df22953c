"""Export destinations: a file appears only once complete; write failures are OutputError."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tempo_async.cli._output import AtomicFile, OutputError, open_sink, write_atomically


def _leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_the_target_appears_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    sink = open_sink(str(target))
    assert isinstance(sink, AtomicFile)
    sink.stream.write("one\n")
    assert not target.exists()
    sink.commit()
    assert target.read_text() == "one\n"
    assert _leftovers(tmp_path) == ["out.jsonl"]


def test_discard_leaves_nothing_and_keeps_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    sink = open_sink(str(target))
    sink.stream.write("half")
    sink.discard()
    sink.discard()
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == ["out.jsonl"]


def test_commit_keeps_the_mode_of_the_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.jsonl", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o644


def test_a_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="No such file or directory"):
        open_sink(str(tmp_path / "missing" / "out.jsonl"))


def test_a_directory_is_not_an_output(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        open_sink(str(tmp_path))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_an_output_error() -> None:
    sink = open_sink("/dev/full")
    assert not sink.atomic
    sink.stream.write("x" * 10)
    with pytest.raises(OutputError, match="no space left on the device"):
        sink.commit()
