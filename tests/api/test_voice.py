"""One voice: pages and mails address the company as "ni", never "du" (it was "du/dig" in mails and sign-in pages)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DU_WORDS = re.compile(r"\b(du|dig|din|ditt|dina)\b", re.IGNORECASE)
TEXTS = [*ROOT.glob("api/templates/**/*.html"), *ROOT.glob("alerts/templates/*.jinja"), ROOT / "api/security/mail.py",
         ROOT / "api/routes/signin.py"]


def test_no_page_or_mail_says_du() -> None:
    found = [f"{path.relative_to(ROOT)}: {match.group()}" for path in TEXTS
             for match in DU_WORDS.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
