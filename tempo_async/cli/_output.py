"""Where an export is written: a file that appears only once complete, or a stream.

A regular file is written to a hidden temporary file in the target's directory and renamed
over the target by `commit()`, after `fsync`; `discard()` removes the temporary file. So a
failed, interrupted or killed export never leaves a partial file at the output path (a
killed process may leave its hidden `.NAME.*.part` file behind, never the target).
Standard output (`-`) and existing non-regular files (`/dev/stdout`, a FIFO) are written
to directly: there is nothing to rename.

Every failure to write is raised as `OutputError`, with a message that names the path.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import glob
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import TextIO

__all__ = [
    "STDOUT",
    "AtomicFile",
    "OutputError",
    "Sink",
    "StreamSink",
    "check_writable_directory",
    "open_sink",
    "write_atomically",
]

STDOUT = "-"
"""The `--output` value meaning standard output."""

BUFFER_SIZE = 1 << 16

ERRORS = "backslashreplace"
"""How text that UTF-8 cannot encode is written: only a lone surrogate (a JSON `\\udXXX`
escape the server sent) can occur, and backslashreplace writes it back as that escape."""


class OutputError(Exception):
    """The export or its state could not be written (disk full, no such directory...)."""


def describe_os_error(action: str, where: str, exc: OSError) -> OutputError:
    """An `OutputError` saying what failed where, and why in the system's words."""
    if exc.errno == errno.EPIPE:
        reason = "the reader closed the pipe"
    elif exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    else:
        reason = exc.strerror or str(exc)
    return OutputError(f"cannot {action} {where}: {reason}")


class Sink(abc.ABC):
    """A text stream to write the export to, made final by `commit()` or dropped by `discard()`."""

    stream: TextIO
    display: str
    """How to name the destination in messages."""
    atomic: bool
    """Whether an uncommitted export leaves nothing behind."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the written export final."""

    @abc.abstractmethod
    def discard(self) -> None:
        """Drop what was written, as far as the destination allows. Never raises."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove the `.NAME.PID.*.part` files of `path` that runs no longer alive left behind
    (a SIGKILL leaves no chance to clean up); a live run's part file is kept. The removed."""
    directory = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\..+\.part")
    removed = []
    try:
        candidates = list(directory.glob(f".{glob.escape(path.name)}.*.part"))
    except OSError:
        return []
    for candidate in candidates:
        match = pattern.fullmatch(candidate.name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed


class AtomicFile(Sink):
    """A regular file written beside its target and renamed over it on `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.display = str(path)
        self.atomic = True
        directory = path.parent
        remove_stale_parts(path)
        try:
            fd, temp = tempfile.mkstemp(
                prefix=f".{path.name}.{os.getpid()}.",
                suffix=".part",
                dir=directory if str(directory) else ".",
            )
        except OSError as exc:
            raise describe_os_error("create a file in", str(directory) or ".", exc) from None
        self.temp_path = Path(temp)
        try:
            self.stream = open(  # noqa: SIM115 - closed by commit() or discard()
                fd, "w", encoding="utf-8", errors=ERRORS, newline="", buffering=BUFFER_SIZE
            )
        except BaseException:
            os.close(fd)
            self.temp_path.unlink(missing_ok=True)
            raise
        self._done = False

    def commit(self) -> None:
        """Flush, `fsync`, give the file its final mode and rename it over the target."""
        if self._done:
            raise RuntimeError("this output was already committed or discarded")
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.chmod(self.temp_path, _final_mode(self.path))
            os.replace(self.temp_path, self.path)
        except OSError as exc:
            self.discard()
            raise describe_os_error("write", self.display, exc) from None
        self._done = True
        _fsync_directory(self.path.parent)

    def discard(self) -> None:
        """Close and remove the temporary file."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError, ValueError):
            self.stream.close()
        with contextlib.suppress(OSError):
            self.temp_path.unlink(missing_ok=True)


class StreamSink(Sink):
    """Standard output, or an existing non-regular file: written in place."""

    def __init__(self, stream: TextIO, display: str, *, owned: bool) -> None:
        self.stream = stream
        self.display = display
        self.atomic = False
        self._owned = owned

    def commit(self) -> None:
        """Flush (and close, when this sink opened the stream)."""
        try:
            self.stream.flush()
            if self._owned:
                self.stream.close()
        except OSError as exc:
            self.discard()
            raise describe_os_error("write to", self.display, exc) from None

    def discard(self) -> None:
        """Stop writing; what was already written stays (a stream cannot be unwritten)."""
        with contextlib.suppress(OSError, ValueError):
            self.stream.close()
        if not self._owned:
            _silence_stdout()


def open_sink(output: str) -> Sink:
    """The sink for an `--output` value: `-`, a device or FIFO, or a regular file path."""
    if output == STDOUT:
        try:
            stream = open(  # noqa: SIM115 - closed by commit() or discard()
                sys.stdout.fileno(),
                "w",
                encoding="utf-8",
                errors=ERRORS,
                newline="",
                buffering=BUFFER_SIZE,
                closefd=False,
            )
        except (OSError, ValueError) as exc:
            raise OutputError(f"cannot write to standard output: {exc}") from None
        return StreamSink(stream, "standard output", owned=False)
    path = Path(output)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise describe_os_error("write", output, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {output}: it is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        try:
            stream = open(  # noqa: SIM115 - closed by commit() or discard()
                path, "w", encoding="utf-8", errors=ERRORS, newline="", buffering=BUFFER_SIZE
            )
        except OSError as exc:
            raise describe_os_error("open", output, exc) from None
        return StreamSink(stream, output, owned=True)
    return AtomicFile(path)


def check_writable_directory(path: Path, what: str) -> None:
    """Fail early, before any request, when `path` cannot be created (missing directory)."""
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"cannot write {what} {path}: directory {directory} does not exist")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old or the new content, never a mix."""
    sink = AtomicFile(path)
    try:
        sink.stream.write(text)
    except OSError as exc:
        sink.discard()
        raise describe_os_error("write", str(path), exc) from None
    except BaseException:
        sink.discard()
        raise
    sink.commit()


def _final_mode(path: Path) -> int:
    """The mode of the file being replaced, or 0o666 less the umask for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; best effort (some file systems refuse a directory fsync)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory if str(directory) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again (EPIPE)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
