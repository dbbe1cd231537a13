"""The one error every notice parser raises."""

from __future__ import annotations


class NoticeParseError(ValueError):
    """A notice that cannot be read; ``str(err)`` is one line saying why.

    Crawls catch this, count the notice as an error and carry on with the next one.
    """

    def __init__(self, reason: str) -> None:
        # One line, always: reasons end up in crawl logs and in ``anbudsvakt parse``'s "fel: ..." line.
        super().__init__(" ".join(str(reason).split()))
