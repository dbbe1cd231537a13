"""The spaCy pipeline: lemma corrections from the data file, compound parts on tokens, the trained components."""

from __future__ import annotations

from nlp.pipeline import domain_lemma_lookups, read_lemma_corrections


def test_corrections_file_overrides_the_generic_lemma_table():
    corrections = read_lemma_corrections()
    assert corrections["väg"] == "väg" and corrections["underhåll"] == "underhåll"
    table = domain_lemma_lookups({"väg", "underhåll", "tjänst"}).get_table("lemma_lookup")
    assert table.get("väg") == "väg"  # spacy-lookups-data says "väga" (to weigh)
    assert table.get("vägar") == "väg"
    assert table.get("tjänster") == "tjänst"  # uncorrected entries still come from spacy-lookups-data


def test_pruned_table_keeps_only_forms_of_the_vocabulary():
    table = domain_lemma_lookups({"konsult"}).get_table("lemma_lookup")
    assert table.get("konsulter") == "konsult"
    assert table.get("hästarna") is None


def test_trained_pipeline_lemmatises_and_splits(cpv_classifier):
    doc = cpv_classifier.nlp("VINTERVÄGHÅLLNING och städtjänster för vägar")
    assert doc[0]._.parts == ("vint", "väghållning", "väg", "hållning")  # tenders.text's part stems (issue #11)
    assert doc[2]._.parts == ("städ", "tjänst")
    assert [t.lemma_ for t in doc][3:] == ["för", "väg"]
    assert cpv_classifier.nlp.pipe_names == ["swedish_lemmatizer", "compound_splitter", "cpv_ensemble"]
