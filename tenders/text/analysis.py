"""Swedish text → words, stems and compound-part stems; the index terms of a notice; the keyword rule.

What a search finds and what a company keyword alerts on rest on the same analysis:

- **words**: the text case-folded (``str.casefold``) and cut into runs of letters and digits (``[^\\W_]+``), each
  word at most MAX_TOKEN_CHARS long, from at most MAX_FIELD_CHARS characters of a field;
- **stems**: each word's inflectional stem (:mod:`tenders.text.stemmer`);
- **part stems**: the stems of each distinct word's compound parts (:mod:`tenders.text.compounds`).

A notice's **terms** are its stems and part stems, and for each of its words and parts with å, ä, ö or é the stem of
the word without them, marked (:mod:`tenders.text.folding`). A search finds a notice when every word of the query,
or one of the words joined by OR/ELLER, is among its terms as written or folded (:mod:`tenders.text.query`). A
company keyword (:func:`keyword_matches`) alerts on a notice whose title or description (as written: keywords are
not folded):

- for a keyword of one word ("röjning", "tak"): holds the keyword's stem as a term — so it alerts where a search
  for it finds the notice ("röjning" → "Snöröjning och halkbekämpning") — or has a word that starts with the keyword
  (a company's truncation: "städ" → "städning");
- for a keyword of several words or with other characters ("it-stöd", "snöröjning och halkbekämpning", "-system"):
  holds the keyword as written at the start of a word, or (two words or more) the keyword's stems one after another
  ("IT-stödet").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from tenders.text.compounds import word_part_stems, word_parts
from tenders.text.folding import fold_accents, has_accents, marked
from tenders.text.limits import MAX_FIELD_CHARS, MAX_QUERY_TOKENS, MAX_TOKEN_CHARS
from tenders.text.stemmer import stem

TOKEN = re.compile(r"[^\W_]+")
# Bumped whenever the terms of a text change; an index built with another version is rebuilt by `anbudsvakt reindex`
# (1: Snowball three times, words uncut, compounds split without bounds; 2: no folded terms, text not NFC).
ANALYSIS_VERSION = 3


def valid_unicode(text: str) -> str:
    """The text with lone surrogates (a broken emoji from a JSON source) replaced by U+FFFD, which UTF-8 can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def folded(text: str) -> str:
    """The part of a field that is analysed, case-folded, in NFC: an "ä" typed as a + combining diaeresis (as macOS
    file names and some copied text have it) is one letter, not a word break."""
    return unicodedata.normalize("NFC", text[:MAX_FIELD_CHARS]).casefold()


def tokens(text: str) -> list[str]:
    """The words of a text (case-folded, letters and digits, each at most MAX_TOKEN_CHARS long)."""
    return [word[:MAX_TOKEN_CHARS] for word in TOKEN.findall(folded(text))]


def stems(words: Iterable[str]) -> list[str]:
    return [stem(word) for word in words]


CACHED_TEXT_CHARS = 300  # texts up to this long are cached whole (at most ~100 MB for a full cache)


def text_stems(text: str) -> tuple[str, ...]:
    """The stems of a text; short ones cached whole: buyer names and many titles recur from notice to notice."""
    return _cached_text_stems(text) if len(text) <= CACHED_TEXT_CHARS else tuple(stems(tokens(text)))


@lru_cache(maxsize=100_000)
def _cached_text_stems(text: str) -> tuple[str, ...]:
    return tuple(stems(tokens(text)))


def part_stems(words: Iterable[str]) -> list[str]:
    """The stems of the compound parts of the distinct words, in the order first seen."""
    return [part for word in dict.fromkeys(words) for part in word_part_stems(word)]


def query_terms(text: str) -> list[str]:
    """The distinct stems of a search query, in order (at most MAX_QUERY_TOKENS words; empty when it holds none)."""
    return list(dict.fromkeys(stems(tokens(text)[:MAX_QUERY_TOKENS])))


# -- a notice in the index --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexTerms:
    """The terms of one notice per index column, as both index backends store them (space-separated)."""

    title: tuple[str, ...]
    description: tuple[str, ...]
    buyers: tuple[str, ...]
    parts: tuple[str, ...]  # stems of the compound parts of the title's and description's words
    folded_title: tuple[str, ...] = ()  # marked folded stems of the title's words with å, ä, ö, é …
    folded: tuple[str, ...] = ()  # the same for the description's and buyers' words and the compound parts

    @property
    def columns(self) -> tuple[str, str, str, str, str, str]:
        return (" ".join(self.title), " ".join(self.description), " ".join(self.buyers), " ".join(self.parts),
                " ".join(self.folded_title), " ".join(self.folded))

    @property
    def length(self) -> int:
        return sum(len(column) for column in (self.title, self.description, self.buyers, self.parts,
                                               self.folded_title, self.folded))


def folded_stem(word: str) -> str:
    """The marked stem of a word read without å, ä, ö, é …: what the same word typed without them is looked up by."""
    return marked(stem(fold_accents(word)))


@lru_cache(maxsize=500_000)
def folded_term(word: str) -> str | None:
    """The marked folded stem of a word that holds a letter to fold, None for one that does not (it is found as
    written). Cached: folding every word of every notice cost more than the rest of the analysis."""
    return folded_stem(word) if has_accents(word) else None


def folded_stems(words: Iterable[str]) -> list[str]:
    """The marked folded stems of the words that hold a letter to fold."""
    return [term for word in words if (term := folded_term(word)) is not None]


