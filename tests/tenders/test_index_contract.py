"""The index contract, run on every backend (embedded SQLite FTS5 and a real OpenSearch node).

Both backends index the same corpus (real UHM 2021 procurements, see bench/corpus.py, plus a few hand-written
notices). Filters, sort orders, pagination and facets are checked against a brute-force reference computed in
Python from the documents, so the two backends are identical to the reference and hence to each other. Text
relevance cannot have a reference, so it is pinned by fixed query → expected top hit pairs.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from bench.corpus import build_corpus
from tenders.index.base import (
    FACET_FIELDS,
    IndexDocument,
    SearchQuery,
    SearchResult,
    SortOrder,
    TenderIndex,
    document_stamp,
)
from tenders.index.opensearch import OpenSearchIndex
from tenders.index.sqlite import SqliteIndex

BACKENDS = ["sqlite", "opensearch"]
NOW = datetime(2023, 3, 1, 12, tzinfo=UTC)


def hand_written(tender_id: str, title: str, description: str = "", buyer: str = "Orsa kommun") -> IndexDocument:
    return IndexDocument(
        tender_id=tender_id, notice_id=tender_id, version="1", title=title, description=description,
        buyer_names=[buyer], buyer_orgnrs=[], cpv_codes=["90620000"], cpv_divisions=["90"],
        municipalities=["2034"], nuts=["SE312"], form_type="competition", published=date(2023, 1, 2),
        deadline=datetime(2023, 3, 15, 12, tzinfo=UTC), value_sek=250_000.0, sme_suitable=True,
    )


HAND_WRITTEN = [
    hand_written("hand-winter", "Snöröjning och halkbekämpning av gång- och cykelvägar"),
    hand_written("hand-clearing", "Skogsröjning längs kraftledningar", buyer="Malung-Sälens kommun"),
    hand_written("hand-textbooks", "Läromedel i matematik för grundskolan"),
    hand_written("hand-office", "Kontorsmaterial och papper", description="Läromedel i matematik ingår inte."),
    hand_written("hand-meals", "Skolmåltider och förskolemåltider", buyer="Leksands kommun"),
]
# query → the tender both backends must rank first
TOP_HITS = {
    "Orsa kommun snöröjning": "hand-winter",  # a buyer word plus a title word
    "röjning kraft": "hand-clearing",  # found only through the compound parts skogs|röjning, kraft|ledningar
    "läromedel matematik": "hand-textbooks",  # both match; the title outranks the description
    "skolmåltid leksand": "hand-meals",  # Swedish stemming: skolmåltider, Leksands
    "KONTORSMATERIAL": "hand-office",  # case does not matter
}


@pytest.fixture(scope="module")
def corpus() -> list[IndexDocument]:
    return [*build_corpus(600, seed=7), *HAND_WRITTEN]


def open_backend(name: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TenderIndex:
    if name == "sqlite":
        return SqliteIndex(tmp_path_factory.mktemp("index") / "index.sqlite3")
    url = request.getfixturevalue("opensearch_url")
    return OpenSearchIndex(url, alias=f"contract-{uuid.uuid4().hex[:12]}")


def close_backend(index: TenderIndex) -> None:
    if isinstance(index, OpenSearchIndex):
        index.drop()
    index.close()


@pytest.fixture(scope="module", params=BACKENDS)
def index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          corpus: list[IndexDocument]) -> Iterator[TenderIndex]:
    backend = open_backend(request.param, request, tmp_path_factory)
    assert backend.index(corpus) == len(corpus)
    yield backend
    close_backend(backend)


@pytest.fixture(params=BACKENDS)
def empty_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TenderIndex]:
    backend = open_backend(request.param, request, tmp_path_factory)
    yield backend
    close_backend(backend)


# -- the reference -----------------------------------------------------------------------------------------


def seconds(moment: datetime) -> int:
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def buyer_keys(doc: IndexDocument) -> list[str]:
    return doc.buyer_orgnrs or doc.buyer_names


def matches(doc: IndexDocument, q: SearchQuery) -> bool:
    def any_prefix(values: list[str], prefixes: list[str]) -> bool:
        return not prefixes or any(v.startswith(p) for v in values for p in prefixes)

    def any_of(values: list[str], wanted: list[str]) -> bool:
        return not wanted or bool(set(values) & set(wanted))

    value_ok = (q.value_min is None and q.value_max is None) or (
        doc.value_sek is not None and (q.value_min is None or doc.value_sek >= q.value_min)
        and (q.value_max is None or doc.value_sek <= q.value_max))
    deadline_s = seconds(doc.deadline) if doc.deadline else None
    return (
        any_prefix(doc.cpv_codes, q.cpv_prefixes) and any_prefix(doc.nuts, q.nuts)
        and any_of(doc.municipalities, q.municipalities) and any_of(buyer_keys(doc), q.buyers)
        and value_ok
        and (q.deadline_after is None or (deadline_s is not None and deadline_s > seconds(q.deadline_after)))
        and (not q.form_types or doc.form_type in q.form_types)
        and (q.sme_suitable is None or doc.sme_suitable is q.sme_suitable)
        and (not q.open_now or (doc.form_type == "competition" and deadline_s is not None
                                and deadline_s > seconds(q.now or datetime.now(UTC))))
    )


def reference_order(docs: list[IndexDocument], sort: SortOrder) -> list[str]:
    if sort is SortOrder.DEADLINE:
        ordered = sorted(docs, key=lambda d: (d.deadline is None, seconds(d.deadline) if d.deadline else 0,
                                              d.tender_id))
    else:  # published, and relevance without text
        newest_first = sorted(docs, key=lambda d: d.tender_id)
        newest_first.sort(key=lambda d: d.published or date.min, reverse=True)
        ordered = sorted(newest_first, key=lambda d: d.published is None)
    return [d.tender_id for d in ordered]


def reference_facets(docs: list[IndexDocument]) -> dict[str, list[tuple[str, int]]]:
    values = {
        "cpv_division": lambda d: d.cpv_divisions, "municipality": lambda d: d.municipalities,
        "buyer": buyer_keys, "form_type": lambda d: [d.form_type] if d.form_type else [],
    }
    facets = {}
    for name in FACET_FIELDS:
        counts = Counter(value for doc in docs for value in set(values[name](doc)))
        facets[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:20]
    return facets


def as_facets(result: SearchResult) -> dict[str, list[tuple[str, int]]]:
    return {name: [(f.value, f.count) for f in counts] for name, counts in result.facets.items()}


# -- filters, sorting, facets, pagination --------------------------------------------------------------------

FILTER_QUERIES = {
    "everything": SearchQuery(),
    "cpv prefix": SearchQuery(cpv_prefixes=["45"]),
    "two cpv prefixes": SearchQuery(cpv_prefixes=["7921", "90"], sort=SortOrder.DEADLINE),
    "nuts prefix": SearchQuery(nuts=["SE3"]),
    "municipalities": SearchQuery(municipalities=["2062", "2080"], sort=SortOrder.PUBLISHED),
    "buyer org.nr": SearchQuery(buyers=["2120001132"]),
    "buyer name without org.nr": SearchQuery(buyers=["Orsa kommun"]),
    "value range": SearchQuery(value_min=1_000_000, value_max=5_000_000, sort=SortOrder.DEADLINE),
    "value minimum": SearchQuery(value_min=10_000_000),
    "deadline after": SearchQuery(deadline_after=datetime(2023, 3, 1), sort=SortOrder.DEADLINE),
    "form types": SearchQuery(form_types=["result", "planning"]),
    "sme suitable": SearchQuery(sme_suitable=True, nuts=["SE312"]),
    "not sme suitable": SearchQuery(sme_suitable=False, cpv_prefixes=["3", "4"]),
    "open now": SearchQuery(open_now=True, now=NOW, sort=SortOrder.DEADLINE),
    "nothing": SearchQuery(cpv_prefixes=["99"]),
}


@pytest.mark.parametrize("case", FILTER_QUERIES, ids=list(FILTER_QUERIES))
def test_filters_sorting_and_facets_match_the_reference(index: TenderIndex, corpus: list[IndexDocument],
                                                        case: str) -> None:
    query = FILTER_QUERIES[case].model_copy(update={"page_size": 200})
    expected = [d for d in corpus if matches(d, query)]
    result = index.search(query)
    assert result.total == len(expected)
    assert [h.document.tender_id for h in result.hits] == reference_order(expected, query.sort)[:200]
    assert as_facets(result) == reference_facets(expected)


@pytest.mark.parametrize("sort", [SortOrder.DEADLINE, SortOrder.PUBLISHED])
def test_pages_cover_the_hits_in_order_without_overlap(index: TenderIndex, corpus: list[IndexDocument],
                                                       sort: SortOrder) -> None:
    query = SearchQuery(nuts=["SE312"], sort=sort, page_size=37, with_facets=False)
    expected = reference_order([d for d in corpus if matches(d, query)], sort)
    seen: list[str] = []
    for page in range(1, len(expected) // 37 + 3):
        result = index.search(query.model_copy(update={"page": page}))
        assert result.total == len(expected)
        assert result.facets == {}
        seen += [h.document.tender_id for h in result.hits]
    assert seen == expected


def test_documents_come_back_as_indexed(index: TenderIndex, corpus: list[IndexDocument]) -> None:
    by_id = {d.tender_id: d for d in corpus}
    result = index.search(SearchQuery(page_size=50, sort=SortOrder.DEADLINE))
    assert result.hits
    for hit in result.hits:
        assert hit.document == by_id[hit.document.tender_id]


# -- text ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", TOP_HITS)
def test_text_queries_rank_the_expected_notice_first(index: TenderIndex, text: str) -> None:
    result = index.search(SearchQuery(text=text))
    assert result.hits, f"no hit for {text!r}"
    assert result.hits[0].document.tender_id == TOP_HITS[text]


@pytest.mark.parametrize("text", ["skolskjuts", "städning", "ramavtal livsmedel", "läromedel matematik"])
def test_text_hits_obey_filters_and_facets_count_them(index: TenderIndex, corpus: list[IndexDocument],
                                                      text: str) -> None:
    everything = index.search(SearchQuery(text=text, page_size=200))
    assert 0 < everything.total <= 200
    hits = [h.document for h in everything.hits]
    assert as_facets(everything) == reference_facets(hits)
    filtered = index.search(SearchQuery(text=text, nuts=["SE312"], page_size=200))
    assert {h.document.tender_id for h in filtered.hits} == {d.tender_id for d in hits if "SE312" in d.nuts}


def test_text_that_holds_no_word_finds_what_the_filters_find(index: TenderIndex) -> None:
    for text in ("", "  ", '"*()-:', "AND NOT NEAR"):
        result = index.search(SearchQuery(text=text, cpv_prefixes=["90"], page_size=5))
        if text == "AND NOT NEAR":  # ordinary words, not operators: nothing holds all three
            assert result.total == 0
        else:
            assert result.total == index.search(SearchQuery(cpv_prefixes=["90"])).total > 0


def test_or_finds_either_word(index: TenderIndex) -> None:
    def found(text: str) -> set[str]:
        return {h.document.tender_id for h in index.search(SearchQuery(text=text, page_size=200)).hits}

    either = found("matematik OR snöröjning")
    assert either == found("matematik") | found("snöröjning") and len(either) >= 3
    assert found("matematik ELLER snorojning") == either  # and without the dots


# -- writes -------------------------------------------------------------------------------------------------


def test_index_replaces_by_tender_id_and_delete_removes(empty_index: TenderIndex) -> None:
    first = hand_written("t-1", "Snöröjning i Orsa")
    assert empty_index.index([first, hand_written("t-2", "Fönsterputsning")]) == 2
    assert empty_index.index([first.model_copy(update={"title": "Sandning i Orsa", "version": "2"})]) == 1
    assert empty_index.count() == 2
    assert empty_index.search(SearchQuery(text="snöröjning")).total == 0
    assert empty_index.search(SearchQuery(text="sandning")).hits[0].document.version == "2"
    empty_index.delete(["t-2", "never-indexed"])
    assert empty_index.count() == 1
    empty_index.clear()
    assert empty_index.count() == 0
    assert empty_index.search(SearchQuery()).total == 0


def test_stamps_name_the_document_each_tender_is_indexed_as(empty_index: TenderIndex) -> None:
    first, second = hand_written("t-1", "Snöröjning i Orsa"), hand_written("t-2", "Fönsterputsning")
    assert empty_index.stamps(["t-1"]) == {}
    empty_index.index([first, second])
    assert empty_index.stamps(["t-1", "t-2", "never-indexed", "t-1"]) == {
        "t-1": document_stamp(first), "t-2": document_stamp(second)}
    changed = first.model_copy(update={"title": "Sandning i Orsa", "version": "2"})
    assert document_stamp(changed) != document_stamp(first)
    empty_index.index([changed])
    assert empty_index.stamps(["t-1"]) == {"t-1": document_stamp(changed)}
    empty_index.delete(["t-2"])
    assert empty_index.stamps(["t-1", "t-2"]) == {"t-1": document_stamp(changed)}
    assert empty_index.stamps([]) == {}


def test_stamps_of_a_rebuilt_index_and_of_many_tenders(empty_index: TenderIndex) -> None:
    documents = [hand_written(f"many-{n:04d}", f"Snöröjning område {n}") for n in range(1_203)]
    empty_index.rebuild(documents)  # more ids than one statement or request takes
    assert empty_index.stamps([d.tender_id for d in documents]) == {d.tender_id: document_stamp(d) for d in documents}
