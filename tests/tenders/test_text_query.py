"""Search text → groups of words and phrases (tenders.text.query): OR/ELLER, quotes, folding, and odd input."""

from __future__ import annotations

import pytest

from tenders.text import MAX_QUERY_TOKENS, Phrase, SearchText, Word, fold_accents, folded_stem, parse_query, stem


def words(*texts: str) -> tuple[Word, ...]:
    return tuple(Word(stem(t), folded_stem(t)) for t in texts)


def test_words_are_all_required() -> None:
    assert parse_query("tak skola").groups == (words("tak"), words("skola"))


@pytest.mark.parametrize("text", ["tak OR städ", "tak or städ", "tak ELLER städ", "tak Eller städ", "tak OR OR städ"])
def test_or_and_eller_join_the_words_beside_them(text: str) -> None:
    assert parse_query(text).groups == (words("tak", "städ"),)


def test_or_binds_tighter_than_the_words_around_it() -> None:
    assert parse_query("tak OR städ falun").groups == (words("tak", "städ"), words("falun"))
    assert parse_query("falun tak OR städ OR mora").groups == (words("falun"), words("tak", "städ", "mora"))


@pytest.mark.parametrize(("text", "expected"), [
    ("OR", (words("or"),)), ("OR OR", (words("or"),)), ("eller", (words("eller"),)),
    ("OR tak", (words("tak"),)), ("tak OR", (words("tak"),)), ('"OR" tak', (words("or"), words("tak"))),
])
def test_an_operator_without_two_words_around_it(text: str, expected: tuple[tuple[Word, ...], ...]) -> None:
    assert parse_query(text).groups == expected


def test_quotes_make_a_phrase_and_a_lone_quote_is_ignored() -> None:
    assert parse_query('"fast pris" tak').groups == ((Phrase(("fast", "pris")),), words("tak"))
    assert parse_query("”fast pris”").groups == ((Phrase(("fast", "pris")),),)
    assert parse_query('tak "').groups == (words("tak"),)
    assert parse_query('"tak"').groups == (words("tak"),)
    assert parse_query('"" ""') == SearchText()
    assert parse_query('"fast pris" OR tak').groups == ((Phrase(("fast", "pris")), *words("tak")),)


def test_folding_reads_words_without_a_ring_or_dots() -> None:
    assert fold_accents("snöröjning städ läkare entré") == "snorojning stad lakare entre"
    assert folded_stem("Snöröjning".casefold()) == folded_stem("snorojning") == "_snorojning"
    assert parse_query("snorojning").terms == ["snorojning", "_snorojning"]
    assert parse_query("städ").terms == ["städ", "_stad"]


@pytest.mark.parametrize("text", ["", "   ", "?!", '"', "()", "*", "-", "^", "{}:", "\x00"])
def test_text_without_words_is_no_condition(text: str) -> None:
    assert not parse_query(text)


def test_fts5_syntax_in_the_text_is_words() -> None:
    assert parse_query("title:tak* -städ NOT (mora)").groups == (words("title"), words("tak"), words("städ"),
                                                                   words("not"), words("mora"))


def test_a_long_query_reads_at_most_so_many_words() -> None:
    search = parse_query(" OR ".join(f"ord{n}" for n in range(200)) + ' "a b c d"')
    assert sum(len(group) for group in search.groups) == MAX_QUERY_TOKENS
    assert parse_query("x" * 5000).groups == (words("x" * 64),)
