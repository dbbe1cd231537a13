"""The classifier's compound parts are the one Swedish text analysis's (``tenders.text.word_part_stems``)."""

from __future__ import annotations

import pytest

from nlp.compounds import part_stems
from tenders.text import MAX_SPLIT_CHARS, word_part_stems


@pytest.mark.parametrize(
    ("word", "parts"),
    [("snöröjning", ("snö", "röjning")), ("Snöröjning", ("snö", "röjning")), ("städtjänster", ("städ", "tjänst")),
     ("vinterväghållning", ("vint", "väghållning", "väg", "hållning")),
     ("sprinklerbesiktning", ("sprinkl", "besiktning")),
     ("satellitkommunikationsutrustning", ("satellit", "kommunikation", "utrustning"))],
)
def test_parts_are_those_of_the_text_analysis(word, parts):
    assert part_stems(word) == parts
    assert part_stems(word) == word_part_stems(word.casefold())


def test_simple_short_and_non_alphabetic_words_are_not_split():
    assert part_stems("revision") == ()
    assert part_stems("tak") == ()
    assert part_stems("2021-1016") == ()
    assert part_stems("el-cyklar") == ()


def test_a_hostile_word_is_not_split():
    assert part_stems("tak" * 1000) == ()
    assert part_stems("snöröjning" * 5) == ()  # 50 letters: above MAX_SPLIT_CHARS
    assert len("snöröjning" * 5) > MAX_SPLIT_CHARS
