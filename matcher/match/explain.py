"""Swedish reasons, one short sentence each, as the alert shows them to the company."""

from __future__ import annotations

from functools import cache, lru_cache

from tenders.codelists import cpv_label, dalarna_municipalities, nuts_labels
from tenders.sni import sni_text


def _cpv_text(code: str) -> str:
    label = cpv_label(code) or cpv_label(code.rstrip("0").ljust(8, "0")[:8])
    return f"CPV {code} {label}".strip()


@cache  # reasons are few distinct strings, written for many alerts
def cpv_interest(code: str) -> str:
    return f"{_cpv_text(code)} ingår i era intressen"


@lru_cache(maxsize=65_536)
def sni_fit(notice_cpv: str | None, sni: str) -> str:
    company = sni_text(sni)  # "SNI 02200 Avverkningsföretag", never "SNI 2200"
    if notice_cpv:
        return f"{_cpv_text(notice_cpv)} vinns ofta av företag med {company}"
    return f"Annonsen liknar upphandlingar som vinns av företag med {company}"


def title_words(words: list[str]) -> str:
    return f"Rubriken nämner {', '.join(words)} – vanligt i upphandlingar som er bransch vinner"


@lru_cache(maxsize=65_536)
def keyword(word: str) -> str:
    return f"Nyckelordet ”{word}” finns i annonsen"


# The official names: "Falu kommun", "Leksands kommun", but "Mora kommun".
_KOMMUN_NAMES = {"Falun": "Falu", "Malung-Sälen": "Malung-Sälens", "Gagnef": "Gagnefs", "Leksand": "Leksands",
                 "Rättvik": "Rättviks", "Älvdalen": "Älvdalens", "Smedjebacken": "Smedjebackens", "Säter": "Säters"}


def official_name(municipality: str) -> str:
    return f"{_KOMMUN_NAMES.get(municipality, municipality)} kommun"


@cache
def place(municipality: str | None, nuts: str | None) -> str:
    if municipality and municipality in dalarna_municipalities():
        return f"Utförs i {official_name(dalarna_municipalities()[municipality].name)}"
    label = nuts_labels().get(nuts or "", nuts or "")
    return f"Utförs i {label}"


@cache
def size_fit(fits: bool) -> str:
    if fits:
        return "Värdet passar ett företag av er storlek"
    return "Värdet är stort för ett företag av er storlek – lämna anbud tillsammans med andra eller på ett delområde"


@lru_cache(maxsize=256)
def lots(count: int) -> str:
    return f"{count} delområden – ni kan lämna anbud på ett"
