"""Title terms for the SNI tables and the matcher: the one Swedish text analysis's (``tenders.text``).

The SNI tables count these per winning supplier and the matcher looks them up, so both read this one function;
the tables are rebuilt (``python -m matcher.build_tables``) whenever its stems change.
"""

from __future__ import annotations

from tenders.text import TITLE_STOPWORDS as STOPWORDS
from tenders.text import title_terms, title_words_by_term

__all__ = ["STOPWORDS", "title_terms", "title_words_by_term"]
