"""The service's public addresses, built in one place from ``settings.base_url``.

Mails, feeds, calendars, OCDS packages and the API all link back to the service; each used to join the base URL
and a path itself, and a page moved in one copy but not the others. Paths are relative to the base URL; ids are
quoted, so an odd procurement id never breaks a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class PublicUrls:
    base_url: str

    def _join(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def home(self) -> str:
        return self._join("/")

    def tender(self, tender_id: str) -> str:
        """The procurement's page (its current view and history)."""
        return self._join(f"/upphandlingar/{quote(tender_id, safe='')}")

    def my_matches(self) -> str:
        return self._join("/mina-bevakningar")

    def signin(self) -> str:
        return self._join("/logga-in")

    def signin_link(self, token: str) -> str:
        return self._join(f"/logga-in/lank?{urlencode({'token': token})}")

    def unsubscribe(self, token: str) -> str:
        return self._join(f"/avregistrera/{quote(token, safe='')}")

    def company_feeds(self, feed_token: str) -> str:
        """The folder of a company's secret feeds (atom.xml, rss.xml, sista-anbudsdagar.ics)."""
        return self._join(f"/api/feeds/{quote(feed_token, safe='')}")

    def ocds_api(self) -> str:
        return self._join("/api/ocds")
