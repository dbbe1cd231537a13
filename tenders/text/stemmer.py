"""Swedish stems that conflate inflections only: Snowball's Swedish algorithm without its derivational steps.

Snowball's Swedish stemmer (snowballstem.org, the algorithm of PyStemmer and of OpenSearch's ``snowball`` filter)
strips derivational suffixes too: the -het family in step 1 and -lig, -ig, -els in step 3. So "fastigheter" → fastig
→ "fast", the stem of "fast pris"; "rörelse" → "rör"; "möjligt" → "möj". And one pass leaves a singular and its plural
apart where the singular ends in a suffix of its own ("byggnader" → byggnad, "byggnad" → byggn), which is why the
embedded index applied it three times, merging still more ("månader" → mån, "säkerhet" → säk).

This is Snowball's Swedish algorithm (version 3.0: step 1 with the -et rule, step 2, step 3's -öst) with two changes:
step 1 leaves the -het family (het, heten, heter, heterna, hetens) alone and step 3 removes nothing; the result is
stemmed again until it stops changing (two passes for "byggnader", at most MAX_PASSES). Measured on spaCy's Swedish
lemma table (92,615 lemmas with their 660,000 inflected forms, ``tests/tenders/test_text_stemmer.py``): all forms of a
lemma share one stem for 65 % of the lemmas, as with three Snowball passes, while the lemmas that share a stem with
another lemma fall from 39 % to 24 %. With the unchanged steps (``snowball_stem``) it gives PyStemmer's stems exactly.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("aeiouyäåö")
S_ENDINGS = frozenset("bcdfghjklmnoprtvy")  # a final -s goes only after one of these
OST_ENDINGS = frozenset("iklnprtuv")  # -öst → -ös only after one of these
# Step 1 of Snowball's Swedish stemmer, longest first; "s" and "et" have conditions (see _main_suffix)
SNOWBALL_SUFFIXES = tuple(sorted((
    "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste", "en", "anden", "aren",
    "heten", "ern", "ar", "er", "heter", "or", "s", "as", "arnas", "ernas", "ornas", "es", "ades", "andes", "ens",
    "arens", "hetens", "erns", "at", "et", "andet", "het", "ast",
), key=len, reverse=True))
DERIVATIONAL = frozenset({"het", "heten", "heter", "heterna", "hetens"})  # fastig-het: a new word, not a form
INFLECTIONAL_SUFFIXES = tuple(s for s in SNOWBALL_SUFFIXES if s not in DERIVATIONAL)
ET_EXCEPTIONS = ("fab", "h", "pak", "rak", "stak", "kom", "iet", "cit", "dit", "alit", "ilit", "mit", "nit", "pit",
                 "rit", "sit", "tit", "uit", "ivit", "kvit", "xit")
CONSONANT_PAIRS = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
OTHER_SUFFIXES = (("fullt", "full"), ("lig", ""), ("els", ""), ("öst", "ös"), ("ig", ""))  # longest first
MAX_PASSES = 6  # enough for every form in the lemma table to reach its fixpoint


def _region1(word: str) -> int:
    """Where Snowball's R1 starts: after the first non-vowel that follows a vowel, and at least at 3."""
    for at in range(1, len(word)):
        if word[at] not in VOWELS and word[at - 1] in VOWELS:
            return max(at + 1, 3)
    return len(word)


def _et_condition(before: str) -> bool:
    """-et goes after vowel + consonant, not in words like 'fabet' or 'kommet'."""
    return (len(before) >= 3 and before[-1] not in VOWELS and before[-2] in VOWELS
            and not before.endswith(ET_EXCEPTIONS))


def _main_suffix(word: str, r1: int, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            rest = word[: -len(suffix)]
            if suffix == "s":
                if rest.endswith("et") and _et_condition(rest[:-2]):
                    return rest[:-2]
                return rest if rest and rest[-1] in S_ENDINGS else word
            if suffix == "et":
                return rest if _et_condition(rest) else word
            return rest
    return word


def _consonant_pair(word: str, r1: int) -> str:
    if len(word) - 2 >= r1 and word.endswith(CONSONANT_PAIRS):
        return word[:-1]
    return word


def _other_suffix(word: str, r1: int) -> str:
    for suffix, replacement in OTHER_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            if suffix == "öst" and not (len(word) > 3 and word[-4] in OST_ENDINGS):
                return word
            return word[: -len(suffix)] + replacement
    return word


def snowball_stem(word: str) -> str:
    """Snowball's Swedish stem, one pass, unchanged (what PyStemmer gives; kept to show what this module changes)."""
    r1 = _region1(word)
    return _other_suffix(_consonant_pair(_main_suffix(word, r1, SNOWBALL_SUFFIXES), r1), r1)


def _inflection_pass(word: str) -> str:
    r1 = _region1(word)
    return _consonant_pair(_main_suffix(word, r1, INFLECTIONAL_SUFFIXES), r1)


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The stem of a case-folded word: inflectional suffixes removed until none is left (at most MAX_PASSES)."""
    for _ in range(MAX_PASSES):
        shorter = _inflection_pass(word)
        if shorter == word:
            break
        word = shorter
    return word
