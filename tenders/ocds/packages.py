"""OCDS release packages and record packages (a record = a process's releases and its compiled release)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from tenders.model import Tender
from tenders.ocds.mapping import EXTENSIONS, ocid_for, to_release

PUBLISHER = {"name": "Upphandlingsdialog Dalarna (Anbudsvakt)"}
OCDS_VERSION = "1.1"


def _package(uri: str, published: datetime | None) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": (published or datetime.now(UTC)).isoformat(),
        "publisher": dict(PUBLISHER),
    }


def release_package(releases: Iterable[dict[str, Any]], uri: str, published: datetime | None = None) -> dict[str, Any]:
    return {**_package(uri, published), "releases": list(releases)}


def compiled_release(current: Tender, history: list[Tender], prefix: str) -> dict[str, Any]:
    """The process's current state: the store's current view (newest notice, gaps filled from older ones), with
    the id and date that OCDS gives a compiled release ({ocid}-{newest release date})."""
    compiled = to_release(current, prefix)
    newest = max((to_release(notice, prefix)["date"] for notice in history), default=compiled["date"])
    compiled.update(id=f"{compiled['ocid']}-{newest}", date=newest, tag=["compiled"])
    return compiled


def record(current: Tender, history: list[Tender], prefix: str) -> dict[str, Any]:
    return {
        "ocid": ocid_for(prefix, current),
        "releases": [to_release(notice, prefix) for notice in history],
        "compiledRelease": compiled_release(current, history, prefix),
    }


def record_package(records: Iterable[dict[str, Any]], uri: str, published: datetime | None = None) -> dict[str, Any]:
    return {**_package(uri, published), "records": list(records)}


def stream_release_package(
    releases: Iterable[dict[str, Any]], uri: str, published: datetime | None = None
) -> Iterator[str]:
    """The same JSON as :func:`release_package`, in pieces: a year or the whole store is written release by
    release instead of being held in memory."""
    head = json.dumps(_package(uri, published), ensure_ascii=False)
    yield head[:-1] + ', "releases": ['
    for number, release in enumerate(releases):
        yield ("," if number else "") + "\n" + json.dumps(release, ensure_ascii=False)
    yield "\n]}\n"
