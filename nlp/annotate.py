"""The classify step of ingestion: sector (CPV divisions) and size (value band, lots, SME fit) of a notice.

Crawls run it through the Scrapy pipeline (setting ``CLASSIFY_HOOK``), ``anbudsvakt load`` calls it before
storing. The result lives on ``Tender.classification``; the index uses the inferred division where a notice
carries no CPV code, and the digests show the value band and SME fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from nlp.classify import CpvClassifier, TextScores, classify_tender, load_classifier
from nlp.entities import build_entity_pipeline
from nlp.size import assess_size
from tenders.model import Classification, CpvCodeScore, Tender
from tenders.settings import Settings, get_settings

TOP_DIVISIONS = 3


@cache
def _entity_pipeline() -> Any:
    return build_entity_pipeline()


def reference_day(tender: Tender) -> date | None:
    """The day size facts are measured from: publication, so that "time to bid" is a fact of the notice and a
    re-crawl next week stores the same document."""
    return tender.publication_date or tender.issue_date


def classify_notice(tender: Tender, classifier: CpvClassifier, entity_nlp: Any,
                    scores: TextScores | None = None) -> Classification:
    sector = classify_tender(tender, classifier, top=TOP_DIVISIONS, scores=scores)
    size = assess_size(tender, entity_nlp, today=reference_day(tender))
    return Classification(
        source=sector.source,
        divisions=[CpvCodeScore(code=d.code, score=d.score) for d in sector.divisions],
        groups=[CpvCodeScore(code=g.code, score=g.score) for g in sector.groups],
        disagreement=sector.disagreement,
        value_sek=size.value_sek,
        value_source=size.value_source,
        value_band=size.band,
        value_band_text=size.band_text,
        lots=size.lots,
        duration_months=size.duration_months,
        sme_fit=size.sme_fit,
        sme_reasons=[reason.text for reason in size.reasons],
    )


def annotate_many(tenders: Sequence[Tender], settings: Settings | None = None) -> list[Tender]:
    """Each tender with its classification; the texts go through spaCy in one ``pipe`` (the ingest batches)."""
    classifier = load_classifier(settings or get_settings())
    entity_nlp = _entity_pipeline()
    all_scores = classifier.analyse_many((t.text() for t in tenders), top=len(classifier.labels))
    return [
        tender.model_copy(update={"classification": classify_notice(tender, classifier, entity_nlp, scores)})
        for tender, scores in zip(tenders, all_scores, strict=True)
    ]


def annotate(tender: Tender, settings: Settings | None = None) -> Tender:
    """The tender with its classification, using the service's trained model (loaded once per process)."""
    classifier = load_classifier(settings or get_settings())
    classification = classify_notice(tender, classifier, _entity_pipeline())
    return tender.model_copy(update={"classification": classification})


def classify_for_crawl(tender: Tender) -> Tender:
    """The crawlers' CLASSIFY_HOOK (a plain importable function, as Scrapy's ``load_object`` wants)."""
    return annotate(tender)
