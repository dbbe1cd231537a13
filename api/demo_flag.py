"""Whether the store holds example notices, for the "Exempeldata" banner on every page (checked at most every
few seconds: it is one query, but every page asks)."""

from __future__ import annotations

import time

from fastapi import Request

from tenders.demo import DEMO_SOURCE, stored_sources

RECHECK_S = 10.0


def holds_demo(request: Request) -> bool:
    """Whether the app's store holds example notices now (one query; pages ask through ``DemoFlag``)."""
    resources = getattr(request.app.state, "resources", None)
    return resources is not None and DEMO_SOURCE in stored_sources(resources.store)


class DemoFlag:
    def __init__(self) -> None:
        self._checked_at = -RECHECK_S
        self._shown = False

    def shown(self, request: Request) -> bool:
        if getattr(request.app.state, "resources", None) is None:
            return False
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_S:
            self._shown = holds_demo(request)
            self._checked_at = now
        return self._shown
