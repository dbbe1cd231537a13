"""Both index backends index the same terms (tenders.text) and so find the same notices: plural and singular, compound
and part, words joined by OR/ELLER, words typed without å, ä, ö and quoted phrases, on the embedded SQLite FTS5 index
and a real OpenSearch node (``opensearch_url``)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

import pytest

from bench.corpus import build_corpus
from tenders.index.base import IndexDocument, SearchQuery, TenderIndex
from tenders.index.opensearch import OpenSearchIndex
from tenders.index.sqlite import SqliteIndex
from tenders.text import index_terms
from tests.tenders.test_index_contract import hand_written


def notice(tender_id: str, title: str, description: str = "") -> IndexDocument:
    return hand_written(tender_id, title, description)


HAND_WRITTEN = [
    notice("building-one", "Ny byggnad för räddningstjänsten"),
    notice("buildings", "Underhåll av kommunens byggnader", "Byggnaderna ska målas."),
    notice("contract", "Entreprenad för vägbelysning"),
    notice("contracts", "Snöröjningsentreprenader 2026–2028"),
    notice("winter", "Snöröjning och halkbekämpning", "Vinterväghållning av gång- och cykelvägar."),
    notice("forest", "Skogsröjning längs kraftledningar"),
    notice("property", "Förvaltning av fastigheter", "Fastighetsunderhåll och fastighetsskötsel."),
    notice("fixed-price", "Takbyte till fast pris", "Plåttak på förskolan."),
    notice("roof", "Takarbeten på Morkarlbyskolan"),
    notice("months", "Avtal om 24 månader", "Leveranser varje månad."),
    notice("hostile", "tak" * 1000, "snöröjning" * 10_000),
    notice("cleaning", "Städning av skolor"),
    notice("doctor", "Hyrläkare till vårdcentralen"),
    notice("entrance", "Ny entré till simhallen"),
]
# query → the notices both backends must find (among HAND_WRITTEN); the corpus adds more, the same on both
EXPECTED = {
    "byggnad": {"building-one", "buildings"},
    "byggnader": {"building-one", "buildings"},
    "entreprenad": {"contract", "contracts"},
    "entreprenader": {"contract", "contracts"},
    "röjning": {"winter", "forest", "contracts"},
    "snöröjning": {"winter", "contracts"},
    "fastighet": {"property"},
    "fastigheter": {"property"},
    "fast": {"fixed-price"},  # not "property": fastigheter is not stemmed to fast
    "fast pris": {"fixed-price"},
    "tak": {"fixed-price", "roof"},
    "månad": {"months"},
    "leverans": {"months"},
    # OR/ELLER between words: either
    "tak OR fast": {"fixed-price", "roof"},
    "snöröjning ELLER skogsröjning": {"winter", "contracts", "forest"},
    "byggnad or månad": {"building-one", "buildings", "months"},
    "tak OR städning skolor": {"cleaning"},  # (tak or städning) and skolor: Morkarlbyskolan is not split
    "OR": set(),  # a lone operator is the word "or"
    # words typed without å, ä, ö or é: the folded terms
    "snorojning": {"winter", "contracts"},
    "rojning": {"winter", "forest", "contracts"},
    "stadning": {"cleaning"},
    "lakare": {"doctor"},
    "vardcentralen": {"doctor"},
    "manader": {"months"},
    "entre": {"entrance"},
    "städning": {"cleaning"},
    # quoted phrases: the words in a row, as written
    '"fast pris"': {"fixed-price"},
    '"pris fast"': set(),
    '"fast pris" OR byggnad': {"fixed-price", "building-one", "buildings"},
}


@pytest.fixture(scope="module")
def corpus() -> list[IndexDocument]:
    return [*build_corpus(500, seed=17), *HAND_WRITTEN]


@pytest.fixture(scope="module")
def backends(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             corpus: list[IndexDocument]) -> Iterator[dict[str, TenderIndex]]:
    sqlite = SqliteIndex(tmp_path_factory.mktemp("text") / "index.sqlite3")
    opensearch = OpenSearchIndex(request.getfixturevalue("opensearch_url"), alias=f"text-{uuid.uuid4().hex[:12]}")
    try:
        for backend in (sqlite, opensearch):
            assert backend.index(corpus) == len(corpus)
        yield {"sqlite": sqlite, "opensearch": opensearch}
    finally:
        opensearch.drop()
        opensearch.close()
        sqlite.close()


def hit_set(index: TenderIndex, text: str) -> set[str]:
    found: set[str] = set()
    for page in range(1, 50):
        result = index.search(SearchQuery(text=text, page=page, page_size=200, with_facets=False))
        found |= {hit.document.tender_id for hit in result.hits}
        if len(found) >= result.total:
            return found
    raise AssertionError(f"more hits for {text!r} than the test reads")


@pytest.mark.parametrize("text", list(EXPECTED))
def test_both_backends_find_the_same_forms_alternatives_folded_words_and_phrases(backends, text: str) -> None:
    sqlite, opensearch = hit_set(backends["sqlite"], text), hit_set(backends["opensearch"], text)
    assert sqlite == opensearch
    hand = {d.tender_id for d in HAND_WRITTEN}
    assert sqlite & hand == EXPECTED[text]


def test_every_indexed_term_finds_the_same_notices_on_both_backends(backends, corpus) -> None:
    """The terms of a sample of notices (title, description, buyer and part stems), each searched on its own."""
    rng = random.Random(5)
    terms: set[str] = set()
    for doc in rng.sample(corpus, 40):
        analysed = index_terms(doc.title, doc.description, doc.buyer_names)
        terms |= {*analysed.title, *analysed.description, *analysed.buyers, *analysed.parts}
    assert len(terms) > 300
    for term in sorted(terms):
        assert hit_set(backends["sqlite"], term) == hit_set(backends["opensearch"], term), term


def _rebuild_watched(index: TenderIndex, name: str) -> tuple[int, list[tuple[str, str]]]:
    """Rebuild with three fresh documents and a broken one, checking between them that searches see the old index."""
    failures: list[tuple[str, str]] = []
    fresh = [notice(f"fresh-{i}", f"Qwzprov nummer {i}") for i in range(3)]

    def documents() -> Iterator[IndexDocument]:
        yield fresh[0]
        assert hit_set(index, "qwzprov") == set(), name  # the live index is the old one during the rebuild
        assert hit_set(index, "snöröjning") >= {"winter", "contracts"}, name
        yield notice("broken", "Sn\ud83döröjning")
        yield from fresh[1:]

    written = index.rebuild(documents(), on_failure=lambda tid, reason: failures.append((tid, reason)))
    return written, failures


def test_rebuild_and_failed_documents_on_both_backends(backends, corpus) -> None:
    """A rebuild replaces the documents; one that cannot be stored (a lone surrogate, which UTF-8 cannot hold) is
    reported with its reason and left out, the others are written; a search in between still sees the old index."""
    for name, index in backends.items():
        written, failures = _rebuild_watched(index, name)
        assert written == 3, name
        assert [tid for tid, _ in failures] == ["broken"] and "surrogate" in failures[0][1], name
        assert hit_set(index, "qwzprov") == {"fresh-0", "fresh-1", "fresh-2"}, name
        assert hit_set(index, "snöröjning") == set(), name
        index.rebuild(corpus)  # back to the corpus for the other tests
        assert index.count() == len(corpus), name
