"""Checking the OpenAPI documents themselves: valid OpenAPI 3.1, coherent, compilable."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

from contracts.documents import CONTRACT_FILES, load_document
from contracts.openapi import HTTP_METHODS, Contract

__all__ = ["DocumentReport", "check_document", "check_documents"]


@dataclass(frozen=True)
class DocumentReport:
    """The verdict on one contract document."""

    name: str
    file: str
    operations: int
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _spec_errors(document: dict) -> list[str]:
    try:
        return [
            f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
            for error in OpenAPIV31SpecValidator(document).iter_errors()
        ]
    except Exception as exc:  # the validator raises (instead of reporting) on a dangling $ref
        return [f"the document cannot be read as OpenAPI 3.1: {exc}"]


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    found = []
    for template, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            found.extend(
                (method, template, item[method])
                for method in HTTP_METHODS
                if isinstance(item.get(method), dict)
            )
    return found


def _link_errors(document: dict, operations: list[tuple[str, str, dict]]) -> list[str]:
    by_id = {op.get("operationId"): (method, template, op) for method, template, op in operations}
    paths = document.get("paths") or {}
    errors = []
    for method, template, op in operations:
        for status, response in (op.get("responses") or {}).items():
            if not isinstance(response, dict):
                continue
            for link_name, link in (response.get("links") or {}).items():
                where = f"{method.upper()} {template} {status} link {link_name}"
                target = by_id.get(link.get("operationId"))
                if target is None:
                    errors.append(f"{where}: no operation {link.get('operationId')!r}")
                    continue
                target_method, target_template, target_op = target
                declared = {
                    _parameter_name(document, parameter)
                    for parameter in [
                        *paths[target_template].get("parameters", []),
                        *target_op.get("parameters", []),
                    ]
                }
                errors.extend(
                    f"{where}: {target_method.upper()} {target_template} has no parameter {name!r}"
                    for name in link.get("parameters", {})
                    if name not in declared
                )
    return errors


def _parameter_name(document: dict, parameter: Any) -> str | None:
    while isinstance(parameter, dict) and "$ref" in parameter:
        node: Any = document
        for token in parameter["$ref"].lstrip("#/").split("/"):
            node = node.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
        parameter = node
    return parameter.get("name") if isinstance(parameter, dict) else None


def check_document(name: str, document: dict | None = None) -> DocumentReport:
    """Validate contract ``name`` (or ``document`` under that name): OpenAPI 3.1, ids, links, compilation."""
    if document is None:
        document = load_document(name)
    errors = _spec_errors(document)
    operations = _operations(document)
    duplicated = [i for i, n in Counter(op.get("operationId") for _, _, op in operations).items() if n > 1]
    errors.extend(f"operationId {i!r} is used more than once" for i in duplicated)
    missing_ids = [f"{m.upper()} {t}" for m, t, op in operations if not op.get("operationId")]
    errors.extend(f"{where} has no operationId" for where in missing_ids)
    if not errors:
        errors.extend(_link_errors(document, operations))
    if not errors:
        try:
            Contract(name, document)
        except Exception as exc:  # a document the validator cannot compile is reported, not raised
            errors.append(f"the validator cannot compile the document: {exc}")
    return DocumentReport(name, CONTRACT_FILES.get(name, "(given document)"), len(operations), tuple(errors))


def check_documents() -> list[DocumentReport]:
    """Check every contract the package ships."""
    return [check_document(name) for name in CONTRACT_FILES]
