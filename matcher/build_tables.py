"""Build the SNI → CPV tables shipped in ``matcher/data`` from ``datasets/uhm-2021`` (reproducible).

    .venv/bin/python -m matcher.build_tables [--data datasets/uhm-2021] [--target-alert-rate 0.10]

Writes the finest win counts (SNI × size × main CPV, SNI × size × title term) from all buyers, and
``sni_model.json``: the score threshold calibrated by cross-validation held out by buyer and by supplier (tables
built from the other buyers' wins, less every win of the fold's suppliers; the lowest threshold at which SNI-only
profiles get at most the target share of notices), and the 90th percentile of contracted value won per company
size (for "the value fits your size"). The curve and the chosen point go to ``bench/results/match_eval.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from matcher.match.evaluate import Outcome, curve, make_folds, threshold_for
from matcher.sni import DEFAULT_PARAMS
from matcher.sni_tables import DATA_DIR, write_tables
from tenders.stats.uhm_records import DEFAULT_DIR, Win, read_contracted_values, read_procurements, read_wins

THRESHOLD_GRID = [round(0.4 + 0.05 * i, 2) for i in range(33)]
RECALL_GOAL = 0.80  # the share of real winners a profile of nothing but its SNI code should be alerted for
RESULTS = Path("bench/results/match_eval.json")


def value_limits(wins: list[Win], values: dict[str, float]) -> dict[str, float]:
    by_size: dict[str, list[float]] = defaultdict(list)
    for win in wins:
        if win.size and values.get(win.procurement_id, 0) > 0:
            by_size[win.size].append(values[win.procurement_id])
    return {f"value_p90_{size}": round(float(np.percentile(v, 90)), -3) for size, v in sorted(by_size.items())}


def calibrated_curve(data: Path, wins: list[Win]) -> list[tuple[float, Outcome]]:
    folds = make_folds(read_procurements(data), wins, 5, dict(DEFAULT_PARAMS))
    points = curve(folds, THRESHOLD_GRID)
    for threshold, outcome in points:
        print(f"threshold {threshold:.2f}: winner recall {outcome.recall:.3f}, alert rate {outcome.alert_rate:.3f}")
    return points


def write_results(points: list[tuple[float, Outcome]], threshold: float, target: float, path: Path) -> None:
    chosen = dict(points)[threshold]
    report = {
        "what": "SNI-only profiles on UHM 2021, 5 folds held out by buyer and by supplier (matcher/build_tables.py)",
        "target_alert_rate": target, "recall_goal": RECALL_GOAL, "threshold": threshold,
        "winner_recall": round(chosen.recall, 4), "alert_rate": round(chosen.alert_rate, 4),
        "both_goals_met": chosen.recall >= RECALL_GOAL and chosen.alert_rate <= target,
        "curve": [{"threshold": t, "winner_recall": round(o.recall, 4), "alert_rate": round(o.alert_rate, 4)}
                  for t, o in points],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--target-alert-rate", type=float, default=0.10)
    args = parser.parse_args(argv)
    wins = read_wins(args.data)
    params = {**DEFAULT_PARAMS, **value_limits(wins, read_contracted_values(args.data))}
    points = calibrated_curve(args.data, wins)
    params["threshold"] = threshold_for(points, args.target_alert_rate)
    params["target_alert_rate"] = args.target_alert_rate
    write_tables(wins, params, args.out)
    write_results(points, params["threshold"], args.target_alert_rate, args.results)
    print(f"wrote {args.out} with threshold {params['threshold']}")


if __name__ == "__main__":
    main()
