"""A bar over the pages of a scanned document while it is read, on a terminal only.

The OCR reader (`gxextract.readers.image`) logs each page as it starts it, with ``page`` and
``pages`` in the record; `page_progress` listens to those records for as long as it is open.
"""

from __future__ import annotations

import contextlib
import logging

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

PAGES_LOGGER = "gxextract.readers.image"


class _PageBar(logging.Handler):
    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.task = None

    def emit(self, record: logging.LogRecord) -> None:
        page, pages = getattr(record, "page", None), getattr(record, "pages", None)
        if page is None or pages is None:
            return
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("", total=pages)
        self.progress.update(self.task, description=f"reading page {page} of {pages}", completed=page - 1,
                             total=pages)


@contextlib.contextmanager
def page_progress(console: Console):
    """While open, OCR pages show as a bar on ``console`` if it is a terminal (never on a pipe)."""
    if not console.is_terminal:
        yield
        return
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
                        transient=True)
    bar = _PageBar(progress)
    logger = logging.getLogger(PAGES_LOGGER)
    level = logger.level
    logger.addHandler(bar)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(bar)
        logger.setLevel(level)
        progress.stop()
