import pytest

from matcher.match.model import MatchNotice, MatchProfile
from matcher.match.notice import prepare
from matcher.match.score import score_pair, sni_evidence
from matcher.sni import SniScorer
from matcher.sni_tables import SniTables

LIMITS = {"micro": 5_000_000.0}


@pytest.fixture(scope="module")
def tables() -> SniTables:
    return SniTables.load()


ROOF = MatchNotice(id="n1", title="Takbyte på Morkarlbyskolan", description="Byte av plåttak", cpv=["45261210"],
                   buyer_name="Mora kommun", buyer_orgnr="2120002213", nuts=["SE312"], estimated_value_sek=2e6, lots=3)


def chosen(**fields) -> MatchProfile:
    return MatchProfile(id="p", **fields)


def test_chosen_cpv_explains_in_swedish():
    match = score_pair(chosen(cpv=["4526"]), prepare(ROOF), None, 1.0, LIMITS)
    assert match is not None
    assert match.reasons[0].startswith("CPV 45261210 ") and match.reasons[0].endswith("ingår i era intressen")
    assert "3 delområden – ni kan lämna anbud på ett" in match.reasons


def test_place_is_a_filter_and_a_reason():
    mora = score_pair(chosen(cpv=["45"], municipalities=["Mora"]), prepare(ROOF), None, 1.0, LIMITS)
    assert mora is not None and "Utförs i Mora kommun" in mora.reasons
    assert score_pair(chosen(cpv=["45"], municipalities=["Falun"]), prepare(ROOF), None, 1.0, LIMITS) is None


def test_negative_keyword_excludes_and_keyword_matches_word_starts():
    assert score_pair(chosen(keywords=["plåt"], negative_keywords=["takbyte"]), prepare(ROOF), None, 1.0, LIMITS) \
        is None
    hit = score_pair(chosen(keywords=["plåt", "kontakt"]), prepare(ROOF), None, 1.0, LIMITS)
    assert hit is not None and hit.reasons[0] == "Nyckelordet ”plåt” finns i annonsen"
    contact = prepare(ROOF.model_copy(update={"title": "Kontakt", "description": ""}))
    assert score_pair(chosen(keywords=["tak"]), contact, None, 1.0, LIMITS) is None


def test_value_range_and_kind_filters():
    assert score_pair(chosen(cpv=["45"], value_max_sek=1e6), prepare(ROOF), None, 1.0, LIMITS) is None
    planning = prepare(ROOF.model_copy(update={"kind": "planning"}))
    assert score_pair(chosen(cpv=["45"], notice_kinds=["competition"]), planning, None, 1.0, LIMITS) is None
    assert score_pair(chosen(cpv=["45"], notice_kinds=["planning"]), planning, None, 1.0, LIMITS) is not None


def test_size_reason_against_the_size_limit():
    small = score_pair(chosen(cpv=["45"], company_size="micro"), prepare(ROOF), None, 1.0, LIMITS)
    assert small is not None and "Värdet passar ett företag av er storlek" in small.reasons
    big = prepare(ROOF.model_copy(update={"estimated_value_sek": 5e7}))
    large = score_pair(chosen(cpv=["45"], company_size="micro"), big, None, 1.0, LIMITS)
    assert large is not None and any(r.startswith("Värdet är stort") for r in large.reasons)


def test_sni_only_profile_matches_its_trade_and_not_others(tables):
    scorer = SniScorer(tables, [("43910", "micro"), ("62010", "medium")])
    notice = prepare(ROOF)
    roofer, it = MatchProfile(id="tak", sni=["43910"], company_size="micro"), MatchProfile(id="it", sni=["62010"])
    roof_match = score_pair(roofer, notice, sni_evidence(scorer, [0], notice), scorer.threshold, LIMITS)
    assert roof_match is not None and "SNI 43910" in roof_match.reasons[0]
    assert score_pair(it, notice, sni_evidence(scorer, [1], notice), scorer.threshold, LIMITS) is None


def test_chosen_interests_replace_sni_suggestions(tables):
    scorer = SniScorer(tables, [("43910", "micro")])
    notice = prepare(ROOF)
    profile = MatchProfile(id="p", sni=["43910"], keywords=["asfalt"])
    assert score_pair(profile, notice, sni_evidence(scorer, [0], notice), scorer.threshold, LIMITS) is None


def test_the_municipality_the_notice_carries_decides_the_place():
    # A buyer outside the Dalarna buyer list whose name gives no municipality, but whose notice says Ludvika (2085)
    # – as search files it. Before, the matcher knew only the county and alerted a Mora-only company.
    ludvika = ROOF.model_copy(update={"buyer_name": "Bergslagens Energi AB", "buyer_orgnr": "5560000000",
                                      "municipalities": ["2085"]})
    assert score_pair(chosen(cpv=["45"], municipalities=["Mora"]), prepare(ludvika), None, 1.0, LIMITS) is None
    there = score_pair(chosen(cpv=["45"], municipalities=["Ludvika"]), prepare(ludvika), None, 1.0, LIMITS)
    assert there is not None and "Utförs i Ludvika kommun" in there.reasons
    outside = ludvika.model_copy(update={"municipalities": ["0180"]})  # Stockholm: not a Dalarna code, so the county
    assert prepare(outside).municipality is None
