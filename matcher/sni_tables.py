"""Counts of wins by supplier SNI code × notice CPV and × title term, with the SNI and CPV hierarchies rolled up.

The shipped tables (``matcher/data``, built by ``matcher/build_tables.py``) hold the finest counts: one row per
(SNI 5-digit code with its leading zero, company size, main CPV code) and per (SNI code, size, title term). Loading
rolls them up to every SNI level (2–5 digits, + size) and every CPV prefix, which is what the scorer backs off over.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from profiles.terms import title_terms
from tenders.sni import normalise_sni

DATA_DIR = Path(__file__).parent / "data"
CPV_FILE = "sni_cpv_wins.csv"
TERM_FILE = "sni_title_terms.csv.gz"
PARAMS_FILE = "sni_model.json"
CPV_DEPTH = 5  # finest CPV level scored: the category (5 significant digits); deeper codes share its counts
STOP = "$"  # a path that ends above CPV_DEPTH: "45000000" is "division 45, nothing more specific"
ROOT = ""  # the key (all suppliers) and the cell (all notices) at the top of both hierarchies
Counts = dict[str, dict[str, float]]  # cell or term → SNI key → count


class WinLike(Protocol):
    @property
    def sni(self) -> str: ...
    @property
    def size(self) -> str | None: ...
    @property
    def main_cpv(self) -> str | None: ...
    @property
    def title(self) -> str: ...


def cpv_path(code: str) -> tuple[str, ...]:
    """'45261210' → ('45', '452', '4526', '45261'); '45200000' → ('45', '452', '452$')."""
    significant = code.rstrip("0")
    significant = significant if len(significant) >= 2 else code[:2]
    path = [significant[:2]]
    for length in range(3, CPV_DEPTH + 1):
        if len(significant) < length:
            path.append(path[-1] + STOP)
            break
        path.append(significant[:length])
    return tuple(path)


@lru_cache(maxsize=65_536)  # a few thousand (code, size) units, each looked up for every table row it has
def sni_keys(sni: str, size: str | None) -> tuple[str, ...]:
    """'43210', 'small' → ('', '43', '432', '4321', '43210', '43210|small'): from all suppliers to this one.

    '2200' is read as '02200' (``tenders.sni``): without its zero, Drivning would sit in division 22 (plastics)."""
    digits = normalise_sni(sni) or sni.strip()
    keys = [ROOT, *(digits[:n] for n in range(2, min(len(digits), 5) + 1))]
    if size:
        keys.append(f"{digits}|{size}")
    return tuple(keys)


@dataclass
class SniTables:
    cpv: Counts = field(default_factory=dict)  # cell → key → wins; cell ROOT holds each key's total
    terms: Counts = field(default_factory=dict)  # term → key → titles; term ROOT holds each key's total terms
    params: dict[str, float] = field(default_factory=dict)

    def add_cpv(self, sni: str, size: str | None, code: str, wins: float) -> None:
        parents = (ROOT, *cpv_path(code))
        for key in sni_keys(sni, size):
            for cell in parents:
                row = self.cpv.setdefault(cell, {})
                row[key] = row.get(key, 0.0) + wins

    def add_term(self, sni: str, size: str | None, term: str, count: float) -> None:
        for key in sni_keys(sni, size):
            for cell in (ROOT, term):
                row = self.terms.setdefault(cell, {})
                row[key] = row.get(key, 0.0) + count

    @classmethod
    def from_wins(cls, wins: Iterable[WinLike], params: dict[str, float] | None = None) -> SniTables:
        tables = cls(params=dict(params or {}))
        cpv_rows, term_rows = finest_counts(wins)
        for (sni, size, code), n in cpv_rows.items():
            tables.add_cpv(sni, size, code, n)
        for (sni, size, term), n in term_rows.items():
            tables.add_term(sni, size, term, n)
        return tables

    @classmethod
    def load(cls, directory: Path = DATA_DIR) -> SniTables:
        tables = cls(params=load_params(directory))
        with (directory / CPV_FILE).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                tables.add_cpv(row["sni"], row["size"] or None, row["cpv"], float(row["wins"]))
        with gzip.open(directory / TERM_FILE, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                tables.add_term(row["sni"], row["size"] or None, row["term"], float(row["count"]))
        return tables


def load_params(directory: Path = DATA_DIR) -> dict[str, float]:
    """The calibrated parameters shipped beside the tables ({} before the first build)."""
    path = directory / PARAMS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


FinestCpv = dict[tuple[str, str | None, str], float]
FinestTerms = dict[tuple[str, str | None, str], float]


def finest_counts(wins: Iterable[WinLike]) -> tuple[FinestCpv, FinestTerms]:
    cpv_rows: FinestCpv = defaultdict(float)
    term_rows: FinestTerms = defaultdict(float)
    for win in wins:
        if win.main_cpv:
            cpv_rows[(win.sni, win.size, win.main_cpv)] += 1
        for term in title_terms(win.title):
            term_rows[(win.sni, win.size, term)] += 1
    return cpv_rows, term_rows


def write_tables(wins: Iterable[WinLike], params: dict[str, float], directory: Path = DATA_DIR) -> None:
    cpv_rows, term_rows = finest_counts(wins)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / CPV_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["sni", "size", "cpv", "wins"])
        writer.writerows([sni, size or "", code, int(n)] for (sni, size, code), n in sorted(cpv_rows.items(), key=str))
    # mtime=0: the same data gives the same bytes, so a rebuild shows no diff
    with gzip.GzipFile(directory / TERM_FILE, "wb", mtime=0) as raw:
        lines = ["sni,size,term,count"]
        lines += [f"{sni},{size or ''},{term},{int(n)}" for (sni, size, term), n in sorted(term_rows.items(), key=str)]
        raw.write(("\n".join(lines) + "\n").encode("utf-8"))
    (directory / PARAMS_FILE).write_text(json.dumps(params, indent=2, sort_keys=True) + "\n", encoding="utf-8")
