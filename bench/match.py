"""Benchmark the embedded matcher: notices/s against 1,000, 10,000 and 100,000 profiles (one core).

    .venv/bin/python bench/match.py [--notices 2000] [--sizes 1000,10000,100000]

Profiles are drawn from real UHM 2021 winners: 90 % SNI-only (code + size, as most companies will start),
10 % with chosen CPV prefixes, keywords and a Dalarna municipality. Notices are real UHM 2021 procurements.
Three timings per size: ``match`` (the candidate index decides which profiles get the notice, with score and
reasons, identical profiles as one group), ``alerts`` (the same, expanded to one ``Match`` object per alert),
and the first ("cold") pass, when the per-CPV and per-term score columns are still being computed.
The percolator (OpenSearch) side is not measured yet. Writes bench/results/match.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from pathlib import Path

from matcher.match import CandidateIndex, MatchNotice, MatchProfile
from profiles.sni_tables import SniTables
from profiles.uhm import read_procurements, read_wins

KEYWORDS = ["städ", "fönster", "snöröjning", "tak", "målning", "ventilation", "el", "asfalt", "livsmedel", "it"]
MUNICIPALITIES = ["Mora", "Falun", "Borlänge", "Ludvika", "Avesta", "Leksand", "Rättvik", "Malung-Sälen"]


def make_profiles(count: int, rng: random.Random) -> list[MatchProfile]:
    wins = read_wins()
    cpvs = [w.main_cpv[:4] for w in wins if w.main_cpv]
    profiles = []
    for i in range(count):
        win = rng.choice(wins)
        if i % 10:
            profiles.append(MatchProfile(id=f"p{i}", sni=[win.sni], company_size=win.size))
        else:
            profiles.append(MatchProfile(id=f"p{i}", cpv=[rng.choice(cpvs)], keywords=rng.sample(KEYWORDS, 2),
                                         municipalities=[rng.choice(MUNICIPALITIES)], company_size=win.size))
    return profiles


def make_notices(count: int, rng: random.Random) -> list[MatchNotice]:
    chosen = rng.sample(read_procurements(), count)
    return [MatchNotice(id=p.id, title=p.title, cpv=[p.main_cpv] if p.main_cpv else [], buyer_name=p.buyer_name,
                        buyer_orgnr=p.buyer_orgnr, nuts=["SE312"]) for p in chosen]


def timed(index: CandidateIndex, notices: list[MatchNotice], expand: bool) -> tuple[float, int]:
    start, alerts = time.perf_counter(), 0
    for notice in notices:
        found = index.match_notice(notice)
        alerts += sum(1 for _ in found.matches(index.profile_ids)) if expand else len(found)
    return time.perf_counter() - start, alerts


def bench_size(size: int, notices: list[MatchNotice], tables: SniTables, rng: random.Random) -> dict[str, object]:
    profiles = make_profiles(size, rng)
    start = time.perf_counter()
    index = CandidateIndex(profiles, tables)
    build = time.perf_counter() - start
    cold, _ = timed(index, notices, expand=False)
    warm, alerts = timed(index, notices, expand=False)
    expanded, _ = timed(index, notices, expand=True)
    day = notices[:70]
    fresh = CandidateIndex(profiles, tables)
    day_cold, day_alerts = timed(fresh, day, expand=True)
    return {
        "profiles": size, "sni_units": len(index.scorer.units), "index_build_s": round(build, 3),
        "notices": len(notices), "alert_rate": round(alerts / (len(notices) * size), 4),
        "match_notices_per_s_cold": round(len(notices) / cold), "match_notices_per_s": round(len(notices) / warm),
        "alerts_notices_per_s": round(len(notices) / expanded), "alerts_per_s": round(alerts / expanded),
        "day_70_notices_cold_s_with_alert_objects": round(day_cold, 3), "day_70_alerts": day_alerts,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", type=Path, default=Path("bench/results/match.json"))
    args = parser.parse_args()
    rng = random.Random(2021)
    tables = SniTables.load()
    notices = make_notices(args.notices, rng)
    results = []
    for size in map(int, args.sizes.split(",")):
        results.append(bench_size(size, notices, tables, rng))
        print(json.dumps(results[-1]))
    report = {"machine": f"{platform.machine()} shared, 1 process", "python": platform.python_version(),
              "embedded": results, "percolator": "not measured yet (comes with the OpenSearch percolator)"}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
