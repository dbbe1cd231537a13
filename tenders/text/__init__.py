"""The one Swedish text analysis: words, stems, compound parts, the index terms of a notice and the keyword rule.

Search text (words, OR/ELLER, quoted phrases) is read by :mod:`tenders.text.query`; words typed without å, ä, ö or é
find their notices through folded terms (:mod:`tenders.text.folding`). Used by the embedded index
(:mod:`tenders.index.sqlite_schema`), the OpenSearch index (which stores the same terms, computed here, behind a
whitespace analyzer), the matcher's keyword matching (``matcher.match``, the percolator) and
the classifier's compound-part features (``nlp.compounds``). Every step is bounded per text
(:mod:`tenders.text.limits`).
"""

from tenders.text.analysis import (
    ANALYSIS_VERSION,
    TITLE_STOPWORDS,
    AnalysedText,
    IndexTerms,
    analyse,
    folded,
    folded_stem,
    index_terms,
    is_one_word,
    keyword_matches,
    keyword_stem,
    leading_word,
    part_stems,
    query_terms,
    starts_a_word,
    stems,
    text_stems,
    title_terms,
    title_words_by_term,
    tokens,
    valid_unicode,
)
from tenders.text.compounds import compound_parts, swedish_words, word_part_stems
from tenders.text.folding import FOLDED_MARK, fold_accents
from tenders.text.limits import MAX_FIELD_CHARS, MAX_QUERY_TOKENS, MAX_SPLIT_CHARS, MAX_TOKEN_CHARS
from tenders.text.query import Phrase, SearchText, Word, parse_query
from tenders.text.stemmer import stem

__all__ = [
    "ANALYSIS_VERSION", "FOLDED_MARK", "MAX_FIELD_CHARS", "MAX_QUERY_TOKENS", "MAX_SPLIT_CHARS", "MAX_TOKEN_CHARS",
    "TITLE_STOPWORDS", "AnalysedText", "IndexTerms", "Phrase", "SearchText", "Word", "analyse", "compound_parts",
    "fold_accents", "folded", "folded_stem", "index_terms", "is_one_word", "keyword_matches", "keyword_stem",
    "leading_word", "parse_query", "part_stems", "query_terms", "starts_a_word", "stem", "stems", "swedish_words",
    "text_stems", "title_terms", "title_words_by_term", "tokens", "valid_unicode", "word_part_stems",
]
