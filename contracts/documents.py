"""The OpenAPI documents shipped with the package, read once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml

__all__ = ["ContractName", "CONTRACT_FILES", "contract_names", "document_text", "load_document"]

ContractName = Literal["ingest", "rest-v2"]

#: contract name -> file inside the ``contracts`` package
CONTRACT_FILES: dict[str, str] = {
    "ingest": "cordial-ingest.openapi.yaml",
    "rest-v2": "cordial-rest-v2.openapi.yaml",
}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def contract_names() -> list[str]:
    """Every contract the package ships, in a stable order."""
    return list(CONTRACT_FILES)


def document_text(name: str) -> str:
    """The YAML source of contract ``name``; raises KeyError for an unknown name."""
    file_name = CONTRACT_FILES[name]
    return resources.files(__package__).joinpath(file_name).read_text(encoding="utf-8")


@cache
def load_document(name: str) -> dict:
    """The parsed document of contract ``name`` (shared: treat it as read-only)."""
    document = yaml.load(document_text(name), Loader=_Loader)  # noqa: S506 - safe loader
    if not isinstance(document, dict):
        raise ValueError(f"contract {name!r} is not a YAML mapping")
    return document
