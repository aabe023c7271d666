"""``create_app``: the Flask application of the mock (both surfaces, one state, admin tools)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from mock_cordial.admin import admin_blueprint, problem_response
from mock_cordial.auth import KeyRing
from mock_cordial.control import MockControl
from mock_cordial.db import Database
from mock_cordial.faults import FaultBook
from mock_cordial.pipeline import Pipeline, Settings
from mock_cordial.problems import Problem
from mock_cordial.responses import ingest, rest_v2
from mock_cordial.strict import ContractCheck
from mock_cordial.wsgi import MockWsgi

__all__ = ["create_app", "EXTENSION", "DEFAULT_MAX_BODY_BYTES"]

#: Key of the :class:`MockControl` in ``app.extensions``.
EXTENSION = "cordial_mock"
DEFAULT_MAX_BODY_BYTES = 1 << 20

_log = logging.getLogger("mock_cordial")


def create_app(
    *,
    db_path: str | None = None,
    api_keys: Iterable[str] | None = None,
    strict: bool = True,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Flask:
    """A mock of Cordial's ingest service and REST API v2 over one SQLite state.

    ``db_path`` keeps the state in a file that several processes can share
    (in memory by default). ``api_keys`` are the accepted keys (any non-empty
    key when None). ``strict`` refuses requests that break the contracts with
    422 (otherwise the verdict is only journaled). Bodies over
    ``max_body_bytes`` get 413. ``app.extensions["cordial_mock"]`` is the
    :class:`~mock_cordial.control.MockControl` of the instance.

    Flask serves ``/__admin`` and answers unknown paths; the two surfaces
    (``/api/...``, ``/v2/...``) are served by the pipeline straight from
    ``app.wsgi_app``, which skips Flask's per-request machinery on the hot path.
    Each app has its own state unless ``db_path`` names a shared file.
    """
    if max_body_bytes < 1:
        raise ValueError("max_body_bytes must be at least 1")
    keys = list(api_keys) if api_keys is not None else None
    if keys is not None and any(not isinstance(k, str) or not k for k in keys):
        raise ValueError("api_keys must be non-empty strings")
    app = Flask("mock_cordial")
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    db = Database(db_path)
    faults = FaultBook()
    settings = Settings(KeyRing(keys), strict, max_body_bytes)
    pipeline = Pipeline(db, settings, ContractCheck(), faults, [*ingest.ENDPOINTS, *rest_v2.ENDPOINTS])
    control = MockControl(db, faults)
    app.extensions[EXTENSION] = control
    app.register_blueprint(admin_blueprint(control))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        is_admin = request.path.startswith("/__admin")
        if isinstance(error, (NotFound, MethodNotAllowed)) and not is_admin:
            allowed = list(error.valid_methods or []) if isinstance(error, MethodNotAllowed) else None
            return pipeline.refuse_path(request.environ, allowed).as_response()
        code = error.code or 500
        return problem_response(Problem(code, "http-error", error.description or error.name))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        _log.exception("mock_cordial bug while serving %s %s", request.method, request.path)
        return problem_response(
            Problem(500, "internal-error", f"the mock failed: {type(error).__name__}: {error}"[:300])
        )

    app.wsgi_app = MockWsgi(app.wsgi_app, pipeline)  # type: ignore[method-assign]
    return app
