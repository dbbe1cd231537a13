"""Soak: 50 concurrent clients for 30 s against ``GET /api/tenders`` while notices are written to the store.

    .venv/bin/python -m bench.soak                 # 50 clients, 30 s, 5,000 indexed notices + the fixtures
    .venv/bin/python -m bench.soak --seconds 10    # shorter

Issue 13 asks that reads never fail while writes go on. The server is ``anbudsvakt serve`` on the embedded SQLite
store and FTS5 index (bench/api.py's ``running_server``), searched with bench/api.py's closed-loop load generator
and query mix. Meanwhile a separate writer process (as ``anbudsvakt load`` or a crawl would be) ingests the
bundled eForms example notices (tests/fixtures/eforms) into the same store and index, again and again, each time
under a fresh notice id so every write is a real insert (store and index) and not "unchanged".

An error is any answer other than 200 or a failed connection; the writer's failures are counted apart.
Writes bench/results/soak.json and prints one Markdown table row.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from app.ingest import ingest
from bench.api import RESULTS, ROOT, WARM_UP_SECONDS, load, measured_level, query_params, running_server
from bench.corpus import build_corpus
from bench.search import index_all, query_mix
from tenders.index import open_index
from tenders.index.sqlite import SqliteIndex
from tenders.parse import parse_notice
from tenders.settings import Settings
from tenders.store import TenderStore

FIXTURES = ROOT / "tests" / "fixtures" / "eforms"
NOTICE_ID = re.compile(rb'(schemeName="notice-id">)[0-9a-f-]{36}(<)')


def fixture_notices() -> list[bytes]:
    return [path.read_bytes() for path in sorted(FIXTURES.glob("*.xml")) if NOTICE_ID.search(path.read_bytes())]


def write_for(data_dir: Path, seconds: float) -> dict[str, Any]:
    """The writer: ingest the fixture notices under fresh ids for ``seconds`` after saying "ready"; counts."""
    settings = Settings(data_dir=data_dir)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    notices, written, failures, latencies = fixture_notices(), 0, [], []
    print("ready", flush=True)  # imports and opening done: the load starts now, with the writes
    stop_at = time.time() + seconds
    try:
        while time.time() < stop_at:
            for raw in notices:
                fresh = NOTICE_ID.sub(rb"\g<1>" + str(uuid.uuid4()).encode() + rb"\g<2>", raw, count=1)
                started = time.perf_counter()
                try:
                    ingest(parse_notice(fresh, source="file"), fresh, store, index)
                    written += 1
                except Exception as error:  # a soak counts every kind of failure, and goes on
                    failures.append(f"{type(error).__name__}: {error}"[:200])
                latencies.append((time.perf_counter() - started) * 1000)
                if time.time() >= stop_at:
                    break
    finally:
        index.close()
        store.close()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0.0
    return {"notices_written": written, "write_failures": len(failures), "write_failure_examples": failures[:5],
            "write_p95_ms": round(p95, 1)}


def prepared_data_dir(directory: Path, size: int, seed: int) -> list[Any]:
    """A corpus of ``size`` notices in the index and the fixture notices in store and index; the corpus."""
    corpus = list(build_corpus(size, seed=seed))
    index = SqliteIndex(directory / "index.sqlite3")  # where Settings(data_dir=directory) looks
    index_all(index, corpus)
    index.close()
    settings = Settings(data_dir=directory)
    store, opened = TenderStore.from_settings(settings), open_index(settings)
    try:
        for raw in fixture_notices():
            ingest(parse_notice(raw, source="file"), raw, store, opened)
    finally:
        opened.close()
        store.close()
    return corpus


def soak(clients: int, seconds: float, size: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as name:
        directory = Path(name)
        corpus = prepared_data_dir(directory, size, seed)
        queries = [query_params(q) for q in query_mix(corpus, seed)]
        with running_server(directory) as (base, server_pid):
            asyncio.run(_warm_up(base, queries, clients))
            writer = subprocess.Popen([sys.executable, "-m", "bench.soak", "--write", str(directory),
                                       "--seconds", str(seconds)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
            assert writer.stdout is not None
            writer.stdout.readline()  # "ready"
            figures = measured_level(base, server_pid, queries, clients, seconds)
            output, _ = writer.communicate(timeout=seconds + 120)
        written = json.loads(output.strip().splitlines()[-1]) if writer.returncode == 0 else {
            "notices_written": 0, "write_failures": 1, "write_failure_examples": ["writer exited"]}
    return {"clients": clients, "seconds": seconds, "corpus_size": size, "endpoint": "GET /api/tenders",
            **figures, **written, "load_average": round(os.getloadavg()[0], 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)"}


async def _warm_up(base: str, queries: list[Any], clients: int) -> None:
    await load(base, queries, clients, WARM_UP_SECONDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--size", type=int, default=5000, help="notices in the index besides the fixtures")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, default=RESULTS / "soak.json")
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)  # the writer process
    args = parser.parse_args()
    if args.write:
        print(json.dumps(write_for(args.write, args.seconds)), flush=True)
        return
    result = soak(args.clients, args.seconds, args.size, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| clients | seconds | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) | notices written "
          "| write failures |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {result['clients']} | {result['seconds']:.0f} | {result['requests']:,} | {result['errors']} "
          f"| {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} | {result['notices_written']} "
          f"| {result['write_failures']} |\n\n(wrote {args.out})")


if __name__ == "__main__":
    main()
