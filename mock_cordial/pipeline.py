"""What happens to every request to either surface, in order.

The surfaces are served straight from the WSGI environ (werkzeug's request
object and Flask's machinery would cost more than the mock's own work);
``/__admin`` and everything else goes through Flask.

1. routing (404; 405 with ``Allow``; ``OPTIONS`` answers 204 with ``Allow``);
2. fault rules and the rate limit (an injected answer, delay or dropped connection);
3. credentials (401), body size (413), content type (415), JSON (400);
4. contract validation (422 in strict mode, recorded either way);
5. the operation, in one write transaction with its idempotency record and its
   journal entry, so a refused or failed operation leaves no trace in the state
   and the journal shows every answer as soon as it is sent.

A path names one resource: the concrete ``/v2/contacts/merge`` is never read
as the contact ``merge``, so ``GET /v2/contacts/merge`` is 405 (``Allow:
POST``), like in the contract's router.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_content_length

from contracts.routing import MethodNotAllowed, NoSuchPath, Router
from mock_cordial import idempotency, journal
from mock_cordial.auth import KeyRing, key_from_basic, key_from_ingest
from mock_cordial.bodies import BadJson, is_json_media_type, parse_json
from mock_cordial.db import Database
from mock_cordial.faults import FaultBook, FaultRule
from mock_cordial.models.errors import ModelError
from mock_cordial.models.values import now_iso, to_json
from mock_cordial.problems import AUTH_FAILURE, PROBLEM_JSON, Problem
from mock_cordial.responses.base import Call, Endpoint
from mock_cordial.strict import ContractCheck, Verdict, surface_of

__all__ = ["DROP_HEADER", "ORIGINAL_PATH_KEY", "Settings", "Pipeline", "Reply", "request_path"]

#: Marks a response the WSGI wrapper must turn into a dropped connection.
DROP_HEADER = "X-Cordial-Mock-Drop-Connection"
#: WSGI environ key holding the path as sent when repeated slashes were folded.
ORIGINAL_PATH_KEY = "cordial_mock.original_path"
JSON = "application/json"
#: Methods HTTP itself gives a resource besides the ones the contract lists.
IMPLICIT_METHODS = ("HEAD", "OPTIONS")

_log = logging.getLogger("mock_cordial")
_NO_QUERY: ImmutableMultiDict = ImmutableMultiDict()


def request_path(environ: dict[str, Any]) -> str:
    """The decoded path of a request, as werkzeug reads it (UTF-8, bad bytes replaced)."""
    raw = environ.get("PATH_INFO", "")
    if not raw.isascii():
        raw = raw.encode("latin-1").decode("utf-8", "replace")
    return "/" + raw.lstrip("/")


def _query_pairs(environ: dict[str, Any]) -> list[tuple[str, str]]:
    text = environ.get("QUERY_STRING", "")
    if not text:
        return []
    if not text.isascii():
        text = text.encode("latin-1").decode("utf-8", "replace")
    return parse_qsl(text, keep_blank_values=True, errors="replace")


class _EnvironHeaders(Mapping[str, str]):
    """The request headers (``X-API-KEY``...), read from the environ only if a contract asks for one."""

    __slots__ = ("_environ", "_headers")

    def __init__(self, environ: dict[str, Any]) -> None:
        self._environ = environ
        self._headers: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._headers is None:
            self._headers = {}
            for key, value in self._environ.items():
                if key.startswith("HTTP_"):
                    self._headers[key[5:].replace("_", "-")] = value
                elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
                    self._headers[key.replace("_", "-")] = value
        return self._headers

    def __getitem__(self, name: str) -> str:
        return self._read()[name.upper()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


@dataclass(frozen=True)
class Settings:
    keys: KeyRing
    strict: bool
    max_body_bytes: int


class _Trace:
    """What the journal needs to know about a request as it goes through the pipeline."""

    __slots__ = (
        "started",
        "surface",
        "operation",
        "verdict",
        "environ",
        "method",
        "path",
        "raw_body",
        "body_is_json",
        "fault",
        "replayed",
        "check_answer",
        "answer_is_json",
        "extra_headers",
        "_request_side",
    )

    def __init__(
        self,
        surface: str | None,
        operation: str | None,
        verdict: Verdict,
        environ: dict[str, Any],
        method: str,
        path: str,
    ) -> None:
        self.started = time.perf_counter()
        self.surface = surface
        self.operation = operation
        self.verdict = verdict
        self.environ = environ
        self.method = method
        self.path = path
        self.raw_body = b""
        self.body_is_json = False
        self.fault: int | None = None
        self.replayed = False
        self.check_answer = True
        self.answer_is_json = True
        self.extra_headers: dict[str, str] = {}
        self._request_side: tuple[str, str | None, str, str] | None = None

    def request_side(self) -> tuple[str, str | None, str, str]:
        """(time, path as sent, query, headers JSON) for the journal, worked out once.

        Computed before the write transaction, so the lock is held for less.
        """
        if self._request_side is None:
            environ = self.environ
            original = environ.get(ORIGINAL_PATH_KEY)
            raw_path = original.encode("latin-1").decode("utf-8", errors="replace") if original else None
            headers = json.dumps(journal.environ_headers(environ))
            self._request_side = (now_iso(), raw_path, environ.get("QUERY_STRING", ""), headers)
        return self._request_side


class Reply:
    """A finished answer, served as a plain WSGI application (lighter than a werkzeug Response)."""

    __slots__ = ("status", "content_type", "payload", "headers")

    def __init__(
        self, status: int, content_type: str | None, payload: bytes, headers: dict[str, str]
    ) -> None:
        self.status = status
        self.content_type = content_type
        self.payload = payload
        self.headers = headers

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        header_list = [("Content-Length", str(len(self.payload)))]
        if self.content_type is not None:
            header_list.insert(0, ("Content-Type", self.content_type))
        header_list.extend(self.headers.items())
        start_response(_status_line(self.status), header_list)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [self.payload]

    def as_response(self) -> Response:
        """The same answer as a werkzeug Response (for Flask's error handlers)."""
        return Response(
            self.payload, status=self.status, headers=self.headers, content_type=self.content_type
        )


_STATUS_LINES: dict[int, str] = {}


def _status_line(status: int) -> str:
    line = _STATUS_LINES.get(status)
    if line is None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Status"
        line = _STATUS_LINES[status] = f"{status} {phrase}"
    return line


def _encode(value: Any) -> bytes:
    return to_json(value).encode("utf-8")


class Pipeline:
    """Serves the endpoints of both surfaces against one database (a WSGI application)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        contracts: ContractCheck,
        faults: FaultBook,
        endpoints: list[Endpoint],
    ) -> None:
        self.db = db
        self.settings = settings
        self.contracts = contracts
        self.faults = faults
        self.endpoints = endpoints
        self._router: Router[Endpoint] = Router((e.method, e.rule, e) for e in endpoints)
        self._operations = {e: contracts.operation_of(e.surface, e.name) for e in endpoints}

    # -- entry points --------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            reply = self._route(environ)
        except Exception as error:  # a bug of the mock: say so instead of letting the server guess
            method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            _log.exception("mock_cordial bug while serving %s %s", method, path)
            detail = f"the mock failed: {type(error).__name__}: {error}"[:300]
            reply = Reply(500, PROBLEM_JSON, Problem(500, "internal-error", detail).body_bytes(), {})
        return reply(environ, start_response)

    def _route(self, environ: dict[str, Any]) -> Reply:
        method = environ["REQUEST_METHOD"].upper()
        path = request_path(environ)
        try:
            endpoint, path_params = self._router.resolve("GET" if method == "HEAD" else method, path)
        except MethodNotAllowed as error:
            return self.refuse_path(environ, error.allowed)
        except NoSuchPath:
            return self.refuse_path(environ, None)
        return self.serve(environ, method, path, endpoint, path_params)

    def serve(
        self, environ: dict[str, Any], method: str, path: str, endpoint: Endpoint, path_params: dict[str, str]
    ) -> Reply:
        """Carry one request to an endpoint through every step."""
        operation = self._operations[endpoint]
        trace = _Trace(
            endpoint.surface, endpoint.name, Verdict(checked=True, operation=operation), environ, method, path
        )
        injected = self._apply_faults(trace)
        if injected is not None:
            return injected
        api_key = self._api_key(environ, endpoint.surface)
        if not self.settings.keys.accepts(api_key):
            return self._refuse(trace, self._unauthorized(endpoint.surface))
        body, problem = self._read_body(environ, trace)
        if problem is not None:
            return self._refuse(trace, problem)
        pairs = _query_pairs(environ)
        query: dict[str, list[str]] = {}
        for name, value in pairs:
            query.setdefault(name, []).append(value)
        self.contracts.check_request(
            trace.verdict,
            path_params=path_params,
            query=query,
            headers=_EnvironHeaders(environ),
            content_type=environ.get("CONTENT_TYPE") or None,
            body=body,
        )
        if trace.verdict.request and self.settings.strict:
            return self._refuse(trace, self._contract_violation(trace.verdict))
        idempotency_key = environ.get("HTTP_IDEMPOTENCY_KEY") if endpoint.writes else None
        if idempotency_key is not None and len(idempotency_key) > idempotency.MAX_KEY_LENGTH:
            return self._refuse(
                trace,
                Problem(
                    400,
                    "bad-idempotency-key",
                    f"{idempotency.HEADER} must be at most {idempotency.MAX_KEY_LENGTH} characters",
                ),
            )
        call = Call(path_params, MultiDict(pairs) if pairs else _NO_QUERY, body, api_key)
        trace.request_side()
        try:
            with self.db.write() as conn:
                if idempotency_key:
                    stored = idempotency.lookup(conn, api_key, idempotency_key)
                    if stored is not None:
                        return self._replay(trace, stored, conn)
                answer = endpoint.handler(conn, call)  # a ModelError rolls the transaction back
                payload = _encode(answer.body)
                if idempotency_key:
                    idempotency.store(
                        conn, api_key, idempotency_key, idempotency.StoredAnswer(answer.status, JSON, payload)
                    )
                return self._finish(trace, answer.status, JSON, payload, answer.body, answer.headers, conn)
        except ModelError as exc:
            problem = Problem(exc.status, _slug(exc), exc.message, error_key=exc.error_key)
            value = problem.to_json()
            payload = _encode(value)
            with self.db.write() as conn:
                if idempotency_key:
                    idempotency.store(
                        conn,
                        api_key,
                        idempotency_key,
                        idempotency.StoredAnswer(problem.status, PROBLEM_JSON, payload),
                    )
                return self._finish(
                    trace, problem.status, PROBLEM_JSON, payload, value, problem.headers, conn
                )

    def _replay(self, trace: _Trace, stored: idempotency.StoredAnswer, conn: sqlite3.Connection) -> Reply:
        """The answer first given to this idempotency key, marked as a replay."""
        trace.replayed = True
        trace.extra_headers["Idempotent-Replayed"] = "true"
        value = json.loads(stored.body) if stored.body else None
        return self._finish(trace, stored.status, stored.content_type, stored.body, value, {}, conn)

    def refuse_path(self, environ: dict[str, Any], allowed: list[str] | None) -> Reply:
        """404 for a path no endpoint has, 405 for a method it lacks (journaled like any surface request).

        ``allowed`` lists the methods of the resource, None when there is none.
        ``OPTIONS`` on a resource answers 204 with ``Allow`` (HTTP's own method).
        """
        method = environ["REQUEST_METHOD"].upper()
        path = request_path(environ)
        surface = surface_of(path)
        if surface is None or (method == "OPTIONS" and allowed is not None):
            verdict = Verdict(checked=False)
        else:
            verdict = self.contracts.matched(surface, method, path)
        trace = _Trace(surface, None, verdict, environ, method, path)
        injected = self._apply_faults(trace)
        if injected is not None:
            return injected
        if allowed is None:
            problem = Problem(404, "not-found", f"no endpoint has the path {path}", error_key="NOT_FOUND")
            return self._refuse(trace, problem)
        listed = sorted(m for m in allowed if m not in IMPLICIT_METHODS)
        if method == "OPTIONS":
            implicit = ["HEAD", "OPTIONS"] if "GET" in listed else ["OPTIONS"]
            return self._finish(trace, 204, None, b"", None, {"Allow": ", ".join(listed + implicit)}, None)
        problem = Problem(
            405,
            "method-not-allowed",
            f"{method} is not allowed on {path}; allowed: {', '.join(listed)}",
            error_key="METHOD_NOT_ALLOWED",
            headers={"Allow": ", ".join(listed)},
            extra={"allowed": listed},
        )
        return self._refuse(trace, problem)

    # -- steps -----------------------------------------------------------------

    def _apply_faults(self, trace: _Trace) -> Reply | None:
        """An injected answer, or None to carry on (after any injected delay)."""
        rules, limit = self.faults.control(self.db)
        if not rules and limit is None:
            return None
        chosen: FaultRule | None = None
        candidates = self.faults.candidates(rules, trace.method, trace.path) if rules else []
        if candidates:
            with self.db.write() as conn:
                chosen = next((rule for rule in candidates if self.faults.claim(conn, rule)), None)
        if chosen is not None:
            trace.fault = chosen.id
            if chosen.delay:
                time.sleep(chosen.delay)
            if chosen.drop:
                return self._drop(trace)
            if chosen.status is not None:
                return self._injected_answer(trace, chosen)
        if limit is not None:
            with self.db.write() as conn:
                over = self.faults.count_request(conn, limit)
            if over:
                return self._refuse(
                    trace,
                    Problem(
                        429,
                        "rate-limited",
                        f"more than {limit.requests_per_second} requests in one second",
                        error_key="RATE_LIMITED",
                        headers={"Retry-After": str(limit.retry_after)},
                    ),
                )
        return None

    @staticmethod
    def _api_key(environ: dict[str, Any], surface: str) -> str | None:
        if surface == "ingest":
            return key_from_ingest(environ.get("HTTP_X_API_KEY"))
        return key_from_basic(environ.get("HTTP_AUTHORIZATION"))

    @staticmethod
    def _unauthorized(surface: str) -> Problem:
        if surface == "ingest":
            return Problem(
                401,
                "unauthorized",
                "missing or unknown x-api-key",
                error_key="AUTHENTICATION_FAILURE",
                error=AUTH_FAILURE,
            )
        return Problem(
            401,
            "unauthorized",
            "missing or unknown API key: send HTTP Basic credentials with the API key as the user name",
            error_key="AUTHENTICATION_FAILURE",
            error=AUTH_FAILURE,
            headers={"WWW-Authenticate": 'Basic realm="Cordial"'},
        )

    def _read_body(self, environ: dict[str, Any], trace: _Trace) -> tuple[Any, Problem | None]:
        """The parsed JSON body (None when empty), or the problem that refuses it."""
        length = get_content_length(environ)
        limit = self.settings.max_body_bytes
        if length is not None and length > limit:
            return None, self._too_large(limit)
        if length is not None:
            raw = environ["wsgi.input"].read(length) if length else b""  # the common case, read directly
        elif environ.get("wsgi.input_terminated"):
            raw = environ["wsgi.input"].read(limit + 1)  # chunked: one byte past the limit tells
            if len(raw) > limit:
                return None, self._too_large(limit)
        else:
            raw = b""  # no length and no end marker: there is no body to read safely
        trace.raw_body = raw
        if not raw:
            return None, None
        content_type = environ.get("CONTENT_TYPE")
        if not is_json_media_type(content_type):
            sent = content_type or "no Content-Type"
            return None, Problem(
                415,
                "unsupported-media-type",
                f"the body must be sent as application/json, not {sent}",
                error_key="UNSUPPORTED_MEDIA_TYPE",
            )
        try:
            body = parse_json(raw)
        except BadJson as exc:
            return None, Problem(400, "invalid-json", str(exc), error_key="INVALID_JSON")
        trace.body_is_json = True
        return body, None

    @staticmethod
    def _too_large(limit: int) -> Problem:
        return Problem(
            413, "payload-too-large", f"the body is larger than {limit} bytes", error_key="TOO_LARGE"
        )

    @staticmethod
    def _contract_violation(verdict: Verdict) -> Problem:
        count = len(verdict.request)
        name = verdict.operation.operation_id if verdict.operation is not None else "the contract"
        return Problem(
            422,
            "contract-violation",
            f"the request breaks the contract of {name} ({count} violation{'s' if count != 1 else ''})",
            error_key="CONTRACT_VIOLATION",
            extra={"violations": [v.to_json() for v in verdict.request]},
        )

    # -- answers ---------------------------------------------------------------

    def _refuse(self, trace: _Trace, problem: Problem) -> Reply:
        value = problem.to_json()
        return self._finish(trace, problem.status, PROBLEM_JSON, _encode(value), value, problem.headers, None)

    def _injected_answer(self, trace: _Trace, rule: FaultRule) -> Reply:
        headers = dict(rule.headers)
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        if rule.body is None:
            payload = b""
        elif isinstance(rule.body, str):
            payload = rule.body.encode("utf-8")
            content_type = content_type or "text/plain; charset=utf-8"
            trace.answer_is_json = False
        else:
            payload = _encode(rule.body)
            content_type = content_type or JSON
        trace.check_answer = False  # an injected answer is the tester's, not the mock's
        return self._finish(trace, rule.status, content_type or JSON, payload, rule.body, headers, None)

    def _drop(self, trace: _Trace) -> Reply:
        trace.check_answer = False
        self._journal(trace, 0, "", b"", {}, None, dropped=True)
        return Reply(500, JSON, b"", {DROP_HEADER: "1"})

    def _finish(
        self,
        trace: _Trace,
        status: int,
        content_type: str | None,
        payload: bytes,
        value: Any,
        headers: dict[str, str],
        conn: sqlite3.Connection | None,
    ) -> Reply:
        """Check the answer against the contract, journal the exchange and build the response."""
        all_headers = {**headers, **trace.extra_headers} if trace.extra_headers else headers
        if trace.check_answer and trace.verdict.checked:
            self.contracts.check_response(trace.verdict, status, content_type, value, payload)
        self._journal(trace, status, content_type, payload, all_headers, conn)
        return Reply(status, content_type, payload, all_headers)

    def _journal(
        self,
        trace: _Trace,
        status: int,
        content_type: str | None,
        payload: bytes,
        headers: dict[str, str],
        conn: sqlite3.Connection | None,
        dropped: bool = False,
    ) -> None:
        response_headers = {"Content-Type": content_type, **headers} if payload else headers
        when, raw_path, query, request_headers = trace.request_side()
        exchange = journal.Exchange(
            time=when,
            method=trace.method,
            path=trace.path,
            query=query,
            headers=request_headers,
            request_body=trace.raw_body,
            request_json=trace.body_is_json,
            surface=trace.surface,
            operation=trace.operation,
            status=status,
            response_headers=response_headers,
            response_body=payload,
            response_json=bool(payload) and trace.answer_is_json,
            verdict=trace.verdict.to_text(),
            duration_ms=(time.perf_counter() - trace.started) * 1000,
            fault=trace.fault,
            replayed=trace.replayed,
            dropped=dropped,
            raw_path=raw_path,
        )
        if conn is not None:
            journal.record(conn, exchange)
        else:
            with self.db.write() as own:
                journal.record(own, exchange)


def _slug(error: ModelError) -> str:
    return {404: "record-not-found", 409: "conflict"}.get(error.status, "unprocessable")
