"""A notice prepared once for matching: folded text, title terms, words, and where it is carried out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matcher.match.model import MatchNotice
from profiles.terms import title_terms
from tenders.codelists import dalarna_buyers, dalarna_municipalities, municipality_code

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PreparedNotice:
    notice: MatchNotice
    text: str  # title and description, case-folded
    words: frozenset[str]
    terms: tuple[str, ...]  # title stems, as the SNI tables count them
    municipality: str | None  # SCB kommunkod of the buyer (Dalarna), if known
    nuts: tuple[str, ...]


def prepare(notice: MatchNotice) -> PreparedNotice:
    text = f"{notice.title}\n{notice.description}".casefold()
    return PreparedNotice(
        notice=notice, text=text, words=frozenset(_WORD.findall(text)), terms=tuple(title_terms(notice.title)),
        municipality=buyer_municipality(notice.buyer_name, notice.buyer_orgnr), nuts=tuple(notice.nuts),
    )


@lru_cache(maxsize=65_536)  # buyers repeat from notice to notice; the name search is slow
def buyer_municipality(buyer_name: str | None, buyer_orgnr: str | None) -> str | None:
    """Dalarna kommunkod of a buyer: by org.nr among known buyers, else from a name like "Mora kommun"."""
    known_name = dalarna_buyers().get(buyer_orgnr or "")
    return municipality_code(buyer_name=known_name or buyer_name) if (known_name or buyer_name) else None


def municipality_code_of(value: str) -> str | None:
    """A profile's municipality as given ("2062", "Mora", "mora kommun") → kommunkod, if in Dalarna."""
    text = value.strip().casefold().removesuffix(" kommun")
    if text in dalarna_municipalities():
        return text
    # The code lists know names, genitives ("Falu") and larger localities ("Sälen"); one place for all of them.
    return municipality_code(city=text) or municipality_code(city=text.removesuffix("s"))
