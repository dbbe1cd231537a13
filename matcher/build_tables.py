"""Build the SNI → CPV tables shipped in ``profiles/data`` from ``datasets/uhm-2021`` (reproducible).

    .venv/bin/python -m matcher.build_tables [--data datasets/uhm-2021] [--target-alert-rate 0.08]

Writes the finest win counts (SNI × size × main CPV, SNI × size × title term) from all buyers, and
``sni_model.json``: the score threshold calibrated by cross-validation held out by buyer (tables built
from the other buyers, threshold chosen so that SNI-only profiles get at most the target share of notices),
and the 90th percentile of contracted value won per company size (for "the value fits your size").
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from matcher.sni import DEFAULT_PARAMS
from matcher.sni_tables import DATA_DIR, write_tables
from profiles.uhm import DEFAULT_DIR, Win, read_contracted_values, read_procurements, read_wins

THRESHOLD_GRID = [round(0.6 + 0.05 * i, 2) for i in range(29)]


def value_limits(wins: list[Win], values: dict[str, float]) -> dict[str, float]:
    by_size: dict[str, list[float]] = defaultdict(list)
    for win in wins:
        if win.size and values.get(win.procurement_id, 0) > 0:
            by_size[win.size].append(values[win.procurement_id])
    return {f"value_p90_{size}": round(float(np.percentile(v, 90)), -3) for size, v in sorted(by_size.items())}


def calibrated_threshold(data: Path, wins: list[Win], target: float) -> float:
    # Imported here: the matcher depends on profiles, not the other way round; only this script needs both.
    from matcher.match.evaluate import curve, make_folds, threshold_for

    folds = make_folds(read_procurements(data), wins, 5, dict(DEFAULT_PARAMS))
    points = curve(folds, THRESHOLD_GRID)
    for threshold, outcome in points:
        print(f"threshold {threshold:.2f}: winner recall {outcome.recall:.3f}, alert rate {outcome.alert_rate:.3f}")
    return threshold_for(points, target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--target-alert-rate", type=float, default=0.08)
    args = parser.parse_args(argv)
    wins = read_wins(args.data)
    params = {**DEFAULT_PARAMS, **value_limits(wins, read_contracted_values(args.data))}
    params["threshold"] = calibrated_threshold(args.data, wins, args.target_alert_rate)
    params["target_alert_rate"] = args.target_alert_rate
    write_tables(wins, params, args.out)
    print(f"wrote {args.out} with threshold {params['threshold']}")


if __name__ == "__main__":
    main()
