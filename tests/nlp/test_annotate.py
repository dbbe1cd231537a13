"""The classify step of ingestion: sector and size land on the Tender, the index files uncoded notices under the
inferred division, and the result is stable so a re-crawl stores nothing new."""

from __future__ import annotations

from pathlib import Path

from matcher.match.model import MatchNotice
from nlp.annotate import annotate
from tenders.index.documents import INFERRED_DIVISION_MIN_SCORE, to_index_document
from tenders.model import Tender
from tenders.parse import parse_notice
from tenders.settings import Settings
from tenders.store import TenderStore, UpsertOutcome

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def uncoded(title: str) -> Tender:
    return Tender(notice_id=f"n-{abs(hash(title))}", title={"swe": title})


def test_buyer_codes_come_first_and_size_is_assessed() -> None:
    tender = parse_notice((FIXTURES / "ted/r209/21-364236-001-EXP.xml").read_bytes())
    classification = annotate(tender).classification
    assert classification is not None and tender.main_cpv and tender.estimated_value
    assert classification.source == "buyer"
    assert classification.divisions[0].code == tender.main_cpv[:2] and classification.divisions[0].score == 1.0
    assert classification.value_sek == tender.estimated_value.amount  # the notice's own value
    assert classification.value_band == "under-eu" and classification.sme_fit in ("god", "medel", "svag")


def test_uncoded_notice_gets_model_divisions_and_is_indexed_under_the_confident_one() -> None:
    snow = annotate(uncoded("Snöröjning och halkbekämpning på kommunens gator"))
    assert snow.classification is not None and snow.classification.source == "model"
    best = snow.classification.divisions[0]
    assert len(snow.classification.divisions) == 3 and best.code == "90"
    assert snow.classification.groups and snow.classification.groups[0].code.startswith("90")
    assert best.score >= INFERRED_DIVISION_MIN_SCORE
    assert to_index_document(snow).cpv_divisions == ["90"]


def test_unsure_inference_is_not_filed_under_a_sector() -> None:
    vague = annotate(uncoded("Upphandling"))
    assert vague.classification is not None
    top = vague.classification.divisions[0].score
    expected = [vague.classification.divisions[0].code] if top >= INFERRED_DIVISION_MIN_SCORE else []
    assert to_index_document(vague).cpv_divisions == expected
    assert to_index_document(uncoded("Upphandling")).cpv_divisions == []  # never classified: no sector


def test_classifying_again_stores_nothing_new(tmp_path: Path) -> None:
    raw = (FIXTURES / "eforms/cn_24_multilingual.xml").read_bytes()
    store = TenderStore.from_settings(Settings(data_dir=tmp_path))
    try:
        first = store.upsert_notice(annotate(parse_notice(raw)), raw)
        again = store.upsert_notice(annotate(parse_notice(raw)), raw)
        assert (first, again) == (UpsertOutcome.INSERTED, UpsertOutcome.UNCHANGED)
        stored = store.get_notice(*parse_notice(raw).key)
        assert stored is not None and stored.classification is not None
    finally:
        store.close()


def test_uncoded_notice_is_matched_on_its_confident_inferred_code() -> None:
    snow = annotate(uncoded("Snöröjning och halkbekämpning på kommunens gator"))
    assert snow.classification is not None
    inferred = snow.classification.confident_cpv()
    assert inferred is not None and inferred.startswith("90") and len(inferred) == 8
    assert MatchNotice.from_tender(snow).cpv == [inferred]
    assert MatchNotice.from_tender(uncoded("Snöröjning")).cpv == []  # never classified: nothing invented
    coded = annotate(uncoded("Snöröjning").model_copy(update={"main_cpv": "90620000"}))
    assert coded.classification is not None and coded.classification.confident_cpv() is None
    assert MatchNotice.from_tender(coded).cpv == ["90620000"]  # the buyer's own code, never the model's
