"""Upphandlingsmyndigheten's Swedish words for procedures, contract kinds and supplier sizes, as the codes the
Tender model uses (eForms code lists), for the example notices of ``tenders.demo``."""

from __future__ import annotations

import re

from tenders.model import CompanySize, Lot

# UHM "Förfarande" → eForms procurement-procedure-type. The national simplified procedure (förenklat förfarande)
# is a single-stage procedure outside the directive's list, so eForms calls it "other single stage".
PROCEDURES = {
    "Öppet förfarande": "open",
    "Förenklat förfarande": "oth-single",
    "Förhandlat förfarande med föregående annonsering": "neg-w-call",
    "Selektivt förfarande": "restricted",
    "Urvalsförfarande": "oth-mult",
    "Annat förfarande": "oth-single",
    "Konkurrenspräglad dialog": "comp-dial",
}
NATURES = {"Tjänster": "services", "Varor": "supplies", "Byggentreprenader": "works"}
COMPANY_SIZES = {
    "Mikroföretag": CompanySize.MICRO,
    "Små företag": CompanySize.SMALL,
    "Medelstora företag": CompanySize.MEDIUM,
    "Stora företag": CompanySize.LARGE,
}


def main_cpv(text: str) -> str | None:
    """'79212000 Revision' → '79212000'; the export's '00000000 Uppgift saknas' and blanks → None."""
    code = text.strip().split(" ", 1)[0]
    return code if re.fullmatch(r"\d{8}", code) and code != "00000000" else None


def lots(count: int, cpv: str | None) -> list[Lot]:
    """Numbered lots with the procurement's CPV code: the export counts lots but does not name them."""
    return [
        Lot(id=f"LOT-{n:04d}", title={"swe": f"Anbudsområde {n}"}, main_cpv=cpv) for n in range(1, count + 1)
    ]
