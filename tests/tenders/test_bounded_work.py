"""Bounded work per notice: hostile notices go through parse, classification, store, index, search and keyword
matching in linear time and within a fixed memory (issue: one long word takes the whole pipeline down).

Before: a title of "tak" × 1000 (a 14 KB file) ended `anbudsvakt load` with RecursionError at 3.5 GB, a 51 KB word
peaked at 2.3 GB, and a 9.8 MB notice with one text node was killed by the kernel at 23.4 GB (the recursive,
quadratic compound splitter, with every suffix cached). Each notice here is generated from an eForms example and run
in its own process under RLIMIT_AS (the whole address space, model and libraries included).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tenders.text import analyse, compound_parts, index_terms

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "tests" / "fixtures" / "eforms" / "cn_24_minimal.xml"
ADDRESS_SPACE_LIMIT = 1 << 30  # 1 GB of address space for everything (the process needs ~0.8 GB for an ordinary one)
TIME_LIMIT_S = 180
TITLE = "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)"
DESCRIPTION_START = "Provision of IT services related to the information systems of the publications office"


def _notice(title: str, description: str) -> bytes:
    text = TEMPLATE.read_text(encoding="utf-8")
    head, rest = text.split(TITLE, 1)  # the procedure's title (the first occurrence); the lot keeps its own
    start = rest.index(DESCRIPTION_START)
    end = rest.index("</cbc:Description>", start)
    return (head + title + rest[:start] + description + rest[end:]).encode("utf-8")


def _random_words(rng: random.Random, size: int) -> str:
    """Distinct made-up words of 6–40 letters (none cached, each tried as a compound) up to ``size`` characters."""
    letters = "abcdefghijklmnoprstuvyåäö"
    words, total = [], 0
    while total < size:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(6, 40)))
        words.append(word)
        total += len(word) + 1
    return " ".join(words)


HOSTILE = {
    "tak_x1000_title": lambda: _notice("tak" * 1000, "Takarbeten."),
    "51kb_word_title": lambda: _notice("snöröjning" * 5_100, "Snöröjning."),
    "9mb_one_word": lambda: _notice("Snöröjning", "halkbekämpning" * 650_000),
    "9mb_distinct_words": lambda: _notice("Snöröjning", _random_words(random.Random(1), 8_500_000)),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_notice_passes_every_step_within_one_gigabyte(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(HOSTILE[name]())
    assert path.stat().st_size < 10_000_000  # the parser's own limit: these get through it
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.tenders.hostile_worker", str(path), str(tmp_path), str(ADDRESS_SPACE_LIMIT)],
        capture_output=True, text=True, timeout=TIME_LIMIT_S, cwd=REPO, env=environment, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(name, path.stat().st_size, report)
    assert report["peak_mb"] < 1024
    assert report["found"] >= 1  # the hostile notice is searchable
    assert report["title_chars"] <= 2_000 and report["description_chars"] <= 100_000
    if name == "tak_x1000_title":
        assert "tak" in report["keywords"]


def test_analysis_time_is_linear_in_the_text() -> None:
    """Ten times the text costs about ten times the time (within the field cap), never more."""
    rng = random.Random(2)
    small, large = _random_words(rng, 9_000), _random_words(rng, 90_000)

    def cost(text: str) -> float:
        compound_parts.cache_clear()
        started = time.perf_counter()
        analyse(text)
        index_terms(text, text, [])
        return time.perf_counter() - started

    cost(small)  # word list loaded
    assert cost(large) < 20 * cost(small) + 0.5
