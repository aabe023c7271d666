"""``/__admin``: the tester's HTTP tools (journal, state, faults, rate limit).

These routes are not part of Cordial: they need no credentials, are not
contract-validated, ignore fault rules and are not journaled.

=======  ===========================  ==============================================
GET      /__admin/health              ``{"status": "ok"}``
GET      /__admin/requests            journal; filters ``path`` (glob), ``status``
                                      (``404`` or ``4xx``), ``method``, ``limit``
DELETE   /__admin/requests            empty the journal
GET      /__admin/state               contacts, lists, carts, orders, activities
POST     /__admin/reset               empty the state (and idempotency keys)
POST     /__admin/faults              add a fault rule (201 with the rule)
GET      /__admin/faults              the rules, with uses left and uses so far
DELETE   /__admin/faults[/<id>]       remove every rule, or one
GET/PUT  /__admin/rate-limit          ``{"requests_per_second": N, "retry_after": S}``
DELETE   /__admin/rate-limit          no rate limit
=======  ===========================  ==============================================
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from mock_cordial import journal
from mock_cordial.bodies import BadJson, is_json_media_type, parse_json
from mock_cordial.control import MockControl
from mock_cordial.faults import FaultError
from mock_cordial.problems import PROBLEM_JSON, Problem

__all__ = ["admin_blueprint", "problem_response"]


def _json(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value, separators=(",", ":")), status=status, content_type="application/json")


def problem_response(problem: Problem) -> Response:
    """A problem+json response (also used for errors outside both surfaces)."""
    return Response(
        problem.body_bytes(), status=problem.status, headers=problem.headers, content_type=PROBLEM_JSON
    )


class _BadRequest(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def _body() -> Any:
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise _BadRequest(Problem(413, "payload-too-large", "the body is too large")) from None
    if not raw:
        raise _BadRequest(Problem(400, "missing-body", "this endpoint needs a JSON body"))
    if not is_json_media_type(request.content_type):
        raise _BadRequest(Problem(415, "unsupported-media-type", "the body must be sent as application/json"))
    try:
        return parse_json(raw)
    except BadJson as exc:
        raise _BadRequest(Problem(400, "invalid-json", str(exc))) from None


def admin_blueprint(control: MockControl) -> Blueprint:
    """The ``/__admin`` routes for one mock."""
    admin = Blueprint("cordial_admin", __name__, url_prefix="/__admin")

    @admin.errorhandler(_BadRequest)
    def bad_request(error: _BadRequest) -> Response:
        return problem_response(error.problem)

    @admin.errorhandler(FaultError)
    def bad_fault(error: FaultError) -> Response:
        return problem_response(Problem(422, "invalid-fault", str(error), error_key="INVALID_FAULT"))

    @admin.get("/health")
    def health() -> Response:
        return _json({"status": "ok"})

    @admin.get("/requests")
    def list_requests() -> Response:
        try:
            filters = journal.parse_filters(request.args.to_dict())
        except ValueError as exc:
            raise _BadRequest(Problem(400, "invalid-filter", str(exc))) from None
        entries = control.journal_entries(filters)
        return _json({"count": len(entries), "requests": entries})

    @admin.delete("/requests")
    def clear_requests() -> Response:
        control.clear_requests()
        return _json({"success": True})

    @admin.get("/state")
    def state() -> Response:
        return _json(control.snapshot())

    @admin.post("/reset")
    def reset() -> Response:
        control.reset()
        return _json({"success": True})

    @admin.post("/faults")
    def add_fault() -> Response:
        return _json(control.add_fault(_body()), status=201)

    @admin.get("/faults")
    def list_faults() -> Response:
        return _json({"faults": control.faults(), "rateLimit": control.rate_limit()})

    @admin.delete("/faults")
    def clear_faults() -> Response:
        control.clear_faults()
        return _json({"success": True})

    @admin.delete("/faults/<int:rule_id>")
    def remove_fault(rule_id: int) -> Response:
        if not control.remove_fault(rule_id):
            return problem_response(Problem(404, "not-found", f"there is no fault rule {rule_id}"))
        return _json({"success": True})

    @admin.get("/rate-limit")
    def get_rate_limit() -> Response:
        return _json({"rateLimit": control.rate_limit()})

    @admin.put("/rate-limit")
    def put_rate_limit() -> Response:
        return _json({"rateLimit": control.set_rate_limit(_body())})

    @admin.delete("/rate-limit")
    def delete_rate_limit() -> Response:
        control.set_rate_limit(None)
        return _json({"rateLimit": None})

    return admin
