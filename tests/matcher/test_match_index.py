import pytest

from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from tenders.stats.uhm_records import read_procurements
from tests.matcher.brute_force import BruteForce


@pytest.fixture(scope="module")
def tables() -> SniTables:
    return SniTables.load()


def profiles() -> list[MatchProfile]:
    sni_codes = ["43910", "43210", "62010", "71121", "81210", "41200", "86230", "49391"]
    made = [MatchProfile(id=f"sni-{code}-{size}", sni=[code], company_size=size)
            for code in sni_codes for size in ("micro", "large", None)]
    made += [
        MatchProfile(id="multi", sni=["43910", "62010"], company_size="small"),
        MatchProfile(id="filtered", sni=["41200"], negative_keywords=["skola"]),
        MatchProfile(id="cpv", cpv=["45"], municipalities=["Mora"]),
        MatchProfile(id="kw", keywords=["städ", "fönster"]),
        MatchProfile(id="place-only", nuts=["SE12"]),
        MatchProfile(id="nothing"),
    ]
    return made


@pytest.fixture(scope="module")
def notices() -> list[MatchNotice]:
    real = read_procurements()[:400]
    return [MatchNotice(id=p.id, title=p.title, cpv=[p.main_cpv] if p.main_cpv else [], buyer_name=p.buyer_name,
                        buyer_orgnr=p.buyer_orgnr, nuts=["SE121"] if i % 3 == 0 else [])
            for i, p in enumerate(real)]


def test_index_gives_exactly_the_alerts_of_scoring_every_pair(tables, notices):
    index = CandidateIndex(profiles(), tables)
    reference = BruteForce(index.profiles, tables, index.size_limits)
    total = 0
    for notice in notices:
        via_index = {m.profile_id: (m.score, m.reasons) for m in index.match(notice)}
        assert via_index == reference.alerts(notice), notice.id
        total += len(via_index)
    kinds = {m.profile_id.split("-")[0] for n in notices for m in index.match(n)}
    assert total > 0 and {"sni", "multi", "filtered", "cpv", "kw", "place"} <= kinds
    assert "nothing" not in kinds


def test_sni_profiles_share_one_unit_per_code_and_size(tables):
    index = CandidateIndex([*profiles(), MatchProfile(id="twin", sni=["43910"], company_size="micro")], tables)
    assert ("43910", "micro") in index.scorer.units
    assert len(index.scorer.units) == len(set(index.scorer.units))


def test_notice_without_cpv_uses_its_title(tables):
    index = CandidateIndex([MatchProfile(id="it", sni=["62010"], company_size="medium")], tables)
    found = index.match(MatchNotice(id="x", title="Nytt verksamhetssystem och e-tjänsteplattform"))
    assert [m.profile_id for m in found] == ["it"]
    assert "Rubriken nämner" in found[0].reasons[-1]
