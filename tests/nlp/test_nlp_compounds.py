"""Compound splitting: hunspell (spylls) at training time, the fast lexicon search at run time."""

from __future__ import annotations

import pytest

from nlp.compounds import CompoundSplitter, hunspell_split, load_hunspell, read_split_table


@pytest.fixture(scope="module")
def hunspell():
    return load_hunspell()


@pytest.mark.parametrize(
    ("word", "parts"),
    [("snöröjning", ("snö", "röjning")), ("livsmedelsleveranser", ("livsmedel", "leverans")),
     ("vinterväghållning", ("vinter", "väghållning"))],
)
def test_hunspell_splits_compounds_into_base_forms(hunspell, word, parts):
    assert hunspell_split(hunspell, word) == parts


def test_hunspell_leaves_simple_words_alone(hunspell):
    assert hunspell_split(hunspell, "revision") == ()


def test_lexicon_search_splits_words_missing_from_the_table():
    splitter = CompoundSplitter(table={})
    assert splitter.split("Snöröjning") == ("snö", "röjning")
    assert splitter.split("sprinklerbesiktning") == ("sprinkler", "besiktning")
    assert splitter.split("tak") == ()
    assert splitter.split("2021-1016") == ()


def test_lexicon_search_uses_the_lemma_of_an_inflected_head():
    lemmas = {"tjänster": "tjänst"}
    splitter = CompoundSplitter(table={}, lemma=lambda word: lemmas.get(word, word))
    assert splitter.split("städtjänster") == ("städ", "tjänst")


def test_shipped_table_splits_nested_compounds():
    splitter = CompoundSplitter(table=read_split_table())
    assert splitter.split("satellitkommunikationsutrustning") == ("satellit", "kommunikation", "utrustning")
    assert splitter.split("vinterväghållning")[0] == "vinter"
