"""One notice through every step that reads its text, in a process with a memory limit (run by test_bounded_work).

    python -m tests.tenders.hostile_worker NOTICE.xml WORK_DIR LIMIT_BYTES

Sets RLIMIT_AS to LIMIT_BYTES, then parses the notice, classifies it (the trained spaCy pipeline), stores it,
projects and indexes it (embedded index), searches it, and matches it against keyword profiles (the embedded
matcher's analysis and keyword rule). Prints one JSON line: the seconds per step and the peak resident memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _peak_resident_mb() -> float:
    """This process image's peak resident memory (VmHWM; ru_maxrss would also count the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    path, work, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Imported after the limit is set: what the imports take (spaCy, the trained pipeline's code) counts too.
    from matcher.match.model import MatchNotice, MatchProfile  # noqa: PLC0415 - under RLIMIT_AS
    from matcher.match.notice import prepare  # noqa: PLC0415 - under RLIMIT_AS
    from matcher.match.score import keyword_hits  # noqa: PLC0415 - under RLIMIT_AS
    from nlp.annotate import annotate  # noqa: PLC0415 - under RLIMIT_AS
    from tenders.index.base import SearchQuery  # noqa: PLC0415 - under RLIMIT_AS
    from tenders.index.documents import to_index_document  # noqa: PLC0415 - under RLIMIT_AS
    from tenders.index.sqlite import SqliteIndex  # noqa: PLC0415 - under RLIMIT_AS
    from tenders.parse import parse_notice  # noqa: PLC0415 - under RLIMIT_AS
    from tenders.store import TenderStore  # noqa: PLC0415 - under RLIMIT_AS

    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = round(now - started, 2)
        started = now

    raw = path.read_bytes()
    tender = parse_notice(raw, source="file")
    step("parse")
    tender = annotate(tender)
    step("classify")
    store = TenderStore.from_url(f"sqlite:///{work / 'store.sqlite3'}")
    store.upsert_notice(tender, raw)
    view = store.tender(tender.procedure_id or tender.notice_id)
    assert view is not None
    step("store")
    index = SqliteIndex(work / "index.sqlite3")
    document = to_index_document(view)
    assert index.index([document]) == 1
    step("index")
    found = index.search(SearchQuery(text=document.title[:200])).total  # a word cut as the index cut it
    step("search")
    notice = MatchNotice(id=document.tender_id, title=document.title, description=document.description)
    prepared = prepare(notice)
    keywords = [MatchProfile(id="p", keywords=["röjning", "tak", "halkbekämpning", "it-stöd"]).keywords]
    hits = keyword_hits(keywords[0], prepared.analysed)
    step("match")
    index.close()
    store.close()
    peak_mb = _peak_resident_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": round(peak_mb), "found": found, "keywords": hits,
                      "title_chars": len(document.title), "description_chars": len(document.description)}))


if __name__ == "__main__":
    main()
