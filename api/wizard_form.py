"""The profile wizard's form: every answer travels along in the form itself (no server state, works without JS),
and each step validates everything before it, with one Swedish message per field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from starlette.datastructures import FormData
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr as se_orgnr

from profiles.model import Channel, CompanyProfile, Interests
from tenders.codelists import dalarna_municipalities
from tenders.formatting import number
from tenders.model import CompanySize

SIZE_LABELS = {"micro": "Mikroföretag (färre än 10 anställda)", "small": "Litet företag (10–49 anställda)",
               "medium": "Medelstort företag (50–249 anställda)", "large": "Stort företag (250 eller fler)"}
BID_BEFORE = {"ja": True, "nej": False, "": None}
_SPLIT = re.compile(r"[,;\n]+")
NAME_MAX_CHARS = 300  # what a profile holds (profiles.model.CompanyProfile.name)
# A longer name is kept in the form (up to this many characters), so the visitor sees it and can shorten it, and is
# refused with a message rather than cut without a word.
NAME_KEPT_CHARS = 10_000
NAME_TOO_LONG = ("Namnet är för långt ({length} tecken). Skriv högst {limit} tecken, till exempel namnet som det står "
                 "hos Bolagsverket.")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


@dataclass
class WizardForm:
    orgnr: str = ""
    name: str = ""
    email: str = ""
    municipality_code: str = ""
    size: str = ""
    sni: str = ""
    description: str = ""
    has_bid_before: str = ""
    cpv: list[str] = field(default_factory=list)
    cpv_extra: str = ""
    keywords: str = ""
    municipalities: list[str] = field(default_factory=list)
    interests_chosen: bool = False  # step 3 has been answered: keep the ticks as they are
    consent: bool = False

    @classmethod
    def from_form(cls, form: FormData) -> WizardForm:
        def text(name: str, limit: int = 300) -> str:
            value = form.get(name, "")
            return value.strip()[:limit] if isinstance(value, str) else ""

        def values(name: str) -> list[str]:
            return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()][:50]

        return cls(
            orgnr=text("orgnr", 20), name=text("name", NAME_KEPT_CHARS), email=text("email", 320),
            municipality_code=text("municipality_code", 4), size=text("size", 10), sni=text("sni"),
            description=text("description", 2000), has_bid_before=text("has_bid_before", 3), cpv=values("cpv"),
            cpv_extra=text("cpv_extra"), keywords=text("keywords", 500), municipalities=values("municipality"),
            interests_chosen=form.get("interests_chosen") == "1", consent=form.get("consent") == "ja",
        )

    def errors_about(self) -> dict[str, str]:
        """Step 1: the company."""
        errors = {}
        try:
            se_orgnr.validate(self.orgnr)
        except StdnumValidationError:
            errors["orgnr"] = "Skriv ett giltigt organisationsnummer, till exempel 556677-8899."
        if not self.name:
            errors["name"] = "Skriv företagets namn."
        elif len(self.name) > NAME_MAX_CHARS:
            errors["name"] = NAME_TOO_LONG.format(length=number(len(self.name)), limit=NAME_MAX_CHARS)
        try:
            Channel(address=self.email.casefold())
        except ValidationError:
            errors["email"] = "Skriv en e-postadress, till exempel info@foretaget.se."
        if self.municipality_code and self.municipality_code not in dalarna_municipalities():
            errors["municipality_code"] = "Välj en kommun i listan."
        if self.size and self.size not in SIZE_LABELS:
            errors["size"] = "Välj en storlek i listan."
        return errors

    def errors_work(self) -> dict[str, str]:
        """Step 2: what the company does."""
        bad = [code for code in split_list(self.sni) if not 2 <= len(re.sub(r"\D", "", code)) <= 5]
        return {"sni": f"SNI-koder har 2–5 siffror; kontrollera {', '.join(bad)}."} if bad else {}

    def errors_interests(self) -> dict[str, str]:
        """Step 3: what to watch."""
        errors = {}
        try:
            self.interests()
        except ValidationError as error:
            errors["cpv_extra"] = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        if not (self.cpv or self.cpv_extra or self.keywords or self.sni):
            errors["cpv"] = "Välj minst ett område eller skriv ett nyckelord, så att vi vet vad ni vill bevaka."
        return errors

    def interests(self) -> Interests:
        return Interests(
            cpv=[*self.cpv, *split_list(self.cpv_extra)], keywords=split_list(self.keywords),
            municipalities=[m for m in self.municipalities if m in dalarna_municipalities()],
        )

    def profile(self, now: datetime) -> CompanyProfile:
        return CompanyProfile(
            orgnr=self.orgnr, name=self.name, municipality_code=self.municipality_code or None,
            sni=split_list(self.sni), size=CompanySize(self.size) if self.size else None,
            capacity_note=self.description or None, interests=self.interests(),
            channels=[Channel(address=self.email.casefold())], consent_at=now if self.consent else None,
        )

    @property
    def bid_before(self) -> bool | None:
        return BID_BEFORE.get(self.has_bid_before)
