"""Company keywords use the index's analysis (tenders.text): a keyword alerts where a search for it finds the notice,
in the pure scorer, the embedded candidate index and (the same rule, checked by the percolator contract) OpenSearch."""

from __future__ import annotations

import random

import pytest

from bench.match_mix import make_notices
from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from matcher.match.notice import prepare
from matcher.match.score import keyword_hits, score_pair
from matcher.match.vocabulary import KeywordVocabulary
from matcher.sni_tables import SniTables
from tenders.text import tokens

WINTER = MatchNotice(id="winter", title="Snöröjning och halkbekämpning", description="Vinterväghållning i Falun.",
                     cpv=["90620000"], buyer_name="Falu kommun", nuts=["SE312"])


@pytest.fixture(scope="module")
def tables() -> SniTables:
    return SniTables.load()


def test_a_keyword_alerts_on_the_compound_a_search_finds(tables: SniTables) -> None:
    profile = MatchProfile(id="röjare", keywords=["röjning"])
    match = score_pair(profile, prepare(WINTER), None, 1.0, {})
    assert match is not None and match.reasons[0] == "Nyckelordet ”röjning” finns i annonsen"
    assert [m.profile_id for m in CandidateIndex([profile], tables).match(WINTER)] == ["röjare"]


def test_a_negative_keyword_excludes_by_the_same_rule(tables: SniTables) -> None:
    profile = MatchProfile(id="no-snow", cpv=["90"], negative_keywords=["röjning"])
    assert score_pair(profile, prepare(WINTER), None, 1.0, {}) is None
    assert CandidateIndex([profile], tables).match(WINTER) == []


def test_the_vocabulary_finds_exactly_what_the_rule_finds() -> None:
    """The per-notice lookup (prefix walk, stem and part lookups, phrase candidates) against the rule itself."""
    rng = random.Random(8)
    notices = [prepare(n) for n in make_notices(150, rng)] + [prepare(WINTER)]
    words = sorted({w for n in notices for w in n.words if w.isalpha()})
    keywords = ["röjning", "tak", "städ", "entreprenad", "it-stöd", "snöröjning och", "-system", "vinter väg",
                *rng.sample(words, 200), *(w[: max(2, len(w) // 2)] for w in rng.sample(words, 100)),
                *(" ".join(tokens(n.notice.title)[1:3]) for n in notices[:40])]
    vocabulary = KeywordVocabulary()
    ids = vocabulary.add_all(keywords)
    by_id = dict(zip(ids, keywords, strict=True))
    found_any = 0
    for notice in notices:
        expected = set(keyword_hits(keywords, notice.analysed))
        assert {by_id[i] for i in vocabulary.found_in(notice)} == expected, notice.notice.id
        found_any += bool(expected)
    assert found_any > 100
