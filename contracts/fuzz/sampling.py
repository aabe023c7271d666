"""Drawing a fixed number of values from a Hypothesis strategy, reproducibly, outside a test.

``strategy.example()`` cannot be seeded, so the values are collected by a
throwaway ``@given`` function run with an explicit seed, generation only
(nothing fails, so nothing shrinks) and no example database.
"""

from __future__ import annotations

import zlib
from typing import TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

__all__ = ["derived_seed", "draw_examples"]

T = TypeVar("T")

# Hypothesis may stop early when it believes it has seen every value; a few more rounds top the list up.
_MAX_ROUNDS = 8


def derived_seed(seed: int, name: str) -> int:
    """A seed for one named stream: the same ``seed`` and ``name`` always give the same stream."""
    return (seed * 1_000_003 + zlib.crc32(name.encode("utf-8"))) % (1 << 63)


def _one_round(strategy: st.SearchStrategy[T], count: int, seed: int) -> list[T]:
    found: list[T] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    collect()
    return found


def draw_examples(strategy: st.SearchStrategy[T], count: int, seed: int) -> list[T]:
    """``count`` values of ``strategy``; the same seed gives the same values."""
    if count < 0:
        raise ValueError("count must not be negative")
    values: list[T] = []
    for round_number in range(_MAX_ROUNDS):
        if len(values) >= count:
            break
        values.extend(_one_round(strategy, count - len(values), seed + round_number))
    return values[:count]
