"""SIGTERM anywhere in a command: inside the event loop it cancels the main task (so the
output is discarded like after Ctrl-C); outside it (before the loop starts, during the
final commit and state save) it raises `Terminated` at once. Either way the command ends
with exit 143 and the same message."""

from __future__ import annotations

import asyncio
import signal
import threading
from types import FrameType, TracebackType
from typing import Any

__all__ = ["SigtermGuard", "Terminated"]


class Terminated(BaseException):
    """SIGTERM arrived outside the event loop (a BaseException, like KeyboardInterrupt)."""


class SigtermGuard:
    """Install the SIGTERM handler for the duration of a command (main thread only)."""

    def __init__(self) -> None:
        self.terminated = False
        """Whether SIGTERM arrived."""
        self._previous: Any = None
        self._installed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None

    def __enter__(self) -> SigtermGuard:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._handle)
            self._installed = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGTERM, self._previous)
            self._installed = False

    def attach(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any] | None) -> None:
        """While the loop runs `task`, SIGTERM cancels it instead of raising."""
        self._loop, self._task = loop, task

    def detach(self) -> None:
        """The loop is done: SIGTERM raises `Terminated` again."""
        self._loop = self._task = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.terminated = True
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
            return
        raise Terminated
