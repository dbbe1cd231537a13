"""Which of many profiles' keywords occur in a notice, found once per notice instead of once per profile.

A keyword matches at the start of a word (``score.keyword_hits``). For a keyword made only of word characters that
is the same as "some word of the notice starts with it", so such keywords are found by walking each notice word's
prefixes through a set of all keyword prefixes (the walk stops at the first prefix no keyword has). A keyword with
other characters ("it-stöd", "städ och fönster") can only match where its leading word ("it", "städ") is a whole
word of the notice, so only those are checked, with ``keyword_hits`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from matcher.match.notice import PreparedNotice
from matcher.match.score import keyword_hits

_WORDLIKE = re.compile(r"\w+")
_LEADING_WORD = re.compile(r"\w*")
_MEMO_LIMIT = 500_000


class KeywordVocabulary:
    """Distinct keywords, numbered in the order first added."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._prefixes: set[str] = set()
        self._memo: dict[str, tuple[int, ...]] = {}  # notice word → the keywords it starts with (some)
        self._misses: set[str] = set()  # notice words that start no keyword: most of them
        self._phrases: dict[str, list[str]] = {}  # leading word ("" if none) → keywords with other characters

    def add(self, word: str) -> int:
        known = self.ids.get(word)
        if known is not None:
            return known
        self.ids[word] = len(self.ids)
        self._forget()
        if _WORDLIKE.fullmatch(word):
            self._prefixes.update(word[:n] for n in range(1, len(word) + 1))
        else:
            self._phrases.setdefault(_LEADING_WORD.match(word).group(), []).append(word)  # type: ignore[union-attr]
        return self.ids[word]

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
        if self._phrases:
            found.update(self.ids[w] for w in keyword_hits(self._phrases_to_check(notice), notice.text))
        return sorted(found)

    def _starting(self, word: str) -> tuple[int, ...]:
        """Keywords that the word starts with; remembered, as the same words come back notice after notice."""
        hits = []
        for end in range(1, len(word) + 1):
            prefix = word[:end]
            if prefix not in self._prefixes:
                break
            if prefix in self.ids:
                hits.append(self.ids[prefix])
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
        return [phrase for w in ["", *leading] for phrase in self._phrases.get(w, ())]
