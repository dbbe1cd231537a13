"""Training and evaluation examples: real Swedish procurement titles (UHM 2021) and the Swedish CPV labels.

The held-out split is by buyer AND by time, so that evaluation looks like the service's real task (titles from
buyers the model never saw, published after everything it learnt from):

- a buyer is held out when a salted SHA-256 of its org.nr falls in the lowest ``HELD_OUT_BUYER_SHARE``;
- everything published on or after ``TIME_CUTOFF`` is held out, whoever the buyer is.

Training uses only the rows that are neither. ``held_out_buyers`` (held-out buyers, any date) is the headline
evaluation set; ``held_out_strict`` (held-out buyers after the cut-off) and ``held_out_later`` (seen buyers after the
cut-off) are reported beside it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tenders.codelists import cpv_codes
from tenders.stats.uhm import BUYER_ORGNR, MAIN_CPV, PUBLISHED, TITLE, ExportFile

DEFAULT_DATASET = Path("datasets/uhm-2021/procurements.csv.gz")
HELD_OUT_BUYER_SHARE = 0.2
SPLIT_SALT = "anbudsvakt-cpv-split-v1"
TIME_CUTOFF = "2021-11-01"
MISSING_CPV = "00000000"
# A CPV group (three digits, e.g. 452) gets its own class only with this many training titles; rarer groups and
# division-level codes (45000000) fall back to their division's class, which the group head keeps as a 2-digit label.
MIN_GROUP_TITLES = 30



@dataclass(frozen=True)
class Example:
    text: str
    division: str  # two-digit CPV division
    buyer: str = ""
    published: str = ""  # ISO date
    source: str = "uhm"  # uhm | cpv-label
    cpv: str = ""  # the full eight-digit code


@dataclass(frozen=True)
class Split:
    train: list[Example]
    held_out_buyers: list[Example]
    held_out_strict: list[Example]
    held_out_later: list[Example]


def is_held_out_buyer(orgnr: str) -> bool:
    digest = hashlib.sha256(f"{SPLIT_SALT}:{orgnr}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < HELD_OUT_BUYER_SHARE


def read_procurements(path: Path = DEFAULT_DATASET) -> list[Example]:
    """Every titled row whose main CPV is given (``00000000 Uppgift saknas`` is dropped)."""
    examples = []
    for row in ExportFile(path, (TITLE, MAIN_CPV, BUYER_ORGNR, PUBLISHED)):
        code = row.text(MAIN_CPV).split(" ")[0]
        if len(code) != 8 or code == MISSING_CPV or not code.isdigit() or not row.title:
            continue
        examples.append(Example(row.title, code[:2], row.buyer_orgnr, row.text(PUBLISHED), cpv=code))
    return examples


def split_examples(examples: Iterable[Example]) -> Split:
    train, buyers, strict, later = [], [], [], []
    for example in examples:
        unseen_buyer = is_held_out_buyer(example.buyer)
        late = example.published >= TIME_CUTOFF
        if unseen_buyer:
            buyers.append(example)
            if late:
                strict.append(example)
        elif late:
            later.append(example)
        else:
            train.append(example)
    return Split(train, buyers, strict, later)


def cpv_label_examples() -> list[Example]:
    """All 9,454 Swedish CPV labels, each an example of its division (how buyers name the things they buy)."""
    return [Example(code.label_sv, code.division, source="cpv-label", cpv=code.code) for code in cpv_codes().values()]


def cpv_group(code: str) -> str | None:
    """The three-digit CPV group of a code; None for a division-level code such as 45000000."""
    return code[:3] if len(code) >= 3 and code[:3].isdigit() and code[2] != "0" else None


def frequent_groups(examples: Iterable[Example], min_titles: int = MIN_GROUP_TITLES) -> set[str]:
    """The groups with at least ``min_titles`` real titles (CPV label texts do not count: every group has some)."""
    counts = Counter(cpv_group(e.cpv) for e in examples if e.source == "uhm")
    return {group for group, n in counts.items() if group and n >= min_titles}


def group_label(code: str, groups: set[str]) -> str:
    """The group head's class for a code: its group when the group is modelled, else its division."""
    group = cpv_group(code)
    return group if group in groups else code[:2]
