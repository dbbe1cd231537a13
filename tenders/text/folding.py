"""Words without å, ä, ö or é: what a visitor types on a keyboard without them ("snorojning", "stadning", "lakare").

A notice's word that holds one of these letters is also indexed folded (å, ä → a, ö → o, é → e, and a few more
letters of loanwords), stemmed after folding and marked with FOLDED_MARK, in index columns of its own; a query word
is looked up both as written and folded (:mod:`tenders.text.query`). The mark keeps the two apart: "stad" is the term
of the word stad (a town), "_stad" the term of a word that reads stad once folded (städ). So "stadning" finds
"Städning"; "stad" finds the towns and, ranked after them where ranking exists (the folded columns weigh less),
"städ"; and "städ" never finds "Falu stad", because no folded term is ever written without the mark.
"""

from __future__ import annotations

# "_" never occurs in a word (tenders.text.analysis.TOKEN leaves it out), so a marked term never meets a real one.
FOLDED_MARK = "_"
FOLDS = str.maketrans({
    "å": "a", "ä": "a", "à": "a", "á": "a", "â": "a",
    "ö": "o", "ø": "o", "ó": "o", "ò": "o", "ô": "o",
    "é": "e", "è": "e", "ê": "e", "ë": "e",
    "ü": "u", "ú": "u", "í": "i", "ï": "i",
})


def fold_accents(word: str) -> str:
    """A case-folded word without the letters above ("snöröjning" → "snorojning", "entré" → "entre")."""
    return word.translate(FOLDS)


def has_accents(word: str) -> bool:
    return fold_accents(word) != word


def marked(stem: str) -> str:
    """A folded stem as the index stores it."""
    return FOLDED_MARK + stem
