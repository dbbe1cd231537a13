"""The candidate index gives exactly the alerts of scoring every pair, on the benchmark's realistic profile mix and
on profiles built to hit every filter and every way a keyword can match."""

import random

import pytest

from bench.match_mix import make_notices, make_profiles
from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from tests.matcher.brute_force import BruteForce

KINDS = ["competition", "planning", "consultation"]


@pytest.fixture(scope="module")
def tables() -> SniTables:
    return SniTables.load()


def edge_profiles() -> list[MatchProfile]:
    return [
        MatchProfile(id="phrase", keywords=["snöröjning och halkbekämpning", "it-stöd"]),
        MatchProfile(id="leading-dash", keywords=["-system"]),
        MatchProfile(id="neg-phrase", cpv=["45"], negative_keywords=["nybyggnad av"]),
        MatchProfile(id="neg-word", sni=["43210"], negative_keywords=["el"], company_size="small"),
        MatchProfile(id="value-range", sni=["43210"], value_min_sek=1e6, value_max_sek=2e7),
        MatchProfile(id="value-low", cpv=["7"], keywords=["städ"], value_max_sek=5e5),
        MatchProfile(id="kinds", sni=["71121"], notice_kinds=["planning", "consultation"]),
        MatchProfile(id="stockholm", sni=["43210"], municipalities=["Stockholm"]),
        MatchProfile(id="nuts-lower", keywords=["bygg"], nuts=["se31"]),
        MatchProfile(id="place-mora", municipalities=["Mora"], notice_kinds=KINDS),
        MatchProfile(id="place-county", nuts=["SE312"], company_size="micro"),
        MatchProfile(id="multi-3", sni=["62010", "43210", "81210"], company_size="medium", municipalities=["2080"]),
        MatchProfile(id="twin-a", sni=["81210"], company_size="micro", municipalities=["Falun"]),
        MatchProfile(id="twin-b", sni=["81210"], company_size="micro", municipalities=["2080"]),
        MatchProfile(id="chosen-with-sni", sni=["62010"], cpv=["4521"], keywords=["skola"]),
        MatchProfile(id="long-prefix", cpv=["45261210", "452612109"]),
        MatchProfile(id="nothing-at-all"),
        # the keyword rule of tenders.text: a compound's part, a phrase by its stems, a negative part
        MatchProfile(id="compound-part", keywords=["röjning"]),
        MatchProfile(id="stem-phrase", keywords=["it-stödet"]),
        MatchProfile(id="neg-compound", cpv=["45"], negative_keywords=["byggnad"]),
    ]


def edge_notices(rng: random.Random, base: list[MatchNotice]) -> list[MatchNotice]:
    """Real notices given descriptions, kinds, values and places that exercise the filters."""
    texts = ["Snöröjning och halkbekämpning på skolgårdar, samt IT-stöd.", "Nybyggnad av förskola; el-system.",
             "Städning av lokaler -system", "", "takarbeten, kontakt: bygg@kommun.se"]
    places: list[tuple[str | None, list[str]]] = [("Mora kommun", ["SE312"]), (None, []), (None, ["SE3"]),
                                                  ("Falu kommun", []), (None, ["SE110"])]
    made = []
    for i, notice in enumerate(base):
        buyer, nuts = places[i % len(places)]
        made.append(notice.model_copy(update={
            "description": texts[i % len(texts)], "kind": KINDS[i % 3] if i % 4 else None,
            "estimated_value_sek": [None, 3e5, 1.5e6, 9e7][i % 4], "nuts": nuts,
            "buyer_name": buyer or notice.buyer_name, "buyer_orgnr": None if buyer else notice.buyer_orgnr,
            "cpv": [*notice.cpv, "45261210"] if i % 7 == 0 else notice.cpv,
        }))
    return made


def assert_same_alerts(index: CandidateIndex, reference: BruteForce, notices: list[MatchNotice]) -> int:
    total = 0
    for notice in notices:
        via_index = {m.profile_id: (m.score, m.reasons) for m in index.match(notice)}
        assert via_index == reference.alerts(notice), notice.id
        assert len(index.match_notice(notice)) == len(via_index)
        total += len(via_index)
    return total


def test_realistic_mix_gets_exactly_the_brute_force_alerts(tables):
    rng = random.Random(5)
    profiles = make_profiles(600, rng)
    index = CandidateIndex(profiles, tables)
    total = assert_same_alerts(index, BruteForce(profiles, tables, index.size_limits), make_notices(250, rng))
    assert 0.02 < total / (600 * 250) < 0.15  # a realistic alert rate, so the comparison is not vacuous


def test_edge_profiles_get_exactly_the_brute_force_alerts(tables):
    rng = random.Random(6)
    profiles = [*edge_profiles(), *make_profiles(150, rng)]
    index = CandidateIndex(profiles, tables)
    notices = edge_notices(rng, make_notices(150, rng))
    assert_same_alerts(index, BruteForce(profiles, tables, index.size_limits), notices)
    alerted = {m.profile_id for n in notices for m in index.match(n)}
    expected_somewhere = {"phrase", "leading-dash", "neg-phrase", "neg-word", "value-range", "kinds", "nuts-lower",
                          "place-mora", "place-county", "multi-3", "twin-a", "twin-b", "chosen-with-sni",
                          "long-prefix"}
    assert expected_somewhere <= alerted
    assert "nothing-at-all" not in alerted


def test_identical_profiles_share_a_group_and_get_the_same_alert(tables):
    index = CandidateIndex(edge_profiles(), tables)
    twin_a, twin_b = (index.profile_ids.index(name) for name in ("twin-a", "twin-b"))
    assert index.unit_rows(twin_a) == index.unit_rows(twin_b)
    notice = MatchNotice(id="n", title="Städning av skolor", cpv=["90911200"], buyer_name="Falu kommun")
    found = {m.profile_id: m for m in index.match(notice)}
    assert found["twin-a"].reasons == found["twin-b"].reasons and "Utförs i Falu kommun" in found["twin-a"].reasons
