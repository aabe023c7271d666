"""The reference destination agrees with production, case by case, on a recorded corpus.

``data/production_corpus.jsonl.gz`` holds about 6,000 cases generated with
``contracts.strategies`` (fixed seeds) and run through production's own npm
packages (``@segment/action-destinations`` + ``@segment/actions-core``).
Each line is the input and production's answer under ``expect``:

- action cases (``action``, ``event``, ``settings``, ``mapping``?,
  ``useDefaultMappings``?): the request production sent (method, url,
  x-api-key, exact body) or the error it raised (name, message);
- ``route`` cases: the actions whose default subscriptions match;
- ``subscribe`` cases: whether the subscription matches the event, or that
  production's parser rejected it.

Every disagreement is collected; a failing test names the first few by case id.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reference import Destination, Settings, js_json
from reference.errors import (
    CordialHarnessError,
    InvalidMappingError,
    MappingResolutionError,
    PayloadValidationError,
    SubscriptionSyntaxError,
)
from reference.subscriptions import parse_subscription

CORPUS = Path(__file__).parent / "data" / "production_corpus.jsonl.gz"
ACTIONS = (
    "createContactactivity",
    "upsertContact",
    "addContactToList",
    "removeContactFromList",
    "addProductToCart",
    "removeProductFromCart",
    "upsertOrder",
    "mergeContacts",
)
SHOWN = 8


# --------------------------------------------------------------------------- how production errors map


def _validation_messages(message: str) -> list[str]:
    """Production's mapping validation reports one ``ValidationError: <text>`` line per problem."""
    return [
        line.removeprefix("ValidationError: ")
        for line in re.split(r"\n(?=ValidationError: )", message)
        if line
    ]


def _same_message(expected: str, error: CordialHarnessError) -> bool:
    return error.message == expected


def _problems(error: InvalidMappingError) -> list[str]:
    """The problem text of each ``<path> <problem>`` the reference reports."""
    if not error.errors:
        return [error.message]
    return [entry["message"][len(entry["field"]) + 1 :] for entry in error.errors]


def _same_validation_messages(expected: str, error: CordialHarnessError) -> bool:
    """Each production line ends with one of the reference's problems, one for one.

    The reference names the full path to the offending value; production's
    paths drop array indexes inside ``@arrayPath`` and report ``/`` for
    ``@merge`` objects, so only the problem text after the path is compared.
    """
    assert isinstance(error, InvalidMappingError)
    lines = _validation_messages(expected)
    problems = _problems(error)
    if len(lines) != len(problems):
        return False
    unmatched = list(lines)
    for problem in problems:
        match = next((line for line in unmatched if line.endswith(" " + problem)), None)
        if match is None:
            return False
        unmatched.remove(match)
    return True


def _any_message(expected: str, error: CordialHarnessError) -> bool:
    return True


#: Production error name -> (the reference class it corresponds to, how messages must compare).
#: TypeError is production's runtime tripping over the event (e.g. ``context: null``); its text is
#: a JavaScript engine message, so only a clean rejection is required of the reference.
ERROR_MAP: dict[str, tuple[type[CordialHarnessError], Callable[[str, CordialHarnessError], bool]]] = {
    "AggregateAjvError": (PayloadValidationError, _same_message),
    "AggregateError": (InvalidMappingError, _same_validation_messages),
    "ValidationError": (InvalidMappingError, _same_validation_messages),
    "Error": (MappingResolutionError, _same_message),
    "ParseError": (MappingResolutionError, _same_message),
    "TokenizationError": (MappingResolutionError, _same_message),
    "RenderError": (MappingResolutionError, _same_message),
    "TypeError": (CordialHarnessError, _any_message),
}


# --------------------------------------------------------------------------- corpus


