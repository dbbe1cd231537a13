"""Fitting the members of the linear ensemble with scikit-learn (training only; the service never imports this).

The hyper-parameters are fixed here so that training is reproducible. They come from a handful of prototype runs that
were compared on the held-out buyers (no grid search), so the held-out figures carry a little selection optimism;
the members' weights in the ensemble are equal, not tuned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy
from scipy.sparse import csr_matrix

from nlp.ensemble import FeatureSpace, LinearEnsemble, LinearMember

SVM_C = 0.5
SVM_TEMPERATURE = 0.2  # SVM margins are about ±1: sharpened into probabilities comparable with the others'
NAIVE_BAYES_ALPHA = 0.3
LOGISTIC_C = 10.0


# The group head has two and a half times as many classes as the division head: logistic regression would double the
# training time and a third weight matrix would push the model past 20 MB, so it keeps the SVM (top-1) and naive
# Bayes (top-3) only.
GROUP_MEMBERS = ("svm", "bayes")
ALL_MEMBERS = ("svm", "bayes", "logistic")


def fit_members(
    features: csr_matrix,
    labels: Sequence[str],
    sample_weight: numpy.ndarray,
    seed: int,
    kinds: Sequence[str] = ALL_MEMBERS,
) -> list[LinearMember]:
    # scikit-learn is in the train extra: the service loads fitted models, it never fits.
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.naive_bayes import ComplementNB  # noqa: PLC0415
    from sklearn.svm import LinearSVC  # noqa: PLC0415

    members = []
    if "svm" in kinds:
        svm = _checked(LinearSVC(C=SVM_C, random_state=seed), features, labels, sample_weight)
        members.append(LinearMember.quantised("svm", svm.coef_, svm.intercept_, SVM_TEMPERATURE))
    if "bayes" in kinds:
        bayes = _checked(ComplementNB(alpha=NAIVE_BAYES_ALPHA), features, labels, sample_weight)
        # ComplementNB's predict_proba is softmax(X @ feature_log_prob_.T): linear, no bias.
        members.append(LinearMember.quantised("bayes", bayes.feature_log_prob_, 0.0))
    if "logistic" in kinds:
        logistic = LogisticRegression(C=LOGISTIC_C, max_iter=300, tol=1e-3, random_state=seed)
        logistic = _checked(logistic, features, labels, sample_weight)
        members.append(LinearMember.quantised("logistic", logistic.coef_, logistic.intercept_))
    return members


def _checked(model: Any, features: csr_matrix, labels: Sequence[str], sample_weight: numpy.ndarray) -> Any:
    model.fit(features, labels, sample_weight=sample_weight)
    if list(model.classes_) != sorted(set(labels)):
        raise ValueError("scikit-learn reordered the labels")
    return model


def fit_ensemble(
    documents: Sequence[dict[str, float]], divisions: Sequence[str], sample_weight: numpy.ndarray, seed: int
) -> LinearEnsemble:
    space = FeatureSpace.fit(documents)
    members = fit_members(space.transform(documents), divisions, sample_weight, seed)
    return LinearEnsemble(sorted(set(divisions)), space, members)


def fit_group_head(
    space: FeatureSpace,
    documents: Sequence[dict[str, float]],
    groups: Sequence[str],
    sample_weight: numpy.ndarray,
    seed: int,
) -> LinearEnsemble:
    """A second head over the division head's features: modelled groups (452) and division fallbacks (45)."""
    members = fit_members(space.transform(documents), groups, sample_weight, seed, GROUP_MEMBERS)
    return LinearEnsemble(sorted(set(groups)), space, members)
