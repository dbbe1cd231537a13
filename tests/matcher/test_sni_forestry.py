"""A forestry and a farming company in Dalarna, with the SNI codes they are registered under, get SNI-based alerts
on the notices their trades win, and the reasons name the code as SCB writes it (five digits)."""

import pytest

from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from profiles.model import CompanyProfile

FORESTRY = MatchNotice(id="skog", title="Röjning och skogsvård 2025", cpv=["77200000"], buyer_name="Mora kommun",
                       nuts=["SE312"])
FELLING = MatchNotice(id="fallning", title="Trädfällning och röjning längs kraftledningar", cpv=["77211400"])
POTATOES = MatchNotice(id="potatis", title="Potatis och spannmål till skolmåltider", cpv=["03000000"])
SNOW = MatchNotice(id="sno", title="Snöröjning och halkbekämpning", cpv=["90620000"])
SOFTWARE = MatchNotice(id="it", title="Verksamhetssystem för skolan", cpv=["48000000"])


def company(sni: str) -> MatchProfile:
    profile = CompanyProfile(orgnr="5560360793", name="Dalaföretaget AB", sni=[sni], size="micro")
    return MatchProfile.from_company(sni, profile)


@pytest.fixture(scope="module")
def index() -> CandidateIndex:
    return CandidateIndex([company("02200"), company("01110"), company("2200"), company("02.200")], SniTables.load())


def alerted(index: CandidateIndex, notice: MatchNotice) -> dict[str, list[str]]:
    return {match.profile_id: match.reasons for match in index.match(notice)}


@pytest.mark.parametrize("notice", [FORESTRY, FELLING], ids=lambda n: n.id)
def test_a_logging_company_hears_of_forestry_work(index, notice):
    reasons = alerted(index, notice)["02200"]
    assert reasons[0].endswith("vinns ofta av företag med SNI 02200 Avverkningsföretag")
    assert reasons[0].startswith(f"CPV {notice.cpv[0]} ")


@pytest.mark.parametrize("notice", [POTATOES, SNOW], ids=lambda n: n.id)
def test_a_farming_company_hears_of_farm_produce_and_snow_clearing(index, notice):
    reasons = alerted(index, notice)["01110"]
    assert "SNI 01110 Odlare av spannmål" in reasons[0]


def test_the_code_as_written_without_its_zero_or_with_a_dot_alerts_the_same(index):
    for notice in (FORESTRY, FELLING, POTATOES, SOFTWARE):
        found = alerted(index, notice)
        assert found.get("2200") == found.get("02.200") == found.get("02200")


def test_neither_hears_of_software(index):
    assert not alerted(index, SOFTWARE)


def test_reasons_never_print_the_code_without_its_zero(index):
    reasons = [r for notice in (FORESTRY, FELLING, POTATOES, SNOW) for rs in alerted(index, notice).values()
               for r in rs]
    assert reasons and not any("SNI 2200" in r or "SNI 1110" in r for r in reasons)
