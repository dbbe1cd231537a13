"""A visitor's search text → what both index backends look for: words (all of them), OR/ELLER and quoted phrases.

- Words are required, all of them ("tak skola": both).
- OR or ELLER (any case) between two words makes them alternatives: "tak OR städ", "tak eller städ" find notices
  with either; "tak OR städ falun" is (tak or städ) and falun, as in web search engines. An operator word at the
  start or end, or next to another, is left out; a query of nothing but operator words searches them as words
  ("OR" finds notices with the word "or"), rather than every notice.
- Text in double quotes ("fast pris", also ”…” „…” «…») is a phrase: its words one after another in the title, the
  description or a buyer name, as written (with å, ä, ö). A quoted operator word is a word ("OR" in quotes). An
  unmatched quote is ignored.
- Each word is looked up by its stem and by its folded stem (:mod:`tenders.text.folding`), so "snorojning" finds
  "Snöröjning".

Nothing the visitor types becomes index syntax: the backends build their queries from stems, which hold letters
and digits only, and from marked folded stems. At most MAX_QUERY_TOKENS words are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenders.text.analysis import folded_stem, tokens
from tenders.text.limits import MAX_QUERY_TOKENS
from tenders.text.stemmer import stem

OR_WORDS = frozenset({"or", "eller"})
QUOTES = str.maketrans(dict.fromkeys("”“„«»", '"'))
SEGMENT = re.compile(r'"([^"]*)"|([^"]+)')  # a quoted phrase, or text between quotes; a lone quote matches neither


@dataclass(frozen=True)
class Word:
    """One query word: found as written (its stem) or without å, ä, ö, é (its marked folded stem)."""

    stem: str
    folded: str

    @property
    def terms(self) -> tuple[str, str]:
        return (self.stem, self.folded)


@dataclass(frozen=True)
class Phrase:
    """Quoted words: their stems one after another, as written."""

    stems: tuple[str, ...]


Alternative = Word | Phrase


@dataclass(frozen=True)
class SearchText:
    """Every group must match; a group matches when one of its alternatives does. No groups: no text condition."""

    groups: tuple[tuple[Alternative, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def has_phrase(self) -> bool:
        return any(isinstance(alternative, Phrase) for group in self.groups for alternative in group)

    @property
    def terms(self) -> list[str]:
        """The terms of the words in query order, two per word (as written, folded); phrases have none."""
        return [term for group in self.groups for a in group if isinstance(a, Word) for term in a.terms]


class _Operator:
    """OR/ELLER in the visitor's text."""


OR = _Operator()
Item = Word | Phrase | _Operator


def _word(word: str) -> Word:
    return Word(stem(word), folded_stem(word))


def _items(text: str) -> list[Item]:
    """Words, phrases and operators in order; at most MAX_QUERY_TOKENS words (operators not counted)."""
    items: list[Item] = []
    budget = MAX_QUERY_TOKENS
    for found in SEGMENT.finditer(text.translate(QUOTES)):
        quoted, bare = found.group(1), found.group(2)
        if quoted is not None:
            words = tokens(quoted)[:budget]
            if len(words) == 1:
                items.append(_word(words[0]))
            elif words:
                items.append(Phrase(tuple(stem(w) for w in words)))
            budget -= len(words)
            continue
        for chunk in bare.split():
            if chunk.casefold() in OR_WORDS:
                items.append(OR)
                continue
            words = tokens(chunk)[:budget]
            items += [_word(w) for w in words]
            budget -= len(words)
    return items


def parse_query(text: str) -> SearchText:
    """The groups of a visitor's search text (see the module's rules)."""
    items = _items(text)
    if all(item is OR for item in items):  # "OR", "OR OR": the words themselves, not every notice
        items = [_word(w) for w in tokens(text)[:MAX_QUERY_TOKENS]]
    groups: list[list[Alternative]] = []
    joined = False
    for item in items:
        if isinstance(item, _Operator):
            joined = bool(groups)
        elif joined:
            groups[-1].append(item)
            joined = False
        else:
            groups.append([item])
    # "tak OR tak", "tak tak": the same condition once
    return SearchText(tuple(dict.fromkeys(tuple(dict.fromkeys(group)) for group in groups)))
