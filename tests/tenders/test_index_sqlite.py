"""The embedded index: Swedish stems, compounds, filters, facets, sorts, pages, odd queries, FTS5 bm25 ranking."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bench.corpus import build_corpus
from tenders.index import sqlite_fts
from tenders.index.base import IndexDocument, SearchQuery, SortOrder
from tenders.index.sqlite import SqliteIndex
from tenders.index.sqlite_fts import match_expression
from tenders.index.sqlite_schema import BM25
from tenders.text import parse_query

NOW = datetime(2026, 4, 1, tzinfo=UTC)
FALUN, MORA, BORLANGE = "2080", "2062", "2081"


def _doc(tender_id: str, title: str, **fields: object) -> IndexDocument:
    return IndexDocument(tender_id=tender_id, notice_id=tender_id, version="01", title=title, **fields)


CORPUS = [
    _doc("snow", "Snöröjning och halkbekämpning", description="Vinterväghållning av gator i Falun",
         buyer_names=["Falu kommun"], buyer_orgnrs=["2120002072"], cpv_codes=["90620000"], cpv_divisions=["90"],
         municipalities=[FALUN], nuts=["SE312"], form_type="competition", value_sek=2_000_000,
         deadline=datetime(2026, 4, 15, tzinfo=UTC), published=date(2026, 3, 1), sme_suitable=True, lots=2),
    _doc("roof", "Takarbeten på skolor", description="Omläggning av tak på Morkarlbyhöjdens skola",
         buyer_names=["Mora kommun"], buyer_orgnrs=["2120002361"], cpv_codes=["45261000", "45261210"],
         cpv_divisions=["45"], municipalities=[MORA], nuts=["SE312"], form_type="competition", value_sek=8_000_000,
         deadline=datetime(2026, 5, 1, tzinfo=UTC), published=date(2026, 3, 10), sme_suitable=False, lots=1),
    _doc("clean", "Städtjänster för kommunens lokaler", description="Lokalvård och fönsterputs",
         buyer_names=["Borlänge kommun"], buyer_orgnrs=["2120002080"], cpv_codes=["90910000"], cpv_divisions=["90"],
         municipalities=[BORLANGE], nuts=["SE312"], form_type="competition", value_sek=500_000,
         deadline=datetime(2026, 3, 20, tzinfo=UTC), published=date(2026, 2, 1), sme_suitable=True),
    _doc("food", "Livsmedel till skolor och förskolor", description="Ramavtal för livsmedel, frukt och grönt",
         buyer_names=["Falu kommun"], buyer_orgnrs=["2120002072"], cpv_codes=["15000000", "03200000"],
         cpv_divisions=["15", "03"], municipalities=[FALUN], nuts=["SE312"], form_type="result",
         value_sek=12_000_000, published=date(2026, 1, 15)),
    _doc("build", "Byggnader för räddningstjänsten", description="Ny brandstation i Mora",
         buyer_names=["Mora kommun"], buyer_orgnrs=["2120002361"], cpv_codes=["45210000"], cpv_divisions=["45"],
         municipalities=[MORA], nuts=["SE312"], form_type="planning", published=date(2026, 3, 5)),
    _doc("it", "IT-konsulttjänster", description="Konsulter inom systemutveckling", buyer_names=["Region Stockholm"],
         cpv_codes=["72000000"], cpv_divisions=["72"], nuts=["SE110"], form_type="competition",
         deadline=datetime(2026, 6, 1, tzinfo=UTC), value_sek=None, sme_suitable=None),
    _doc("meal", "Måltidsservice", description="Mål och måltider för äldreboenden", buyer_names=["Region Dalarna"],
         buyer_orgnrs=["2321000180"], cpv_codes=["55520000"], cpv_divisions=["55"], nuts=["SE312"],
         form_type="competition", deadline=datetime(2026, 4, 10, tzinfo=UTC), published=date(2026, 3, 1)),
]


@pytest.fixture
def corpus(index: SqliteIndex) -> SqliteIndex:
    assert index.index(CORPUS) == len(CORPUS)
    return index


def ids(index: SqliteIndex, **query: object) -> list[str]:
    result = index.search(SearchQuery(page_size=50, **query))
    assert result.total == len(result.hits)
    return [hit.document.tender_id for hit in result.hits]


@pytest.mark.parametrize(("text", "expected"), [
    ("snöröjning", {"snow"}),
    ("röjning", {"snow"}),  # the head of a compound
    ("tak", {"roof"}),  # the first part of takarbeten (and the word itself in the description)
    ("takarbete", {"roof"}),  # stemmed: takarbete / takarbeten
    ("byggnad", {"build"}),  # stemmed: byggnad / byggnader
    ("städ", {"clean"}),  # städtjänster
    ("lokalvård", {"clean"}),
    ("skolor livsmedel", {"food"}),  # every word must occur
    ("falu kommun", {"snow", "food"}),  # buyer names are searchable
    ("mål", {"meal"}),
    ("mal", {"meal"}),  # typed without the ring: found through the folded terms
    ("stadtjanster", {"clean"}),
    ("konsulttjänster", {"it"}),
    ("zzzyx", set()),
])
def test_full_text_with_stemming_and_compounds(corpus: SqliteIndex, text: str, expected: set[str]) -> None:
    assert set(ids(corpus, text=text)) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ({"cpv_prefixes": ["45"]}, {"roof", "build"}),
    ({"cpv_prefixes": ["4526"]}, {"roof"}),
    ({"cpv_prefixes": ["0320", "906"]}, {"food", "snow"}),
    ({"municipalities": [MORA]}, {"roof", "build"}),
    ({"municipalities": [FALUN, BORLANGE]}, {"snow", "food", "clean"}),
    ({"nuts": ["SE1"]}, {"it"}),
    ({"nuts": ["SE312"]}, {"snow", "roof", "clean", "food", "build", "meal"}),
    ({"buyers": ["2120002361"]}, {"roof", "build"}),
    ({"value_min": 1_000_000}, {"snow", "roof", "food"}),
    ({"value_min": 1_000_000, "value_max": 8_000_000}, {"snow", "roof"}),
    ({"value_max": 600_000}, {"clean"}),
    ({"deadline_after": datetime(2026, 4, 12, tzinfo=UTC)}, {"snow", "roof", "it"}),
    ({"form_types": ["result", "planning"]}, {"food", "build"}),
    ({"sme_suitable": True}, {"snow", "clean"}),
    ({"sme_suitable": False}, {"roof"}),
    ({"open_now": True, "now": NOW}, {"snow", "roof", "it", "meal"}),  # clean's deadline passed; food is a result
    ({"open_now": True, "now": NOW, "municipalities": [FALUN], "text": "gator"}, {"snow"}),
    ({"cpv_prefixes": ["45"], "municipalities": [FALUN]}, set()),
])
def test_filters(corpus: SqliteIndex, query: dict[str, object], expected: set[str]) -> None:
    assert set(ids(corpus, **query)) == expected


def test_facets_count_the_filtered_result_set(corpus: SqliteIndex) -> None:
    facets = corpus.search(SearchQuery(form_types=["competition"])).facets
    counts = {name: {f.value: f.count for f in values} for name, values in facets.items()}
    assert counts["form_type"] == {"competition": 5}
    assert counts["cpv_division"] == {"90": 2, "45": 1, "72": 1, "55": 1}
    assert counts["municipality"] == {FALUN: 1, MORA: 1, BORLANGE: 1}
    assert counts["buyer"] == {"2120002072": 1, "2120002361": 1, "2120002080": 1, "2321000180": 1,
                               "Region Stockholm": 1}  # no org.nr: the name stands in
    assert [f.value for f in facets["cpv_division"]] == ["90", "45", "55", "72"]  # count desc, then value


def test_unfiltered_facets_follow_writes_and_deletes(corpus: SqliteIndex) -> None:
    def form_types() -> dict[str, int]:
        return {f.value: f.count for f in corpus.search(SearchQuery()).facets["form_type"]}

    assert form_types() == {"competition": 5, "result": 1, "planning": 1}
    corpus.delete(["food"])
    corpus.index([CORPUS[0].model_copy(update={"form_type": "result"})])  # replaced, not added
    assert form_types() == {"competition": 4, "result": 1, "planning": 1}
    assert corpus.count() == 6
    filtered = corpus.search(SearchQuery(text="snöröjning")).facets["form_type"]
    assert [(f.value, f.count) for f in filtered] == [("result", 1)]


def test_text_facets_and_no_facets(corpus: SqliteIndex) -> None:
    result = corpus.search(SearchQuery(text="skolor"))
    assert {f.value: f.count for f in result.facets["municipality"]} == {MORA: 1, FALUN: 1}
    assert corpus.search(SearchQuery(text="skolor", with_facets=False)).facets == {}


def test_sort_by_deadline_soonest_first_none_last(corpus: SqliteIndex) -> None:
    assert ids(corpus, sort=SortOrder.DEADLINE) == ["clean", "meal", "snow", "roof", "it", "build", "food"]


def test_sort_by_published_newest_first_none_last(corpus: SqliteIndex) -> None:
    assert ids(corpus, sort=SortOrder.PUBLISHED) == ["roof", "build", "meal", "snow", "clean", "food", "it"]


def test_relevance_prefers_the_title_and_scores_hits(corpus: SqliteIndex) -> None:
    result = corpus.search(SearchQuery(text="skolor"))
    assert [h.document.tender_id for h in result.hits] == ["food", "roof"] or result.hits[0].score > 0
    mora = corpus.search(SearchQuery(text="mora"))
    assert mora.hits[0].document.tender_id == "build"  # "Mora" in the text beats "Mora" in the buyer only
    assert all(h.score > 0 for h in mora.hits)
    assert mora.hits[0].score >= mora.hits[-1].score


def test_relevance_without_text_falls_back_to_published(corpus: SqliteIndex) -> None:
    assert ids(corpus) == ids(corpus, sort=SortOrder.PUBLISHED)


def test_pagination_covers_everything_once(corpus: SqliteIndex) -> None:
    pages = [corpus.search(SearchQuery(sort=SortOrder.DEADLINE, page=p, page_size=3)) for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [3, 3, 1, 0]
    assert all(p.total == 7 for p in pages)
    seen = [h.document.tender_id for p in pages for h in p.hits]
    assert seen == ids(corpus, sort=SortOrder.DEADLINE)


def test_documents_come_back_whole(corpus: SqliteIndex) -> None:
    hit = corpus.search(SearchQuery(text="snöröjning")).hits[0]
    assert hit.document == CORPUS[0]


@pytest.mark.parametrize("text", [
    '"', '""', "'", "(", ")", "AND", "OR NOT", "*", "-", "snö*", "-snö", "NEAR(a b)", "title:snö", "^snö",
    '"unterminated', "a AND (b OR", "😀 🚜", "ÅÄÖ åäö", "\x00\x01", "x" * 5000, "ord " * 500, "{title}: snö",
    "1=1; DROP TABLE docs", "%_%", "\\", "snö+röjning", "OR", "OR OR", "ELLER", "snö OR", "OR snö", '"OR" OR "AND"',
    "tak OR " * 70, '"' * 7, '”snö', "_snö", "__", "snö_röjning", "a\u0308",
])
def test_odd_queries_never_raise(corpus: SqliteIndex, text: str) -> None:
    result = corpus.search(SearchQuery(text=text))
    assert result.total == len(result.hits) <= len(CORPUS)
    assert corpus.count() == len(CORPUS)


def test_fts5_operators_in_text_are_words(corpus: SqliteIndex) -> None:
    assert set(ids(corpus, text='"snöröjning" -takarbeten*')) == set()  # both words required
    assert ids(corpus, text="(snöröjning)") == ["snow"]
    assert ids(corpus, text="snöröjning NOT takarbeten") == []  # not is a word that occurs nowhere
    assert ids(corpus, text="title:snöröjning") == []  # "title" is a word too, not a column filter


@pytest.mark.parametrize("text", ["snöröjning OR takarbeten", "snöröjning eller takarbeten", "SNÖRÖJNING Or tak"])
def test_or_and_eller_between_words_find_either(corpus: SqliteIndex, text: str) -> None:
    assert set(ids(corpus, text=text)) == {"snow", "roof"}


def test_or_binds_the_words_beside_it(corpus: SqliteIndex) -> None:
    assert set(ids(corpus, text="snöröjning OR takarbeten mora")) == set(ids(corpus, text="takarbeten mora"))
    assert set(ids(corpus, text="snöröjning takarbeten")) == set()  # without OR: both


@pytest.mark.parametrize("text", ["OR", "OR OR", "eller", "OR snöröjning", "snöröjning OR", "snöröjning OR OR"])
def test_a_lone_or_is_no_operator(corpus: SqliteIndex, text: str) -> None:
    found = ids(corpus, text=text)
    assert found == (["snow"] if "snöröjning" in text else [])  # "OR" alone searches the word, not everything


@pytest.mark.parametrize("text", ["snorojning", "SNOROJNING", "snoröjning", "halkbekampning", "rojning",
                                  "sno\u0308ro\u0308jning"])  # the last: ö as o + combining diaeresis (NFD)
def test_words_without_a_ring_or_dots_find_their_notices(corpus: SqliteIndex, text: str) -> None:
    assert "snow" in ids(corpus, text=text)


def test_a_word_with_a_ring_or_dots_never_finds_the_other_word(index: SqliteIndex) -> None:
    """"städ" is not "stad" (a town): a folded term is stored marked, so only words typed without å, ä, ö fold."""
    index.index([_doc("town", "Gatubelysning i staden", buyer_names=["Falu stad"]), _doc("cleaning", "Städ av lokaler"),
                 _doc("both", "Städning i stadens skolor")])
    assert set(ids(index, text="städ")) == {"cleaning"}
    assert set(ids(index, text="stad")) == {"town", "cleaning", "both"}
    assert ids(index, text="städning") == ["both"]


def test_a_query_with_accents_ranks_the_words_as_typed_first(index: SqliteIndex) -> None:
    index.index([_doc("typo", "Ny entrè till simhallen"), _doc("right", "Ny entré till simhallen"),
                 *[_doc(f"other-{n}", f"Simhallen nummer {n}") for n in range(5)]])
    assert ids(index, text="entré") == ["right", "typo"]  # the same word with another accent: found, after
    assert set(ids(index, text="entre")) == {"right", "typo"}


def test_quoted_words_are_a_phrase(corpus: SqliteIndex) -> None:
    assert ids(corpus, text='"snöröjning och halkbekämpning"') == ["snow"]
    assert ids(corpus, text='"halkbekämpning och snöröjning"') == []
    assert set(ids(corpus, text='”snöröjning och” OR "takarbeten"')) == {"snow", "roof"}  # Swedish quotes too


def test_empty_text_is_a_filter_only_browse(corpus: SqliteIndex) -> None:
    assert len(ids(corpus, text="")) == len(CORPUS)
    assert len(ids(corpus, text="  ?!  ")) == len(CORPUS)


def test_clear_and_another_connection_sees_writes(corpus: SqliteIndex, tmp_path) -> None:
    other = SqliteIndex(tmp_path / "index.sqlite3")
    assert other.search(SearchQuery()).total == len(CORPUS)  # warms the other connection's cache
    corpus.delete(["snow", "roof"])
    assert other.search(SearchQuery()).total == len(CORPUS) - 2
    corpus.clear()
    assert other.count() == 0 and other.search(SearchQuery(text="mat")).total == 0
    other.close()


# -- FTS5 scores: bm25() itself, or the same formula in numpy over FTS5's instance lists for many hits ------


def _fts5_bm25(path: Path, text: str) -> dict[str, float]:
    """-bm25() of the index file's own FTS5 table, by tender id (what the index must report and rank by)."""
    match = match_expression(parse_query(text))
    with sqlite3.connect(path) as raw:
        rows = raw.execute(f"SELECT d.tender_id, -{BM25} FROM fts JOIN docs d ON d.id = fts.rowid"
                           " WHERE fts MATCH ?", (match,))
        return dict(rows.fetchall())


