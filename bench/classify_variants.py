"""Held-out comparison of two training variants of the CPV division ensemble: title normalisation
(nlp/normalise.py) and class weighting, each alone and together, against the shipped recipe.

Run: .venv/bin/python bench/classify_variants.py  → bench/results/classify_variants.json (about ten minutes)
Same split, features, members and seed as ``anbudsvakt train classifier --scope train``; only the variant changes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def class_weights(examples: list[Any], power: float) -> Any:
    """count(division) ** -power, scaled to mean 1 (power 0.5: halfway between none and 'balanced')."""
    counts = Counter(e.division for e in examples)
    weights = numpy.array([counts[e.division] ** -power for e in examples])
    return weights / weights.mean()


def held_out_scores(ensemble: Any, documents: list[dict[str, float]], gold: list[str]) -> dict[str, float]:
    from nlp.evaluate import score  # noqa: PLC0415 - after sys.path gets ROOT

    probabilities = ensemble.probabilities(documents)
    ranked = [[ensemble.labels[i] for i in row.argsort()[::-1][:3]] for row in probabilities]
    result = score(ranked, gold)
    return {"top1": result["top1"], "top3": result["top3"]}


def main() -> None:
    from nlp.data import read_procurements, split_examples  # noqa: PLC0415 - after sys.path gets ROOT
    from nlp.features import doc_features  # noqa: PLC0415 - after sys.path gets ROOT
    from nlp.fit import fit_ensemble  # noqa: PLC0415 - after sys.path gets ROOT
    from nlp.normalise import normalise_title  # noqa: PLC0415 - after sys.path gets ROOT
    from nlp.train import SEED, TrainConfig, build_untrained, training_examples  # noqa: PLC0415 - after sys.path gets ROOT

    examples = training_examples(TrainConfig(scope="train"), ROOT / "datasets" / "uhm-2021" / "procurements.csv.gz")
    held_out = split_examples(read_procurements(ROOT / "datasets" / "uhm-2021" / "procurements.csv.gz")).held_out_buyers
    nlp = build_untrained(examples)

    def features(texts: list[str]) -> list[dict[str, float]]:
        return [doc_features(doc) for doc in nlp.pipe(texts, disable=["cpv_ensemble"], batch_size=256)]

    raw = (features([e.text for e in examples]), features([e.text for e in held_out]))
    normalised = (
        features([normalise_title(e.text) for e in examples]),
        features([normalise_title(e.text) for e in held_out]),
    )
    uniform = numpy.ones(len(examples))
    variants = {
        "shipped recipe": (raw, uniform),
        "normalised titles": (normalised, uniform),
        "class weights (count^-0.5)": (raw, class_weights(examples, 0.5)),
        "normalised + class weights": (normalised, class_weights(examples, 0.5)),
    }
    gold = [e.division for e in held_out]
    results: dict[str, Any] = {"held_out_buyers": len(held_out)}
    for name, ((train_docs, test_docs), weights) in variants.items():
        ensemble = fit_ensemble(train_docs, [e.division for e in examples], weights, SEED)
        results[name] = held_out_scores(ensemble, test_docs, gold)
        print(name, results[name], flush=True)
    changed = sum(normalise_title(e.text) != e.text for e in held_out)
    results["titles_changed_by_normalisation"] = round(changed / len(held_out), 3)
    out = ROOT / "bench" / "results" / "classify_variants.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
