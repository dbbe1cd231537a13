"""SNI 2007 codes in one form: the digits of the level given, a detailed group always five ("02200", never "2200").

SNI 2007 has five levels: division (2 digits, "02"), group (3, "022"), class (4, "0220") and detailed group (5,
"02200"); SCB writes them "02", "02.2", "02.20", "02.200". Companies are registered at the detailed group, and
divisions 01–09 (agriculture, forestry, fishing, mining — common in Dalarna) start with a zero that spreadsheets and
Upphandlingsmyndigheten's statistics export drop ("2200" for 02200 Drivning, "1110" for 01110).

How a code is read (``normalise_sni``):
- with a dot it is SCB's written form, unambiguous: the division before the dot gets its zero back ("2.200" →
  "02200", "16.10" → the class "1610");
- five digits, or two or three, are taken as they are; one digit is a division without its zero ("2" → "02");
- four digits are ambiguous: a class ("4321") or a detailed group that lost its zero ("2200"). Four digits that
  are a detailed group of divisions 01–09 without its zero are read as that group, everything else as a class.
  The few codes that are both ("1610": 01.610 växtodlingsservice or the class 16.10 sågverk; also 1420, 3220,
  8110, 9900) are read as the detailed group, because a company's registered code is a detailed group; the
  class is written with its dot ("16.10").
"""

from __future__ import annotations

import csv
import re
from functools import cache

from tenders.codelists import data_path

# SNI 2007's detailed groups in divisions 01–09, the only codes that start with a zero (SCB, SNI 2007).
ZERO_LED_DETAILED_GROUPS = frozenset({
    "01110", "01120", "01131", "01132", "01133", "01134", "01135", "01140", "01150", "01160", "01191", "01199",
    "01210", "01220", "01230", "01240", "01250", "01260", "01270", "01280", "01290", "01301", "01302", "01410",
    "01420", "01430", "01440", "01450", "01461", "01462", "01471", "01472", "01491", "01492", "01499", "01500",
    "01610", "01620", "01630", "01640", "01700",
    "02101", "02102", "02109", "02200", "02300", "02401", "02409",
    "03111", "03119", "03120", "03210", "03220",
    "05100", "05200", "06100", "06200", "07100", "07210", "07290",
    "08110", "08120", "08910", "08920", "08930", "08990", "09100", "09900",
})
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,3})")


def normalise_sni(text: object) -> str | None:
    """The code's digits at its level, zero-padded as above; None for anything that is no SNI code."""
    cleaned = re.sub(r"[\s-]", "", str(text or ""))
    dotted = _DOTTED.fullmatch(cleaned)
    if dotted:
        code = dotted[1].zfill(2) + dotted[2]
    elif not cleaned.isdigit():
        return None
    elif len(cleaned) == 1:
        code = cleaned.zfill(2)
    elif len(cleaned) == 4 and "0" + cleaned in ZERO_LED_DETAILED_GROUPS:
        code = "0" + cleaned
    else:
        code = cleaned
    return code if 2 <= len(code) <= 5 and code.strip("0") else None


def detailed_group(text: object) -> str | None:
    """A code from a column that holds detailed groups only (the statistics export): always five digits."""
    code = re.sub(r"\s", "", str(text or ""))
    return code.zfill(5) if code.isdigit() and 1 <= len(code) <= 5 and code.strip("0") else None


@cache
def _labels_by_level() -> dict[str, dict[str, str]]:
    with data_path("sni2007_codes_seen_in_uhm_2021.csv").open(encoding="utf-8", newline="") as handle:
        labels: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(handle):
            labels.setdefault(row["level"], {})[row["code"]] = row["label_sv"]
        return labels


def sni_label(code: str) -> str:
    """The Swedish name of a detailed group, else of its class ("43910" is no SNI 2007 code, but 4391 is
    "Byggnadsplåtslagerier och andra entreprenörer för takarbeten"); "" when neither is known.

    The list holds the codes seen among 2021's winning suppliers, not all of SNI 2007. Only detailed groups and
    four-digit classes are trusted: in the statistics export the upper levels' codes lost their leading zero, so
    "62" carries 06's "Industri för utvinning av naturgas"; a class that lost its zero would have three digits."""
    normalised = normalise_sni(code) or code
    labels = _labels_by_level()
    if found := labels.get("detaljgrupp", {}).get(normalised):
        return found
    return labels.get("undergrupp", {}).get(normalised[:4], "") if len(normalised) >= 4 else ""


def sni_text(code: str) -> str:
    """"SNI 02200 Avverkningsföretag": the code in its five-digit form with its name where known."""
    normalised = normalise_sni(code) or code
    return f"SNI {normalised} {sni_label(normalised)}".strip()
