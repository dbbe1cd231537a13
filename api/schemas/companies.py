"""A company's own data in the API: registration, profile, matches, follows, feeds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from profiles.model import Interests, refuse_control_characters
from tenders.model import CompanySize

CompanyName = Annotated[str, AfterValidator(refuse_control_characters)]

_INTERESTS_EXAMPLE: dict[str, Any] = {
    "cpv": ["4526", "45261"], "keywords": ["takläggning", "plåt"], "negative_keywords": ["asbest"],
    "municipalities": ["2062", "2039"], "nuts": [], "value_min_sek": None, "value_max_sek": 5000000,
    "notice_kinds": ["competition", "planning", "consultation"],
}


class CompanySessionPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"company_id": "42", "email": "info@takservice-mora.se"}]}
    )

    company_id: str
    email: str


class CompanyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "orgnr": "556677-8899", "name": "Takservice i Mora AB", "email": "info@takservice-mora.se",
        "municipality_code": "2062", "size": "micro", "sni": ["43910"],
        "description": "Vi lägger tak och gör plåtarbeten på villor och skolor.", "has_bid_before": False,
        "interests": _INTERESTS_EXAMPLE, "consent": True,
    }]})

    orgnr: str = Field(description="Svenskt organisationsnummer, med eller utan bindestreck")
    name: CompanyName = Field(min_length=1, max_length=300)
    email: str = Field(max_length=320, description="Dit inloggningslänkar och dagliga sammanställningar skickas")
    municipality_code: str | None = Field(default=None, description="SCB-kommunkod för företagets säte")
    size: CompanySize | None = None
    sni: list[str] = Field(default_factory=list, description="SNI 2007-koder, 2–5 siffror")
    description: str | None = Field(default=None, max_length=2000, description="Vad företaget gör, med egna ord")
    has_bid_before: bool | None = None
    interests: Interests = Field(default_factory=Interests)
    consent: bool = Field(default=False, description="Samtycke till dagliga e-postutskick med annonser")


class CompanyUpdate(BaseModel):
    """Only the fields given are changed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "interests": _INTERESTS_EXAMPLE, "consent": True,
    }]})

    name: CompanyName | None = Field(default=None, min_length=1, max_length=300)
    email: str | None = Field(default=None, max_length=320)
    municipality_code: str | None = None
    size: CompanySize | None = None
    sni: list[str] | None = None
    description: str | None = Field(default=None, max_length=2000)
    has_bid_before: bool | None = None
    interests: Interests | None = None
    consent: bool | None = None


class CompanyPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "3f2c9e0d7a1b4c5e8f90a1b2c3d4e5f6", "orgnr": "5566778899", "name": "Takservice i Mora AB",
        "email": "info@takservice-mora.se", "municipality_code": "2062", "size": "micro", "sni": ["43910"],
        "description": "Vi lägger tak och gör plåtarbeten.", "has_bid_before": False,
        "interests": _INTERESTS_EXAMPLE, "alerts_active": True, "created_at": "2026-08-01T09:30:00Z",
    }]})

    id: str
    orgnr: str
    name: str
    email: str | None
    municipality_code: str | None
    size: CompanySize | None
    sni: list[str]
    description: str | None
    has_bid_before: bool | None
    interests: Interests
    alerts_active: bool = Field(description="Samtycke finns och minst en kanal är aktiv")
    created_at: datetime
    message: str | None = Field(default=None,
                                description="Vad företaget behöver göra, t.ex. bekräfta en ny e-postadress")


class RegistrationPublic(BaseModel):
    company: CompanyPublic
    detail: str = "En inloggningslänk har skickats till företagets e-postadress."


class MatchPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "tender_id": "f5b7a8a6-8a5d-4b9f-9d5c-1f0e4b7c2a10", "title": "Takarbeten på Mora gymnasium",
        "url": "/upphandlingar/f5b7a8a6-8a5d-4b9f-9d5c-1f0e4b7c2a10", "score": 0.75,
        "reasons": ["CPV 45261210 Takläggningsarbete ingår i era intressen", "Utförs i Mora kommun"],
        "buyer_names": ["Mora kommun"], "deadline": "2026-09-15T23:59:00+02:00", "published": "2026-08-01",
        "form_type": "competition", "followed": False, "relevant": True,  # null is dropped from OpenAPI examples
    }]})

    tender_id: str
    title: str
    url: str
    score: float
    reasons: list[str]
    buyer_names: list[str]
    deadline: datetime | None
    published: date | None
    form_type: str | None
    followed: bool
    relevant: bool | None = Field(description="Företagets bedömning: true relevant, false inte relevant, null ingen")


class MatchesPublic(BaseModel):
    data: list[MatchPublic]
    count: int
    window_days: int


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"relevant": False}]})

    relevant: bool


class FollowPublic(BaseModel):
    tender_id: str
    title: str
    url: str
    deadline: datetime | None


class FollowsPublic(BaseModel):
    data: list[FollowPublic]
    count: int


class FeedsPublic(BaseModel):
    """Secret addresses: anyone with one can read the feed, so share them only with your own feed reader."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "atom": "https://anbudsvakt.se/api/feeds/3f2c...:Zx8.../atom.xml",
        "rss": "https://anbudsvakt.se/api/feeds/3f2c...:Zx8.../rss.xml",
        "ical": "https://anbudsvakt.se/api/feeds/3f2c...:Zx8.../sista-anbudsdagar.ics",
    }]})

    atom: str
    rss: str
    ical: str


class CompanyApiKeyPublic(BaseModel):
    id: str = Field(description="Nyckelns id (början av dess kontrollsumma) – räcker för att spärra den, inte för "
                                "att använda den")
    created_at: datetime
    expires_at: datetime


class CompanyApiKeyCreated(CompanyApiKeyPublic):
    key: str = Field(description="Själva nyckeln, visas bara i detta svar. Skicka den som "
                                 "'Authorization: Bearer <nyckel>' till /api/companies/me/...")


class CompanyApiKeysPublic(BaseModel):
    data: list[CompanyApiKeyPublic]
    count: int
