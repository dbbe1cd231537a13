"""Reproducible training of the CPV division (and group) text classifier (``anbudsvakt train classifier``).

Fixed seeds, pinned package versions (pyproject.toml), data in the repository: the same command gives the same model.
``scope="train"`` learns only from the training part of the split (the model ``anbudsvakt eval classifier`` judges);
``scope="all"`` learns from every row as well, for the model the service ships.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy

from nlp.data import (
    Example,
    cpv_label_examples,
    frequent_groups,
    group_label,
    read_procurements,
    split_examples,
)
from nlp.features import doc_features
from nlp.fit import fit_ensemble, fit_group_head
from nlp.pipeline import build_pipeline, domain_lemma_lookups

SEED = 20240601
WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class TrainConfig:
    scope: Literal["train", "all"] = "train"
    label_weight: float = 1.0  # weight of one CPV label text against one real title
    seed: int = SEED


def training_examples(config: TrainConfig, dataset: Path | None = None) -> list[Example]:
    rows = read_procurements(dataset) if dataset else read_procurements()
    titles = rows if config.scope == "all" else split_examples(rows).train
    return titles + cpv_label_examples()


def vocabulary(examples: Iterable[Example]) -> set[str]:
    return {word for example in examples for word in WORDS.findall(example.text.lower())}


def build_untrained(examples: list[Example]) -> Any:
    """A pipeline with its lemma table initialised from the training vocabulary only."""
    words = vocabulary(examples)
    nlp = build_pipeline()
    lemmatizer: Any = nlp.get_pipe("swedish_lemmatizer")
    lemmatizer.initialize(lookups=domain_lemma_lookups(words))
    return nlp


def train_classifier(output_dir: Path, config: TrainConfig | None = None, log: Any = print) -> dict[str, Any]:
    """Train, save to ``output_dir`` and return the training summary stored in the model's meta."""
    import sklearn  # noqa: PLC0415 - the train extra, not the service's install


    config = config or TrainConfig()
    started = time.monotonic()
    examples = training_examples(config)
    nlp = build_untrained(examples)
    docs = nlp.pipe((example.text for example in examples), disable=["cpv_ensemble"], batch_size=256)
    features = [doc_features(doc) for doc in docs]
    log(f"{len(examples)} exempel, {time.monotonic() - started:.0f} s: anpassar SVM, naiv Bayes, logistisk regression")
    weights = numpy.array([config.label_weight if e.source == "cpv-label" else 1.0 for e in examples])
    ensemble = fit_ensemble(features, [e.division for e in examples], weights, config.seed)
    modelled = frequent_groups(examples)
    log(f"{time.monotonic() - started:.0f} s: gruppmodell för {len(modelled)} CPV-grupper")
    group_labels = [group_label(e.cpv, modelled) for e in examples]
    groups = fit_group_head(ensemble.space, features, group_labels, weights, config.seed)
    nlp.get_pipe("cpv_ensemble").initialize(ensemble=ensemble, groups=groups)
    summary = {
        "scope": config.scope,
        "config": config.__dict__,
        "examples": len(examples),
        "features": len(ensemble.space.columns),
        "groups": sorted(modelled),
        "seconds": round(time.monotonic() - started, 1),
        "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__,
    }
    nlp.meta["name"] = "cpv_classifier"
    nlp.meta["version"] = "2.1.0"
    nlp.meta["description"] = "CPV division and group classifier for Swedish procurement titles (Anbudsvakt)"
    nlp.meta["anbudsvakt_training"] = summary
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return summary
