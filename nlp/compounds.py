"""Swedish compound splitting: snöröjning → snö + röjning, livsmedelsleveranser → livsmedel + leverans.

Two layers, because hunspell (read with spylls) is accurate but slow (about 10 ms a word, 1.6 s to load):

- at training time every word of the training vocabulary is split with hunspell's own compound rules and the
  result is stored as a table in the trained pipeline;
- at run time a word missing from that table is split by a fast dictionary search over the words that the same
  hunspell dictionary marks as allowed at the start or the end of a compound (flags X/U and Y in sv_SE.aff).

The dictionary is LibreOffice's Swedish hunspell dictionary (LGPL-3.0), see ``nlp/resources/SOURCES.md``.

This splitter makes the classifier's features (base forms of the parts, by hunspell's rules), so it is not the index's
splitter (``tenders.text.compounds``, the spaCy lookups word list): switching would change the features of a trained
model. It shares the index's bound: a word longer than ``tenders.text.MAX_SPLIT_CHARS`` that is not in the table is
not searched (and not cached), so a hostile "word" costs nothing; no word of the training titles or CPV labels outside
the table is that long, so the features of the training data are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tenders.text import MAX_SPLIT_CHARS

MIN_WORD = 6  # shorter words are hardly ever compounds worth splitting
MIN_PART = 3  # hunspell's COMPOUNDMIN is 1; parts like "re" or "in" only add noise
BEGIN_FLAGS = frozenset("XU")  # COMPOUNDBEGIN / COMPOUNDMIDDLE in sv_SE.aff
END_FLAGS = frozenset("Y")  # COMPOUNDEND
LINKING = ("s", "")  # the Swedish linking -s- (fogemorfem): livsmedel-s-leverans


def hunspell_path() -> Path:
    """The dictionary's path without suffix, as spylls wants it."""
    return Path(str(resources.files("nlp") / "resources" / "hunspell" / "sv_SE"))


def load_hunspell() -> Any:
    from spylls.hunspell import Dictionary  # noqa: PLC0415 - spylls is in the train extra, not the service's install

    return Dictionary.from_files(str(hunspell_path()))


def hunspell_split(dictionary: Any, word: str) -> tuple[str, ...]:
    """The base forms of a compound's parts by hunspell's compound rules; () when it is not a compound."""
    best: tuple[str, ...] = ()
    for form in dictionary.lookuper.good_forms(word):
        parts = getattr(form, "parts", None)
        if not parts or any(len(part.text) < MIN_PART for part in parts):
            continue
        stems = tuple(part.stem.lower() for part in parts)
        if not best or len(stems) < len(best):
            best = stems
    return best


def split_vocabulary(words: Iterable[str], dictionary: Any | None = None) -> dict[str, tuple[str, ...]]:
    """Hunspell splits for every compound among ``words`` (lower-cased, alphabetic, long enough)."""
    dictionary = dictionary or load_hunspell()
    table = {}
    for word in sorted({w.lower() for w in words if w.isalpha() and len(w) >= MIN_WORD}):
        parts = hunspell_split(dictionary, word)
        if parts:
            table[word] = parts
    return table


def split_table_path() -> Path:
    return Path(str(resources.files("nlp") / "resources" / "compound_splits.tsv"))


def read_split_table(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    table = {}
    with (path or split_table_path()).open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            word, parts = line.rstrip("\n").split("\t")
            table[word] = tuple(parts.split())
    return table


def write_split_table(table: dict[str, tuple[str, ...]], path: Path | None = None) -> None:
    with (path or split_table_path()).open("w", encoding="utf-8") as handle:
        handle.write(
            "# Swedish compounds of the training vocabulary (UHM 2021 titles + CPV labels), split by hunspell's\n"
            "# compound rules (sv_SE dictionary, LGPL-3.0) read with spylls; rebuilt by `anbudsvakt train compounds`.\n"
        )
        for word in sorted(table):
            handle.write(f"{word}\t{' '.join(table[word])}\n")


@dataclass(frozen=True)
class CompoundLexicon:
    """Words hunspell allows at the start/middle and at the end of a compound."""

    begin: frozenset[str]
    end: frozenset[str]

    @classmethod
    def from_dic(cls, path: Path) -> CompoundLexicon:
        begin, end = set(), set()
        with path.open(encoding="utf-8") as handle:
            next(handle)  # the first line is the entry count
            for line in handle:
                word, _, flags = line.rstrip("\n").partition("/")
                if len(word) < MIN_PART or not word.isalpha():
                    continue
                if BEGIN_FLAGS & set(flags):
                    begin.add(word.lower())
                if END_FLAGS & set(flags):
                    end.add(word.lower())
        return cls(frozenset(begin), frozenset(end))


@cache
def default_lexicon() -> CompoundLexicon:
    return CompoundLexicon.from_dic(hunspell_path().with_suffix(".dic"))


@dataclass
class CompoundSplitter:
    """Table first (hunspell at training time), then the fast lexicon search; results are cached."""

    table: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lexicon: CompoundLexicon | None = None
    lemma: Callable[[str], str] = lambda word: word
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def split(self, word: str) -> tuple[str, ...]:
        word = word.lower()
        if len(word) < MIN_WORD or not word.isalpha():
            return ()
        if word in self.table:
            parts = self.table[word]
            # "satellitkommunikationsutrustning" → satellit + kommunikationsutrustning: split the parts too
            return tuple(sub for part in parts for sub in (self.table.get(part) or (part,)))
        if len(word) > MAX_SPLIT_CHARS:  # no real compound is this long: a hostile word is not searched or kept
            return ()
        if word not in self._cache:
            if len(self._cache) > 200_000:  # a long-running service must not grow without bound
                self._cache.clear()
            self._cache[word] = self._search(word, depth=3)
        return self._cache[word]

    def _search(self, word: str, depth: int) -> tuple[str, ...]:
        lexicon = self.lexicon or default_lexicon()
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:cut], word[cut:]
            if head not in lexicon.begin:
                continue
            for link in LINKING:
                if not rest.startswith(link) or len(rest) - len(link) < MIN_PART:
                    continue
                tail = rest[len(link) :]
                base = self.lemma(tail)
                if tail in lexicon.end or base in lexicon.end:
                    return (head, base)
        if depth > 1:  # three or more parts: the head and a compound tail
            for cut in range(MIN_PART, len(word) - 2 * MIN_PART + 1):
                head = word[:cut]
                if head in lexicon.begin:
                    tail_parts = self._search(word[cut:], depth - 1)
                    if tail_parts:
                        return (head, *tail_parts)
        return ()
