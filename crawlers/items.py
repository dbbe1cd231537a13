"""The one item every spider yields: a fetched notice document, raw bytes first.

The raw bytes travel with the item because the store keeps them beside the normalised Tender (the store
is the truth; a parser fix can re-read them). Spiders that read an XML notice leave ``tender`` empty and
the parse step fills it; spiders whose pages need site-specific extraction (HTML lists of the Swedish
notice databases) may fill ``tender`` themselves and the parse step leaves it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tenders.model import Tender


@dataclass
class NoticeDocument:
    source: str  # the store's source name, e.g. "ted"
    source_url: str  # where the document was fetched (for TED: links.xml.MUL)
    raw: bytes = field(repr=False)
    retrieved_at: datetime
    reference: str = ""  # the source's own id for messages, e.g. the TED publication number
    tender: Tender | None = field(default=None, repr=False)
    outcome: str | None = None  # set by the store step: inserted | updated | unchanged
