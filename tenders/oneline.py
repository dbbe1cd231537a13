"""One short line for an error or a server message: what a crawl-run note, an ingest failure or an index failure
records, and what the log and the CLI print, so one bad notice never floods them."""

from __future__ import annotations

MAX_CHARS = 300


def single_line(text: object) -> str:
    """Any text or exception as one line (whitespace and line breaks collapsed), at most MAX_CHARS long."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_CHARS else line[: MAX_CHARS - 3] + "..."
