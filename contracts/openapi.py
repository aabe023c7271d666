"""Match requests to the operations of an OpenAPI contract and validate them.

The mock's strict mode calls this on every request, so everything is
compiled when a contract is first loaded: a router over the path templates
and one schema check per body, response and parameter.  Checking a valid
ingest request costs a few microseconds; only a failing value pays for the
explaining validator.  Nothing here raises on bad input: problems come back
as :class:`Violation` values (``match`` raises only the two routing errors,
which a server turns into 404 and 405).

``match`` takes a request target (its query string is dropped, repeated
slashes are folded); ``match_decoded`` a path a server already decoded, in
which ``?`` and ``#`` are characters of a segment.  A concrete path names its
own resource and is never read as a template (see ``contracts.routing``).
Authentication is not checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from contracts.documents import CONTRACT_FILES, load_document
from contracts.parameters import Converter, converter_for
from contracts.routing import MethodNotAllowed, NoSuchPath, RouteError, Router
from contracts.schema_check import DocumentSchemas, SchemaCheck
from contracts.violations import Violation

__all__ = [
    "Contract",
    "MethodNotAllowed",
    "NoSuchPath",
    "Operation",
    "RouteError",
    "RouteMatch",
    "Violation",
    "load_contract",
]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# A media type the operation accepts but without a schema: any body goes.
_ANY_BODY = None
_NOT_ACCEPTED = object()


def _pointer_token(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def _lookup(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _deref(document: dict, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local ``$ref``s of an OpenAPI object (parameter, body, response) to the object itself."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        pointer = node["$ref"][1:]
        if pointer in seen:
            break
        seen.add(pointer)
        node = _lookup(document, pointer)
    return node, pointer


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    return media or None


class _MediaTable:
    """The media types of one request body or response, each with its schema check (or none)."""

    def __init__(self, checks: dict[str, SchemaCheck | None]) -> None:
        self.checks = checks
        self.listing = ", ".join(checks)

    def find(self, media: str) -> SchemaCheck | None | object:
        if media in self.checks:
            return self.checks[media]
        kind = media.split("/", 1)[0]
        for declared in (f"{kind}/*", "*/*"):
            if declared in self.checks:
                return self.checks[declared]
        return _NOT_ACCEPTED


@dataclass(frozen=True)
class _Parameter:
    name: str
    location: str
    required: bool
    convert: Converter
    check: SchemaCheck
    is_array: bool
    split_commas: bool


class Operation:
    """One operation (method + path template) and the checks of its requests and responses."""

    def __init__(
        self,
        *,
        method: str,
        path_template: str,
        operation_id: str,
        parameters: tuple[_Parameter, ...],
        body: _MediaTable | None,
        body_required: bool,
        responses: dict[str, _MediaTable],
    ) -> None:
        self.method = method
        self.path_template = path_template
        self.operation_id = operation_id
        self._parameters = parameters
        self._body = body
        self._body_required = body_required
        self._responses = responses

    def __repr__(self) -> str:
        return f"<Operation {self.operation_id}: {self.method} {self.path_template}>"

    @property
    def parameter_names(self) -> dict[str, list[str]]:
        """Declared parameter names by location (``path``, ``query``, ``header``)."""
        names: dict[str, list[str]] = {}
        for parameter in self._parameters:
            names.setdefault(parameter.location, []).append(parameter.name)
        return names

    @property
    def response_statuses(self) -> list[str]:
        """The response keys the contract lists (``200``, ``4XX``, ``default``...)."""
        return list(self._responses)

    def validate_request(
        self,
        *,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        content_type: str | None,
        body: Any,
    ) -> list[Violation]:
        """Every way the request breaks the contract: parameters, content type and body."""
        violations: list[Violation] = []
        if self._parameters:
            violations.extend(self._check_parameters(path_params, query, headers))
        violations.extend(self._check_request_body(content_type, body))
        return violations

    def validate_response(self, *, status: int, content_type: str | None, body: Any) -> list[Violation]:
        """Every way a response breaks the contract: undocumented status, content type or body."""
        key = str(status)
        table = self._responses.get(key)
        if table is None and key.isdigit() and len(key) == 3:
            table = self._responses.get(f"{key[0]}XX")
        if table is None:
            table = self._responses.get("default")
        if table is None:
            listed = ", ".join(self._responses)
            return [
                Violation("status", "", "responses", f"status {key} is not a documented response ({listed})")
            ]
        if not table.checks:
            if body is not None:
                return [Violation("body", "", "content", f"a {key} response has no body in the contract")]
            return []
        if body is None:
            return [Violation("body", "", "required", f"a {key} response carries a body ({table.listing})")]
        return self._check_media(table, content_type, body)

    # -- internals ---------------------------------------------------------

    def _check_request_body(self, content_type: str | None, body: Any) -> list[Violation]:
        if self._body is None:
            if body is not None:
                return [
                    Violation("body", "", "requestBody", f"{self.method} {self.path_template} takes no body")
                ]
            return []
        if body is None:
            if self._body_required:
                return [
                    Violation("body", "", "required", f"a request body is required ({self._body.listing})")
                ]
            return []
        return self._check_media(self._body, content_type, body)

    @staticmethod
    def _check_media(table: _MediaTable, content_type: str | None, body: Any) -> list[Violation]:
        media = _media_type(content_type if isinstance(content_type, str) else None)
        if media is None:
            return [
                Violation(
                    "header",
                    "/Content-Type",
                    "contentType",
                    f"Content-Type is missing; expected {table.listing}",
                )
            ]
        check = table.find(media)
        if check is _NOT_ACCEPTED:
            return [
                Violation(
                    "header", "/Content-Type", "contentType", f"Content-Type {media!r} is not {table.listing}"
                )
            ]
        if check is _ANY_BODY:
            return []
        assert isinstance(check, SchemaCheck)
        return check.violations(body, "body")

    def _check_parameters(
        self, path_params: Mapping[str, str], query: Mapping[str, list[str]], headers: Mapping[str, str]
    ) -> list[Violation]:
        violations: list[Violation] = []
        lowered_headers: dict[str, str] | None = None
        for parameter in self._parameters:
            if parameter.location == "path":
                values = _as_list(_get(path_params, parameter.name))
            elif parameter.location == "query":
                values = _as_list(_get(query, parameter.name))
            else:
                if lowered_headers is None:
                    lowered_headers = _lowered(headers)
                values = _as_list(lowered_headers.get(parameter.name.lower()))
            if not values:
                if parameter.required:
                    violations.append(
                        Violation(
                            parameter.location,
                            "/" + _pointer_token(parameter.name),
                            "required",
                            f"missing required {parameter.location} parameter {parameter.name!r}",
                        )
                    )
                continue
            if parameter.is_array:
                if parameter.split_commas:
                    values = [piece for value in values for piece in value.split(",")]
                converted: Any = [parameter.convert(value) for value in values]
                violations.extend(
                    parameter.check.violations(converted, parameter.location, (parameter.name,))
                )
            else:
                for value in values:
                    violations.extend(
                        parameter.check.violations(
                            parameter.convert(value), parameter.location, (parameter.name,)
                        )
                    )
        return violations


def _get(mapping: Any, key: str) -> Any:
    try:
        return mapping.get(key)
    except Exception:  # a caller's mapping that cannot answer counts as "absent"
        return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(item) for item in value]
    except TypeError:
        return [str(value)]


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    try:
        return {str(name).lower(): value for name, value in headers.items()}
    except Exception:  # see _get
        return {}


@dataclass(frozen=True)
class RouteMatch:
    """The operation a request addresses and the path parameters read from its path."""

    operation: Operation
    path_params: dict[str, str]


class Contract:
    """One OpenAPI document, compiled for matching and validation."""

    def __init__(self, name: str, document: dict) -> None:
        self.name = name
        self.document = document
        self._schemas = DocumentSchemas(f"urn:cordial-harness:contract:{name}", document)
        self._checks: dict[str, SchemaCheck] = {}
        operations = []
        for template, path_item in (document.get("paths") or {}).items():
            item_pointer = "/paths/" + _pointer_token(template)
            path_item, item_pointer = _deref(document, path_item, item_pointer)
            shared = path_item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in path_item:
                    operations.append(
                        self._operation(
                            template,
                            method,
                            path_item[method],
                            f"{item_pointer}/{method}",
                            shared,
                            item_pointer,
                        )
                    )
        self.operations: tuple[Operation, ...] = tuple(operations)
        self._by_id = {operation.operation_id: operation for operation in operations}
        self._router: Router[Operation] = Router((op.method, op.path_template, op) for op in operations)

    def __repr__(self) -> str:
        return f"<Contract {self.name}: {len(self.operations)} operations>"

    def match(self, method: str, path: str) -> RouteMatch:
        """The operation for this request; raises NoSuchPath (404) or MethodNotAllowed (405).

        ``path`` is a request target: a query string is dropped, repeated slashes are folded.
        """
        operation, params = self._router.lookup(str(method), str(path))
        return RouteMatch(operation, params)

    def match_decoded(self, method: str, path: str) -> RouteMatch:
        """Like :meth:`match` for a path a server already decoded and folded (``?`` is part of it)."""
        operation, params = self._router.resolve(str(method), str(path))
        return RouteMatch(operation, params)

    def methods(self, path: str) -> list[str]:
        """The methods the resource at a decoded path has (empty when no path template matches)."""
        return self._router.methods(path)

    def operation(self, operation_id: str) -> Operation:
        """The operation with this ``operationId``; raises KeyError for an unknown id."""
        return self._by_id[operation_id]

    # -- compilation -------------------------------------------------------

    def _check(self, pointer: str) -> SchemaCheck:
        check = self._checks.get(pointer)
        if check is None:
            check = self._checks[pointer] = self._schemas.check(pointer)
        return check

    def _media_table(self, content: Any, pointer: str) -> _MediaTable:
        checks: dict[str, SchemaCheck | None] = {}
        for media, media_object in (content or {}).items():
            has_schema = isinstance(media_object, dict) and "schema" in media_object
            schema_pointer = f"{pointer}/{_pointer_token(media)}/schema"
            checks[media.lower()] = self._check(schema_pointer) if has_schema else _ANY_BODY
        return _MediaTable(checks)

    def _operation(
        self, template: str, method: str, raw: dict, pointer: str, shared: list, item_pointer: str
    ) -> Operation:
        document = self.document
        declared: dict[tuple[str, str], _Parameter] = {}
        for source, base in (
            (shared, f"{item_pointer}/parameters"),
            (raw.get("parameters", []), f"{pointer}/parameters"),
        ):
            for index, entry in enumerate(source):
                parameter, parameter_pointer = _deref(document, entry, f"{base}/{index}")
                compiled = self._parameter(parameter, parameter_pointer)
                declared[(compiled.location, compiled.name)] = compiled
        body_table = None
        body_required = False
        if "requestBody" in raw:
            body, body_pointer = _deref(document, raw["requestBody"], f"{pointer}/requestBody")
            body_table = self._media_table(body.get("content"), f"{body_pointer}/content")
            body_required = bool(body.get("required", False))
        responses: dict[str, _MediaTable] = {}
        for status, response in (raw.get("responses") or {}).items():
            response, response_pointer = _deref(
                document, response, f"{pointer}/responses/{_pointer_token(str(status))}"
            )
            responses[str(status).upper()] = self._media_table(
                response.get("content"), f"{response_pointer}/content"
            )
        return Operation(
            method=method.upper(),
            path_template=template,
            operation_id=raw.get("operationId") or f"{method}{template}",
            parameters=tuple(declared.values()),
            body=body_table,
            body_required=body_required,
            responses=responses,
        )

    def _parameter(self, parameter: dict, pointer: str) -> _Parameter:
        schema, _ = _deref(self.document, parameter.get("schema", {}), f"{pointer}/schema")
        location = parameter.get("in", "query")
        is_array = isinstance(schema, dict) and schema.get("type") == "array"
        item_schema = schema.get("items", {}) if is_array else schema
        item_schema, _ = _deref(self.document, item_schema, "")
        style = parameter.get("style", "form" if location == "query" else "simple")
        explode = parameter.get("explode", style == "form")
        return _Parameter(
            name=parameter["name"],
            location=location,
            required=bool(parameter.get("required", location == "path")),
            convert=converter_for(item_schema),
            check=self._check(f"{pointer}/schema"),
            is_array=is_array,
            split_commas=is_array and not explode,
        )


@cache
def _compiled(name: str) -> Contract:
    return Contract(name, load_document(name))


def load_contract(name: Literal["ingest", "rest-v2"]) -> Contract:
    """The compiled contract ``ingest`` or ``rest-v2`` (built once per process)."""
    if name not in CONTRACT_FILES:
        raise ValueError(f"unknown contract {name!r}; expected one of {', '.join(CONTRACT_FILES)}")
    return _compiled(name)
