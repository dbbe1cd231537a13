"""Whether the store holds example notices, for the "Exempeldata" banner on every page (checked at most every
few seconds: it is one query, but every page asks)."""

from __future__ import annotations

import time

from fastapi import Request

from tenders.demo import DEMO_SOURCE, stored_sources

RECHECK_S = 10.0


class DemoFlag:
    def __init__(self) -> None:
        self._checked_at = -RECHECK_S
        self._shown = False

    def shown(self, request: Request) -> bool:
        resources = getattr(request.app.state, "resources", None)
        if resources is None:
            return False
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_S:
            self._shown = DEMO_SOURCE in stored_sources(resources.store)
            self._checked_at = now
        return self._shown
