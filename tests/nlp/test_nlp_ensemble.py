"""The linear ensemble behind the cpv_ensemble component: features, int8 weights, saving and loading."""

from __future__ import annotations

import numpy
import pytest

from nlp.data import cpv_label_examples
from nlp.ensemble import FeatureSpace, LinearEnsemble, LinearMember
from nlp.features import doc_features
from nlp.fit import fit_ensemble
from nlp.pipeline import load_pipeline
from nlp.train import build_untrained

DIVISIONS = ("03", "15", "45", "90")


@pytest.fixture(scope="module")
def small_ensemble():
    """Fitted on the real Swedish CPV labels of four divisions (a few seconds), with the pipeline's features."""
    examples = [e for e in cpv_label_examples() if e.division in DIVISIONS]
    nlp = build_untrained(examples)
    documents = [doc_features(doc) for doc in nlp.pipe([e.text for e in examples], disable=["cpv_ensemble"])]
    ensemble = fit_ensemble(documents, [e.division for e in examples], numpy.ones(len(examples)), seed=1)
    return nlp, ensemble


def test_feature_space_drops_unknown_features_and_normalises_rows():
    space = FeatureSpace.fit([{"w=snö": 1.0, "w=röjning": 1.0}, {"w=snö": 1.0}, {"w=grus": 1.0}], min_df=1)
    rows = space.transform([{"w=snö": 1.0, "w=okänd": 5.0}, {"w=okänd": 1.0}, {}])
    assert rows.shape == (3, 3)
    assert numpy.isclose(numpy.linalg.norm(rows[0].toarray()), 1.0)
    assert rows[1].nnz == 0 and rows[2].nnz == 0
    # "grus" is rarer than "snö", so it weighs more in a title holding both.
    both = space.transform([{"w=snö": 1.0, "w=grus": 1.0}]).toarray()[0]
    assert both[space.columns["w=grus"]] > both[space.columns["w=snö"]]


def test_min_document_frequency_prunes_one_off_features():
    space = FeatureSpace.fit([{"a": 1.0, "b": 1.0}, {"a": 1.0}], min_df=2)
    assert list(space.columns) == ["a"]


def test_int8_weights_give_the_probabilities_of_the_float_model():
    rng = numpy.random.default_rng(7)
    coefficients, bias = rng.normal(size=(5, 200)), rng.normal(size=5)
    features = FeatureSpace({str(i): i for i in range(200)}, numpy.ones(200, "float32")).transform(
        [{str(j): float(rng.random()) for j in rng.choice(200, 12)} for _ in range(50)]
    )
    member = LinearMember.quantised("m", coefficients, bias, temperature=0.5)
    assert member.weights.dtype == numpy.int8
    exact = numpy.exp((features @ coefficients.T + bias) / 0.5)
    exact /= exact.sum(axis=1, keepdims=True)
    assert numpy.abs(member.probabilities(features) - exact).max() < 0.02


def test_fitted_ensemble_separates_divisions(small_ensemble):
    nlp, ensemble = small_ensemble
    assert ensemble.labels == sorted(DIVISIONS)
    assert [m.name for m in ensemble.members] == ["svm", "bayes", "logistic"]
    texts = ["Asfaltering av vägar och byggentreprenad", "Snöröjning och sophämtning", "Livsmedel: mejeriprodukter"]
    probabilities = ensemble.probabilities([_features(nlp, text) for text in texts])
    assert numpy.allclose(probabilities.sum(axis=1), 1.0)
    best = [ensemble.labels[i] for i in probabilities.argmax(axis=1)]
    assert best == ["45", "90", "15"]


def test_arrays_round_trip_keeps_every_score(small_ensemble):
    nlp, ensemble = small_ensemble
    names = sorted(ensemble.space.columns, key=ensemble.space.columns.__getitem__)
    copy = LinearEnsemble.from_arrays(ensemble.labels, names, [m.name for m in ensemble.members], ensemble.to_arrays())
    documents = [_features(nlp, "Ramavtal för målning och byggservice")]
    assert numpy.array_equal(copy.probabilities(documents), ensemble.probabilities(documents))


def test_component_saves_loads_and_sets_cats(small_ensemble, tmp_path):
    nlp, ensemble = small_ensemble
    with pytest.raises(ValueError, match="not trained"):
        nlp("Snöröjning")
    nlp.get_pipe("cpv_ensemble").initialize(ensemble=ensemble)
    nlp.to_disk(tmp_path / "model")
    loaded = load_pipeline(tmp_path / "model")
    docs = list(loaded.pipe(["Snöröjning", "", "x" * 10_000]))
    assert max(docs[0].cats, key=docs[0].cats.__getitem__) == "90"
    assert all(set(doc.cats) == set(DIVISIONS) and abs(sum(doc.cats.values()) - 1) < 1e-5 for doc in docs)
    assert docs[0].cats == nlp("Snöröjning").cats


def _features(nlp, text: str) -> dict[str, float]:
    return doc_features(nlp(text, disable=["cpv_ensemble"]))
