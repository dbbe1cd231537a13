"""A notice prepared once for matching: its analysed text, title terms, and where it is carried out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from matcher.match.model import MatchNotice
from profiles.terms import title_terms
from tenders.codelists import dalarna_buyers, dalarna_municipalities, municipality_code
from tenders.text import AnalysedText, analyse


@dataclass(frozen=True)
class PreparedNotice:
    notice: MatchNotice
    analysed: AnalysedText  # title and description as the index analyses them (tenders.text): the keyword rule's input
    terms: tuple[str, ...]  # title stems, as the SNI tables count them
    municipality: str | None  # SCB kommunkod of the buyer (Dalarna), if known
    nuts: tuple[str, ...]

    @property
    def text(self) -> str:
        """Title and description, case-folded (within the analysis' bounds)."""
        return self.analysed.text

    @property
    def words(self) -> frozenset[str]:
        return self.analysed.word_set


def prepare(notice: MatchNotice) -> PreparedNotice:
    return PreparedNotice(
        notice=notice, analysed=analyse(notice.title or "", notice.description or ""),
        terms=tuple(title_terms(notice.title)),
        municipality=notice_municipality(notice), nuts=tuple(notice.nuts),
    )


def notice_municipality(notice: MatchNotice) -> str | None:
    """The buyer's Dalarna kommunkod: the one the notice itself carries (as search filters on it), else the one the
    buyer's org.nr or name gives. Without the first, a company that chose Mora was alerted about a Ludvika buyer's
    notice as "Utförs i Dalarnas län" although search put it under Ludvika."""
    municipalities = dalarna_municipalities()
    own = next((code for code in notice.municipalities if code in municipalities), None)
    return own or buyer_municipality(notice.buyer_name, notice.buyer_orgnr)


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
