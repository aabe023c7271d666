"""Replays production's verdicts on recorded subscriptions and events.

``data/subscription_cases.jsonl`` holds what production's ``parseFql`` and
``validate`` answered (Node.js 20, ``@segment/destination-subscriptions``) for
hand-picked quirks, the default subscriptions, and generated, partly hostile,
subscriptions with generated events.  Each line is either
``{"subscribe", "parseError"}`` or ``{"subscribe", "events", "verdicts"}``
where a verdict is ``true``, ``false`` or ``{"throws": message}``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reference import js_json
from reference.errors import SubscriptionEvaluationError, SubscriptionSyntaxError
from reference.subscriptions import parse_subscription

CASES_FILE = Path(__file__).parent / "data" / "subscription_cases.jsonl"
CASES = [js_json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_recording_covers_every_outcome() -> None:
    verdicts = [verdict for case in CASES for verdict in case.get("verdicts", [])]
    assert len(CASES) > 300
    assert sum(1 for case in CASES if "parseError" in case) > 50
    assert verdicts.count(True) > 100 and verdicts.count(False) > 100
    assert sum(1 for verdict in verdicts if isinstance(verdict, dict)) > 5


@pytest.mark.parametrize("case", CASES, ids=[f"{i}" for i in range(len(CASES))])
def test_reference_agrees_with_production(case: dict) -> None:
    text = case["subscribe"]
    if "parseError" in case:
        with pytest.raises(SubscriptionSyntaxError):
            parse_subscription(text)
        return
    subscription = parse_subscription(text)
    for event, verdict in zip(case["events"], case["verdicts"], strict=True):
        if isinstance(verdict, dict):
            with pytest.raises(SubscriptionEvaluationError):
                subscription.matches(event)
        else:
            assert subscription.matches(event) is verdict, event
