"""Held-out evaluation of the CPV-division classifier beside a baseline trained in the same run.

The model under test is not trained here; the baseline (character n-gram TF-IDF + logistic regression, the usual
reference for this task) is, on exactly the training titles of the same split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from nlp.classify import CpvClassifier
from nlp.data import Example, Split, group_label, read_procurements, split_examples

Ranker = Callable[[list[str]], list[list[str]]]  # texts → division codes, best first


def score(ranked: Sequence[Sequence[str]], gold: Sequence[str]) -> dict[str, Any]:
    n = len(gold) or 1
    top1 = sum(bool(r) and r[0] == g for r, g in zip(ranked, gold, strict=True)) / n
    top3 = sum(g in r[:3] for r, g in zip(ranked, gold, strict=True)) / n
    support = Counter(gold)
    hits = Counter(g for r, g in zip(ranked, gold, strict=True) if r and r[0] == g)
    recall = {d: round(hits[d] / support[d], 3) for d, _ in support.most_common()}
    return {"n": len(gold), "top1": round(top1, 4), "top3": round(top3, 4), "recall": recall, "support": support}


def confusion(ranked: Sequence[Sequence[str]], gold: Sequence[str], largest: int = 8) -> dict[str, dict[str, int]]:
    """Rows: true division (the largest ones); columns: predicted top-1 division, 'other' for the rest."""
    top = [d for d, _ in Counter(gold).most_common(largest)]
    table = {d: dict.fromkeys([*top, "other"], 0) for d in top}
    for r, g in zip(ranked, gold, strict=True):
        if g in table:
            predicted = r[0] if r and r[0] in table else "other"
            table[g][predicted] += 1
    return table


def model_ranker(classifier: Any) -> Ranker:
    def rank(texts: list[str]) -> list[list[str]]:
        return [[d.code for d in ds] for ds in classifier.divisions_many(texts, top=5)]

    return rank


def group_ranker(classifier: Any) -> Ranker:
    """Texts → the group head's classes, best first: modelled groups (452) and division fallbacks (45)."""

    def rank(texts: list[str]) -> list[list[str]]:
        results = classifier.analyse_many(texts, top=5)
        return [sorted(r.group_classes, key=lambda c: (-r.group_classes[c], c))[:5] for r in results]

    return rank


def score_groups(rank: Ranker, examples: Sequence[Example], modelled: set[str]) -> dict[str, Any]:
    """Group accuracy on every title (the gold class is the title's group when modelled, else its division's
    fallback class), and on the titles whose group is modelled (gold: a real three-digit group)."""
    ranked = rank([e.text for e in examples])
    gold = [group_label(e.cpv, modelled) for e in examples]
    overall = score(ranked, gold)
    in_groups = [i for i, g in enumerate(gold) if len(g) == 3]
    subset = score([ranked[i] for i in in_groups], [gold[i] for i in in_groups])
    keep = ("n", "top1", "top3")
    return {key: overall[key] for key in keep} | {
        "modelled": {key: subset[key] for key in keep},
        "recall": overall["recall"],
    }


def baseline_ranker(train: list[Example], labels: Sequence[str] | None = None) -> Ranker:
    """Character n-gram TF-IDF + logistic regression on the training titles: their divisions, or ``labels``."""
    # scikit-learn is in the train extra, not the service's install.
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    features = vectorizer.fit_transform([e.text for e in train])
    model = LogisticRegression(C=10, max_iter=300, tol=1e-3)
    model.fit(features, list(labels) if labels is not None else [e.division for e in train])

    def rank(texts: list[str]) -> list[list[str]]:
        probabilities = model.predict_proba(vectorizer.transform(texts))
        return [[str(model.classes_[i]) for i in row.argsort()[::-1][:5]] for row in probabilities]

    return rank


def evaluate(
    split: Split, rankers: dict[str, Ranker], groups: tuple[dict[str, Ranker], set[str]] | None = None
) -> dict[str, Any]:
    """Division scores of every ranker; with ``groups`` (group rankers by name, modelled groups), group scores
    under "<name>_groups"."""
    sets = {
        "held_out_buyers": split.held_out_buyers,
        "held_out_buyers_after_cutoff": split.held_out_strict,
        "seen_buyers_after_cutoff": split.held_out_later,
    }
    results: dict[str, Any] = {"train_titles": len(split.train)}
    for set_name, examples in sets.items():
        texts, gold = [e.text for e in examples], [e.division for e in examples]
        results[set_name] = {}
        for name, rank in rankers.items():
            ranked = rank(texts)
            results[set_name][name] = score(ranked, gold) | {"confusion": confusion(ranked, gold)}
        for name, rank in (groups[0] if groups else {}).items():
            results[set_name][f"{name}_groups"] = score_groups(rank, examples, groups[1])  # type: ignore[index]
    return results


def run_evaluation(model_dir: Any) -> dict[str, Any]:
    """Load a model trained with scope "train", check it never saw the held-out data, evaluate it and the baseline."""
    classifier = CpvClassifier.from_path(model_dir)
    training = classifier.nlp.meta.get("anbudsvakt_training", {})
    if training.get("scope") != "train":
        raise ValueError(f"{model_dir} was not trained with scope 'train': it has seen the held-out titles")
    split = split_examples(read_procurements())
    rankers = {"model": model_ranker(classifier), "baseline": baseline_ranker(split.train)}
    modelled = {label for label in classifier.group_labels if len(label) == 3}
    group_rankers = {
        "model": group_ranker(classifier),
        "baseline": baseline_ranker(split.train, [group_label(e.cpv, modelled) for e in split.train]),
    }
    results = evaluate(split, rankers, (group_rankers, modelled) if modelled else None)
    return {"model_dir": str(model_dir), "training": training} | results
