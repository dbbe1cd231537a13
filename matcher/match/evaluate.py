"""``anbudsvakt eval matcher``: winner recall and alert rate of SNI-only profiles on UHM 2021, held out by buyer
and by supplier.

Buyers are split into folds by a hash of their org.nr. For each fold the SNI tables are rebuilt from the other
folds' wins, less every win of a supplier that wins in the fold: a supplier's wins with other buyers would
otherwise tell the tables what that very supplier wins, which a new company's profile never has (it lifted
winner recall from 0.787 to 0.842 at the same threshold). The fold's procurements become notices and each of
its winning suppliers becomes a profile with nothing but its SNI code and size. Winner recall is the share of
(procurement, winner) pairs where the winner's profile is alerted; alert rate is the average share of the fold's
notices a profile receives. The naive baseline alerts a profile for the CPV divisions that cover 70 % of its SNI
division's wins.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matcher.match.index import CandidateIndex
from matcher.match.model import MatchNotice, MatchProfile
from matcher.sni import DEFAULT_PARAMS
from matcher.sni_tables import SniTables, load_params
from profiles.terms import title_terms
from tenders.stats.uhm_records import DEFAULT_DIR, Procurement, Win, read_procurements, read_wins

BASELINE_MASS = 0.70
ANONYMOUS_SUPPLIER = "Personuppgift"  # the export's name for a sole trader whose name is personal data


def buyer_fold(orgnr: str, folds: int) -> int:
    return int(hashlib.sha256(orgnr.encode()).hexdigest(), 16) % folds


@dataclass
class Fold:
    tables: SniTables
    notices: list[MatchNotice]
    profiles: list[MatchProfile]
    pairs: list[tuple[int, int]]  # (notice index, profile index) of each win
    train_wins: list[Win]


@dataclass
class Outcome:
    recall: float
    alert_rate: float


@dataclass
class EvalReport:
    folds: int
    pairs: int
    profiles: int
    notices: int
    threshold: float
    matcher: Outcome
    baseline: Outcome
    curve: list[tuple[float, Outcome]] = field(default_factory=list)


def supplier_key(win: Win) -> str:
    """Who won: the export hides sole traders' names ("Personuppgift"), so each (SNI, size) of those is one
    supplier — the closest to an identity the data gives, rather than one supplier with every trade."""
    if win.supplier == ANONYMOUS_SUPPLIER:
        return f"{win.supplier}|{win.sni}|{win.size or ''}"
    return win.supplier


def held_out_training(wins: Sequence[Win], folds: int, fold: int) -> list[Win]:
    """The wins the fold's tables may learn from: other buyers' procurements, won by suppliers that win nothing
    in the fold."""
    tested = {supplier_key(w) for w in wins if buyer_fold(w.buyer_orgnr, folds) == fold}
    return [w for w in wins if buyer_fold(w.buyer_orgnr, folds) != fold and supplier_key(w) not in tested]


def make_folds(procurements: Sequence[Procurement], wins: Sequence[Win], folds: int,
               params: dict[str, float]) -> list[Fold]:
    made = []
    for fold in range(folds):
        train = held_out_training(wins, folds, fold)
        test_procurements = [p for p in procurements if buyer_fold(p.buyer_orgnr, folds) == fold]
        notices = [MatchNotice(id=p.id, title=p.title, cpv=[p.main_cpv] if p.main_cpv else [],
                               buyer_name=p.buyer_name, buyer_orgnr=p.buyer_orgnr) for p in test_procurements]
        notice_index = {n.id: i for i, n in enumerate(notices)}
        suppliers: dict[str, MatchProfile] = {}
        position: dict[str, int] = {}
        pairs = []
        for win in wins:
            if win.procurement_id in notice_index and buyer_fold(win.buyer_orgnr, folds) == fold:
                key = supplier_key(win)
                profile = suppliers.setdefault(key, MatchProfile(id=key, company_size=win.size))
                position.setdefault(key, len(position))
                if win.sni not in profile.sni:
                    profile.sni.append(win.sni)
                pairs.append((notice_index[win.procurement_id], position[key]))
        made.append(Fold(SniTables.from_wins(train, params), notices, list(suppliers.values()), pairs, train))
    return made


def run_matcher(fold: Fold) -> tuple[int, float]:
    """(pairs alerted, sum over profiles of alert shares) using the real candidate index."""
    index = CandidateIndex(fold.profiles, fold.tables)
    winners: dict[int, set[int]] = defaultdict(set)
    for notice_at, profile_at in fold.pairs:
        winners[notice_at].add(profile_at)
    hits, alerts = 0, 0
    for notice_at, notice in enumerate(fold.notices):
        found = index.match_notice(notice)
        alerts += len(found)
        alerted = found.profile_indexes() if winners[notice_at] else set()
        hits += len(winners[notice_at] & alerted)
    return hits, alerts / max(len(fold.notices), 1)


def score_matrix(fold: Fold) -> np.ndarray:
    """Profile × notice scores (a profile's best SNI code), for the recall/alert-rate curve."""
    index = CandidateIndex(fold.profiles, fold.tables)
    units = np.array([index.scorer.scores(n.cpv[:3], title_terms(n.title)) for n in fold.notices]).T
    rows = [list(index.unit_rows(i)) for i in range(len(fold.profiles))]
    return np.array([units[r].max(axis=0) for r in rows])


def curve(folds: Sequence[Fold], thresholds: Sequence[float]) -> list[tuple[float, Outcome]]:
    matrices = [score_matrix(f) for f in folds]
    pairs = sum(len(f.pairs) for f in folds)
    profiles = sum(len(f.profiles) for f in folds)
    points = []
    for threshold in thresholds:
        hits = sum(sum(m[p, n] >= threshold for n, p in f.pairs) for f, m in zip(folds, matrices, strict=True))
        shares = sum(float((m >= threshold).mean(axis=1).sum()) for m in matrices)
        points.append((threshold, Outcome(hits / pairs, shares / profiles)))
    return points


def threshold_for(points: Sequence[tuple[float, Outcome]], target_alert_rate: float) -> float:
    """The lowest threshold whose alert rate stays within the target."""
    within = [t for t, outcome in points if outcome.alert_rate <= target_alert_rate]
    return min(within) if within else max(t for t, _ in points)


def baseline(fold: Fold) -> tuple[int, float]:
    by_division: dict[str, Counter[str]] = defaultdict(Counter)
    for win in fold.train_wins:
        if win.main_cpv:
            by_division[win.sni[:2]][win.main_cpv[:2]] += 1
    chosen: dict[str, set[str]] = {}
    for sni_division, counts in by_division.items():
        total, covered, picked = sum(counts.values()), 0, set()
        for cpv_division, n in counts.most_common():
            if covered >= BASELINE_MASS * total:
                break
            picked.add(cpv_division)
            covered += n
        chosen[sni_division] = picked
    wanted = [set().union(*(chosen.get(s[:2], set()) for s in p.sni)) for p in fold.profiles]
    divisions = Counter(n.cpv[0][:2] for n in fold.notices if n.cpv)
    shares = sum(sum(divisions[d] for d in w) / max(len(fold.notices), 1) for w in wanted)
    hits = sum(1 for n, p in fold.pairs if fold.notices[n].cpv and fold.notices[n].cpv[0][:2] in wanted[p])
    return hits, shares


def evaluate(directory: Path = DEFAULT_DIR, folds: int = 5, threshold: float | None = None,
             thresholds: Sequence[float] = ()) -> EvalReport:
    params = {**DEFAULT_PARAMS, **load_params()}
    if threshold is not None:
        params["threshold"] = threshold
    made = make_folds(read_procurements(directory), read_wins(directory), folds, params)
    pairs, profiles = sum(len(f.pairs) for f in made), sum(len(f.profiles) for f in made)
    matched = [run_matcher(f) for f in made]
    naive = [baseline(f) for f in made]
    return EvalReport(
        folds=folds, pairs=pairs, profiles=profiles, notices=sum(len(f.notices) for f in made),
        threshold=params["threshold"],
        matcher=Outcome(sum(h for h, _ in matched) / pairs, sum(s for _, s in matched) / profiles),
        baseline=Outcome(sum(h for h, _ in naive) / pairs, sum(s for _, s in naive) / profiles),
        curve=curve(made, thresholds) if thresholds else [],
    )