def index_terms(title: str, description: str, buyer_names: Sequence[str]) -> IndexTerms:
    buyers = " ".join(name[:MAX_FIELD_CHARS] for name in buyer_names)
    title_words, description_words = tokens(title), tokens(description)
    distinct = list(dict.fromkeys([*title_words, *description_words]))
    parts = [part for word in distinct for part in word_part_stems(word)]
    folded_parts = folded_stems(part for word in distinct if folded_term(word) for part in word_parts(word))
    return IndexTerms(
        text_stems(title), tuple(stems(description_words)), text_stems(buyers), tuple(parts),
        tuple(folded_stems(title_words)),
        tuple([*folded_stems(description_words), *folded_stems(tokens(buyers)), *folded_parts]),
    )


# -- a notice for matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysedText:
    """A text as the keyword rule reads it: the folded text, its words in order, their stems and part stems."""

    text: str  # case-folded, at most MAX_FIELD_CHARS
    words: tuple[str, ...]
    stems: tuple[str, ...]  # one per word
    parts: tuple[str, ...]  # distinct words' part stems
    word_set: frozenset[str] = field(init=False)
    terms: frozenset[str] = field(init=False)  # stems and part stems: what a search matches

    def __post_init__(self) -> None:
        object.__setattr__(self, "word_set", frozenset(self.words))
        object.__setattr__(self, "terms", frozenset(self.stems) | frozenset(self.parts))

    @cached_property
    def sorted_words(self) -> tuple[str, ...]:
        return tuple(sorted(self.word_set))

    def has_word_starting(self, prefix: str) -> bool:
        words = self.sorted_words
        at = bisect.bisect_left(words, prefix)
        return at < len(words) and words[at].startswith(prefix)

    def has_stem_run(self, run: Sequence[str]) -> bool:
        """Whether the stems hold ``run`` one after another."""
        first, size = run[0], len(run)
        return any(s == first and self.stems[at:at + size] == tuple(run) for at, s in enumerate(self.stems))


def analyse(*fields: str) -> AnalysedText:
    """The analysis of one or more text fields (title, description), each within its first MAX_FIELD_CHARS."""
    words = [word for text in fields for word in tokens(text)]
    return AnalysedText("\n".join(folded(text) for text in fields), tuple(words), tuple(stems(words)),
                        tuple(part_stems(words)))


# -- the keyword rule -------------------------------------------------------------------------------------------


def is_one_word(keyword: str) -> bool:
    """A keyword of letters and digits only (case-folded), matched by stem and by word start."""
    return TOKEN.fullmatch(keyword) is not None


def keyword_stem(keyword: str) -> str:
    """The stem a one-word keyword is looked up by (the word cut as the text's words are)."""
    return stem(keyword[:MAX_TOKEN_CHARS])


def leading_word(keyword: str) -> str:
    """The word a keyword of several words starts with, '' when it starts with another character ("-system");
    a notice the keyword matches always has this word, or this word's stem (see :func:`keyword_matches`)."""
    found = TOKEN.match(keyword)
    return found.group()[:MAX_TOKEN_CHARS] if found else ""


def starts_a_word(phrase: str, text: str) -> bool:
    """``phrase`` occurs in ``text`` where no word character precedes it ("tak" in "takarbeten", not "kontakt").

    str.find rather than a regular expression: compiling one pattern per keyword cost more than the matching."""
    at = text.find(phrase)
    while at != -1:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find(phrase, at + 1)
    return False


def keyword_matches(keyword: str, text: AnalysedText) -> bool:
    """Whether a company's keyword (stripped and case-folded, as profiles store them) is found in the text."""
    if not keyword:
        return False
    if is_one_word(keyword):
        return keyword_stem(keyword) in text.terms or text.has_word_starting(keyword[:MAX_TOKEN_CHARS])
    if starts_a_word(keyword, text.text):
        return True
    words = tokens(keyword)
    return len(words) > 1 and text.has_stem_run(stems(words))


# -- SNI title terms (profiles.terms' contract, on this module's stems) -------------------------------------------

# Words in nearly every Swedish notice title; they say nothing about who wins it.
TITLE_STOPWORDS = frozenset({
    "och", "för", "med", "samt", "till", "av", "på", "i", "en", "ett", "det", "den", "som", "inom", "från",
    "vid", "om", "upphandling", "upphandlingar", "ramavtal", "avtal", "tjänster", "tjänst", "leverans",
    "köp", "inköp", "avseende", "gällande", "del", "delar", "nytt", "ny", "nya", "2020", "2021", "2022",
    "2023", "2024", "2025", "2026",
})
_TITLE_WORD = re.compile(r"[a-zåäöéü]{3,}")


def _title_words(text: str) -> list[str]:
    return [w[:MAX_TOKEN_CHARS] for w in _TITLE_WORD.findall(folded(text)) if w not in TITLE_STOPWORDS]


def title_terms(text: str | None) -> list[str]:
    """Distinct stems of a title's words (3+ letters, no stopwords), in first-seen order.

    The same contract as ``profiles.terms.title_terms`` with this module's stems: the SNI tables must be rebuilt
    from it before the matcher reads titles with it."""
    return list(dict.fromkeys(stems(_title_words(text)))) if text else []


def title_words_by_term(text: str | None) -> dict[str, str]:
    """Each title stem → the first word it came from, to show the company its own words, not stems."""
    mapping: dict[str, str] = {}
    for word in _title_words(text) if text else []:
        mapping.setdefault(stem(word), word)
    return mapping
