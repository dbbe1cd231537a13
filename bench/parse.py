"""Parse speed: notices per second over every bundled eForms and TED R2.0.9 fixture.

Run: ``.venv/bin/python -m bench.parse [--rounds 50]``; writes bench/results/parse.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from tenders.parse import parse_notice

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RESULTS = ROOT / "bench" / "results" / "parse.json"


def _documents() -> list[bytes]:
    paths = sorted(FIXTURES.glob("eforms/*.xml")) + sorted(FIXTURES.glob("ted/r209/*.xml"))
    paths += sorted(FIXTURES.glob("ted/eforms-converted/*.xml"))
    return [path.read_bytes() for path in paths]


def measure(rounds: int) -> dict[str, object]:
    documents = _documents()
    for data in documents:  # warm caches (code lists, compiled paths) outside the timing
        parse_notice(data)
    started = time.perf_counter()
    for _ in range(rounds):
        for data in documents:
            parse_notice(data)
    elapsed = time.perf_counter() - started
    count = rounds * len(documents)
    return {
        "benchmark": "parse_notice over the bundled fixtures",
        "documents": len(documents),
        "bytes_per_round": sum(len(d) for d in documents),
        "rounds": rounds,
        "notices_per_second": round(count / elapsed, 1),
        "ms_per_notice": round(1000 * elapsed / count, 3),
        "mb_per_second": round(rounds * sum(len(d) for d in documents) / elapsed / 1e6, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    result = measure(parser.parse_args().rounds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
