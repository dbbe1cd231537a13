"""One contract for both matcher backends: the embedded candidate index and the OpenSearch percolator give exactly
the alerts of scoring every (profile, notice) pair with the pure functions. The percolator runs on a real node
(``opensearch_url``); without one the test fails."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence

import pytest

from bench.match_mix import make_notices, make_profiles
from matcher.backends import open_matcher
from matcher.match import CandidateIndex, Match, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from tenders.settings import Settings
from tests.matcher.brute_force import BruteForce
from tests.matcher.test_match_mix import edge_notices, edge_profiles

Matcher = Callable[[Sequence[MatchNotice]], list[list[Match]]]


@pytest.fixture(scope="module")
def tables() -> SniTables:
    return SniTables.load()


@pytest.fixture(scope="module")
def profiles() -> list[MatchProfile]:
    return [*edge_profiles(), *make_profiles(500, random.Random(21))]


@pytest.fixture(scope="module")
def notices() -> list[MatchNotice]:
    rng = random.Random(22)
    return [*edge_notices(rng, make_notices(60, rng)), *make_notices(140, rng)]


@pytest.fixture(scope="module", params=["embedded", "percolator"])
def matcher(request: pytest.FixtureRequest, tables: SniTables, profiles: list[MatchProfile]) -> Matcher:
    """The matcher ``matcher_backend`` chooses, built the way the service builds it."""
    fields = {"matcher_backend": request.param}
    if request.param == "percolator":
        fields |= {"opensearch_url": request.getfixturevalue("opensearch_url"),
                   "opensearch_index": f"test-{uuid.uuid4().hex[:8]}"}
    return open_matcher(Settings(**fields), profiles, tables).match_many


def as_alerts(matches: list[Match]) -> dict[str, tuple[float, list[str]]]:
    alerts = {m.profile_id: (m.score, m.reasons) for m in matches}
    assert len(alerts) == len(matches), "one alert per profile and notice"
    return alerts


def test_backend_gives_exactly_the_brute_force_alerts(matcher, tables, profiles, notices):
    index = CandidateIndex(profiles[:1], tables)  # only for the size limits the reference uses
    reference = BruteForce(profiles, tables, index.size_limits)
    found = matcher(notices)
    total = 0
    for notice, matches in zip(notices, found, strict=True):
        assert as_alerts(matches) == reference.alerts(notice), notice.id
        total += len(matches)
    assert total / (len(profiles) * len(notices)) > 0.02  # the comparison is not vacuous


def test_backend_alerts_each_kind_of_profile(matcher, notices):
    alerted = {m.profile_id for matches in matcher(notices) for m in matches}
    assert {"phrase", "leading-dash", "neg-phrase", "neg-word", "value-range", "kinds", "nuts-lower", "place-mora",
            "place-county", "multi-3", "chosen-with-sni", "long-prefix", "compound-part", "stem-phrase",
            "neg-compound"} <= alerted
    assert "nothing-at-all" not in alerted


def test_backend_handles_an_empty_batch_and_a_notice_with_nothing(matcher):
    assert matcher([]) == []
    # no CPV, no words, no place: nothing to match on (the "-system" keyword's query matches, score_pair declines)
    assert matcher([MatchNotice(id="empty")]) == [[]]