@pytest.mark.parametrize("exact_hits", [sqlite_fts.EXACT_HITS, 0])  # 0: every text query scored in numpy
@pytest.mark.parametrize("text", ["skolor", "kommun", "ramavtal livsmedel", "städning", "röjning", "mora",
                                  "stadning", "skolor OR städning", "kommun eller mora ramavtal", "skola OR skola"])
def test_scores_and_ranking_are_fts5_bm25(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exact_hits: int,
                                          text: str) -> None:
    monkeypatch.setattr(sqlite_fts, "EXACT_HITS", exact_hits)
    monkeypatch.setattr(sqlite_fts, "INSTANCES_PER_HIT", 10**6)
    index = SqliteIndex(tmp_path / "index.sqlite3")
    docs = [*build_corpus(400, seed=3), *CORPUS]
    index.index(docs)
    index.delete([docs[0].tender_id])  # deleted documents count neither in N nor in the average length
    index.index([docs[1].model_copy(update={"title": "Snöröjning och ramavtal för skolor"})])
    expected = _fts5_bm25(tmp_path / "index.sqlite3", text)
    result = index.search(SearchQuery(text=text, page_size=200))
    assert result.total == len(expected) > 0
    assert {h.document.tender_id: h.score for h in result.hits} == {
        h.document.tender_id: expected[h.document.tender_id] for h in result.hits}
    ranked = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:200]
    assert [h.document.tender_id for h in result.hits] == [tender_id for tender_id, _ in ranked]
    index.close()


