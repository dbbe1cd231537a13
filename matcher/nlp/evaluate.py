"""Held-out evaluation of the CPV-division classifier beside a baseline trained in the same run.

The model under test is not trained here; the baseline (character n-gram TF-IDF + logistic regression, the usual
reference for this task) is, on exactly the training titles of the same split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from matcher.nlp.data import Example, Split

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


def baseline_ranker(train: list[Example]) -> Ranker:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    features = vectorizer.fit_transform([e.text for e in train])
    model = LogisticRegression(C=10, max_iter=300, tol=1e-3)
    model.fit(features, [e.division for e in train])

    def rank(texts: list[str]) -> list[list[str]]:
        probabilities = model.predict_proba(vectorizer.transform(texts))
        return [[str(model.classes_[i]) for i in row.argsort()[::-1][:5]] for row in probabilities]

    return rank


def evaluate(split: Split, rankers: dict[str, Ranker]) -> dict[str, Any]:
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
    return results


def run_evaluation(model_dir: Any) -> dict[str, Any]:
    """Load a model trained with scope "train", check it never saw the held-out data, evaluate it and the baseline."""
    from matcher.classify import CpvClassifier
    from matcher.nlp.data import read_procurements, split_examples

    classifier = CpvClassifier.from_path(model_dir)
    training = classifier.nlp.meta.get("anbudsvakt_training", {})
    if training.get("scope") != "train":
        raise ValueError(f"{model_dir} was not trained with scope 'train': it has seen the held-out titles")
    split = split_examples(read_procurements())
    results = evaluate(split, {"model": model_ranker(classifier), "baseline": baseline_ranker(split.train)})
    return {"model_dir": str(model_dir), "training": training} | results
