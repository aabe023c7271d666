"""OpenAPI contracts of Cordial's ingest service and REST API v2, and their validator.

``load_contract("ingest")`` / ``load_contract("rest-v2")`` give a compiled
:class:`Contract`: ``match`` a request to its :class:`Operation`, then
``validate_request`` / ``validate_response`` list each :class:`Violation`.
Hypothesis strategies for events, mappings and subscriptions live in
``contracts.strategies``.
"""

from contracts.documents import CONTRACT_FILES, load_document
from contracts.openapi import (
    Contract,
    MethodNotAllowed,
    NoSuchPath,
    Operation,
    RouteError,
    RouteMatch,
    Violation,
    load_contract,
)

__all__ = [
    "CONTRACT_FILES",
    "Contract",
    "MethodNotAllowed",
    "NoSuchPath",
    "Operation",
    "RouteError",
    "RouteMatch",
    "Violation",
    "load_contract",
    "load_document",
]
