"""A realistic mix of company profiles and notices, from real UHM 2021 data, for the matching benchmark and tests.

Profiles start from a real winning supplier (its SNI code and size), in these shares:

- 55 %: SNI code + size only, as a company starts (with the default notice kinds: competition, prior
  information, consultation);
- 18 %: the same + one Dalarna municipality (1 in 4: the county, NUTS SE312);
- 5 %: two SNI codes (the second from another supplier), a third of them with a municipality;
- 20 %: chosen interests: 1–2 CPV prefixes (3–5 digits) from real wins in the supplier's SNI division and 1–2
  keywords from those wins' titles (1 in 10 a two-word phrase); 40 % with a municipality, 15 % a negative
  keyword, 10 % a value ceiling, 5 % competitions only;
- 2 %: a municipality only.

Notices are real procurements (title, main CPV, buyer): 40 % placed in Dalarna (half of them with a Dalarna
municipality as buyer), the rest in another Swedish county; 85 % competitions, 10 % prior information, 5 %
consultations; the contracted value where UHM has one; 2–5 lots where the procurement had lots.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from matcher.match import MatchNotice, MatchProfile
from profiles.model import DEFAULT_KINDS
from profiles.terms import STOPWORDS
from tenders.codelists import dalarna_municipalities, nuts_labels
from tenders.stats.uhm_records import Procurement, Win, read_contracted_values, read_procurements, read_wins

DEFAULT = [k.value for k in DEFAULT_KINDS]
_WORD = re.compile(r"[a-zåäöé]{4,}")


@dataclass(frozen=True)
class Source:
    wins: list[Win]
    procurements: list[Procurement]
    values: dict[str, float]
    by_division: dict[str, list[Win]]
    municipalities: list[str]
    other_counties: list[str]


@cache
def source() -> Source:
    wins = read_wins()
    by_division: dict[str, list[Win]] = defaultdict(list)
    for win in wins:
        by_division[win.sni[:2]].append(win)
    counties = sorted(code for code in nuts_labels() if len(code) == 5 and code.startswith("SE")
                      and code not in ("SE312", "SEZZZ"))
    return Source(wins, read_procurements(), read_contracted_values(), dict(by_division),
                  [m.name for m in dalarna_municipalities().values()], counties)


def _title_words(wins: list[Win], rng: random.Random, count: int) -> list[str]:
    words: list[str] = []
    for _ in range(20):
        title_words = [w for w in _WORD.findall(rng.choice(wins).title.casefold()) if w not in STOPWORDS]
        if title_words:
            words.append(rng.choice(title_words))
        if len(set(words)) >= count:
            break
    return list(dict.fromkeys(words))


def _place(rng: random.Random, src: Source) -> dict[str, list[str]]:
    return {"nuts": ["SE312"]} if rng.random() < 0.25 else {"municipalities": [rng.choice(src.municipalities)]}


def _chosen(pid: str, win: Win, rng: random.Random, src: Source) -> MatchProfile:
    trade = src.by_division[win.sni[:2]]
    cpvs = [w.main_cpv for w in rng.sample(trade, min(len(trade), 2)) if w.main_cpv][: rng.choice([1, 2])]
    keywords = _title_words(trade, rng, rng.choice([1, 2]))
    if rng.random() < 0.1 and len(keywords) >= 1:
        keywords[0] = " ".join([keywords[0], *_title_words(trade, rng, 1)])
    fields: dict[str, object] = {"cpv": [c[: rng.choice([3, 4, 5])] for c in cpvs], "keywords": keywords,
                                 "company_size": win.size, "notice_kinds": DEFAULT}
    if rng.random() < 0.4:
        fields.update(_place(rng, src))
    if rng.random() < 0.15:
        fields["negative_keywords"] = _title_words(src.wins, rng, 1)
    if rng.random() < 0.1:
        fields["value_max_sek"] = rng.choice([2e6, 10e6, 50e6])
    if rng.random() < 0.05:
        fields["notice_kinds"] = ["competition"]
    return MatchProfile(id=pid, **fields)


def make_profile(pid: str, rng: random.Random, src: Source) -> MatchProfile:
    win, roll = rng.choice(src.wins), rng.random()
    if roll < 0.55:
        return MatchProfile(id=pid, sni=[win.sni], company_size=win.size, notice_kinds=DEFAULT)
    if roll < 0.73:
        return MatchProfile(id=pid, sni=[win.sni], company_size=win.size, notice_kinds=DEFAULT, **_place(rng, src))
    if roll < 0.78:
        place = _place(rng, src) if rng.random() < 0.33 else {}
        return MatchProfile(id=pid, sni=[win.sni, rng.choice(src.wins).sni], company_size=win.size,
                            notice_kinds=DEFAULT, **place)
    if roll < 0.98:
        return _chosen(pid, win, rng, src)
    return MatchProfile(id=pid, municipalities=[rng.choice(src.municipalities)], notice_kinds=DEFAULT)


def make_profiles(count: int, rng: random.Random) -> list[MatchProfile]:
    src = source()
    return [make_profile(f"p{i}", rng, src) for i in range(count)]


def make_notice(procurement: Procurement, rng: random.Random, src: Source) -> MatchNotice:
    buyer_name, nuts = procurement.buyer_name, [rng.choice(src.other_counties)]
    if rng.random() < 0.4:
        nuts = ["SE312"]
        if rng.random() < 0.5:
            buyer_name = f"{rng.choice(src.municipalities)} kommun"
    kind = rng.choices(["competition", "planning", "consultation"], [85, 10, 5])[0]
    return MatchNotice(
        id=procurement.id, title=procurement.title, cpv=[procurement.main_cpv] if procurement.main_cpv else [],
        buyer_name=buyer_name, buyer_orgnr=None if buyer_name != procurement.buyer_name else procurement.buyer_orgnr,
        nuts=nuts, estimated_value_sek=src.values.get(procurement.id), kind=kind,
        lots=rng.randint(2, 5) if procurement.has_lots else None,
    )


def make_notices(count: int, rng: random.Random) -> list[MatchNotice]:
    src = source()
    return [make_notice(p, rng, src) for p in rng.sample(src.procurements, count)]
