"""Builds the recorded TED Search API pages in tests/fixtures/ted/api/ from the real abridged response.

Run ``.venv/bin/python -m tests.crawlers.build_ted_api_fixtures`` to rebuild them. The notices are copied
verbatim except: the researcher's ``_partial`` marker is dropped, and ``links.xml.MUL`` points at
``{base_url}``, which the replay server replaces with its own address. The iteration tokens are synthetic
(TED's are opaque strings). Page 3 is empty but still carries a token, as ITERATION mode ends that way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ted"
API_DIR = FIXTURES / "api"
PAGE_SIZE = 2
TOKENS = ["replay-token-page-2", "replay-token-page-3", "replay-token-page-4"]
BROKEN_SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "eforms" / "cn_24_minimal.xml"
BROKEN_BYTES = 4000  # cut mid-element: not well-formed


def replay_notice(notice: dict[str, Any]) -> dict[str, Any]:
    copy = {key: value for key, value in notice.items() if not key.startswith("_")}
    number = copy["publication-number"]
    copy["links"] = {**copy["links"], "xml": {"MUL": f"{{base_url}}/en/notice/{number}/xml"}}
    return copy


def build() -> list[Path]:
    response = json.loads((FIXTURES / "sweden_search_response_abridged.json").read_text(encoding="utf-8"))
    notices = [replay_notice(notice) for notice in response["notices"]]
    written = []
    for number, token in enumerate(TOKENS, start=1):
        chunk = notices[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        page = {"notices": chunk, "totalNoticeCount": len(notices), "iterationNextToken": token}
        path = API_DIR / f"search_page_{number}.json"
        path.write_text(json.dumps(page, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    broken = API_DIR / "broken_notice.xml"
    broken.write_bytes(BROKEN_SOURCE.read_bytes()[:BROKEN_BYTES])
    return [*written, broken]


if __name__ == "__main__":
    for path in build():
        print(path)