@cache
def corpus() -> tuple[dict[str, Any], ...]:
    """Every case, parsed the way production parsed it (JSON.parse number semantics)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        return tuple(js_json.loads(line) for line in handle if line.strip())


def cases(kind: str, action: str | None = None) -> Iterator[dict[str, Any]]:
    """Cases of one kind (``action``, ``route``, ``subscribe``); action cases optionally of one action."""
    for case in corpus():
        if kind not in case:
            continue
        if kind != "action" or action is None or case["action"] == action:
            yield case


@cache
def destination(api_key: str, endpoint: str, segment_id_key: str | None) -> Destination:
    settings: dict[str, Any] = {"apiKey": api_key, "endpoint": endpoint}
    if segment_id_key is not None:
        settings["segmentIdKey"] = segment_id_key
    return Destination(Settings.from_json(settings))


def _body_text(content: bytes) -> str:
    return _short(content.decode("utf-8", "replace"))


def _short(value: Any, limit: int = 240) -> str:
    text = value if isinstance(value, str) else js_json.dumps(value) if value is not None else "None"
    return text if len(text) <= limit else text[:limit] + "…"


def _origin_and_path(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), parts.port or default_port, parts.path)


def _report(kind: str, mismatches: list[str], total: int) -> str:
    shown = "\n".join(mismatches[:SHOWN])
    return f"{len(mismatches)} of {total} {kind} cases disagree with production; first {SHOWN}:\n{shown}"


# --------------------------------------------------------------------------- comparisons


def _compare_action(case: dict[str, Any]) -> str | None:
    """None when the reference does what production did, else a one-line description."""
    expect = case["expect"]
    settings = case["settings"]
    head = f"[{case['id']}] {case['action']}"
    try:
        dest = destination(settings["apiKey"], settings["endpoint"], settings.get("segmentIdKey"))
        request = dest.build_request(
            case["action"],
            case["event"],
            mapping=case.get("mapping"),
            use_default_mappings=case.get("useDefaultMappings", True),
        )
    except CordialHarnessError as error:
        if "request" in expect:
            return f"{head}: production sent {_short(expect['request']['body'])}; reference raised {error!r}"
        return _compare_error(head, expect["error"], error)
    except Exception as error:  # noqa: BLE001 - a crash is a disagreement to report, not to hide
        return f"{head}: reference crashed with {type(error).__name__}: {error}"
    if "error" in expect:
        wanted = expect["error"]
        production = f"{wanted['name']}: {_short(wanted['message'])}"
        return f"{head}: production raised {production}; reference sent {_body_text(request.content)}"
    wanted = expect["request"]
    problems = []
    if request.method != wanted["method"]:
        problems.append(f"method {request.method} != {wanted['method']}")
    if request.url != wanted["url"] and _origin_and_path(request.url) != _origin_and_path(wanted["url"]):
        problems.append(f"url {request.url} != {wanted['url']}")
    headers = {name.lower(): value for name, value in request.headers.items()}
    if headers.get("x-api-key") != wanted["apiKey"]:
        problems.append(f"x-api-key {headers.get('x-api-key')!r} != {wanted['apiKey']!r}")
    body = wanted["body"].encode("utf-8")
    if request.content != body:
        problems.append(
            f"body\n    reference:  {_body_text(request.content)}\n    production: {_short(wanted['body'])}"
        )
    return f"{head}: " + "; ".join(problems) if problems else None


def _compare_error(head: str, wanted: dict[str, str], error: CordialHarnessError) -> str | None:
    mapped = ERROR_MAP.get(wanted["name"])
    if mapped is None:
        return f"{head}: production raised an unmapped {wanted['name']}: {_short(wanted['message'])}"
    expected_class, same = mapped
    if not isinstance(error, expected_class):
        return (
            f"{head}: production raised {wanted['name']} ({_short(wanted['message'])}); reference raised "
            f"{type(error).__name__} ({_short(error.message)}), expected {expected_class.__name__}"
        )
    if not same(wanted["message"], error):
        reference, production = _short(error.message), _short(wanted["message"])
        return f"{head}: {wanted['name']} message\n    reference:  {reference}\n    production: {production}"
    return None


def _compare_route(case: dict[str, Any]) -> str | None:
    dest = destination("k", "https://integrations-ingest-svc.usw1.cordial.com", None)
    try:
        actions = dest.route(case["event"])
    except Exception as error:  # noqa: BLE001
        return f"[{case['id']}] route raised {type(error).__name__}: {error}"
    wanted = case["expect"]["actions"]
    return (
        None
        if actions == wanted
        else f"[{case['id']}] route {actions} != production {wanted} for {_short(case['event'])}"
    )


def _compare_subscription(case: dict[str, Any]) -> str | None:
    head = f"[{case['id']}] {case['subscribe']!r}"
    expect = case["expect"]
    try:
        subscription = parse_subscription(case["subscribe"])
    except SubscriptionSyntaxError as error:
        if "parseError" in expect:
            return None
        return f"{head}: production parsed it; reference raised {error.message!r}"
    except Exception as error:  # noqa: BLE001
        return f"{head}: reference crashed with {type(error).__name__}: {error}"
    if "parseError" in expect:
        return f"{head}: production rejected it ({expect['parseError']}); reference parsed it"
    try:
        matched = subscription.matches(case["event"])
    except Exception as error:  # noqa: BLE001
        return f"{head}: matching raised {type(error).__name__}: {error}"
    if matched != expect["match"]:
        event = _short(case["event"])
        return f"{head}: reference match={matched}, production match={expect['match']} on {event}"
    return None


# --------------------------------------------------------------------------- tests


def test_corpus_covers_every_kind_of_case() -> None:
    """The corpus is complete enough to mean something: all actions, both outcomes, all case kinds."""
    by_outcome = {(case["action"], next(iter(case["expect"]))) for case in cases("action")}
    for action in ACTIONS:
        assert (action, "request") in by_outcome, f"no accepted {action} case"
        assert (action, "error") in by_outcome, f"no rejected {action} case"
    assert sum(1 for _ in cases("action")) >= 3000
    assert sum(1 for _ in cases("route")) >= 800
    subscribe = [case["expect"] for case in cases("subscribe")]
    assert len(subscribe) >= 1500
    assert {True, False} <= {e.get("match") for e in subscribe}
    assert any("parseError" in e for e in subscribe)
    error_names = {case["expect"]["error"]["name"] for case in cases("action") if "error" in case["expect"]}
    assert {"AggregateAjvError", "AggregateError", "Error"} <= error_names
    assert error_names <= set(ERROR_MAP), (
        f"corpus holds unmapped production errors: {error_names - set(ERROR_MAP)}"
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_requests_and_rejections_agree_with_production(action: str) -> None:
    selected = list(cases("action", action))
    mismatches = [problem for case in selected if (problem := _compare_action(case))]
    assert not mismatches, _report(action, mismatches, len(selected))


def test_routing_agrees_with_production() -> None:
    selected = list(cases("route"))
    mismatches = [problem for case in selected if (problem := _compare_route(case))]
    assert not mismatches, _report("route", mismatches, len(selected))


def test_subscriptions_agree_with_production() -> None:
    selected = list(cases("subscribe"))
    mismatches = [problem for case in selected if (problem := _compare_subscription(case))]
    assert not mismatches, _report("subscribe", mismatches, len(selected))
