"""The normalised Tender: one notice version, whatever source or schema it came from.

Every parser (eForms, TED R2.0.9, the Swedish notice databases) produces this model, and everything
downstream (store, index, classifier, matcher, statistics) reads only this model.

Texts are language maps keyed by lower-case ISO 639-2/B codes (``{"swe": ..., "eng": ...}``), as eForms
and the TED Search API use them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

LangText = dict[str, str]


class FormType(StrEnum):
    """eForms form types (code list ``form-type``); the notice's purpose."""

    PLANNING = "planning"  # prior information / periodic indicative notices
    COMPETITION = "competition"  # contract notices: open for tenders
    RESULT = "result"  # contract award notices
    CHANGE = "change"  # corrigenda (eForms subtype CN "change")
    CONT_MODIF = "cont-modif"  # contract modification during its term
    CONSULTATION = "consultation"  # market consultation (early dialogue)
    DIR_AWARD_PRE = "dir-awa-pre"  # voluntary ex-ante transparency / direct-award pre-announcement
    COMPLETION = "completion"  # contract completion notice (eForms E5, "compl")
    BRI = "bri"  # business registration information (eForms X01/X02), not a procurement


class CompanySize(StrEnum):
    """eForms BT-165 winner size (code list ``economic-operator-size``)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    SME = "sme"  # "micro, small or medium" when only that much is known (eForms code; R2.0.9 <SME/>)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Money(_Model):
    amount: float
    currency: str = "SEK"


class Buyer(_Model):
    name: str
    orgnr: str | None = None  # Swedish org.nr normalised to 10 digits; other countries as given
    country: str | None = None  # ISO 3166-1 alpha-3 as in eForms (SWE)
    city: str | None = None
    nuts: str | None = None
    municipality_code: str | None = None  # SCB kommunkod (e.g. 2080 Falun), where derivable
    url: str | None = None


class Duration(_Model):
    """Contract duration as stated (BT-36); ``months`` is derived for comparisons."""

    value: float
    unit: str  # DAY, WEEK, MONTH, YEAR as in eForms
    months: float | None = None


class Lot(_Model):
    id: str  # LOT-0001, or "1" for R2.0.9
    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    main_cpv: str | None = None
    additional_cpv: list[str] = Field(default_factory=list)
    place_of_performance: list[str] = Field(default_factory=list)  # NUTS codes
    estimated_value: Money | None = None
    sme_suitable: bool | None = None  # BT-726
    submission_deadline: datetime | None = None  # BT-131 deadline for tenders
    participation_deadline: datetime | None = None  # BT-1311 deadline for requests to participate
    duration: Duration | None = None
    start_date: date | None = None
    end_date: date | None = None
    environmental_criteria: bool | None = None  # green procurement (BT-805 / BT-774)
    social_criteria: bool | None = None  # social procurement (BT-775)
    reserved: bool | None = None  # reserved participation/execution (BT-71/BT-736)


class Winner(_Model):
    name: str
    orgnr: str | None = None
    country: str | None = None
    size: CompanySize | None = None  # BT-165


class LotResult(_Model):
    """Award outcome for one lot (eForms LotResult / R2.0.9 AWARD_CONTRACT)."""

    lot_id: str
    status: str | None = None  # BT-142 winner selection status: selec-w, open-nw, clos-nw
    tenders_received: int | None = None  # BT-759 with BT-760 = "tenders"
    submissions_by_type: dict[str, int] = Field(default_factory=dict)  # BT-760 code -> BT-759
    sme_tenders: int | None = None  # BT-759 with BT-760 = "t-sme"
    winners: list[Winner] = Field(default_factory=list)
    value: Money | None = None  # BT-710/BT-720 awarded value
    award_date: date | None = None


class CpvCodeScore(_Model):
    code: str  # a CPV division (2 digits) or group (3 digits)
    score: float


class Classification(_Model):
    """What the NLP step (nlp/annotate.py) concluded about a notice: sector and size, with reasons.

    Only facts that stay true for the notice are kept (no "days left"), so a re-crawl of the same notice
    yields the same stored document.
    """

    source: str  # "buyer": the notice's own CPV codes; "model": inferred from the text
    divisions: list[CpvCodeScore] = Field(default_factory=list)  # best first
    groups: list[CpvCodeScore] = Field(default_factory=list)  # CPV groups, where the model knows them
    disagreement: str | None = None  # Swedish note when the given code strongly disagrees with the text
    value_sek: float | None = None  # the notice's value, or an amount read from its text
    value_source: str | None = None  # "notice" or "text"
    value_band: str | None = None  # direktupphandling, under-eu, over-eu, okänt
    value_band_text: str | None = None
    lots: int | None = None
    duration_months: float | None = None
    sme_fit: str | None = None  # god, medel, svag
    sme_reasons: list[str] = Field(default_factory=list)

    def confident_cpv(self, min_score: float = 0.5) -> str | None:
        """The model's best CPV group (else division) as an 8-digit code, when it is at least this sure.

        For matching notices that carry no codes of their own; never used when the buyer gave codes."""
        if self.source != "model":
            return None
        for scores in (self.groups, self.divisions):
            if scores and scores[0].score >= min_score:
                return scores[0].code.ljust(8, "0")
        return None


class Tender(_Model):
    """One version of one notice, normalised."""

    notice_id: str  # BT-701 (eForms UUID) or the TED publication number for R2.0.9
    version: str = "01"  # BT-757
    procedure_id: str | None = None  # BT-04: links PIN, CN, change and CAN of one procurement
    publication_number: str | None = None  # TED OJ S number, e.g. 475939-2026
    publication_date: date | None = None
    issue_date: date | None = None  # BT-05
    language: str | None = None  # BT-702 main language
    form_type: FormType | None = None
    notice_type: str | None = None  # eForms notice type, e.g. cn-standard
    notice_subtype: str | None = None  # eForms subtype 1..40, E1..E6
    procedure_type: str | None = None  # eForms procurement-procedure-type, e.g. open
    changes_notice: str | None = None  # BT-758: "<notice id>-<version>" this change notice modifies
    buyers: list[Buyer] = Field(default_factory=list)
    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    main_cpv: str | None = None  # 8 digits, no check digit
    additional_cpv: list[str] = Field(default_factory=list)
    contract_nature: str | None = None  # works, supplies, services
    place_of_performance: list[str] = Field(default_factory=list)  # NUTS codes
    estimated_value: Money | None = None
    framework_agreement: bool | None = None
    lots: list[Lot] = Field(default_factory=list)
    submission_deadline: datetime | None = None  # earliest lot BT-131
    participation_deadline: datetime | None = None  # earliest lot BT-1311 (restricted/negotiated procedures)
    documents_url: str | None = None
    submission_url: str | None = None
    results: list[LotResult] = Field(default_factory=list)
    source: str = "ted"
    source_url: str | None = None
    source_urls: list[str] = Field(default_factory=list)  # every place this procurement was seen
    retrieved_at: datetime | None = None
    raw_format: str | None = None  # eforms, ted-r209, html, ...
    classification: Classification | None = None  # set by the classify step, not by parsers

    @property
    def key(self) -> tuple[str, str]:
        """The store's identity of a notice version."""
        return (self.notice_id, self.version)

    def text(self, *prefer: str) -> str:
        """Title and description in the first preferred language present, for search and NLP."""
        return " ".join(t for t in (pick_language(self.title, *prefer), pick_language(self.description, *prefer)) if t)

    def value_sek(self) -> float | None:
        """The estimated value in SEK: the procedure's, else the sum of the lots' when all are in SEK; None when
        unknown or stated in another currency (nothing is converted)."""
        if self.estimated_value is not None:
            return self.estimated_value.amount if self.estimated_value.currency.upper() == "SEK" else None
        lot_values = [lot.estimated_value for lot in self.lots if lot.estimated_value is not None]
        if lot_values and all(value.currency.upper() == "SEK" for value in lot_values):
            return sum(value.amount for value in lot_values)
        return None

    def all_cpv(self) -> list[str]:
        """Every CPV code of the notice and its lots, main codes first, without duplicates."""
        codes = [self.main_cpv, *self.additional_cpv]
        for lot in self.lots:
            codes.extend([lot.main_cpv, *lot.additional_cpv])
        return list(dict.fromkeys(c for c in codes if c))


def pick_language(texts: LangText, *prefer: str) -> str:
    """The text in the first preferred language (Swedish, then English by default), else any."""
    for lang in (*prefer, "swe", "eng"):
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")
