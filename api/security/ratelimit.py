"""A sliding-window rate limiter kept in the process.

Why in-process: the service runs as one uvicorn process on the embedded default, so one dictionary sees every
request, needs no extra service and costs microseconds. With several workers each keeps its own window (the
limit then applies per worker); a shared store (Redis, the database) is the change to make at that point.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SlidingWindowLimiter:
    """At most ``limit`` hits per ``window_seconds`` for each key (client address, e-mail address…)."""

    limit: int
    window_seconds: float
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000  # bounds memory under a flood of distinct keys
    _hits: dict[str, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def allow(self, key: str) -> bool:
        """Record a hit for ``key`` and say whether it is within the limit; refused hits are not counted."""
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget_idle(now)
                hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def exhausted(self, key: str) -> bool:
        """Whether ``key`` has used up its window, without recording a hit (for limits that count failures)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            return hits is not None and sum(1 for hit in hits if hit > now - self.window_seconds) >= self.limit

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may try again (for the Retry-After header)."""
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return 0
            return max(1, int(hits[0] + self.window_seconds - self.clock()) + 1)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window_seconds]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: drop the oldest half rather than grow without bound
            for key in list(self._hits)[: self.max_keys // 2]:
                del self._hits[key]


@dataclass
class RateLimits:
    """The limiters the app uses; tests replace them through the ``get_rate_limits`` dependency."""

    search: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(120, 60.0))
    magic_link_per_client: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(10, 3600.0))
    magic_link_per_email: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(3, 3600.0))
    sign_in: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(10, 900.0))
    # Wrong API keys per address: a real client with a revoked key fails a few times, a guesser thousands.
    api_key_failures: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(20, 900.0))
    # Webhook test events and registrations per company: each makes the service call an address the company
    # chose, so it must not become a way to send requests from here at will.
    webhook_calls: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(20, 3600.0))
