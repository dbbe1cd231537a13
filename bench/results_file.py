"""One way for the benchmarks to record what they measured: the figures plus the conditions they were taken in
(load average, Python, machine), written to ``bench/results/`` and printed."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any


def write_results(path: Path, result: dict[str, Any]) -> None:
    recorded = {**result, "load_average": [round(x, 2) for x in os.getloadavg()],
                "python": platform.python_version(), "machine": platform.machine()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(recorded, indent=2))
