"""Does the compound-parts field help OpenSearch find Swedish compounds? A measurement, not a test.

    .venv/bin/python -m bench.decompound --opensearch-url http://127.0.0.1:9201 [--size 20000]

Swedish writes compounds as one word, so a search for "röjning" should find "snöröjning" and "skogsröjning".
For a fixed list of words that mostly occur inside compounds, the relevant notices are those whose title or
description holds a word containing the query word (a substring label: what a person typing the word wants).
Each word is searched with the index's text fields, once without and once with the ``parts`` field (the
stems of compound parts from tenders.text); recall and precision against the labels are compared.
Writes bench/results/decompound.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from opensearchpy import OpenSearch

from bench.corpus import build_corpus
from tenders.index.base import IndexDocument, SearchQuery
from tenders.index.opensearch import OpenSearchIndex
from tenders.index.opensearch_query import TEXT_FIELDS, search_body
from tenders.text import tokens

WORDS = ("röjning", "städning", "underhåll", "entreprenad", "transport", "utrustning", "material", "möbler",
         "fordon", "konsult", "tjänst", "program", "system", "vård", "skötsel", "renovering", "belysning",
         "livsmedel", "tvätt", "bygg", "avfall", "kläder", "papper", "data", "ventilation", "mark", "tak",
         "fönster", "skola", "vatten")
RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "decompound.json"


def relevant(corpus: list[IndexDocument], word: str) -> set[str]:
    return {d.tender_id for d in corpus if any(word in token for token in tokens(f"{d.title} {d.description}"))}


def hits(client: OpenSearch, alias: str, word: str, fields: list[str]) -> set[str]:
    body = search_body(SearchQuery(text=word, page_size=200, with_facets=False))
    body["query"]["bool"]["must"][0]["multi_match"]["fields"] = fields
    body.update({"from": 0, "size": 10_000, "_source": False})
    return {hit["_id"] for hit in client.search(index=alias, body=body)["hits"]["hits"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opensearch-url", required=True)
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    corpus = list(build_corpus(args.size, seed=7))
    index = OpenSearchIndex(args.opensearch_url, alias=f"decompound-{int(time.time())}")
    client = OpenSearch(hosts=[args.opensearch_url])
    try:
        index.index(corpus)
        rows = []
        for word in WORDS:
            labels = relevant(corpus, word)
            row: dict[str, object] = {"word": word, "relevant": len(labels)}
            for name, fields in (("without_parts", [f for f in TEXT_FIELDS if not f.startswith("parts")]),
                                 ("with_parts", TEXT_FIELDS)):
                found = hits(client, index.alias, word, fields)
                row[name] = {"hits": len(found), "recall": round(len(found & labels) / max(len(labels), 1), 3),
                             "precision": round(len(found & labels) / max(len(found), 1), 3)}
            rows.append(row)
    finally:
        index.drop()
        index.close()
    summary = {name: {metric: round(sum(r[name][metric] for r in rows) / len(rows), 3)  # type: ignore[index]
                      for metric in ("recall", "precision")} for name in ("without_parts", "with_parts")}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"corpus_size": args.size, "macro_average": summary, "words": rows}, indent=2)
                       + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
