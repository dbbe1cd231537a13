"""A company's verdicts ("relevant" / "inte relevant") applied after scoring. Pure: no I/O, no clock.

A verdict is about a procurement, whichever of its notices the company saw, so verdicts are keyed by tender id.
What a rejected procurement teaches is its CPV group (the first three digits: "452" building works) and its
buyer: a match sharing them is multiplied down, one that shares both twice as hard. A procurement the company
itself rejected is dropped outright. A "relevant" verdict on the same group or buyer cancels the penalty: the
company has told us that kind of notice is wanted, so one rejection of it must not bury the others. A procurement
the company follows is never down-ranked (it chose it). Down-ranking changes the order, never the reasons: the
reasons say why a notice fits, so "liknar annonser ni markerat som inte relevanta" is not one of them.

The matcher applies :func:`down_rank` to its ``Match`` list; the web app's "mina bevakningar" does the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from matcher.match.model import Match, MatchNotice
from tenders.model import Tender

GROUP_PENALTY = 0.5  # a match in a rejected CPV group keeps half its score
BUYER_PENALTY = 0.7
DROP_BELOW = 0.1  # after the penalties, a match this weak is no longer worth an alert


@dataclass(frozen=True)
class NoticeTraits:
    """What a verdict generalises over: the procurement, its CPV groups and its buyer."""

    tender_id: str
    cpv_groups: frozenset[str]
    buyer: str | None  # org.nr when known, else the case-folded name


def traits_of(notice: MatchNotice, tender_id: str | None = None) -> NoticeTraits:
    groups = frozenset(code[:3] for code in notice.cpv if len(code) >= 3)
    buyer = notice.buyer_orgnr or (notice.buyer_name.strip().casefold() if notice.buyer_name else None)
    return NoticeTraits(tender_id or notice.id, groups, buyer or None)


@dataclass(frozen=True)
class FeedbackSignals:
    rejected: frozenset[str]  # tender ids marked "inte relevant"
    penalised_groups: frozenset[str]
    penalised_buyers: frozenset[str]

    @property
    def empty(self) -> bool:
        return not (self.rejected or self.penalised_groups or self.penalised_buyers)


def feedback_signals(verdicts: Mapping[str, bool], traits: Mapping[str, NoticeTraits]) -> FeedbackSignals:
    """Signals from verdicts (tender id → relevant?) and the traits of the judged procurements (by tender id).

    A verdict whose procurement has no known traits still rejects that procurement itself."""
    rejected = frozenset(tid for tid, relevant in verdicts.items() if not relevant)
    liked = [traits[tid] for tid, relevant in verdicts.items() if relevant and tid in traits]
    disliked = [traits[tid] for tid in rejected if tid in traits]
    liked_groups = {g for t in liked for g in t.cpv_groups}
    liked_buyers = {t.buyer for t in liked if t.buyer}
    return FeedbackSignals(
        rejected=rejected,
        penalised_groups=frozenset(g for t in disliked for g in t.cpv_groups) - liked_groups,
        penalised_buyers=frozenset(t.buyer for t in disliked if t.buyer) - liked_buyers,
    )


def down_rank(matches: Sequence[Match], traits: Mapping[str, NoticeTraits], signals: FeedbackSignals,
              followed: frozenset[str] = frozenset()) -> list[Match]:
    """The matches after the company's verdicts, best first; ``traits`` is keyed by ``Match.notice_id``;
    procurements in ``followed`` (tender ids) keep their score."""
    if signals.empty:
        return sorted(matches, key=lambda m: -m.score)
    kept = []
    for match in matches:
        notice = traits.get(match.notice_id)
        if notice is None or notice.tender_id in followed:
            kept.append(match)
            continue
        if notice.tender_id in signals.rejected:
            continue
        factor = _penalty(notice, signals)
        if factor == 1.0:
            kept.append(match)
        elif match.score * factor >= DROP_BELOW:
            kept.append(replace(match, score=round(match.score * factor, 3)))
    return sorted(kept, key=lambda m: -m.score)


def _penalty(notice: NoticeTraits, signals: FeedbackSignals) -> float:
    factor = 1.0
    if notice.cpv_groups & signals.penalised_groups:
        factor *= GROUP_PENALTY
    if notice.buyer and notice.buyer in signals.penalised_buyers:
        factor *= BUYER_PENALTY
    return factor


def traits_for_verdicts(verdicts: Iterable[str], tender: Callable[[str], Tender | None]) -> dict[str, NoticeTraits]:
    """Traits of the judged procurements, looked up through ``tender`` (e.g. ``TenderStore.tender``)."""
    found = {}
    for tender_id in verdicts:
        current = tender(tender_id)
        if current is not None:
            found[tender_id] = traits_of(MatchNotice.from_tender(current), tender_id)
    return found
