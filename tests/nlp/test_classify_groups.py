"""CPV groups (three digits) beside the divisions: labels, the group head in the pipeline, and its consumers."""

from __future__ import annotations

import io
import json

import numpy
import pytest

from cli.classify import classify_stream
from nlp.classify import CpvClassifier, DivisionScore, classify_tender, code_prior, combined_group_scores, suggest_cpv
from nlp.data import Example, cpv_group, cpv_label_examples, frequent_groups, group_label
from nlp.evaluate import score_groups
from nlp.features import doc_features
from nlp.fit import fit_ensemble, fit_group_head
from nlp.normalise import normalise_title
from nlp.pipeline import GROUPS_KEY, load_pipeline
from nlp.train import build_untrained
from tenders.model import Tender

DIVISIONS = ("03", "15", "45", "90")
MODELLED = {"155", "452", "906"}


def test_group_of_a_code_and_the_fallback_to_its_division():
    assert cpv_group("45233140") == "452" and cpv_group("45000000") is None and cpv_group("") is None
    assert group_label("45233140", {"452"}) == "452"
    assert group_label("45111000", {"452"}) == "45"  # a rare group falls back to its division
    assert group_label("45000000", {"452"}) == "45"


def test_only_groups_with_enough_real_titles_are_modelled():
    titles = [Example("Asfalt", "45", cpv="45233140")] * 3 + [Example("Rivning", "45", cpv="45111000")] * 2
    labels = [Example(f"etikett {i}", "45", source="cpv-label", cpv="45111000") for i in range(10)]
    assert frequent_groups(titles + labels, min_titles=3) == {"452"}


@pytest.fixture(scope="module")
def small_pipeline():
    """Division and group heads fitted on the real CPV labels of four divisions, with the pipeline's features."""
    examples = [e for e in cpv_label_examples() if e.division in DIVISIONS]
    nlp = build_untrained(examples)
    documents = [doc_features(doc) for doc in nlp.pipe([e.text for e in examples], disable=["cpv_ensemble"])]
    weights = numpy.ones(len(examples))
    divisions = fit_ensemble(documents, [e.division for e in examples], weights, seed=1)
    group_labels = [group_label(e.cpv, MODELLED) for e in examples]
    groups = fit_group_head(divisions.space, documents, group_labels, weights, seed=1)
    return nlp, divisions, groups


def test_group_head_saves_loads_and_fills_user_data(small_pipeline, tmp_path):
    nlp, divisions, groups = small_pipeline
    assert groups.labels == sorted([*DIVISIONS, *MODELLED]) and [m.name for m in groups.members] == ["svm", "bayes"]
    nlp.get_pipe("cpv_ensemble").initialize(ensemble=divisions, groups=groups)
    nlp.to_disk(tmp_path / "model")
    loaded = load_pipeline(tmp_path / "model")
    doc = loaded("Snöröjning och sandning")
    assert set(doc.user_data[GROUPS_KEY]) == set(groups.labels)
    assert abs(sum(doc.user_data[GROUPS_KEY].values()) - 1) < 1e-5
    assert doc.user_data[GROUPS_KEY] == nlp("Snöröjning och sandning").user_data[GROUPS_KEY]
    scores = CpvClassifier(loaded).analyse("Snöröjning och sandning", top=3)
    assert scores.groups[0].code == "906" and all(g.is_group for g in scores.groups)


def test_model_without_group_head_still_classifies(small_pipeline, tmp_path):
    nlp, divisions, _ = small_pipeline
    nlp.get_pipe("cpv_ensemble").initialize(ensemble=divisions)
    nlp.to_disk(tmp_path / "old")
    classifier = CpvClassifier(load_pipeline(tmp_path / "old"))
    scores = classifier.analyse("Asfaltering av gator")
    assert classifier.group_labels == () and scores.groups == [] and scores.divisions[0].code == "45"
    assert suggest_cpv("Asfaltering av gator", classifier)  # division-only suggestions still work


