"""Reproducible training of the CPV-division text classifier (``anbudsvakt train classifier``).

Fixed seeds, pinned package versions (pyproject.toml), data in the repository: the same command gives the same model.
``scope="train"`` learns only from the training part of the split (the model ``anbudsvakt eval classifier`` judges);
``scope="all"`` learns from every row as well, for the model the service ships.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matcher.nlp.compounds import read_split_table
from matcher.nlp.data import Example, cpv_label_examples, read_procurements, split_examples

SEED = 20240601
WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class TrainConfig:
    scope: Literal["train", "all"] = "train"
    epochs: int = 8
    batch_size: int = 32
    learn_rate: float = 0.002
    l2: float = 1e-6
    hash_length: int = 2**16
    label_copies: int = 1  # how many times each CPV label text is shown per epoch
    seed: int = SEED


def training_examples(config: TrainConfig, dataset: Path | None = None) -> list[Example]:
    rows = read_procurements(dataset) if dataset else read_procurements()
    titles = rows if config.scope == "all" else split_examples(rows).train
    return titles + cpv_label_examples() * config.label_copies


def vocabulary(examples: Iterable[Example]) -> set[str]:
    return {word for example in examples for word in WORDS.findall(example.text.lower())}


def build_untrained(examples: list[Example], config: TrainConfig) -> Any:
    """A pipeline with lemma table and compound table initialised from the training vocabulary only."""
    from matcher.nlp.pipeline import build_pipeline, domain_lemma_lookups
    from tenders.codelists import cpv_divisions

    words = vocabulary(examples)
    nlp = build_pipeline(hash_length=config.hash_length)
    lemmatizer: Any = nlp.get_pipe("swedish_lemmatizer")
    lemmatizer.initialize(lookups=domain_lemma_lookups(words))
    splits = {word: parts for word, parts in read_split_table().items() if word in words}
    splitter: Any = nlp.get_pipe("compound_splitter")
    splitter.initialize(table=splits)
    textcat: Any = nlp.get_pipe("textcat")
    for division in sorted(cpv_divisions()):
        textcat.add_label(division)
    return nlp


def to_spacy_examples(nlp: Any, examples: list[Example]) -> list[Any]:
    from spacy.training import Example as SpacyExample

    labels = nlp.get_pipe("textcat").labels
    docs = nlp.pipe((example.text for example in examples), disable=["textcat"], batch_size=256)
    return [
        SpacyExample.from_dict(doc, {"cats": {label: float(label == example.division) for label in labels}})
        for doc, example in zip(docs, examples, strict=True)
    ]


def train_classifier(output_dir: Path, config: TrainConfig | None = None, log: Any = print) -> dict[str, Any]:
    """Train, save to ``output_dir`` and return the training summary stored in the model's meta."""
    import numpy
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    config = config or TrainConfig()
    fix_random_seed(config.seed)
    started = time.monotonic()
    examples = training_examples(config)
    nlp = build_untrained(examples, config)
    spacy_examples = to_spacy_examples(nlp, examples)
    textcat = nlp.get_pipe("textcat")
    textcat.initialize(lambda: spacy_examples[:200], nlp=nlp, labels=textcat.labels)
    optimizer = Adam(learn_rate=config.learn_rate, L2=config.l2, L2_is_weight_decay=True)
    rng = random.Random(config.seed)
    for epoch in range(config.epochs):
        rng.shuffle(spacy_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(spacy_examples, size=config.batch_size):
            textcat.update(batch, sgd=optimizer, losses=losses)
        log(f"epoch {epoch + 1}/{config.epochs}: loss {losses.get('textcat', 0.0):.3f}")
    summary = {
        "scope": config.scope,
        "config": config.__dict__,
        "examples": len(examples),
        "seconds": round(time.monotonic() - started, 1),
        "numpy": numpy.__version__,
    }
    nlp.meta["name"] = "cpv_classifier"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "CPV division classifier for Swedish procurement titles (Anbudsvakt)"
    nlp.meta["anbudsvakt_training"] = summary
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return summary
