"""Which of many profiles' keywords occur in a notice, found once per notice instead of once per profile.

A keyword matches by the one keyword rule (``tenders.text.keyword_matches``, via ``score.keyword_hits``). For a
keyword of one word that is "the keyword's stem is one of the notice's terms (stems and compound-part stems), or
some word of the notice starts with it", so such keywords are found by a lookup per notice term and by walking each
notice word's prefixes through a set of all keyword prefixes (the walk stops at the first prefix no keyword has).
A keyword of several words or with other characters ("it-stöd", "städ och fönster") can only match where its leading
word ("it", "städ") is a word of the notice or that word's stem a term of it, so only those are checked, with
``keyword_hits`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.match.notice import PreparedNotice
from matcher.match.score import keyword_hits
from tenders.text import MAX_TOKEN_CHARS, is_one_word, keyword_stem, leading_word, stem

_MEMO_LIMIT = 500_000


class KeywordVocabulary:
    """Distinct keywords, numbered in the order first added."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._prefixes: set[str] = set()
        self._by_prefix: dict[str, list[int]] = {}  # one-word keyword (as words are cut) → its ids
        self._by_stem: dict[str, list[int]] = {}  # one-word keyword's stem → ids
        self._memo: dict[str, tuple[int, ...]] = {}  # notice word → the keywords it starts with (some)
        self._misses: set[str] = set()  # notice words that start no keyword: most of them
        self._phrases: dict[str, list[str]] = {}  # leading word ("" if none) → keywords of several words
        self._phrases_by_stem: dict[str, list[str]] = {}  # the leading word's stem → the same keywords

    def add(self, word: str) -> int:
        known = self.ids.get(word)
        if known is not None:
            return known
        self.ids[word] = word_id = len(self.ids)
        self._forget()
        if is_one_word(word):
            prefix = word[:MAX_TOKEN_CHARS]
            self._prefixes.update(prefix[:n] for n in range(1, len(prefix) + 1))
            self._by_prefix.setdefault(prefix, []).append(word_id)
            self._by_stem.setdefault(keyword_stem(word), []).append(word_id)
        else:
            lead = leading_word(word)
            self._phrases.setdefault(lead, []).append(word)
            if lead:
                self._phrases_by_stem.setdefault(stem(lead), []).append(word)
        return word_id

    def add_all(self, words: Iterable[str]) -> list[int]:
        return [self.add(w) for w in words]

    def found_in(self, notice: PreparedNotice) -> list[int]:
        """Ids of the keywords that ``keyword_hits`` would find in the notice."""
        found: set[int] = set()
        memo = self._memo
        for word in notice.words - self._misses:  # one set operation skips the words known to start no keyword
            hits = memo.get(word)
            if hits is None:
                hits = self._starting(word)
            if hits:
                found.update(hits)
        terms = notice.analysed.terms
        if len(self._by_stem) < len(terms):
            for term, ids in self._by_stem.items():
                if term in terms:
                    found.update(ids)
        else:
            for term in terms:
                found.update(self._by_stem.get(term, ()))
        if self._phrases:
            found.update(self.ids[w] for w in keyword_hits(self._phrases_to_check(notice), notice.analysed))
        return sorted(found)

    def _starting(self, word: str) -> tuple[int, ...]:
        """Keywords that the word starts with; remembered, as the same words come back notice after notice."""
        hits: list[int] = []
        for end in range(1, len(word) + 1):
            prefix = word[:end]
            if prefix not in self._prefixes:
                break
            hits += self._by_prefix.get(prefix, ())
        if len(self._memo) + len(self._misses) > _MEMO_LIMIT:
            self._forget()
        found = tuple(hits)
        if found:
            self._memo[word] = found
        else:
            self._misses.add(word)
        return found

    def _forget(self) -> None:
        self._memo.clear()
        self._misses.clear()

    def _phrases_to_check(self, notice: PreparedNotice) -> list[str]:
        leading = [w for w in notice.words if w in self._phrases]
        by_stem = [s for s in notice.analysed.terms if s in self._phrases_by_stem] if self._phrases_by_stem else []
        phrases = [p for w in ["", *leading] for p in self._phrases.get(w, ())]
        phrases += [p for s in by_stem for p in self._phrases_by_stem[s]]
        return list(dict.fromkeys(phrases))
