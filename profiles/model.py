"""A company's profile: who it is, what it wants to hear about, where alerts go.

Pure pydantic models, no I/O: the store keeps a validated ``CompanyProfile`` as one JSON document, the API
validates input with it, and the matcher turns it into a ``matcher.match.MatchProfile``.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr as se_orgnr

from tenders.model import CompanySize, FormType
from tenders.sni import normalise_sni


class NoticeKind(StrEnum):
    """The kinds of notice a company can ask for; early dialogue (planning, consultation) is opt-in by kind."""

    COMPETITION = FormType.COMPETITION.value
    PLANNING = FormType.PLANNING.value  # prior information notice: the buyer announces what is coming
    CONSULTATION = FormType.CONSULTATION.value  # market consultation: the buyer invites early dialogue
    DIRECT_AWARD = FormType.DIR_AWARD_PRE.value


DEFAULT_KINDS = (NoticeKind.COMPETITION, NoticeKind.PLANNING, NoticeKind.CONSULTATION)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# C0 and C1 control characters: invisible, and XML 1.0 (the Atom and RSS feeds) forbids most of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def refuse_control_characters(value: str) -> str:
    """For input (the API): a name with a tab, a line break or another control character is refused."""
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("namnet får inte innehålla styrtecken (till exempel tabb eller radbrytning)")
    return value


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class Interests(_Model):
    """What a company wants alerts about. Empty lists mean "no restriction" (places) or "not chosen" (CPV)."""

    cpv: list[str] = Field(default_factory=list)  # CPV codes or prefixes, e.g. "4526" or "45261210"
    keywords: list[str] = Field(default_factory=list)
    negative_keywords: list[str] = Field(default_factory=list)  # a hit excludes the notice
    municipalities: list[str] = Field(default_factory=list)  # SCB kommunkod ("2062") or name ("Mora")
    nuts: list[str] = Field(default_factory=list)  # e.g. "SE312"
    value_min_sek: float | None = Field(default=None, ge=0)
    value_max_sek: float | None = Field(default=None, ge=0)
    notice_kinds: list[NoticeKind] = Field(default_factory=lambda: list(DEFAULT_KINDS))

    @field_validator("cpv")
    @classmethod
    def _cpv_prefixes(cls, codes: list[str]) -> list[str]:
        prefixes = []
        for code in codes:
            digits = _digits(code.split("-")[0])
            if not 2 <= len(digits) <= 8:
                raise ValueError(f"CPV-koden {code!r} ska ha 2–8 siffror")
            # '45000000' and '45' mean the same interest; keep the significant prefix
            prefixes.append(digits.rstrip("0").ljust(2, "0") if len(digits) == 8 else digits)
        return list(dict.fromkeys(prefixes))

    @field_validator("keywords", "negative_keywords")
    @classmethod
    def _clean_words(cls, words: list[str]) -> list[str]:
        return list(dict.fromkeys(w.strip().casefold() for w in words if w.strip()))

    @model_validator(mode="after")
    def _range_in_order(self) -> Interests:
        low, high = self.value_min_sek, self.value_max_sek
        if low is not None and high is not None and low > high:
            raise ValueError("lägsta värde är större än högsta värde")
        return self


class ChannelKind(StrEnum):
    EMAIL = "email"
    APPRISE = "apprise"  # any other channel, as an Apprise URL (e.g. "mailto://", "msteams://")
    # The company's own receiver: structured JSON signed with HMAC (alerts/delivery/webhook.py). Registered only
    # through profiles.webhooks, which checks the address against the settings (https, no private networks).
    WEBHOOK = "webhook"


class Channel(_Model):
    kind: ChannelKind = ChannelKind.EMAIL
    address: str  # an e-mail address or an Apprise URL

    @model_validator(mode="after")
    def _address_fits_kind(self) -> Channel:
        if self.kind is ChannelKind.EMAIL and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.address):
            raise ValueError(f"{self.address!r} är ingen e-postadress")
        if self.kind is ChannelKind.APPRISE and "://" not in self.address:
            raise ValueError("en Apprise-kanal anges som URL, t.ex. msteams://...")
        if self.kind is ChannelKind.WEBHOOK and not self.address.startswith(("https://", "http://")):
            raise ValueError("en webhook anges som https-adress, t.ex. https://exempel.se/anbudsvakt")
        return self


class CompanyProfile(_Model):
    """One company. ``sni`` drives suggested interests until the company picks CPV codes or keywords itself."""

    orgnr: str
    name: str = Field(min_length=1, max_length=300)
    municipality_code: str | None = None  # SCB kommunkod of the company's seat
    sni: list[str] = Field(default_factory=list)  # SNI 2007 codes, 2–5 digits; a detailed group always 5 ("02200")
    size: CompanySize | None = None
    turnover_sek: float | None = Field(default=None, ge=0)
    capacity_note: str | None = None  # free text: staff, machines, what the company can take on
    interests: Interests = Field(default_factory=Interests)
    channels: list[Channel] = Field(default_factory=list)
    consent_at: datetime | None = None  # no consent → no alerts
    unsubscribe_token: str | None = None  # issued by the delivery side; kept with the profile

    @field_validator("name")
    @classmethod
    def _name_without_control_characters(cls, value: str) -> str:
        # Stripped here rather than refused: profiles stored before the API refused them must still load.
        return CONTROL_CHARACTERS.sub("", value).strip()

    @field_validator("orgnr")
    @classmethod
    def _valid_orgnr(cls, value: str) -> str:
        try:
            return str(se_orgnr.validate(value))
        except StdnumValidationError as error:
            raise ValueError(f"{value!r} är inget giltigt svenskt organisationsnummer") from error

    @field_validator("sni")
    @classmethod
    def _sni_codes(cls, codes: list[str]) -> list[str]:
        # "02.200", "02200" and "2200" are all Drivning, stored as "02200" (rules in tenders/sni.py)
        cleaned = []
        for code in codes:
            normalised = normalise_sni(code)
            if normalised is None:
                raise ValueError(f"SNI-koden {code!r} ska ha 2–5 siffror, t.ex. 02200 eller 02.200")
            cleaned.append(normalised)
        return list(dict.fromkeys(cleaned))

    @property
    def alerts_allowed(self) -> bool:
        return self.consent_at is not None and bool(self.channels)
