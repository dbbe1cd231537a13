"""A Scrapy add-on that gives every crawl the project's own settings, however it is started.

``anbudsvakt crawl`` (crawlers.run) puts them in itself; ``scrapy crawl NAME`` from the repository root reads
only crawlers/settings.py, which must not read the environment at import time. Add-ons run when the crawler is
built, so the User-Agent (TED's firewall challenges Scrapy's default one) comes from ``ANBUDSVAKT_USER_AGENT`` or
its default then, at add-on priority: a value crawlers.run or ``-s USER_AGENT=...`` sets still wins.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from tenders.settings import get_settings


class ProjectSettings:
    def update_settings(self, settings: BaseSettings) -> None:
        settings.set("USER_AGENT", get_settings().user_agent, priority="addon")
