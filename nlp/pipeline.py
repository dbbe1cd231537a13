"""The Swedish spaCy pipeline: blank("sv") → lookup lemmatizer → compound splitter → CPV division + group classifier.

The classifier (``cpv_ensemble``) is spaCy's text-classification step in this pipeline: it sets ``doc.cats`` like
``textcat`` does, from a linear ensemble (ensemble.py) that beats spaCy's own bag-of-words textcat on titles from
unseen buyers (held out: 0.66 top-1 for textcat over the same features, see the README).

Importing this module registers the custom factories with spaCy (spaCy finds them by
name when it loads a saved pipeline); it creates no pipeline itself. ``build_pipeline`` makes an untrained one;
``load_pipeline`` reads a trained one from disk.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
import spacy
import spacy_lookups_data
import srsly
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from nlp.compounds import part_stems
from nlp.ensemble import LinearEnsemble
from nlp.features import MAX_CACHED_WORDS, PARTS_KEY, doc_features

LEMMA_TABLE = "lemma_lookup"
GROUPS_KEY = "cpv_groups"  # doc.user_data key of the group head's probabilities


def lemma_corrections_path() -> Path:
    return Path(str(resources.files("nlp") / "resources" / "lemma_corrections.tsv"))


def read_lemma_corrections(path: Path | None = None) -> dict[str, str]:
    """Word form → lemma where spacy-lookups-data's Swedish table is wrong for procurement texts."""
    with (path or lemma_corrections_path()).open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["form"].lower(): row["lemma"].lower() for row in rows}


def domain_lemma_lookups(vocabulary: set[str] | None = None) -> Lookups:
    """The spacy-lookups-data table, pruned to what the training vocabulary can use, with the corrections applied.

    Pruning keeps every form whose lemma (or the form itself) occurs in ``vocabulary``: an unseen inflection of a
    known word still finds its lemma, while the 660,000-entry table would cost seconds of load time for nothing.
    """
    # spaCy's Table keeps only hashes of its keys, so the pruning reads the package's JSON itself.
    full = srsly.read_gzip_json(Path(str(spacy_lookups_data.get_file("sv_lemma_lookup.json.gz"))))
    corrections = read_lemma_corrections()
    table: dict[str, str] = {}
    for form, lemma in full.items():
        if isinstance(form, str) and isinstance(lemma, str):
            form, lemma = form.lower(), lemma.lower()
            if vocabulary is None or form in vocabulary or lemma in vocabulary:
                table.setdefault(form, lemma)
    table.update(corrections)
    lookups = Lookups()
    lookups.add_table(LEMMA_TABLE, table)
    return lookups


class DomainLemmatizer(Lemmatizer):
    """spaCy's lookup lemmatizer, case-insensitive (titles are often in capitals)."""

    def lookup_lemmatize(self, token: Token) -> list[str]:
        table = self.lookups.get_table(LEMMA_TABLE)
        lower = token.lower_
        return [table.get(lower, lower)]


@Language.factory("swedish_lemmatizer", default_config={"model": None, "mode": "lookup", "overwrite": True})
def make_swedish_lemmatizer(nlp: Language, name: str, model: Any, mode: str, overwrite: bool) -> DomainLemmatizer:
    return DomainLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite)


