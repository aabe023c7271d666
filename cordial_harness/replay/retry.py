"""When to send a failed request again: exponential backoff with jitter, honouring Retry-After.

Only :class:`~reference.errors.RetryableError` (429, 5xx, timeouts, dropped
connections) is retried.  A Retry-After answer is waited for (up to a cap, so
a hostile header cannot stall the run for hours), and never less than the
backoff of that attempt.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How many retries, and how long to wait before each."""

    max_retries: int = 5
    base_delay: float = 0.1
    max_delay: float = 10.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        if not 0 <= self.base_delay <= self.max_delay:
            raise ValueError("delays must satisfy 0 <= base_delay <= max_delay")
        if self.max_retry_after < 0:
            raise ValueError("max_retry_after cannot be negative")

    def should_retry(self, retries_so_far: int) -> bool:
        return retries_so_far < self.max_retries

    def delay(
        self, retry_number: int, retry_after: float | None = None, rand: Callable[[], float] = random.random
    ) -> float:
        """Seconds before retry ``retry_number`` (1 for the first retry).

        The backoff doubles per retry up to ``max_delay``; half of it is
        random, so clients that failed together do not come back together.
        """
        backoff = min(self.max_delay, self.base_delay * 2 ** min(retry_number - 1, 62))
        wait = backoff / 2 + rand() * backoff / 2
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_retry_after))
        return wait
