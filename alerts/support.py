"""The UDD support catalogue (``alerts/data/support_catalogue.yaml``) and the rules that pick support for a notice.

UDD staff edit the YAML file; it is validated on load and a mistake is refused with ONE line naming the place
(``support_catalogue.yaml: regler[2].stod: okänt stöd 'x'``), so a typo never sends a digest with a broken pointer.
The conditions themselves are code (they read the Tender); which support each condition shows, in which order,
and every text a company reads are data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from nlp.size import thresholds_on
from tenders.model import FormType, Tender

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "support_catalogue.yaml"


class SupportCatalogueError(ValueError):
    """The catalogue file is missing or invalid; ``str(err)`` is one line saying where and why."""


class Condition(StrEnum):
    EARLY_DIALOGUE = "tidig_dialog"
    ENVIRONMENTAL = "miljokrav"
    SOCIAL = "sociala_krav"
    NEVER_BID = "aldrig_lamnat_anbud"
    LARGE_WITH_LOTS = "stor_med_delomraden"
    BELOW_DIRECT_AWARD = "under_direktupphandlingsgransen"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Support(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    rubrik: str = Field(min_length=1)
    text: str = Field(min_length=1)
    lank: HttpUrl
    knapptext: str = "Läs mer"


class Rule(_Strict):
    villkor: Condition
    stod: list[str] = Field(min_length=1)


class Contact(_Strict):
    rubrik: str
    namn: str = ""
    roll: str = ""
    epost: str = ""
    telefon: str = ""
    webb: HttpUrl


class Limits(_Strict):
    # The direct-award limit is not kept here: it is dated law, read from nlp/resources/thresholds.yaml.
    stor_annons_sek: float = Field(gt=0)


class SupportCatalogue(_Strict):
    version: int
    gransvarden: Limits
    stod: list[Support] = Field(min_length=1)
    regler: list[Rule]
    reserv: list[str] = Field(default_factory=list)
    kontakt: Contact

    @field_validator("stod")
    @classmethod
    def _unique_ids(cls, supports: list[Support]) -> list[Support]:
        seen: set[str] = set()
        for support in supports:
            if support.id in seen:
                raise ValueError(f"stödet '{support.id}' finns två gånger")
            seen.add(support.id)
        return supports

    @model_validator(mode="after")
    def _known_references(self) -> SupportCatalogue:
        known = {support.id for support in self.stod}
        references = [(f"regler[{i}].stod", ref) for i, rule in enumerate(self.regler) for ref in rule.stod]
        references += [("reserv", ref) for ref in self.reserv]
        for place, ref in references:
            if ref not in known:
                raise ValueError(f"{place}: okänt stöd '{ref}' (finns: {', '.join(sorted(known))})")
        return self

    def support(self, support_id: str) -> Support:
        return next(s for s in self.stod if s.id == support_id)

    def supports_for(self, conditions: set[Condition]) -> list[Support]:
        """The supports of every rule whose condition holds, in rule order, each once."""
        chosen = [ref for rule in self.regler if rule.villkor in conditions for ref in rule.stod]
        return [self.support(ref) for ref in dict.fromkeys(chosen)]


def load_catalogue(path: Path = DEFAULT_CATALOGUE) -> SupportCatalogue:
    """Read and validate the catalogue; any problem is a :class:`SupportCatalogueError` with one line."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SupportCatalogueError(f"{path.name}: kan inte läsas ({err.strerror})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" på rad {mark.line + 1}" if mark is not None else ""
        raise SupportCatalogueError(f"{path.name}: ogiltig YAML{where}") from err
    try:
        return SupportCatalogue.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        place = ".".join(str(part) for part in first["loc"]) or "filen"
        message = first["msg"].removeprefix("Value error, ")
        raise SupportCatalogueError(f"{path.name}: {place}: {message}") from err


# -- the conditions --------------------------------------------------------------------------------------

EARLY_DIALOGUE_FORMS = frozenset({FormType.PLANNING, FormType.CONSULTATION})


def _environmental(tender: Tender) -> bool:
    return any(lot.environmental_criteria for lot in tender.lots)


def _social(tender: Tender) -> bool:
    return any(lot.social_criteria or lot.reserved for lot in tender.lots)


def _below_direct_award(tender: Tender, value: float | None) -> bool:
    """Below the direct-award limit in force on the notice's publication date (the one dated table of limits)."""
    if value is None:
        return False
    limit = thresholds_on(tender.publication_date or tender.issue_date or date.today()).direct_award
    return limit is not None and value < limit


def notice_conditions(tender: Tender, limits: Limits) -> set[Condition]:
    """Which catalogue conditions hold for one notice (company-independent)."""
    value = tender.value_sek()
    checks: dict[Condition, Callable[[], bool]] = {
        Condition.EARLY_DIALOGUE: lambda: tender.form_type in EARLY_DIALOGUE_FORMS,
        Condition.ENVIRONMENTAL: lambda: _environmental(tender),
        Condition.SOCIAL: lambda: _social(tender),
        Condition.LARGE_WITH_LOTS: lambda: len(tender.lots) >= 2 and value is not None
        and value >= limits.stor_annons_sek,
        Condition.BELOW_DIRECT_AWARD: lambda: _below_direct_award(tender, value),
    }
    return {condition for condition, holds in checks.items() if holds()}


def supports_for_notice(catalogue: SupportCatalogue, tender: Tender) -> list[Support]:
    """The supports that fit this notice; the catalogue's fallback when no rule applies."""
    chosen = catalogue.supports_for(notice_conditions(tender, catalogue.gransvarden))
    return chosen or [catalogue.support(ref) for ref in catalogue.reserv]


def supports_for_company(catalogue: SupportCatalogue, *, has_bid_before: bool | None) -> list[Support]:
    """Company-level supports, shown once per digest (a company that has never bid: tender school and coaching)."""
    return catalogue.supports_for({Condition.NEVER_BID}) if has_bid_before is False else []
