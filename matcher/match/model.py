"""What the matcher reads and writes: a profile and a notice as plain values, and the resulting ``Match``.

``MatchProfile`` and ``MatchNotice`` are the line formats of ``anbudsvakt match`` (any field may be missing or
null) and are also built from a stored ``CompanyProfile`` and a ``Tender``, so the CLI and the daily digest run
the same matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from profiles.model import CompanyProfile
from tenders.codelists import normalise_cpv
from tenders.index.base import IndexDocument
from tenders.index.documents import to_index_document
from tenders.model import Tender
from tenders.sni import normalise_sni


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class MatchProfile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    sni: list[str] = Field(default_factory=list)
    cpv: list[str] = Field(default_factory=list)  # codes or prefixes the company chose
    keywords: list[str] = Field(default_factory=list)
    negative_keywords: list[str] = Field(default_factory=list)
    municipalities: list[str] = Field(default_factory=list)
    nuts: list[str] = Field(default_factory=list)
    company_size: str | None = None
    value_min_sek: float | None = None
    value_max_sek: float | None = None
    notice_kinds: list[str] = Field(default_factory=list)  # empty: every kind

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> str:
        if value is None or str(value).strip() == "":
            raise ValueError("a profile needs an id")
        return str(value)

    @field_validator("cpv", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> list[str]:
        digits = (re.sub(r"\D", "", str(v).split("-")[0]) for v in _list(value) if v is not None)
        return list(dict.fromkeys(d for d in digits if len(d) >= 2))

    @field_validator("sni", mode="before")
    @classmethod
    def _sni(cls, value: Any) -> list[str]:
        # "2200" and "02.200" are the company's 02200 (tenders/sni.py); what is no SNI code is left out
        codes = (normalise_sni(v) for v in _list(value) if v is not None)
        return list(dict.fromkeys(c for c in codes if c))

    @field_validator("keywords", "negative_keywords", "municipalities", "nuts", "notice_kinds", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> list[str]:
        return list(dict.fromkeys(str(v).strip().casefold() for v in _list(value) if v is not None and str(v).strip()))

    @field_validator("company_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> str | None:
        text = str(value).strip().casefold() if value is not None else ""
        return text if text in {"micro", "small", "medium", "large"} else None

    @property
    def chose_interests(self) -> bool:
        """SNI suggestions apply until the company picks CPV codes or keywords itself."""
        return bool(self.cpv or self.keywords)

    @property
    def has_filters(self) -> bool:
        return bool(self.negative_keywords or self.municipalities or self.nuts or self.notice_kinds
                    or self.value_min_sek is not None or self.value_max_sek is not None)

    @classmethod
    def from_company(cls, company_id: str, company: CompanyProfile) -> MatchProfile:
        wants = company.interests
        return cls(
            id=company_id, sni=company.sni, cpv=wants.cpv, keywords=wants.keywords,
            negative_keywords=wants.negative_keywords, municipalities=wants.municipalities, nuts=wants.nuts,
            company_size=company.size.value if company.size else None, value_min_sek=wants.value_min_sek,
            value_max_sek=wants.value_max_sek, notice_kinds=[k.value for k in wants.notice_kinds],
        )


class MatchNotice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    title: str = ""
    description: str = ""
    cpv: list[str] = Field(default_factory=list)  # main code first
    buyer_name: str | None = None
    buyer_orgnr: str | None = None
    # The buyers' SCB kommunkod as the index knows them (from the notice's own municipality, city or name).
    municipalities: list[str] = Field(default_factory=list)
    nuts: list[str] = Field(default_factory=list)
    estimated_value_sek: float | None = None
    lots: int | None = None
    kind: str | None = None  # FormType value; None: treated as a competition notice

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> str:
        if value is None or str(value).strip() == "":
            raise ValueError("a notice needs an id")
        return str(value)

    @field_validator("title", "description", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @field_validator("cpv", mode="before")
    @classmethod
    def _cpv(cls, value: Any) -> list[str]:
        codes = (normalise_cpv(str(v)) for v in _list(value) if v is not None)
        return list(dict.fromkeys(c for c in codes if c and c != "00000000"))

    @field_validator("nuts", mode="before")
    @classmethod
    def _nuts(cls, value: Any) -> list[str]:
        return [str(v).strip().upper() for v in _list(value) if v is not None and str(v).strip()]

    @field_validator("estimated_value_sek", mode="before")
    @classmethod
    def _value(cls, value: Any) -> float | None:
        try:
            return float(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    @classmethod
    def from_document(cls, document: IndexDocument) -> MatchNotice:
        """THE way a notice becomes matcher input: the digest, the preview, "Mina bevakningar", the feeds and the
        API all come through here, so what a company is shown as a match is what it is mailed.

        The id is the procurement's (pages and follows use it); the daily job renames it to the notice id.
        Places are the places of performance, else the buyer's region; a notice without CPV codes of its own is
        matched on the classifier's confident code (``IndexDocument.inferred_cpv``)."""
        cpv = document.cpv_codes or ([document.inferred_cpv] if document.inferred_cpv else [])
        return cls(
            id=document.tender_id, title=document.title, description=document.description, cpv=cpv,
            buyer_name=document.buyer_names[0] if document.buyer_names else None,
            buyer_orgnr=document.buyer_orgnrs[0] if document.buyer_orgnrs else None,
            municipalities=document.municipalities,
            nuts=document.places or document.nuts, estimated_value_sek=document.value_sek,
            lots=document.lots or None, kind=document.form_type,
        )

    @classmethod
    def from_tender(cls, tender: Tender) -> MatchNotice:
        """A stored notice as matcher input: its index projection, then :meth:`from_document` (one path)."""
        return cls.from_document(to_index_document(tender))


@dataclass(frozen=True)
class Match:
    """One alert the matcher would send: the digest and the outbox take it from here."""

    profile_id: str
    notice_id: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"profile_id": self.profile_id, "notice_id": self.notice_id, "score": self.score,
                "reasons": list(self.reasons)}