def test_a_word_outranks_the_same_word_as_a_compound_part(corpus: SqliteIndex) -> None:
    corpus.index([_doc("sly", "Röjning av sly längs vägar", description="Skötsel av vägkanter")])
    hits = corpus.search(SearchQuery(text="röjning")).hits
    assert [h.document.tender_id for h in hits] == ["sly", "snow"]
    assert hits[0].score > hits[1].score > 0


def test_fts5_index_agrees_with_its_content_after_replacements_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    index = SqliteIndex(path)
    index.index(CORPUS)
    for doc in CORPUS[:4]:  # one at a time, as a crawl writes
        index.index([doc.model_copy(update={"title": f"{doc.title} etapp 2"})])
    index.delete(["food", "it"])
    index.optimize()
    with sqlite3.connect(path) as raw:  # raises if the full-text index and the docs table disagree
        raw.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")
    assert ids(index, text="etapp") and set(ids(index, text="etapp")) == {"snow", "roof", "clean"}
    assert ids(index, text="livsmedel") == []
    index.close()


def test_an_index_file_of_the_first_schema_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute("CREATE VIRTUAL TABLE fts USING fts5(title)")
        old.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, tender_id TEXT)")
    index = SqliteIndex(path)
    assert index.count() == 0
    assert index.index(CORPUS) == len(CORPUS)
    assert index.search(SearchQuery(text="snöröjning")).hits[0].document == CORPUS[0]
    index.close()
