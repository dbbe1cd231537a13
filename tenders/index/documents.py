"""The projection of a procurement's current view (a Tender) onto the flat :class:`IndexDocument`.

Choices every backend inherits from here:
- title and description: Swedish, then English, then any language; a notice without a description of
  its own is described by its lots' descriptions.
- value_sek: the estimated value when stated in SEK, else the sum of the lots' SEK values. Other
  currencies are NOT converted (value_sek stays None), so value filters never rest on a guessed rate.
- municipalities: the buyers' SCB kommunkod, derived from the buyer's city or name where the parser did
  not set it. Place of performance in Swedish notices is a NUTS-3 code (SE312 = all of Dalarna), which
  names no single municipality, so it goes to ``nuts`` only.
- deadline: the notice's submission deadline, else the earliest lot deadline.
- sme_suitable: True if any lot is suitable for SMEs (BT-726), False if lots say so and none is, else None.
- bounded text: the title is cut at MAX_TITLE_CHARS, the description at MAX_FIELD_CHARS (the store keeps the whole
  notice), and lone surrogates become U+FFFD, so every document can be analysed and stored at a bounded cost.
"""

from __future__ import annotations

from datetime import datetime

from tenders.codelists import municipality_code
from tenders.index.base import IndexDocument
from tenders.model import Tender, pick_language
from tenders.text import MAX_FIELD_CHARS, valid_unicode

MAX_TITLE_CHARS = 2_000  # a real title is at most a few hundred characters


def _unique(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _bounded(text: str, limit: int) -> str:
    return valid_unicode(text[:limit])


def _description(tender: Tender) -> str:
    own = pick_language(tender.description, "swe", "eng")
    if own:
        return own
    return "\n".join(_unique([pick_language(lot.description, "swe", "eng") for lot in tender.lots]))


def _title(tender: Tender) -> str:
    own = pick_language(tender.title, "swe", "eng")
    return own or next((pick_language(lot.title) for lot in tender.lots if lot.title), "")


def _municipalities(tender: Tender) -> list[str]:
    return _unique([b.municipality_code or municipality_code(b.city, b.name) for b in tender.buyers])


def _places(tender: Tender) -> list[str]:
    return _unique([*tender.place_of_performance, *(p for lot in tender.lots for p in lot.place_of_performance)])


def _nuts(tender: Tender) -> list[str]:
    return _unique([*_places(tender), *(b.nuts for b in tender.buyers)])


def _deadline(tender: Tender) -> datetime | None:
    """The date a company must act by: the tender deadline, or in restricted and negotiated procedures (which have
    only a deadline for requests to participate) that one — otherwise they would never count as open."""
    for field in ("submission_deadline", "participation_deadline"):
        stated = [getattr(tender, field), *(getattr(lot, field) for lot in tender.lots)]
        deadlines = [moment for moment in stated if moment is not None]
        if deadlines:
            return min(deadlines)
    return None


def _sme_suitable(tender: Tender) -> bool | None:
    stated = [lot.sme_suitable for lot in tender.lots if lot.sme_suitable is not None]
    return any(stated) if stated else None


# A notice without CPV codes is filed under the classifier's best division when the model is this sure; below
# it, a wrong sector in the facets would mislead more than a missing one.
INFERRED_DIVISION_MIN_SCORE = 0.5


def _divisions(tender: Tender, cpv_codes: list[str]) -> list[str]:
    if cpv_codes:
        return _unique([code[:2] for code in cpv_codes])
    inferred = tender.classification.confident_cpv(INFERRED_DIVISION_MIN_SCORE) if tender.classification else None
    return [inferred[:2]] if inferred else []


def _inferred_cpv(tender: Tender, cpv_codes: list[str]) -> str | None:
    """For a notice without codes of its own (common below the thresholds): the classifier's confident group or
    division, so that matching on CPV and SNI still has a sector to go on. Never overrides the buyer's codes."""
    if cpv_codes or tender.classification is None:
        return None
    return tender.classification.confident_cpv()


def to_index_document(tender: Tender) -> IndexDocument:
    cpv_codes = tender.all_cpv()
    return IndexDocument(
        tender_id=tender.procedure_id or tender.notice_id,
        notice_id=tender.notice_id,
        version=tender.version,
        title=_bounded(_title(tender), MAX_TITLE_CHARS),
        description=_bounded(_description(tender), MAX_FIELD_CHARS),
        buyer_names=_unique([_bounded(b.name, MAX_TITLE_CHARS) if b.name else None for b in tender.buyers]),
        buyer_orgnrs=_unique([b.orgnr for b in tender.buyers]),
        cpv_codes=cpv_codes,
        cpv_divisions=_divisions(tender, cpv_codes),
        municipalities=_municipalities(tender),
        nuts=_nuts(tender),
        places=_places(tender),
        inferred_cpv=_inferred_cpv(tender, cpv_codes),
        form_type=tender.form_type.value if tender.form_type else None,
        notice_type=tender.notice_type,
        procedure_type=tender.procedure_type,
        value_sek=tender.value_sek(),
        deadline=_deadline(tender),
        published=tender.publication_date or tender.issue_date,
        sme_suitable=_sme_suitable(tender),
        lots=len(tender.lots),
        source=tender.source,
        source_url=tender.source_url or next(iter(tender.source_urls), None),
    )
