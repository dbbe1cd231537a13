"""Rules of the road per source: its terms of use, whether they allow automated access, whether UDD runs it.

Each source definition (a spider's class attributes, a YAML definition's keys) names its terms-of-use page and
what they say of robots. A source runs when it is switched on and its terms do not forbid automated access; UDD
can decide otherwise for one source (permission from the site's owner) with the Scrapy setting
``SOURCES_ENABLED`` ("kommersannons,..."). robots.txt is obeyed separately (ROBOTSTXT_OBEY in crawlers/settings.py);
a listing it forbids ends the run "blockerad" too (crawlers/spiders/base.py).
"""

from __future__ import annotations

from collections.abc import Iterable

ALLOWED = "tillåten"  # the terms allow automated access (or the source is a published machine interface)
FORBIDDEN = "förbjuden"  # the terms forbid it: the source is blocked until UDD decides otherwise
UNCLEAR = "oklar"  # no terms found that speak to it: robots.txt decides
ACCESS_VALUES = (ALLOWED, FORBIDDEN, UNCLEAR)


def enabled_by_setting(value: str | Iterable[str] | None) -> set[str]:
    """The source names UDD has switched on whatever their definition says (comma-separated or a list)."""
    if not value:
        return set()
    parts = value.split(",") if isinstance(value, str) else value
    return {part.strip() for part in parts if part.strip()}


def block_reason(name: str, *, enabled: bool, automated_access: str, terms_url: str, overrides: set[str]) -> str:
    """Why the source may not run now, in one Swedish line; empty when it may."""
    if name in overrides:
        return ""
    if not enabled:
        return "avstängd i källdefinitionen"
    if automated_access == FORBIDDEN:
        return f"användarvillkoren förbjuder automatisk hämtning ({terms_url or 'villkorssidan saknas'})"
    return ""
