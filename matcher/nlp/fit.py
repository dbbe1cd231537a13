"""Fitting the members of the linear ensemble with scikit-learn (training only; the service never imports this).

The hyper-parameters are fixed here so that training is reproducible. They come from a handful of prototype runs that
were compared on the held-out buyers (no grid search), so the held-out figures carry a little selection optimism;
the members' weights in the ensemble are equal, not tuned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from scipy.sparse import csr_matrix

from matcher.nlp.ensemble import FeatureSpace, LinearEnsemble, LinearMember

SVM_C = 0.5
SVM_TEMPERATURE = 0.2  # SVM margins are about ±1: sharpened into probabilities comparable with the others'
NAIVE_BAYES_ALPHA = 0.3
LOGISTIC_C = 10.0


def fit_members(
    features: csr_matrix, divisions: Sequence[str], sample_weight: numpy.ndarray, seed: int
) -> list[LinearMember]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=SVM_C, random_state=seed).fit(features, divisions, sample_weight=sample_weight)
    bayes = ComplementNB(alpha=NAIVE_BAYES_ALPHA).fit(features, divisions, sample_weight=sample_weight)
    logistic = LogisticRegression(C=LOGISTIC_C, max_iter=300, tol=1e-3, random_state=seed)
    logistic.fit(features, divisions, sample_weight=sample_weight)
    for model in (svm, bayes, logistic):
        if list(model.classes_) != sorted(set(divisions)):
            raise ValueError("scikit-learn reordered the divisions")
    return [
        LinearMember.quantised("svm", svm.coef_, svm.intercept_, SVM_TEMPERATURE),
        # ComplementNB's predict_proba is softmax(X @ feature_log_prob_.T): linear, no bias.
        LinearMember.quantised("bayes", bayes.feature_log_prob_, 0.0),
        LinearMember.quantised("logistic", logistic.coef_, logistic.intercept_),
    ]


def fit_ensemble(
    documents: Sequence[dict[str, float]], divisions: Sequence[str], sample_weight: numpy.ndarray, seed: int
) -> LinearEnsemble:
    space = FeatureSpace.fit(documents)
    members = fit_members(space.transform(documents), divisions, sample_weight, seed)
    return LinearEnsemble(sorted(set(divisions)), space, members)
