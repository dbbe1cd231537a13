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

import re

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
