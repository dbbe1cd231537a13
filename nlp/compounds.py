"""The classifier's compound parts: those of the one Swedish text analysis (``tenders.text.word_part_stems``).

A word's parts are the stems of the parts the index, keyword matching and SNI title terms use: the split against
spaCy's Swedish word list, and the parts of those parts ("snöröjning" → snö + röjning, "städtjänster" → städ + tjänst,
"vinterväghållning" → vint + väghållning + väg + hållning). The bounds are the index's: a word shorter than six
letters, with anything but letters, or longer than ``tenders.text.MAX_SPLIT_CHARS`` is not split, so a hostile "word"
costs nothing.
"""

from __future__ import annotations

from tenders.text import MAX_SPLIT_CHARS, word_part_stems

MIN_WORD = 6  # tenders.text.compounds.MIN_COMPOUND: shorter words are not compounds worth splitting


def part_stems(word: str) -> tuple[str, ...]:
    """The stems of a word's compound parts, () for a simple word (or one outside the bounds)."""
    word = word.casefold()
    if not MIN_WORD <= len(word) <= MAX_SPLIT_CHARS or not word.isalpha():
        return ()
    return word_part_stems(word)  # cached there (per process, bounded)
