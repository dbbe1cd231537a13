import pytest
from pydantic import ValidationError

from profiles.model import Channel, ChannelKind, CompanyProfile, Interests, NoticeKind


def test_orgnr_is_validated_and_normalised():
    company = CompanyProfile(orgnr="212000-2213", name="Mora kommun")
    assert company.orgnr == "2120002213"
    with pytest.raises(ValidationError, match="organisationsnummer"):
        CompanyProfile(orgnr="212000-2214", name="Fel kontrollsiffra")


def test_cpv_interests_become_significant_prefixes():
    interests = Interests(cpv=["45261210-9", "45000000", "4526"])
    assert interests.cpv == ["4526121", "45", "4526"]
    with pytest.raises(ValidationError):
        Interests(cpv=["4"])


def test_defaults_include_early_dialogue_kinds():
    kinds = Interests().notice_kinds
    assert NoticeKind.PLANNING in kinds and NoticeKind.CONSULTATION in kinds


def test_value_range_must_be_in_order():
    with pytest.raises(ValidationError, match="lägsta"):
        Interests(value_min_sek=10, value_max_sek=5)


def test_channels_are_checked_by_kind():
    assert Channel(address="info@example.se").kind is ChannelKind.EMAIL
    with pytest.raises(ValidationError):
        Channel(address="inte-en-adress")
    with pytest.raises(ValidationError):
        Channel(kind=ChannelKind.APPRISE, address="info@example.se")


def test_sni_codes_are_digits_and_alerts_need_consent():
    company = CompanyProfile(orgnr="5560360793", name="AB", sni=["43.210", "43210", "62"])
    assert company.sni == ["43210", "62"]
    assert not company.alerts_allowed
