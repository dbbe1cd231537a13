"""Search benchmark: the embedded SQLite FTS5 index beside OpenSearch, on one corpus, in one run.

The embedded index (tenders.index.sqlite): FTS5 over pre-stemmed text finds the hits and scores them with
bm25() (beyond 4,000 hits the same formula in numpy over FTS5's instance lists), numpy columns do the
filters, facets and sorted pages. OpenSearch: tenders.index.opensearch.

    .venv/bin/python -m bench.search            # 180,000 notices (about 15 minutes on 2 cores)
    .venv/bin/python -m bench.search --quick    # 5,000 notices, under a minute
    .venv/bin/python -m bench.search --opensearch-url http://127.0.0.1:9201   # use a running node

Without --opensearch-url a throwaway node is started with scripts/services/opensearch (1 GB heap) and stopped
at the end. For each backend: indexing throughput (documents/s, batches of 5,000 through ``index()``, including
the final FTS5 'optimize' merge or the refresh), then a warm-up pass of 200 other queries of the same kinds
and one measured pass of a fixed mix of 200 queries (text, filters, facets, sorts, deep pages); latency is
wall time around ``search()``, as the API would see it. Each measured query runs once, so a result cache
cannot flatter either backend. Writes bench/results/search.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus import build_corpus
from tenders.index.base import IndexDocument, SearchQuery, SortOrder, TenderIndex
from tenders.index.opensearch import OpenSearchIndex
from tenders.index.sqlite import SqliteIndex
from tenders.text import tokens

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BATCH = 5000
QUERY_COUNT = 200


def query_mix(corpus: list[IndexDocument], seed: int) -> list[SearchQuery]:
    """200 queries drawn from the corpus: 40 % text, 20 % filters, 20 % text + filters, 20 % sorted pages."""
    rng = random.Random(seed)
    words = [w for d in rng.sample(corpus, 2000) for w in tokens(d.title) if len(w) >= 5 and w.isalpha()]
    divisions = sorted({c for d in corpus for c in d.cpv_divisions})
    municipalities = sorted({m for d in corpus for m in d.municipalities})
    now = datetime(2023, 6, 1, tzinfo=UTC)

    def text() -> str:
        return " ".join(rng.sample(words, rng.choice((1, 1, 2))))

    def filters() -> dict[str, Any]:
        choices: list[dict[str, Any]] = [
            {"cpv_prefixes": [rng.choice(divisions)]},
            {"municipalities": rng.sample(municipalities, 2)},
            {"nuts": ["SE312"], "sme_suitable": True},
            {"value_min": 1_000_000, "value_max": 20_000_000},
            {"open_now": True, "now": now},
        ]
        return rng.choice(choices)

    queries = [SearchQuery(text=text()) for _ in range(80)]
    queries += [SearchQuery(**filters()) for _ in range(40)]
    queries += [SearchQuery(text=text(), **filters()) for _ in range(40)]
    queries += [SearchQuery(sort=rng.choice((SortOrder.DEADLINE, SortOrder.PUBLISHED)), page=rng.randint(1, 5),
                            with_facets=rng.random() < 0.5, **filters()) for _ in range(40)]
    rng.shuffle(queries)
    return queries


def index_all(index: TenderIndex, corpus: list[IndexDocument]) -> float:
    """Seconds to index the corpus in batches, including the final merge (SQLite) or refresh (OpenSearch)."""
    started = time.perf_counter()
    for start in range(0, len(corpus), BATCH):
        index.index(corpus[start:start + BATCH])
    if isinstance(index, SqliteIndex):
        index.optimize()
    return time.perf_counter() - started


def latencies_ms(index: TenderIndex, queries: list[SearchQuery], warm_up: list[SearchQuery]) -> list[float]:
    # Warm-up with other queries of the same mix: it fills the page cache and the JIT, but no result cache
    # can answer the measured queries from memory.
    for query in warm_up:
        index.search(query)
    timings = []
    for query in queries:
        started = time.perf_counter()
        index.search(query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(name: str, index: TenderIndex, corpus: list[IndexDocument], queries: list[SearchQuery],
            warm_up: list[SearchQuery]) -> dict[str, float]:
    cpu_started = time.process_time()
    seconds = index_all(index, corpus)
    cpu = time.process_time() - cpu_started
    assert index.count() == len({d.tender_id for d in corpus}), f"{name}: not every document was indexed"
    timings = latencies_ms(index, queries, warm_up)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    figures = {"index_docs_per_s": round(len(corpus) / seconds, 1), "p50_ms": round(cuts[49], 2),
               "p95_ms": round(cuts[94], 2), "p99_ms": round(cuts[98], 2)}
    # The machine is shared: the load average and this process's CPU time say how much of the wall time was ours.
    print(f"{name}: indexed {len(corpus)} in {seconds:.1f} s wall, {cpu:.1f} s CPU in this process; {figures}; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return figures


@contextmanager
def opensearch_node(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    script = ROOT / "scripts" / "services" / "opensearch"
    with tempfile.TemporaryDirectory(prefix="bench-opensearch-") as directory:
        started = subprocess.run([str(script), "start", directory], capture_output=True, text=True, check=False)
        if started.returncode != 0:
            raise SystemExit(f"OpenSearch did not start:\n{started.stderr}")
        try:
            yield started.stdout.strip()
        finally:
            subprocess.run([str(script), "stop", directory], check=False)


def markdown_table(result: dict[str, Any]) -> str:
    lines = [f"Corpus: {result['corpus_size']:,} notices; 200 queries (text, filters, facets, sorts).", "",
             "| backend | indexing (notices/s) | p50 (ms) | p95 (ms) | p99 (ms) |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, figures in result["backends"].items():
        lines.append(f"| {name} | {figures['index_docs_per_s']:,.0f} | {figures['p50_ms']} | {figures['p95_ms']} "
                     f"| {figures['p99_ms']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=180_000)
    parser.add_argument("--quick", action="store_true", help="5,000 notices, under a minute")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--opensearch-url", help="a running node instead of a throwaway one")
    parser.add_argument("--out", type=Path, help="default: bench/results/search.json (search-quick.json with --quick)")
    args = parser.parse_args()
    size = 5000 if args.quick else args.size
    out = args.out or RESULTS / ("search-quick.json" if args.quick else "search.json")

    corpus = list(build_corpus(size, seed=args.seed))
    queries = query_mix(corpus, args.seed)
    warm_up = query_mix(corpus, args.seed + 1)
    assert len(queries) == QUERY_COUNT
    backends: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as directory:
        sqlite_index = SqliteIndex(Path(directory) / "index.sqlite3")
        backends["sqlite"] = measure("sqlite", sqlite_index, corpus, queries, warm_up)
        sqlite_index.close()
    with opensearch_node(args.opensearch_url) as url:
        opensearch_index = OpenSearchIndex(url, alias=f"bench-{int(time.time())}")
        try:
            backends["opensearch"] = measure("opensearch", opensearch_index, corpus, queries, warm_up)
        finally:
            opensearch_index.drop()
            opensearch_index.close()

    result = {"corpus_size": size, "backends": backends}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{markdown_table(result)}\n\n({platform.processor() or platform.machine()}, wrote {out})")


if __name__ == "__main__":
    main()
