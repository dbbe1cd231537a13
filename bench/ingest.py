"""Ingest speed: eForms notices per second through app.ingest (parse → classify → store → index), after start-up.

The corpus is the bundled eForms examples, each copied ``--copies`` times under new notice and procedure ids
(every UUID in the document is replaced by a derived one), so each copy is a new notice to the store and the
index. Measured twice on fresh SQLite stores: one notice at a time (batch size 1, what the per-notice path did)
and in batches (the default), each ``--repeat`` times; the run with the median CPU time is reported, with the
CPU time of each step per notice (parse, classify, store, index). Start-up (imports, loading the model) is timed
apart and left out of the rates.

Run: ``.venv/bin/python -m bench.ingest [--copies 20] [--repeat 3]``; writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from app.ingest import BATCH_SIZE, Ingestor, RawNotice
from bench.results_file import write_results
from nlp.annotate import annotate_many
from tenders.index.sqlite import SqliteIndex
from tenders.store import TenderStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "fixtures" / "eforms"
RESULTS = ROOT / "bench" / "results" / "ingest.json"
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def corpus(copies: int) -> list[RawNotice]:
    originals = [(path.name, path.read_bytes()) for path in sorted(EXAMPLES.glob("*.xml"))]
    notices = []
    for copy in range(copies):
        def renamed_id(found: re.Match[bytes], copy: int = copy) -> bytes:
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{found.group().decode()}/{copy}")).encode()

        for name, raw in originals:
            notices.append(RawNotice(raw=UUID.sub(renamed_id, raw), name=f"{name}#{copy}", source="bench"))
    return notices


def run(notices: list[RawNotice], batch_size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        store = TenderStore.from_url(f"sqlite:///{folder}/store.sqlite3")
        index = SqliteIndex(Path(folder) / "index.sqlite3")
        started, cpu_started = time.perf_counter(), time.process_time()
        report = Ingestor(store, index, classify=annotate_many, batch_size=batch_size).ingest(notices)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        indexed = index.count()
        index.close()
        store.close()
    return {"batch_size": batch_size, "notices": len(notices), "seconds": round(elapsed, 2),
            "notices_per_second": round(len(notices) / elapsed, 1), "cpu_seconds": round(cpu, 2),
            # CPU time of this process: what one core does, whatever else the machine is running
            "notices_per_cpu_second": round(len(notices) / cpu, 1),
            "cpu_ms_per_notice": {step: round(1000 * seconds / len(notices), 2)
                                  for step, seconds in report.cpu_seconds.items()},
            "inserted": report.counts["inserted"], "failed": report.counts["failed"], "indexed_tenders": indexed}


def median_run(notices: list[RawNotice], batch_size: int, repeat: int) -> dict[str, Any]:
    """The run with the median CPU time of ``repeat`` (the machine is shared: one run can be slowed by others)."""
    runs = sorted((run(notices, batch_size) for _ in range(repeat)), key=lambda result: result["cpu_seconds"])
    return {**runs[len(runs) // 2], "runs_notices_per_cpu_second": [r["notices_per_cpu_second"] for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    started = time.perf_counter()
    warm = corpus(1)
    run(warm, BATCH_SIZE)  # loads the model, code lists and word lists: the start-up cost
    startup = time.perf_counter() - started
    notices = corpus(arguments.copies)
    one_at_a_time = median_run(notices, 1, arguments.repeat)
    batched = median_run(notices, BATCH_SIZE, arguments.repeat)
    result = {
        "benchmark": "app.ingest over copies of the bundled eForms examples, SQLite store and index",
        "startup_seconds": round(startup, 2),
        "one_at_a_time": one_at_a_time,
        "batched": batched,
        "speedup": round(batched["notices_per_cpu_second"] / one_at_a_time["notices_per_cpu_second"], 2),
    }
    write_results(RESULTS, result)


if __name__ == "__main__":
    main()