class CompoundSplitterComponent:
    """Sets ``token._.parts``: the stems of a compound's parts by ``tenders.text`` (nlp/compounds.py), () for a
    simple word.

    Only compounds are set (the extension's default is ()), and the parts are also kept by token index in
    ``doc.user_data["compound_parts"]`` for the classifier's features: a Doc's hundreds of simple words then cost
    neither a Token object nor an extension write. Splits are remembered per word (by its hash in the vocabulary).
    The component has no state of its own: nothing is saved with the pipeline.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self._splits: dict[int, tuple[str, ...]] = {}  # lower-case word's hash → parts
        if not Token.has_extension("parts"):
            Token.set_extension("parts", default=())

    def __call__(self, doc: Doc) -> Doc:
        found: dict[int, tuple[str, ...]] = {}
        for position, word in enumerate(doc.to_array(LOWER).tolist()):
            parts = self._splits.get(word)
            if parts is None:
                if len(self._splits) > MAX_CACHED_WORDS:
                    self._splits.clear()
                parts = self._splits[word] = part_stems(self.nlp.vocab.strings[word])
            if parts:
                found[position] = parts
                doc[position]._.parts = parts
        doc.user_data[PARTS_KEY] = found
        return doc


@Language.factory("compound_splitter")
def make_compound_splitter(nlp: Language, name: str) -> CompoundSplitterComponent:
    return CompoundSplitterComponent(nlp, name)


class CpvEnsembleComponent:
    """Sets ``doc.cats``: a probability for every CPV division, from the linear ensemble over the Doc's features;
    and, when the model has a group head, ``doc.user_data["cpv_groups"]``: a probability for every modelled CPV
    group (3 digits) and for each division's fallback class (2 digits: its rarer groups and division-level codes)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.ensemble: LinearEnsemble | None = None
        self.groups: LinearEnsemble | None = None  # absent in models trained before groups existed

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.ensemble.labels) if self.ensemble else ()

    @property
    def group_labels(self) -> tuple[str, ...]:
        return tuple(self.groups.labels) if self.groups else ()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        if self.ensemble is None:
            raise ValueError("the cpv_ensemble component is not trained: run `anbudsvakt train classifier`")
        for batch in minibatch(docs, size=batch_size):
            features = self.ensemble.space.transform([doc_features(doc) for doc in batch])
            probabilities = self.ensemble.probabilities_of(features)
            group_rows = self.groups.probabilities_of(features) if self.groups else [None] * len(batch)
            for doc, row, group_row in zip(batch, probabilities, group_rows, strict=True):
                doc.cats = dict(zip(self.ensemble.labels, row.tolist(), strict=True))
                if self.groups is not None and group_row is not None:
                    doc.user_data[GROUPS_KEY] = dict(zip(self.groups.labels, group_row.tolist(), strict=True))
                yield doc

    def initialize(
        self, get_examples: Any = None, nlp: Language | None = None, ensemble: Any = None, groups: Any = None
    ) -> None:
        self.ensemble = ensemble
        self.groups = groups

    def to_disk(self, path: Path, exclude: tuple[str, ...] = ()) -> None:
        if self.ensemble is None:
            raise ValueError("nothing to save: the cpv_ensemble component is not trained")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        names = sorted(self.ensemble.space.columns, key=self.ensemble.space.columns.__getitem__)
        members = [member.name for member in self.ensemble.members]
        meta: dict[str, Any] = {"labels": self.ensemble.labels, "names": names, "members": members}
        if self.groups is not None:
            meta |= {"group_labels": self.groups.labels, "group_members": [m.name for m in self.groups.members]}
            numpy.savez_compressed(path / "groups.npz", **self.groups.to_arrays(with_idf=False))  # type: ignore[arg-type]
        srsly.write_msgpack(path / "features.msgpack", meta)
        numpy.savez_compressed(path / "weights.npz", **self.ensemble.to_arrays())  # type: ignore[arg-type]

    def from_disk(self, path: Path, exclude: tuple[str, ...] = ()) -> CpvEnsembleComponent:
        meta = srsly.read_msgpack(Path(path) / "features.msgpack")
        with numpy.load(Path(path) / "weights.npz") as arrays:
            self.ensemble = LinearEnsemble.from_arrays(meta["labels"], meta["names"], meta["members"], arrays)
        self.ensemble.space.column_weights()  # built while loading, not on the first notice
        self.groups = None
        if "group_labels" in meta:
            with numpy.load(Path(path) / "groups.npz") as arrays:
                labels, members = meta["group_labels"], meta["group_members"]
                self.groups = LinearEnsemble.with_space(labels, self.ensemble.space, members, arrays)
        return self


@Language.factory("cpv_ensemble")
def make_cpv_ensemble(nlp: Language, name: str) -> CpvEnsembleComponent:
    return CpvEnsembleComponent(nlp, name)


def build_pipeline() -> Language:
    nlp = spacy.blank("sv")
    nlp.add_pipe("swedish_lemmatizer")
    nlp.add_pipe("compound_splitter")
    nlp.add_pipe("cpv_ensemble")
    return nlp


def load_pipeline(path: Path) -> Language:
    return spacy.load(path)
