"""A small ensemble of linear models over the title features, stored as plain numpy arrays.

Held out by buyer, no single linear model beats the others by much (top-1 0.66–0.69), but they err on different
titles: a linear SVM (sharpest top-1), complement naive Bayes (best top-3, kinder to the small divisions) and logistic
regression, averaged with equal weights, keep the SVM's top-1 and add about one point of top-3 (0.689 / 0.864 against
0.687 / 0.852 for the SVM alone). Equal weights, not weights tuned on the evaluation set.

The models are trained with scikit-learn and kept as weight matrices quantised to int8 per division (an eighth of
their float64 size, with no measurable loss), so the service needs neither pickles nor scikit-learn to classify.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
from scipy.sparse import csr_matrix

MIN_DOCUMENT_FREQUENCY = 2  # a feature seen in one training title only is that title's noise, not a division's signal


@dataclass
class FeatureSpace:
    """Feature name → column, with smoothed inverse document frequencies (as scikit-learn's TfidfTransformer)."""

    columns: dict[str, int]
    idf: numpy.ndarray
    _weights: dict[str, tuple[int, float]] | None = field(default=None, repr=False, compare=False)

    def column_weights(self) -> dict[str, tuple[int, float]]:
        """Feature name → (column, idf as a Python float), built once: one dict lookup per feature instead of a
        membership test, an index and a numpy scalar conversion (the same float, so the same rows)."""
        if self._weights is None:
            idf = self.idf.tolist()
            self._weights = {name: (column, idf[column]) for name, column in self.columns.items()}
        return self._weights

    @classmethod
    def fit(cls, documents: Sequence[dict[str, float]], min_df: int = MIN_DOCUMENT_FREQUENCY) -> FeatureSpace:
        frequency = Counter(name for features in documents for name in features)
        names = sorted(name for name, count in frequency.items() if count >= min_df)
        n = len(documents)
        idf = numpy.array([math.log((1 + n) / (1 + frequency[name])) + 1 for name in names], dtype="float32")
        return cls({name: column for column, name in enumerate(names)}, idf)

    def transform(self, documents: Iterable[dict[str, float]]) -> csr_matrix:
        """Rows weighted by idf and L2-normalised; unknown features are dropped, an empty row stays empty."""
        weights = self.column_weights()
        indptr: list[int] = [0]
        indices: list[int] = []
        values: list[float] = []
        for features in documents:
            known = [(column_weight, value) for name, value in features.items()
                     if (column_weight := weights.get(name)) is not None]
            weighted = [value * weight for (_, weight), value in known]
            norm = math.sqrt(sum(value * value for value in weighted)) or 1.0
            indices.extend(column for (column, _), _ in known)
            values.extend(value / norm for value in weighted)
            indptr.append(len(indices))
        shape = (len(indptr) - 1, len(self.columns))
        return csr_matrix((numpy.asarray(values, "float32"), indices, indptr), shape=shape)


@dataclass
class LinearMember:
    """softmax((X @ W + b) / temperature), with W stored as int8 and a scale per division."""

    name: str
    weights: numpy.ndarray  # (features, labels) int8
    scale: numpy.ndarray  # (labels,) float32
    bias: numpy.ndarray  # (labels,) float32
    temperature: float = 1.0
    _dense: numpy.ndarray | None = None

    @classmethod
    def quantised(cls, name: str, coefficients: numpy.ndarray, bias: Any, temperature: float = 1.0) -> LinearMember:
        """From a (labels, features) float matrix, as scikit-learn's ``coef_``."""
        matrix = numpy.asarray(coefficients, dtype="float64").T
        # A constant added to one feature's weight in every division shifts all scores alike and leaves the softmax
        # unchanged: centring each row first spends the int8 range on the differences between divisions.
        matrix = matrix - matrix.mean(axis=1, keepdims=True)
        scale = numpy.abs(matrix).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        weights = numpy.rint(matrix / scale).astype("int8")
        bias_array = numpy.broadcast_to(numpy.asarray(bias, dtype="float32"), scale.shape).copy()
        return cls(name, weights, scale.astype("float32"), bias_array, temperature)

    def probabilities(self, features: csr_matrix) -> numpy.ndarray:
        if self._dense is None:  # float32 once per process: sparse @ int8 would be converted on every call
            # C order: the weights are stored transposed (Fortran order), and scipy's sparse @ dense would copy a
            # Fortran-ordered matrix on every call (most of the classification time before this).
            self._dense = numpy.ascontiguousarray(self.weights.astype("float32") * self.scale)
        scores = (features @ self._dense + self.bias) / self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        exp = numpy.exp(scores)
        return numpy.asarray(exp / exp.sum(axis=1, keepdims=True))


@dataclass
class LinearEnsemble:
    """Members averaged with equal weights. The group head (CPV groups) shares the division head's FeatureSpace."""

    labels: list[str]
    space: FeatureSpace
    members: list[LinearMember]

    def probabilities(self, documents: Sequence[dict[str, float]]) -> numpy.ndarray:
        return self.probabilities_of(self.space.transform(documents))

    def probabilities_of(self, features: csr_matrix) -> numpy.ndarray:
        """From rows already transformed by ``space`` (so that two heads transform each Doc once)."""
        return numpy.mean([member.probabilities(features) for member in self.members], axis=0)

    def to_arrays(self, with_idf: bool = True) -> dict[str, numpy.ndarray]:
        arrays: dict[str, numpy.ndarray] = {"idf": self.space.idf} if with_idf else {}
        for member in self.members:
            arrays[f"{member.name}.weights"] = member.weights
            arrays[f"{member.name}.scale"] = member.scale
            arrays[f"{member.name}.bias"] = member.bias
            arrays[f"{member.name}.temperature"] = numpy.array([member.temperature], dtype="float32")
        return arrays

    @classmethod
    def from_arrays(cls, labels: list[str], names: list[str], members: list[str], arrays: Any) -> LinearEnsemble:
        space = FeatureSpace({name: column for column, name in enumerate(names)}, arrays["idf"])
        return cls.with_space(labels, space, members, arrays)

    @classmethod
    def with_space(cls, labels: list[str], space: FeatureSpace, members: list[str], arrays: Any) -> LinearEnsemble:
        loaded = [
            LinearMember(
                name,
                arrays[f"{name}.weights"],
                arrays[f"{name}.scale"],
                arrays[f"{name}.bias"],
                float(arrays[f"{name}.temperature"][0]),
            )
            for name in members
        ]
        return cls(labels, space, loaded)
