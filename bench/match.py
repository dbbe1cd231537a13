"""Benchmark the matchers: notices/s against 1,000, 10,000 and 100,000 profiles, embedded and percolator side by side.

    .venv/bin/python -m bench.match                          # starts a throwaway OpenSearch node (1 GB heap)
    .venv/bin/python -m bench.match --opensearch-url http://127.0.0.1:9200 --sizes 1000,10000
    .venv/bin/python -m bench.match --no-percolator --keep-percolator   # embedded only; percolator rows kept

Profiles and notices: the realistic mix of ``bench/match_mix.py`` (real UHM 2021 suppliers and procurements).
Embedded (one process; CPU seconds of this process, so other load on the shared machine counts less):
``decide`` = which profiles each notice alerts (``match_notice``: arrays of alerted groups), cold on a fresh
index and warm; ``alerts`` = the same plus one ``Match`` object per alert with score and Swedish reasons. The
"day" is 70 notices on a freshly built index, cold, every alert as a ``Match``.
Percolator (wall seconds: the work happens in the OpenSearch JVM on the same 2 cores): notices percolated in
batches of 10 per request; ``alerts`` adds the scores and reasons by ``score_pair``. Each run also checks that
the percolator's alerts equal the embedded ones. Writes bench/results/match.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.match_mix import make_notices, make_profiles
from bench.search import opensearch_node
from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from matcher.match.notice import prepare
from matcher.percolator import PercolatorMatcher
from matcher.sni_tables import SniTables

DAY = 70
BATCH = 10
RESULTS = Path("bench/results/match.json")


def cpu(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def wall(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def embedded(profiles: list[MatchProfile], notices: list[MatchNotice], tables: SniTables) -> dict[str, Any]:
    build, index = cpu(lambda: CandidateIndex(profiles, tables))
    cold, _ = cpu(lambda: [index.match_notice(n) for n in notices])
    warm, found = min(cpu(lambda: [index.match_notice(n) for n in notices]) for _ in range(3))
    alerts = sum(len(f) for f in found)
    sample = notices[:300]
    expanded, objects = cpu(lambda: sum(len(index.match(n)) for n in sample))
    day_build, fresh = cpu(lambda: CandidateIndex(profiles, tables))
    day_decide, day_found = cpu(lambda: [fresh.match_notice(n) for n in notices[:DAY]])
    day_expand, day_alerts = cpu(lambda: sum(1 for f in day_found for _ in f.matches()))
    return {
        "groups": len(index.groups.count), "sni_units": len(index.scorer.units), "build_cpu_s": round(build, 3),
        "alert_rate": round(alerts / (len(notices) * len(profiles)), 4),
        "decide_notices_per_s_cold": round(len(notices) / cold), "decide_notices_per_s": round(len(notices) / warm),
        "alerts_notices_per_s": round(len(sample) / expanded), "alerts_per_s": round(objects / expanded),
        "day_decide_s": round(day_decide, 3), "day_with_alert_objects_s": round(day_decide + day_expand, 3),
        "day_build_s": round(day_build, 3), "day_alerts": day_alerts,
    }


def batches(notices: Sequence[MatchNotice]) -> list[Sequence[MatchNotice]]:
    return [notices[i:i + BATCH] for i in range(0, len(notices), BATCH)]


def percolator(url: str, profiles: list[MatchProfile], notices: list[MatchNotice], tables: SniTables,
               index: CandidateIndex) -> dict[str, Any]:
    matcher = PercolatorMatcher.from_url(url, tables, index=f"bench-profiles-{len(profiles)}")
    load, _ = wall(lambda: matcher.load(profiles))
    decide, _ = wall(lambda: [matcher.percolate([prepare(n) for n in b]) for b in batches(notices)])
    with_alerts, found = wall(lambda: [m for b in batches(notices) for m in matcher.match_many(b)])
    differing = sum(1 for n, got in zip(notices, found, strict=True)
                    if {(m.profile_id, m.score, tuple(m.reasons)) for m in got}
                    != {(m.profile_id, m.score, tuple(m.reasons)) for m in index.match(n)})
    day, _ = wall(lambda: [m for b in batches(notices[:DAY]) for m in matcher.match_many(b)])
    matcher.drop()
    return {
        "load_s": round(load, 1), "notices": len(notices), "decide_notices_per_s": round(len(notices) / decide, 1),
        "alerts_notices_per_s": round(len(notices) / with_alerts, 1), "day_with_alerts_s": round(day, 2),
        "notices_differing_from_embedded": differing,
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| profiles | embedded decide (notices/s, warm / cold) | embedded with alert objects (notices/s) "
             "| embedded day of 70 (s: decide / with alerts; build) | percolator (notices/s: decide / with alerts) "
             "| percolator day of 70 (s) | alert rate |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        e, p = r["embedded"], r.get("percolator") or {}
        percolated = f"{p.get('decide_notices_per_s', '–')} / {p.get('alerts_notices_per_s', '–')}"
        percolated += " (earlier run)" if p.get("kept_from_previous_run") else ""
        lines.append(f"| {r['profiles']:,} | {e['decide_notices_per_s']:,} / {e['decide_notices_per_s_cold']:,} "
                     f"| {e['alerts_notices_per_s']:,} | {e['day_decide_s']} / {e['day_with_alert_objects_s']}; "
                     f"{e['day_build_s']} | {percolated} | {p.get('day_with_alerts_s', '–')} | {e['alert_rate']:.3f} |")
    return "\n".join(lines)


def previous_percolator() -> dict[int, dict[str, Any]]:
    """The percolator rows of the last results file, by profile count (marked as kept, not measured now)."""
    if not RESULTS.exists():
        return {}
    rows = json.loads(RESULTS.read_text(encoding="utf-8")).get("results", [])
    return {r["profiles"]: {**r["percolator"], "kept_from_previous_run": True} for r in rows if r.get("percolator")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--percolator-notices", type=int, default=200)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--opensearch-url", default=None)
    parser.add_argument("--no-percolator", action="store_true")
    parser.add_argument("--keep-percolator", action="store_true",
                        help="with --no-percolator: copy the percolator rows of the existing results file")
    args = parser.parse_args()
    kept = previous_percolator() if args.no_percolator and args.keep_percolator else {}
    rng = random.Random(2021)
    tables = SniTables.load()
    notices = make_notices(args.notices, rng)
    results = []
    # no node at all without the percolator: a starting JVM would take CPU from the embedded measurement
    node = contextlib.nullcontext("") if args.no_percolator else opensearch_node(args.opensearch_url)
    with node as url:
        for size in map(int, args.sizes.split(",")):
            profiles = make_profiles(size, random.Random(size))
            row: dict[str, Any] = {"profiles": size, "embedded": embedded(profiles, notices, tables)}
            if not args.no_percolator:
                index = CandidateIndex(profiles, tables)
                row["percolator"] = percolator(url, profiles, notices[:args.percolator_notices], tables, index)
            elif size in kept:
                row["percolator"] = kept[size]
            results.append(row)
            print(json.dumps(row), flush=True)
    report = {"machine": f"{platform.machine()}, 2 cores shared with other work", "python": platform.python_version(),
              "notices": args.notices, "profile_mix": "bench/match_mix.py", "results": results}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
