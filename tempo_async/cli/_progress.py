"""Progress of one export: the counters, the bar on a terminal, and the closing lines."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TextIO

from tqdm import tqdm

__all__ = ["ExportProgress"]

BAR_DELAY = 0.3
"""Seconds before the bar appears: a quick export draws none."""


class ExportProgress:
    """Counts the records and pages of an export as they arrive, and shows them.

    The bar (records, pages, rate, elapsed time) is drawn on `stream` from `start()` on,
    only when `stream` is a terminal and `quiet` is off; it is erased when the export
    ends, so the summary line replaces it. The counters are kept either way: error messages say how far an export
    got.
    """

    def __init__(
        self, what: str, *, stream: TextIO, quiet: bool = False, verb: str = "exporting"
    ) -> None:
        self.what = what
        self.verb = verb
        self.stream = stream
        self.quiet = quiet
        self.records = 0
        """Records fetched (skipped ones included)."""
        self.pages = 0
        self.skipped = 0
        """Records not written because the previous run exported them already."""
        self._started = time.monotonic()
        self._finished: float | None = None
        self._bar: Any = None
        self.request_rate: Callable[[], float | None] | None = None
        """The client's current request rate (its rate governor's), shown in the bar."""

    def start(self) -> None:
        """Start the clock (after the set-up that is not part of the export) and the bar."""
        self._started = time.monotonic()
        if self._bar is None and not self.quiet and _is_terminal(self.stream):
            self._bar = tqdm(
                desc=f"{self.verb} {self.what}",
                unit=" records",
                unit_scale=True,
                file=self.stream,
                leave=False,
                dynamic_ncols=True,
                delay=BAR_DELAY,
                bar_format="{desc}: {n_fmt} records{postfix} [{elapsed}, {rate_fmt}]",
                postfix="0 pages",
            )

    @property
    def shows_bar(self) -> bool:
        """Whether a bar is being drawn."""
        return self._bar is not None

    @property
    def written(self) -> int:
        """Records written to the output."""
        return self.records - self.skipped

    @property
    def elapsed(self) -> float:
        """Seconds since the export started (until it ended, once it has)."""
        end = self._finished if self._finished is not None else time.monotonic()
        return end - self._started

    def page(self, records: int, skipped: int = 0) -> None:
        """One more page, holding `records` records of which `skipped` are not written."""
        self.pages += 1
        self.records += records
        self.skipped += skipped
        bar = self._bar
        if bar is not None:
            rate = self.request_rate() if self.request_rate is not None else None
            pace = f", {rate:.2f} req/s allowed" if rate is not None else ""
            bar.set_postfix_str(f"{self.pages} pages{pace}", refresh=False)
            bar.update(records)

    def close(self) -> None:
        """Stop the clock and erase the bar. Idempotent."""
        if self._finished is None:
            self._finished = time.monotonic()
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()

    def message(self, text: str) -> None:
        """Print a line on the stream without breaking the bar (which is redrawn below it)."""
        if self._bar is not None:
            tqdm.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def log_handler(self) -> logging.Handler:
        """A logging handler that prints records as `tempo-async: warning: ...` lines."""
        return _MessageHandler(self)

    def so_far(self) -> str:
        """How far the export got, e.g. `3,000 records in 3 pages (1.2 s)`."""
        return f"{self.records:,} records in {_plural(self.pages, 'page')} ({self.elapsed:.1f} s)"

    def summary(self, destination: str, *, requests: int, retries: int) -> str:
        """The closing line of a successful export."""
        seconds = self.elapsed
        rate = self.written / seconds if seconds > 0 else 0.0
        skipped = f", {self.skipped:,} already exported and skipped" if self.skipped else ""
        return (
            f"exported {self.written:,} {self.what} in {_plural(self.pages, 'page')}"
            f"{skipped} ({_plural(requests, 'request')}, {_plural(retries, 'retry', 'retries')})"
            f" in {seconds:.2f} s, {rate:,.0f} records/s, to {destination}"
        )


class _MessageHandler(logging.Handler):
    """Log records (retries, say) as lines above the progress bar."""

    def __init__(self, progress: ExportProgress) -> None:
        super().__init__()
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"tempo-async: {record.levelname.lower()}: {record.getMessage()}"
            self.progress.message(text)
        except Exception:
            self.handleError(record)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
