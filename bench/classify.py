"""Throughput (titles/s, one process, one core) and model load time of the CPV classifier (division and group heads).

Run: .venv/bin/python bench/classify.py  → bench/results/classify.json
The titles are the held-out titles of the evaluation split (real Swedish titles from unseen buyers).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the goal states


def load_seconds(model_dir: Path) -> float:
    """Load time in a fresh interpreter (imports included), the way a service start sees it."""
    code = (
        "import time; t=time.perf_counter(); from nlp.classify import CpvClassifier; "
        f"CpvClassifier.from_path({str(model_dir)!r}); print(time.perf_counter()-t)"
    )
    runs = [float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True)) for _ in range(3)]
    return round(min(runs), 3)


def main() -> None:
    from nlp.classify import CpvClassifier  # noqa: PLC0415 - after sys.path and OMP_NUM_THREADS
    from nlp.data import read_procurements, split_examples  # noqa: PLC0415 - after sys.path and OMP_NUM_THREADS

    model_dir = ROOT / "models" / "cpv_classifier"
    dataset = ROOT / "datasets" / "uhm-2021" / "procurements.csv.gz"
    titles = [e.text for e in split_examples(read_procurements(dataset)).held_out_buyers]
    classifier = CpvClassifier.from_path(model_dir)
    classifier.divisions_many(titles[:200])  # warm-up
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        classifier.divisions_many(titles)
        best = max(best, len(titles) / (time.perf_counter() - started))
    result = {
        "titles": len(titles),
        "titles_per_second": round(best),  # divisions and groups, both heads
        "group_classes": len(classifier.group_labels),
        "model_load_seconds": load_seconds(model_dir),
        "model_size_mb": round(sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 1e6, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other jobs",
    }
    out = ROOT / "bench" / "results" / "classify.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
