"""Moved to :mod:`tenders.text`, the one Swedish analysis of the index backends, the matcher and the classifier's
bounds; these names stay importable from here for the benchmarks."""

from tenders.text import compound_parts, stem, stems, text_stems, tokens, word_part_stems

__all__ = ["compound_parts", "stem", "stems", "text_stems", "tokens", "word_part_stems"]