def test_shipped_model_ranks_groups_best_first(cpv_classifier):
    modelled = [label for label in cpv_classifier.group_labels if len(label) == 3]
    assert len(modelled) >= 40  # groups with at least 30 titles in UHM 2021
    scores = cpv_classifier.analyse("Snöröjning och sandning av kommunala vägar", top=3)
    assert len(scores.groups) == 3 and all(g.is_group for g in scores.groups)
    assert scores.groups[0].score >= scores.groups[1].score >= scores.groups[2].score
    assert "906" in [g.code for g in scores.groups]  # 90620000 Snöröjning
    assert cpv_classifier.analyse("Asfaltering av gator och vägar").groups[0].code == "452"


def test_tender_groups_put_the_buyers_group_first(cpv_classifier):
    given = classify_tender(Tender(notice_id="t1", title={"swe": "Revisionstjänster"}, main_cpv="79212000"),
                            cpv_classifier)
    assert given.groups[0].code == "792" and given.groups[0].score == 1.0
    missing = classify_tender(Tender(notice_id="t2", title={"swe": "Asfaltering av gator"}), cpv_classifier)
    assert missing.groups and missing.groups[0].code == "452"


def test_cli_adds_groups_beside_divisions(cpv_classifier):
    out = io.StringIO()
    classify_stream(iter(['{"id": 1, "title": "Asfaltering av gator"}\n', "{broken\n"]), out, cpv_classifier)
    first, broken = [json.loads(line) for line in out.getvalue().splitlines()]
    assert first["divisions"][0]["code"] == "45" and first["groups"][0]["code"] == "452"
    assert all(len(g["code"]) == 3 for g in first["groups"]) and "groups" in broken and "error" in broken


def test_code_prior_uses_the_group_or_the_division_fallback():
    division = DivisionScore("45", 0.6)
    classes = {"452": 0.5, "45": 0.1, "90": 0.4}
    assert code_prior("45233140", division, classes) == pytest.approx(0.55)
    assert code_prior("45111000", division, classes) == pytest.approx(0.35)  # 451 not modelled: fallback class
    assert code_prior("45111000", division, {}) == 0.6


def test_group_scores_count_fallback_and_modelled_titles():
    examples = [Example(t, c[:2], cpv=c) for t, c in (("a", "45233140"), ("b", "45111000"), ("c", "90620000"))]

    def rank(texts: list[str]) -> list[list[str]]:
        return [["452", "45"], ["452", "45"], ["90", "906"]]

    result = score_groups(rank, examples, {"452", "906"})
    assert result["n"] == 3 and result["top1"] == pytest.approx(1 / 3, abs=1e-3) and result["top3"] == 1.0
    assert result["modelled"] == {"n": 2, "top1": 0.5, "top3": 1.0}


def test_group_scores_lean_on_the_division_head():
    group_head = {"452": 0.4, "45": 0.1, "906": 0.3, "90": 0.2}
    combined = combined_group_scores(group_head, {"45": 0.2, "90": 0.8})
    assert sum(combined.values()) == pytest.approx(1.0)
    assert max(combined, key=combined.__getitem__) == "906"  # the division head's 90 outweighs the group head's 452
    assert combined["452"] / combined["45"] == pytest.approx(4.0)  # the order within a division is the group head's
    assert combined_group_scores({}, {"45": 1.0}) == {}


def test_title_normalisation_strips_procedure_words_and_references():
    # Measured and not shipped (bench/classify_variants.py): kept correct for that comparison.
    assert normalise_title("Ramavtal avseende städtjänster, Dnr 2021/123") == "städtjänster"
    assert normalise_title("21609 - Balkongrenovering, #12104") == "Balkongrenovering"
    assert normalise_title("Avtalstjänster") == "Avtalstjänster" and normalise_title("Upphandling") == "Upphandling"
