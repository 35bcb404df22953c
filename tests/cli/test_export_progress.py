"""The progress bar is drawn on a terminal only, erased at the end; the summary line."""

from __future__ import annotations

import io
import time

from tempo_async.cli._progress import BAR_DELAY, ExportProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_records_pages_rate_and_time() -> None:
    stream = Terminal()
    progress = ExportProgress("worklogs", stream=stream)
    assert not progress.shows_bar
    progress.start()
    assert progress.shows_bar
    progress.page(1000)
    time.sleep(BAR_DELAY)
    progress.page(500, skipped=20)
    progress.close()
    drawn = stream.getvalue()
    assert "exporting worklogs: 1.50k records, 2 pages [00:00, " in drawn
    assert " records/s]" in drawn
    assert drawn.endswith("\r")  # erased: the summary line takes its place
    assert progress.records == 1500 and progress.pages == 2 and progress.written == 1480


def test_no_bar_when_stderr_is_not_a_terminal_or_quiet() -> None:
    pipe = io.StringIO()
    progress = ExportProgress("worklogs", stream=pipe)
    progress.start()
    progress.page(10)
    progress.close()
    quiet = ExportProgress("worklogs", stream=Terminal(), quiet=True)
    quiet.start()
    quiet.page(10)
    quiet.close()
    assert not progress.shows_bar and not quiet.shows_bar
    assert pipe.getvalue() == ""


def test_the_summary_names_records_pages_requests_retries_and_seconds() -> None:
    progress = ExportProgress("worklogs", stream=io.StringIO())
    progress.page(1000)
    progress.page(1, skipped=1)
    progress.close()
    line = progress.summary("w.jsonl", requests=3, retries=1)
    assert line.startswith("exported 1,000 worklogs in 2 pages, 1 already exported and skipped")
    assert "(3 requests, 1 retry)" in line
    assert line.endswith("to w.jsonl")
    assert " s, " in line
    assert progress.so_far().startswith("1,001 records in 2 pages (")


def test_the_bar_shows_the_rate_the_governor_allows() -> None:
    stream = Terminal()
    progress = ExportProgress("worklogs", stream=stream)
    progress.request_rate = lambda: 4.5
    progress.start()
    progress.page(1000)
    time.sleep(BAR_DELAY)
    progress.page(1000)
    progress.close()
    assert "2 pages, 4.50 req/s allowed" in stream.getvalue()
